// Causal grouped-query attention over B sequences of T positions, forward and backward, written
// as matrix products (kernels.ts) per (sequence, head) plus row-wise softmax work.
// Shapes: q (B*T, H*hs), k and v (B*T, KV*hs), out (B*T, H*hs), probs (B, H, T, T) saved for
// the backward pass. Query head h reads kv head floor(h / (H/KV)), as run.c. Only the lower
// triangle s <= t of probs is meaningful; the three entries after the diagonal of each row are
// kept at zero because the SIMD kernel works on blocks of 4 rows and reads them.

import { MM_ACC, MM_CAUSAL_K, MM_CAUSAL_N, MM_K_FROM_M } from './wasm-kernels.ts';
import type { Kernels } from './kernels.ts';
import type { Arr } from './ops.ts';

export interface AttnShape {
  B: number;
  T: number;
  nHeads: number;
  nKv: number;
  hs: number;
}

/** out (cols, rows) = transpose of a (rows, cols). */
export function transpose(out: Arr, a: Arr, rows: number, cols: number): void {
  const TB = 16;
  for (let r0 = 0; r0 < rows; r0 += TB) {
    const r1 = Math.min(rows, r0 + TB);
    for (let c0 = 0; c0 < cols; c0 += TB) {
      const c1 = Math.min(cols, c0 + TB);
      for (let r = r0; r < r1; r++) {
        const ro = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = a[ro + c];
      }
    }
  }
}

/**
 * out = softmax(q k^T / sqrt(hs), causal) v. kT is scratch of (KV*hs, B*T).
 */
export function attentionForward(
  K: Kernels,
  out: Arr,
  probs: Arr,
  q: Arr,
  k: Arr,
  v: Arr,
  kT: Arr,
  sh: AttnShape,
): void {
  const { B, T, nHeads, nKv, hs } = sh;
  const N = B * T;
  const wq = nHeads * hs;
  const wkv = nKv * hs;
  const kvMul = nHeads / nKv;
  const scale = 1 / Math.sqrt(hs);
  transpose(kT, k, N, wkv);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < nHeads; h++) {
      const g = Math.floor(h / kvMul);
      const pOff = (b * nHeads + h) * T * T;
      // scores (T, T) = q_h (T, hs) . k_g^T (hs, T)
      K.mm(
        probs,
        pOff,
        q,
        b * T * wq + h * hs,
        kT,
        g * hs * N + b * T,
        T,
        T,
        hs,
        wq,
        1,
        N,
        T,
        MM_CAUSAL_N,
      );
      K.softmax(probs, pOff, T, scale);
      // out_h (T, hs) = P (T, T) . v_g (T, hs)
      K.mm(
        out,
        b * T * wq + h * hs,
        probs,
        pOff,
        v,
        b * T * wkv + g * hs,
        T,
        hs,
        T,
        T,
        1,
        wkv,
        wq,
        MM_CAUSAL_K,
      );
    }
  }
}

/**
 * Overwrites dq, dk, dv (dk, dv summed over the query heads sharing a kv head).
 * Scratch: vT (KV*hs, B*T) and dS (T, T).
 */
export function attentionBackward(
  K: Kernels,
  dq: Arr,
  dk: Arr,
  dv: Arr,
  dOut: Arr,
  probs: Arr,
  q: Arr,
  k: Arr,
  v: Arr,
  vT: Arr,
  dS: Arr,
  sh: AttnShape,
): void {
  const { B, T, nHeads, nKv, hs } = sh;
  const N = B * T;
  const wq = nHeads * hs;
  const wkv = nKv * hs;
  const kvMul = nHeads / nKv;
  const scale = 1 / Math.sqrt(hs);
  transpose(vT, v, N, wkv);
  dk.fill(0, 0, N * wkv);
  dv.fill(0, 0, N * wkv);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < nHeads; h++) {
      const g = Math.floor(h / kvMul);
      const pOff = (b * nHeads + h) * T * T;
      const qOff = b * T * wq + h * hs;
      const kvOff = b * T * wkv + g * hs;
      // dP (T, T) = dOut_h (T, hs) . v_g^T (hs, T)
      K.mm(dS, 0, dOut, qOff, vT, g * hs * N + b * T, T, T, hs, wq, 1, N, T, MM_CAUSAL_N);
      // softmax backward: dS = P * (dP - sum_s P dP), then the 1/sqrt(hs) of the scores
      K.softmaxBack(dS, 0, probs, pOff, T, scale);
      // dq_h = dS . k_g ; dk_g += dS^T . q_h ; dv_g += P^T . dOut_h
      K.mm(dq, qOff, dS, 0, k, kvOff, T, hs, T, T, 1, wkv, wq, MM_CAUSAL_K);
      K.mm(dk, kvOff, dS, 0, q, qOff, T, hs, T, 1, T, wq, wkv, MM_ACC | MM_K_FROM_M);
      K.mm(dv, kvOff, probs, pOff, dOut, qOff, T, hs, T, 1, T, wq, wkv, MM_ACC | MM_K_FROM_M);
    }
  }
}
