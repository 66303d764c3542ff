// One DPO optimiser step timed (forward and backward of B = 2 * pairs rows, AdamW), for the
// benchmark in Node and in the page: the same code in both.
import { AdamW } from '../adamw.ts';
import type { TrainSettings } from '../config.ts';
import { dpoStep } from './losses.ts';
import type { Policy } from './policy.ts';
import { packExample, type Example } from './sequences.ts';

export interface DpoTiming {
  /** Milliseconds of each timed step (after one warm-up step). */
  ms: number[];
  /** Rows x positions of one step. */
  tokens: number;
  kernels: string;
}

export function timeDpo(
  policy: Policy,
  pairs: number,
  responseTokens: number,
  repeats = 5,
): DpoTiming {
  const rows: Example[] = Array.from({ length: 2 * pairs }, (_, r) => ({
    prompt: [1, 100, 101, 102],
    response: Array.from({ length: responseTokens }, (_, i) => 3 + ((r * 7 + i * 13) % 250)),
  }));
  const T = policy.fitT(rows);
  const m = policy.trainModel(2 * pairs, T);
  m.params.set(policy.params);
  const inputs = new Int32Array(2 * pairs * T);
  const targets = new Int32Array(2 * pairs * T);
  rows.forEach((ex, r) => packExample(ex, T, r, inputs, targets));
  const ref = new Float64Array(2 * pairs).fill(-100);
  const settings: TrainSettings = {
    batchSize: 2 * pairs,
    steps: repeats + 1,
    lr: 1e-5,
    minLrRatio: 1,
    warmupSteps: 0,
    weightDecay: 0,
    beta1: 0.9,
    beta2: 0.95,
    adamEps: 1e-8,
    gradClip: 1,
    seed: 1,
    evalInterval: 1,
    workers: 1,
    initStd: 0.02,
  };
  const opt = new AdamW(policy.layout, settings);
  const ms: number[] = [];
  for (let i = 0; i <= repeats; i++) {
    const t0 = performance.now();
    dpoStep(m, inputs, targets, ref, 0.1, true);
    opt.step(m.params, m.grads, 1e-5);
    if (i > 0) ms.push(performance.now() - t0);
  }
  return { ms, tokens: 2 * pairs * T, kernels: policy.kernels };
}
