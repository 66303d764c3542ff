// The frequency-dependent long-context scalings (src/engine/rope-scaling.ts): Llama 3.1's
// apply_scaling and YaRN. Checked against Meta's formula written the way its reference code
// states it (with wavelengths and branches), against the YaRN paper's ramp and temperature, and
// in the CPU engine's tables and forward pass.
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { ropeFreq, ropeTable } from '$engine/math.ts';
import { defaultKnobs } from '$engine/knobs.ts';
import { fillRopeTable, perPairFrequency, rampGamma, yarnQkScale } from '$engine/rope-scaling.ts';
import type { Knobs } from '$engine/types.ts';
import { loadGreedy, loadRandomS } from './fixture.ts';

/** Llama 3.1's scaling as Meta's reference code states it (wavelength thresholds, three branches). */
function metaApplyScaling(freq: number, s = 8, low = 1, high = 4, oldLen = 8192): number {
  const lowWavelen = oldLen / low;
  const highWavelen = oldLen / high;
  const wavelen = (2 * Math.PI) / freq;
  if (wavelen < highWavelen) return freq;
  if (wavelen > lowWavelen) return freq / s;
  const smooth = (oldLen / wavelen - low) / (high - low);
  return (1 - smooth) * (freq / s) + smooth * freq;
}

// Llama 3.1 8B: head size 128, base 500,000.
const thetas = Array.from({ length: 64 }, (_, i) => Math.pow(500000, (-2 * i) / 128));

describe('llama3: Meta apply_scaling', () => {
  it('equals the reference formula for every pair of Llama 3.1 (s = 8, L = 8192)', () => {
    for (const t of thetas) {
      expect(perPairFrequency('llama3', t, 8, 8192)).toBeCloseTo(metaApplyScaling(t), 15);
    }
  });
  it('keeps pairs with wavelength < L/4, divides those with wavelength > L by s, blends between', () => {
    let kept = 0;
    let divided = 0;
    let blended = 0;
    for (const t of thetas) {
      const w = (2 * Math.PI) / t;
      const out = perPairFrequency('llama3', t, 8, 8192);
      if (w < 8192 / 4) {
        expect(out).toBe(t);
        kept++;
      } else if (w > 8192) {
        expect(out).toBeCloseTo(t / 8, 15);
        divided++;
      } else {
        expect(out).toBeGreaterThanOrEqual(t / 8);
        expect(out).toBeLessThanOrEqual(t);
        blended++;
      }
    }
    expect(Math.min(kept, divided, blended)).toBeGreaterThan(0);
  });
  it('the new wavelengths never decrease from one pair to the next (no pair overtakes a slower one)', () => {
    const w = thetas.map((t) => (2 * Math.PI) / perPairFrequency('llama3', t, 8, 8192));
    for (let i = 1; i < w.length; i++) expect(w[i]).toBeGreaterThan(w[i - 1]);
  });
});

describe('yarn: NTK-by-parts ramp (α = 1, β = 32) and temperature', () => {
  it('γ(r) is 0 below α, 1 above β, linear between', () => {
    expect(rampGamma(0.5, 1, 32)).toBe(0);
    expect(rampGamma(40, 1, 32)).toBe(1);
    expect(rampGamma(16.5, 1, 32)).toBeCloseTo(0.5, 15);
  });
  it('pairs turning more than 32 times within L keep their frequency; less than once: divided by s', () => {
    for (const t of thetas) {
      const turns = (8192 * t) / (2 * Math.PI);
      const out = perPairFrequency('yarn', t, 16, 8192);
      if (turns > 32) expect(out).toBe(t);
      if (turns < 1) expect(out).toBeCloseTo(t / 16, 15);
    }
  });
  it('√(1/t) = 0.1 ln s + 1 on q and k, 1 for every other scaling and for s = 1', () => {
    expect(yarnQkScale('yarn', 16)).toBeCloseTo(0.1 * Math.log(16) + 1, 15);
    expect(yarnQkScale('yarn', 1)).toBe(1);
    for (const s of ['none', 'linear', 'ntk', 'llama3'] as const)
      expect(yarnQkScale(s, 16)).toBe(1);
  });
});

describe('in the CPU engine', () => {
  const model = loadRandomS();
  const c = model.config;
  const hs = c.dim / c.nHeads;
  const P = 64;
  const table = (k: Knobs) => {
    const cos = new Float32Array((P * hs) / 2);
    const sin = new Float32Array((P * hs) / 2);
    fillRopeTable(cos, sin, P, hs, k, c.seqLen);
    return { cos, sin };
  };
  const base = defaultKnobs(c);

  it('factor 1 gives the run.c table bit for bit under every scaling', () => {
    const want = { cos: new Float32Array((P * hs) / 2), sin: new Float32Array((P * hs) / 2) };
    ropeTable(want.cos, want.sin, P, hs, c.ropeBase, 1);
    for (const s of ['linear', 'ntk', 'llama3', 'yarn'] as const) {
      const got = table({ ...base, ropeScaling: s, ropeFactor: 1 });
      expect(got.cos).toEqual(want.cos);
      expect(got.sin).toEqual(want.sin);
    }
  });

  it('llama3 and yarn tables turn pair j at position p by p · θ′ⱼ; yarn’s have radius 0.1 ln s + 1', () => {
    for (const s of ['llama3', 'yarn'] as const) {
      const { cos, sin } = table({ ...base, ropeScaling: s, ropeFactor: 8 });
      const radius = yarnQkScale(s, 8);
      for (let j = 0; j < hs / 2; j++) {
        const th = perPairFrequency(s, ropeFreq(c.ropeBase, 2 * j, hs), 8, c.seqLen);
        for (const p of [1, 7, 63]) {
          const a = cos[p * (hs / 2) + j];
          const b = sin[p * (hs / 2) + j];
          expect(Math.hypot(a, b)).toBeCloseTo(radius, 6);
          expect(Math.atan2(b, a)).toBeCloseTo(Math.atan2(Math.sin(p * th), Math.cos(p * th)), 4);
        }
      }
    }
  });

  it('yarn multiplies every attention logit by (0.1 ln s + 1)²: the rotated q and k grow by that factor', () => {
    const { greedy } = loadGreedy();
    const toks = greedy.fed_ids.slice(0, 12);
    const run = (k: Knobs) =>
      createCpuBackend(model, k).forwardPromptSync(toks, 0, {
        trace: ['L0.attn.q_rot', 'L0.attn.k_rot'],
      }).trace!;
    const yarn = run({ ...base, ropeScaling: 'yarn', ropeFactor: 8 });
    const plain = run(base);
    const len = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0));
    const m = yarnQkScale('yarn', 8);
    for (const tap of ['L0.attn.q_rot', 'L0.attn.k_rot']) {
      expect(len(yarn.get(tap)!.data) / len(plain.get(tap)!.data)).toBeCloseTo(m, 4);
    }
  });
});
