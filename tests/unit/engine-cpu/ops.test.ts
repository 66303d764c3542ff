// Every CPU op against a direct float64 computation written out here.
import { describe, expect, it } from 'vitest';
import {
  add,
  attnMix,
  attnScores,
  embed,
  erf,
  gelu,
  layernorm,
  mapInPlace,
  matmul,
  matmulBatched,
  mul,
  relu,
  rmsnorm,
  rope,
  ropeFreq,
  ropeTable,
  silu,
  softmax,
} from '$engine/cpu/ops.ts';
import { maxAbsDiff, randomArray } from './fixture.ts';

/** Max of |a - b| / (|b| + floor): relative error, with an absolute floor near zero. */
function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++)
    m = Math.max(m, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + floor));
  return m;
}

// float32 rounding of a result is 6e-8 relative; sums of float32 products computed in float64
// add nothing measurable. 1e-6 leaves room without hiding a wrong formula (which is off by O(1)).
const TOL = 1e-6;

describe('embed', () => {
  it('copies the rows of the tokens asked for', () => {
    const table = randomArray(10 * 4, 1);
    const out = new Float32Array(3 * 4);
    embed(out, table, [9, 0, 3, 7], 1, 3, 4);
    for (const [r, tok] of [0, 3, 7].entries()) {
      expect(Array.from(out.subarray(r * 4, r * 4 + 4))).toEqual(
        Array.from(table.subarray(tok * 4, tok * 4 + 4)),
      );
    }
  });
});

describe('rmsnorm', () => {
  it('equals w * x / sqrt(mean(x^2) + eps) per row', () => {
    const T = 3;
    const n = 37;
    const x = randomArray(T * n, 2, 3);
    const w = randomArray(2 * n, 3); // two layers of gains; use the second
    const out = new Float32Array(T * n);
    rmsnorm(out, x, w, n, T, n, 1e-5);
    const ref: number[] = [];
    for (let r = 0; r < T; r++) {
      let ss = 0;
      for (let j = 0; j < n; j++) ss += x[r * n + j] ** 2;
      const inv = 1 / Math.sqrt(ss / n + 1e-5);
      for (let j = 0; j < n; j++) ref.push(w[n + j] * x[r * n + j] * inv);
    }
    expect(maxRelErr(out, ref)).toBeLessThan(TOL);
  });
});

describe('layernorm', () => {
  it('equals w * (x - mean) / sqrt(var + eps) per row (population variance, no bias)', () => {
    const T = 2;
    const n = 29;
    const x = randomArray(T * n, 4, 2);
    for (let j = 0; j < T * n; j++) x[j] += 0.7; // a clearly nonzero mean
    const w = randomArray(n, 5);
    const out = new Float32Array(T * n);
    layernorm(out, x, w, 0, T, n, 1e-3);
    const ref: number[] = [];
    for (let r = 0; r < T; r++) {
      const row = Array.from(x.subarray(r * n, (r + 1) * n));
      const mean = row.reduce((a, b) => a + b, 0) / n;
      const v = row.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
      for (let j = 0; j < n; j++) ref.push((w[j] * (row[j] - mean)) / Math.sqrt(v + 1e-3));
    }
    expect(maxRelErr(out, ref)).toBeLessThan(TOL);
  });

  it('on a zero-mean row equals rmsnorm with the same eps (the variance is then mean(x^2))', () => {
    const n = 64;
    const x = randomArray(n, 6);
    const mean = x.reduce((a, b) => a + b, 0) / n;
    for (let j = 0; j < n; j++) x[j] -= mean;
    // The float32 row is zero-mean only up to rounding: check that it is close, then compare.
    expect(Math.abs(x.reduce((a, b) => a + b, 0) / n)).toBeLessThan(1e-7);
    const w = randomArray(n, 7);
    const a = new Float32Array(n);
    const b = new Float32Array(n);
    layernorm(a, x, w, 0, 1, n, 0.05);
    rmsnorm(b, x, w, 0, 1, n, 0.05);
    expect(maxRelErr(a, b)).toBeLessThan(1e-5);
  });

  it('ignores a shift of the input, which rmsnorm does not', () => {
    const n = 16;
    const x = randomArray(n, 8);
    const shifted = x.map((v) => v + 5);
    const w = new Float32Array(n).fill(1);
    const [a, b, c, d] = [0, 1, 2, 3].map(() => new Float32Array(n));
    layernorm(a, x, w, 0, 1, n, 1e-5);
    layernorm(b, shifted, w, 0, 1, n, 1e-5);
    rmsnorm(c, x, w, 0, 1, n, 1e-5);
    rmsnorm(d, shifted, w, 0, 1, n, 1e-5);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    expect(maxAbsDiff(c, d)).toBeGreaterThan(0.1);
  });
});

function refMatmul(w: Float32Array, wOff: number, x: ArrayLike<number>, n: number, d: number) {
  const out: number[] = [];
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += w[wOff + i * n + j] * x[j];
    out.push(s);
  }
  return out;
}

describe('matmul', () => {
  // d = 39 is not a multiple of 4, so the one-row tail is covered too.
  const n = 53;
  const d = 39;
  const w = randomArray(2 * d * n, 9);
  const x = randomArray(n + 5, 10);

  it('equals W (d, n) @ x, with offsets into W, x and out', () => {
    const out = new Float32Array(d + 3);
    matmul(out, 3, x, 5, w, d * n, n, d);
    const ref = refMatmul(w, d * n, x.subarray(5), n, d);
    expect(maxAbsDiff(out.subarray(3), ref)).toBeLessThan(1e-5);
    expect(maxRelErr(out.subarray(3), ref, 1e-2)).toBeLessThan(TOL);
  });
});

describe('matmulBatched', () => {
  const n = 45;
  const d = 22;
  const w = randomArray(d * n, 11);
  for (const T of [1, 2, 5, 8]) {
    it(`(T=${T}) equals X @ W^T and is bit-identical to matmul on each row`, () => {
      const X = randomArray(T * n, 12 + T);
      const out = new Float32Array(T * d);
      matmulBatched(out, X, w, 0, T, n, d);
      const row = new Float32Array(d);
      for (let t = 0; t < T; t++) {
        const ref = refMatmul(w, 0, X.subarray(t * n, (t + 1) * n), n, d);
        expect(maxRelErr(out.subarray(t * d, (t + 1) * d), ref, 1e-2)).toBeLessThan(TOL);
        matmul(row, 0, X, t * n, w, 0, n, d);
        expect(Array.from(out.subarray(t * d, (t + 1) * d))).toEqual(Array.from(row));
      }
    });
  }
});

describe('rope', () => {
  const hs = 8;
  const heads = 3;
  const base = 10000;

  it('frequencies are 1/base^(2j/hs) to float32 precision', () => {
    for (let j2 = 0; j2 < hs; j2 += 2) {
      const ref = 1 / Math.pow(base, j2 / hs);
      expect(Math.abs(ropeFreq(base, j2, hs) - ref) / ref).toBeLessThan(1e-7);
    }
  });

  it('rotates each interleaved pair (x[2j], x[2j+1]) of every head by pos * freq_j', () => {
    const P = 600;
    const cos = new Float32Array((P * hs) / 2);
    const sin = new Float32Array((P * hs) / 2);
    ropeTable(cos, sin, P, hs, base, 1);
    for (const pos of [0, 1, 7, 255, 599]) {
      const x = randomArray(heads * hs + 2, 20 + pos);
      const before = Float64Array.from(x);
      rope(x, 2, heads * hs, hs, cos, sin, pos);
      expect(x[0]).toBe(before[0]); // outside [off, off + width): untouched
      expect(x[1]).toBe(before[1]);
      const ref: number[] = [];
      for (let h = 0; h < heads; h++) {
        for (let j = 0; j < hs / 2; j++) {
          const a = pos * Math.pow(base, (-2 * j) / hs);
          const x0 = before[2 + h * hs + 2 * j];
          const x1 = before[2 + h * hs + 2 * j + 1];
          ref.push(x0 * Math.cos(a) - x1 * Math.sin(a), x0 * Math.sin(a) + x1 * Math.cos(a));
        }
      }
      // The angle pos*freq is rounded to float32 as run.c does: an error of up to
      // ulp(600)/2 = 3e-5 rad at the largest positions, which bounds the difference here.
      expect(maxAbsDiff(x.subarray(2), ref)).toBeLessThan(pos < 8 ? 1e-6 : 1e-4);
    }
  });

  it('keeps the length of every pair (a rotation)', () => {
    const P = 50;
    const cos = new Float32Array((P * hs) / 2);
    const sin = new Float32Array((P * hs) / 2);
    ropeTable(cos, sin, P, hs, 500, 1);
    const x = randomArray(hs, 30);
    const before = Float32Array.from(x);
    rope(x, 0, hs, hs, cos, sin, 49);
    for (let j = 0; j < hs; j += 2) {
      expect(Math.hypot(x[j], x[j + 1])).toBeCloseTo(Math.hypot(before[j], before[j + 1]), 5);
    }
  });

  it('linear factor f: position f*m gets exactly the angles of position m', () => {
    const P = 64;
    const half = hs / 2;
    const [c1, s1, c4, s4] = [0, 1, 2, 3].map(() => new Float32Array(P * half));
    ropeTable(c1, s1, P, hs, base, 1);
    ropeTable(c4, s4, P, hs, base, 4);
    for (const m of [0, 1, 5, 15]) {
      expect(Array.from(c4.subarray(4 * m * half, (4 * m + 1) * half))).toEqual(
        Array.from(c1.subarray(m * half, (m + 1) * half)),
      );
      expect(Array.from(s4.subarray(4 * m * half, (4 * m + 1) * half))).toEqual(
        Array.from(s1.subarray(m * half, (m + 1) * half)),
      );
    }
  });
});

describe('attention ops', () => {
  const hs = 6;
  const stride = 12; // two kv heads side by side in the cache
  const nPos = 9;
  const q = randomArray(2 * hs, 40);
  const kc = randomArray(nPos * stride, 41);
  const vc = randomArray(nPos * stride, 42);

  it('attnScores = q . k_t / sqrt(hs) for kv head 1', () => {
    const att = new Float32Array(nPos + 1);
    attnScores(att, 1, q, hs, kc, hs, stride, hs, nPos);
    const ref: number[] = [];
    for (let t = 0; t < nPos; t++) {
      let s = 0;
      for (let i = 0; i < hs; i++) s += q[hs + i] * kc[t * stride + hs + i];
      ref.push(s / Math.sqrt(hs));
    }
    expect(maxRelErr(att.subarray(1), ref)).toBeLessThan(TOL);
  });

  it('softmax = exp(x) / sum exp(x), rows sum to 1, stable for large inputs', () => {
    const x = randomArray(12, 43, 30);
    x[5] = 88; // exp(88) overflows float32: max-subtraction must prevent it
    const ref = Array.from(x.subarray(2, 12));
    const mx = Math.max(...ref);
    const den = ref.reduce((a, b) => a + Math.exp(b - mx), 0);
    softmax(x, 2, 10);
    expect(
      maxRelErr(
        x.subarray(2, 12),
        ref.map((v) => Math.exp(v - mx) / den),
        1e-6,
      ),
    ).toBeLessThan(TOL);
    expect(Math.abs(x.subarray(2, 12).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
  });

  it('attnMix = sum_t p_t v_t for kv head 0', () => {
    const p = randomArray(nPos, 44).map(Math.abs);
    const out = new Float32Array(2 * hs).fill(7);
    attnMix(out, hs, p, 0, vc, 0, stride, hs, nPos);
    const ref: number[] = [];
    for (let i = 0; i < hs; i++) {
      let s = 0;
      for (let t = 0; t < nPos; t++) s += p[t] * vc[t * stride + i];
      ref.push(s);
    }
    expect(maxRelErr(out.subarray(hs), ref, 1e-2)).toBeLessThan(TOL);
    expect(Array.from(out.subarray(0, hs))).toEqual(new Array(hs).fill(7));
  });
});

/** Phi(x) by Simpson's rule on the normal density over [0, x], in float64. */
function normalCdf(x: number): number {
  const m = 4000;
  const h = x / m;
  const pdf = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let s = pdf(0) + pdf(x);
  for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * pdf(i * h);
  return 0.5 + (s * h) / 3;
}

describe('activations', () => {
  const xs = Float32Array.from({ length: 241 }, (_, i) => -12 + i * 0.1);

  it('silu = x / (1 + exp(-x))', () => {
    const y = Float32Array.from(xs);
    silu(y, 0, y.length);
    expect(
      maxRelErr(
        y,
        Array.from(xs, (x) => x / (1 + Math.exp(-x))),
        1e-6,
      ),
    ).toBeLessThan(TOL);
  });

  it('relu = max(x, 0)', () => {
    const y = Float32Array.from(xs);
    relu(y, 0, y.length);
    expect(Array.from(y)).toEqual(Array.from(xs, (x) => Math.max(x, 0)));
  });

  it('erf (Abramowitz-Stegun 7.1.26) is within 1.5e-7 of 2 Phi(x sqrt 2) - 1', () => {
    let worst = 0;
    for (let x = -6; x <= 6; x += 0.01) {
      worst = Math.max(worst, Math.abs(erf(x) - (2 * normalCdf(x * Math.SQRT2) - 1)));
    }
    expect(worst).toBeLessThan(1.5e-7);
    expect(erf(0)).toBeCloseTo(0, 8);
    expect(erf(-1)).toBeCloseTo(-erf(1), 12);
  });

  it('gelu = x * Phi(x), the exact form (not the tanh approximation)', () => {
    const y = Float32Array.from(xs);
    gelu(y, 0, y.length);
    const ref = Array.from(xs, (x) => x * normalCdf(x));
    expect(maxAbsDiff(y, ref)).toBeLessThan(2e-6);
    // The tanh approximation differs from the exact form by up to ~5e-4 near |x| = 2.
    const tanhForm = (x: number) =>
      0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    const i = Math.round((-1.9 + 12) / 0.1); // x = -1.9
    expect(Math.abs(y[i] - ref[i])).toBeLessThan(Math.abs(tanhForm(xs[i]) - ref[i]));
  });

  it('mapInPlace applies a custom formula', () => {
    const y = Float32Array.from(xs);
    mapInPlace(y, 10, 5, (x) => x * x);
    expect(Array.from(y.subarray(10, 15))).toEqual(
      Array.from(xs.subarray(10, 15), (x) => Math.fround(x * x)),
    );
    expect(y[9]).toBe(xs[9]);
  });
});

describe('elementwise', () => {
  it('mul and add agree with float64 and may work in place', () => {
    const a = randomArray(33, 50);
    const b = randomArray(33, 51);
    const p = new Float32Array(33);
    mul(p, a, b, 33);
    expect(
      maxRelErr(
        p,
        Array.from(a, (v, i) => v * b[i]),
      ),
    ).toBeLessThan(TOL);
    const s = Float32Array.from(a);
    add(s, s, b, 33);
    expect(
      maxRelErr(
        s,
        Array.from(a, (v, i) => v + b[i]),
      ),
    ).toBeLessThan(TOL);
  });
});
