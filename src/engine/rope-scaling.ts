// Long-context RoPE scalings that change each pair's frequency by its own amount (the frequency-
// dependent ones; 'linear' and 'ntk' are a position divisor and a new base, knobs.ts). Both use the
// ramp of NTK-by-parts (YaRN paper, Peng et al. 2023, arXiv:2309.00071, section 3.2), on the ratio
// r = L / lambda of the trained context L to the pair's wavelength lambda = 2 pi / theta:
//
//   gamma(r) = 0 if r < alpha, 1 if r > beta, (r - alpha) / (beta - alpha) otherwise
//   theta'   = (1 - gamma) theta / s + gamma theta
//
// A pair that turns more than beta times within L keeps its frequency; one that turns less than
// alpha times is slowed by s (interpolated); those between are blended.
// - 'llama3': Llama 3.1's scaling, Meta's reference code `apply_scaling` (llama-models): alpha =
//   low_freq_factor = 1, beta = high_freq_factor = 4 (there written with wavelengths: keep when
//   lambda < L / 4, divide by s when lambda > L / 1, blend with (L / lambda - 1) / (4 - 1)).
//   Meta uses s = 8 and L = 8192; here L is the live model's trained seq_len.
// - 'yarn': YaRN = NTK-by-parts with alpha = 1, beta = 32 (the paper's values for LLaMA) plus an
//   attention temperature t with sqrt(1/t) = 0.1 ln s + 1, applied by scaling both q and k by
//   sqrt(1/t) (equivalently, multiplying the cos/sin tables), so every logit is divided by t.
import { ropeTable } from './math.ts';
import { effectivePositionScale, effectiveRopeBase } from './knobs.ts';
import type { Knobs, RopeScaling } from './types.ts';

export const LLAMA3_RAMP = { alpha: 1, beta: 4 } as const;
export const YARN_RAMP = { alpha: 1, beta: 32 } as const;

/** gamma(r) of NTK-by-parts: 0 below alpha, 1 above beta, linear in between. */
export function rampGamma(r: number, alpha: number, beta: number): number {
  if (r < alpha) return 0;
  if (r > beta) return 1;
  return (r - alpha) / (beta - alpha);
}

/** theta' = (1 - gamma) theta / s + gamma theta, gamma from r = L / (2 pi / theta). */
export function rampFrequency(
  theta: number,
  factor: number,
  trainedLen: number,
  alpha: number,
  beta: number,
): number {
  if (factor === 1) return theta;
  const gamma = rampGamma((trainedLen * theta) / (2 * Math.PI), alpha, beta);
  return (1 - gamma) * (theta / factor) + gamma * theta;
}

/** Whether a scaling changes each pair's frequency by its own amount (llama3, yarn). */
export function isPerPairScaling(s: RopeScaling): s is 'llama3' | 'yarn' {
  return s === 'llama3' || s === 'yarn';
}

/** The frequency of a pair under 'llama3' or 'yarn' scaling by `factor`. */
export function perPairFrequency(
  scaling: 'llama3' | 'yarn',
  theta: number,
  factor: number,
  trainedLen: number,
): number {
  const { alpha, beta } = scaling === 'llama3' ? LLAMA3_RAMP : YARN_RAMP;
  return rampFrequency(theta, factor, trainedLen, alpha, beta);
}

/**
 * YaRN's sqrt(1/t) = 0.1 ln s + 1: the factor on q and on k (so logits are multiplied by its
 * square). 1 for every other scaling and for s = 1.
 */
export function yarnQkScale(scaling: RopeScaling, factor: number): number {
  return scaling === 'yarn' && factor > 1 ? 0.1 * Math.log(factor) + 1 : 1;
}

/**
 * Fill a backend's cos/sin tables (positions, hs/2) for the knobs: the run.c table, with the
 * position divisor of 'linear', the base of 'ntk', or the per-pair frequencies (and YaRN's
 * amplitude) of 'llama3' / 'yarn'. `trainedLen` is the L of the ramp: the model's seq_len. The
 * CPU and WebGPU engines both call this, so they rotate by identical float32 angles.
 */
export function fillRopeTable(
  cos: Float32Array,
  sin: Float32Array,
  positions: number,
  headSize: number,
  knobs: Knobs,
  trainedLen: number,
): void {
  const s = knobs.ropeScaling;
  const perPair = isPerPairScaling(s) && knobs.ropeFactor !== 1;
  ropeTable(
    cos,
    sin,
    positions,
    headSize,
    effectiveRopeBase(knobs, headSize),
    effectivePositionScale(knobs),
    perPair ? (theta) => perPairFrequency(s, theta, knobs.ropeFactor, trainedLen) : undefined,
    yarnQkScale(s, knobs.ropeFactor),
  );
}
