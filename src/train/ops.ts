// Forward and hand-written backward of every op of the training forward pass, over rows of a
// row-major (N, width) activation matrix. Each op is generic over Float32Array (training) and
// Float64Array (finite-difference gradient checks in the tests). Backward functions ACCUMULATE
// into parameter gradients and, unless stated otherwise, OVERWRITE or ACCUMULATE the input
// gradient as documented on each.

import { ERF_A, ERF_P, erf, ropeTable } from '../engine/math.ts';
import type { Kernels } from './kernels.ts';

export type Arr = Float32Array | Float64Array;

// ---------------------------------------------------------------------------------------------
// Embedding: x[n] = table[tokens[n]]                                  table (vocab, dim)

export function embeddingForward(x: Arr, table: Arr, tokens: Int32Array, dim: number): void {
  for (let n = 0; n < tokens.length; n++) {
    const src = tokens[n] * dim;
    const dst = n * dim;
    for (let i = 0; i < dim; i++) x[dst + i] = table[src + i];
  }
}

/** dTable[tokens[n]] += dx[n] (in row order, so the sum order is fixed). */
export function embeddingBackward(dTable: Arr, dx: Arr, tokens: Int32Array, dim: number): void {
  for (let n = 0; n < tokens.length; n++) {
    const dst = tokens[n] * dim;
    const src = n * dim;
    for (let i = 0; i < dim; i++) dTable[dst + i] += dx[src + i];
  }
}

// ---------------------------------------------------------------------------------------------
// RMSNorm (run.c): ss = mean(x^2) + eps; y = g * x / sqrt(ss).       x, y (N, dim); g (dim)
// rstd (N) is saved for the backward pass.

export function rmsnormForward(
  y: Arr,
  rstd: Arr,
  x: Arr,
  g: Arr,
  N: number,
  dim: number,
  eps: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * dim;
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += x[o + i] * x[o + i];
    const r = 1 / Math.sqrt(ss / dim + eps);
    rstd[n] = r;
    for (let i = 0; i < dim; i++) y[o + i] = g[i] * (x[o + i] * r);
  }
}

/** dx += d(rmsnorm)/dx^T dy ; dg += sum_n dy * x * r. */
export function rmsnormBackward(
  dx: Arr,
  dg: Arr,
  dy: Arr,
  x: Arr,
  rstd: Arr,
  g: Arr,
  N: number,
  dim: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * dim;
    const r = rstd[n];
    let dot = 0; // sum_i g_i dy_i x_i
    for (let i = 0; i < dim; i++) {
      const gdy = g[i] * dy[o + i];
      dot += gdy * x[o + i];
      dg[i] += dy[o + i] * x[o + i] * r;
    }
    const c = (dot * r * r * r) / dim;
    for (let i = 0; i < dim; i++) dx[o + i] += g[i] * dy[o + i] * r - x[o + i] * c;
  }
}

// ---------------------------------------------------------------------------------------------
// LayerNorm with a gain and no bias (the original Transformer's norm, reduced to what llama2.c's
// one weight vector per norm can hold): y = g * (x - mean) / sqrt(var + eps).
// mean (N) and rstd (N) are saved.

export function layernormForward(
  y: Arr,
  mean: Arr,
  rstd: Arr,
  x: Arr,
  g: Arr,
  N: number,
  dim: number,
  eps: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += x[o + i];
    const mu = s / dim;
    let v = 0;
    for (let i = 0; i < dim; i++) {
      const c = x[o + i] - mu;
      v += c * c;
    }
    const r = 1 / Math.sqrt(v / dim + eps);
    mean[n] = mu;
    rstd[n] = r;
    for (let i = 0; i < dim; i++) y[o + i] = g[i] * ((x[o + i] - mu) * r);
  }
}

/** dx += J^T dy ; dg += sum_n dy * xhat. */
export function layernormBackward(
  dx: Arr,
  dg: Arr,
  dy: Arr,
  x: Arr,
  mean: Arr,
  rstd: Arr,
  g: Arr,
  N: number,
  dim: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * dim;
    const mu = mean[n];
    const r = rstd[n];
    let sumD = 0; // sum dxhat
    let sumDX = 0; // sum dxhat * xhat
    for (let i = 0; i < dim; i++) {
      const xh = (x[o + i] - mu) * r;
      const d = dy[o + i] * g[i];
      dg[i] += dy[o + i] * xh;
      sumD += d;
      sumDX += d * xh;
    }
    const mD = sumD / dim;
    const mDX = sumDX / dim;
    for (let i = 0; i < dim; i++) {
      const xh = (x[o + i] - mu) * r;
      dx[o + i] += r * (dy[o + i] * g[i] - mD - xh * mDX);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// RoPE, interleaved pairs (run.c): within each head, pair (2j, 2j+1) at position pos is rotated
// by pos * base^(-2j/head_size). cos/sin tables (seq_len, head_size/2) are computed in float32
// exactly as run.c does (powf, cosf, sinf on float32 values) so that trained weights behave the
// same under the inference engine.

export function ropeTables(
  seqLen: number,
  headSize: number,
  base: number,
): { cos: Float32Array; sin: Float32Array } {
  const half = headSize / 2;
  const cos = new Float32Array(seqLen * half);
  const sin = new Float32Array(seqLen * half);
  ropeTable(cos, sin, seqLen, headSize, base, 1); // the engine's table: the same float32 angles
  return { cos, sin };
}

/**
 * Rotate in place rows of x (B*T, width) where width = nHeads*headSize; row n is at position
 * n % T. `inverse` rotates by the negative angle, which is exactly the backward pass (the
 * rotation is orthogonal, so its Jacobian transpose is its inverse).
 */
export function rope(
  x: Arr,
  B: number,
  T: number,
  width: number,
  headSize: number,
  cos: Float32Array,
  sin: Float32Array,
  inverse: boolean,
): void {
  const half = headSize / 2;
  const sgn = inverse ? -1 : 1;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const o = (b * T + t) * width;
      const tab = t * half;
      for (let i = 0; i < width; i += 2) {
        const j = (i % headSize) >> 1;
        const c = cos[tab + j];
        const s = sgn * sin[tab + j];
        const x0 = x[o + i];
        const x1 = x[o + i + 1];
        x[o + i] = x0 * c - x1 * s;
        x[o + i + 1] = x0 * s + x1 * c;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Activations. silu(z) = z * sigmoid(z) (run.c). gelu is the exact form z * Phi(z) with erf from
// Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), the same fit the inference engine uses,
// so trained weights see the same function at inference; its derivative is taken of that very
// formula, so gradient checks hold to float64 precision.

/** erf(x) (the engine's) and the derivative of that very A&S 7.1.26 formula. */
function erfAS(x: number): { v: number; dv: number } {
  const a = Math.abs(x);
  const t = 1 / (1 + ERF_P * a);
  const [a1, a2, a3, a4, a5] = ERF_A;
  const poly = ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t;
  const dpoly = (((5 * a5 * t + 4 * a4) * t + 3 * a3) * t + 2 * a2) * t + a1;
  const e = Math.exp(-a * a);
  // d/da [1 - poly(t) e^{-a^2}] with dt/da = -p t^2
  const da = e * (ERF_P * t * t * dpoly + 2 * a * poly);
  return { v: erf(x), dv: da };
}

export function silu(z: number): number {
  return z / (1 + Math.exp(-z));
}
export function siluGrad(z: number): number {
  const s = 1 / (1 + Math.exp(-z));
  return s * (1 + z * (1 - s));
}
export function gelu(z: number): number {
  return 0.5 * z * (1 + erfAS(z * Math.SQRT1_2).v);
}
export function geluGrad(z: number): number {
  const e = erfAS(z * Math.SQRT1_2);
  return 0.5 * (1 + e.v) + 0.5 * z * e.dv * Math.SQRT1_2;
}

export type Act = 'silu' | 'gelu';

/** SwiGLU gate: a = act(h1) * h3 (elementwise over n values). */
export function swigluForward(a: Arr, h1: Arr, h3: Arr, n: number, act: Act): void {
  if (act === 'silu') for (let i = 0; i < n; i++) a[i] = silu(h1[i]) * h3[i];
  else for (let i = 0; i < n; i++) a[i] = gelu(h1[i]) * h3[i];
}

/** Overwrites dh1, dh3. */
export function swigluBackward(
  dh1: Arr,
  dh3: Arr,
  da: Arr,
  h1: Arr,
  h3: Arr,
  n: number,
  act: Act,
): void {
  if (act === 'silu') {
    // one exp per element: sigmoid s gives silu = z s and silu' = s (1 + z (1 - s))
    for (let i = 0; i < n; i++) {
      const z = h1[i];
      const sg = 1 / (1 + Math.exp(-z));
      dh1[i] = da[i] * h3[i] * sg * (1 + z * (1 - sg));
      dh3[i] = da[i] * z * sg;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const z = h1[i];
    dh1[i] = da[i] * h3[i] * geluGrad(z);
    dh3[i] = da[i] * gelu(z);
  }
}

/** Plain MLP activation: a = act(h1). */
export function actForward(a: Arr, h1: Arr, n: number, act: Act): void {
  if (act === 'silu') for (let i = 0; i < n; i++) a[i] = silu(h1[i]);
  else for (let i = 0; i < n; i++) a[i] = gelu(h1[i]);
}

/** Overwrites dh1. */
export function actBackward(dh1: Arr, da: Arr, h1: Arr, n: number, act: Act): void {
  if (act === 'silu') for (let i = 0; i < n; i++) dh1[i] = da[i] * siluGrad(h1[i]);
  else for (let i = 0; i < n; i++) dh1[i] = da[i] * geluGrad(h1[i]);
}

// ---------------------------------------------------------------------------------------------
// Cross-entropy of rows of logits (N, V) against targets (a target < 0 marks padding). Returns
// the SUM of the losses (nats). The logits are overwritten: with the probabilities, or with
// d(sum loss * gradScale)/d logits = gradScale * (p - onehot) when `grad` is true. The softmax
// runs on the kernels (SIMD for the trainer), so one exp per logit.

export function crossEntropy(
  K: Pick<Kernels, 'softmaxRows'>,
  logits: Arr,
  targets: Int32Array,
  N: number,
  V: number,
  grad: boolean,
  gradScale: number,
  rowLoss?: Float64Array,
): number {
  const s = grad ? gradScale : 1;
  K.softmaxRows(logits, 0, N, V, s);
  let total = 0;
  for (let n = 0; n < N; n++) {
    const o = n * V;
    const tgt = targets[n];
    if (tgt < 0) {
      // padding position: no loss, no gradient
      if (rowLoss) rowLoss[n] = 0;
      if (grad) logits.fill(0, o, o + V);
      continue;
    }
    // p underflows only 87 nats below the row's best logit; the loss is capped there
    const p = Math.max(logits[o + tgt] / s, 1e-38);
    const loss = -Math.log(p);
    if (rowLoss) rowLoss[n] = loss;
    total += loss;
    if (grad) logits[o + tgt] -= s;
  }
  return total;
}
