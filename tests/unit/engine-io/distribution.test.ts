// The sampler's whole distribution (samplingDistribution), min-p, and the chi-square test used by
// the statistical tests of speculative decoding and of chapter 6's rejection sampler.
import { describe, expect, it } from 'vitest';
import {
  drawFrom,
  entropyBits,
  samplingDistribution,
  support,
  topPKept,
} from '$engine/distribution.ts';
import { applyMinP, Sampler } from '$engine/sampler.ts';
import type { SamplerSettings } from '$engine/types.ts';
import { chiSquareSurvival, chiSquareTest } from '$lib/stats.ts';
import { testRandom } from '../../helpers/random-model.ts';
import { mixedSeeds } from '../../helpers/seeds.ts';

const V = 64;
function logits(seed = 1, spread = 4): Float32Array {
  const r = testRandom(seed);
  return Float32Array.from({ length: V }, () => (r() * 2 - 1) * spread);
}
const S = (o: Partial<SamplerSettings> = {}): SamplerSettings => ({
  temperature: 1,
  topK: 0,
  topP: 0,
  seed: 7n,
  ...o,
});

describe('chi-square', () => {
  it('survival function matches tabulated critical values', () => {
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(18.307038, 10)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(6.634897, 1)).toBeCloseTo(0.01, 6);
    expect(chiSquareSurvival(124.342113, 100)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });

  it('pools small expected counts and is infinite for an impossible observation', () => {
    const r = chiSquareTest([50, 50, 0, 0], [0.5, 0.5, 0, 0]);
    expect(r.statistic).toBe(0);
    expect(r.bins).toBe(2);
    expect(chiSquareTest([50, 49, 1], [0.5, 0.5, 0]).statistic).toBe(Infinity);
  });
});

describe('min-p', () => {
  it('drops tokens below minP times the largest probability and renormalises', () => {
    const p = Float32Array.of(0.5, 0.3, 0.15, 0.05);
    applyMinP(p, 0.2); // floor 0.1: the 0.05 goes
    expect(p[3]).toBe(0);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 6);
    expect(p[0] / p[1]).toBeCloseTo(0.5 / 0.3, 5);
    const q = Float32Array.of(0.5, 0.3, 0.15, 0.05);
    applyMinP(q, 0);
    expect(Array.from(q)).toEqual(Array.from(Float32Array.of(0.5, 0.3, 0.15, 0.05)));
  });

  it('min-p 0 leaves the sampler exactly as before (run.c parity), min-p 1 is greedy', () => {
    const l = logits(3);
    const a = new Sampler(V, S({ topP: 0.9 }));
    const b = new Sampler(V, S({ topP: 0.9, minP: 0 }));
    const c = new Sampler(V, S({ minP: 1 }));
    const argmax = l.indexOf(Math.max(...l));
    for (let i = 0; i < 200; i++) {
      expect(b.sample(l)).toBe(a.sample(l));
      expect(c.sample(l)).toBe(argmax);
    }
  });

  it('refuses an out-of-range min-p in words', () => {
    expect(() => new Sampler(V, S({ minP: 1.5 }))).toThrow(/min-p must be a number in \[0, 1\]/);
    expect(() => new Sampler(V, S({ minP: NaN }))).toThrow(/min-p/);
  });
});

describe('samplingDistribution', () => {
  it('temperature 0 is one-hot on the argmax; entropy 0, one token left', () => {
    const l = logits(2);
    const d = samplingDistribution(new Sampler(V, S({ temperature: 0 })), l);
    expect(support(d)).toBe(1);
    expect(d[l.indexOf(Math.max(...l))]).toBe(1);
    expect(entropyBits(d)).toBe(0);
  });

  it('plain sampling is the softmax of logits / T; entropy of uniform is log2 V', () => {
    const l = logits(4);
    const d = samplingDistribution(new Sampler(V, S({ temperature: 0.7 })), l);
    const e = Array.from(l, (x) => Math.exp(x / 0.7));
    const z = e.reduce((s, x) => s + x, 0);
    e.forEach((x, i) => expect(d[i]).toBeCloseTo(x / z, 6));
    const flat = samplingDistribution(new Sampler(V, S()), new Float32Array(V));
    expect(entropyBits(flat)).toBeCloseTo(Math.log2(V), 6);
  });

  it('top-k keeps k tokens, top-p keeps the smallest prefix whose mass exceeds p (run.c cut)', () => {
    const l = logits(5);
    expect(support(samplingDistribution(new Sampler(V, S({ topK: 5 })), l))).toBe(5);
    const s = new Sampler(V, S({ topP: 0.6 }));
    const d = samplingDistribution(s, l);
    const probs = s.probabilities;
    const kept = topPKept(probs, 0.6);
    expect(support(d)).toBe(kept.length);
    const mass = kept.reduce((a, i) => a + probs[i], 0);
    const massBefore = mass - probs[kept[kept.length - 1]];
    expect(mass).toBeGreaterThan(0.6);
    expect(massBefore).toBeLessThanOrEqual(0.6);
  });

  it('is the distribution the sampler draws from: chi-square over many seeds (T 0.9, top-k 20, top-p 0.9, min-p 0.05)', () => {
    const l = logits(6, 2);
    const set = { temperature: 0.9, topK: 20, topP: 0.9, minP: 0.05 };
    const d = samplingDistribution(new Sampler(V, S(set)), l);
    const counts = new Array<number>(V).fill(0);
    for (const seed of mixedSeeds(6000)) counts[new Sampler(V, S({ ...set, seed })).sample(l)]++;
    // nothing outside the support is ever drawn
    counts.forEach((c, i) => {
      if (d[i] === 0) expect(c).toBe(0);
    });
    expect(chiSquareTest(counts, d).pValue).toBeGreaterThan(0.001);
    // and the test has power: the distribution without min-p and top-p is rejected
    const loose = samplingDistribution(new Sampler(V, S({ temperature: 0.9 })), l);
    expect(chiSquareTest(counts, loose).pValue).toBeLessThan(1e-6);
  });

  it('drawFrom never returns a zero-probability id', () => {
    const d = Float64Array.of(0, 0.5, 0, 0.5, 0);
    for (const c of [0, 0.25, 0.4999, 0.5, 0.99999]) expect([1, 3]).toContain(drawFrom(d, c));
  });
});
