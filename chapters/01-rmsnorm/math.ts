// Every formula chapter 1 shows, as small pure functions in float64. The figures compute with
// these, and tests/unit/chapters/01-rmsnorm.test.ts checks them against the engine's float32
// kernels (src/engine/cpu/ops.ts) and against a real forward pass's trace.
//
// Shapes: a vector x has d entries; gain g and bias b have d entries (absent = ones / zeros).
import { klDivergence, softmax64 } from '$engine/math.ts';

export type Vec = ArrayLike<number>;

/** mu = (1/d) sum_i x_i */
export function mean(x: Vec): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** sigma^2 = (1/d) sum_i (x_i - mu)^2 (the population variance, as LayerNorm uses). */
export function variance(x: Vec): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / x.length;
}

/** RMS(x) = sqrt((1/d) sum_i x_i^2) */
export function rms(x: Vec): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s / x.length);
}

/** Euclidean length ||x||. */
export function norm2(x: Vec): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** x - mu 1: the part of x orthogonal to the all-ones direction. */
export function center(x: Vec): number[] {
  const m = mean(x);
  return Array.from(x, (v) => v - m);
}

/** LayerNorm: y_i = g_i (x_i - mu) / sqrt(sigma^2 + eps) + b_i */
export function layerNorm(x: Vec, eps: number, g?: Vec, b?: Vec): number[] {
  const m = mean(x);
  const s = 1 / Math.sqrt(variance(x) + eps);
  return Array.from(x, (v, i) => (g ? g[i] : 1) * (v - m) * s + (b ? b[i] : 0));
}

/** RMSNorm: y_i = g_i x_i / sqrt((1/d) sum_j x_j^2 + eps) */
export function rmsNorm(x: Vec, eps: number, g?: Vec): number[] {
  const s = 1 / Math.sqrt(rms(x) ** 2 + eps);
  return Array.from(x, (v, i) => (g ? g[i] : 1) * v * s);
}

/** a x + c 1: the transformations the invariances are about. */
export function affine(x: Vec, scale: number, shift: number): number[] {
  return Array.from(x, (v) => scale * v + shift);
}

/**
 * Length of RMSNorm(x) with unit gain: sqrt(d) * RMS(x) / sqrt(RMS(x)^2 + eps). It equals sqrt(d)
 * (the sphere) when eps << RMS(x)^2 and shrinks to 0 as x -> 0: eps is what keeps a tiny x tiny.
 */
export function rmsNormLength(x: Vec, eps: number): number {
  const r = rms(x);
  return (Math.sqrt(x.length) * r) / Math.sqrt(r * r + eps);
}

/** Arithmetic per vector of width d, counted the way the formulas read (no fused ops). */
export interface NormCost {
  /** Sums across the vector (reductions); a fused kernel can compute them in one pass. */
  reductions: number;
  adds: number;
  muls: number;
  /** One sqrt and one division per vector, for both norms. */
  sqrts: number;
  divs: number;
  /** Parameters per norm layer. */
  params: number;
}

export function normCost(kind: 'layernorm' | 'rmsnorm', d: number, bias = true): NormCost {
  if (kind === 'rmsnorm') {
    // sum x^2 (d mul, d add), then y = g * x * s (2d mul)
    return { reductions: 1, adds: d, muls: 3 * d, sqrts: 1, divs: 1, params: d };
  }
  // sum x (d add), x - mu (d add), sum (x-mu)^2 (d mul, d add), g * (x-mu) * s (2d mul), + b (d add)
  return {
    reductions: 2,
    adds: (bias ? 4 : 3) * d,
    muls: 3 * d,
    sqrts: 1,
    divs: 1,
    params: bias ? 2 * d : d,
  };
}

/** KL(p || q) = sum_i p_i log(p_i / q_i), in nats (terms with p_i = 0 contribute 0): the engine's. */
export { klDivergence };

/** softmax(z)_i = exp(z_i - max z) / sum_j exp(z_j - max z), with the engine's float64 softmax. */
export function softmax(z: Vec): number[] {
  return Array.from(softmax64(z));
}

/** Perplexity = exp(mean negative log-likelihood). */
export function perplexity(nll: Vec): number {
  return Math.exp(mean(nll));
}

/** Histogram bins for a figure: equal-width bins over [lo, hi]. */
export function histogram(values: Vec, bins: number, lo: number, hi: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const k = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / w)));
    counts[k] += 1;
  }
  return counts;
}

/**
 * RMSNorm's backward pass for one vector, with u = dL/dy the gradient arriving from above:
 * dL/dx = (1/r) (u*g - xhat * mean(u*g*xhat)), dL/dg = u * xhat, where r = sqrt(mean(x^2) + eps)
 * and xhat = x / r.
 */
export function rmsNormBackward(
  x: Vec,
  g: Vec,
  u: Vec,
  eps: number,
): { dx: number[]; dg: number[] } {
  const d = x.length;
  const r = Math.sqrt(rms(x) ** 2 + eps);
  const xhat = Array.from(x, (v) => v / r);
  let m = 0;
  for (let i = 0; i < d; i++) m += u[i] * g[i] * xhat[i];
  m /= d;
  return {
    dx: xhat.map((h, i) => (u[i] * g[i] - h * m) / r),
    dg: xhat.map((h, i) => u[i] * h),
  };
}

/** Largest finite IEEE half-precision (float16) value. */
export const FP16_MAX = 65504;

/** x rounded to bfloat16 (the top 16 bits of a float32, round to nearest, ties to even). */
export function bf16Round(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  const bits = u[0];
  if ((bits & 0x7f800000) === 0x7f800000) return f[0]; // inf, nan
  const lsb = (bits >>> 16) & 1;
  u[0] = ((bits + 0x7fff + lsb) >>> 16) << 16;
  return f[0];
}

/** sum_i x_i^2 accumulated left to right with every partial sum rounded to bfloat16. */
export function sumSquaresBf16(x: Vec): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s = bf16Round(s + bf16Round(x[i] * x[i]));
  return s;
}
