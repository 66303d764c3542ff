// Chapter 6: every formula and stated property, checked numerically. The sampler's transforms on
// the live model's logits (softmax at T, entropy rising with T, top-p's nucleus, min-p's floor),
// repetition at low temperature, the same text from the page's engine path and the CLI for a seed,
// the rejection sampler (acceptance rate 1/M, accepted draws distributed as p by chi-square, and
// not when M < M*), the speculative-decoding identities, and the numbers the prose quotes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { entropyBits, topPKept } from '$engine/distribution.ts';
import { encodePrompt, generateAll } from '$engine/generate.ts';
import { XorShift64Star } from '$engine/rng.ts';
import { Session } from '$engine/session.ts';
import { speculateAll, residual } from '$engine/speculative.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import type { Model } from '$engine/types.ts';
import { chiSquareTest } from '$lib/stats.ts';
import {
  acceptedCounts,
  cliCommand,
  expectedAcceptance,
  expectedTokensPerPass,
  histogramBars,
  minimalEnvelope,
  rankByP,
  raw,
  rejectionDraws,
  repeatedMask,
  repeatedNgramFraction,
  sampled,
  shellQuote,
  speedUp,
  uniform,
  unigram,
} from '../../../chapters/06-decoding/math.ts';
import { chapter } from '../../../chapters/06-decoding/chapter.ts';
import unigramFile from '../../../chapters/06-decoding/unigram.json';
import { unigramCounts } from '../../../scripts/unigram-counts.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
function load(name: string): Model {
  const dir = join(root, 'assets/models', name);
  return parseCheckpoint(
    readFileSync(join(dir, 'model.bin')),
    JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')),
  );
}
const main = load('main');
const draft = load('draft');
const tokBin = readFileSync(join(root, 'assets/models/main/tokenizer.bin'));
const tok = parseTokenizer(tokBin, 512);
const V = 512;
const PROMPT = 'ROMEO:\nI';
const logits = createCpuBackend(main).forwardPromptSync(encodePrompt(tok, PROMPT), 0).logits;
const draftLogits = createCpuBackend(draft).forwardPromptSync(encodePrompt(tok, PROMPT), 0).logits;

describe('the sampler’s transforms on the live model', () => {
  it('temperature: softmax of z/T; entropy rises with T from 0 (greedy) towards log2 n', () => {
    const d = sampled(logits, { temperature: 0.5, topK: 0, topP: 0 }).dist;
    const e = Array.from(logits, (z) => Math.exp(z / 0.5));
    const s = e.reduce((a, b) => a + b, 0);
    e.forEach((x, i) => expect(d[i]).toBeCloseTo(x / s, 6));
    const hs = [0, 0.3, 0.6, 1, 1.5, 2, 5, 50].map(
      (T) => sampled(logits, { temperature: T, topK: 0, topP: 0 }).entropy,
    );
    expect(hs[0]).toBe(0);
    for (let i = 1; i < hs.length; i++) expect(hs[i]).toBeGreaterThan(hs[i - 1]);
    expect(hs.at(-1)!).toBeLessThan(Math.log2(V));
    expect(hs.at(-1)!).toBeGreaterThan(Math.log2(V) - 0.1);
  });

  it('top-p keeps the smallest most-likely prefix whose mass exceeds P; min-p the tokens >= m max p', () => {
    const before = raw(logits).dist;
    for (const P of [0.3, 0.6, 0.9]) {
      const after = sampled(logits, { temperature: 1, topK: 0, topP: P });
      const kept = rankByP(before).slice(0, after.left);
      const mass = kept.reduce((a, i) => a + before[i], 0);
      expect(mass).toBeGreaterThan(P - 1e-6);
      expect(mass - before[kept.at(-1)!]).toBeLessThanOrEqual(P + 1e-6);
      kept.forEach((i) => expect(after.dist[i]).toBeGreaterThan(0));
      expect(after.entropy).toBeLessThan(raw(logits).entropy);
      expect(topPKept(Float32Array.from(before), P)).toHaveLength(after.left);
    }
    const m = 0.1;
    const after = sampled(logits, { temperature: 1, topK: 0, topP: 0, minP: m });
    const max = Math.max(...before);
    before.forEach((p, i) => expect(after.dist[i] > 0).toBe(p >= m * max - 1e-7));
    expect(sampled(logits, { temperature: 1, topK: 7, topP: 0 }).left).toBe(7);
  });

  it('repetition: the greedy text repeats far more than sampling at T = 1 (from "ROMEO:", 200 tokens)', async () => {
    const promptIds = encodePrompt(tok, 'ROMEO:');
    const run = async (temperature: number) =>
      (
        await generateAll(createCpuBackend(main), {
          promptIds,
          steps: 200,
          sampler: { temperature, topK: 0, topP: 0, seed: 3n },
        })
      ).ids;
    const greedy = repeatedNgramFraction(await run(0));
    const hot = repeatedNgramFraction(await run(1));
    expect(greedy).toBeGreaterThan(0.15);
    expect(hot).toBeLessThan(greedy / 4);
    expect(repeatedNgramFraction([1, 2, 3, 4, 1, 2, 3, 4])).toBeCloseTo(1 / 5, 12);
    expect(repeatedMask([1, 2, 3, 4, 1, 2, 3, 4])).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
  });

  it('the same seed gives the same text in the page’s engine path and in npm run llama', async () => {
    const sampler = { temperature: 0.8, topK: 0, topP: 0.9, minP: 0.05, seed: 7n };
    const session = new Session(main, tok, createCpuBackend(main));
    const page = await session.generate({ prompt: PROMPT, steps: 40, sampler }, () => true);
    const cmd = cliCommand('main', PROMPT, sampler, 40);
    expect(cmd).toContain(`--prompt ${shellQuote(PROMPT)}`);
    // run the command's arguments as a shell would split them
    const r = spawnSync(
      'bash',
      [
        '-c',
        cmd.replace('npm run llama --', `${join(root, 'node_modules/.bin/tsx')} src/cli/llama.ts`),
      ],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${PROMPT}${page.text}\n`);
  });
});

describe('rejection sampling', () => {
  const p = sampled(logits, { temperature: 1, topK: 0, topP: 0.9 }).dist;
  const q = raw(draftLogits).dist;

  it('accepted draws are distributed as p and the acceptance rate is 1/M (M >= M*)', () => {
    const Mstar = minimalEnvelope(p, q);
    expect(Mstar).toBeGreaterThan(1);
    const M = Mstar * 1.5;
    const draws = rejectionDraws(p, q, M, 60_000, new XorShift64Star(11n));
    const counts = acceptedCounts(draws, V);
    const n = counts.reduce((a, b) => a + b, 0);
    // binomial: within 4 standard deviations of 1/M
    const sd = Math.sqrt(((1 / M) * (1 - 1 / M)) / draws.length);
    expect(Math.abs(n / draws.length - 1 / M)).toBeLessThan(4 * sd);
    const fit = chiSquareTest(counts, p);
    expect(fit.bins).toBeGreaterThan(8);
    expect(fit.pValue).toBeGreaterThan(0.001);
    // nothing outside p's support is ever accepted
    counts.forEach((c, i) => {
      if (p[i] === 0) expect(c).toBe(0);
    });
    const bars = histogramBars(counts, p, rankByP(p), 5, String);
    expect(bars).toHaveLength(6);
    expect(bars.reduce((a, b) => a + b.observed, 0)).toBeCloseTo(1, 9);
    expect(bars.reduce((a, b) => a + b.expected, 0)).toBeCloseTo(1, 9);
  });

  it('with M below M* the accepted draws follow min(p, Mq), not p (the chi-square test rejects)', () => {
    const Mstar = minimalEnvelope(p, q);
    const M = Mstar / 4;
    const counts = acceptedCounts(rejectionDraws(p, q, M, 60_000, new XorShift64Star(12n)), V);
    expect(chiSquareTest(counts, p).pValue).toBeLessThan(1e-6);
    const capped = Array.from(p, (pi, i) => Math.min(pi, M * q[i]));
    const z = capped.reduce((a, b) => a + b, 0);
    expect(
      chiSquareTest(
        counts,
        capped.map((c) => c / z),
      ).pValue,
    ).toBeGreaterThan(0.001);
  });

  it('uniform and unigram proposals: M* = n max p for uniform; the unigram file is the training text’s counts', () => {
    expect(minimalEnvelope(p, uniform(V))).toBeCloseTo(V * Math.max(...p), 9);
    const counts = unigramCounts(
      readFileSync(join(root, 'assets/data/tinyshakespeare.txt'), 'utf8'),
      tokBin,
      V,
    );
    expect(unigramFile.counts).toEqual(counts);
    const u = unigram(counts);
    expect(u.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(minimalEnvelope(p, Float64Array.of(...Array(V - 1).fill(1 / (V - 1)), 0))).toBe(
      p[V - 1] > 0
        ? Infinity
        : minimalEnvelope(p, Float64Array.of(...Array(V - 1).fill(1 / (V - 1)), 0)),
    );
  });
});

describe('speculative decoding: the proof’s identities and the prose’s numbers', () => {
  const p = sampled(logits, { temperature: 1, topK: 0, topP: 0 }).dist;
  const q = raw(draftLogits).dist;

  it('min(p, q) + (1 - alpha) r = p; sum max(0, p - q) = 1 - alpha; alpha = 1 - TV', () => {
    const a = expectedAcceptance(p, q);
    const r = residual(p, q);
    let tv = 0;
    let pos = 0;
    for (let x = 0; x < V; x++) {
      expect(Math.min(p[x], q[x]) + (1 - a) * r[x]).toBeCloseTo(p[x], 12);
      tv += Math.abs(p[x] - q[x]) / 2;
      pos += Math.max(0, p[x] - q[x]);
    }
    expect(pos).toBeCloseTo(1 - a, 12);
    expect(a).toBeCloseTo(1 - tv, 12);
    expect(entropyBits(r)).toBeGreaterThan(0);
  });

  it('tokens per pass is the geometric sum; the speed-up formula; every round emits 1..gamma+1 tokens', async () => {
    for (const [a, g] of [
      [0.8, 4],
      [0.5, 2],
      [0.3, 8],
    ] as const) {
      let sum = 0;
      for (let k = 0; k <= g; k++) sum += a ** k;
      expect(expectedTokensPerPass(a, g)).toBeCloseTo(sum, 12);
      const c = 0.1;
      expect(expectedTokensPerPass(a, g) / (g * c + 1)).toBeCloseTo(
        (1 - a ** (g + 1)) / ((1 - a) * (g * c + 1)),
        12,
      );
    }
    expect(expectedTokensPerPass(0.8, 4)).toBeCloseTo(3.36, 2);
    expect(speedUp(1000, 100, 500, 100)).toBe(2);
    const sizes: number[] = [];
    const r = await speculateAll(
      createCpuBackend(main),
      createCpuBackend(draft),
      {
        promptIds: encodePrompt(tok, PROMPT),
        steps: 120,
        gamma: 4,
        sampler: { temperature: 0.8, topK: 0, topP: 0.9, seed: 2n },
      },
      (round) => sizes.push(round.ids.length),
    );
    sizes.forEach((s) => {
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(5);
    });
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(r.ids.length);
  });

  it('the parameter counts the prose quotes are the shipped models’', () => {
    expect(draft.nParams).toBe(41_120);
    expect(main.nParams).toBe(263_872);
  });

  it('every block has speaker notes; the quiz answers are the formulas’', () => {
    for (const b of chapter.blocks) expect(b.notes, b.id).toMatch(/\S{20,}|\s\S/);
    const quiz = chapter.blocks.find((b) => b.kind === 'quiz');
    if (quiz?.kind !== 'quiz') throw new Error('no quiz');
    const [envelope, perPass] = quiz.questions;
    expect(minimalEnvelope([0.5, 0.3, 0.2], [1 / 3, 1 / 3, 1 / 3])).toBeCloseTo(1.5, 12);
    expect(envelope.choices[envelope.answer]).toBe('M = 1.5, rate 2/3');
    expect(Number(perPass.choices[perPass.answer])).toBeCloseTo(expectedTokensPerPass(0.8, 4), 2);
  });
});
