// Chapter 2's formulas (chapters/02-activations/math.ts), checked numerically: against direct
// integration, finite differences, the engine's own CPU ops, and LLaMA's published sizes.
import { describe, expect, it } from 'vitest';
import * as m from '../../../chapters/02-activations/math.ts';
import * as ops from '$engine/cpu/ops.ts';
import { compileFormula } from '$lib/formula/compile.ts';

const xs = m.grid(-8, 8, 161);

/** ∫₀ˣ φ(t) dt by composite Simpson with n (even) panels. */
function simpsonPhi(x: number, n = 2000): number {
  const h = x / n;
  let s = m.normalPdf(0) + m.normalPdf(x);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * m.normalPdf(i * h);
  return (s * h) / 3;
}

describe('Gaussian CDF and erf', () => {
  it('Φ(x) = 1/2 + ∫₀ˣ φ matches numerical integration to 1e-12', () => {
    for (const x of [-5, -2.5, -1, -0.3, 0, 0.7, 1.5, 3, 6]) {
      expect(Math.abs(m.normalCdf(x) - (0.5 + simpsonPhi(x)))).toBeLessThan(1e-12);
    }
  });
  it('erf64 is odd, bounded, and hits known values', () => {
    expect(m.erf64(0)).toBe(0);
    expect(m.erf64(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(m.erf64(2)).toBeCloseTo(0.9953222650189527, 14);
    for (const x of xs) {
      expect(m.erf64(-x)).toBe(-m.erf64(x));
      expect(Math.abs(m.erf64(x))).toBeLessThanOrEqual(1);
    }
  });
  it("the engine's erf (A&S 7.1.26) is within 1.5e-7 of erf64", () => {
    for (const x of m.grid(-6, 6, 1201)) {
      expect(Math.abs(ops.erf(x) - m.erf64(x))).toBeLessThan(1.5e-7);
    }
  });
});

describe('activations agree with the engine CPU ops', () => {
  const run = (op: (a: Float32Array, off: number, n: number) => void) => {
    const a = Float32Array.from(xs);
    op(a, 0, a.length);
    return a;
  };
  it('SiLU', () => {
    const e = run(ops.silu);
    xs.forEach((x, i) => expect(Math.abs(e[i] - m.silu(x))).toBeLessThan(1e-6 * (1 + Math.abs(x))));
  });
  it('GELU (exact form x Φ(x))', () => {
    const e = run(ops.gelu);
    xs.forEach((x, i) => expect(Math.abs(e[i] - m.gelu(x))).toBeLessThan(2e-6 * (1 + Math.abs(x))));
  });
  it('ReLU', () => {
    const e = run(ops.relu);
    xs.forEach((x, i) => expect(e[i]).toBe(Math.fround(m.relu(x))));
  });
});

describe('derivatives match central finite differences', () => {
  const away = xs.filter((x) => Math.abs(x) > 1e-3); // ReLU has a kink at 0
  it('SiLU′ and Swish_β′ for several β', () => {
    for (const beta of [0.1, 0.5, 1, 1.702, 4, 10]) {
      for (const x of xs) {
        const fd = m.numericDeriv((t) => m.swish(t, beta), x);
        expect(Math.abs(m.swishDeriv(x, beta) - fd)).toBeLessThan(1e-7 * (1 + beta * beta));
      }
    }
    for (const x of xs) expect(m.siluDeriv(x)).toBe(m.swishDeriv(x, 1));
  });
  it('GELU′ = Φ + xφ, and the tanh approximation’s derivative', () => {
    for (const x of xs) {
      expect(Math.abs(m.geluDeriv(x) - m.numericDeriv(m.gelu, x))).toBeLessThan(1e-8);
      expect(Math.abs(m.geluTanhDeriv(x) - m.numericDeriv(m.geluTanh, x))).toBeLessThan(1e-8);
    }
  });
  it('ReLU′ away from the kink', () => {
    for (const x of away)
      expect(m.reluDeriv(x)).toBe(m.numericDeriv(m.relu, x, 1e-6) > 0.5 ? 1 : 0);
  });
});

describe('GELU and its tanh approximation', () => {
  it('differ by at most 4.8e-4 (largest near |x| = 2.7), and by more than 4.7e-4 there', () => {
    const { x, error } = m.geluApproxMaxError(-10, 10, 20001);
    expect(error).toBeLessThan(4.8e-4);
    expect(error).toBeGreaterThan(4.7e-4);
    expect(Math.abs(Math.abs(x) - 2.7)).toBeLessThan(0.05);
  });
  it('agree at 0 and in both tails', () => {
    expect(m.gelu(0)).toBe(0);
    expect(m.geluTanh(0)).toBe(0);
    expect(Math.abs(m.gelu(8) - m.geluTanh(8))).toBeLessThan(1e-12);
    expect(Math.abs(m.gelu(-8) - m.geluTanh(-8))).toBeLessThan(1e-12);
  });
});

describe('shapes the prose quotes', () => {
  it('SiLU dips to −0.2785 at x = −1.2785 and is unbounded above', () => {
    const { x, value } = m.siluMinimum();
    expect(x).toBeCloseTo(-1.27846, 4);
    expect(value).toBeCloseTo(-0.27846, 4);
    expect(Math.abs(m.siluDeriv(x))).toBeLessThan(1e-12);
    for (const t of m.grid(-10, 10, 2001)) expect(m.silu(t)).toBeGreaterThanOrEqual(value - 1e-15);
    expect(m.silu(100)).toBeCloseTo(100, 10);
  });
  it('SiLU′ is most negative, about −0.0998, near x = −2.40', () => {
    let best = { x: 0, v: Infinity };
    for (const x of m.grid(-10, 0, 100001)) {
      const v = m.siluDeriv(x);
      if (v < best.v) best = { x, v };
    }
    expect(best.v).toBeCloseTo(-0.0998, 4);
    expect(best.x).toBeCloseTo(-2.4, 2);
  });
  it('GELU dips to −0.170 at x = −0.752, and GELU′ < 0 everywhere below that', () => {
    for (const x of m.grid(-10, -0.76, 500)) expect(m.geluDeriv(x)).toBeLessThan(0);
    const { x, value } = m.geluMinimum();
    expect(x).toBeCloseTo(-0.7518, 3);
    expect(value).toBeCloseTo(-0.16997, 4);
    expect(Math.abs(m.geluDeriv(x))).toBeLessThan(1e-12);
  });
  it('Swish_β tends to ReLU as β grows and to x/2 as β → 0', () => {
    for (const x of xs) {
      expect(Math.abs(m.swish(x, 200) - m.relu(x))).toBeLessThan(2e-3);
      // Swish_β(x) − x/2 ≈ β x² / 4 for small β.
      expect(Math.abs(m.swish(x, 1e-9) - x / 2)).toBeLessThan((1e-9 * (x * x)) / 4 + 1e-15);
    }
  });
  it('GELU(x) ≈ x σ(1.702 x) within 0.021 (the sigmoid approximation in the GELU paper)', () => {
    let worst = 0;
    for (const x of m.grid(-8, 8, 3201))
      worst = Math.max(worst, Math.abs(m.gelu(x) - m.swish(x, 1.702)));
    expect(worst).toBeLessThan(0.021);
    expect(worst).toBeGreaterThan(0.01);
  });
});

describe('gated linear units', () => {
  it('each variant is gate(a) · b', () => {
    for (const a of [-2, -0.5, 0, 0.7, 3]) {
      for (const b of [-1.5, 0, 2]) {
        expect(m.gatedUnit('glu', a, b)).toBeCloseTo(b / (1 + Math.exp(-a)), 14);
        expect(m.gatedUnit('reglu', a, b)).toBe(Math.max(a, 0) * b);
        expect(m.gatedUnit('geglu', a, b)).toBeCloseTo(m.gelu(a) * b, 14);
        expect(m.gatedUnit('swiglu', a, b)).toBeCloseTo((a / (1 + Math.exp(-a))) * b, 14);
      }
    }
  });
  it('only the GLU gate stays in [0, 1]; the SwiGLU gate exceeds 1 and goes negative', () => {
    const gates = m.grid(-6, 6, 601);
    expect(gates.every((a) => m.GLU_GATES.glu(a) >= 0 && m.GLU_GATES.glu(a) <= 1)).toBe(true);
    expect(gates.some((a) => m.GLU_GATES.swiglu(a) > 1)).toBe(true);
    expect(gates.some((a) => m.GLU_GATES.swiglu(a) < 0)).toBe(true);
  });
  it('SwiGLU matches the engine-style pipeline silu(W1 x) * (W3 x) for a random FFN', () => {
    // A 3 -> 4 -> 3 FFN, weights from a fixed sequence, computed twice: with math.ts and with
    // the engine's silu op on float32, as the CPU forward pass does.
    const d = 3;
    const h = 4;
    const w = (k: number) => Math.sin(1.3 * k + 0.7);
    const W1 = Array.from({ length: h * d }, (_, k) => w(k));
    const W3 = Array.from({ length: h * d }, (_, k) => w(k + 50));
    const W2 = Array.from({ length: d * h }, (_, k) => w(k + 100));
    const x = [0.5, -1.2, 2];
    const mv = (W: number[], v: number[], rows: number, cols: number) =>
      Array.from({ length: rows }, (_, r) => v.reduce((s, vi, c) => s + W[r * cols + c] * vi, 0));
    const a = mv(W1, x, h, d);
    const b = mv(W3, x, h, d);
    const ref = mv(
      W2,
      a.map((ai, i) => m.gatedUnit('swiglu', ai, b[i])),
      d,
      h,
    );
    const g = Float32Array.from(a);
    ops.silu(g, 0, h);
    const eng = mv(
      W2,
      Array.from(g, (gi, i) => gi * b[i]),
      d,
      h,
    );
    ref.forEach((r, i) => expect(Math.abs(r - eng[i])).toBeLessThan(1e-5));
  });
});

describe('LLaMA FFN hidden size', () => {
  it('LLaMA 7B / Llama 2 7B: dim 4096, multiple_of 256 -> 11008', () => {
    expect(m.llamaHiddenDim(4096, 256)).toBe(11008);
  });
  it('Llama 3 8B: dim 4096, ffn_dim_multiplier 1.3, multiple_of 1024 -> 14336', () => {
    expect(m.llamaHiddenDim(4096, 1024, 1.3)).toBe(14336);
  });
  it('is a multiple of multiple_of and at least 2/3 · 4d', () => {
    for (const dim of [64, 288, 512, 768, 4096, 5120]) {
      for (const mult of [1, 32, 256]) {
        const h = m.llamaHiddenDim(dim, mult);
        expect(h % mult).toBe(0);
        expect(h).toBeGreaterThanOrEqual((8 * dim) / 3 - 1);
        expect(h).toBeLessThan((8 * dim) / 3 + mult);
      }
    }
  });
  it('a gated FFN with hidden 2/3 · 4d has exactly the weights of a plain 4d FFN', () => {
    for (const dim of [3, 96, 288, 3072, 6144]) {
      expect(m.gatedFfnParams(dim, (2 * 4 * dim) / 3)).toBe(m.plainFfnParams(dim, 4 * dim));
    }
  });
  it('after rounding, LLaMA 7B’s gated FFN has 1/128 more weights than a plain 4d one', () => {
    const gated = m.gatedFfnParams(4096, 11008);
    const plain = m.plainFfnParams(4096, 4 * 4096);
    expect(gated).toBe(135_266_304);
    expect(plain).toBe(134_217_728);
    expect(gated / plain).toBe(1 + 1 / 128);
  });
});

describe('dead ReLU units', () => {
  it('fractionNegative counts values below zero and ignores non-finite ones', () => {
    expect(m.fractionNegative([-1, 2, -3, 0, NaN])).toBe(0.5);
    expect(Number.isNaN(m.fractionNegative([]))).toBe(true);
  });
  it('a unit with bias b fires on Φ(b) of standard-normal inputs (checked by sampling)', () => {
    // Deterministic normal samples from a Box–Muller transform over a fixed grid of uniforms.
    const z: number[] = [];
    for (let i = 1; i < 200; i++) {
      for (let j = 0; j < 50; j++) {
        const u1 = i / 200;
        const u2 = (j + 0.5) / 50;
        z.push(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
      }
    }
    for (const b of [-2, -1, 0, 0.5, 1.5]) {
      const active = z.filter((v) => v + b > 0).length / z.length;
      expect(Math.abs(active - m.activeFraction(b))).toBeLessThan(0.01);
    }
  });
});

describe('the formula cell reproduces the chapter’s formulas', () => {
  const cases: [string, (x: number) => number][] = [
    ['x * sigmoid(x)', m.silu],
    ['max(x, 0)', m.relu],
    ['0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))', m.geluTanh],
    ['x * sigmoid(1.702 x)', (x) => m.swish(x, 1.702)],
  ];
  for (const [text, f] of cases) {
    it(text, () => {
      const r = compileFormula(text);
      if (!r.ok) throw new Error(r.error);
      for (const x of xs) expect(r.formula.fn(x)).toBeCloseTo(f(x), 12);
    });
  }
  it('x/2 (1 + erf(x/√2)) equals GELU to the engine erf’s 1.5e-7', () => {
    const r = compileFormula('x/2 * (1 + erf(x / sqrt(2)))');
    if (!r.ok) throw new Error(r.error);
    for (const x of xs)
      expect(Math.abs(r.formula.fn(x) - m.gelu(x))).toBeLessThan(1.5e-7 * (1 + Math.abs(x)));
  });
});
