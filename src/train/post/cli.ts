// `npm run posttrain -- <sft|rs|dpo> [options]`: the post-training chapter's runs from the command
// line, on the shipped main model (or any model directory), with the chapter's data and a reward
// preset or formula. Writes the tuned model (llama2.c checkpoint, sidecar, tokenizer) and
// post.json (settings, the curve, before/after rewards and samples) into --out.

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCheckpointFile, loadTokenizerFile, saveModelFile } from '../../node/files.ts';
import { PROMPTS, SFT_HELD_OUT, SFT_PAIRS } from './data.ts';
import {
  dpo,
  makePairs,
  rejectionSampling,
  sft,
  type CommonSettings,
  type Progress,
  type Snapshot,
} from './loops.ts';
import { Policy } from './policy.ts';
import { compileReward, PRESETS, presetById, type RewardSpec } from './rewards.ts';
import { TextCodec, vocabOf } from './sequences.ts';

const USAGE = `usage: npm run posttrain -- <sft|rs|dpo> [options]

  sft   supervised fine-tuning on the chapter's question/answer pairs (prompt masked)
  rs    rejection-sampling fine-tuning: rounds of best-of-K sampling and SFT on the kept samples
  dpo   DPO on pairs (best vs worst of K reference samples per prompt) against the frozen base

options:
  --model DIR        model directory with model.bin, model.json, tokenizer.bin (assets/models/main)
  --out DIR          where to write the tuned model and post.json (default: no files)
  --reward ID        reward preset: ${PRESETS.map((p) => p.id).join(', ')} (default length)
  --formula F        reward formula over text features (overrides the preset's)
  --word W           the word of the 'word' feature;  --speaker S  the speaker of 'speaker'
  --steps N          optimiser steps (per round for rs)      --lr X   learning rate
  --beta B           DPO beta (default 0.2)                  --k K    samples per prompt (default 6)
  --rounds R         rs rounds (default 3)                   --groups G  groups of K per prompt (dpo 8, rs 4)
  --tokens N         tokens per sample (default 48)          --seed S    (default 1)
  --kernels js|wasm  trainer kernels (default wasm)`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string', default: 'assets/models/main' },
      out: { type: 'string' },
      reward: { type: 'string', default: 'length' },
      formula: { type: 'string' },
      word: { type: 'string' },
      speaker: { type: 'string' },
      steps: { type: 'string' },
      lr: { type: 'string' },
      beta: { type: 'string', default: '0.2' },
      k: { type: 'string', default: '6' },
      rounds: { type: 'string', default: '3' },
      groups: { type: 'string' },
      tokens: { type: 'string', default: '48' },
      seed: { type: 'string', default: '1' },
      kernels: { type: 'string', default: 'wasm' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const mode = positionals[0];
  if (mode !== 'sft' && mode !== 'rs' && mode !== 'dpo')
    throw new UsageError(`the first argument must be sft, rs or dpo, got ${JSON.stringify(mode)}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
  const num = (k: keyof typeof values, def: number, int: boolean): number => {
    const v = values[k];
    if (v === undefined) return def;
    const n = Number(v);
    if (
      typeof v !== 'string' ||
      v.trim() === '' ||
      !Number.isFinite(n) ||
      (int && !Number.isInteger(n))
    )
      throw new UsageError(
        `--${k} must be a ${int ? 'whole ' : ''}number, got ${JSON.stringify(v)}`,
      );
    return n;
  };
  const kernels = values.kernels;
  if (kernels !== 'js' && kernels !== 'wasm')
    throw new UsageError(`--kernels must be js or wasm, got ${JSON.stringify(kernels)}`);
  const preset = presetById(values.reward!);
  if (!preset) throw new UsageError(`unknown reward preset ${JSON.stringify(values.reward)}`);
  const spec: RewardSpec = {
    formula: values.formula ?? preset.formula,
    word: values.word ?? preset.word,
    speaker: values.speaker ?? preset.speaker,
  };
  const compiled = compileReward(spec);
  if (!compiled.ok) throw new UsageError(`reward: ${compiled.error}`);
  const reward = compiled.reward.score;
  const dir = values.model!;
  const { model } = loadCheckpointFile(join(dir, 'model.bin'));
  const tok = loadTokenizerFile(join(dir, 'tokenizer.bin'), model.config.vocabSize);
  const codec = new TextCodec(vocabOf(tok.pieces, tok.scores));
  const policy = new Policy(model, tok, { kernels, T: 80 });
  const seed = num('seed', 1, true);
  const tokens = num('tokens', 48, true);
  const common: CommonSettings = {
    lr: num('lr', mode === 'sft' ? 1e-3 : mode === 'rs' ? 3e-4 : 1e-4, false),
    steps: num('steps', mode === 'sft' ? 40 : mode === 'rs' ? 10 : 30, true),
    batch: mode === 'dpo' ? 4 : 8,
    responseTokens: tokens,
    seed,
    evalSamples: 12,
    evalEvery: 10,
  };
  const prompts = PROMPTS.map((p) => codec.prompt(p));
  const t0 = performance.now();
  const time = () => ((performance.now() - t0) / 1000).toFixed(1);
  const curve: Progress[] = [];
  const log = (p: Progress) => {
    if (p.kind === 'eval') {
      curve.push({ ...p, snapshot: { ...p.snapshot, samples: [] } });
      console.log(
        `[${time()} s] ${p.round !== undefined ? `round ${p.round}` : `step ${p.step}`}: mean reward of ${p.snapshot.samples.length} fresh samples ${p.snapshot.reward.toFixed(3)}, KL from the base ${p.snapshot.kl.toFixed(3)} nats/sequence`,
      );
    } else if (p.kind === 'sft' || p.kind === 'dpo') {
      curve.push(p);
      if (p.step % 10 === 0 || p.step === 1)
        console.log(
          `[${time()} s] ${p.kind} step ${p.step}: loss ${p.loss.toFixed(4)}` +
            (p.kind === 'dpo'
              ? `, preference accuracy ${p.accuracy.toFixed(2)}, implicit reward margin ${p.margin.toFixed(3)}`
              : '') +
            `, ${p.ms.toFixed(0)} ms/step`,
        );
    } else if (p.kind === 'round') {
      console.log(`[${time()} s] round ${p.round}: kept ${p.kept.length} best-of-K samples`);
    }
  };
  const command = `npm run posttrain -- ${argv.join(' ')}`;
  console.log(`${command}\nreward: ${spec.formula} (word ${spec.word}, speaker ${spec.speaker})`);
  return (async () => {
    const result: Record<string, unknown> = { command, mode, reward: spec, settings: common };
    if (mode === 'sft') {
      const ex = SFT_PAIRS.map((p) => ({
        prompt: codec.prompt(p.prompt),
        response: codec.response(p.response),
      }));
      const ask = async () =>
        Promise.all(
          SFT_HELD_OUT.map(
            async (q) => q + (await policy.sample(codec.prompt(q), 1, 16, 1, 0))[0].text,
          ),
        );
      const before = await ask();
      await sft(policy, ex, common, { onProgress: log });
      const after = await ask();
      for (let i = 0; i < before.length; i++)
        console.log(`before: ${JSON.stringify(before[i])}\nafter:  ${JSON.stringify(after[i])}`);
      Object.assign(result, { before, after });
    } else if (mode === 'rs') {
      const snaps = await rejectionSampling(
        policy,
        prompts,
        reward,
        {
          ...common,
          rounds: num('rounds', 3, true),
          K: num('k', 6, true),
          groups: num('groups', 4, true),
        },
        { onProgress: log },
      );
      Object.assign(result, summary(snaps));
    } else {
      const groups = num('groups', 8, true);
      const K = num('k', 6, true);
      const pairs = await makePairs(
        policy,
        prompts.flatMap((p) => Array<number[]>(groups).fill(p)),
        reward,
        K,
        tokens,
        seed,
      );
      console.log(`[${time()} s] ${pairs.length} preference pairs (best vs worst of ${K})`);
      const snaps = await dpo(
        policy,
        pairs,
        prompts,
        reward,
        { ...common, beta: num('beta', 0.2, false), K },
        { onProgress: log },
      );
      Object.assign(result, summary(snaps), { pairs: pairs.length });
    }
    result.curve = curve;
    result.seconds = Number(time());
    if (values.out) {
      mkdirSync(values.out, { recursive: true });
      saveModelFile(join(values.out, 'model.bin'), policy.model());
      copyFileSync(join(dir, 'tokenizer.bin'), join(values.out, 'tokenizer.bin'));
      writeFileSync(join(values.out, 'post.json'), JSON.stringify(result, null, 2) + '\n');
      console.log(`wrote ${values.out}/model.bin, model.json, tokenizer.bin, post.json`);
    }
  })();
}

function summary(snaps: Snapshot[]) {
  const first = snaps[0];
  const last = snaps[snaps.length - 1];
  return {
    rewardBefore: first.reward,
    rewardAfter: last.reward,
    klAfter: last.kl,
    samplesBefore: first.samples.slice(0, 3).map((s) => s.text),
    samplesAfter: last.samples.slice(0, 3).map((s) => s.text),
  };
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const msg = e instanceof Error ? e.message : String(e);
  console.error(`posttrain: ${msg}`);
  const usage =
    e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
  if (usage) console.error(USAGE);
  process.exit(usage ? 2 : 1);
});
