// The post-training worker: the trainer's SFT, rejection-sampling and DPO loops (src/train/post)
// on the tiny model, off the main thread. SIMD kernels when the page is cross-origin isolated
// (they need shared WebAssembly memory), plain TypeScript loops otherwise.
import * as Comlink from 'comlink';
import { sendErrorCodes } from '../engine/error-transfer.ts';
import { parseCheckpoint, validateSidecar } from '../../engine/checkpoint.ts';
import { sidecarOf, writeCheckpoint } from '../../engine/checkpoint-write.ts';
import { parseTokenizer } from '../../engine/tokenizer.ts';
import { kernelsFor } from '../../train/kernels.ts';
import {
  dpo,
  makePairs,
  rejectionSampling,
  sampleScored,
  sft,
  type Progress,
  type ScoredSample,
} from '../../train/post/loops.ts';
import { Policy } from '../../train/post/policy.ts';
import { PROMPTS } from '../../train/post/data.ts';
import { compileRewardOrThrow } from '../../train/post/rewards.ts';
import { timeDpo } from '../../train/post/timing.ts';
import { TextCodec, vocabOf } from '../../train/post/sequences.ts';
import type { ModelFiles, PostApi, PostEvent, SampleView } from './protocol.ts';
import { TrainError } from '../../train/errors.ts';

let policy: Policy | null = null;
let codec: TextCodec | null = null;
let tokenizerBytes: ArrayBuffer | null = null;
let abort: AbortController | null = null;
const dec = new TextDecoder();

function live(): { policy: Policy; codec: TextCodec } {
  if (!policy || !codec) throw new TrainError('post_no_model', {});
  return { policy, codec };
}

function view(s: ScoredSample): SampleView {
  return {
    prompt: dec.decode(
      Uint8Array.from(s.prompt.slice(1).flatMap((id) => [...(policy?.tokenizer.pieces[id] ?? [])])),
    ),
    text: s.text,
    reward: s.reward,
  };
}

/** Optimiser steps (SFT, DPO) or rounds (rejection sampling) done by the last run. */
let done = 0;

function forward(on: (e: PostEvent) => void, count: 'steps' | 'rounds' = 'steps') {
  done = 0;
  return async (p: Progress) => {
    if (count === 'steps' && (p.kind === 'sft' || p.kind === 'dpo')) done = p.step;
    if (count === 'rounds' && p.kind === 'eval' && p.round !== undefined) done = p.round;
    if (p.kind === 'sft') on({ kind: 'sft', step: p.step, loss: p.loss, ms: p.ms });
    else if (p.kind === 'dpo')
      on({
        kind: 'dpo',
        step: p.step,
        loss: p.loss,
        accuracy: p.accuracy,
        margin: p.margin,
        ms: p.ms,
      });
    else if (p.kind === 'eval')
      on({
        kind: 'eval',
        round: p.round,
        snapshot: {
          step: p.step,
          reward: p.snapshot.reward,
          kl: p.snapshot.kl,
          samples: p.snapshot.samples.map(view),
        },
      });
    else if (p.kind === 'round') on({ kind: 'round', round: p.round, kept: p.kept.map(view) });
    // let a stop() message in between steps
    await new Promise((r) => setTimeout(r, 0));
  };
}

function begin(): AbortSignal {
  abort?.abort();
  abort = new AbortController();
  return abort.signal;
}

/**
 * The SIMD kernels need WebAssembly SIMD and a shared WebAssembly memory. Chromium allows the
 * latter even without cross-origin isolation (nothing is posted to another thread); browsers
 * that refuse it get the plain loops.
 */
function simdWorks(): boolean {
  try {
    kernelsFor('wasm').alloc(16);
    return true;
  } catch {
    return false;
  }
}

const api: PostApi = {
  async init(files: ModelFiles) {
    const sidecar = files.sidecar === undefined ? undefined : validateSidecar(files.sidecar);
    const model = parseCheckpoint(files.model, sidecar);
    const tok = parseTokenizer(files.tokenizer, model.config.vocabSize);
    policy = new Policy(model, tok, { kernels: simdWorks() ? 'wasm' : 'js', T: 80 });
    codec = new TextCodec(vocabOf(tok.pieces, tok.scores));
    tokenizerBytes = files.tokenizer.slice(0);
    return { kernels: policy.kernels === 'wasm' ? 'wasm' : 'js', params: policy.params.length };
  },

  async bestOfK(req) {
    const { policy, codec } = live();
    const reward = compileRewardOrThrow(req.reward).score;
    const prompts = req.prompts.map((p) => codec.prompt(p));
    const s = await sampleScored(policy, prompts, req.K, req.tokens, req.seed, reward, req.which);
    return s.map((g) => g.map(view));
  },

  async sft(req, on) {
    const { policy, codec } = live();
    const signal = begin();
    const ask = async () => {
      const out: string[] = [];
      for (const q of req.heldOut)
        out.push((await policy.sample(codec.prompt(q), 1, 16, 1, 0))[0].text);
      return out;
    };
    const before = await ask();
    const ex = req.pairs.map((p) => ({
      prompt: codec.prompt(p.prompt),
      response: codec.response(p.response),
    }));
    await sft(
      policy,
      ex,
      {
        lr: req.lr,
        steps: req.steps,
        batch: 8,
        responseTokens: 16,
        seed: 1,
        evalSamples: 1,
        evalEvery: req.steps,
      },
      { onProgress: forward(on), signal },
    );
    return { before, after: await ask(), steps: done };
  },

  async rejection(req, on) {
    const { policy, codec } = live();
    const signal = begin();
    const reward = compileRewardOrThrow(req.reward).score;
    await rejectionSampling(
      policy,
      PROMPTS.map((p) => codec.prompt(p)),
      reward,
      {
        lr: req.lr,
        steps: req.steps,
        batch: 8,
        responseTokens: req.tokens,
        seed: 1,
        evalSamples: 3,
        evalEvery: 1000,
        rounds: req.rounds,
        K: req.K,
        groups: 2,
      },
      { onProgress: forward(on, 'rounds'), signal },
    );
    return done;
  },

  async dpo(req, on) {
    const { policy, codec } = live();
    const signal = begin();
    const reward = compileRewardOrThrow(req.reward).score;
    const prompts = PROMPTS.map((p) => codec.prompt(p));
    on({ kind: 'status', status: { id: 'dpo-sampling', K: req.K } });
    const pairs = await makePairs(
      policy,
      prompts.flatMap((p) => Array<number[]>(req.groups).fill(p)),
      reward,
      req.K,
      req.tokens,
      1,
    );
    on({
      kind: 'pairs',
      pairs: pairs.map((p) => ({ chosen: view(p.chosen), rejected: view(p.rejected) })),
    });
    await dpo(
      policy,
      pairs,
      prompts,
      reward,
      {
        lr: req.lr,
        steps: req.steps,
        batch: 4,
        responseTokens: req.tokens,
        seed: 1,
        evalSamples: 3,
        evalEvery: Math.max(1, Math.round(req.steps / 4)),
        beta: req.beta,
        K: req.K,
      },
      { onProgress: forward(on), signal },
    );
    return done;
  },

  stop() {
    abort?.abort();
  },

  reset() {
    abort?.abort();
    policy?.reset();
  },

  async exportModel() {
    const { policy } = live();
    if (!tokenizerBytes) throw new Error('the trainer has no tokenizer');
    const model = writeCheckpoint(policy.model(), 0);
    const tokenizer = tokenizerBytes.slice(0);
    return Comlink.transfer({ model, tokenizer, sidecar: sidecarOf(policy.config) }, [
      model,
      tokenizer,
    ]);
  },

  async timeDpoStep(pairs, tokens) {
    const { policy } = live();
    return timeDpo(policy, pairs, tokens);
  },
};

sendErrorCodes();
Comlink.expose(api);
