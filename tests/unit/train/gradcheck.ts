// Finite-difference helpers for the trainer's gradient tests (float64 throughout).
import type { Config } from '$engine/types.ts';
import type { Rng } from '$train/rng.ts';

/** A tiny LLaMA (every variant the trainer supports is a change of this one) for gradient checks. */
export function tiny(over: Partial<Config> = {}): Config {
  return {
    dim: 8,
    hiddenDim: 12,
    nLayers: 2,
    nHeads: 4,
    nKvHeads: 2,
    vocabSize: 11,
    seqLen: 8,
    sharedClassifier: true,
    normEps: 1e-5,
    ropeBase: 10000,
    norm: 'rmsnorm',
    ffn: 'swiglu',
    activation: 'silu',
    position: 'rope',
    ...over,
  };
}

export function randn(n: number, rng: Rng, scale = 1, shift = 0): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = shift + scale * rng.normal();
  return a;
}

/**
 * Largest relative error between `analytic` and the central difference of loss() in `x`
 * (every entry perturbed by +-h, restored after).
 */
export function maxRelErr(
  x: Float64Array,
  analytic: ArrayLike<number>,
  loss: () => number,
  h = 1e-6,
): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    x[i] = v + h;
    const lp = loss();
    x[i] = v - h;
    const lm = loss();
    x[i] = v;
    const num = (lp - lm) / (2 * h);
    const err = Math.abs(num - analytic[i]) / Math.max(1, Math.abs(num));
    if (!(err <= worst)) worst = err; // NaN-safe: a NaN error becomes the worst
  }
  return worst;
}

/** sum(a * r) in float64. */
export function dot(a: ArrayLike<number>, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += a[i] * r[i];
  return s;
}
