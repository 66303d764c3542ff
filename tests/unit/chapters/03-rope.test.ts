// Chapter 3 (RoPE): every formula the page shows, checked numerically, and the engine's own RoPE
// (src/engine/cpu/ops.ts ropeTable/rope, and a real forward pass's q/q_rot taps) against them.
import { describe, expect, it } from 'vitest';
import { rope, ropeTable } from '$engine/cpu/ops.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { defaultKnobs, effectiveRopeBase } from '$engine/knobs.ts';
import type { Knobs } from '$engine/types.ts';
import { fixtureModel } from '../../helpers/fixtures.ts';
import {
  abelScore,
  complexScore,
  constantScore,
  decayBound,
  dot,
  maxPairStep,
  meanRange,
  movingAverage,
  norm2,
  ntkBase,
  partialSums,
  permute,
  ropeInterleaved,
  ropeRotateHalf,
  ropeScore,
  ropeScoreRotateHalf,
  ropeThetas,
  rotate2,
  rotateHalfPermutation,
  scaledAngle,
  wavelengths,
} from '../../../chapters/03-rope/math.ts';
import { formatBase, ropeView } from '../../../chapters/03-rope/page-knobs.ts';
import {
  headPairs,
  kvHeadOf,
  maxAngleError,
  maxLengthChange,
  wrapAngle,
} from '../../../chapters/03-rope/live.ts';
import {
  parsePairs,
  chapterParams,
  chapterParamDefaults,
} from '../../../chapters/03-rope/params.ts';

/** Deterministic uniform numbers in [-1, 1) (a 32-bit LCG), so failures are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}
function randomVec(r: () => number, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => r());
}

describe('frequencies and wavelengths', () => {
  it('theta_i = base^(-2i/d): theta_0 = 1, each pair slower by base^(-2/d)', () => {
    for (const [d, base] of [
      [16, 10000],
      [128, 10000],
      [128, 500000],
    ]) {
      const th = ropeThetas(d, base);
      expect(th.length).toBe(d / 2);
      expect(th[0]).toBe(1);
      for (let i = 1; i < th.length; i++) {
        expect(th[i] / th[i - 1]).toBeCloseTo(Math.pow(base, -2 / d), 12);
      }
      expect(th.at(-1)).toBeCloseTo(Math.pow(base, -(d - 2) / d), 12);
    }
  });

  it('a pair turned by one wavelength of positions is back where it started', () => {
    const d = 16;
    const lam = wavelengths(d, 10000);
    const th = ropeThetas(d, 10000);
    lam.forEach((l, i) => {
      expect(l * th[i]).toBeCloseTo(2 * Math.PI, 10);
      const x = new Array(d).fill(0);
      x[2 * i] = 0.3;
      x[2 * i + 1] = -1.1;
      const y = ropeInterleaved(x, l, 10000);
      expect(y[2 * i]).toBeCloseTo(0.3, 9);
      expect(y[2 * i + 1]).toBeCloseTo(-1.1, 9);
    });
  });

  it('the longest wavelength for d = 128 is 2 pi base^(126/128): about 54,000 vs 2.5 million positions', () => {
    const w10k = wavelengths(128, 10000).at(-1)!;
    const w500k = wavelengths(128, 500000).at(-1)!;
    expect(w10k).toBeCloseTo(2 * Math.PI * Math.pow(10000, 126 / 128), 6);
    expect(w10k).toBeGreaterThan(54000);
    expect(w10k).toBeLessThan(55000);
    expect(w500k).toBeGreaterThan(2.4e6);
    expect(w500k).toBeLessThan(2.6e6);
  });
});

describe('rotation', () => {
  it('rotate2 preserves length and composes by adding angles', () => {
    const [a, b] = rotate2(0.6, -0.8, 0.7);
    expect(Math.hypot(a, b)).toBeCloseTo(1, 14);
    const [c, e] = rotate2(a, b, -0.2);
    const [f, g] = rotate2(0.6, -0.8, 0.5);
    expect(c).toBeCloseTo(f, 14);
    expect(e).toBeCloseTo(g, 14);
  });

  it('RoPE keeps the length of every pair', () => {
    const r = rng(7);
    const x = randomVec(r, 16);
    const y = ropeInterleaved(x, 123, 10000);
    for (let i = 0; i < 8; i++) {
      expect(Math.hypot(y[2 * i], y[2 * i + 1])).toBeCloseTo(Math.hypot(x[2 * i], x[2 * i + 1]), 6);
    }
  });

  it('<R(m) q, R(n) k> = <q, R(n - m) k> = the complex form, in float64', () => {
    const r = rng(11);
    for (let trial = 0; trial < 50; trial++) {
      const d = 2 * (1 + Math.floor(((r() + 1) / 2) * 64));
      const q = randomVec(r, d);
      const k = randomVec(r, d);
      const m = Math.floor(((r() + 1) / 2) * 5000);
      const n = Math.floor(((r() + 1) / 2) * 5000);
      const base = trial % 2 ? 10000 : 500000;
      const s = ropeScore(q, k, m, n, base);
      expect(s).toBeCloseTo(dot(q, ropeInterleaved(k, n - m, base)), 9);
      expect(s).toBeCloseTo(complexScore(q, k, m - n, base), 9);
      // moving both positions together changes nothing
      expect(ropeScore(q, k, m + 77, n + 77, base)).toBeCloseTo(s, 9);
    }
  });
});

describe("the engine's RoPE (ops.ts ropeTable + rope)", () => {
  const positions = 1024;

  function table(hs: number, base: number, factor = 1) {
    const cos = new Float32Array((positions * hs) / 2);
    const sin = new Float32Array((positions * hs) / 2);
    ropeTable(cos, sin, positions, hs, base, factor);
    return { cos, sin };
  }
  function engineRope(
    x: Float32Array,
    hs: number,
    t: { cos: Float32Array; sin: Float32Array },
    pos: number,
  ) {
    const y = Float32Array.from(x);
    rope(y, 0, y.length, hs, t.cos, t.sin, pos);
    return y;
  }

  it('the score depends only on n - m, for random vectors and positions (3 heads of 16 and 64)', () => {
    const r = rng(2024);
    for (const hs of [16, 64]) {
      const t = table(hs, 10000);
      for (let trial = 0; trial < 200; trial++) {
        const nHeads = 3;
        const q = randomVec(r, nHeads * hs);
        const k = randomVec(r, nHeads * hs);
        const m = Math.floor(((r() + 1) / 2) * positions);
        const n = Math.floor(((r() + 1) / 2) * positions);
        const qm = engineRope(q, hs, t, m);
        const kn = engineRope(k, hs, t, n);
        for (let h = 0; h < nHeads; h++) {
          const sl = (v: Float32Array) => v.subarray(h * hs, (h + 1) * hs);
          const score = dot(sl(qm), sl(kn));
          // <R(m) q, R(n) k> = <q, R(n-m) k> = <R(m-n) q, k>: rotate only the later one
          const rel =
            n >= m
              ? dot(sl(q), sl(engineRope(k, hs, t, n - m)))
              : dot(sl(engineRope(q, hs, t, m - n)), sl(k));
          // float32 angles at positions ~1000 are good to ~1e-4 rad: compare against |q||k|
          const scale = norm2(sl(q)) * norm2(sl(k));
          expect(Math.abs(score - rel)).toBeLessThan(2e-4 * scale);
          // and the engine agrees with the float64 formula of the page
          expect(Math.abs(score - ropeScore(sl(q), sl(k), m, n, 10000))).toBeLessThan(2e-4 * scale);
        }
      }
    }
  });

  it('rotates interleaved pairs exactly like the chapter formula', () => {
    const r = rng(5);
    const t = table(16, 500000);
    const x = randomVec(r, 16);
    const got = engineRope(x, 16, t, 300);
    const want = ropeInterleaved(x, 300, 500000);
    want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 4));
    // and not like the rotate-half layout
    const half = ropeRotateHalf(x, 300, 500000);
    expect(Math.max(...half.map((h, i) => Math.abs(h - got[i])))).toBeGreaterThan(0.01);
  });

  it('linear interpolation: position f*m with factor f gives bit-for-bit the angles of m unscaled', () => {
    const hs = 16;
    const plain = table(hs, 10000, 1);
    for (const f of [2, 4]) {
      const scaled = table(hs, 10000, f);
      for (let m = 0; f * m < positions; m += 7) {
        for (let j = 0; j < hs / 2; j++) {
          expect(scaled.cos[f * m * (hs / 2) + j]).toBe(plain.cos[m * (hs / 2) + j]);
          expect(scaled.sin[f * m * (hs / 2) + j]).toBe(plain.sin[m * (hs / 2) + j]);
        }
      }
    }
    // the page's formula says the same
    for (let i = 0; i < 8; i++) {
      expect(scaledAngle(2 * 37, i, 16, 10000, 'linear', 2, 256)).toBeCloseTo(
        scaledAngle(37, i, 16, 10000, 'none', 1, 256),
        12,
      );
    }
  });
});

describe('interleaved pairs vs rotate-half', () => {
  it('the permutation takes old row 2i + c to new row c * d/2 + i', () => {
    expect(rotateHalfPermutation(8)).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
    const p = rotateHalfPermutation(128);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 128 }, (_, i) => i));
  });

  it('permuting q and k (the rows of Wq, Wk) gives the same scores; without it they differ', () => {
    const r = rng(99);
    let maxDiffUnpermuted = 0;
    for (let trial = 0; trial < 40; trial++) {
      const d = [8, 16, 64, 128][trial % 4];
      const P = rotateHalfPermutation(d);
      const q = randomVec(r, d);
      const k = randomVec(r, d);
      const m = Math.floor(((r() + 1) / 2) * 4096);
      const n = Math.floor(((r() + 1) / 2) * 4096);
      const meta = ropeScore(q, k, m, n, 10000);
      const hf = ropeScoreRotateHalf(permute(q, P), permute(k, P), m, n, 10000);
      expect(hf).toBeCloseTo(meta, 9);
      // stronger: the rotated vectors themselves are the same up to the permutation
      const a = permute(ropeInterleaved(q, m, 10000), P);
      const b = ropeRotateHalf(permute(q, P), m, 10000);
      a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 9));
      maxDiffUnpermuted = Math.max(
        maxDiffUnpermuted,
        Math.abs(ropeScoreRotateHalf(q, k, m, n, 10000) - meta),
      );
    }
    expect(maxDiffUnpermuted).toBeGreaterThan(0.1);
  });

  it('a permuted row order leaves q . k unchanged (why the model is the same)', () => {
    const r = rng(3);
    const q = randomVec(r, 16);
    const k = randomVec(r, 16);
    const P = rotateHalfPermutation(16);
    expect(dot(permute(q, P), permute(k, P))).toBeCloseTo(dot(q, k), 6);
  });
});

describe('long-range decay', () => {
  it('Abel summation: sum h_i e^{i D theta_i} = sum (h_i - h_{i+1}) S_{i+1}', () => {
    const r = rng(17);
    for (let trial = 0; trial < 30; trial++) {
      const q = randomVec(r, 32);
      const k = randomVec(r, 32);
      const D = Math.floor(((r() + 1) / 2) * 3000);
      expect(abelScore(q, k, D, 10000)).toBeCloseTo(complexScore(q, k, D, 10000), 8);
    }
  });

  it('RoFormer bound: |score| <= max|h_{i+1} - h_i| * (d/2) * bound(D), for random q, k', () => {
    const r = rng(23);
    for (let trial = 0; trial < 200; trial++) {
      const d = [16, 64, 128][trial % 3];
      const q = randomVec(r, d);
      const k = randomVec(r, d);
      const D = Math.floor(((r() + 1) / 2) * 5000);
      const lhs = Math.abs(complexScore(q, k, D, 10000));
      const rhs = maxPairStep(q, k) * (d / 2) * decayBound(d, 10000, D);
      expect(lhs).toBeLessThanOrEqual(rhs * (1 + 1e-12));
    }
  });

  it('C_0 = 0, C_j = j at distance 0, so the bound starts at (d/2 + 1)/2 and falls with distance', () => {
    const S = partialSums(16, 10000, 0);
    expect(S[0]).toEqual([0, 0]);
    expect(S.map((s) => s[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(decayBound(128, 10000, 0)).toBeCloseTo(32.5, 12);
    // averaged over windows the bound decreases (it oscillates locally)
    const avg = (a: number, b: number) => {
      let s = 0;
      for (let D = a; D < b; D++) s += decayBound(128, 10000, D);
      return s / (b - a);
    };
    expect(avg(1, 10)).toBeGreaterThan(avg(50, 60));
    expect(avg(50, 60)).toBeGreaterThan(avg(200, 250));
  });

  it('constant vectors: score / score(0) = mean_i cos(D theta_i), 1 at D = 0', () => {
    const ones = new Array(16).fill(1);
    expect(constantScore(16, 10000, 0)).toBe(1);
    for (const D of [1, 5, 40, 300]) {
      expect(constantScore(16, 10000, D)).toBeCloseTo(ropeScore(ones, ones, 0, D, 10000) / 16, 12);
    }
  });
});

describe('scaling past the trained context', () => {
  it('NTK-aware base keeps theta_0 and divides the slowest theta by exactly f', () => {
    for (const d of [16, 128]) {
      const f = 4;
      const b = ntkBase(10000, f, d);
      const th = ropeThetas(d, 10000);
      const tn = ropeThetas(d, b);
      expect(tn[0]).toBe(th[0]);
      expect(tn.at(-1)! * f).toBeCloseTo(th.at(-1)!, 12);
      // the page's ntkBase is the engine's effectiveRopeBase
      const knobs: Knobs = {
        ...defaultKnobs(fixtureModel().config),
        ropeBase: 10000,
        ropeScaling: 'ntk',
        ropeFactor: f,
      };
      expect(effectiveRopeBase(knobs, d)).toBeCloseTo(b, 6);
    }
  });

  it('scaledAngle: linear divides every angle by f; NTK keeps pair 0 and slows the slowest by f', () => {
    expect(scaledAngle(100, 0, 16, 10000, 'linear', 4, 256)).toBeCloseTo(25, 12);
    expect(scaledAngle(100, 0, 16, 10000, 'ntk', 4, 256)).toBeCloseTo(100, 12);
    expect(scaledAngle(100, 7, 16, 10000, 'ntk', 4, 256)).toBeCloseTo(
      scaledAngle(100, 7, 16, 10000, 'none', 1, 256) / 4,
      12,
    );
  });
});

describe('a real forward pass (fixture random-s.bin: 8 heads of 8, 4 KV heads)', () => {
  const model = fixtureModel();
  const c = model.config;
  const hs = c.dim / c.nHeads;
  const kvDim = (c.dim * c.nKvHeads) / c.nHeads;
  const tokens = [1, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100];
  const taps = ['L1.attn.q', 'L1.attn.q_rot', 'L1.attn.k', 'L1.attn.k_rot'];

  function run(knobs: Partial<Knobs>, maxPositions?: number) {
    const be = createCpuBackend(model, { ...defaultKnobs(c), ...knobs }, { maxPositions });
    const tr = be.forwardPromptSync(tokens, 0, { trace: taps }).trace!;
    be.dispose();
    return (name: string) => tr.get(name)!;
  }

  function expectRotated(
    raw: Float32Array,
    rot: Float32Array,
    width: number,
    posOf: (t: number) => number,
    base: number,
  ) {
    for (let t = 0; t < tokens.length; t++) {
      for (let h = 0; h < width / hs; h++) {
        const o = t * width + h * hs;
        const want = ropeInterleaved(raw.subarray(o, o + hs), posOf(t), base);
        want.forEach((w, i) => expect(rot[o + i]).toBeCloseTo(w, 4));
      }
    }
  }

  it('q_rot and k_rot are q and k turned by the page formula at each token position', () => {
    const get = run({});
    expect(get('L1.attn.q').shape).toEqual([tokens.length, c.dim]);
    expectRotated(get('L1.attn.q').data, get('L1.attn.q_rot').data, c.dim, (t) => t, c.ropeBase);
    expectRotated(get('L1.attn.k').data, get('L1.attn.k_rot').data, kvDim, (t) => t, c.ropeBase);
  });

  it('with another base, linear interpolation and NTK scaling, the taps follow the formulas', () => {
    const g1 = run({ ropeBase: 500000 });
    expectRotated(g1('L1.attn.q').data, g1('L1.attn.q_rot').data, c.dim, (t) => t, 500000);
    const g2 = run({ ropeScaling: 'linear', ropeFactor: 4 }, 4 * c.seqLen);
    expectRotated(g2('L1.attn.q').data, g2('L1.attn.q_rot').data, c.dim, (t) => t / 4, c.ropeBase);
    const g3 = run({ ropeScaling: 'ntk', ropeFactor: 4 });
    expectRotated(
      g3('L1.attn.k').data,
      g3('L1.attn.k_rot').data,
      kvDim,
      (t) => t,
      ntkBase(c.ropeBase, 4, hs),
    );
  });

  it('RoPE off: q_rot equals q (NoPE)', () => {
    const g = run({ rope: false });
    expect(Array.from(g('L1.attn.q_rot').data)).toEqual(Array.from(g('L1.attn.q').data));
  });
});

describe("the live view's read-out of a real trace (live.ts)", () => {
  const model = fixtureModel();
  const c = model.config;
  const hs = c.dim / c.nHeads;
  const tokens = [1, 84, 104, 101, 32, 113, 117, 105, 99, 107, 32, 98, 114, 111, 119, 110];
  const names = ['L2.attn.q', 'L2.attn.q_rot', 'L2.attn.k', 'L2.attn.k_rot'];

  function taps(knobs: Partial<Knobs>) {
    const be = createCpuBackend(
      model,
      { ...defaultKnobs(c), ...knobs },
      { maxPositions: 4 * c.seqLen },
    );
    const tr = be.forwardPromptSync(tokens, 0, { trace: names }).trace!;
    be.dispose();
    const [q, qRot, k, kRot] = names.map((n) => tr.get(n)!);
    return { q, qRot, k, kRot };
  }

  it('query head h reads KV head floor(h * kvHeads / nHeads)', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((h) => kvHeadOf(h, 8, 4))).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3,
    ]);
    expect(kvHeadOf(5, 8, 1)).toBe(0);
    expect(kvHeadOf(5, 8, 8)).toBe(5);
    expect(wrapAngle(3 * Math.PI)).toBeCloseTo(Math.PI, 12);
  });

  it('every pair turned by its predicted angle and kept its length, under each knob setting', () => {
    const cases: Partial<Knobs>[] = [
      {},
      { ropeBase: 500000 },
      { ropeScaling: 'linear', ropeFactor: 3 },
      { ropeScaling: 'ntk', ropeFactor: 8 },
      { ropeScaling: 'llama3', ropeFactor: 8 },
      { ropeScaling: 'yarn', ropeFactor: 8 },
    ];
    for (const knobs of cases) {
      const t = taps(knobs);
      const view = ropeView(
        {
          ...(knobs.ropeBase ? { ropeBase: knobs.ropeBase } : {}),
          ...(knobs.ropeScaling
            ? { ropeScaling: knobs.ropeScaling, ropeFactor: knobs.ropeFactor! }
            : {}),
        },
        { rope: true, ropeBase: c.ropeBase },
      );
      for (const head of [0, 3, 7]) {
        for (const tok of [0, 5, tokens.length - 1]) {
          const rows = headPairs(t, head, tok, hs, c.nHeads, view, c.seqLen);
          expect(rows.length).toBe(hs / 2);
          expect(maxAngleError(rows)).toBeLessThan(1e-4);
          expect(maxLengthChange(rows)).toBeLessThan(1e-5);
          // the key pairs are the KV head's, turned by the same angles
          const kv = kvHeadOf(head, c.nHeads, c.nKvHeads);
          const ko = tok * t.k.shape[1] + kv * hs;
          rows.forEach((r) => {
            expect(r.k[0]).toBe(t.k.data[ko + 2 * r.i]);
            expect(r.kr[1]).toBe(t.kRot.data[ko + 2 * r.i + 1]);
          });
        }
      }
    }
  });

  it('a wrong prediction is caught: the trained angles do not explain a base of 500,000', () => {
    const t = taps({ ropeBase: 500000 });
    const rows = headPairs(
      t,
      1,
      tokens.length - 1,
      hs,
      c.nHeads,
      ropeView({}, { rope: true, ropeBase: c.ropeBase }),
      c.seqLen,
    );
    expect(maxAngleError(rows)).toBeGreaterThan(0.01);
  });

  it('with RoPE off the measured turn is 0 and so is the prediction', () => {
    const t = taps({ rope: false });
    const rows = headPairs(
      t,
      2,
      7,
      hs,
      c.nHeads,
      ropeView({ rope: false }, { rope: true, ropeBase: c.ropeBase }),
      c.seqLen,
    );
    expect(maxAngleError(rows)).toBe(0);
    rows.forEach((r) => expect(r.measured).toBe(0));
  });
});

describe('held-out NLL by position helpers', () => {
  it('movingAverage is a trailing mean over the window', () => {
    expect(movingAverage([1, 2, 3, 4, 5], 2)).toEqual([1, 1.5, 2.5, 3.5, 4.5]);
    expect(movingAverage([1, NaN, 3], 3)).toEqual([1, 1, 2]);
  });
  it('meanRange averages a clamped slice', () => {
    expect(meanRange([1, 2, 3, 4], 1, 3)).toBe(2.5);
    expect(meanRange([1, 2, 3, 4], 3, 99)).toBe(4);
    expect(meanRange([1, 2], 5, 9)).toBeNaN();
  });
});

describe('chapter parameters', () => {
  it('parsePairs reads a query/key pair from the link, falling back with a note', () => {
    expect(parsePairs('1, 0.5, -0.3, 1.2')).toEqual({ q: [1, 0.5], k: [-0.3, 1.2], note: '' });
    const bad = parsePairs('x, 1');
    expect(bad.note).not.toBe('');
    expect(bad.q.length).toBe(2);
    expect(parsePairs('0, 0, 1, 1').note).toMatch(/zero/);
  });
  it('every default is a valid value of its spec', () => {
    for (const spec of chapterParams) {
      const v = chapterParamDefaults[spec.key as keyof typeof chapterParamDefaults];
      expect(v, spec.key).not.toBeUndefined();
      if (spec.kind === 'enum') expect(spec.options).toContain(String(v));
      if (spec.kind === 'int' || spec.kind === 'number') {
        expect(Number(v)).toBeGreaterThanOrEqual(spec.min);
        expect(Number(v)).toBeLessThanOrEqual(spec.max);
      }
    }
  });
  it('ropeView: an absent knob means the trained value, a present one wins', () => {
    expect(ropeView({}, { rope: true, ropeBase: 500000 })).toEqual({
      rope: true,
      base: 500000,
      scaling: 'none',
      factor: 1,
    });
    expect(ropeView({}, undefined).base).toBe(10000);
    expect(ropeView({}, { rope: false, ropeBase: 10000 }).rope).toBe(false);
    expect(
      ropeView(
        { rope: false, ropeBase: 123, ropeScaling: 'ntk', ropeFactor: 4 },
        { rope: true, ropeBase: 10000 },
      ),
    ).toEqual({ rope: false, base: 123, scaling: 'ntk', factor: 4 });
  });
  it('formatBase writes bases the way the prose does', () => {
    expect(formatBase(10000)).toBe('10,000');
    expect(formatBase(500000)).toBe('500,000');
    expect(formatBase(501187.2336)).toBe('501,187');
    expect(formatBase(2.5)).toBe('2.5');
  });
});
