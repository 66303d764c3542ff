// Post-training the shipped main model in Node, small but real: DPO on best-vs-worst pairs of the
// 'short lines' reward raises the mean reward of fresh samples while the KL from the reference
// stays bounded; rejection-sampling fine-tuning raises it round over round; the tuned model is
// written as llama2.c files that the engine loads back. (The README's numbers come from the
// longer `npm run posttrain` runs.)
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { sidecarOf, writeCheckpoint } from '$engine/checkpoint-write.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import { PROMPTS, SFT_PAIRS } from '$train/post/data.ts';
import { dpo, makePairs, rejectionSampling, sft, type Progress } from '$train/post/loops.ts';
import { Policy, flatParams } from '$train/post/policy.ts';
import { compileRewardOrThrow, presetById } from '$train/post/rewards.ts';
import { TextCodec, vocabOf } from '$train/post/sequences.ts';

const dir = new URL('../../../assets/models/main/', import.meta.url);
const sidecar = JSON.parse(readFileSync(new URL('model.json', dir), 'utf8'));
const base = parseCheckpoint(readFileSync(new URL('model.bin', dir)), sidecar);
const tok = parseTokenizer(readFileSync(new URL('tokenizer.bin', dir)), base.config.vocabSize);
const codec = new TextCodec(vocabOf(tok.pieces, tok.scores));
const reward = compileRewardOrThrow(presetById('length')!).score;
const prompts = PROMPTS.slice(0, 4).map((p) => codec.prompt(p));

describe('post-training the main model in Node', () => {
  it('DPO raises the mean reward of fresh samples; KL from the reference stays bounded', async () => {
    const policy = new Policy(base, tok, { kernels: 'wasm', T: 64 });
    const pairs = await makePairs(
      policy,
      prompts.flatMap((p) => [p, p, p, p]),
      reward,
      4,
      32,
      1,
    );
    expect(pairs.length).toBeGreaterThan(8);
    for (const p of pairs) expect(p.chosen.reward).toBeGreaterThan(p.rejected.reward);
    const log: Progress[] = [];
    const snaps = await dpo(
      policy,
      pairs,
      prompts,
      reward,
      {
        lr: 3e-4,
        steps: 16,
        batch: 4,
        responseTokens: 32,
        seed: 1,
        evalSamples: 6,
        evalEvery: 16,
        beta: 0.2,
        K: 4,
      },
      { onProgress: (p) => void log.push(p) },
    );
    const steps = log.filter((p) => p.kind === 'dpo');
    expect(steps).toHaveLength(16);
    expect(steps[0].loss).toBeCloseTo(Math.LN2, 5); // the policy starts at the reference
    expect(steps.at(-1)!.loss).toBeLessThan(0.5);
    expect(steps.at(-1)!.accuracy).toBeGreaterThan(0.5);
    expect(snaps[0].kl).toBe(0);
    expect(snaps[1].reward).toBeGreaterThan(snaps[0].reward + 0.3);
    expect(snaps[1].kl).toBeGreaterThan(0);
    expect(snaps[1].kl).toBeLessThan(15);
    // the reference is untouched; the tuned weights round-trip through a llama2.c file
    expect(flatParams(base)).toEqual(policy.ref);
    const file = writeCheckpoint(policy.model(), 0);
    const back = parseCheckpoint(file, sidecarOf(base.config));
    expect(flatParams(back)).toEqual(policy.params);
  }, 240_000);

  it('rejection-sampling fine-tuning raises the mean reward after its rounds', async () => {
    const policy = new Policy(base, tok, { kernels: 'wasm', T: 64 });
    const snaps = await rejectionSampling(policy, prompts, reward, {
      lr: 1e-3,
      steps: 10,
      batch: 4,
      responseTokens: 32,
      seed: 2,
      evalSamples: 6,
      evalEvery: 1000,
      rounds: 2,
      K: 4,
    });
    expect(snaps).toHaveLength(3);
    expect(snaps[2].reward).toBeGreaterThan(snaps[0].reward);
  }, 240_000);

  it('SFT teaches the question/answer format with the prompt masked', async () => {
    const policy = new Policy(base, tok, { kernels: 'wasm', T: 64 });
    const ex = SFT_PAIRS.map((p) => ({
      prompt: codec.prompt(p.prompt),
      response: codec.response(p.response),
    }));
    const losses: number[] = [];
    await sft(
      policy,
      ex,
      {
        lr: 1e-3,
        steps: 30,
        batch: 8,
        responseTokens: 16,
        seed: 1,
        evalSamples: 1,
        evalEvery: 100,
      },
      { onProgress: (p) => void (p.kind === 'sft' && losses.push(p.loss)) },
    );
    expect(losses.at(-1)!).toBeLessThan(losses[0] / 4);
    const q = SFT_PAIRS[0];
    const out = await policy.sample(codec.prompt(q.prompt), 1, 12, 1, 0);
    expect(out[0].text.startsWith(q.response.slice(0, 10))).toBe(true);
    const before = await policy.sample(codec.prompt(q.prompt), 1, 12, 1, 0, 'ref');
    expect(before[0].text.startsWith(q.response.slice(0, 10))).toBe(false);
  }, 240_000);
});
