// The whole next-token distribution a Sampler draws from, as numbers (float64, summing to 1):
// temperature, top-k, softmax and min-p in the sampler's own float32 arithmetic, then run.c's top-p
// kept set (candidates p >= (1 - topp) / (n - 1), sorted descending with lower ids first on ties,
// up to and including the one where the running float32 sum first exceeds topp), renormalised.
// Temperature 0 is the one-hot distribution of the argmax. Speculative decoding and chapter 6 use
// this; drawing from it with `drawFrom` is exact in distribution (not run.c's byte-for-byte draw).

import { argmax, type Sampler } from './sampler.ts';

const f32 = Math.fround;

/** The distribution `sampler` draws the next token from for these logits. Draws no random number. */
export function samplingDistribution(
  sampler: Sampler,
  logits: Float32Array,
  out: Float64Array = new Float64Array(sampler.vocabSize),
): Float64Array {
  const n = sampler.vocabSize;
  const { temperature, topP } = sampler.settings;
  out.fill(0);
  if (temperature === 0) {
    sampler.checkLogits(logits);
    out[argmax(logits, n)] = 1;
    return out;
  }
  const probs = sampler.distributionBeforeTopP(logits);
  if (topP <= 0 || topP >= 1) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += probs[i];
    for (let i = 0; i < n; i++) out[i] = probs[i] / sum;
    return out;
  }
  const kept = topPKept(probs, topP, n);
  let sum = 0;
  for (const i of kept) sum += probs[i];
  for (const i of kept) out[i] = probs[i] / sum;
  return out;
}

/** run.c's top-p nucleus: the ids sample_topp can return, most probable first. */
export function topPKept(
  probs: ArrayLike<number>,
  topp: number,
  n: number = probs.length,
): number[] {
  const p = f32(topp);
  if (n === 1) return [0];
  const cutoff = f32(f32(1 - p) / (n - 1));
  const cand: number[] = [];
  for (let i = 0; i < n; i++) if (probs[i] >= cutoff) cand.push(i);
  if (cand.length === 0) return [argmax(probs, n)];
  cand.sort((a, b) => probs[b] - probs[a] || a - b);
  let cum = 0;
  for (let k = 0; k < cand.length; k++) {
    cum = f32(cum + probs[cand[k]]);
    if (cum > p) return cand.slice(0, k + 1);
  }
  return cand;
}

/** Inverse-CDF draw from a distribution with a coin in [0, 1); never returns a zero-probability id. */
export function drawFrom(dist: ArrayLike<number>, coin: number): number {
  let total = 0;
  for (let i = 0; i < dist.length; i++) total += dist[i];
  const r = coin * total;
  let cdf = 0;
  let last = -1;
  for (let i = 0; i < dist.length; i++) {
    if (dist[i] <= 0) continue;
    cdf += dist[i];
    last = i;
    if (r < cdf) return i;
  }
  if (last < 0) throw new Error('cannot draw from a distribution with no mass');
  return last;
}

/** Shannon entropy in bits. */
export function entropyBits(dist: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < dist.length; i++) {
    const p = dist[i];
    if (p > 0) h -= p * Math.log2(p);
  }
  return h;
}

/** How many ids have nonzero probability. */
export function support(dist: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < dist.length; i++) if (dist[i] > 0) k++;
  return k;
}
