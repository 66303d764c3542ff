// Everything the WebGPU forward pass keeps on the device, allocated once per model and destroyed
// together: the weights (all layers back to back per tensor, as in the Model), the run state
// with B = maxBatch rows (one per fed token of a chunk), the KV cache, the RoPE tables and the
// logits staging buffer. Shapes, as the CPU run state:
//   x, xb, xb2 (B, dim)  q (B, dim)  hb, hb2, hbTap (B, hidden)
//   att (B, n_heads, P)  logits (B, vocab)  xLast (dim)
//   keyCache, valueCache (layer, P, kv_dim)  ropeCos, ropeSin (P, hs/2)
// P = maxPositions; kv_dim is the model's own width (the largest the kvGroups knob can use).
// There is no k or v scratch: the K/V projections write straight into the cache rows.
import { headSize, kvDim as kvDimOf } from '../config.ts';
import type { Config, Model } from '../types.ts';
import { USAGE } from './constants.ts';

export const F32 = 4;

/** queue.writeBuffer of a Float32Array view (weights are views into the checkpoint's buffer). */
export function writeF32(queue: GPUQueue, buffer: GPUBuffer, data: Float32Array): void {
  queue.writeBuffer(buffer, 0, data as Float32Array<ArrayBuffer>);
}

/** Bytes of the largest single buffer a model needs (checked against the device's limits). */
export function largestBufferBytes(config: Config, maxPositions: number, maxBatch: number): number {
  const c = config;
  const P = maxPositions;
  const B = Math.min(maxBatch, P);
  const kvDim = kvDimOf(c);
  return (
    F32 *
    Math.max(
      c.vocabSize * c.dim,
      c.nLayers * c.dim * c.dim,
      c.nLayers * c.hiddenDim * c.dim,
      c.nLayers * P * kvDim,
      B * c.nHeads * P,
      B * c.vocabSize,
    )
  );
}

export interface GpuWeights {
  tokenEmbedding: GPUBuffer;
  rmsAtt: GPUBuffer;
  wq: GPUBuffer;
  /** The model's K/V projections, or their mean-pooled copies under the kvGroups knob. */
  wk: GPUBuffer;
  wv: GPUBuffer;
  wo: GPUBuffer;
  rmsFfn: GPUBuffer;
  w1: GPUBuffer;
  w2: GPUBuffer;
  w3: GPUBuffer | null;
  rmsFinal: GPUBuffer;
  /** The token embedding buffer itself when the classifier is shared. */
  wcls: GPUBuffer;
}

export class GpuState {
  readonly weights: GpuWeights;
  readonly x: GPUBuffer;
  readonly xb: GPUBuffer;
  readonly xb2: GPUBuffer;
  readonly xLast: GPUBuffer;
  readonly q: GPUBuffer;
  readonly hb: GPUBuffer;
  readonly hb2: GPUBuffer;
  /** Scratch for the `ffn.act` tap (act(W1 x) before the gate's product). */
  readonly hbTap: GPUBuffer;
  readonly att: GPUBuffer;
  readonly logits: GPUBuffer;
  readonly keyCache: GPUBuffer;
  readonly valueCache: GPUBuffer;
  readonly ropeCos: GPUBuffer;
  readonly ropeSin: GPUBuffer;
  readonly logitsStaging: GPUBuffer;
  private readonly all: GPUBuffer[] = [];

  constructor(
    private readonly device: GPUDevice,
    model: Model,
    P: number,
    B: number,
  ) {
    const c = model.config;
    const w = model.weights;
    const { dim, hiddenDim: hidden, nLayers: L, vocabSize: V, nHeads } = c;
    const kvDim = kvDimOf(c);
    const hs = headSize(c);
    const src = USAGE.COPY_SRC; // buffers a trace tap may copy from
    const weight = (label: string, data: Float32Array, extra = 0): GPUBuffer => {
      const b = this.storage(label, data.length, extra);
      writeF32(device.queue, b, data);
      return b;
    };
    const emb = weight('tokenEmbedding', w.tokenEmbedding, src);
    this.weights = {
      tokenEmbedding: emb,
      rmsAtt: weight('rmsAtt', w.rmsAtt),
      wq: weight('wq', w.wq),
      wk: weight('wk', w.wk),
      wv: weight('wv', w.wv),
      wo: weight('wo', w.wo),
      rmsFfn: weight('rmsFfn', w.rmsFfn),
      w1: weight('w1', w.w1),
      w2: weight('w2', w.w2),
      w3: c.ffn === 'swiglu' ? weight('w3', w.w3!) : null,
      rmsFinal: weight('rmsFinal', w.rmsFinal),
      wcls: w.wcls === w.tokenEmbedding ? emb : weight('wcls', w.wcls),
    };
    this.x = this.storage('x', B * dim, src);
    this.xb = this.storage('xb', B * dim, src);
    this.xb2 = this.storage('xb2', B * dim, src);
    this.xLast = this.storage('xLast', dim);
    this.q = this.storage('q', B * dim, src);
    this.hb = this.storage('hb', B * hidden, src);
    this.hb2 = this.storage('hb2', c.ffn === 'swiglu' ? B * hidden : 1, src);
    this.hbTap = this.storage('hbTap', B * hidden, src);
    this.att = this.storage('att', B * nHeads * P, src);
    this.logits = this.storage('logits', B * V, src);
    this.keyCache = this.storage('keyCache', L * P * kvDim, src);
    this.valueCache = this.storage('valueCache', L * P * kvDim, src);
    this.ropeCos = this.storage('ropeCos', (P * hs) / 2);
    this.ropeSin = this.storage('ropeSin', (P * hs) / 2);
    this.logitsStaging = this.staging('logits staging', V * F32);
  }

  private storage(label: string, floats: number, extraUsage = 0): GPUBuffer {
    const b = this.device.createBuffer({
      label,
      size: Math.max(floats, 4) * F32,
      usage: USAGE.STORAGE | USAGE.COPY_DST | extraUsage,
    });
    this.all.push(b);
    return b;
  }

  /** A mappable read-back buffer, destroyed with the rest. */
  staging(label: string, bytes: number): GPUBuffer {
    const b = this.device.createBuffer({
      label,
      size: bytes,
      usage: USAGE.MAP_READ | USAGE.COPY_DST,
    });
    this.all.push(b);
    return b;
  }

  destroy(): void {
    for (const b of this.all) b.destroy();
    this.all.length = 0;
  }
}
