// Speculative decoding with the shipped draft model proposing for the main model: at temperature 0
// it is the main model's greedy decoding, id for id; at temperature > 0 the first generated token
// is distributed as the main model's next-token distribution (chi-square over many fixed seeds);
// the KV caches are rolled back correctly after rejections; bad settings are refused in words.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { samplingDistribution } from '$engine/distribution.ts';
import { encodePrompt, generateAll } from '$engine/generate.ts';
import { Sampler } from '$engine/sampler.ts';
import {
  acceptanceProbability,
  expectedAcceptance,
  expectedTokensPerPass,
  residual,
  speculateAll,
} from '$engine/speculative.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import type { Model, SamplerSettings } from '$engine/types.ts';
import { chiSquareTest } from '$lib/stats.ts';
import { randomModel } from '../../helpers/random-model.ts';
import { mixedSeeds } from '../../helpers/seeds.ts';

const models = fileURLToPath(new URL('../../../assets/models/', import.meta.url));
function load(name: string): Model {
  const dir = models + name + '/';
  return parseCheckpoint(
    readFileSync(dir + 'model.bin'),
    JSON.parse(readFileSync(dir + 'model.json', 'utf8')),
  );
}
const main = load('main');
const draft = load('draft');
const tok = parseTokenizer(readFileSync(models + 'main/tokenizer.bin'), main.config.vocabSize);
const V = main.config.vocabSize;

describe('speculative decoding, temperature 0', () => {
  it("gives exactly the main model's greedy ids, for any gamma", async () => {
    const sampler: SamplerSettings = { temperature: 0, topK: 0, topP: 0, seed: 1n };
    for (const prompt of ['ROMEO:', 'First Citizen:\nWe are', '']) {
      const promptIds = encodePrompt(tok, prompt);
      const ref = await generateAll(createCpuBackend(main), { promptIds, steps: 80, sampler });
      for (const gamma of [1, 3, 6]) {
        const r = await speculateAll(createCpuBackend(main), createCpuBackend(draft), {
          promptIds,
          steps: 80,
          gamma,
          sampler,
        });
        expect(r.ids, `${JSON.stringify(prompt)} gamma ${gamma}`).toEqual(ref.ids);
        expect(r.stats.mainPasses).toBeLessThan(80); // it did speculate
        expect(r.stats.accepted).toBeLessThan(r.stats.judged); // and rejected some
      }
    }
  });

  it('stays exact with a draft that is almost always wrong (every round rolls the caches back)', async () => {
    const bad = randomModel(
      { vocabSize: V, seqLen: 256, dim: 32, nHeads: 2, nKvHeads: 1, nLayers: 1, hiddenDim: 64 },
      9,
    );
    const sampler: SamplerSettings = { temperature: 0, topK: 0, topP: 0, seed: 1n };
    const promptIds = encodePrompt(tok, 'KING:');
    const ref = await generateAll(createCpuBackend(main), { promptIds, steps: 60, sampler });
    const r = await speculateAll(createCpuBackend(main), createCpuBackend(bad), {
      promptIds,
      steps: 60,
      gamma: 4,
      sampler,
    });
    expect(r.ids).toEqual(ref.ids);
    expect(r.stats.accepted / r.stats.judged).toBeLessThan(0.2);
  });
});

describe('speculative decoding, temperature > 0', () => {
  // first generated token after a prompt, over many fixed seeds, against the main model's p
  async function firstTokens(settings: Omit<SamplerSettings, 'seed'>, n: number, gamma = 3) {
    const promptIds = encodePrompt(tok, 'ROMEO:\nI');
    const mainB = createCpuBackend(main);
    const draftB = createCpuBackend(draft);
    const counts = new Array<number>(V).fill(0);
    for (const seed of mixedSeeds(n)) {
      const r = await speculateAll(mainB, draftB, {
        promptIds,
        steps: gamma + 1,
        gamma,
        sampler: { ...settings, seed },
      });
      counts[r.ids[0]]++;
    }
    const logits = createCpuBackend(main).forwardPromptSync(promptIds, 0).logits;
    const p = samplingDistribution(new Sampler(V, { ...settings, seed: 1n }), logits);
    const dl = createCpuBackend(draft).forwardPromptSync(promptIds, 0).logits;
    const q = samplingDistribution(new Sampler(V, { ...settings, seed: 1n }), dl);
    return { counts, p, q };
  }

  it("the first token is distributed as the main model's p (chi-square), not as the draft's q", async () => {
    const { counts, p, q } = await firstTokens({ temperature: 1, topK: 0, topP: 0 }, 2000);
    const fit = chiSquareTest(counts, p);
    expect(fit.bins).toBeGreaterThan(10);
    expect(fit.pValue).toBeGreaterThan(0.001);
    // power: the draft's own distribution is told apart
    expect(expectedAcceptance(p, q)).toBeLessThan(0.95);
    expect(chiSquareTest(counts, q).pValue).toBeLessThan(1e-6);
  }, 120_000);

  it('with temperature 0.8, top-p 0.9 and min-p 0.02 too', async () => {
    const { counts, p } = await firstTokens(
      { temperature: 0.8, topK: 0, topP: 0.9, minP: 0.02 },
      1200,
    );
    counts.forEach((c, i) => {
      if (p[i] === 0) expect(c).toBe(0);
    });
    expect(chiSquareTest(counts, p).pValue).toBeGreaterThan(0.001);
  }, 120_000);

  it('tokens per main pass follow (1 - alpha^(gamma+1)) / (1 - alpha) on a long run', async () => {
    const promptIds = encodePrompt(tok, 'ROMEO:');
    const r = await speculateAll(createCpuBackend(main), createCpuBackend(draft), {
      promptIds,
      steps: 200,
      gamma: 4,
      sampler: { temperature: 0.8, topK: 0, topP: 0.9, seed: 5n },
    });
    const alpha = r.stats.accepted / r.stats.judged;
    const perPass = r.stats.generated / r.stats.mainPasses;
    expect(r.ids).toHaveLength(200);
    expect(perPass).toBeGreaterThan(1);
    // the formula assumes i.i.d. acceptances; on a real run it holds to within sampling noise
    expect(Math.abs(perPass - expectedTokensPerPass(alpha, 4))).toBeLessThan(0.5);
  }, 60_000);
});

describe('pieces of the rule', () => {
  it('min(1, p/q), the residual norm(max(0, p - q)) and the expected acceptance sum min(p, q)', () => {
    expect(acceptanceProbability(0.2, 0.4)).toBeCloseTo(0.5, 12);
    expect(acceptanceProbability(0.5, 0.4)).toBe(1);
    const p = [0.5, 0.3, 0.2];
    const q = [0.2, 0.5, 0.3];
    expect(Array.from(residual(p, q))).toEqual([1, 0, 0]);
    expect(expectedAcceptance(p, q)).toBeCloseTo(0.7, 12);
    // P(output = x) = q(x) min(1, p/q) + (1 - alpha) r(x) = p(x), the identity behind the proof
    const r = residual(p, q);
    const a = expectedAcceptance(p, q);
    p.forEach((px, x) =>
      expect(q[x] * acceptanceProbability(px, q[x]) + (1 - a) * r[x]).toBeCloseTo(px, 12),
    );
    expect(expectedTokensPerPass(0, 4)).toBe(1);
    expect(expectedTokensPerPass(1, 4)).toBe(5);
    expect(expectedTokensPerPass(0.5, 2)).toBeCloseTo(1 + 0.5 + 0.25, 12);
  });

  it('refuses a draft of another vocabulary, a bad gamma, a run past the cache', async () => {
    const other = randomModel({ vocabSize: 300, seqLen: 256 });
    const opts = {
      promptIds: [1],
      steps: 10,
      gamma: 2,
      sampler: { temperature: 0, topK: 0, topP: 0, seed: 1n },
    };
    await expect(
      speculateAll(createCpuBackend(main), createCpuBackend(other), opts),
    ).rejects.toThrow(
      /vocabulary of 300 tokens, the main model 512: speculative decoding needs the same tokenizer/,
    );
    const m = createCpuBackend(main);
    const d = createCpuBackend(draft);
    await expect(speculateAll(m, d, { ...opts, gamma: 0 })).rejects.toThrow(
      /gamma .* from 1 to 16/,
    );
    await expect(speculateAll(m, d, { ...opts, steps: 400 })).rejects.toThrow(/need 400 positions/);
  });
});
