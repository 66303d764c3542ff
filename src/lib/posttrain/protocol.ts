// The typed interface between the post-training chapter and its trainer worker (comlink). The
// worker runs the trainer's own post-training loops (src/train/post) on the tiny model: plain
// data crosses, typed arrays are transferred.
import type { RewardSpec } from '../../train/post/rewards.ts';
import type { SftPair } from '../../train/post/data.ts';
import type { DpoTiming } from '../../train/post/timing.ts';

export type { DpoTiming };

export interface SampleView {
  prompt: string;
  text: string;
  reward: number;
}

export interface SnapshotView {
  step: number;
  reward: number;
  kl: number;
  samples: SampleView[];
}

export type PostEvent =
  | { kind: 'sft'; step: number; loss: number; ms: number }
  | { kind: 'dpo'; step: number; loss: number; accuracy: number; margin: number; ms: number }
  | { kind: 'eval'; snapshot: SnapshotView; round?: number }
  | { kind: 'round'; round: number; kept: SampleView[] }
  | { kind: 'pairs'; pairs: { chosen: SampleView; rejected: SampleView }[] }
  | { kind: 'status'; status: PostStatus };

/** What the worker is doing, as data: the page words it in the reader's language. */
export type PostStatus = { id: 'dpo-sampling'; K: number };

export interface TrainerInfo {
  /** 'wasm' (SIMD kernels in a shared WebAssembly memory) or 'js' (plain loops, where the browser refuses one). */
  kernels: 'wasm' | 'js';
  params: number;
}

export interface BestOfKRequest {
  prompts: string[];
  K: number;
  tokens: number;
  seed: number;
  reward: RewardSpec;
  /** Sample the tuned policy or the base model. */
  which: 'policy' | 'base';
}

export interface SftRequest {
  pairs: SftPair[];
  heldOut: string[];
  steps: number;
  lr: number;
}

export interface RsRequest {
  reward: RewardSpec;
  rounds: number;
  K: number;
  steps: number;
  lr: number;
  tokens: number;
}

export interface DpoRequest {
  reward: RewardSpec;
  beta: number;
  K: number;
  groups: number;
  steps: number;
  lr: number;
  tokens: number;
}

export interface ModelFiles {
  model: ArrayBuffer;
  tokenizer: ArrayBuffer;
  sidecar: unknown;
}

export interface PostApi {
  init(files: ModelFiles): Promise<TrainerInfo>;
  bestOfK(req: BestOfKRequest): Promise<SampleView[][]>;
  /** Returns the before/after answers and the optimiser steps done. */
  sft(
    req: SftRequest,
    on: (e: PostEvent) => void,
  ): Promise<{ before: string[]; after: string[]; steps: number }>;
  /** Returns the rounds done. */
  rejection(req: RsRequest, on: (e: PostEvent) => void): Promise<number>;
  /** Returns the optimiser steps done. */
  dpo(req: DpoRequest, on: (e: PostEvent) => void): Promise<number>;
  /** Stop the running loop after its current step. */
  stop(): void;
  /** Back to the base model. */
  reset(): void;
  /** The tuned model as llama2.c files (checkpoint v0, tokenizer, sidecar). */
  exportModel(): Promise<ModelFiles>;
  /** One DPO step of `pairs` pairs of `tokens`-token responses, timed (benchmark). */
  timeDpoStep(pairs: number, tokens: number): Promise<DpoTiming>;
}
