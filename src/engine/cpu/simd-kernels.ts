// The WebAssembly SIMD kernels (simd-kernels.wat) behind the same signatures as ops.ts's
// matmul, matmulBatched, attnScores, softmax, attnMix and silu. WebAssembly can only read its own linear memory, so every array
// handed to these functions must be a view into `memory.buffer` (the CPU forward pass allocates
// its run state, KV cache and a copy of the weight matrices there, once). The memory never grows, so the
// views stay valid for the backend's lifetime. The weights are stored in the kernels' own
// "rows4" layout (see packRows4 and the .wat), so they go in through place()/placeInto().
import * as ops from './ops.ts';
import { WASM_BASE64 } from './simd-kernels.wasm.ts';

/** The kernels that dominate a forward pass, and the weight layout they read. */
export interface CpuKernels {
  readonly kind: 'simd' | 'js';
  /** out[outOff + i] = sum_j W[i, j] * x[xOff + j], i < d; W (d, n) starts at wOff (see ops.ts). */
  matmul(
    out: Float32Array,
    outOff: number,
    x: Float32Array,
    xOff: number,
    w: Float32Array,
    wOff: number,
    n: number,
    d: number,
  ): void;
  /** out (T, d) = X (T, n) @ W^T (see ops.ts). */
  matmulBatched(
    out: Float32Array,
    x: Float32Array,
    w: Float32Array,
    wOff: number,
    T: number,
    n: number,
    d: number,
  ): void;
  /** One head's attention scores (see ops.ts attnScores). */
  attnScores(
    att: Float32Array,
    attOff: number,
    q: Float32Array,
    qOff: number,
    kCache: Float32Array,
    kOff: number,
    kvStride: number,
    headSize: number,
    nPos: number,
  ): void;
  /** One head's probability-weighted sum of values (see ops.ts attnMix). */
  attnMix(
    out: Float32Array,
    outOff: number,
    att: Float32Array,
    attOff: number,
    vCache: Float32Array,
    vOff: number,
    kvStride: number,
    headSize: number,
    nPos: number,
  ): void;
  /** attnScores through a paged KV cache's block table (see ops.ts attnScoresPaged). */
  attnScoresPaged(
    att: Float32Array,
    attOff: number,
    q: Float32Array,
    qOff: number,
    kPool: Float32Array,
    kOff: number,
    table: Int32Array,
    blockStride: number,
    blockSize: number,
    kvStride: number,
    headSize: number,
    nPos: number,
  ): void;
  /** attnMix through a paged KV cache's block table (see ops.ts attnMixPaged). */
  attnMixPaged(
    out: Float32Array,
    outOff: number,
    att: Float32Array,
    attOff: number,
    vPool: Float32Array,
    vOff: number,
    table: Int32Array,
    blockStride: number,
    blockSize: number,
    kvStride: number,
    headSize: number,
    nPos: number,
  ): void;
  /** In-place softmax of x[off .. off+n) (see ops.ts). */
  softmax(x: Float32Array, off: number, n: number): void;
  /** In-place SiLU of x[off .. off+n) (see ops.ts). */
  silu(x: Float32Array, off: number, n: number): void;
  /** A zeroed float32 array of n elements that the kernels can read and write. */
  alloc(n: number): Float32Array;
  /**
   * `layers` row-major (d, n) matrices back to back, in the layout the kernels read; matrix l
   * starts at l*d*n either way. The JS kernels return src itself (no copy).
   */
  place(src: Float32Array, layers: number, d: number, n: number): Float32Array;
  /** Like place, into an array from alloc() (e.g. mean-pooled K/V weights, on a knob change). */
  placeInto(dst: Float32Array, src: Float32Array, layers: number, d: number, n: number): void;
}

/** ops.ts's kernels: row-major weights anywhere in the JS heap, float64 sums. */
export const JS_KERNELS: CpuKernels = {
  kind: 'js',
  matmul: ops.matmul,
  matmulBatched: ops.matmulBatched,
  attnScores: ops.attnScores,
  attnMix: ops.attnMix,
  attnScoresPaged: ops.attnScoresPaged,
  attnMixPaged: ops.attnMixPaged,
  softmax: ops.softmax,
  silu: ops.silu,
  alloc: (n) => new Float32Array(n),
  place: (src) => src,
  placeInto: (dst, src, layers, d, n) => dst.set(src.subarray(0, layers * d * n)),
};

export interface SimdKernels extends CpuKernels {
  readonly memory: WebAssembly.Memory;
  /** x[off + i] = e^x[off + i] with the kernels' float32x4 exp (exposed for its accuracy test). */
  expInPlace(x: Float32Array, off: number, n: number): void;
}

/**
 * Write the row-major matrix src[srcOff ..] (d, n) into dst[dstOff ..] in the rows4 layout:
 * rows in blocks of 4; per block, for each 4-column group j < n - n%4 the 4 rows' 4 values
 * (r0[j..j+3], r1[j..j+3], r2[..], r3[..]), then each row's n%4 tail columns; the last d%4 rows
 * stay row-major. It takes exactly d*n floats.
 */
export function packRows4(
  dst: Float32Array,
  dstOff: number,
  src: Float32Array,
  srcOff: number,
  d: number,
  n: number,
): void {
  const n4 = n & ~3;
  const d4 = d & ~3;
  let q = dstOff;
  for (let i = 0; i < d4; i += 4) {
    for (let g = 0; g < n4; g += 4) {
      for (let r = 0; r < 4; r++) {
        const row = srcOff + (i + r) * n + g;
        for (let c = 0; c < 4; c++) dst[q++] = src[row + c];
      }
    }
    for (let r = 0; r < 4; r++) {
      for (let c = n4; c < n; c++) dst[q++] = src[srcOff + (i + r) * n + c];
    }
  }
  for (let i = d4 * n; i < d * n; i++) dst[q++] = src[srcOff + i];
}

interface Exports {
  matmul(out: number, x: number, w: number, n: number, d: number): void;
  matmul_batched(out: number, x: number, w: number, T: number, n: number, d: number): void;
  attn_scores(
    att: number,
    q: number,
    kc: number,
    strideB: number,
    hs: number,
    nPos: number,
    scale: number,
  ): void;
  attn_mix(out: number, att: number, vc: number, strideB: number, hs: number, nPos: number): void;
  attn_mix_acc(
    out: number,
    att: number,
    vc: number,
    strideB: number,
    hs: number,
    nPos: number,
  ): void;
  softmax(x: number, n: number): void;
  silu(x: number, n: number): void;
  exp_inplace(x: number, n: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The compiled module, or null where WebAssembly SIMD is unavailable. Compiled once. */
export function simdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = decodeBase64(WASM_BASE64);
    compiled =
      typeof WebAssembly === 'object' && WebAssembly.validate(bytes)
        ? new WebAssembly.Module(bytes)
        : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Largest memory we ask for: 2 GiB (wasm32 allows 4 GiB; browsers often refuse more). */
export const MAX_SIMD_BYTES = 2 ** 31;

/**
 * Kernels with a memory of `floats` float32 slots, handed out in order by alloc(). Returns null
 * where WebAssembly SIMD is unavailable or the memory would be too large.
 */
export function createSimdKernels(floats: number): SimdKernels | null {
  const mod = simdModule();
  const bytes = floats * 4 + 64;
  if (!mod || bytes > MAX_SIMD_BYTES) return null;
  const pages = Math.ceil(bytes / 65536);
  let memory: WebAssembly.Memory;
  let ex: Exports;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    // Synchronous instantiation: browsers allow it on the main thread for modules up to 4 KB
    // (this one is smaller; a test keeps it so), and anywhere in a Worker.
    ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Exports;
  } catch {
    return null; // the host refused that much memory, or synchronous instantiation
  }
  const buffer = memory.buffer;
  let next = 0;
  const ptr = (a: Float32Array, off: number): number => {
    if (a.buffer !== buffer) throw new Error('SIMD kernels need arrays inside their own memory');
    return a.byteOffset + off * 4;
  };
  const alloc = (n: number): Float32Array => {
    if (next + n > floats) throw new Error(`SIMD memory exhausted (${floats} floats)`);
    const a = new Float32Array(buffer, next * 4, n);
    next += n;
    return a;
  };
  const placeInto = (
    dst: Float32Array,
    src: Float32Array,
    layers: number,
    d: number,
    n: number,
  ): void => {
    for (let l = 0; l < layers; l++) packRows4(dst, l * d * n, src, l * d * n, d, n);
  };
  return {
    kind: 'simd',
    memory,
    alloc,
    place(src, layers, d, n) {
      const dst = alloc(layers * d * n);
      placeInto(dst, src, layers, d, n);
      return dst;
    },
    placeInto,
    matmul(out, outOff, x, xOff, w, wOff, n, d) {
      ex.matmul(ptr(out, outOff), ptr(x, xOff), ptr(w, wOff), n, d);
    },
    matmulBatched(out, x, w, wOff, T, n, d) {
      ex.matmul_batched(ptr(out, 0), ptr(x, 0), ptr(w, wOff), T, n, d);
    },
    attnScores(att, attOff, q, qOff, kCache, kOff, kvStride, headSize, nPos) {
      const scale = Math.fround(Math.sqrt(headSize));
      ex.attn_scores(
        ptr(att, attOff),
        ptr(q, qOff),
        ptr(kCache, kOff),
        kvStride * 4,
        headSize,
        nPos,
        scale,
      );
    },
    softmax(x, off, n) {
      ex.softmax(ptr(x, off), n);
    },
    silu(x, off, n) {
      ex.silu(ptr(x, off), n);
    },
    expInPlace(x, off, n) {
      ex.exp_inplace(ptr(x, off), n);
    },
    attnMix(out, outOff, att, attOff, vCache, vOff, kvStride, headSize, nPos) {
      ex.attn_mix(
        ptr(out, outOff),
        ptr(att, attOff),
        ptr(vCache, vOff),
        kvStride * 4,
        headSize,
        nPos,
      );
    },
    // Paged: the contiguous kernels once per block. Scores are independent per position; the
    // mix accumulates block after block into out (attn_mix_acc), the same float32 sums in the
    // same order as attn_mix over one contiguous run of positions.
    attnScoresPaged(att, attOff, q, qOff, kPool, kOff, table, blockStride, bs, kvStride, hs, nPos) {
      const scale = Math.fround(Math.sqrt(hs));
      const qp = ptr(q, qOff);
      for (let b = 0, t = 0; t < nPos; b++, t += bs) {
        const kc = ptr(kPool, kOff + table[b] * blockStride);
        ex.attn_scores(
          ptr(att, attOff + t),
          qp,
          kc,
          kvStride * 4,
          hs,
          Math.min(bs, nPos - t),
          scale,
        );
      }
    },
    attnMixPaged(
      out,
      outOff,
      att,
      attOff,
      vPool,
      vOff,
      table,
      blockStride,
      bs,
      kvStride,
      hs,
      nPos,
    ) {
      out.fill(0, outOff, outOff + hs);
      const op = ptr(out, outOff);
      for (let b = 0, t = 0; t < nPos; b++, t += bs) {
        const vc = ptr(vPool, vOff + table[b] * blockStride);
        ex.attn_mix_acc(op, ptr(att, attOff + t), vc, kvStride * 4, hs, Math.min(bs, nPos - t));
      }
    },
  };
}
