// Where each tensor lives inside one flat parameter vector. The order is llama2.c's legacy (v0)
// file order (token embedding, attention norms, wq, wk, wv, wo, ffn norms, w1, w2, w3, final norm,
// [classifier]), all layers of one tensor type back to back, each matrix row-major (out, in), so
// the trainer's parameters map one-to-one onto the engine's `Weights` views.

import { kvDim } from '../engine/config.ts';
import type { Config, Weights } from '../engine/types.ts';
import type { Arr } from './ops.ts';

export interface Tensor {
  name: keyof Weights;
  offset: number;
  size: number;
  /** Matrices get weight decay; norm gains do not (LLaMA recipe). */
  decay: boolean;
  /** Row-major shape, per layer tensors with the layer as the first dimension. */
  shape: number[];
}

export interface Layout {
  tensors: Tensor[];
  byName: Map<keyof Weights, Tensor>;
  total: number;
}

/** kv_dim, the engine's shape helper (one definition). */
export { kvDim };

export function makeLayout(c: Config): Layout {
  const { dim: d, hiddenDim: h, nLayers: L, vocabSize: V } = c;
  const kv = kvDim(c);
  const spec: [keyof Weights, number[], boolean][] = [
    ['tokenEmbedding', [V, d], true],
    ['rmsAtt', [L, d], false],
    ['wq', [L, d, d], true],
    ['wk', [L, kv, d], true],
    ['wv', [L, kv, d], true],
    ['wo', [L, d, d], true],
    ['rmsFfn', [L, d], false],
    ['w1', [L, h, d], true],
    ['w2', [L, d, h], true],
  ];
  if (c.ffn === 'swiglu') spec.push(['w3', [L, h, d], true]);
  spec.push(['rmsFinal', [d], false]);
  if (!c.sharedClassifier) spec.push(['wcls', [V, d], true]);
  const tensors: Tensor[] = [];
  let offset = 0;
  for (const [name, shape, decay] of spec) {
    const size = shape.reduce((a, b) => a * b, 1);
    tensors.push({ name, offset, size, decay, shape });
    offset += size;
  }
  return { tensors, byName: new Map(tensors.map((t) => [t.name, t])), total: offset };
}

/** Views of a flat vector as named tensors (the classifier aliases the embedding when shared). */
export function viewsOf<A extends Arr>(layout: Layout, flat: A): Record<keyof Weights, A | null> {
  const get = (n: keyof Weights): A | null => {
    const t = layout.byName.get(n);
    return t ? (flat.subarray(t.offset, t.offset + t.size) as A) : null;
  };
  return {
    tokenEmbedding: get('tokenEmbedding'),
    rmsAtt: get('rmsAtt'),
    wq: get('wq'),
    wk: get('wk'),
    wv: get('wv'),
    wo: get('wo'),
    rmsFfn: get('rmsFfn'),
    w1: get('w1'),
    w2: get('w2'),
    w3: get('w3'),
    rmsFinal: get('rmsFinal'),
    wcls: get('wcls') ?? get('tokenEmbedding'),
  };
}

/** Engine `Weights` (float32 views) over a flat float32 parameter vector. */
export function weightsOf(layout: Layout, flat: Float32Array): Weights {
  const v = viewsOf(layout, flat);
  const need = (a: Float32Array | null, n: string): Float32Array => {
    if (!a) throw new Error(`internal: tensor ${n} missing from the layout`);
    return a;
  };
  return {
    tokenEmbedding: need(v.tokenEmbedding, 'tokenEmbedding'),
    rmsAtt: need(v.rmsAtt, 'rmsAtt'),
    wq: need(v.wq, 'wq'),
    wk: need(v.wk, 'wk'),
    wv: need(v.wv, 'wv'),
    wo: need(v.wo, 'wo'),
    rmsFfn: need(v.rmsFfn, 'rmsFfn'),
    w1: need(v.w1, 'w1'),
    w2: need(v.w2, 'w2'),
    w3: v.w3,
    rmsFinal: need(v.rmsFinal, 'rmsFinal'),
    wcls: need(v.wcls, 'wcls'),
  };
}
