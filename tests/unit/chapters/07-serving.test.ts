// Chapter 7's formulas (chapters/07-serving/math.ts) against the facts sheet and against the
// engine's real paged cache: bytes per token, sequences that fit, blocks per sequence, the waste
// bound, the blocks K samples share, and the cost of a decoding step.
import { describe, expect, it } from 'vitest';
import * as M from '../../../chapters/07-serving/math.ts';
import { blockCells, frameMemory } from '../../../chapters/07-serving/live.ts';
import { chapter } from '../../../chapters/07-serving/chapter.ts';
import { llamaConfig } from '../../../chapters/04-attention/math.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { generateSamples } from '$engine/generate-samples.ts';
import { Session } from '$engine/session.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import { runSampleBatch } from '$lib/engine/sample-batch.ts';
import { fixtureBytes, fixtureModel } from '../../helpers/fixtures.ts';

const model = fixtureModel();
const sampler = { temperature: 1, topP: 0.9, topK: 0, seed: 42n };

describe('chapter 7 math', () => {
  it("bytes per token match the facts sheet (Llama 2 70B: 327,680 B) and Llama 2 13B's 800 KiB", () => {
    const l70 = llamaConfig('llama2-70b');
    expect(M.kvBytesPerToken(M.kvShape(l70), 2)).toBe(327_680);
    const r = M.kvBudget(llamaConfig('llama2-13b'), 40 * M.GIB);
    expect(r.perToken).toBe(2 * 40 * 40 * 128 * 2);
    expect(r.perSequence).toBe(r.perToken * 4096);
    // The weights (about 13e9 fp16 numbers) leave room for 5 full 4,096-token sequences.
    expect(r.weights / 2).toBeGreaterThan(12.5e9);
    expect(r.weights / 2).toBeLessThan(13.5e9);
    expect(r.sequencesThatFit).toBe(5);
    expect(r.tokensThatFit * r.perToken).toBeLessThanOrEqual(r.room);
    expect((r.tokensThatFit + 1) * r.perToken).toBeGreaterThan(r.room);
    // A model whose weights exceed the GPU gets no room at all.
    const big = M.kvBudget(llamaConfig('llama31-405b'), 80 * M.GIB);
    expect(big.room).toBeLessThan(0);
    expect(big.sequencesThatFit).toBe(0);
  });

  it('blocks and waste: ceil(n/B) blocks, under one block of waste, checked on the engine', () => {
    for (let n = 1; n <= 200; n++) {
      for (const B of [1, 3, 16, 64]) {
        expect(M.pagedWaste(n, B)).toBeGreaterThanOrEqual(0);
        expect(M.pagedWaste(n, B)).toBeLessThanOrEqual(B - 1);
      }
    }
    expect(M.blocksPerSequence(100, 16)).toBe(7);
    expect(M.pagedWaste(100, 16)).toBe(12);
    expect(M.contiguousWaste(400, 2048)).toBe(1648);
    // The engine: three sequences of different lengths; its blocks are exactly ceil(n/B) each.
    const b = createCpuBackend(model, undefined, { paged: { blockSize: 16 } });
    const lens = [5, 37, 100];
    for (const len of lens) {
      const s = b.paged!.create();
      b.runPaged(
        s,
        Array.from({ length: len }, (_, i) => (i * 7 + 1) % 512),
        0,
      );
    }
    const st = b.paged!.stats();
    expect(st.usedBlocks).toBe(lens.reduce((a, n) => a + M.blocksPerSequence(n, 16), 0));
    const waste = st.usedBlocks * 16 - st.tokens;
    expect(waste).toBe(lens.reduce((a, n) => a + M.pagedWaste(n, 16), 0));
    expect(waste).toBeLessThanOrEqual(15 * lens.length);
    // Bytes per token of the engine's cache: chapter 4's formula in float32.
    const c = model.config;
    const hs = c.dim / c.nHeads;
    expect(b.pagedBlockBytes()).toBe(
      16 * M.kvBytesPerToken({ nLayers: c.nLayers, nKvHeads: c.nKvHeads, headDim: hs }, 4),
    );
  });

  it('the blocks K samples share are what the engine allocates', () => {
    for (const B of [4, 16]) {
      const b = createCpuBackend(model, undefined, { paged: { blockSize: B } });
      const prompt = Array.from({ length: 37 }, (_, i) => (i * 11 + 3) % 512);
      prompt[0] = 1;
      const r = generateSamples(b, { promptIds: prompt, steps: 24, samples: 4, sampler });
      const fed = r.stats.sequences.map((q) => q.length - prompt.length);
      const want = M.sampleBlocks(prompt.length, fed, B);
      expect(r.stats.usedBlocks).toBe(want.shared);
      expect(r.separateBlocks).toBe(want.separate);
      expect(r.stats.copiedBlocks).toBe(want.copies);
      expect(r.stats.sharedBlocks).toBe(want.fullPromptBlocks);
    }
  });

  it('decoding reads about one byte per flop at batch 1 (MHA, fp16), more flops per byte with a batch', () => {
    const c = llamaConfig('llama2-13b');
    const one = M.decodeCost(c, c.nKvHeads, 4096, 1, 2);
    expect(one.flopsPerByte).toBeGreaterThan(0.9);
    expect(one.flopsPerByte).toBeLessThan(1.1);
    const five = M.decodeCost(c, c.nKvHeads, 4096, 5, 2);
    expect(five.flopsPerByte).toBeGreaterThan(one.flopsPerByte);
    // The cache's own intensity does not grow with the batch: 4 L d n / (2 L h_kv d_k b n).
    const cacheFlops = 4 * c.nLayers * 4096 * c.dim;
    expect(cacheFlops / (five.kvBytes / 5)).toBeCloseTo(1, 10);
  });

  it('every block of the chapter has speaker notes', () => {
    for (const b of chapter.blocks) expect((b as { notes?: string }).notes ?? '').not.toBe('');
  });
});

describe('the live run (worker side) and what the figure draws from it', () => {
  const tok = parseTokenizer(fixtureBytes('tok512.bin'), model.config.vocabSize);
  const session = new Session(model, tok, createCpuBackend(model));

  it('frames: shared prompt blocks at step 0, copies at divergence, memory against separate caches', () => {
    const r = runSampleBatch(session, null, {
      prompt: 'First Citizen: Before we proceed',
      samples: 3,
      steps: 10,
      blockSize: 4,
      sampler,
    });
    const P = r.promptTokens.length;
    expect(r.samples).toHaveLength(3);
    expect(r.samples[0].seed).toBe('42');
    expect(r.frames[0].step).toBe(0);
    expect(r.frames[0].sharedBlocks).toBe(Math.ceil(P / 4));
    const last = r.frames.length - 1;
    const cells = blockCells(r, last);
    expect(cells).toHaveLength(3);
    const full = Math.floor(P / 4);
    for (const row of cells) {
      expect(row.slice(0, full).every((c) => c.shared && !c.copied)).toBe(true);
      expect(row.slice(full).every((c) => !c.shared)).toBe(true);
    }
    const copied = cells.flat().filter((c) => c.copied).length;
    expect(copied).toBe(r.frames[last].copiedBlocks);
    expect(copied).toBe(P % 4 ? 2 : 0);
    const m = frameMemory(r, last, model.config.seqLen);
    expect(m.paged).toBe(r.frames[last].usedBlocks * r.blockBytes);
    expect(m.separate).toBeGreaterThan(m.paged);
    expect(m.contiguous).toBe((3 * model.config.seqLen * r.blockBytes) / 4);
  });

  it('refuses absurd requests in words', () => {
    const req = { prompt: 'a', samples: 2, steps: 4, blockSize: 4, sampler };
    expect(() => runSampleBatch(session, null, { ...req, samples: 17 })).toThrow(/from 1 to 16/);
    expect(() => runSampleBatch(session, null, { ...req, blockSize: 0 })).toThrow(/1 to 64/);
    expect(() => runSampleBatch(session, null, { ...req, steps: 1000 })).toThrow(/do not fit/);
  });
});
