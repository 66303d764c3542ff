// The matrix product every layer of the trainer is written in, and where its buffers live.
//
//   mm(C, A, B, M, N, K, sam, sak, ldb, ldc, flags):
//     C[m*ldc + n] (+)= sum_k A[m*sam + k*sak] * B[k*ldb + n]        m < M, n < N, k < K
//
// (offsets and strides in elements; flags as in wasm-gemm.ts: accumulate, causal columns,
// causal k, k from m). One product with free strides covers all three products of a linear layer
// and the four of attention without any transposed copies of activations:
//   y  = x W^T  : A = x (row-major),           B = W^T (a transposed copy of the small weight)
//   dx = dy W   : A = dy,                      B = W
//   dW = dy^T x : A = dy read transposed,      B = x
//
// Three implementations: 'wasm' (f32x4 SIMD kernel, buffers inside its WebAssembly memory),
// 'js' (plain loops over Float32Array) and 'f64' (plain loops over Float64Array, for the
// finite-difference gradient checks). Results of 'wasm' and 'js' agree to float32 rounding.

import { swigluBackward, swigluForward, type Arr } from './ops.ts';
import {
  MAX_PAGES,
  MM_ACC,
  MM_CAUSAL_K,
  MM_CAUSAL_N,
  MM_K_FROM_M,
  instantiateKernels,
  type MmFn,
} from './wasm-kernels.ts';
import { TrainError } from './errors.ts';

export type KernelKind = 'js' | 'wasm' | 'f64';

/** Chunk of the summed dimension for long products (see mm below). */
const K_CHUNK = 256;

export interface Kernels {
  readonly kind: KernelKind;
  /** A zeroed buffer the kernel can address. */
  alloc(n: number): Arr;
  mm(
    C: Arr,
    c0: number,
    A: Arr,
    a0: number,
    B: Arr,
    b0: number,
    M: number,
    N: number,
    K: number,
    sam: number,
    sak: number,
    ldb: number,
    ldc: number,
    flags: number,
  ): void;
  /**
   * Causal softmax of the (T, T) block at P[p0..]: row t over s <= t of scale * P[t, s]; the
   * entries t < s < roundup4(t+1) are set to 0 (the SIMD product reads them).
   */
  softmax(P: Arr, p0: number, T: number, scale: number): void;
  /** Its backward: dS = P * (dS - sum_s P dS) * scale over s <= t, zero after the diagonal as above. */
  softmaxBack(dS: Arr, d0: number, P: Arr, p0: number, T: number, scale: number): void;
  /** Every row of X (rows, cols) at x0 becomes outScale * softmax(row) (the classifier's probabilities). */
  softmaxRows(X: Arr, x0: number, rows: number, cols: number, outScale: number): void;
  /** SwiGLU gate with SiLU and its backward (ops.ts swigluForward/swigluBackward, act 'silu'). */
  swiglu(a: Arr, h1: Arr, h3: Arr, n: number): void;
  swigluBack(dh1: Arr, dh3: Arr, da: Arr, h1: Arr, h3: Arr, n: number): void;
}

function softmaxRowsLoops(X: Arr, x0: number, rows: number, cols: number, outScale: number): void {
  for (let r = 0; r < rows; r++) {
    const o = x0 + r * cols;
    let max = -Infinity;
    for (let i = 0; i < cols; i++) if (X[o + i] > max) max = X[o + i];
    let sum = 0;
    for (let i = 0; i < cols; i++) {
      const e = Math.exp(X[o + i] - max);
      X[o + i] = e;
      sum += e;
    }
    const inv = outScale / sum;
    for (let i = 0; i < cols; i++) X[o + i] *= inv;
  }
}

function zeroBand(p: Arr, o: number, t: number, T: number): void {
  const end = Math.min(T, (t + 4) & ~3);
  for (let s = t + 1; s < end; s++) p[o + s] = 0;
}

function softmaxLoops(P: Arr, p0: number, T: number, scale: number): void {
  for (let t = 0; t < T; t++) {
    const o = p0 + t * T;
    let max = -Infinity;
    for (let s = 0; s <= t; s++) {
      const x = P[o + s] * scale;
      P[o + s] = x;
      if (x > max) max = x;
    }
    let sum = 0;
    for (let s = 0; s <= t; s++) {
      const e = Math.exp(P[o + s] - max);
      P[o + s] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let s = 0; s <= t; s++) P[o + s] *= inv;
    zeroBand(P, o, t, T);
  }
}

function softmaxBackLoops(dS: Arr, d0: number, P: Arr, p0: number, T: number, scale: number): void {
  for (let t = 0; t < T; t++) {
    const o = d0 + t * T;
    const po = p0 + t * T;
    let pdp = 0;
    for (let s = 0; s <= t; s++) pdp += P[po + s] * dS[o + s];
    for (let s = 0; s <= t; s++) dS[o + s] = P[po + s] * (dS[o + s] - pdp) * scale;
    zeroBand(dS, o, t, T);
  }
}

/** The product in plain loops, for columns n0 <= n < N (the exact triangle under the causal flags). */
function mmLoops(
  C: Arr,
  c0: number,
  A: Arr,
  a0: number,
  B: Arr,
  b0: number,
  M: number,
  n0: number,
  N: number,
  K: number,
  sam: number,
  sak: number,
  ldb: number,
  ldc: number,
  flags: number,
): void {
  const accumulate = (flags & MM_ACC) !== 0;
  for (let m = 0; m < M; m++) {
    const kS = flags & MM_K_FROM_M ? m : 0;
    const kE = flags & MM_CAUSAL_K ? Math.min(K, m + 1) : K;
    const nE = flags & MM_CAUSAL_N ? Math.min(N, m + 1) : N;
    const cRow = c0 + m * ldc;
    const aRow = a0 + m * sam;
    let n = n0;
    // four columns at a time: each A value is loaded once for four products
    for (; n + 4 <= nE; n += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // prettier-ignore
      let pa = aRow + kS * sak;
      let pb = b0 + kS * ldb + n;
      for (let k = kS; k < kE; k++) {
        const a = A[pa];
        s0 += a * B[pb];
        s1 += a * B[pb + 1];
        s2 += a * B[pb + 2];
        s3 += a * B[pb + 3];
        pa += sak;
        pb += ldb;
      }
      if (accumulate) {
        C[cRow + n] += s0;
        C[cRow + n + 1] += s1;
        C[cRow + n + 2] += s2;
        C[cRow + n + 3] += s3;
      } else {
        C[cRow + n] = s0;
        C[cRow + n + 1] = s1;
        C[cRow + n + 2] = s2;
        C[cRow + n + 3] = s3;
      }
    }
    for (; n < nE; n++) {
      let s = 0;
      for (let k = kS; k < kE; k++) s += A[aRow + k * sak] * B[b0 + k * ldb + n];
      if (accumulate) C[cRow + n] += s;
      else C[cRow + n] = s;
    }
  }
}

export function jsKernels(kind: 'js' | 'f64' = 'js'): Kernels {
  const Ctor = kind === 'f64' ? Float64Array : Float32Array;
  return {
    kind,
    alloc: (n) => new Ctor(n),
    mm: (C, c0, A, a0, B, b0, M, N, K, sam, sak, ldb, ldc, flags) =>
      mmLoops(C, c0, A, a0, B, b0, M, 0, N, K, sam, sak, ldb, ldc, flags),
    softmax: softmaxLoops,
    softmaxBack: softmaxBackLoops,
    softmaxRows: softmaxRowsLoops,
    swiglu: (a, h1, h3, n) => swigluForward(a, h1, h3, n, 'silu'),
    swigluBack: (dh1, dh3, da, h1, h3, n) => swigluBackward(dh1, dh3, da, h1, h3, n, 'silu'),
  };
}

/**
 * SIMD kernels over one shared WebAssembly memory (shared, so growing it for a new buffer never
 * detaches the views already handed out). Columns past the last multiple of 4 go to the loops.
 */
export function wasmKernels(): Kernels {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
  const wk = instantiateKernels(memory);
  const mmW: MmFn = wk.mm;
  let top = 64; // byte 0.. kept unused; every buffer 64-byte aligned
  const alloc = (n: number): Float32Array => {
    const bytes = Math.ceil((n * 4) / 64) * 64;
    const need = top + bytes;
    const have = memory.buffer.byteLength;
    if (need > have) {
      const pages = Math.ceil((need - have) / 65536);
      if (have / 65536 + pages > MAX_PAGES)
        throw new TrainError('train_buffers_too_large', { gib: MAX_PAGES / 16384 });
      memory.grow(pages);
    }
    const view = new Float32Array(memory.buffer, top, n);
    top = need;
    return view;
  };
  return {
    kind: 'wasm',
    alloc,
    mm: (C, c0, A, a0, B, b0, M, N, K, sam, sak, ldb, ldc, flags) => {
      const N4 = N & ~3;
      if (N4 > 0) {
        const c = C.byteOffset + 4 * c0;
        const a = A.byteOffset + 4 * a0;
        const b = B.byteOffset + 4 * b0;
        if ((flags & ~MM_ACC) === 0 && K > 2 * K_CHUNK) {
          // long sums (weight gradients, K = rows of the batch): K in chunks, so that the slices
          // of A and B being streamed stay in cache while every block of C is visited
          for (let k0 = 0; k0 < K; k0 += K_CHUNK) {
            const kc = Math.min(K_CHUNK, K - k0);
            const f = k0 === 0 ? flags : flags | MM_ACC;
            mmW(
              c,
              a + 4 * k0 * sak,
              b + 4 * k0 * ldb,
              M,
              N4,
              kc,
              4 * sam,
              4 * sak,
              4 * ldb,
              4 * ldc,
              f,
            );
          }
        } else {
          mmW(c, a, b, M, N4, K, 4 * sam, 4 * sak, 4 * ldb, 4 * ldc, flags);
        }
      }
      if (N4 < N) mmLoops(C, c0, A, a0, B, b0, M, N4, N, K, sam, sak, ldb, ldc, flags);
    },
    // the SIMD rows work on whole vectors: T must be a multiple of 4
    softmax: (P, p0, T, scale) =>
      T % 4 === 0
        ? wk.softmax(P.byteOffset + 4 * p0, T, T, scale, 1, 1)
        : softmaxLoops(P, p0, T, scale),
    softmaxBack: (dS, d0, P, p0, T, scale) =>
      T % 4 === 0
        ? wk.softmaxBack(dS.byteOffset + 4 * d0, P.byteOffset + 4 * p0, T, scale)
        : softmaxBackLoops(dS, d0, P, p0, T, scale),
    softmaxRows: (X, x0, rows, cols, outScale) =>
      cols % 4 === 0
        ? wk.softmax(X.byteOffset + 4 * x0, rows, cols, 1, outScale, 0)
        : softmaxRowsLoops(X, x0, rows, cols, outScale),
    swiglu: (a, h1, h3, n) =>
      n % 4 === 0
        ? wk.swiglu(a.byteOffset, h1.byteOffset, h3.byteOffset, n)
        : swigluForward(a, h1, h3, n, 'silu'),
    swigluBack: (dh1, dh3, da, h1, h3, n) =>
      n % 4 === 0
        ? wk.swigluBack(
            dh1.byteOffset,
            dh3.byteOffset,
            da.byteOffset,
            h1.byteOffset,
            h3.byteOffset,
            n,
          )
        : swigluBackward(dh1, dh3, da, h1, h3, n, 'silu'),
  };
}

export function kernelsFor(kind: KernelKind): Kernels {
  if (kind === 'wasm') return wasmKernels();
  if (kind === 'js' || kind === 'f64') return jsKernels(kind);
  throw new Error(`unknown kernel kind ${String(kind)} (use js or wasm)`);
}
