// The seam between the data-parallel trainer (replica.ts) and the threads it runs on. Node runs
// the gradient workers as worker_threads (node-spawn.ts), the page as Web Workers
// (src/lib/train/browser-spawn.ts); everything else (the model, the kernels, the reduction, AdamW,
// the loop) is the same code. Two ways to share data with a worker:
//   'shared'   parameters, batch, gradients and per-position losses live in SharedArrayBuffers
//              (Node, or a cross-origin isolated page): a request is a few bytes;
//   'messages' each request carries a copy of the parameters and the worker's slice of the batch,
//              each reply its gradient and losses (a page without COOP/COEP headers).
// The arithmetic is identical in both modes, so a run gives the same weights either way.

import type { Config } from '../engine/types.ts';
import { kernelsFor, type KernelKind } from './kernels.ts';
import { TrainModel } from './model.ts';

export type Sharing = 'shared' | 'messages';

export interface SharedBuffers {
  params: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  inputs: SharedArrayBuffer;
  targets: SharedArrayBuffer;
  rowLoss: SharedArrayBuffer;
}

export interface WorkerInit {
  config: Config;
  /** Rows of this worker's slice of the batch. */
  B: number;
  T: number;
  index: number;
  kernels: KernelKind;
  /** null: the 'messages' mode (data travels with each request). */
  shared: SharedBuffers | null;
}

/** The worker's slice of the data, sent with each request in the 'messages' mode. */
export interface SliceData {
  params: Float32Array;
  inputs: Int32Array;
  targets: Int32Array;
}

export type WorkerRequest =
  { kind: 'grads'; gradScale: number; data?: SliceData } | { kind: 'eval'; data?: SliceData };

export type WorkerReply =
  | { ok: true; loss: number; grads?: Float32Array; rowLoss?: Float64Array }
  | { ok: false; error: string };

/** What the engine sees of one worker, whatever runs it. */
export interface TrainWorker {
  post(req: WorkerRequest, transfer: ArrayBuffer[]): void;
  terminate(): void | Promise<unknown>;
}

export interface WorkerEvents {
  message(reply: WorkerReply): void;
  /** The worker failed or went away (error event, exit, terminated by the host). */
  failure(error: string): void;
}

/** Starts one gradient worker; the host (Node or the page) decides how. */
export type SpawnWorker = (init: WorkerInit, events: WorkerEvents) => TrainWorker;

/** Shared memory works where SharedArrayBuffer exists and (in a page) it may be shared. */
export function defaultSharing(): Sharing {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof SharedArrayBuffer !== 'undefined' && g.crossOriginIsolated !== false
    ? 'shared'
    : 'messages';
}

/**
 * The body of a gradient worker, the same on every host: one model instance over the worker's
 * slice of the batch. Returns the reply and the buffers to transfer with it.
 */
export function workerHandler(
  init: WorkerInit,
): (req: WorkerRequest) => { reply: WorkerReply; transfer: ArrayBuffer[] } {
  const rows = init.B * init.T;
  const first = init.index * rows;
  // The model's buffers live in this thread's kernel memory; the parameters are copied in before
  // each request and the gradient copied out after (a few hundred kB: negligible).
  const model = new TrainModel(init.config, init.B, init.T, kernelsFor(init.kernels));
  const s = init.shared;
  const shared = s && {
    params: new Float32Array(s.params),
    grads: new Float32Array(s.grads),
    inputs: new Int32Array(s.inputs, first * 4, rows),
    targets: new Int32Array(s.targets, first * 4, rows),
    rowLoss: new Float64Array(s.rowLoss, first * 8, rows),
  };
  return (req) => {
    try {
      const d = shared ?? req.data;
      if (!d) throw new Error('internal: a request without data in the messages mode');
      if (d.inputs.length !== rows || d.params.length !== model.params.length)
        throw new Error('internal: a request whose data does not fit this worker');
      model.params.set(d.params);
      if (req.kind === 'grads') {
        const loss = model.step(d.inputs, d.targets, true, req.gradScale);
        if (shared) {
          shared.grads.set(model.grads);
          return { reply: { ok: true, loss }, transfer: [] };
        }
        const grads = Float32Array.from(model.grads);
        return { reply: { ok: true, loss, grads }, transfer: [grads.buffer] };
      }
      if (shared) {
        model.step(d.inputs, d.targets, false, 1, shared.rowLoss);
        return { reply: { ok: true, loss: 0 }, transfer: [] };
      }
      const rowLoss = new Float64Array(rows);
      model.step(d.inputs, d.targets, false, 1, rowLoss);
      return { reply: { ok: true, loss: 0, rowLoss }, transfer: [rowLoss.buffer] };
    } catch (e) {
      return {
        reply: { ok: false, error: e instanceof Error ? e.message : String(e) },
        transfer: [],
      };
    }
  };
}
