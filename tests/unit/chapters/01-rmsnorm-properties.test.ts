// Properties chapter 1's prose and derivations state, each checked numerically: the one-pass
// variance, when a shift leaves RMSNorm unchanged, the (d − 2)-sphere of LayerNorm outputs, the
// backward pass, the 1/δ gradient rule, and the float16 / bfloat16 numbers of the precision note.
import { describe, expect, it } from 'vitest';
import * as M from '../../../chapters/01-rmsnorm/math.ts';
import { rmsnormBackward } from '$train/ops.ts';

/** Deterministic pseudo-random vector in [-2, 2). */
function vec(d: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: d }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  });
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('derivation steps of chapter 1', () => {
  it('the variance needs no second pass: σ² = mean(x²) − μ²', () => {
    for (let s = 1; s < 20; s++) {
      const x = vec(64, s).map((v) => v + 3);
      const oneP = x.reduce((a, v) => a + v * v, 0) / x.length - M.mean(x) ** 2;
      expect(oneP).toBeCloseTo(M.variance(x), 10);
    }
  });

  it('RMS(x + c1)² = RMS(x)² + c(2μ + c), and the shift c = −2μ keeps the RMS but moves the output', () => {
    const x = vec(16, 3).map((v) => v + 0.5);
    const mu = M.mean(x);
    for (const c of [-3, -0.4, 0.7, 2]) {
      expect(M.rms(M.affine(x, 1, c)) ** 2).toBeCloseTo(M.rms(x) ** 2 + c * (2 * mu + c), 10);
    }
    const c = -2 * mu;
    expect(M.rms(M.affine(x, 1, c))).toBeCloseTo(M.rms(x), 10);
    expect(maxAbsDiff(M.rmsNorm(M.affine(x, 1, c), 0), M.rmsNorm(x, 0))).toBeGreaterThan(0.1);
  });

  it('RMSNorm(x + c1) = RMSNorm(x) for c ≠ 0 only when x = a1 and a + c keeps the sign of a', () => {
    const a1 = new Array<number>(8).fill(1.5);
    expect(maxAbsDiff(M.rmsNorm(M.affine(a1, 1, 2), 0), M.rmsNorm(a1, 0))).toBeLessThan(1e-12);
    expect(maxAbsDiff(M.rmsNorm(M.affine(a1, 1, -4), 0), M.rmsNorm(a1, 0))).toBeGreaterThan(1);
    for (let s = 1; s < 30; s++) {
      const x = vec(8, s);
      for (const c of [-1, -0.01, 0.01, 1]) {
        expect(maxAbsDiff(M.rmsNorm(M.affine(x, 1, c), 0), M.rmsNorm(x, 0))).toBeGreaterThan(1e-4);
      }
    }
  });

  it('LayerNorm outputs lie on a (d − 2)-sphere: on the sphere of radius √d, in 1ᵀy = 0, spanning d − 1 dimensions', () => {
    for (const d of [2, 3, 5, 8]) {
      const outs = Array.from({ length: 3 * d }, (_, s) => M.layerNorm(vec(d, 100 + s), 0));
      for (const y of outs) {
        expect(M.norm2(y)).toBeCloseTo(Math.sqrt(d), 10);
        expect(y.reduce((a, v) => a + v, 0)).toBeCloseTo(0, 10);
      }
      expect(rank(outs)).toBe(d - 1);
    }
  });
});

/** Rank of a set of row vectors by Gram-Schmidt with a tolerance. */
function rank(rows: number[][]): number {
  const basis: number[][] = [];
  for (const r of rows) {
    const v = [...r];
    for (const b of basis) {
      const p = v.reduce((a, x, i) => a + x * b[i], 0);
      for (let i = 0; i < v.length; i++) v[i] -= p * b[i];
    }
    const n = M.norm2(v);
    if (n > 1e-8) basis.push(v.map((x) => x / n));
  }
  return basis.length;
}

describe('RMSNorm’s backward pass', () => {
  const d = 12;
  const x = vec(d, 7);
  const g = vec(d, 8).map((v) => 1 + 0.3 * v);
  const u = vec(d, 9);
  const loss = (xx: number[], gg: number[], eps: number) =>
    M.rmsNorm(xx, eps, gg).reduce((a, y, i) => a + u[i] * y, 0);

  it('matches central finite differences, for x and for g', () => {
    for (const eps of [0, 1e-5, 0.3]) {
      const { dx, dg } = M.rmsNormBackward(x, g, u, eps);
      const h = 1e-6;
      for (let j = 0; j < d; j++) {
        const xp = [...x];
        const xm = [...x];
        xp[j] += h;
        xm[j] -= h;
        expect(dx[j]).toBeCloseTo((loss(xp, g, eps) - loss(xm, g, eps)) / (2 * h), 6);
        const gp = [...g];
        const gm = [...g];
        gp[j] += h;
        gm[j] -= h;
        expect(dg[j]).toBeCloseTo((loss(x, gp, eps) - loss(x, gm, eps)) / (2 * h), 6);
      }
    }
  });

  it('is what the trainer computes (src/train/ops.ts rmsnormBackward)', () => {
    const eps = 1e-5;
    const { dx, dg } = M.rmsNormBackward(x, g, u, eps);
    const tdx = new Float64Array(d);
    const tdg = new Float64Array(d);
    const rstd = Float64Array.of(1 / Math.sqrt(M.rms(x) ** 2 + eps));
    rmsnormBackward(
      tdx,
      tdg,
      Float64Array.from(u),
      Float64Array.from(x),
      rstd,
      Float64Array.from(g),
      1,
      d,
    );
    expect(maxAbsDiff(tdx, dx)).toBeLessThan(1e-12);
    expect(maxAbsDiff(tdg, dg)).toBeLessThan(1e-12);
  });

  it('with ε = 0 the input gradient is orthogonal to x; with ε > 0 it is not', () => {
    const dot = (eps: number) =>
      M.rmsNormBackward(x, g, u, eps).dx.reduce((a, v, i) => a + v * x[i], 0);
    expect(Math.abs(dot(0))).toBeLessThan(1e-12);
    expect(Math.abs(dot(0.5))).toBeGreaterThan(1e-3);
  });
});

describe('the 1/δ rule of the RMSNorm paper’s gradient analysis holds for both norms', () => {
  // L(W) = c · Norm(W a) for a weight matrix W (d × n) feeding the norm.
  const d = 6;
  const n = 5;
  const a = vec(n, 21);
  const c = vec(d, 22);
  const W = Array.from({ length: d }, (_, i) => vec(n, 30 + i));
  const norms = {
    rmsnorm: (z: number[]) => M.rmsNorm(z, 0),
    layernorm: (z: number[]) => M.layerNorm(z, 0),
  };
  const lossOf = (norm: (z: number[]) => number[], w: number[][]) =>
    norm(w.map((row) => row.reduce((s, v, j) => s + v * a[j], 0))).reduce(
      (s, y, i) => s + c[i] * y,
      0,
    );
  const grad = (norm: (z: number[]) => number[], w: number[][]) => {
    const h = 1e-6;
    return w.map((row, i) =>
      row.map((_, j) => {
        const p = w.map((r) => [...r]);
        const m = w.map((r) => [...r]);
        p[i][j] += h;
        m[i][j] -= h;
        return (lossOf(norm, p) - lossOf(norm, m)) / (2 * h);
      }),
    );
  };
  for (const [name, norm] of Object.entries(norms)) {
    it(`${name}: scaling W by δ leaves the loss and divides the gradient by δ`, () => {
      const g1 = grad(norm, W).flat();
      for (const delta of [0.5, 4]) {
        const Wd = W.map((r) => r.map((v) => v * delta));
        expect(lossOf(norm, Wd)).toBeCloseTo(lossOf(norm, W), 10);
        const gd = grad(norm, Wd).flat();
        gd.forEach((v, k) => expect(v * delta).toBeCloseTo(g1[k], 5));
      }
    });
  }
});

describe('the precision note', () => {
  it('float16: 4096 squares of size 4 overflow its largest value; size 3.99 does not', () => {
    expect(M.FP16_MAX).toBe(65504);
    expect(4096 * 4 ** 2).toBeGreaterThan(M.FP16_MAX);
    expect(4096 * 3.99 ** 2).toBeLessThan(M.FP16_MAX);
  });
  it('bfloat16 rounding keeps 8 significant bits (ties to even)', () => {
    expect(M.bf16Round(1 + 2 ** -7)).toBe(1 + 2 ** -7);
    expect(M.bf16Round(1 + 2 ** -8)).toBe(1);
    expect(M.bf16Round(1 + 3 * 2 ** -8)).toBe(1 + 2 ** -6);
    expect(M.bf16Round(3.3e38)).toBeGreaterThan(3e38);
  });
  it('summing 4,096 ones in bfloat16 stops at 256', () => {
    expect(M.sumSquaresBf16(new Array<number>(4096).fill(1))).toBe(256);
  });
});
