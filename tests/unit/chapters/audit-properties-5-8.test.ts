// Issue 12, "make it harder to repeat", for chapters 5-8: stated properties of a function (a sign,
// a bound, "only when", "never", a direction of change) that no other test pinned. Each test names
// where the page states it. (Chapters 1-4: audit-properties.test.ts.)
import { describe, expect, it } from 'vitest';
import { XorShift64Star } from '$engine/rng.ts';
import { topPKept } from '$engine/distribution.ts';
import { adamwStep } from '../../../chapters/05-pretraining/math.ts';
import {
  minimalEnvelope,
  rejectionDraws,
  sampled,
  uniform,
} from '../../../chapters/06-decoding/math.ts';

/** Deterministic logits with a spread like a small LM's (a few likely tokens, a long tail). */
function logitsFor(seed: bigint, n = 512): Float32Array {
  const rng = new XorShift64Star(seed);
  return Float32Array.from({ length: n }, () => 6 * rng.nextF32() ** 3 - 2 * rng.nextF32());
}

/** A random distribution over n tokens, flat (sharpness near 0) to peaked (large sharpness). */
function distribution(rng: XorShift64Star, n: number, sharpness: number): number[] {
  const w = Array.from({ length: n }, () => Math.exp(sharpness * rng.nextF32()));
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}

/** The nucleus by its definition: the smallest most-likely prefix whose mass exceeds P. */
function nucleus(p: readonly number[], P: number): number[] {
  const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
  let mass = 0;
  for (let k = 0; k < order.length; k++) {
    mass += p[order[k]];
    if (mass > P) return order.slice(0, k + 1);
  }
  return order;
}

describe('chapter 5', () => {
  const o = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0 };

  it('why “dividing by 1 − βˢ removes that bias” (chapter.ts, AdamW step): with a constant gradient the corrected moments are g and g² at every step, so the first step is as large as the hundredth', () => {
    const g = 0.003;
    let state = { m: 0, v: 0 };
    let theta = 0;
    const moves: number[] = [];
    for (let s = 1; s <= 100; s++) {
      const r = adamwStep(theta, g, state, s, o);
      moves.push(theta - r.theta);
      expect(r.state.m / (1 - o.beta1 ** s)).toBeCloseTo(g, 15);
      expect(r.state.v / (1 - o.beta2 ** s) / (g * g)).toBeCloseTo(1, 12);
      state = r.state;
      theta = r.theta;
    }
    // every move is lr * g / (|g| + eps): the same from the first step on
    for (const d of moves) expect(d / ((o.lr * g) / (g + o.eps))).toBeCloseTo(1, 10);
    // without the correction the first step would be (1 - beta1) / sqrt(1 - beta2) ≈ 0.45 of it
    const uncorrected = (1 - o.beta1) / Math.sqrt(1 - o.beta2);
    expect(uncorrected).toBeLessThan(0.5);
  });

  it('why “with β₂ = 0.95 the second moment forgets in about 20 steps”: a gradient’s weight in v falls to 1/e (within 3%) after 20 steps', () => {
    let state = { m: 0, v: 0 };
    const v1 = adamwStep(0, 1, state, 1, o).state.v;
    state = { m: 0, v: v1 };
    for (let s = 2; s <= 21; s++) state = adamwStep(0, 0, state, s, o).state;
    const kept = state.v / v1;
    expect(Math.abs(kept - Math.exp(-1)) / Math.exp(-1)).toBeLessThan(0.03);
    expect(kept).toBeLessThan(0.95 ** 19); // and it keeps shrinking
  });
});

describe('chapter 6', () => {
  it('why “the cut follows the model’s confidence” (min-p, chapter.ts): as the temperature falls and the distribution sharpens, min-p never keeps more tokens; flat keeps many, peaked few', () => {
    for (const seed of [1n, 2n, 3n]) {
      const logits = logitsFor(seed);
      const kept = [3, 2, 1.5, 1, 0.7, 0.5, 0.3].map(
        (temperature) => sampled(logits, { temperature, topK: 0, topP: 0, minP: 0.1 }).left,
      );
      for (let i = 1; i < kept.length; i++) expect(kept[i]).toBeLessThanOrEqual(kept[i - 1]);
      expect(kept[0]).toBeGreaterThan(10 * kept.at(-1)!);
    }
  });

  it('readout “the acceptance rate is 1/M (which holds only when M ≥ M*)” (Rejection figure; chapter.ts): exactly 1/M from M* up, strictly less below, and the sampler’s draws agree', () => {
    const p = Array.from(sampled(logitsFor(4n), { temperature: 1, topK: 0, topP: 0.9 }).dist);
    // a proposal like a draft model's: the same logits, flatter, nothing cut
    const q = Array.from(sampled(logitsFor(4n), { temperature: 1.5, topK: 0, topP: 0 }).dist);
    const Mstar = minimalEnvelope(p, q);
    expect(Mstar).toBeGreaterThan(1);
    expect(Mstar).toBeLessThan(20);
    // P(accept) = sum_x q(x) min(1, p(x) / (M q(x))) = sum_x min(q(x), p(x) / M)
    const rate = (M: number) => p.reduce((a, pi, i) => a + Math.min(q[i], pi / M), 0);
    for (const f of [1, 1.5, 4]) expect(rate(Mstar * f) * Mstar * f).toBeCloseTo(1, 9);
    for (const f of [0.9, 0.5, 0.1]) expect(rate(Mstar * f) * Mstar * f).toBeLessThan(0.999);
    for (const f of [1.5, 0.25]) {
      const M = Mstar * f;
      const draws = rejectionDraws(p, q, M, 40_000, new XorShift64Star(6n));
      const observed = draws.filter((d) => d.accepted).length / draws.length;
      const sd = Math.sqrt((rate(M) * (1 - rate(M))) / draws.length);
      expect(Math.abs(observed - rate(M))).toBeLessThan(4 * sd);
    }
    // a uniform proposal is the figure's first choice: M* = n max p there
    expect(minimalEnvelope(p, uniform(p.length))).toBeCloseTo(p.length * Math.max(...p), 9);
  });

  it('prose (Semantics.svelte) “a token with p < (1 − P)/(n − 1) can never be in the nucleus”: true whenever P ≥ 1/n; below that the engine keeps the most likely token', () => {
    const rng = new XorShift64Star(7n);
    for (let trial = 0; trial < 300; trial++) {
      const n = 2 + (trial % 40);
      const p = distribution(rng, n, [0.05, 1, 4, 12][trial % 4]!);
      const P = 1 / n + (1 - 1 / n) * rng.nextF32();
      const cutoff = (1 - P) / (n - 1);
      for (const i of nucleus(p, P)) expect(p[i]).toBeGreaterThanOrEqual(cutoff);
    }
    // the condition is needed: 4 nearly equal tokens and P = 0.1 < 1/4 put the most likely token
    // (0.26) in the nucleus though it is below the cutoff 0.3; run.c would then keep nothing
    const flat = [0.26, 0.25, 0.25, 0.24];
    expect(nucleus(flat, 0.1)).toEqual([0]);
    expect(flat[0]).toBeLessThan((1 - 0.1) / 3);
    expect(topPKept(Float32Array.from(flat), 0.1)).toEqual([0]);
  });
});
