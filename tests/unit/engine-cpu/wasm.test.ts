// The WebAssembly SIMD matmul kernels against the TypeScript ops and a float64 computation, and
// the committed module against a fresh assembly of its .wat source.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CPU_WASM, assemble } from '../../../scripts/build-cpu-wasm.ts';
import { createSimdKernels, packRows4, simdModule } from '$engine/cpu/simd-kernels.ts';
import { WASM_BASE64 } from '$engine/cpu/simd-kernels.wasm.ts';
import { attnMix, attnScores, matmul, silu, softmax } from '$engine/cpu/ops.ts';
import { maxAbsDiff, randomArray } from './fixture.ts';

describe('simd-kernels module', () => {
  it('is what assembling simd-kernels.wat gives today (regenerate: npx tsx scripts/build-cpu-wasm.ts)', async () => {
    const { wat } = CPU_WASM[0];
    const fresh = await assemble(wat, readFileSync(wat, 'utf8'));
    expect(Buffer.from(WASM_BASE64, 'base64').equals(Buffer.from(fresh))).toBe(true);
  });

  it('stays under 4 KB, the largest module a browser compiles synchronously on its main thread', () => {
    expect(Buffer.from(WASM_BASE64, 'base64').length).toBeLessThan(4096);
  });

  it('compiles here (Node 20 has WebAssembly SIMD)', () => {
    expect(simdModule()).not.toBeNull();
  });
});

/** Copy a JS array into the kernels' memory. */
function inMem(k: NonNullable<ReturnType<typeof createSimdKernels>>, a: Float32Array) {
  const m = k.alloc(a.length);
  m.set(a);
  return m;
}

describe('packRows4 (the SIMD weight layout)', () => {
  it('puts 4-row blocks column group by column group, then row tails, then the last d%4 rows', () => {
    const d = 5;
    const n = 6; // one 4-column group and a 2-column tail; one leftover row
    const src = Float32Array.from({ length: d * n }, (_, i) => i); // value = row*n + col
    const dst = new Float32Array(d * n + 2).fill(-1);
    packRows4(dst, 1, src, 0, d, n);
    const v = (r: number, c: number) => r * n + c;
    expect(Array.from(dst)).toEqual([
      -1,
      ...[0, 1, 2, 3].flatMap((r) => [0, 1, 2, 3].map((c) => v(r, c))),
      ...[0, 1, 2, 3].flatMap((r) => [4, 5].map((c) => v(r, c))),
      ...[0, 1, 2, 3, 4, 5].map((c) => v(4, c)),
      -1,
    ]);
  });
});

describe('SIMD matmul vs ops.ts matmul (float64 sums)', () => {
  // Shapes with n and d both multiples of 4 and not (the scalar tails), and a tiny one.
  for (const [n, d] of [
    [64, 172],
    [53, 39],
    [3, 5],
    [288, 32],
  ]) {
    it(`n=${n}, d=${d}: within float32 summation error, offsets honoured`, () => {
      const k = createSimdKernels(4 * n * d + 4 * n + 4 * d)!;
      const wJs = randomArray(2 * n * d, n + d);
      const xJs = randomArray(n + 3, n * d);
      const w = k.place(wJs, 2, d, n);
      const x = inMem(k, xJs);
      const out = k.alloc(d + 2);
      k.matmul(out, 2, x, 3, w, n * d, n, d);
      const ref = new Float32Array(d);
      matmul(ref, 0, xJs, 3, wJs, n * d, n, d);
      // float32 accumulation over n terms of size <= 1: error below ~n * 2^-24 * sqrt(n)
      expect(maxAbsDiff(out.subarray(2), ref)).toBeLessThan(1e-6 * n);
      expect(out.subarray(2).every(Number.isFinite)).toBe(true);
      expect(out[0]).toBe(0);
      expect(out[1]).toBe(0);
    });
  }

  for (const [n, d] of [
    [64, 172],
    [45, 22],
  ]) {
    it(`matmulBatched (n=${n}, d=${d}) is bit-identical to matmul row by row, T = 1..5`, () => {
      const k = createSimdKernels(n * d + 15 * n + 16 * d)!;
      const w = k.place(randomArray(n * d, 77), 1, d, n);
      const row = k.alloc(d);
      for (let T = 1; T <= 5; T++) {
        const X = inMem(k, randomArray(T * n, 100 + T));
        const out = k.alloc(T * d);
        k.matmulBatched(out, X, w, 0, T, n, d);
        for (let t = 0; t < T; t++) {
          k.matmul(row, 0, X, t * n, w, 0, n, d);
          expect(Array.from(out.subarray(t * d, (t + 1) * d))).toEqual(Array.from(row));
        }
      }
    });
  }

  it('refuses arrays outside its memory and running out of memory, in words', () => {
    const k = createSimdKernels(16)!;
    const inside = k.alloc(8);
    expect(() => k.matmul(new Float32Array(4), 0, inside, 0, inside, 0, 2, 2)).toThrow(
      /arrays inside their own memory/,
    );
    expect(() => k.alloc(9)).toThrow(/exhausted/);
  });
});

describe('SIMD attention vs ops.ts (float64 sums)', () => {
  // hs = 48 (stories15M), 8 (the fixture) and 6 (a head size with a scalar tail)
  for (const hs of [48, 8, 6]) {
    it(`hs=${hs}: attn_scores and attn_mix over 37 positions of a 3-head cache`, () => {
      const stride = 3 * hs;
      const nPos = 37;
      const k = createSimdKernels(2 * nPos * stride + 4 * hs + 2 * (nPos + 1))!;
      const kcJs = randomArray(nPos * stride, hs);
      const vcJs = randomArray(nPos * stride, hs + 1);
      const qJs = randomArray(2 * hs, hs + 2);
      const kc = inMem(k, kcJs);
      const vc = inMem(k, vcJs);
      const q = inMem(k, qJs);
      const att = k.alloc(nPos + 1);
      k.attnScores(att, 1, q, hs, kc, 2 * hs, stride, hs, nPos);
      const want = new Float32Array(nPos + 1);
      attnScores(want, 1, qJs, hs, kcJs, 2 * hs, stride, hs, nPos);
      expect(att[0]).toBe(0);
      expect(maxAbsDiff(att, want)).toBeLessThan(1e-6 * hs);

      const p = inMem(
        k,
        att.map((v) => Math.abs(v) / 10),
      );
      const out = k.alloc(2 * hs);
      out.fill(9);
      k.attnMix(out, hs, p, 1, vc, hs, stride, hs, nPos);
      const ref = new Float32Array(hs);
      attnMix(ref, 0, Float32Array.from(p), 1, vcJs, hs, stride, hs, nPos);
      expect(maxAbsDiff(out.subarray(hs), ref)).toBeLessThan(1e-6 * nPos);
      expect(Array.from(out.subarray(0, hs))).toEqual(new Array(hs).fill(9));
    });
  }
});

describe('SIMD exp, softmax and silu', () => {
  it('exp: relative error below 2e-7 on [-87, 88] (about 2 float32 ulps)', () => {
    const xs = Float32Array.from({ length: 17501 }, (_, i) => -87 + i * 0.01);
    const k = createSimdKernels(xs.length)!;
    const y = inMem(k, xs);
    k.expInPlace(y, 0, y.length);
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      worst = Math.max(worst, Math.abs(y[i] - Math.exp(xs[i])) / Math.exp(xs[i]));
    }
    expect(worst).toBeLessThan(2e-7);
  });

  it('exp: 0 gives exactly 1, NaN stays NaN, far below the range gives ~0', () => {
    const k = createSimdKernels(3)!;
    const y = inMem(k, Float32Array.from([0, NaN, -1000]));
    k.expInPlace(y, 0, 3);
    expect(y[0]).toBe(1);
    expect(y[1]).toBeNaN();
    expect(y[2]).toBeLessThan(1.3e-38); // clamped at e^-87.3 (run.c: a subnormal or 0)
  });

  for (const n of [1, 7, 64, 301]) {
    it(`softmax (n=${n}) equals ops.ts to float32 rounding, rows sum to 1`, () => {
      const src = randomArray(n + 2, n, 20);
      const k = createSimdKernels(n + 2)!;
      const x = inMem(k, src);
      k.softmax(x, 1, n);
      const ref = Float32Array.from(src);
      softmax(ref, 1, n);
      // x - max is rounded to float32 here (as in run.c), exactly in ops.ts: for a gap g that
      // is a relative error up to g * 2^-24 in e^(x - max), so compare absolutely for tiny p.
      let worst = 0;
      for (let i = 1; i <= n; i++)
        worst = Math.max(worst, Math.abs(x[i] - ref[i]) / (ref[i] + 1e-3));
      expect(worst).toBeLessThan(1e-6);
      expect(x[0]).toBe(src[0]);
      expect(x[n + 1]).toBe(src[n + 1]);
      expect(Math.abs(x.subarray(1, n + 1).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
    });
  }

  it('silu equals ops.ts within float32 rounding over [-90, 90] (and a tail of 3)', () => {
    const src = Float32Array.from({ length: 1803 }, (_, i) => -90 + i * 0.1);
    const k = createSimdKernels(src.length)!;
    const x = inMem(k, src);
    k.silu(x, 0, src.length);
    const ref = Float32Array.from(src);
    silu(ref, 0, ref.length);
    let worst = 0;
    for (let i = 0; i < src.length; i++) {
      worst = Math.max(worst, Math.abs(x[i] - ref[i]) / (Math.abs(ref[i]) + 1e-30));
    }
    expect(worst).toBeLessThan(5e-7);
  });
});
