// Worker thread of the data-parallel trainer (see replica.ts): owns one model instance over the
// shared parameters and computes the gradient of its slice of the batch on request.

import { parentPort, workerData } from 'node:worker_threads';
import { kernelsFor } from './kernels.ts';
import { TrainModel } from './model.ts';
import type { WorkerInit, WorkerReply, WorkerRequest } from './replica.ts';

const init = workerData as WorkerInit;
const rows = init.B * init.T;
const first = init.index * rows;
// The model's own buffers live in this thread's kernel memory; the shared parameters are copied
// in before each request and the gradient copied out after (a few hundred kB: negligible).
const model = new TrainModel(init.config, init.B, init.T, kernelsFor(init.kernels));
const sharedParams = new Float32Array(init.params);
const sharedGrads = new Float32Array(init.grads);
const inputs = new Int32Array(init.inputs, first * 4, rows);
const targets = new Int32Array(init.targets, first * 4, rows);
const rowLoss = new Float64Array(init.rowLoss, first * 8, rows);

parentPort?.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    model.params.set(sharedParams);
    if (req.kind === 'grads') {
      const loss = model.step(inputs, targets, true, req.gradScale);
      sharedGrads.set(model.grads);
      reply = { ok: true, loss };
    } else {
      model.step(inputs, targets, false, 1, rowLoss);
      reply = { ok: true, loss: 0 };
    }
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});
