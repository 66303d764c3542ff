// The dispatch sites of the forward pass, wired to the buffers of GpuState once per model:
// per layer the norms, projections and attention ops (their parameter slots hold the layer's
// offsets), and the ops every layer shares. `configure` rewrites what a knob change moves: the
// K/V width (kvGroups) and the norm eps.
import { headSize, kvDim as kvDimOf } from '../config.ts';
import type { Config } from '../types.ts';
import {
  AttnMixOp,
  AttnScoresOp,
  ElementwiseOp,
  MatmulOp,
  NormOp,
  RopeOp,
  SoftmaxOp,
  type AttnShape,
  type GpuEnv,
} from './ops.ts';
import type { GpuState } from './state.ts';

export interface LayerOps {
  attnNorm: NormOp;
  wq: MatmulOp;
  /** k = Wk xb, written straight into this layer's key-cache rows start_pos.. */
  wk: MatmulOp;
  /** v = Wv xb, written straight into this layer's value-cache rows start_pos.. */
  wv: MatmulOp;
  /** RoPE on the new keys, in place in the cache */
  ropeK: RopeOp;
  scores: AttnScoresOp;
  mix: AttnMixOp;
  /** xb2 = Wo heads, or x += Wo heads (fused residual). */
  wo: MatmulOp;
  ffnNorm: NormOp;
  w1: MatmulOp;
  w3: MatmulOp | null;
  /** xb2 = W2 hidden, or x += W2 hidden (fused residual). */
  w2: MatmulOp;
}

export class ForwardGraph {
  readonly layers: LayerOps[] = [];
  readonly ropeQ: RopeOp;
  readonly softmax: SoftmaxOp;
  /** x += xb2 */
  readonly residual: ElementwiseOp;
  /** hb = act(hb) * hb2 (SwiGLU) or act(hb) (MLP) */
  readonly ffnAct: ElementwiseOp;
  /** hbTap = act(hbTap), for the `ffn.act` tap */
  readonly ffnActTap: ElementwiseOp;
  readonly finalNorm: NormOp;
  /** logits (T, vocab) = xb @ Wcls^T */
  readonly classifier: MatmulOp;
  /** logits (vocab) = Wcls xLast: the last row only */
  readonly classifierLast: MatmulOp;

  constructor(
    env: GpuEnv,
    s: GpuState,
    private readonly config: Config,
    private readonly maxPositions: number,
  ) {
    const c = config;
    const { dim, hiddenDim: hidden, vocabSize: V, nHeads } = c;
    const hs = headSize(c);
    const kvDim = kvDimOf(c);
    const w = s.weights;
    for (let l = 0; l < c.nLayers; l++) {
      const label = (op: string) => `L${l}.${op}`;
      const shape = this.attnShape(l, kvDim);
      const proj = (
        op: string,
        weights: GPUBuffer,
        x: GPUBuffer,
        out: GPUBuffer,
        d: number,
        n: number,
        residual?: GPUBuffer,
      ) =>
        new MatmulOp(env, {
          w: weights,
          wOff: l * d * n,
          x,
          out,
          residual,
          d,
          n,
          label: label(op),
        });
      const toCache = (op: string, weights: GPUBuffer, cache: GPUBuffer) =>
        new MatmulOp(env, {
          w: weights,
          x: s.xb,
          out: cache,
          d: kvDim,
          n: dim,
          outAtPosition: true,
          label: label(op),
        });
      const norm = (op: string, gain: GPUBuffer) =>
        new NormOp(env, { w: gain, wOff: l * dim, x: s.x, out: s.xb, n: dim, label: label(op) });
      this.layers.push({
        attnNorm: norm('attn_norm', w.rmsAtt),
        wq: proj('wq', w.wq, s.xb, s.q, dim, dim),
        wk: toCache('wk', w.wk, s.keyCache),
        wv: toCache('wv', w.wv, s.valueCache),
        ropeK: new RopeOp(env, {
          cos: s.ropeCos,
          sin: s.ropeSin,
          x: s.keyCache,
          width: kvDim,
          headSize: hs,
          atPosition: true,
          label: label('rope k'),
        }),
        scores: new AttnScoresOp(env, {
          q: s.q,
          kCache: s.keyCache,
          att: s.att,
          shape,
          label: label('attn_scores'),
        }),
        mix: new AttnMixOp(env, {
          att: s.att,
          vCache: s.valueCache,
          out: s.xb,
          shape,
          label: label('attn_mix'),
        }),
        wo: proj('wo', w.wo, s.xb, s.xb2, dim, dim, s.x),
        ffnNorm: norm('ffn_norm', w.rmsFfn),
        w1: proj('w1', w.w1, s.xb, s.hb, hidden, dim),
        w3: w.w3 ? proj('w3', w.w3, s.xb, s.hb2, hidden, dim) : null,
        w2: proj('w2', w.w2, s.hb, s.xb2, dim, hidden, s.x),
      });
    }
    this.ropeQ = new RopeOp(env, {
      cos: s.ropeCos,
      sin: s.ropeSin,
      x: s.q,
      width: dim,
      headSize: hs,
      label: 'rope q',
    });
    this.softmax = new SoftmaxOp(env, {
      att: s.att,
      nHeads,
      seqLen: this.maxPositions,
      label: 'softmax',
    });
    const elementwise = (
      kernel: 'add' | 'ffn_act',
      inout: GPUBuffer,
      other: GPUBuffer,
      width: number,
      label: string,
    ) => new ElementwiseOp(env, kernel, { inout, other, width, label });
    this.residual = elementwise('add', s.x, s.xb2, dim, 'residual');
    this.ffnAct = elementwise('ffn_act', s.hb, s.hb2, hidden, 'ffn_act');
    this.ffnActTap = elementwise('ffn_act', s.hbTap, s.hb2, hidden, 'ffn_act tap');
    this.finalNorm = new NormOp(env, {
      w: w.rmsFinal,
      x: s.x,
      out: s.xb,
      n: dim,
      label: 'final_norm',
    });
    const cls = (x: GPUBuffer, label: string) =>
      new MatmulOp(env, { w: w.wcls, x, out: s.logits, d: V, n: dim, label });
    this.classifier = cls(s.xb, 'classifier');
    this.classifierLast = cls(s.xLast, 'classifier last row');
  }

  private attnShape(l: number, kvDim: number): AttnShape {
    const c = this.config;
    return {
      nHeads: c.nHeads,
      headSize: headSize(c),
      kvDim,
      seqLen: this.maxPositions,
      kvOff: l * this.maxPositions * kvDim,
    };
  }

  /**
   * Point every op at the K/V width in use (pooled weights packed per layer, cache layers of
   * maxPositions x kvDim) and set eps.
   */
  configure(kvDim: number, eps: number): void {
    const dim = this.config.dim;
    this.layers.forEach((ops, l) => {
      const cacheOff = l * this.maxPositions * kvDim;
      ops.wk.setRows(kvDim, l * kvDim * dim, cacheOff);
      ops.wv.setRows(kvDim, l * kvDim * dim, cacheOff);
      ops.ropeK.setWidth(kvDim, cacheOff);
      ops.scores.setShape(this.attnShape(l, kvDim));
      ops.mix.setShape(this.attnShape(l, kvDim));
      ops.attnNorm.setEps(eps);
      ops.ffnNorm.setEps(eps);
    });
    this.finalNorm.setEps(eps);
  }
}
