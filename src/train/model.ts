// The training forward and backward pass of a LLaMA-style decoder over a batch of B sequences of
// T positions (N = B*T rows). Activations needed by the backward pass are kept per layer; every
// buffer is allocated once, at construction, from the kernels' allocator (inside WebAssembly
// memory for the SIMD kernels), so a step allocates nothing.
//
// Shapes follow run.c: x (N, dim); q (N, dim); k, v (N, kv_dim); probs (B, n_heads, T, T);
// h1, h3, act (N, hidden); logits (N, vocab). Weights are row-major (out, in).

import { headSize } from '../engine/config.ts';
import type { Config } from '../engine/types.ts';
import { attentionBackward, attentionForward, transpose, type AttnShape } from './attention.ts';
import { kernelsFor, type Kernels } from './kernels.ts';
import { kvDim, makeLayout, viewsOf, type Layout } from './layout.ts';
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
  type Act,
  type Arr,
} from './ops.ts';
import { MM_ACC } from './wasm-kernels.ts';

interface LayerActs {
  xIn: Arr; // residual entering the layer (N, d)
  attMean: Arr;
  attRstd: Arr;
  xnAtt: Arr; // normed input of the attention (N, d)
  q: Arr; // after RoPE (N, d)
  k: Arr; // after RoPE (N, kv)
  v: Arr; // (N, kv)
  probs: Arr; // (B, H, T, T)
  attOut: Arr; // (N, d)
  xMid: Arr; // residual entering the FFN (N, d)
  ffnMean: Arr;
  ffnRstd: Arr;
  xnFfn: Arr; // (N, d)
  h1: Arr; // (N, h)
  h3: Arr | null; // (N, h), SwiGLU only
  act: Arr; // (N, h)
}

export class TrainModel {
  readonly config: Config;
  readonly layout: Layout;
  readonly B: number;
  readonly T: number;
  readonly N: number;
  readonly kernels: Kernels;
  /** Parameters and their gradient, flat in llama2.c file order (layout.ts). */
  readonly params: Arr;
  readonly grads: Arr;
  readonly logits: Arr;
  private readonly layers: LayerActs[];
  private readonly xFinal: Arr;
  private readonly finMean: Arr;
  private readonly finRstd: Arr;
  private readonly xnFinal: Arr;
  private readonly cos: Float32Array;
  private readonly sin: Float32Array;
  // scratch
  private readonly dx: Arr;
  private readonly dxn: Arr;
  private readonly dA: Arr; // (N, max(d, h))
  private readonly dq: Arr;
  private readonly dk: Arr;
  private readonly dv: Arr;
  private readonly dh1: Arr;
  private readonly dh3: Arr;
  private readonly dS: Arr; // (T, T)
  private readonly kvT: Arr; // (kv, N)
  private readonly wT: Arr; // a transposed weight (in, out)

  constructor(config: Config, B: number, T: number, kernels: Kernels = kernelsFor('js')) {
    if (T > config.seqLen)
      throw new Error(`sequence length ${T} exceeds the model's seq_len ${config.seqLen}`);
    this.config = config;
    this.layout = makeLayout(config);
    this.B = B;
    this.T = T;
    const N = (this.N = B * T);
    this.kernels = kernels;
    const { dim: d, hiddenDim: h, nLayers: L, vocabSize: V, nHeads: H } = config;
    const kv = kvDim(config);
    const a = (n: number) => kernels.alloc(n);
    this.params = a(this.layout.total);
    this.grads = a(this.layout.total);
    const ln = config.norm === 'layernorm';
    this.layers = [];
    for (let l = 0; l < L; l++) {
      this.layers.push({
        xIn: a(N * d),
        attMean: a(ln ? N : 0),
        attRstd: a(N),
        xnAtt: a(N * d),
        q: a(N * d),
        k: a(N * kv),
        v: a(N * kv),
        probs: a(B * H * T * T),
        attOut: a(N * d),
        xMid: a(N * d),
        ffnMean: a(ln ? N : 0),
        ffnRstd: a(N),
        xnFfn: a(N * d),
        h1: a(N * h),
        h3: config.ffn === 'swiglu' ? a(N * h) : null,
        act: a(N * h),
      });
    }
    this.xFinal = a(N * d);
    this.finMean = a(ln ? N : 0);
    this.finRstd = a(N);
    this.xnFinal = a(N * d);
    this.logits = a(N * V);
    this.dx = a(N * d);
    this.dxn = a(N * d);
    this.dA = a(N * Math.max(d, h));
    this.dq = a(N * d);
    this.dk = a(N * kv);
    this.dv = a(N * kv);
    this.dh1 = a(N * h);
    this.dh3 = a(N * h);
    this.dS = a(T * T);
    this.kvT = a(N * kv);
    this.wT = a(Math.max(d * d, d * h, d * V));
    const tabs = ropeTables(T, d / H, config.ropeBase);
    this.cos = tabs.cos;
    this.sin = tabs.sin;
  }

  private get act(): Act {
    return this.config.activation === 'gelu' ? 'gelu' : 'silu';
  }

  private norm(y: Arr, mean: Arr, rstd: Arr, x: Arr, g: Arr): void {
    const c = this.config;
    if (c.norm === 'layernorm') layernormForward(y, mean, rstd, x, g, this.N, c.dim, c.normEps);
    else rmsnormForward(y, rstd, x, g, this.N, c.dim, c.normEps);
  }

  private normBack(dx: Arr, dg: Arr, dy: Arr, x: Arr, mean: Arr, rstd: Arr, g: Arr): void {
    const c = this.config;
    if (c.norm === 'layernorm') layernormBackward(dx, dg, dy, x, mean, rstd, g, this.N, c.dim);
    else rmsnormBackward(dx, dg, dy, x, rstd, g, this.N, c.dim);
  }

  private shape(): AttnShape {
    const c = this.config;
    return { B: this.B, T: this.T, nHeads: c.nHeads, nKv: c.nKvHeads, hs: headSize(c) };
  }

  /** y (N, out) (+)= x (N, in) . W^T, W = params[w0 .. w0 + out*in) row-major (out, in). */
  private linear(y: Arr, x: Arr, w0: number, nIn: number, nOut: number, accumulate: boolean): void {
    const W = this.params.subarray(w0, w0 + nIn * nOut);
    transpose(this.wT, W, nOut, nIn);
    this.kernels.mm(
      y,
      0,
      x,
      0,
      this.wT,
      0,
      this.N,
      nOut,
      nIn,
      nIn,
      1,
      nOut,
      nOut,
      accumulate ? MM_ACC : 0,
    );
  }

  /** Backward of y = x W^T: dx (+)= dy W (when dx is given); grads[w0..] += dy^T x. */
  private linearBack(
    dx: Arr | null,
    accX: boolean,
    dy: Arr,
    x: Arr,
    w0: number,
    nIn: number,
    nOut: number,
  ): void {
    const K = this.kernels;
    if (dx)
      K.mm(dx, 0, dy, 0, this.params, w0, this.N, nIn, nOut, nOut, 1, nIn, nIn, accX ? MM_ACC : 0);
    K.mm(this.grads, w0, dy, 0, x, 0, nOut, nIn, this.N, 1, nOut, nIn, nIn, MM_ACC);
  }

  private off(name: Parameters<Layout['byName']['get']>[0], l = 0, per = 0): number {
    const t = this.layout.byName.get(name);
    if (!t) throw new Error(`internal: no tensor ${name}`);
    return t.offset + l * per;
  }

  /**
   * Forward pass over `inputs` (N token ids): fills `logits` (N, vocab) and returns the summed
   * cross-entropy against `targets` in nats (targets < 0 are padding). With `backward`, also
   * fills `grads` with the gradient of (sum of losses * gradScale).
   */
  step(
    inputs: Int32Array,
    targets: Int32Array,
    backward: boolean,
    gradScale = 1,
    rowLoss?: Float64Array,
  ): number {
    this.forward(inputs);
    const c = this.config;
    const loss = crossEntropy(
      this.kernels,
      this.logits,
      targets,
      this.N,
      c.vocabSize,
      backward,
      gradScale,
      rowLoss,
    );
    if (backward) this.backward(inputs);
    return loss;
  }

  forward(inputs: Int32Array): void {
    const c = this.config;
    const { N, T, B } = this;
    const { dim: d, hiddenDim: h, vocabSize: V, nLayers: L } = c;
    const kv = kvDim(c);
    const hs = d / c.nHeads;
    const P = viewsOf(this.layout, this.params);
    if (inputs.length !== N) throw new Error(`expected ${N} input tokens, got ${inputs.length}`);
    for (let n = 0; n < N; n++) {
      if (!(inputs[n] >= 0 && inputs[n] < V))
        throw new Error(`token id ${inputs[n]} outside the vocabulary of ${V}`);
    }
    embeddingForward(L > 0 ? this.layers[0].xIn : this.xFinal, P.tokenEmbedding!, inputs, d);
    for (let l = 0; l < L; l++) {
      const A = this.layers[l];
      this.norm(A.xnAtt, A.attMean, A.attRstd, A.xIn, P.rmsAtt!.subarray(l * d, (l + 1) * d));
      this.linear(A.q, A.xnAtt, this.off('wq', l, d * d), d, d, false);
      this.linear(A.k, A.xnAtt, this.off('wk', l, kv * d), d, kv, false);
      this.linear(A.v, A.xnAtt, this.off('wv', l, kv * d), d, kv, false);
      if (c.position === 'rope') {
        rope(A.q, B, T, d, hs, this.cos, this.sin, false);
        rope(A.k, B, T, kv, hs, this.cos, this.sin, false);
      }
      attentionForward(this.kernels, A.attOut, A.probs, A.q, A.k, A.v, this.kvT, this.shape());
      A.xMid.set(A.xIn);
      this.linear(A.xMid, A.attOut, this.off('wo', l, d * d), d, d, true);
      this.norm(A.xnFfn, A.ffnMean, A.ffnRstd, A.xMid, P.rmsFfn!.subarray(l * d, (l + 1) * d));
      this.linear(A.h1, A.xnFfn, this.off('w1', l, h * d), d, h, false);
      if (A.h3) {
        this.linear(A.h3, A.xnFfn, this.off('w3', l, h * d), d, h, false);
        if (this.act === 'silu') this.kernels.swiglu(A.act, A.h1, A.h3, N * h);
        else swigluForward(A.act, A.h1, A.h3, N * h, this.act);
      } else {
        actForward(A.act, A.h1, N * h, this.act);
      }
      const xOut = l + 1 < L ? this.layers[l + 1].xIn : this.xFinal;
      xOut.set(A.xMid);
      this.linear(xOut, A.act, this.off('w2', l, d * h), h, d, true);
    }
    this.norm(this.xnFinal, this.finMean, this.finRstd, this.xFinal, P.rmsFinal!);
    this.linear(
      this.logits,
      this.xnFinal,
      this.off(c.sharedClassifier ? 'tokenEmbedding' : 'wcls'),
      d,
      V,
      false,
    );
  }

  /** Backward pass; expects `logits` to hold d(loss)/d(logits) (crossEntropy with grad). */
  backward(inputs: Int32Array): void {
    const c = this.config;
    const { N } = this;
    const { dim: d, hiddenDim: h, vocabSize: V } = c;
    const kv = kvDim(c);
    const hs = d / c.nHeads;
    const P = viewsOf(this.layout, this.params);
    const G = viewsOf(this.layout, this.grads);
    this.grads.fill(0);
    const { dx, dxn } = this;
    this.linearBack(
      dxn,
      false,
      this.logits,
      this.xnFinal,
      this.off(c.sharedClassifier ? 'tokenEmbedding' : 'wcls'),
      d,
      V,
    );
    dx.fill(0);
    this.normBack(dx, G.rmsFinal!, dxn, this.xFinal, this.finMean, this.finRstd, P.rmsFinal!);
    for (let l = c.nLayers - 1; l >= 0; l--) {
      const A = this.layers[l];
      // FFN: xOut = xMid + act W2^T (dx is the gradient of xOut, and flows on to xMid as is)
      const dAct = this.dA.subarray(0, N * h);
      this.linearBack(dAct, false, dx, A.act, this.off('w2', l, d * h), h, d);
      if (A.h3) {
        if (this.act === 'silu')
          this.kernels.swigluBack(this.dh1, this.dh3, dAct, A.h1, A.h3, N * h);
        else swigluBackward(this.dh1, this.dh3, dAct, A.h1, A.h3, N * h, this.act);
        this.linearBack(dxn, false, this.dh1, A.xnFfn, this.off('w1', l, h * d), d, h);
        this.linearBack(dxn, true, this.dh3, A.xnFfn, this.off('w3', l, h * d), d, h);
      } else {
        actBackward(this.dh1, dAct, A.h1, N * h, this.act);
        this.linearBack(dxn, false, this.dh1, A.xnFfn, this.off('w1', l, h * d), d, h);
      }
      this.normBack(
        dx,
        G.rmsFfn!.subarray(l * d, (l + 1) * d),
        dxn,
        A.xMid,
        A.ffnMean,
        A.ffnRstd,
        P.rmsFfn!.subarray(l * d, (l + 1) * d),
      );
      // attention: xMid = xIn + attOut Wo^T
      const dAtt = this.dA.subarray(0, N * d);
      this.linearBack(dAtt, false, dx, A.attOut, this.off('wo', l, d * d), d, d);
      attentionBackward(
        this.kernels,
        this.dq,
        this.dk,
        this.dv,
        dAtt,
        A.probs,
        A.q,
        A.k,
        A.v,
        this.kvT,
        this.dS,
        this.shape(),
      );
      if (c.position === 'rope') {
        rope(this.dq, this.B, this.T, d, hs, this.cos, this.sin, true);
        rope(this.dk, this.B, this.T, kv, hs, this.cos, this.sin, true);
      }
      this.linearBack(dxn, false, this.dq, A.xnAtt, this.off('wq', l, d * d), d, d);
      this.linearBack(dxn, true, this.dk, A.xnAtt, this.off('wk', l, kv * d), d, kv);
      this.linearBack(dxn, true, this.dv, A.xnAtt, this.off('wv', l, kv * d), d, kv);
      this.normBack(
        dx,
        G.rmsAtt!.subarray(l * d, (l + 1) * d),
        dxn,
        A.xIn,
        A.attMean,
        A.attRstd,
        P.rmsAtt!.subarray(l * d, (l + 1) * d),
      );
    }
    embeddingBackward(G.tokenEmbedding!, dx, inputs, d);
  }
}
