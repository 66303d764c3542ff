// The three post-training recipes of the chapter, as loops over a Policy, with AdamW from the
// pretraining trainer (no weight decay: fine-tuning should not pull weights towards zero) and a
// constant learning rate after a short warm-up. Each reports progress through a callback, and
// stops between steps when `signal` is aborted. Runs in Node (the CLI) and in a Web Worker.
//
//   sft            supervised fine-tuning on prompt/response pairs, the prompt masked
//   rejection      rounds of: sample K per prompt from the current policy, keep the best by the
//                  reward, SFT on the kept samples; the mean reward of fresh samples after each
//   dpo            pairs (best vs worst of K samples per prompt of the model as the run starts,
//                  which is frozen as the reference), the DPO loss against that reference; loss, preference accuracy, implicit
//                  reward margin, KL from the reference and mean reward of fresh samples

import { AdamW } from '../adamw.ts';
import type { TrainSettings } from '../config.ts';
import { bestAndWorst, mean } from './best-of-k.ts';
import { dpoStep, sftStep } from './losses.ts';
import type { Policy, Which } from './policy.ts';
import type { Reward } from './rewards.ts';
import { packExample, type Example } from './sequences.ts';
import { Rng } from '../rng.ts';
import { TrainError } from '../errors.ts';

export interface ScoredSample extends Example {
  text: string;
  reward: number;
}

export interface Snapshot {
  /** Mean reward of fresh samples of the policy (temperature 1). */
  reward: number;
  /** KL(pi || pi_ref) per sequence, estimated on those samples (nats). */
  kl: number;
  samples: ScoredSample[];
}

export interface CommonSettings {
  lr: number;
  steps: number;
  /** Rows per step (SFT) or pairs per step (DPO). */
  batch: number;
  /** Tokens generated per sample. */
  responseTokens: number;
  seed: number;
  /** Fresh samples per prompt for the evaluation snapshots. */
  evalSamples: number;
  /** Evaluate every this many steps (and after the last). */
  evalEvery: number;
}

export type Progress =
  | { kind: 'sft'; step: number; loss: number; gradNorm: number; ms: number }
  | {
      kind: 'dpo';
      step: number;
      loss: number;
      accuracy: number;
      margin: number;
      gradNorm: number;
      ms: number;
    }
  | { kind: 'eval'; step: number; round?: number; snapshot: Snapshot }
  | { kind: 'round'; round: number; kept: ScoredSample[]; candidates: ScoredSample[][] }
  | { kind: 'pairs'; pairs: { chosen: ScoredSample; rejected: ScoredSample }[] };

export interface LoopHooks {
  onProgress?: (p: Progress) => void | Promise<void>;
  signal?: AbortSignal;
}

function adamSettings(s: CommonSettings): TrainSettings {
  return {
    batchSize: s.batch,
    steps: s.steps,
    lr: s.lr,
    minLrRatio: 1,
    warmupSteps: 0,
    weightDecay: 0,
    beta1: 0.9,
    beta2: 0.95,
    adamEps: 1e-8,
    gradClip: 1,
    seed: s.seed,
    evalInterval: s.evalEvery,
    workers: 1,
    initStd: 0.02,
  };
}

/** Warm-up over the first 10% of steps (at least 1), then constant. */
function lrAt(s: CommonSettings, it: number): number {
  const warm = Math.max(1, Math.round(s.steps / 10));
  return it < warm ? (s.lr * (it + 1)) / warm : s.lr;
}

export function checkSettings(s: CommonSettings): void {
  const pos = (k: keyof CommonSettings, max: number) => {
    const v = s[k];
    if (!Number.isInteger(v) || v < 1 || v > max)
      throw new TrainError('post_whole_range', { name: k, max, got: v });
  };
  if (!(s.lr > 0 && s.lr < 1)) throw new TrainError('post_lr', { got: s.lr });
  pos('steps', 100000);
  pos('batch', 64);
  pos('responseTokens', 250);
  pos('evalSamples', 64);
  pos('evalEvery', 100000);
  if (!Number.isInteger(s.seed) || s.seed < 0) throw new TrainError('post_seed', {});
}

/** Score K continuations of each prompt by the reward. */
export async function sampleScored(
  policy: Policy,
  prompts: readonly number[][],
  K: number,
  steps: number,
  seed: number,
  reward: Reward,
  which: Which = 'policy',
): Promise<ScoredSample[][]> {
  const out: ScoredSample[][] = [];
  for (let p = 0; p < prompts.length; p++) {
    const cs = await policy.sample(prompts[p], K, steps, seed + p * 1000, 1, which);
    out.push(
      cs
        .filter((c) => c.ids.length > 0)
        .map((c) => ({
          prompt: c.promptIds,
          response: c.ids,
          text: c.text,
          reward: reward(c.text),
        })),
    );
  }
  return out;
}

/** Fresh samples of the policy: mean reward and KL from the reference. */
export async function snapshot(
  policy: Policy,
  prompts: readonly number[][],
  n: number,
  steps: number,
  seed: number,
  reward: Reward,
): Promise<Snapshot> {
  const samples = (await sampleScored(policy, prompts, n, steps, seed, reward)).flat();
  return {
    reward: mean(samples.map((s) => s.reward)),
    kl: policy.klOnSamples(samples),
    samples,
  };
}

/** Fine-tune on examples for s.steps minibatch steps (examples drawn in a seeded shuffle). */
export async function sft(
  policy: Policy,
  examples: readonly Example[],
  s: CommonSettings,
  hooks: LoopHooks = {},
  evalFn?: (step: number) => Promise<void>,
): Promise<void> {
  checkSettings(s);
  if (examples.length === 0) throw new TrainError('post_no_examples', {});
  const B = Math.min(s.batch, examples.length);
  const T = policy.fitT(examples);
  const m = policy.trainModel(B, T);
  m.params.set(policy.params);
  const opt = new AdamW(policy.layout, adamSettings(s));
  const rng = new Rng(s.seed);
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  let order: number[] = [];
  for (let it = 0; it < s.steps; it++) {
    if (hooks.signal?.aborted) break;
    const t0 = performance.now();
    for (let r = 0; r < B; r++) {
      if (order.length === 0) order = shuffle(examples.length, rng);
      packExample(examples[order.pop()!], T, r, inputs, targets);
    }
    const { loss } = sftStep(m, inputs, targets, true);
    const gradNorm = opt.step(m.params, m.grads, lrAt(s, it));
    policy.params.set(m.params);
    await hooks.onProgress?.({
      kind: 'sft',
      step: it + 1,
      loss,
      gradNorm,
      ms: performance.now() - t0,
    });
    if (evalFn && ((it + 1) % s.evalEvery === 0 || it + 1 === s.steps)) await evalFn(it + 1);
  }
}

function shuffle(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export interface RejectionSettings extends CommonSettings {
  rounds: number;
  /** Samples per group; the best one of each group is kept. */
  K: number;
  /** Groups of K samples per prompt and round (default 1). */
  groups?: number;
}

/**
 * Rejection-sampling fine-tuning: each round samples K continuations per prompt from the current
 * policy, keeps the best by the reward and runs `steps` SFT steps on all kept samples so far.
 * Returns the snapshots: before (round 0) and after each round.
 */
export async function rejectionSampling(
  policy: Policy,
  prompts: readonly number[][],
  reward: Reward,
  s: RejectionSettings,
  hooks: LoopHooks = {},
): Promise<Snapshot[]> {
  checkSettings(s);
  policy.freezeReference();
  const snaps: Snapshot[] = [];
  const evalNow = async (round: number) => {
    const snap = await snapshot(
      policy,
      prompts,
      s.evalSamples,
      s.responseTokens,
      s.seed + 500_000 + round * 10_000,
      reward,
    );
    snaps.push(snap);
    await hooks.onProgress?.({ kind: 'eval', step: round, round, snapshot: snap });
  };
  await evalNow(0);
  const kept: ScoredSample[] = [];
  for (let round = 1; round <= s.rounds; round++) {
    if (hooks.signal?.aborted) break;
    // groups of K samples per prompt; the best of each group is kept
    const groups = s.groups ?? 1;
    const cands = await sampleScored(
      policy,
      prompts.flatMap((p) => Array<number[]>(groups).fill(p)),
      s.K,
      s.responseTokens,
      s.seed + round * 100_000,
      reward,
    );
    const best = cands
      .filter((c) => c.length > 0)
      .map((c) => c[bestAndWorst(c.map((x) => x.reward)).best]);
    kept.push(...best);
    await hooks.onProgress?.({ kind: 'round', round, kept: best, candidates: cands });
    await sft(policy, kept, { ...s, seed: s.seed + round }, hooks);
    await evalNow(round);
  }
  return snaps;
}

export interface DpoSettings extends CommonSettings {
  beta: number;
  /** Samples of the reference per prompt; the pair is the best and the worst. */
  K: number;
}

export interface Pair {
  chosen: ScoredSample;
  rejected: ScoredSample;
}

/**
 * Best vs worst of K samples per prompt of the current policy (the reference of the DPO run that
 * follows); prompts whose samples all tie give no pair.
 */
export async function makePairs(
  policy: Policy,
  prompts: readonly number[][],
  reward: Reward,
  K: number,
  steps: number,
  seed: number,
): Promise<Pair[]> {
  const cands = await sampleScored(policy, prompts, K, steps, seed, reward, 'policy');
  const pairs: Pair[] = [];
  for (const c of cands) {
    if (c.length < 2) continue;
    const { best, worst } = bestAndWorst(c.map((x) => x.reward));
    if (c[best].reward > c[worst].reward) pairs.push({ chosen: c[best], rejected: c[worst] });
  }
  return pairs;
}

/**
 * DPO on fixed pairs against the policy as it is when the run starts (frozen as the reference);
 * evaluation snapshots every evalEvery steps.
 */
export async function dpo(
  policy: Policy,
  pairs: readonly Pair[],
  evalPrompts: readonly number[][],
  reward: Reward,
  s: DpoSettings,
  hooks: LoopHooks = {},
): Promise<Snapshot[]> {
  checkSettings(s);
  if (!(s.beta > 0 && s.beta <= 10)) throw new TrainError('post_beta', { got: s.beta });
  if (pairs.length === 0) throw new TrainError('post_no_pairs', {});
  const P = Math.min(s.batch, pairs.length);
  const flat: Example[] = pairs.flatMap((p) => [p.chosen, p.rejected]);
  const T = policy.fitT(flat);
  const m = policy.trainModel(2 * P, T);
  policy.freezeReference();
  const refLogp = policy.logProbs(flat, 'ref');
  m.params.set(policy.params);
  const opt = new AdamW(policy.layout, adamSettings({ ...s, batch: 2 * P }));
  const rng = new Rng(s.seed);
  const inputs = new Int32Array(2 * P * T);
  const targets = new Int32Array(2 * P * T);
  const ref = new Float64Array(2 * P);
  const snaps: Snapshot[] = [];
  const evalNow = async (step: number) => {
    const snap = await snapshot(
      policy,
      evalPrompts,
      s.evalSamples,
      s.responseTokens,
      s.seed + 700_000 + step,
      reward,
    );
    snaps.push(snap);
    await hooks.onProgress?.({ kind: 'eval', step, snapshot: snap });
  };
  await evalNow(0);
  let order: number[] = [];
  for (let it = 0; it < s.steps; it++) {
    if (hooks.signal?.aborted) break;
    const t0 = performance.now();
    for (let i = 0; i < P; i++) {
      if (order.length === 0) order = shuffle(pairs.length, rng);
      const k = order.pop()!;
      packExample(flat[2 * k], T, 2 * i, inputs, targets);
      packExample(flat[2 * k + 1], T, 2 * i + 1, inputs, targets);
      ref[2 * i] = refLogp[2 * k];
      ref[2 * i + 1] = refLogp[2 * k + 1];
    }
    const r = dpoStep(m, inputs, targets, ref, s.beta, true);
    const gradNorm = opt.step(m.params, m.grads, lrAt(s, it));
    policy.params.set(m.params);
    await hooks.onProgress?.({
      kind: 'dpo',
      step: it + 1,
      loss: r.loss,
      accuracy: r.accuracy,
      margin: r.margin,
      gradNorm,
      ms: performance.now() - t0,
    });
    if ((it + 1) % s.evalEvery === 0 || it + 1 === s.steps) await evalNow(it + 1);
  }
  return snaps;
}
