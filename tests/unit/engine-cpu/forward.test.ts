// The whole forward pass against llama2.c's run.c on tests/fixtures/llama2c/, and the prompt
// pass against single-token decode.
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { argmax, loadGreedy, loadRandomS, maxAbsDiff, readFixture } from './fixture.ts';

const { greedy, rows, vocab, logits: want } = loadGreedy();
const model = loadRandomS();

describe.each(['simd', 'js'] as const)('%s kernels', (kernels) => {
  describe('CPU forward vs run.c (random-s.bin, greedy.json)', () => {
    it('decode: every row of greedy.logits within 1e-4 and the same 100 greedy ids', () => {
      expect(rows).toBe(greedy.fed_ids.length);
      expect(vocab).toBe(model.config.vocabSize);
      const b = createCpuBackend(model, undefined, { kernels });
      let worst = 0;
      const gen: number[] = [];
      for (let r = 0; r < rows; r++) {
        const l = b.decode(greedy.fed_ids[r], r);
        worst = Math.max(worst, maxAbsDiff(l, want.subarray(r * vocab, (r + 1) * vocab)));
        if (r >= greedy.prompt_ids.length - 1) gen.push(argmax(l));
      }
      expect(worst).toBeLessThan(1e-4);
      expect(gen.slice(0, greedy.gen_ids.length)).toEqual(greedy.gen_ids);
    });

    it('greedy generation from the prompt alone reproduces gen_ids (feeding our own picks)', async () => {
      const b = createCpuBackend(model, undefined, { kernels });
      const p = greedy.prompt_ids;
      let { logits } = await b.forwardPrompt(p, 0);
      const gen: number[] = [];
      for (let pos = p.length; gen.length < greedy.gen_ids.length; pos++) {
        const next = argmax(logits);
        gen.push(next);
        ({ logits } = await b.forward(next, pos));
      }
      expect(gen).toEqual(greedy.gen_ids);
    });

    it('works the same on the model read by the project loader (parseCheckpoint)', () => {
      const m = parseCheckpoint(readFixture('random-s.bin'));
      const out = createCpuBackend(m, undefined, { kernels }).forwardPromptSync(greedy.fed_ids, 0, {
        allLogits: true,
      });
      expect(maxAbsDiff(out.allLogits!, want)).toBeLessThan(1e-4);
    });
  });

  describe('prompt pass (matrix-matrix) vs decode (matrix-vector)', () => {
    const dec = createCpuBackend(model, undefined, { kernels });
    const seq = new Float32Array(rows * vocab);
    for (let r = 0; r < rows; r++) seq.set(dec.decode(greedy.fed_ids[r], r), r * vocab);

    it('all 136 rows in one pass are bit-identical to decoding them one by one', () => {
      const b = createCpuBackend(model, undefined, { maxBatch: 256, kernels });
      const out = b.forwardPromptSync(greedy.fed_ids, 0, { allLogits: true });
      expect(out.allLogits!.length).toBe(rows * vocab);
      expect(maxAbsDiff(out.allLogits!, seq)).toBe(0);
      expect(maxAbsDiff(out.logits, seq.subarray((rows - 1) * vocab))).toBe(0);
      expect(maxAbsDiff(out.allLogits!, want)).toBeLessThan(1e-4);
    });

    it('in chunks (maxBatch 5, an odd size) and after a decoded prefix: still bit-identical', () => {
      const b = createCpuBackend(model, undefined, { maxBatch: 5, kernels });
      for (let r = 0; r < 3; r++) b.decode(greedy.fed_ids[r], r);
      const out = b.forwardPromptSync(greedy.fed_ids.slice(3, 40), 3, { allLogits: true });
      expect(maxAbsDiff(out.allLogits!, seq.subarray(3 * vocab, 40 * vocab))).toBe(0);
      // and decoding on from there continues the same sequence
      expect(
        maxAbsDiff(b.decode(greedy.fed_ids[40], 40), seq.subarray(40 * vocab, 41 * vocab)),
      ).toBe(0);
    });

    it('re-feeding from an earlier position overwrites the cache (rewind)', () => {
      const b = createCpuBackend(model, undefined, { kernels });
      b.forwardPromptSync([1, 5, 6, 7, 8], 0);
      expect(b.cacheLength).toBe(5);
      const out = b.forwardPromptSync(greedy.fed_ids.slice(2, 10), 2, { allLogits: true });
      expect(b.cacheLength).toBe(10);
      // Positions 0, 1 still hold tokens 1, 5; 2.. were overwritten: same as a backend fed 1, 5 first.
      const other = createCpuBackend(model, undefined, { kernels });
      other.forwardPromptSync([1, 5], 0);
      const ref2 = other.forwardPromptSync(greedy.fed_ids.slice(2, 10), 2, { allLogits: true });
      expect(maxAbsDiff(out.allLogits!, ref2.allLogits!)).toBe(0);
    });
  });

  it('runs the kernels it was asked for', () => {
    expect(createCpuBackend(model, undefined, { kernels }).kernels).toBe(kernels);
  });
});

describe('bad input gives clear errors and keeps the backend usable', () => {
  const b = createCpuBackend(model);

  it('refuses token ids outside the vocabulary and non-integer ids', () => {
    expect(() => b.decode(512, 0)).toThrow(/token id 512 is not in the vocabulary \(0\.\.511\)/);
    expect(() => b.decode(-1, 0)).toThrow(/token id -1/);
    expect(() => b.forwardPromptSync([1, 2.5], 0)).toThrow(/token id 2.5/);
    expect(() => b.forwardPromptSync([], 0)).toThrow(/no tokens/);
  });

  it('refuses positions that skip unfed ones, negative ones, and ones past the cache', () => {
    b.reset();
    expect(() => b.decode(1, 1)).toThrow(/skips positions never fed: the KV cache holds nothing/);
    expect(() => b.decode(1, -1)).toThrow(/whole number >= 0/);
    b.forwardPromptSync([1, 2, 3], 0);
    expect(() => b.decode(1, 5)).toThrow(/holds positions 0\.\.2/);
    const small = createCpuBackend(model, undefined, { maxPositions: 4 });
    small.forwardPromptSync([1, 2, 3], 0);
    expect(() => small.forwardPromptSync([4, 5], 3)).toThrow(
      /position 4 is past the KV cache, which holds 4 positions .*larger maxPositions/,
    );
    expect(small.decode(4, 3).length).toBe(512); // still usable
  });

  it('a longer cache (maxPositions > seqLen) runs past seq_len', () => {
    const long = createCpuBackend(model, undefined, { maxPositions: 600 });
    const toks = Array.from({ length: 600 }, (_, i) => (i * 7) % 512);
    const out = long.forwardPromptSync(toks, 0);
    expect(out.logits.every(Number.isFinite)).toBe(true);
    expect(long.cacheLength).toBe(600);
    expect(() => createCpuBackend(model, undefined, { maxPositions: 0 })).toThrow(/maxPositions/);
    expect(() => createCpuBackend(model, undefined, { maxPositions: 1e9 })).toThrow(/MiB/);
  });

  it('refuses a hand-built model with an odd head size or n_kv_heads not dividing n_heads', () => {
    const c = model.config;
    expect(() => createCpuBackend({ ...model, config: { ...c, nHeads: 64 } })).toThrow(
      /even head size/,
    );
    expect(() => createCpuBackend({ ...model, config: { ...c, nKvHeads: 3 } })).toThrow(
      /must divide n_heads/,
    );
  });

  it('a disposed backend says so', () => {
    const d = createCpuBackend(model);
    d.dispose();
    expect(() => d.decode(1, 0)).toThrow(/disposed/);
  });

  it('reports its KV cache size: layers x positions x kv_dim x 2 (K and V) x 4 bytes', () => {
    const c = model.config;
    const kvDim = (c.dim * c.nKvHeads) / c.nHeads;
    expect(b.kvCacheBytes()).toBe(c.nLayers * c.seqLen * kvDim * 2 * 4);
  });
});
