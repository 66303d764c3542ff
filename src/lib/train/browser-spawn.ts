// Gradient workers as Web Workers (the pool.ts seam in the page). Started from the training
// coordinator worker; the first message carries the WorkerInit, every later one a request.
import type { SpawnWorker } from '../../train/pool.ts';

export const browserSpawn: SpawnWorker = (init, events) => {
  const worker = new Worker(new URL('./grad-worker.ts', import.meta.url), {
    type: 'module',
    name: `llama-lab gradient worker ${init.index}`,
  });
  worker.onmessage = (e: MessageEvent) => events.message(e.data);
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    events.failure(e.message || 'the worker could not start or crashed');
  };
  worker.onmessageerror = () => events.failure('a message from the worker could not be read');
  worker.postMessage(init);
  return {
    post: (req, transfer) => worker.postMessage(req, transfer),
    terminate: () => worker.terminate(),
  };
};
