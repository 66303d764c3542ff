// Every WGSL kernel against the CPU op of the same name (src/engine/cpu/ops.ts), on shapes that
// exercise the edges: widths that are not multiples of the workgroup or tile sizes, more than
// one tile, layer offsets into all-layers buffers, GQA head sharing, causal lengths.
// Tolerance: 1e-5 absolute on values of order 1 (float32 sums in a different order), stated per test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as cpu from '$engine/cpu/ops.ts';
import {
  AttnMixOp,
  AttnScoresOp,
  ElementwiseOp,
  MatmulOp,
  NormOp,
  RopeOp,
  SoftmaxOp,
  type GpuEnv,
} from '$engine/webgpu/ops.ts';
import {
  DEFAULT_WORKGROUP_SIZES,
  SOFTWARE_WORKGROUP_SIZES,
  allKernels,
} from '$engine/webgpu/kernels.ts';
import {
  makeEnv,
  maxAbsDiff,
  random,
  readBack,
  runPass,
  takeErrors,
  testDevice,
  upload,
} from './helpers.ts';

let device: GPUDevice;
let env: GpuEnv;

beforeAll(async () => {
  device = await testDevice();
});
afterEach(async () => expect(await takeErrors(device)).toEqual([]));
afterAll(() => device.destroy());

// Every kernel under both launch shapes: the GPU defaults (what a real GPU runs) and the
// software-adapter sizes (what SwiftShader runs in these tests and in CI's browser).
const SIZE_SETS = [
  ['GPU workgroup sizes', DEFAULT_WORKGROUP_SIZES],
  ['software workgroup sizes', SOFTWARE_WORKGROUP_SIZES],
] as const;

for (const [sizesName, sizes] of SIZE_SETS) {
  describe(sizesName, () => {
    beforeAll(() => {
      env = makeEnv(device, 64, sizes);
    });
    kernelTests();
  });
}

function kernelTests(): void {
  it('every kernel and variant compiles on this device', async () => {
    await env.kernels.prepare(allKernels(true));
    await env.kernels.prepare(allKernels(false));
  });

  describe('matmul (matvec and matmul_batched)', () => {
    const d = 70; // not a multiple of the 32-wide tile
    const n = 45; // not a multiple of TK (16) nor of the 64-thread workgroup
    const layers = 2;
    const w = random(layers * d * n, 1);
    const wOff = d * n; // layer 1

    for (const [T, batched] of [
      [1, false],
      [3, false],
      [1, true],
      [37, true], // two tiles of token rows, the second partial
    ] as const) {
      it(`T=${T} with the ${batched ? 'tiled' : 'matvec'} kernel equals cpu matmul_batched`, async () => {
        const x = random(T * n, 2 + T);
        const wb = upload(device, w);
        const xb = upload(device, x);
        const out = upload(device, new Float32Array(T * d));
        const op = new MatmulOp(env, { w: wb, x: xb, out, d, n, wOff, label: 'test matmul' });
        runPass(env, 0, T, (pass) => op.encode(pass, T, batched));
        const got = await readBack(device, out, T * d);
        const want = new Float32Array(T * d);
        cpu.matmulBatched(want, x, w, wOff, T, n, d);
        expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
      });
    }

    for (const batched of [false, true]) {
      it(`${batched ? 'tiled' : 'matvec'} with a residual target adds into it (x += W xb, then cpu add)`, async () => {
        const T = 3;
        const x = random(T * n, 21);
        const resid = random(T * d, 22);
        const r = upload(device, resid);
        const op = new MatmulOp(env, {
          w: upload(device, w),
          x: upload(device, x),
          out: upload(device, new Float32Array(T * d)),
          residual: r,
          d,
          n,
          wOff,
          label: 'fused residual',
        });
        runPass(env, 0, T, (pass) => op.encode(pass, T, batched, true));
        const got = await readBack(device, r, T * d);
        const prod = new Float32Array(T * d);
        cpu.matmulBatched(prod, x, w, wOff, T, n, d);
        const want = new Float32Array(T * d);
        cpu.add(want, resid, prod, T * d);
        expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
      });
    }

    for (const batched of [false, true]) {
      it(`${batched ? 'tiled' : 'matvec'} writes at cache rows start_pos.. of a block (K/V into the cache)`, async () => {
        const T = 3;
        const startPos = 4;
        const block = 2 * 10 * d; // a two-layer cache of 10 positions; write into layer 1
        const x = random(T * n, 23);
        const cache = upload(device, new Float32Array(block).fill(5));
        const op = new MatmulOp(env, {
          w: upload(device, w),
          x: upload(device, x),
          out: cache,
          d,
          n,
          wOff,
          outOffset: 10 * d,
          outAtPosition: true,
          label: 'into cache',
        });
        runPass(env, startPos, T, (pass) => op.encode(pass, T, batched));
        const got = await readBack(device, cache, block);
        const want = new Float32Array(T * d);
        cpu.matmulBatched(want, x, w, wOff, T, n, d);
        const at = (10 + startPos) * d;
        expect(maxAbsDiff(got.subarray(at, at + T * d), want)).toBeLessThan(1e-5);
        // nothing else touched
        expect(got.subarray(0, at).every((v) => v === 5)).toBe(true);
        expect(got.subarray(at + T * d).every((v) => v === 5)).toBe(true);
      });
    }

    it('the vec4 matvec (n % 4 == 0) and the scalar one agree with the cpu op', async () => {
      const n4 = 44;
      const T = 2;
      const w4 = random(layers * d * n4, 31);
      const x = random(T * n4, 32);
      const want = new Float32Array(T * d);
      cpu.matmulBatched(want, x, w4, d * n4, T, n4, d);
      for (const vec4 of [true, false]) {
        const out = upload(device, new Float32Array(T * d));
        const op = new MatmulOp(env, {
          w: upload(device, w4),
          x: upload(device, x),
          out,
          d,
          n: n4,
          wOff: d * n4,
          vec4,
          label: `vec4 ${vec4}`,
        });
        runPass(env, 0, T, (pass) => op.encode(pass, T, false));
        expect(maxAbsDiff(await readBack(device, out, T * d), want)).toBeLessThan(1e-5);
      }
    });

    it('setRows shrinks the output (kvGroups) and leaves the rest of out alone', async () => {
      const T = 2;
      const x = random(T * n, 9);
      const wb = upload(device, w);
      const out = upload(device, new Float32Array(T * d).fill(7));
      const op = new MatmulOp(env, { w: wb, x: upload(device, x), out, d, n, label: 'rows' });
      op.setRows(20, 0);
      runPass(env, 0, T, (pass) => op.encode(pass, T));
      const got = await readBack(device, out, T * d);
      const want = new Float32Array(T * 20);
      cpu.matmulBatched(want, x, w, 0, T, n, 20);
      expect(maxAbsDiff(got.subarray(0, T * 20), want)).toBeLessThan(1e-5);
      expect(got[T * 20]).toBe(7);
    });
  });

  describe('rmsnorm and layernorm', () => {
    const n = 150; // more than the 64 threads of a row, not a multiple
    const T = 3;
    for (const kind of ['rmsnorm', 'layernorm'] as const) {
      for (const eps of [1e-5, 0.5]) {
        it(`${kind} eps=${eps} equals the cpu op (1e-5)`, async () => {
          // An offset mean makes layernorm differ from rmsnorm.
          const x = random(T * n, 3, 1, 4);
          const w = random(2 * n, 4);
          const out = upload(device, new Float32Array(T * n));
          const op = new NormOp(env, {
            w: upload(device, w),
            x: upload(device, x),
            out,
            n,
            wOff: n,
            label: kind,
          });
          op.setEps(eps);
          runPass(env, 0, T, (pass) => op.encode(pass, T, kind));
          const got = await readBack(device, out, T * n);
          const want = new Float32Array(T * n);
          cpu[kind](want, x, w, n, T, n, eps);
          expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
        });
      }
    }
  });

  describe('rope', () => {
    it('rotates interleaved pairs of every head at start_pos + t like the cpu op', async () => {
      const hs = 8;
      const width = 4 * hs;
      const T = 3;
      const startPos = 5;
      const positions = 16;
      const cos = new Float32Array((positions * hs) / 2);
      const sin = new Float32Array((positions * hs) / 2);
      cpu.ropeTable(cos, sin, positions, hs, 10000, 1);
      const x = random(T * width, 5);
      const xb = upload(device, x);
      const op = new RopeOp(env, {
        cos: upload(device, cos),
        sin: upload(device, sin),
        x: xb,
        width,
        headSize: hs,
        label: 'rope',
      });
      runPass(env, startPos, T, (pass) => op.encode(pass, T));
      const got = await readBack(device, xb, T * width);
      const want = x.slice();
      for (let t = 0; t < T; t++) cpu.rope(want, t * width, width, hs, cos, sin, startPos + t);
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-6);
      expect(maxAbsDiff(got, x)).toBeGreaterThan(0.1); // it did rotate
    });

    it('rotates keys in place at cache rows start_pos.. of a layer block', async () => {
      const hs = 8;
      const width = 2 * hs;
      const T = 2;
      const startPos = 3;
      const positions = 8;
      const cos = new Float32Array((positions * hs) / 2);
      const sin = new Float32Array((positions * hs) / 2);
      cpu.ropeTable(cos, sin, positions, hs, 10000, 1);
      const cache = random(2 * positions * width, 24);
      const cb = upload(device, cache);
      const off = positions * width; // layer 1
      const op = new RopeOp(env, {
        cos: upload(device, cos),
        sin: upload(device, sin),
        x: cb,
        width,
        headSize: hs,
        offset: off,
        atPosition: true,
        label: 'rope k in cache',
      });
      runPass(env, startPos, T, (pass) => op.encode(pass, T));
      const got = await readBack(device, cb, cache.length);
      const want = cache.slice();
      for (let t = 0; t < T; t++) {
        cpu.rope(want, off + (startPos + t) * width, width, hs, cos, sin, startPos + t);
      }
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-6);
      expect(maxAbsDiff(got, cache)).toBeGreaterThan(0.1);
    });
  });

  describe('attention: attn_scores, softmax, attn_mix with GQA', () => {
    const nHeads = 4;
    const nKv = 2; // kv_mul = 2: heads 0,1 share kv head 0
    const hs = 8;
    const kvDim = nKv * hs;
    const seqLen = 16;
    const T = 4;
    const startPos = 3;
    const P = startPos + T;
    const kvOff = seqLen * kvDim; // layer 1 of a two-layer cache
    const q = random(T * nHeads * hs, 6);
    const kc = random(2 * seqLen * kvDim, 7);
    const vc = random(2 * seqLen * kvDim, 8);
    const shape = { nHeads, headSize: hs, kvDim, seqLen, kvOff };

    // CPU reference, row by row, as cpu/forward.ts does it.
    const scores = new Float32Array(T * nHeads * seqLen);
    const probs = new Float32Array(T * nHeads * seqLen);
    const mix = new Float32Array(T * nHeads * hs);
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < nHeads; h++) {
        const a = (t * nHeads + h) * seqLen;
        const k = kvOff + Math.floor(h / (nHeads / nKv)) * hs;
        const len = startPos + t + 1;
        cpu.attnScores(scores, a, q, (t * nHeads + h) * hs, kc, k, kvDim, hs, len);
        probs.set(scores.subarray(a, a + len), a);
        cpu.softmax(probs, a, len);
        cpu.attnMix(mix, (t * nHeads + h) * hs, probs, a, vc, k, kvDim, hs, len);
      }
    }

    it('scores, probs and the weighted sum equal the cpu ops on the causal positions', async () => {
      const att = upload(device, new Float32Array(T * nHeads * seqLen));
      const out = upload(device, new Float32Array(T * nHeads * hs));
      const qb = upload(device, q);
      const kb = upload(device, kc);
      const vb = upload(device, vc);
      const sc = new AttnScoresOp(env, { q: qb, kCache: kb, att, shape, label: 'scores' });
      const sm = new SoftmaxOp(env, { att, nHeads, seqLen, label: 'softmax' });
      const mx = new AttnMixOp(env, { att, vCache: vb, out, shape, label: 'mix' });
      runPass(env, startPos, T, (pass) => sc.encode(pass, T, P));
      const gotScores = await readBack(device, att, T * nHeads * seqLen);
      runPass(env, startPos, T, (pass) => {
        sm.encode(pass, T);
        mx.encode(pass, T);
      });
      const gotProbs = await readBack(device, att, T * nHeads * seqLen);
      const gotMix = await readBack(device, out, T * nHeads * hs);
      let maxScore = 0;
      let maxProb = 0;
      for (let t = 0; t < T; t++) {
        for (let h = 0; h < nHeads; h++) {
          const a = (t * nHeads + h) * seqLen;
          const len = startPos + t + 1;
          maxScore = Math.max(
            maxScore,
            maxAbsDiff(gotScores.subarray(a, a + len), scores.subarray(a, a + len)),
          );
          maxProb = Math.max(
            maxProb,
            maxAbsDiff(gotProbs.subarray(a, a + len), probs.subarray(a, a + len)),
          );
          // causal: nothing written past the row's last position
          expect(gotScores[a + len]).toBe(0);
        }
      }
      expect(maxScore).toBeLessThan(1e-5);
      expect(maxProb).toBeLessThan(1e-6);
      expect(maxAbsDiff(gotMix, mix)).toBeLessThan(1e-5);
    });
  });

  describe('ffn_act (silu, gelu, relu; swiglu and mlp) and add', () => {
    const width = 100;
    const T = 3;
    const a = random(T * width, 10, -8, 8);
    a[0] = -100; // exp overflow in silu
    a[1] = 100;
    a[2] = 0;
    const b = random(T * width, 11);
    for (const activation of ['silu', 'gelu', 'relu'] as const) {
      for (const gated of [true, false]) {
        it(`${activation} ${gated ? 'gated (swiglu)' : 'ungated (mlp)'} equals the cpu ops (1e-5)`, async () => {
          const gate = upload(device, a);
          const op = new ElementwiseOp(env, 'ffn_act', {
            inout: gate,
            other: upload(device, b),
            width,
            label: 'act',
          });
          runPass(env, 0, T, (pass) => op.encode(pass, T, { activation, gated }));
          const got = await readBack(device, gate, T * width);
          const want = a.slice();
          cpu[activation](want, 0, want.length);
          if (gated) cpu.mul(want, want, b, want.length);
          expect(got.every(Number.isFinite)).toBe(true);
          expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
        });
      }
    }

    it('add is the residual connection x += y', async () => {
      const x = upload(device, a);
      const op = new ElementwiseOp(env, 'add', {
        inout: x,
        other: upload(device, b),
        width,
        label: 'add',
      });
      runPass(env, 0, T, (pass) => op.encode(pass, T));
      const got = await readBack(device, x, T * width);
      const want = new Float32Array(T * width);
      cpu.add(want, a, b, want.length);
      expect(maxAbsDiff(got, want)).toBe(0);
    });
  });
}
