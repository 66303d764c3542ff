// A policy being post-trained: its parameters (flat, the trainer's layout), a frozen copy of the
// reference it started from, sampling with the inference engine, and teacher-forced sequence
// log-probabilities with the trainer's forward pass. Runs in Node and in a Web Worker (no DOM,
// no Node APIs).

import { createCpuBackend } from '../../engine/cpu/backend.ts';
import { countParams } from '../../engine/config.ts';
import { generateAll } from '../../engine/generate.ts';
import type { Tokenizer } from '../../engine/tokenizer.ts';
import type { Config, Model } from '../../engine/types.ts';
import { kernelsFor, type KernelKind } from '../kernels.ts';
import { makeLayout, weightsOf, type Layout } from '../layout.ts';
import { TrainModel } from '../model.ts';
import { sequenceLogProbs } from './losses.ts';
import { packExample, type Example } from './sequences.ts';

/** The parameters to use: the policy, the frozen reference or the base model. */
export type Which = 'policy' | 'ref' | 'base';

export interface Continuation {
  promptIds: number[];
  ids: number[];
  text: string;
}

/** Flat parameters (layout order) from an engine model (its weights are views into one file). */
export function flatParams(model: Model): Float32Array {
  const layout = makeLayout(model.config);
  const flat = new Float32Array(layout.total);
  const w = model.weights as unknown as Record<string, Float32Array | null>;
  for (const t of layout.tensors) {
    const src = w[t.name];
    if (!src || src.length !== t.size)
      throw new Error(`the model's ${t.name} does not match the trainer's layout`);
    flat.set(src, t.offset);
  }
  return flat;
}

export function modelFromFlat(config: Config, layout: Layout, flat: Float32Array): Model {
  return {
    config,
    weights: weightsOf(layout, Float32Array.from(flat)),
    fileVersion: 0,
    nParams: countParams(config),
  };
}

export class Policy {
  readonly config: Config;
  readonly layout: Layout;
  readonly tokenizer: Tokenizer;
  /** The parameters being tuned. */
  readonly params: Float32Array;
  /** The model the tuning started from (reset goes back to it). */
  readonly base: Float32Array;
  /**
   * The frozen reference of DPO and of the KL: the base model, or the model as it was when the
   * current run started (`freezeReference`), as Llama 3's DPO takes the round's SFT model.
   */
  readonly ref: Float32Array;
  readonly kernels: KernelKind;
  /** Positions per training row (prompt + response). */
  readonly T: number;
  private evalModel: TrainModel | null = null;

  constructor(base: Model, tokenizer: Tokenizer, opts: { kernels?: KernelKind; T?: number } = {}) {
    this.config = base.config;
    this.layout = makeLayout(base.config);
    this.tokenizer = tokenizer;
    this.base = flatParams(base);
    this.ref = Float32Array.from(this.base);
    this.params = Float32Array.from(this.base);
    this.kernels = opts.kernels ?? 'js';
    this.T = Math.min(opts.T ?? 96, base.config.seqLen);
  }

  /** The tuned model as an engine model (a copy of the parameters). */
  model(which: Which = 'policy'): Model {
    return modelFromFlat(this.config, this.layout, this.flat(which));
  }

  private flat(which: Which): Float32Array {
    return which === 'policy' ? this.params : which === 'ref' ? this.ref : this.base;
  }

  /** Back to the base model (policy and reference). */
  reset(): void {
    this.params.set(this.base);
    this.ref.set(this.base);
  }

  /** The current policy becomes the frozen reference. */
  freezeReference(): void {
    this.ref.set(this.params);
  }

  /** A training model of B rows of T positions (default this policy's T), with its kernels. */
  trainModel(B: number, T = this.T): TrainModel {
    return new TrainModel(this.config, B, T, kernelsFor(this.kernels));
  }

  /** The fewest positions (a multiple of 8, at most this.T) that hold every example whole. */
  fitT(examples: readonly Example[]): number {
    let n = 2;
    for (const e of examples) n = Math.max(n, e.prompt.length + e.response.length - 1);
    return Math.min(this.T, Math.ceil(n / 8) * 8);
  }

  /**
   * K continuations of `steps` tokens of one prompt (ids, BOS first), sampled by the inference
   * engine at `temperature` (1 = the policy's own distribution) with seeds seed, seed+1, ...
   */
  async sample(
    promptIds: readonly number[],
    K: number,
    steps: number,
    seed: number,
    temperature = 1,
    which: Which = 'policy',
  ): Promise<Continuation[]> {
    const backend = createCpuBackend(this.model(which));
    const n = Math.max(1, Math.min(steps, this.T - promptIds.length));
    const out: Continuation[] = [];
    try {
      for (let k = 0; k < K; k++) {
        backend.reset();
        const r = await generateAll(backend, {
          promptIds,
          steps: n,
          sampler: { temperature, topK: 0, topP: 0, seed: BigInt(seed + k) },
          tokenizer: this.tokenizer,
        });
        out.push({ promptIds: [...promptIds], ids: r.ids, text: r.text });
      }
    } finally {
      backend.dispose();
    }
    return out;
  }

  /** log pi(response | prompt) of each example under the policy or the reference. */
  logProbs(examples: readonly Example[], which: Which = 'policy'): Float64Array {
    const B = 8;
    this.evalModel ??= this.trainModel(B);
    const m = this.evalModel;
    m.params.set(this.flat(which));
    const out = new Float64Array(examples.length);
    const inputs = new Int32Array(B * this.T);
    const targets = new Int32Array(B * this.T);
    const lp = new Float64Array(B);
    for (let i0 = 0; i0 < examples.length; i0 += B) {
      for (let r = 0; r < B; r++) {
        const ex = examples[i0 + r];
        if (ex) packExample(ex, this.T, r, inputs, targets);
        else {
          inputs.fill(0, r * this.T, (r + 1) * this.T);
          targets.fill(-1, r * this.T, (r + 1) * this.T);
        }
      }
      sequenceLogProbs(m, inputs, targets, lp);
      for (let r = 0; r < B && i0 + r < examples.length; r++) out[i0 + r] = lp[r];
    }
    return out;
  }

  /**
   * KL(pi || pi_ref) per sequence, estimated on samples y ~ pi (temperature 1) as the mean of
   * log pi(y|x) - log pi_ref(y|x); non-negative in expectation, and 0 at the reference.
   */
  klOnSamples(samples: readonly Example[]): number {
    if (samples.length === 0) return 0;
    const a = this.logProbs(samples, 'policy');
    const b = this.logProbs(samples, 'ref');
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] - b[i];
    return s / a.length;
  }
}
