// AdamW with LLaMA's recipe (Touvron et al. 2023, section 2.2): beta1 0.9, beta2 0.95, decoupled
// weight decay 0.1 applied to matrices only (norm gains are not decayed), a cosine learning-rate
// schedule down to 10% of the peak after a linear warm-up, and gradient clipping at global
// norm 1.0. Moments are kept in float64 beside float32 parameters: they are small here and it
// keeps the update independent of float32 rounding of tiny second moments.

import type { TrainSettings } from './config.ts';
import type { Layout } from './layout.ts';
import type { Arr } from './ops.ts';
import { TrainError } from './errors.ts';

/** Learning rate at step `it` (0-based): linear warm-up, then cosine to lr * minLrRatio. */
export function learningRate(s: TrainSettings, it: number): number {
  if (it < s.warmupSteps) return (s.lr * (it + 1)) / s.warmupSteps;
  const span = Math.max(1, s.steps - s.warmupSteps);
  const progress = Math.min(1, (it - s.warmupSteps) / span);
  const minLr = s.lr * s.minLrRatio;
  return minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (s.lr - minLr);
}

export class AdamW {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly decayMask: Uint8Array;
  private t = 0;

  constructor(
    layout: Layout,
    private readonly s: TrainSettings,
  ) {
    this.m = new Float64Array(layout.total);
    this.v = new Float64Array(layout.total);
    this.decayMask = new Uint8Array(layout.total);
    for (const t of layout.tensors)
      if (t.decay) this.decayMask.fill(1, t.offset, t.offset + t.size);
  }

  /** Global L2 norm of a gradient vector (float64 sum in index order). */
  static norm(g: Arr): number {
    let ss = 0;
    for (let i = 0; i < g.length; i++) ss += g[i] * g[i];
    return Math.sqrt(ss);
  }

  /**
   * One update of `params` from `grads` at learning rate `lr`. Clips the gradient to the global
   * norm gradClip first (0 = no clipping). Returns the gradient norm before clipping.
   */
  step(params: Arr, grads: Arr, lr: number): number {
    const { beta1, beta2, adamEps, weightDecay, gradClip } = this.s;
    const norm = AdamW.norm(grads);
    if (!Number.isFinite(norm)) throw new TrainError('train_diverged', {});
    const clip = gradClip > 0 && norm > gradClip ? gradClip / norm : 1;
    this.t++;
    const bc1 = 1 - Math.pow(beta1, this.t);
    const bc2 = 1 - Math.pow(beta2, this.t);
    const m = this.m;
    const v = this.v;
    const mask = this.decayMask;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i] * clip;
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      let p = params[i];
      if (mask[i]) p -= lr * weightDecay * p;
      p -= (lr * (m[i] / bc1)) / (Math.sqrt(v[i] / bc2) + adamEps);
      params[i] = p;
    }
    return norm;
  }
}
