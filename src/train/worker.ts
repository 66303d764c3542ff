// Worker thread of the data-parallel trainer in Node (started by node-spawn.ts): the shared
// worker body of pool.ts behind node:worker_threads.

import { parentPort, workerData } from 'node:worker_threads';
import { workerHandler, type WorkerInit, type WorkerRequest } from './pool.ts';

const handle = workerHandler(workerData as WorkerInit);

parentPort?.on('message', (req: WorkerRequest) => {
  const { reply, transfer } = handle(req);
  parentPort?.postMessage(reply, transfer);
});
