// Every op of the training forward pass: its hand-written backward against central finite
// differences of L = sum(out * R) for a fixed random R, in float64.
import { describe, expect, it } from 'vitest';
import { attentionBackward, attentionForward, type AttnShape } from '$train/attention.ts';
import { kernelsFor } from '$train/kernels.ts';
import {
  actBackward,
  actForward,
  crossEntropy,
  embeddingBackward,
  embeddingForward,
  layernormBackward,
  layernormForward,
  rmsnormBackward,
  rmsnormForward,
  rope,
  ropeTables,
  swigluBackward,
  swigluForward,
} from '$train/ops.ts';
import { MM_ACC } from '$train/wasm-kernels.ts';
import { Rng } from '$train/rng.ts';
import { dot, maxRelErr, randn } from './gradcheck.ts';

const TOL = 1e-6;
const f64 = kernelsFor('f64');

describe('op backward passes match finite differences (float64)', () => {
  it('embedding', () => {
    const rng = new Rng(1);
    const V = 7, d = 5; // prettier-ignore
    const table = randn(V * d, rng);
    const tokens = Int32Array.from([3, 1, 3, 6, 0]);
    const R = randn(tokens.length * d, rng);
    const x = new Float64Array(tokens.length * d);
    const loss = () => (embeddingForward(x, table, tokens, d), dot(x, R));
    const dTable = new Float64Array(V * d);
    embeddingBackward(dTable, R, tokens, d);
    expect(maxRelErr(table, dTable, loss)).toBeLessThan(TOL);
  });

  it('rmsnorm (input and gain)', () => {
    const rng = new Rng(2);
    const N = 3, d = 8; // prettier-ignore
    const x = randn(N * d, rng);
    const g = randn(d, rng, 0.5, 1);
    const R = randn(N * d, rng);
    const y = new Float64Array(N * d);
    const r = new Float64Array(N);
    const loss = () => (rmsnormForward(y, r, x, g, N, d, 1e-5), dot(y, R));
    loss();
    const dx = new Float64Array(N * d);
    const dg = new Float64Array(d);
    rmsnormBackward(dx, dg, R, x, r, g, N, d);
    expect(maxRelErr(x, dx, loss)).toBeLessThan(TOL);
    expect(maxRelErr(g, dg, loss)).toBeLessThan(TOL);
  });

  it('layernorm with gain only (input and gain)', () => {
    const rng = new Rng(3);
    const N = 3, d = 8; // prettier-ignore
    const x = randn(N * d, rng, 1, 0.3);
    const g = randn(d, rng, 0.5, 1);
    const R = randn(N * d, rng);
    const y = new Float64Array(N * d);
    const mean = new Float64Array(N);
    const r = new Float64Array(N);
    const loss = () => (layernormForward(y, mean, r, x, g, N, d, 1e-5), dot(y, R));
    loss();
    const dx = new Float64Array(N * d);
    const dg = new Float64Array(d);
    layernormBackward(dx, dg, R, x, mean, r, g, N, d);
    expect(maxRelErr(x, dx, loss)).toBeLessThan(TOL);
    expect(maxRelErr(g, dg, loss)).toBeLessThan(TOL);
  });

  it('rope (the backward is the inverse rotation)', () => {
    const rng = new Rng(4);
    const B = 2, T = 5, hs = 4, width = 8; // prettier-ignore
    const { cos, sin } = ropeTables(T, hs, 10000);
    const x = randn(B * T * width, rng);
    const R = randn(B * T * width, rng);
    const y = new Float64Array(x.length);
    const loss = () => {
      y.set(x);
      rope(y, B, T, width, hs, cos, sin, false);
      return dot(y, R);
    };
    const dx = Float64Array.from(R);
    rope(dx, B, T, width, hs, cos, sin, true);
    expect(maxRelErr(x, dx, loss)).toBeLessThan(TOL);
  });

  it('matrix products of a linear layer (dx = dy W, dW = dy^T x)', () => {
    const rng = new Rng(5);
    const N = 5, nIn = 6, nOut = 7; // prettier-ignore
    const x = randn(N * nIn, rng);
    const W = randn(nOut * nIn, rng);
    const R = randn(N * nOut, rng);
    const y = new Float64Array(N * nOut);
    const Wt = new Float64Array(nIn * nOut);
    const loss = () => {
      for (let o = 0; o < nOut; o++)
        for (let i = 0; i < nIn; i++) Wt[i * nOut + o] = W[o * nIn + i];
      f64.mm(y, 0, x, 0, Wt, 0, N, nOut, nIn, nIn, 1, nOut, nOut, 0);
      return dot(y, R);
    };
    const dx = new Float64Array(N * nIn);
    f64.mm(dx, 0, R, 0, W, 0, N, nIn, nOut, nOut, 1, nIn, nIn, 0);
    const dW = new Float64Array(nOut * nIn);
    f64.mm(dW, 0, R, 0, x, 0, nOut, nIn, N, 1, nOut, nIn, nIn, MM_ACC);
    expect(maxRelErr(x, dx, loss)).toBeLessThan(TOL);
    expect(maxRelErr(W, dW, loss)).toBeLessThan(TOL);
  });

  for (const [nHeads, nKv] of [
    [4, 2],
    [4, 4],
    [4, 1],
  ]) {
    it(`causal attention with ${nHeads} query heads and ${nKv} kv heads (q, k, v)`, () => {
      const rng = new Rng(6 + nKv);
      const sh: AttnShape = { B: 2, T: 6, nHeads, nKv, hs: 4 };
      const N = sh.B * sh.T;
      const q = randn(N * nHeads * sh.hs, rng);
      const k = randn(N * nKv * sh.hs, rng);
      const v = randn(N * nKv * sh.hs, rng);
      const R = randn(N * nHeads * sh.hs, rng);
      const out = new Float64Array(R.length);
      const probs = new Float64Array(sh.B * nHeads * sh.T * sh.T);
      const kT = new Float64Array(k.length);
      const loss = () => (attentionForward(f64, out, probs, q, k, v, kT, sh), dot(out, R));
      loss();
      const dq = new Float64Array(q.length);
      const dk = new Float64Array(k.length);
      const dv = new Float64Array(v.length);
      attentionBackward(
        f64,
        dq,
        dk,
        dv,
        R,
        probs,
        q,
        k,
        v,
        new Float64Array(v.length),
        new Float64Array(sh.T * sh.T),
        sh,
      );
      expect(maxRelErr(q, dq, loss)).toBeLessThan(TOL);
      expect(maxRelErr(k, dk, loss)).toBeLessThan(TOL);
      expect(maxRelErr(v, dv, loss)).toBeLessThan(TOL);
      // causality: the output at position 0 depends on position 0 only
      const before = out.slice(0, nHeads * sh.hs);
      k[k.length / sh.B - 1] += 1; // last position of sequence 0
      loss();
      expect(Array.from(out.slice(0, nHeads * sh.hs))).toEqual(Array.from(before));
    });
  }

  for (const act of ['silu', 'gelu'] as const) {
    it(`SwiGLU gate act(h1) * h3 with ${act}`, () => {
      const rng = new Rng(10);
      const n = 24;
      const h1 = randn(n, rng, 2);
      const h3 = randn(n, rng);
      const R = randn(n, rng);
      const a = new Float64Array(n);
      const loss = () => (swigluForward(a, h1, h3, n, act), dot(a, R));
      const d1 = new Float64Array(n);
      const d3 = new Float64Array(n);
      swigluBackward(d1, d3, R, h1, h3, n, act);
      expect(maxRelErr(h1, d1, loss)).toBeLessThan(TOL);
      expect(maxRelErr(h3, d3, loss)).toBeLessThan(TOL);
    });

    it(`plain MLP activation ${act}`, () => {
      const rng = new Rng(11);
      const n = 24;
      const h1 = randn(n, rng, 2);
      const R = randn(n, rng);
      const a = new Float64Array(n);
      const loss = () => (actForward(a, h1, n, act), dot(a, R));
      const d1 = new Float64Array(n);
      actBackward(d1, R, h1, n, act);
      expect(maxRelErr(h1, d1, loss)).toBeLessThan(TOL);
    });
  }

  it('gelu is the exact x * Phi(x) to float32 precision', () => {
    const a = new Float64Array(1);
    // Phi(1) = 0.841344746..., Phi(-2) = 0.022750131...
    actForward(a, Float64Array.of(1), 1, 'gelu');
    expect(a[0]).toBeCloseTo(0.8413447461, 6);
    actForward(a, Float64Array.of(-2), 1, 'gelu');
    expect(a[0]).toBeCloseTo(-2 * 0.0227501319, 6);
  });

  it('cross-entropy (with a padding target that contributes nothing)', () => {
    const rng = new Rng(12);
    const N = 4, V = 6; // prettier-ignore
    const logits = randn(N * V, rng, 2);
    const targets = Int32Array.from([2, 5, -1, 0]);
    const loss = () => crossEntropy(f64, Float64Array.from(logits), targets, N, V, false, 1);
    const g = Float64Array.from(logits);
    const total = crossEntropy(f64, g, targets, N, V, true, 1);
    expect(total).toBeCloseTo(loss(), 12);
    expect(maxRelErr(logits, g, loss)).toBeLessThan(TOL);
    for (let i = 0; i < V; i++) expect(g[2 * V + i]).toBe(0);
    // uniform logits: the loss of each real target is ln V
    expect(crossEntropy(f64, new Float64Array(N * V), targets, N, V, false, 1)).toBeCloseTo(
      3 * Math.log(V),
      12,
    );
  });
});
