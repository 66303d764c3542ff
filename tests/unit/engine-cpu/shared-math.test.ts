// Math defined once in src/engine/math.ts and used by the engines, the trainer and the chapters:
// the users get exactly the numbers their former private copies gave (bit for bit).
import { describe, expect, it } from 'vitest';
import { erf, klDivergence, poolKvWeights, ropeTable, sigmoid, softmax64 } from '$engine/math.ts';
import * as session from '$engine/session.ts';
import * as ch1 from '../../../chapters/01-rmsnorm/math.ts';
import * as ch4 from '../../../chapters/04-attention/math.ts';
import { gelu, ropeTables } from '$train/ops.ts';
import { sigmoid as formulaSigmoid } from '$lib/formula/functions.ts';
import { sigmoid as chapterSigmoid } from '../../../chapters/02-activations/math.ts';

describe('shared math', () => {
  it("the trainer's RoPE tables are the engine's, and equal its former float32 formula", () => {
    for (const hs of [2, 8, 16, 48, 64, 128])
      for (const base of [10000, 500000, 1e6, 2.5]) {
        const T = 40;
        const half = hs / 2;
        const { cos, sin } = ropeTables(T, hs, base);
        const c2 = new Float32Array(T * half);
        const s2 = new Float32Array(T * half);
        ropeTable(c2, s2, T, hs, base, 1);
        expect(cos).toEqual(c2);
        expect(sin).toEqual(s2);
        // the trainer's former private formula
        for (let pos = 0; pos < T; pos++)
          for (let j = 0; j < half; j++) {
            const f = Math.fround(1 / Math.fround(Math.pow(base, Math.fround((2 * j) / hs))));
            const a = Math.fround(pos * f);
            expect(cos[pos * half + j]).toBe(Math.fround(Math.cos(a)));
            expect(sin[pos * half + j]).toBe(Math.fround(Math.sin(a)));
          }
      }
  });

  it("the trainer's GELU uses the engine's erf", () => {
    for (let x = -6; x <= 6; x += 0.37) expect(gelu(x)).toBe(0.5 * x * (1 + erf(x * Math.SQRT1_2)));
  });

  it('one sigmoid for the engine, the formula sandbox and chapter 2, safe at both ends', () => {
    expect(formulaSigmoid).toBe(sigmoid);
    expect(chapterSigmoid).toBe(sigmoid);
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    for (const x of [-3, -0.5, 0.5, 3]) expect(sigmoid(x) + sigmoid(-x)).toBeCloseTo(1, 15);
  });

  it('K/V pooling averages each group of consecutive kv heads', () => {
    // 1 layer, 4 kv heads of size 1, dim 2 -> 2 groups
    const src = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const dst = new Float32Array(4);
    poolKvWeights(src, dst, 1, 4, 2, 1, 2);
    expect([...dst]).toEqual([2, 3, 6, 7]);
  });

  it('one softmax and one KL for the session, chapter 1 and chapter 4', () => {
    expect(session.softmax64).toBe(softmax64);
    expect(session.klDivergence).toBe(klDivergence);
    expect(ch1.klDivergence).toBe(klDivergence);
    const z = [2, -1, 0.5, 3];
    expect(ch1.softmax(z)).toEqual(Array.from(softmax64(z)));
    expect(ch4.softmax(z)).toEqual(Array.from(softmax64(z)));
    const p = softmax64(z);
    expect(klDivergence(p, p)).toBe(0);
    expect(klDivergence(p, softmax64([0, 0, 0, 0]))).toBeGreaterThan(0);
  });
});
