// A gradient worker of the page's trainer (browser-spawn.ts): pool.ts's worker body behind the
// Web Worker message port. The first message is its WorkerInit.
import {
  workerHandler,
  type WorkerInit,
  type WorkerReply,
  type WorkerRequest,
} from '../../train/pool.ts';

let handle: ReturnType<typeof workerHandler> | null = null;
let initError = '';

self.onmessage = (e: MessageEvent<WorkerInit | WorkerRequest>) => {
  if (!handle && !initError) {
    try {
      handle = workerHandler(e.data as WorkerInit);
    } catch (err) {
      initError = err instanceof Error ? err.message : String(err);
    }
    return;
  }
  if (!handle) {
    const reply: WorkerReply = { ok: false, error: initError };
    self.postMessage(reply);
    return;
  }
  const { reply, transfer } = handle(e.data as WorkerRequest);
  self.postMessage(reply, { transfer });
};
