// Properties chapter 2's prose, captions and quiz state about its functions, checked numerically:
// the sign of SiLU′ on each side of SiLU's minimum, its lowest value, its limit, the GLU-variants
// table's claims, the FFN's share of a block and the Llama 2 70B hidden size.
import { describe, expect, it } from 'vitest';
import * as m from '../../../chapters/02-activations/math.ts';

describe('SiLU′: positive above the minimum, zero there, negative below, tending to 0', () => {
  const min = m.siluMinimum();
  it('the minimum is at z ≈ −1.2785, where SiLU ≈ −0.278', () => {
    expect(min.x).toBeCloseTo(-1.2785, 4);
    expect(min.value).toBeCloseTo(-0.2785, 4);
    expect(Math.abs(m.siluDeriv(min.x))).toBeLessThan(1e-14);
  });
  it('SiLU′ > 0 above it, < 0 below it (on a fine grid down to −40)', () => {
    for (const z of m.grid(min.x + 1e-3, 10, 2001)) expect(m.siluDeriv(z)).toBeGreaterThan(0);
    for (const z of m.grid(-40, min.x - 1e-3, 4001)) expect(m.siluDeriv(z)).toBeLessThan(0);
  });
  it('SiLU′ is lowest, about −0.0998, near z ≈ −2.40, and tends to 0 as z → −∞', () => {
    let best = { z: 0, v: Infinity };
    for (const z of m.grid(-10, 0, 100001)) {
      const v = m.siluDeriv(z);
      if (v < best.v) best = { z, v };
    }
    expect(best.z).toBeCloseTo(-2.4, 1);
    expect(best.v).toBeCloseTo(-0.0998, 4);
    expect(Math.abs(m.siluDeriv(-20))).toBeLessThan(1e-6);
    expect(Math.abs(m.siluDeriv(-40))).toBeLessThan(Math.abs(m.siluDeriv(-20)));
  });
  it('ReLU′ is exactly 0 for every negative input', () => {
    for (const z of m.grid(-10, -1e-9, 1001)) expect(m.reluDeriv(z)).toBe(0);
  });
  it('the GLU gate σ stays strictly inside (0, 1); SiLU exceeds 1 and goes below 0', () => {
    for (const z of m.grid(-30, 30, 601)) {
      expect(m.sigmoid(z)).toBeGreaterThan(0);
      expect(m.sigmoid(z)).toBeLessThan(1);
    }
    expect(m.silu(10)).toBeGreaterThan(9.99);
    expect(m.silu(-1)).toBeLessThan(0);
  });
});

describe('the GLU-variants results the page states', () => {
  const rows = m.GLU_VARIANT_RESULTS;
  for (const k of ['steps65k', 'steps524k'] as const) {
    it(`every gated variant beats every ungated one (${k})`, () => {
      const worstGated = Math.max(...rows.filter((r) => r.gated).map((r) => r[k]));
      const bestPlain = Math.min(...rows.filter((r) => !r.gated).map((r) => r[k]));
      expect(worstGated).toBeLessThan(bestPlain);
    });
    it(`GEGLU and SwiGLU are the two best (${k})`, () => {
      const sorted = [...rows].sort((a, b) => a[k] - b[k]).map((r) => r.ffn);
      expect(sorted.slice(0, 2).sort()).toEqual(['GEGLU', 'SwiGLU']);
    });
  }
});

describe('FFN sizes and shares', () => {
  it('Llama 2 70B: ⌊2·32768/3⌋ = 21845, ×1.3 → 28398, next multiple of 4096 is 28672', () => {
    expect(Math.trunc((2 * 4 * 8192) / 3)).toBe(21845);
    expect(Math.trunc(1.3 * 21845)).toBe(28398);
    expect(m.llamaHiddenDim(8192, 4096, 1.3)).toBe(28672);
    expect(m.llamaHiddenDim(4096, 1024, 1.3)).toBe(14336);
  });
  it('the FFN holds about two thirds of a LLaMA 7B block and more under GQA (Llama 2 70B)', () => {
    const b7 = m.blockParams(4096, 32, 32, 11008);
    expect(b7.attention).toBe(4 * 4096 * 4096);
    expect(b7.ffnShare).toBeCloseTo(0.668, 3);
    const b70 = m.blockParams(8192, 64, 8, 28672);
    expect(b70.ffnShare).toBeCloseTo(0.8235, 3);
    expect(b70.ffnShare).toBeGreaterThan(b7.ffnShare);
  });
});
