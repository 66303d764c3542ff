// Math shared by the CPU engine, the WebGPU engine, the trainer and the chapters, defined once:
// the logistic sigmoid, softmax and KL in float64, erf (the fit the WGSL kernels reproduce), RoPE's frequencies and cos/sin
// tables in run.c's float32 order, and the mean-pooling of K/V heads for the kvGroups knob.
// (xorshift64* is rng.ts; the shape helpers head size and kv dim are in config.ts.)

/** The logistic sigmoid 1 / (1 + e^-x), written so that neither branch overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Abramowitz & Stegun 7.1.26: erf(x) ≈ 1 − (a1 t + a2 t² + … + a5 t⁵) e^(−x²), t = 1/(1 + p x). */
export const ERF_P = 0.3275911;
export const ERF_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;

/**
 * erf(x) by Abramowitz & Stegun 7.1.26 (a rational-times-exp fit by Hastings): absolute error
 * below 1.5e-7 for every x, i.e. about one float32 ulp of values near 1. Chosen because it is a
 * few multiplies and one exp, which the WGSL kernel reproduces term by term. Tested against a
 * float64 integration of the normal density.
 */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + ERF_P * a);
  const [a1, a2, a3, a4, a5] = ERF_A;
  const y = 1 - ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t * Math.exp(-a * a);
  return sign * y;
}

/** Float32 value of 1/base^(2j/hs), RoPE's frequency of pair j, in run.c's float32 order. */
export function ropeFreq(base: number, j2: number, headSize: number): number {
  const f = Math.fround;
  // run.c: freq = 1.0f / powf(10000.0f, head_dim / (float)head_size)
  return f(1 / f(Math.pow(f(base), f(f(j2) / f(headSize)))));
}

/**
 * Fill cos/sin tables (positions, hs/2) for RoPE exactly as run.c computes each angle:
 * val = pos * freq in float32, then cosf/sinf. `posScale` divides the position (linear position
 * interpolation: 1/factor; 1 = none); the division is done in float32 too, so with an integer
 * factor f, position f*m gives bit-for-bit the angles of position m unscaled.
 * `pairFreq` (optional) replaces each pair's frequency by its own rescaled value (the frequency-
 * dependent long-context scalings, rope-scaling.ts), rounded to float32; `amplitude` (default 1)
 * multiplies every cos and sin (YaRN's factor on q and k). Without them the table is run.c's.
 */
export function ropeTable(
  cos: Float32Array,
  sin: Float32Array,
  positions: number,
  headSize: number,
  base: number,
  factor: number,
  pairFreq?: (freq: number) => number,
  amplitude = 1,
): void {
  const f = Math.fround;
  const half = headSize >> 1;
  for (let j = 0; j < half; j++) {
    const raw = ropeFreq(base, 2 * j, headSize);
    const freq = pairFreq ? f(pairFreq(raw)) : raw;
    for (let pos = 0; pos < positions; pos++) {
      const p = factor === 1 ? pos : f(f(pos) / f(factor));
      const val = f(p * freq);
      cos[pos * half + j] = amplitude === 1 ? Math.cos(val) : amplitude * Math.cos(val);
      sin[pos * half + j] = amplitude === 1 ? Math.sin(val) : amplitude * Math.sin(val);
    }
  }
}

/**
 * Mean-pooling of K/V heads (the kvGroups knob, as the GQA paper converts checkpoints): each
 * group of nKvHeads/g consecutive kv heads averaged, the sum in float64 over the group, then
 * divided. Both engines pool with this, so the pooled weights are bit-identical on both.
 * Layout: src (layer, nKvHeads*hs, dim) -> dst (layer, g*hs, dim), packed.
 */
export function poolKvWeights(
  src: Float32Array,
  dst: Float32Array,
  nLayers: number,
  nKvHeads: number,
  g: number,
  headSize: number,
  dim: number,
): void {
  const per = nKvHeads / g;
  const kvDimFull = nKvHeads * headSize;
  const kvDim = g * headSize;
  for (let l = 0; l < nLayers; l++) {
    const srcL = l * kvDimFull * dim;
    const dstL = l * kvDim * dim;
    for (let grp = 0; grp < g; grp++) {
      for (let r = 0; r < headSize; r++) {
        const dstRow = dstL + (grp * headSize + r) * dim;
        for (let j = 0; j < dim; j++) {
          let s = 0;
          for (let m = 0; m < per; m++) s += src[srcL + ((grp * per + m) * headSize + r) * dim + j];
          dst[dstRow + j] = s / per;
        }
      }
    }
  }
}

/** Softmax in float64 (probabilities shown to people should not carry float32 rounding). */
export function softmax64(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const p = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    p[i] = Math.exp(logits[i] - max);
    sum += p[i];
  }
  for (let i = 0; i < p.length; i++) p[i] /= sum;
  return p;
}

/** KL(p || q) in nats; terms with p = 0 contribute 0, q = 0 under p > 0 gives Infinity. */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] > 0) kl += p[i] * Math.log(p[i] / q[i]);
  }
  return Math.max(0, kl);
}
