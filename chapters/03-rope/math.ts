// Every formula chapter 3 shows, as small pure functions in float64. The figures compute with
// these, and tests/unit/chapters/03-rope.test.ts checks them against the engine's float32 RoPE
// (src/engine/cpu/ops.ts `ropeTable`/`rope`) and against a real forward pass's trace.
//
// Conventions (as in Meta's reference code and llama2.c): one head vector x has d entries (d even);
// pair i is (x[2i], x[2i+1]), i = 0 .. d/2-1, and at position m it turns by the angle m * theta_i,
// theta_i = base^(-2i/d). Hugging Face's "rotate-half" layout pairs x[i] with x[i + d/2] instead.

export type Vec = ArrayLike<number>;

/** theta_i = base^(-2i/d) for i = 0 .. d/2-1: radians per position of pair i. */
export function ropeThetas(d: number, base: number): number[] {
  return Array.from({ length: d >> 1 }, (_, i) => Math.pow(base, (-2 * i) / d));
}

/** Wavelength of pair i: 2 pi / theta_i = 2 pi base^(2i/d) positions for one full turn. */
export function wavelengths(d: number, base: number): number[] {
  return ropeThetas(d, base).map((t) => (2 * Math.PI) / t);
}

/** Rotate the 2-vector (x0, x1) by `angle` radians: R(angle) (x0, x1). */
export function rotate2(x0: number, x1: number, angle: number): [number, number] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [x0 * c - x1 * s, x0 * s + x1 * c];
}

/**
 * RoPE with interleaved pairs, one head of width d = x.length: pair i turns by pos * theta_i.
 * `pos` may be fractional (linear position interpolation divides it by the factor).
 */
export function ropeInterleaved(x: Vec, pos: number, base: number): number[] {
  const d = x.length;
  const th = ropeThetas(d, base);
  const out = new Array<number>(d);
  for (let i = 0; i < d >> 1; i++) {
    const [a, b] = rotate2(x[2 * i], x[2 * i + 1], pos * th[i]);
    out[2 * i] = a;
    out[2 * i + 1] = b;
  }
  return out;
}

/**
 * Hugging Face's RoPE: out = x * cos + rotate_half(x) * sin, where rotate_half(x) = (-x2, x1) for
 * the halves x1 = x[0 .. d/2), x2 = x[d/2 .. d), and cos/sin repeat the d/2 angles twice. So the
 * pair that turns together is (x[i], x[i + d/2]).
 */
export function ropeRotateHalf(x: Vec, pos: number, base: number): number[] {
  const d = x.length;
  const h = d >> 1;
  const th = ropeThetas(d, base);
  const out = new Array<number>(d);
  for (let i = 0; i < h; i++) {
    const c = Math.cos(pos * th[i]);
    const s = Math.sin(pos * th[i]);
    out[i] = x[i] * c - x[i + h] * s;
    out[i + h] = x[i + h] * c + x[i] * s;
  }
  return out;
}

/**
 * The row permutation that turns interleaved q/k weights into rotate-half ones (what Hugging
 * Face's conversion script does to each head of Wq and Wk): new row c*d/2 + i takes old row
 * 2i + c, for c in {0, 1}. Returned as perm[newIndex] = oldIndex.
 */
export function rotateHalfPermutation(d: number): number[] {
  const h = d >> 1;
  return Array.from({ length: d }, (_, r) => 2 * (r % h) + Math.floor(r / h));
}

/** y[r] = x[perm[r]]. */
export function permute(x: Vec, perm: readonly number[]): number[] {
  return perm.map((p) => x[p]);
}

export function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm2(x: Vec): number {
  return Math.sqrt(dot(x, x));
}

/** <R(m) q, R(n) k>: the raw attention score of a query at m and a key at n (before 1/sqrt(d)). */
export function ropeScore(q: Vec, k: Vec, m: number, n: number, base: number): number {
  return dot(ropeInterleaved(q, m, base), ropeInterleaved(k, n, base));
}

/** The same score in the rotate-half layout. */
export function ropeScoreRotateHalf(q: Vec, k: Vec, m: number, n: number, base: number): number {
  return dot(ropeRotateHalf(q, m, base), ropeRotateHalf(k, n, base));
}

/**
 * The complex-number view: pair i is the complex number x~_i = x[2i] + i x[2i+1], and
 * score = Re sum_i q~_i conj(k~_i) e^{i (m - n) theta_i}. Only the distance m - n appears.
 */
export function complexScore(q: Vec, k: Vec, distance: number, base: number): number {
  const th = ropeThetas(q.length, base);
  let s = 0;
  for (let i = 0; i < th.length; i++) {
    // h = q~ conj(k~) = (q0 + i q1)(k0 - i k1)
    const hr = q[2 * i] * k[2 * i] + q[2 * i + 1] * k[2 * i + 1];
    const hi = q[2 * i + 1] * k[2 * i] - q[2 * i] * k[2 * i + 1];
    const a = distance * th[i];
    s += hr * Math.cos(a) - hi * Math.sin(a);
  }
  return s;
}

/**
 * RoFormer's partial sums C_j = sum_{i<j} e^{i * distance * theta_i}, j = 0 .. d/2, as
 * [re, im] pairs (S_0 = 0).
 */
export function partialSums(d: number, base: number, distance: number): [number, number][] {
  const th = ropeThetas(d, base);
  const out: [number, number][] = [[0, 0]];
  let re = 0;
  let im = 0;
  for (const t of th) {
    re += Math.cos(distance * t);
    im += Math.sin(distance * t);
    out.push([re, im]);
  }
  return out;
}

/**
 * RoFormer's relative upper bound (its long-term decay argument): (1 / (d/2)) sum_{j=1}^{d/2} |C_j|. The score
 * satisfies |score| <= max_i |h_{i+1} - h_i| * (d/2) * bound, so the bound is the part that
 * depends on the distance. At distance 0 every C_j = j, so it starts at (d/2 + 1) / 2; the figure
 * divides by that value.
 */
export function decayBound(d: number, base: number, distance: number): number {
  const S = partialSums(d, base, distance);
  let s = 0;
  for (let j = 1; j < S.length; j++) s += Math.hypot(S[j][0], S[j][1]);
  return s / (d >> 1);
}

/**
 * Score of the constant vectors q = k = (1, ..., 1) at a distance, divided by its value at
 * distance 0: (1 / (d/2)) sum_i cos(distance * theta_i). Each pair contributes 2 cos(.), so the
 * raw score is d times this.
 */
export function constantScore(d: number, base: number, distance: number): number {
  const th = ropeThetas(d, base);
  let s = 0;
  for (const t of th) s += Math.cos(distance * t);
  return s / th.length;
}

/**
 * The complex products h_i = q~_i conj(k~_i) of RoFormer's proof, with h_{d/2} = 0 appended, as
 * [re, im] pairs.
 */
export function pairProducts(q: Vec, k: Vec): [number, number][] {
  const h: [number, number][] = [];
  for (let i = 0; i < q.length >> 1; i++) {
    h.push([
      q[2 * i] * k[2 * i] + q[2 * i + 1] * k[2 * i + 1],
      q[2 * i + 1] * k[2 * i] - q[2 * i] * k[2 * i + 1],
    ]);
  }
  h.push([0, 0]);
  return h;
}

/**
 * Abel summation of RoFormer's proof: sum_i h_i e^{i dist theta_i} = sum_i (h_i - h_{i+1}) S_{i+1}.
 * Returns the real part, which must equal complexScore(q, k, dist, base).
 */
export function abelScore(q: Vec, k: Vec, distance: number, base: number): number {
  const h = pairProducts(q, k);
  const S = partialSums(q.length, base, distance);
  let re = 0;
  for (let i = 0; i < h.length - 1; i++) {
    const dr = h[i][0] - h[i + 1][0];
    const di = h[i][1] - h[i + 1][1];
    re += dr * S[i + 1][0] - di * S[i + 1][1];
  }
  return re;
}

/** max_i |h_{i+1} - h_i| over i = 0 .. d/2-1 (h_{d/2} = 0): the factor in front of the bound. */
export function maxPairStep(q: Vec, k: Vec): number {
  const h = pairProducts(q, k);
  let m = 0;
  for (let i = 0; i < h.length - 1; i++) {
    m = Math.max(m, Math.hypot(h[i + 1][0] - h[i][0], h[i + 1][1] - h[i][1]));
  }
  return m;
}

export type Scaling = 'none' | 'linear' | 'ntk' | 'llama3' | 'yarn';

/** NTK-aware base: base * f^(d/(d-2)); keeps theta_0 and divides theta_{d/2-1} by f. */
export function ntkBase(base: number, factor: number, d: number): number {
  if (d <= 2) return base;
  return base * Math.pow(factor, d / (d - 2));
}

/** The ramp of NTK-by-parts (YaRN, section 3.2): 0 below alpha, 1 above beta, linear between. */
export function ramp(r: number, alpha: number, beta: number): number {
  return r < alpha ? 0 : r > beta ? 1 : (r - alpha) / (beta - alpha);
}

/** (alpha, beta) of the ramp: Llama 3.1 (low_freq_factor 1, high_freq_factor 4), YaRN for LLaMA (1, 32). */
export const RAMPS = { llama3: [1, 4], yarn: [1, 32] } as const;

/**
 * theta'_i, the speed of pair i (radians per position) under a scaling with factor f, for a model
 * trained on L positions:
 * - none: base^(-2i/d); linear: theta_i / f (the same as dividing positions by f);
 * - ntk: the base raised to base * f^(d/(d-2));
 * - llama3, yarn: (1 - g) theta_i / f + g theta_i with g = ramp(L / lambda_i), lambda_i = 2 pi / theta_i.
 */
export function scaledTheta(
  i: number,
  d: number,
  base: number,
  scaling: Scaling,
  factor: number,
  trainedLen: number,
): number {
  const theta = Math.pow(base, (-2 * i) / d);
  switch (scaling) {
    case 'linear':
      return theta / factor;
    case 'ntk':
      return Math.pow(ntkBase(base, factor, d), (-2 * i) / d);
    case 'llama3':
    case 'yarn': {
      const [alpha, beta] = RAMPS[scaling];
      const g = ramp((trainedLen * theta) / (2 * Math.PI), alpha, beta);
      return (1 - g) * (theta / factor) + g * theta;
    }
    default:
      return theta;
  }
}

/** The angle pair i turns by at position m under a scaling: m * theta'_i. */
export function scaledAngle(
  m: number,
  i: number,
  d: number,
  base: number,
  scaling: Scaling,
  factor: number,
  trainedLen: number,
): number {
  return m * scaledTheta(i, d, base, scaling, factor, trainedLen);
}

/**
 * YaRN's attention temperature: sqrt(1/t) = 0.1 ln f + 1 multiplies q and k (so the logits by its
 * square); 1 for every other scaling.
 */
export function qkScale(scaling: Scaling, factor: number): number {
  return scaling === 'yarn' && factor > 1 ? 0.1 * Math.log(factor) + 1 : 1;
}

/** How many times slower each pair turns under a scaling: lambda'_i / lambda_i = theta_i / theta'_i. */
export function stretchFactors(
  d: number,
  base: number,
  scaling: Scaling,
  factor: number,
  trainedLen: number,
): number[] {
  return Array.from(
    { length: d >> 1 },
    (_, i) => Math.pow(base, (-2 * i) / d) / scaledTheta(i, d, base, scaling, factor, trainedLen),
  );
}

/** Trailing moving average over `window` values (shorter at the start); non-finite values skipped. */
export function movingAverage(x: Vec, window: number): number[] {
  const w = Math.max(1, Math.floor(window));
  const out: number[] = [];
  let sum = 0;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) {
      sum += x[i];
      count += 1;
    }
    const j = i - w;
    if (j >= 0 && Number.isFinite(x[j])) {
      sum -= x[j];
      count -= 1;
    }
    out.push(count > 0 ? sum / count : NaN);
  }
  return out;
}

/** Mean of x[from .. to) (clamped), NaN when empty. */
export function meanRange(x: Vec, from: number, to: number): number {
  const a = Math.max(0, from);
  const b = Math.min(x.length, to);
  if (b <= a) return NaN;
  let s = 0;
  for (let i = a; i < b; i++) s += x[i];
  return s / (b - a);
}
