import { describe, expect, it } from 'vitest';
import { NumericalError, SettingsError } from '$engine/errors.ts';
import { XorShift64Star } from '$engine/rng.ts';
import {
  argmax,
  maskTopK,
  Sampler,
  sampleMult,
  sampleTopP,
  softmaxF32,
  validateSamplerSettings,
} from '$engine/sampler.ts';
import type { SamplerSettings } from '$engine/types.ts';
import { greedyLogits, greedyRun } from '../../helpers/fixtures.ts';
import { testRandom } from '../../helpers/random-model.ts';

/** run.c's random_u32 written with BigInt, the obvious way: the reference for the fast path. */
function bigintRng(seed: bigint) {
  const mask = (1n << 64n) - 1n;
  let s = BigInt.asUintN(64, seed);
  return () => {
    s ^= s >> 12n;
    s ^= (s << 25n) & mask;
    s ^= s >> 27n;
    return Number(((s * 0x2545f4914f6cdd1dn) & mask) >> 32n);
  };
}

const settings = (o: Partial<SamplerSettings> = {}): SamplerSettings => ({
  temperature: 1,
  topK: 0,
  topP: 0.9,
  seed: 42n,
  ...o,
});

describe('xorshift64*', () => {
  it('gives the first seed-42 coins of the spec', () => {
    const r = new XorShift64Star(42n);
    const coins = Array.from({ length: 5 }, () => r.nextF32());
    const spec = [0.33908522, 0.78225583, 0.79013699, 0.94404262, 0.76439363];
    coins.forEach((c, i) => expect(c).toBeCloseTo(spec[i], 8));
  });

  it.each([42n, 1n, -1n, 0xdeadbeefn, (1n << 63n) + 12345n, 0xffffffffn, 1n << 32n, -123456789n])(
    'equals a BigInt transcription for 5000 steps, seed %s',
    (seed) => {
      const fast = new XorShift64Star(seed);
      const ref = bigintRng(seed);
      for (let i = 0; i < 5000; i++) expect(fast.nextU32()).toBe(ref());
    },
  );

  it('exposes its state, and coins are float32 with 24 bits in [0, 1)', () => {
    const r = new XorShift64Star(7n);
    const ref = bigintRng(7n);
    for (let i = 0; i < 1000; i++) {
      const c = r.nextF32();
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThan(1);
      expect(Math.fround(c)).toBe(c);
      expect(c * 16777216).toBe(ref() >>> 8);
    }
    const again = new XorShift64Star(r.state);
    const copy = r.nextU32();
    expect(again.nextU32()).toBe(copy);
  });

  it('refuses seed 0 (and its 64-bit wraparound)', () => {
    expect(() => new XorShift64Star(0n)).toThrow(SettingsError);
    expect(() => new XorShift64Star(1n << 64n)).toThrow(/seed 0 is not allowed/);
  });
});

describe('sampling primitives', () => {
  it('argmax takes the first maximum', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax(Float32Array.of(-5, -5))).toBe(0);
    expect(argmax([0, 1, 9], 2)).toBe(1);
  });

  it('softmaxF32 matches a float64 softmax and stays float32', () => {
    const rand = testRandom(3);
    const x = Float32Array.from({ length: 300 }, () => (rand() - 0.5) * 20);
    const max = Math.max(...x);
    const e = Array.from(x, (v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    const y = x.slice();
    softmaxF32(y);
    y.forEach((v, i) => expect(Math.abs(v - e[i] / sum)).toBeLessThan(1e-6));
  });

  it('sampleMult returns the first index whose cdf exceeds the coin, else the last', () => {
    const p = Float32Array.of(0.25, 0.25, 0.5);
    expect(sampleMult(p, 0)).toBe(0);
    expect(sampleMult(p, 0.2499)).toBe(0);
    expect(sampleMult(p, 0.25)).toBe(1);
    expect(sampleMult(p, 0.75)).toBe(2);
    expect(sampleMult(Float32Array.of(0.1, 0.1), 0.5)).toBe(1); // sum < coin: n-1
  });

  it('sampleTopP keeps the nucleus in descending order and rescales the coin', () => {
    const p = Float32Array.of(0.15, 0.5, 0.05, 0.3);
    // sorted: 0.5 (1), 0.3 (3) -> cum 0.8 > 0.7, r = coin * 0.8
    expect(sampleTopP(p, 0.7, 0.6)).toBe(1); // r = 0.48 < 0.5
    expect(sampleTopP(p, 0.7, 0.7)).toBe(3); // r = 0.56
    expect(sampleTopP(p, 0.7, 0.999)).toBe(3); // never outside the nucleus
    // topp 0.99: cutoff (1-0.99)/3 keeps every token, 0.05 last
    expect(sampleTopP(p, 0.99, 0.999)).toBe(2);
  });

  it('sampleTopP equals a literal sort-everything transcription of run.c (500 cases, ties too)', () => {
    const f = Math.fround;
    const reference = (probs: Float32Array, topp: number, coin: number) => {
      const n = probs.length;
      const cutoff = f(f(1 - f(topp)) / (n - 1));
      const kept = Array.from(probs.keys())
        .filter((i) => probs[i] >= cutoff)
        .sort((a, b) => probs[b] - probs[a] || a - b);
      let cum = 0;
      let last = kept.length - 1;
      for (let i = 0; i < kept.length; i++) {
        cum = f(cum + probs[kept[i]]);
        if (cum > f(topp)) {
          last = i;
          break;
        }
      }
      const r = f(coin * cum);
      let cdf = 0;
      for (let i = 0; i <= last; i++) {
        cdf = f(cdf + probs[kept[i]]);
        if (r < cdf) return kept[i];
      }
      return kept[last];
    };
    const rand = testRandom(21);
    for (let trial = 0; trial < 500; trial++) {
      const n = 2 + Math.floor(rand() * 300);
      const coarse = trial % 2 === 0; // coarse logits make many exact ties
      const p = Float32Array.from({ length: n }, () =>
        coarse ? Math.round(rand() * 4) : rand() * 8,
      );
      softmaxF32(p);
      const topp = 0.05 + 0.9 * rand();
      const coin = rand();
      expect(sampleTopP(p, topp, coin)).toBe(reference(p, topp, coin));
    }
  });

  it('top-p never picks a token outside the smallest prefix exceeding topp (random check)', () => {
    const rand = testRandom(9);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(rand() * 50);
      const p = Float32Array.from({ length: n }, () => rand() ** 3);
      softmaxF32(p);
      const topp = 0.1 + 0.8 * rand();
      const id = sampleTopP(p, topp, rand());
      const sorted = Array.from(p).sort((a, b) => b - a);
      let cum = 0;
      let k = 0;
      while (k < n && cum <= topp) cum += sorted[k++];
      expect(p[id]).toBeGreaterThanOrEqual(sorted[k - 1] - 1e-7);
    }
  });

  it('maskTopK keeps exactly k logits, lower ids first on ties', () => {
    const scratch = new Float32Array(6);
    const x = Float32Array.of(1, 5, 3, 5, 3, 0);
    maskTopK(x, 3, scratch);
    expect(Array.from(x)).toEqual([-Infinity, 5, 3, 5, -Infinity, -Infinity]);
    const y = Float32Array.of(2, 2, 2, 2);
    maskTopK(y, 2, new Float32Array(4));
    expect(Array.from(y)).toEqual([2, 2, -Infinity, -Infinity]);
    const z = Float32Array.of(1, 2);
    maskTopK(z, 0, new Float32Array(2));
    expect(Array.from(z)).toEqual([1, 2]);
  });

  it('maskTopK agrees with sorting on random logits', () => {
    const rand = testRandom(4);
    for (let trial = 0; trial < 100; trial++) {
      const n = 1 + Math.floor(rand() * 100);
      const k = 1 + Math.floor(rand() * n);
      const x = Float32Array.from({ length: n }, () => Math.round(rand() * 20) / 4);
      const keep = Array.from(x.keys())
        .sort((a, b) => x[b] - x[a] || a - b)
        .slice(0, k);
      const y = x.slice();
      maskTopK(y, k, new Float32Array(n));
      for (let i = 0; i < n; i++) expect(y[i]).toBe(keep.includes(i) ? x[i] : -Infinity);
    }
  });
});

describe('Sampler', () => {
  const rand = testRandom(1);
  const logits = Float32Array.from({ length: 64 }, () => (rand() - 0.5) * 6);

  it('temperature 0 is argmax and draws no random number', () => {
    const s = new Sampler(64, settings({ temperature: 0 }));
    const before = s.rng.state;
    expect(s.sample(logits)).toBe(argmax(logits));
    expect(s.rng.state).toBe(before);
  });

  it('T > 0 draws one coin per token and follows run.c (multinomial when topp = 0 or 1)', () => {
    for (const topP of [0, 1]) {
      const s = new Sampler(64, settings({ topP, temperature: 0.8 }));
      const rng = new XorShift64Star(42n);
      for (let step = 0; step < 50; step++) {
        const p = Float32Array.from(logits, (v) => v / Math.fround(0.8));
        softmaxF32(p);
        expect(s.sample(logits)).toBe(sampleMult(p, rng.nextF32()));
      }
    }
  });

  it('top-p path equals sampleTopP on the same coins; logits are not modified', () => {
    const s = new Sampler(64, settings());
    const copy = logits.slice();
    const rng = new XorShift64Star(42n);
    for (let step = 0; step < 50; step++) {
      const p = logits.slice();
      softmaxF32(p);
      expect(s.sample(logits)).toBe(sampleTopP(p, 0.9, rng.nextF32()));
    }
    expect(logits).toEqual(copy);
  });

  it('top-k 1 is greedy whatever the coin; top-k k stays within the k best', () => {
    const one = new Sampler(64, settings({ topK: 1, topP: 0 }));
    for (let i = 0; i < 20; i++) expect(one.sample(logits)).toBe(argmax(logits));
    const best5 = Array.from(logits.keys())
      .sort((a, b) => logits[b] - logits[a])
      .slice(0, 5);
    const five = new Sampler(64, settings({ topK: 5, topP: 0, temperature: 2 }));
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(five.sample(logits));
    expect([...seen].every((id) => best5.includes(id))).toBe(true);
    expect(seen.size).toBeGreaterThan(2);
  });

  it('rejects bad settings with a clear error', () => {
    expect(() => validateSamplerSettings(settings({ temperature: NaN }))).toThrow(
      'temperature must be a finite number >= 0 (0 = greedy), got NaN',
    );
    expect(() => validateSamplerSettings(settings({ temperature: -1 }))).toThrow(SettingsError);
    expect(() => validateSamplerSettings(settings({ topP: NaN }))).toThrow(
      'top-p must be a number in [0, 1] (0 or 1 = off), got NaN',
    );
    expect(() => validateSamplerSettings(settings({ topP: -0.1 }))).toThrow(SettingsError);
    expect(() => validateSamplerSettings(settings({ topP: 1.5 }))).toThrow(SettingsError);
    expect(() => validateSamplerSettings(settings({ topK: 2.5 }))).toThrow(
      'top-k must be a whole number >= 0 (0 = off), got 2.5',
    );
    expect(() => new Sampler(64, settings({ seed: 0n }))).toThrow(/seed 0/);
  });

  it('non-finite logits are a NumericalError, not a silently sampled id', () => {
    const bad = logits.slice();
    bad[7] = NaN;
    expect(() => new Sampler(64, settings()).sample(bad)).toThrow(NumericalError);
    expect(() => new Sampler(64, settings({ temperature: 0 })).sample(bad)).toThrow(/token 7/);
    expect(() => new Sampler(64, settings({ temperature: 1e-45 })).sample(logits)).toThrow(
      /too small/,
    );
  });
});

describe("Sampler on run.c's own logits (greedy.logits)", () => {
  it('temperature 0 picks, from each row after the prompt, the token run.c fed next', () => {
    const run = greedyRun();
    const { rows, vocab, data } = greedyLogits();
    const fed = run.fed_ids!;
    const s = new Sampler(vocab, settings({ temperature: 0 }));
    for (let r = run.prompt_ids.length - 1; r < rows - 1; r++) {
      expect(s.sample(data.subarray(r * vocab, (r + 1) * vocab))).toBe(fed[r + 1]);
    }
    // the last row is the logits after the last fed token: its argmax is the final gen id
    expect(s.sample(data.subarray((rows - 1) * vocab))).toBe(run.gen_ids.at(-1));
  });
});
