// The WebAssembly SIMD kernels against the plain-loop float64 reference, for every flag of the
// product (accumulate, causal columns, causal k, k from m), odd shapes (edge blocks and scalar
// columns), transposed operands and long sums (the chunked path), and the softmax rows.
import { describe, expect, it } from 'vitest';
import { kernelsFor } from '$train/kernels.ts';
import { Rng } from '$train/rng.ts';
import { MM_ACC, MM_CAUSAL_K, MM_CAUSAL_N, MM_K_FROM_M } from '$train/wasm-kernels.ts';

const wasm = kernelsFor('wasm');
const f64 = kernelsFor('f64');

function fill(a: Float32Array | Float64Array, rng: Rng): void {
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
}

describe('SIMD matrix product', () => {
  const cases: [number, number, number, boolean, number][] = [
    [8, 8, 4, false, 0],
    [13, 12, 7, false, MM_ACC],
    [37, 172, 64, true, MM_ACC],
    [10, 66, 1100, true, MM_ACC], // long K: chunked; N not a multiple of 4: scalar columns
    [9, 30, 1030, false, 0],
    [64, 64, 8, false, MM_CAUSAL_N],
    [21, 8, 21, false, MM_CAUSAL_K],
    [21, 8, 21, true, MM_ACC | MM_K_FROM_M],
  ];
  for (const [M, N, K, transA, flags] of cases) {
    it(`M=${M} N=${N} K=${K} ${transA ? 'A transposed' : 'A row-major'} flags=${flags}`, () => {
      const rng = new Rng(M * 1000 + N + K);
      const sam = transA ? 1 : K;
      const sak = transA ? M : 1;
      const a = wasm.alloc(M * K) as Float32Array;
      const b = wasm.alloc(K * N) as Float32Array;
      const c = wasm.alloc(M * N) as Float32Array;
      fill(a, rng);
      fill(b, rng);
      fill(c, rng);
      if (flags & (MM_CAUSAL_K | MM_K_FROM_M)) {
        // A lower triangular (causal k) or its transpose lower triangular (k from m): zero the rest
        for (let m = 0; m < M; m++) {
          for (let k = 0; k < K; k++) {
            const zero = flags & MM_CAUSAL_K ? k > m : k < m;
            if (zero) a[m * sam + k * sak] = 0;
          }
        }
      }
      const ref = Float64Array.from(c);
      f64.mm(
        ref,
        0,
        Float64Array.from(a),
        0,
        Float64Array.from(b),
        0,
        M,
        N,
        K,
        sam,
        sak,
        N,
        N,
        flags,
      );
      wasm.mm(c, 0, a, 0, b, 0, M, N, K, sam, sak, N, N, flags);
      let worst = 0;
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) {
          if (flags & MM_CAUSAL_N && n > m) continue; // only the lower triangle is defined
          worst = Math.max(worst, Math.abs(c[m * N + n] - ref[m * N + n]) / Math.sqrt(K));
        }
      }
      expect(worst).toBeLessThan(1e-5);
    });
  }
});

describe('SIMD causal softmax rows', () => {
  it('matches the float64 loops, zeroes the entries the kernels read after the diagonal', () => {
    const T = 24;
    const rng = new Rng(5);
    const p = wasm.alloc(T * T) as Float32Array;
    for (let i = 0; i < p.length; i++) p[i] = 20 * rng.normal();
    const ref = Float64Array.from(p);
    wasm.softmax(p, 0, T, 0.3);
    f64.softmax(ref, 0, T, 0.3);
    for (let t = 0; t < T; t++) {
      for (let s = 0; s <= t; s++)
        expect(Math.abs(p[t * T + s] - ref[t * T + s])).toBeLessThan(1e-6);
      for (let s = t + 1; s < Math.min(T, (t + 4) & ~3); s++) expect(p[t * T + s]).toBe(0);
    }
    const dS = wasm.alloc(T * T) as Float32Array;
    for (let i = 0; i < dS.length; i++) dS[i] = rng.normal();
    const dRef = Float64Array.from(dS);
    wasm.softmaxBack(dS, 0, p, 0, T, 0.3);
    f64.softmaxBack(dRef, 0, Float64Array.from(p), 0, T, 0.3);
    for (let t = 0; t < T; t++)
      for (let s = 0; s <= t; s++)
        expect(Math.abs(dS[t * T + s] - dRef[t * T + s])).toBeLessThan(1e-6);
  });
});
