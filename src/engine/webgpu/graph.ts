// The dispatch sites of the forward pass, wired to the buffers of GpuState once per model:
// per layer the norms, projections and attention ops (their parameter slots hold the layer's
// offsets), and the ops every layer shares. `configure` rewrites what a knob change moves: the
// K/V width (kvGroups) and the norm eps.
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
  wk: MatmulOp;
  wv: MatmulOp;
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

/** Parameter slots the graph needs for a model of `nLayers` (sizes the ParamArena). */
export function paramSlots(nLayers: number): number {
  return 12 * nLayers + 16;
}

export class ForwardGraph {
  readonly layers: LayerOps[] = [];
  readonly ropeQ: RopeOp;
  readonly ropeK: RopeOp;
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
    const hs = dim / nHeads;
    const kvDim = (dim * c.nKvHeads) / nHeads;
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
      const norm = (op: string, gain: GPUBuffer) =>
        new NormOp(env, { w: gain, wOff: l * dim, x: s.x, out: s.xb, n: dim, label: label(op) });
      this.layers.push({
        attnNorm: norm('attn_norm', w.rmsAtt),
        wq: proj('wq', w.wq, s.xb, s.q, dim, dim),
        wk: proj('wk', w.wk, s.xb, s.k, kvDim, dim),
        wv: proj('wv', w.wv, s.xb, s.v, kvDim, dim),
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
    const rope = (x: GPUBuffer, width: number, label: string) =>
      new RopeOp(env, { cos: s.ropeCos, sin: s.ropeSin, x, width, headSize: hs, label });
    this.ropeQ = rope(s.q, dim, 'rope q');
    this.ropeK = rope(s.k, kvDim, 'rope k');
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
      headSize: c.dim / c.nHeads,
      kvDim,
      seqLen: this.maxPositions,
      kvOff: l * this.maxPositions * kvDim,
    };
  }

  /** Point every op at the K/V width in use (pooled weights packed per layer) and set eps. */
  configure(kvDim: number, eps: number): void {
    const dim = this.config.dim;
    this.layers.forEach((ops, l) => {
      ops.wk.setRows(kvDim, l * kvDim * dim);
      ops.wv.setRows(kvDim, l * kvDim * dim);
      ops.scores.setShape(this.attnShape(l, kvDim));
      ops.mix.setShape(this.attnShape(l, kvDim));
      ops.attnNorm.setEps(eps);
      ops.ffnNorm.setEps(eps);
    });
    this.ropeK.setWidth(kvDim);
    this.finalNorm.setEps(eps);
  }
}
