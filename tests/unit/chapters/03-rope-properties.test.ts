// Properties chapter 3's prose, derivations, captions and quiz state about the long-context
// scalings, checked numerically (float64 formulas of chapters/03-rope/math.ts, which
// 03-rope.test.ts checks against the engine's tables): which pairs each scaling slows and by how
// much, the equivalence of Meta's wavelength form and the ramp, YaRN's temperature, and the NoPE
// numbers quoted from the shipped runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as m from '../../../chapters/03-rope/math.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { defaultKnobs } from '$engine/knobs.ts';
import { loadGreedy, loadRandomS } from '../engine-cpu/fixture.ts';

const d = 128;
const base = 500000;
const L = 8192;
const s = 8;
const thetas = m.ropeThetas(d, base);
const lambdas = m.wavelengths(d, base);

describe('the four scalings', () => {
  it('linear slows every pair exactly s times', () => {
    for (const x of m.stretchFactors(d, base, 'linear', s, L)) expect(x).toBeCloseTo(s, 12);
  });
  it('NTK-aware keeps only pair 0, slows the last exactly s times, and the others strictly more with i', () => {
    const st = m.stretchFactors(d, base, 'ntk', s, L);
    expect(st[0]).toBe(1);
    expect(st[d / 2 - 1]).toBeCloseTo(s, 10);
    for (let i = 1; i < st.length; i++) {
      expect(st[i]).toBeGreaterThan(st[i - 1]);
      expect(st[i]).toBeGreaterThan(1);
    }
    // θ′ᵢ = θᵢ s^(−2i/(d−2))
    thetas.forEach((t, i) =>
      expect(m.scaledTheta(i, d, base, 'ntk', s, L)).toBeCloseTo(t * s ** ((-2 * i) / (d - 2)), 14),
    );
  });
  for (const [k, beta] of [
    ['llama3', 4],
    ['yarn', 32],
  ] as const) {
    it(`${k}: pairs with λ < L/${beta} keep their speed exactly, λ > L are slowed s times, the rest in between, monotonically`, () => {
      const st = m.stretchFactors(d, base, k, s, L);
      st.forEach((x, i) => {
        if (lambdas[i] < L / beta) expect(x).toBe(1);
        else if (lambdas[i] > L) expect(x).toBeCloseTo(s, 12);
        else {
          expect(x).toBeGreaterThanOrEqual(1);
          expect(x).toBeLessThanOrEqual(s);
        }
        if (i > 0) expect(x).toBeGreaterThanOrEqual(st[i - 1]);
      });
    });
  }
  it('Llama 3.1 (Meta apply_scaling, wavelength form) equals the ramp with α = 1, β = 4', () => {
    thetas.forEach((t, i) => {
      const w = (2 * Math.PI) / t;
      const smooth = (L / w - 1) / (4 - 1);
      const meta = w < L / 4 ? t : w > L ? t / s : (1 - smooth) * (t / s) + smooth * t;
      expect(m.scaledTheta(i, d, base, 'llama3', s, L)).toBeCloseTo(meta, 15);
    });
  });
  it('every scaling with s = 1 is no scaling', () => {
    for (const k of ['linear', 'ntk', 'llama3', 'yarn'] as const) {
      for (const x of m.stretchFactors(d, base, k, 1, L)) expect(x).toBeCloseTo(1, 12);
    }
  });
  it('YaRN multiplies q and k by 0.1 ln s + 1 (logits by its square, = 1/t); nothing else does', () => {
    expect(m.qkScale('yarn', s)).toBeCloseTo(1 + 0.1 * Math.log(8), 15);
    expect(m.qkScale('yarn', 1)).toBe(1);
    for (const k of ['none', 'linear', 'ntk', 'llama3'] as const) expect(m.qkScale(k, s)).toBe(1);
  });
  it('quiz: interpolation by 4 gives position 1,000 the angles of position 250, for every pair', () => {
    for (let i = 0; i < d / 2; i++) {
      expect(m.scaledAngle(1000, i, d, base, 'linear', 4, L)).toBeCloseTo(
        m.scaledAngle(250, i, d, base, 'none', 1, L),
        9,
      );
    }
  });
});

describe('the NoPE numbers of the alternatives block', () => {
  const final = (run: string) => {
    const c = JSON.parse(
      readFileSync(new URL(`../../../assets/models/${run}/curve.json`, import.meta.url), 'utf8'),
    );
    return c.val.bits_per_char.at(-1) as number;
  };
  it('NoPE is 0.23 bits/char worse than the RoPE model (2.461 against 2.236), about six times the MHA/GQA/MQA spread (0.036)', () => {
    const nope = final('nope');
    const main = final('main');
    expect(nope.toFixed(3)).toBe('2.461');
    expect(main.toFixed(3)).toBe('2.236');
    expect((nope - main).toFixed(2)).toBe('0.23');
    const spread =
      Math.max(...['mha', 'mqa', 'main'].map(final)) -
      Math.min(...['mha', 'mqa', 'main'].map(final));
    expect(spread.toFixed(3)).toBe('0.036');
    expect(Math.round((nope - main) / spread)).toBe(6);
  });
});

describe('the intro: position reaches the residual stream through attention', () => {
  const model = loadRandomS();
  const { greedy } = loadGreedy();
  const [a, b, c] = greedy.fed_ids.slice(1, 4);
  const out = (rope: boolean, toks: number[]) =>
    createCpuBackend(model, { ...defaultKnobs(model.config), rope })
      .forwardPromptSync(toks, 0, { trace: ['L0.ffn_norm.in'] })
      .trace!.get('L0.ffn_norm.in')!;
  const row = (t: { shape: readonly number[]; data: Float32Array }, r: number) =>
    Array.from(t.data.subarray(r * t.shape[1], (r + 1) * t.shape[1]));
  const diff = (x: number[], y: number[]) => Math.max(...x.map((v, i) => Math.abs(v - y[i])));
  it('with RoPE, the same last token after the same earlier tokens in another order gets another residual', () => {
    expect(diff(row(out(true, [a, b, c]), 2), row(out(true, [b, a, c]), 2))).toBeGreaterThan(1e-4);
  });
  it('with RoPE off, the causal mask alone still makes a token’s residual depend on its position', () => {
    expect(diff(row(out(false, [a, b, c]), 2), row(out(false, [b, a, c]), 2))).toBeLessThan(1e-6);
    expect(diff(row(out(false, [a, b]), 0), row(out(false, [b, a]), 1))).toBeGreaterThan(1e-4);
  });
});
