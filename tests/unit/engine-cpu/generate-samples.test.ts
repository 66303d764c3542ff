// K samples of one prompt through the paged cache: each sample is exactly the single run with its
// seed (so sample 0 with seed 42 is run.c's sampled fixture), and the block accounting is right.
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { generateAll } from '$engine/generate.ts';
import { generateSamples, sampleBatch, sampleSeeds, splitmix64 } from '$engine/generate-samples.ts';
import { loadRandomS, readFixture } from './fixture.ts';

const model = loadRandomS();
const fixture = JSON.parse(readFixture('sample-t1-p09-s42.json').toString('utf8')) as {
  prompt_ids: number[];
  gen_ids: number[];
};
const prompt = fixture.prompt_ids; // 37 tokens
const sampler = { temperature: 1, topP: 0.9, topK: 0, seed: 42n };

describe('sample seeds', () => {
  it('sample 0 keeps the seed; the others are distinct, nonzero and reproducible', () => {
    const s = sampleSeeds(42n, 8);
    expect(s[0]).toBe(42n);
    expect(new Set(s).size).toBe(8);
    expect(s.every((x) => x > 0n && x < 1n << 64n)).toBe(true);
    expect(sampleSeeds(42n, 8)).toEqual(s);
    expect(sampleSeeds(43n, 8).slice(1)).not.toEqual(s.slice(1));
    // splitmix64's published first output for state 0 after one increment (seed 0 + gamma).
    expect(splitmix64(0x9e3779b97f4a7c15n)).toBe(0xe220a8397b1dcdafn);
  });
});

describe('generateSamples', () => {
  it("4 samples in one batch: each equals a single run with its seed, and sample 0 is run.c's seed-42 fixture", async () => {
    const b = createCpuBackend(model, undefined, { paged: { blockSize: 16 } });
    const steps = 60;
    const r = generateSamples(b, { promptIds: prompt, steps, samples: 4, sampler });
    expect(r.samples[0].ids).toEqual(fixture.gen_ids.slice(0, steps));
    const single = createCpuBackend(model);
    for (const s of r.samples) {
      const want = await generateAll(single, {
        promptIds: prompt,
        steps,
        sampler: { ...sampler, seed: s.seed },
      });
      expect(s.ids).toEqual(want.ids);
    }
    expect(new Set(r.samples.map((s) => s.ids.join(','))).size).toBe(4);
    // 37 prompt tokens in blocks of 16: blocks 0-1 full and shared by all four to the end,
    // block 2 (5 positions) copied on write by 3 of the 4 samples.
    expect(r.stats.copiedBlocks).toBe(3);
    expect(r.stats.sharedBlocks).toBe(2);
    // A sample that ran all its steps fed steps-1 tokens; one that sampled BOS fed all it took.
    const fed = r.samples.map((s) => (s.ids.length === steps ? steps - 1 : s.ids.length));
    const blocks = fed.map((n) => Math.ceil((prompt.length + n) / 16));
    expect(r.stats.sequences.map((q) => q.length)).toEqual(fed.map((n) => prompt.length + n));
    expect(r.stats.usedBlocks).toBe(2 + blocks.reduce((a, n) => a + n - 2, 0));
    expect(r.separateBlocks).toBe(blocks.reduce((a, n) => a + n, 0));
    expect(r.blockBytes).toBe(2 * 4 * 5 * 16 * 32);
    expect(b.paged!.stats().usedBlocks).toBe(0); // freed at the end
  });

  it('yields after the prompt pass and each step, with the tokens taken', () => {
    const b = createCpuBackend(model, undefined, { paged: { blockSize: 4 } });
    const it = sampleBatch(b, { promptIds: prompt, steps: 3, samples: 2, sampler });
    const steps = [];
    for (let r = it.next(); !r.done; r = it.next()) steps.push(r.value);
    expect(steps.map((s) => s.step)).toEqual([0, 1, 2, 3]);
    expect(steps[0].stats.sharedBlocks).toBe(Math.ceil(prompt.length / 4));
    expect(steps[1].tokens.every((t) => t !== null)).toBe(true);
  });

  it('refuses bad requests in words', () => {
    const b = createCpuBackend(model, undefined, { paged: { blockSize: 4 }, maxBatch: 8 });
    expect(() => generateSamples(b, { promptIds: prompt, steps: 3, samples: 9, sampler })).toThrow(
      /samples must be a whole number from 1 to 8/,
    );
    expect(() =>
      generateSamples(b, { promptIds: prompt, steps: 600, samples: 2, sampler }),
    ).toThrow(/positions/);
    expect(() =>
      generateSamples(createCpuBackend(model), {
        promptIds: prompt,
        steps: 3,
        samples: 2,
        sampler,
      }),
    ).toThrow(/paged KV cache/);
  });
});
