// Every formula chapter 4 shows, as small pure functions in float64. The figures compute with
// these, and tests/unit/chapters/04-attention.test.ts checks them against the engine (its trace
// of a real forward pass, its kvGroups knob, its parameter count) and against the facts sheet.
//
// Shapes, as in run.c: d = dim, h = n_heads query heads, h_kv = n_kv_heads K/V heads,
// d_k = head_dim = d / h, L = n_layers. A weight matrix is row-major (out_features, in_features).
import { m } from '$paraglide/messages.js';
import { softmax64 } from '$engine/math.ts';

/** The LLaMA configurations of docs/reference/llama-facts.md (architecture constants table). */
export interface LlamaConfig {
  id: string;
  name: string;
  dim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  ffnHidden: number;
  vocab: number;
  /** Longest context released for this architecture, in tokens (Llama 3.1 for the Llama 3 rows). */
  context: number;
  /** The context lengths in words, from the facts sheet's family table. */
  contextNote: string;
}

export const LLAMA_CONFIGS: readonly LlamaConfig[] = [
  {
    id: 'llama1-7b',
    name: 'LLaMA 1 7B',
    dim: 4096,
    nLayers: 32,
    nHeads: 32,
    nKvHeads: 32,
    ffnHidden: 11008,
    vocab: 32000,
    context: 2048,
    contextNote: '2,048',
  },
  {
    id: 'llama1-13b',
    name: 'LLaMA 1 13B',
    dim: 5120,
    nLayers: 40,
    nHeads: 40,
    nKvHeads: 40,
    ffnHidden: 13824,
    vocab: 32000,
    context: 2048,
    contextNote: '2,048',
  },
  {
    id: 'llama1-33b',
    name: 'LLaMA 1 33B',
    dim: 6656,
    nLayers: 60,
    nHeads: 52,
    nKvHeads: 52,
    ffnHidden: 17920,
    vocab: 32000,
    context: 2048,
    contextNote: '2,048',
  },
  {
    id: 'llama1-65b',
    name: 'LLaMA 1 65B',
    dim: 8192,
    nLayers: 80,
    nHeads: 64,
    nKvHeads: 64,
    ffnHidden: 22016,
    vocab: 32000,
    context: 2048,
    contextNote: '2,048',
  },
  {
    id: 'llama2-7b',
    name: 'Llama 2 7B',
    dim: 4096,
    nLayers: 32,
    nHeads: 32,
    nKvHeads: 32,
    ffnHidden: 11008,
    vocab: 32000,
    context: 4096,
    contextNote: '4,096',
  },
  {
    id: 'llama2-13b',
    name: 'Llama 2 13B',
    dim: 5120,
    nLayers: 40,
    nHeads: 40,
    nKvHeads: 40,
    ffnHidden: 13824,
    vocab: 32000,
    context: 4096,
    contextNote: '4,096',
  },
  {
    id: 'llama2-70b',
    name: 'Llama 2 70B',
    dim: 8192,
    nLayers: 80,
    nHeads: 64,
    nKvHeads: 8,
    ffnHidden: 28672,
    vocab: 32000,
    context: 4096,
    contextNote: '4,096',
  },
  {
    id: 'llama3-8b',
    name: 'Llama 3 8B',
    dim: 4096,
    nLayers: 32,
    nHeads: 32,
    nKvHeads: 8,
    ffnHidden: 14336,
    vocab: 128256,
    context: 131072,
    contextNote: '8,192 (Llama 3); 128K (Llama 3.1)',
  },
  {
    id: 'llama3-70b',
    name: 'Llama 3 70B',
    dim: 8192,
    nLayers: 80,
    nHeads: 64,
    nKvHeads: 8,
    ffnHidden: 28672,
    vocab: 128256,
    context: 131072,
    contextNote: '8,192 (Llama 3); 128K (Llama 3.1)',
  },
  {
    id: 'llama31-405b',
    name: 'Llama 3.1 405B',
    dim: 16384,
    nLayers: 126,
    nHeads: 128,
    nKvHeads: 8,
    ffnHidden: 53248,
    vocab: 128256,
    context: 131072,
    contextNote: '128K',
  },
];

export function llamaConfig(id: string): LlamaConfig {
  return LLAMA_CONFIGS.find((c) => c.id === id) ?? LLAMA_CONFIGS[6];
}

/** d_k = d / h. */
export function headDim(c: { dim: number; nHeads: number }): number {
  return c.dim / c.nHeads;
}

export type Dtype = 'fp16' | 'fp32';
export const BYTES_PER_VALUE: Record<Dtype, number> = { fp16: 2, fp32: 4 };

// ---------------------------------------------------------------------------------------------
// Which K/V head a query head reads: run.c's `(h / kv_mul) * head_size`, kv_mul = h / h_kv.

/** The divisors of n, ascending: the valid numbers of K/V heads (or of groups) for n heads. */
export function divisors(n: number): number[] {
  const out: number[] = [];
  for (let g = 1; g <= n; g++) if (n % g === 0) out.push(g);
  return out;
}

/** kv_mul = h / h_kv: how many query heads share one K/V head. */
export function kvMul(nHeads: number, nKvHeads: number): number {
  if (
    !Number.isInteger(nHeads) ||
    !Number.isInteger(nKvHeads) ||
    nKvHeads < 1 ||
    nHeads % nKvHeads !== 0
  ) {
    throw new Error(`${nKvHeads} K/V heads do not divide ${nHeads} query heads evenly`);
  }
  return nHeads / nKvHeads;
}

/** g(i) = floor(i / kv_mul): consecutive query heads share a K/V head. */
export function kvHeadOf(h: number, nHeads: number, nKvHeads: number): number {
  return Math.floor(h / kvMul(nHeads, nKvHeads));
}

/** The whole map, query head -> K/V head (the diagram draws one line per entry). */
export function headSharingMap(nHeads: number, nKvHeads: number): number[] {
  return Array.from({ length: nHeads }, (_, h) => kvHeadOf(h, nHeads, nKvHeads));
}

/** The query heads that read K/V head j. */
export function queryHeadsOf(j: number, nHeads: number, nKvHeads: number): number[] {
  const m = kvMul(nHeads, nKvHeads);
  return Array.from({ length: m }, (_, i) => j * m + i);
}

export type AttentionKind = 'MHA' | 'GQA' | 'MQA';

/** MHA when every query head has its own K/V head, MQA when all share one, GQA in between. */
export function attentionKind(nHeads: number, nKvHeads: number): AttentionKind {
  if (nKvHeads === nHeads) return 'MHA';
  if (nKvHeads === 1) return 'MQA';
  return 'GQA';
}

// ---------------------------------------------------------------------------------------------
// Scaled dot-product attention of one query head over the cache (causal: positions 0..t only).

/** s_j = q . k_j / sqrt(d_k) for the rows k_j of K (each of width d_k). */
export function scores(q: ArrayLike<number>, keys: readonly ArrayLike<number>[]): number[] {
  const dk = q.length;
  return keys.map((k) => {
    let s = 0;
    for (let i = 0; i < dk; i++) s += q[i] * k[i];
    return s / Math.sqrt(dk);
  });
}

/** softmax(s)_j = exp(s_j - max s) / sum_i exp(s_i - max s). */
export function softmax(s: readonly number[]): number[] {
  return Array.from(softmax64(s)); // the engine's float64 softmax
}

/** o = sum_j p_j v_j. */
export function mix(p: readonly number[], values: readonly ArrayLike<number>[]): number[] {
  const dk = values[0]?.length ?? 0;
  const o = new Array<number>(dk).fill(0);
  p.forEach((pj, j) => {
    for (let i = 0; i < dk; i++) o[i] += pj * values[j][i];
  });
  return o;
}

/** Attention(q, K, V) = softmax(q K^T / sqrt(d_k)) V for one query row. */
export function attend(
  q: ArrayLike<number>,
  keys: readonly ArrayLike<number>[],
  values: readonly ArrayLike<number>[],
): { probs: number[]; out: number[] } {
  const probs = softmax(scores(q, keys));
  return { probs, out: mix(probs, values) };
}

// ---------------------------------------------------------------------------------------------
// The KV cache: what it holds and what it costs.

export interface KvShape {
  nLayers: number;
  nKvHeads: number;
  headDim: number;
}

/** Bytes per token = 2 (K and V) * L * h_kv * d_k * bytes per value. */
export function kvBytesPerToken(s: KvShape, bytesPerValue: number): number {
  return 2 * s.nLayers * s.nKvHeads * s.headDim * bytesPerValue;
}

/** The whole cache: bytes per token * tokens of context * sequences in the batch. */
export function kvCacheBytes(
  s: KvShape,
  bytesPerValue: number,
  context: number,
  batch = 1,
): number {
  return kvBytesPerToken(s, bytesPerValue) * context * batch;
}

/** The same model with a different number of K/V heads (MHA: h, MQA: 1). */
export function withKvHeads(c: LlamaConfig, nKvHeads: number): KvShape {
  return { nLayers: c.nLayers, nKvHeads, headDim: headDim(c) };
}

export function kvShape(c: LlamaConfig): KvShape {
  return withKvHeads(c, c.nKvHeads);
}

/** Bytes in words with binary units (KiB = 1024 B), as the facts sheet writes them. */
export function formatBytes(b: number): string {
  if (!Number.isFinite(b) || b < 0) return m.ch04_not_a_size();
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let u = 0;
  let v = b;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  const digits = u === 0 || Number.isInteger(v) ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0;
  // 2.50 MiB -> 2.5 MiB: no trailing zeros
  return `${Number(v.toFixed(digits))} ${units[u]}`;
}

// ---------------------------------------------------------------------------------------------
// Why decoding is memory-bound: bytes moved and arithmetic done per decoding step.

/**
 * Weights every decoding step must read: the matrices of each block (W_Q, W_K, W_V, W_O, and the
 * three FFN matrices), the two norm gains per block, the final norm and the classifier (V x d).
 * The embedding table is not read whole (one row per token), so it is not counted.
 */
export function weightsReadPerStep(c: LlamaConfig): number {
  const d = c.dim;
  const kvDim = c.nKvHeads * headDim(c);
  const perLayer = 2 * d * d + 2 * d * kvDim + 3 * d * c.ffnHidden + 2 * d;
  return c.nLayers * perLayer + d + c.vocab * d;
}

/** All parameters, with separate embedding and classifier tables (the llama2.c file's count). */
export function paramCount(
  c: Pick<LlamaConfig, 'dim' | 'nLayers' | 'nHeads' | 'nKvHeads' | 'ffnHidden' | 'vocab'>,
  sharedClassifier = false,
): number {
  const d = c.dim;
  const kvDim = (c.nKvHeads * d) / c.nHeads;
  const perLayer = 2 * d * d + 2 * d * kvDim + 3 * d * c.ffnHidden + 2 * d;
  return c.nLayers * perLayer + d + c.vocab * d * (sharedClassifier ? 1 : 2);
}

export interface DecodeCost {
  /** Bytes of weights read by one decoding step (shared by every sequence of the batch). */
  weightBytes: number;
  /** Bytes of K/V cache read by one step: every sequence reads its whole cache. */
  kvBytes: number;
  /** Floating-point operations of one step for the whole batch (a multiply-add counts 2). */
  flops: number;
  /** flops / (weightBytes + kvBytes): how much arithmetic each byte fetched from memory feeds. */
  flopsPerByte: number;
}

/**
 * One decoding step (one new token for each of `batch` sequences, each with `context` cached
 * positions). Matrix-vector products cost 2 flops per weight per sequence; attention costs
 * 2 * d_k per head per cached position for q.k and the same for p.v, so 4 * L * context * d per
 * sequence (d = h * d_k). Softmax and norms are negligible next to these.
 */
export function decodeCost(
  c: LlamaConfig,
  nKvHeads: number,
  context: number,
  batch: number,
  bytesPerValue: number,
): DecodeCost {
  const shape = withKvHeads(c, nKvHeads);
  const w = weightsReadPerStep({ ...c, nKvHeads });
  const weightBytes = w * bytesPerValue;
  const kvBytes = kvCacheBytes(shape, bytesPerValue, context, batch);
  const flops = batch * (2 * w + 4 * c.nLayers * context * c.dim);
  return { weightBytes, kvBytes, flops, flopsPerByte: flops / (weightBytes + kvBytes) };
}

// ---------------------------------------------------------------------------------------------
// Converting a checkpoint: mean-pool the K/V projection heads of each group (GQA paper).

/**
 * Mean-pool the K (or V) projection of `nKvHeads` heads into `groups` heads (the page's h heads
 * into h_kv): new head j is the mean of the group G_j = heads j*m .. j*m+m-1, with group size
 * m = nKvHeads / groups (the page's h / h_kv). `w` is one layer's (nKvHeads*d_k, dim) matrix;
 * the result is (groups*d_k, dim). Sums in float64, like the engine's kvGroups knob.
 */
export function meanPoolHeads(
  w: ArrayLike<number>,
  nKvHeads: number,
  groups: number,
  headDimension: number,
  dim: number,
): Float32Array {
  const m = kvMul(nKvHeads, groups);
  const out = new Float32Array(groups * headDimension * dim);
  for (let j = 0; j < groups; j++) {
    for (let r = 0; r < headDimension; r++) {
      for (let c = 0; c < dim; c++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += w[((j * m + i) * headDimension + r) * dim + c];
        out[(j * headDimension + r) * dim + c] = s / m;
      }
    }
  }
  return out;
}

/** Positions of the KV cache filled after `generated` tokens of a P-token prompt (generate.ts). */
export function filledPositions(promptTokens: number, generated: number): number {
  if (promptTokens <= 0) return 0;
  return promptTokens + Math.max(generated - 1, 0);
}
