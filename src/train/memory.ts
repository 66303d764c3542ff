// How much memory a training run takes, before starting it: the float32 buffers TrainModel
// allocates (model.ts, mirrored here buffer by buffer; a test checks the sum against the kernels'
// allocator), AdamW's two float64 moments, and the data-parallel pool's shared buffers.

import type { Config } from '../engine/types.ts';
import { kvDim, makeLayout } from './layout.ts';

/** Floats TrainModel(config, B, T) allocates (parameters, gradients, activations, scratch). */
export function modelFloats(c: Config, B: number, T: number): number {
  const N = B * T;
  const { dim: d, hiddenDim: h, nLayers: L, vocabSize: V, nHeads: H } = c;
  const kv = kvDim(c);
  const P = makeLayout(c).total;
  const ln = c.norm === 'layernorm' ? 1 : 0;
  const swiglu = c.ffn === 'swiglu' ? 1 : 0;
  const perLayer =
    N * d * 6 + // xIn, xnAtt, q, attOut, xMid, xnFfn
    N * kv * 2 + // k, v
    B * H * T * T + // probs
    N * (2 + 2 * ln) + // rstd (and mean) of two norms
    N * h * (2 + swiglu); // h1, act (and h3)
  return (
    2 * P +
    L * perLayer +
    N * d * 4 + // xFinal, xnFinal, dx, dxn
    N * (1 + ln) +
    N * V + // logits
    N * Math.max(d, h) + // dA
    N * d + // dq
    N * kv * 3 + // dk, dv, kvT
    N * h * 2 + // dh1, dh3
    T * T + // dS
    Math.max(d * d, d * h, d * V) // wT
  );
}

export interface MemoryEstimate {
  /** All buffers of the run, in bytes. */
  totalBytes: number;
  /** The largest single worker's WebAssembly memory, in bytes. */
  perWorkerBytes: number;
}

/** Bytes a run of `workers` workers over batches of B sequences of T tokens holds. */
export function trainMemory(c: Config, B: number, T: number, workers: number): MemoryEstimate {
  const P = makeLayout(c).total;
  const adam = P * 16; // two float64 moments
  if (workers <= 1) {
    const m = modelFloats(c, B, T) * 4;
    return { totalBytes: m + adam, perWorkerBytes: m };
  }
  const perWorker = modelFloats(c, B / workers, T) * 4;
  // pool: shared params, summed grads, batch and row losses, one gradient slot per worker
  const pool = P * 4 * (2 + workers) + B * T * 16;
  return { totalBytes: perWorker * workers + pool + adam, perWorkerBytes: perWorker };
}
