// Gradient workers as Node worker_threads (the pool.ts seam for `npm run train`, the tests and
// the benchmarks). The worker is TypeScript: a two-line bootstrap loads it through tsx's ESM API
// (tsx is a dev dependency and is also what runs `npm run train`).

import { Worker } from 'node:worker_threads';
import type { SpawnWorker } from './pool.ts';

export const nodeSpawn: SpawnWorker = (init, events) => {
  const url = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(url)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(boot, { eval: true, workerData: init });
  let closing = false;
  worker.on('message', (r) => events.message(r));
  worker.on('error', (e) => events.failure(e instanceof Error ? e.message : String(e)));
  // a worker that dies without an error event (killed, out of memory) must not hang the run
  worker.on('exit', (code) => {
    if (!closing) events.failure(`the worker thread exited (code ${code})`);
  });
  return {
    post: (req, transfer) => worker.postMessage(req, transfer),
    terminate: () => {
      closing = true;
      return worker.terminate();
    },
  };
};
