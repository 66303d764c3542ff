// The paged KV cache against the contiguous one: for any block size, and with sequences forked
// from one prompt decoding side by side in one batch, every logit is bit-for-bit the same, and
// run.c's greedy ids come out of the paged path too.
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { KvCacheFullError } from '$engine/paged/block-pool.ts';
import { defaultKnobs } from '$engine/knobs.ts';
import { argmax, loadGreedy, loadRandomS } from './fixture.ts';

const { greedy } = loadGreedy();
const model = loadRandomS();
const vocab = model.config.vocabSize;
const prompt = greedy.prompt_ids; // 37 tokens

/** True when a and b hold the same float32 bit patterns. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}

/** The continuation of sample i: a deterministic token stream that differs between samples. */
const continuation = (i: number, n: number) =>
  Array.from({ length: n }, (_, t) => (37 * i + 11 * t + 5) % vocab);

describe.each(['simd', 'js'] as const)('%s kernels', (kernels) => {
  const contiguous = createCpuBackend(model, undefined, { kernels });

  /** Logits of the contiguous cache after the prompt, then after each continuation token. */
  function reference(tokens: number[]): Float32Array[] {
    contiguous.reset();
    const out = [contiguous.forwardPromptSync(prompt, 0).logits.slice()];
    tokens.forEach((t, s) => out.push(contiguous.decode(t, prompt.length + s).slice()));
    return out;
  }

  it.each([1, 3, 16, 64])(
    'block size %i: a prompt pass and decoding give the contiguous logits bit for bit',
    (blockSize) => {
      const b = createCpuBackend(model, undefined, { kernels, paged: { blockSize } });
      const seqs = b.paged!;
      const s = seqs.create();
      contiguous.reset();
      const want = contiguous.forwardPromptSync(greedy.fed_ids, 0, { allLogits: true });
      const got = b.runPaged(s, greedy.fed_ids, 0, { allLogits: true });
      expect(sameBits(got.allLogits!, want.allLogits!)).toBe(true);
      expect(seqs.stats().usedBlocks).toBe(Math.ceil(greedy.fed_ids.length / blockSize));

      const s2 = seqs.create();
      const ref = reference(continuation(0, 20));
      expect(sameBits(b.runPaged(s2, prompt, 0).logits, ref[0])).toBe(true);
      continuation(0, 20).forEach((t, i) => {
        expect(sameBits(b.decodeBatch([s2], [t]), ref[i + 1])).toBe(true);
      });
    },
  );

  it.each([1, 5, 16])(
    'block size %i: 4 sequences forked from one prompt, decoded in one batch, match 4 contiguous runs bit for bit',
    (blockSize) => {
      const K = 4;
      const steps = 24;
      const b = createCpuBackend(model, undefined, { kernels, paged: { blockSize } });
      const seqs = b.paged!;
      const root = seqs.create();
      const first = b.runPaged(root, prompt, 0).logits.slice();
      const ids = [root];
      for (let i = 1; i < K; i++) ids.push(seqs.fork(root));
      const promptBlocks = Math.ceil(prompt.length / blockSize);
      let st = seqs.stats();
      expect(st.usedBlocks).toBe(promptBlocks);
      expect(st.sharedBlocks).toBe(promptBlocks);
      expect(st.sequences.map((q) => q.blocks)).toEqual(Array(K).fill(st.sequences[0].blocks));

      const refs = Array.from({ length: K }, (_, i) => reference(continuation(i, steps)));
      refs.forEach((r) => expect(sameBits(first, r[0])).toBe(true));
      for (let step = 0; step < steps; step++) {
        const toks = ids.map((_, i) => continuation(i, steps)[step]);
        const logits = b.decodeBatch(ids, toks);
        for (let i = 0; i < K; i++) {
          const row = logits.subarray(i * vocab, (i + 1) * vocab);
          expect(sameBits(row, refs[i][step + 1])).toBe(true);
        }
        if (step === 0) {
          // Writing position P into a shared, partly filled block copies it for all but the last writer.
          const partial = prompt.length % blockSize !== 0;
          st = seqs.stats();
          expect(st.copiedBlocks).toBe(partial ? K - 1 : 0);
          expect(st.sharedBlocks).toBe(Math.floor(prompt.length / blockSize));
        }
      }
      st = seqs.stats();
      const per = Math.ceil((prompt.length + steps) / blockSize);
      const full = Math.floor(prompt.length / blockSize);
      expect(st.usedBlocks).toBe(full + K * (per - full));
      expect(st.tokens).toBe(K * (prompt.length + steps));
    },
  );

  it("greedy decoding through the paged cache reproduces run.c's 100 ids (block size 7)", () => {
    const b = createCpuBackend(model, undefined, { kernels, paged: { blockSize: 7 } });
    const s = b.paged!.create();
    let logits = b.runPaged(s, prompt, 0).logits;
    const gen: number[] = [];
    while (gen.length < greedy.gen_ids.length) {
      gen.push(argmax(logits));
      logits = b.decodeBatch([s], [gen[gen.length - 1]]);
    }
    expect(gen).toEqual(greedy.gen_ids);
  });
});

describe('paged cache: knobs, forks of forks, rewinds and errors', () => {
  it('with pooled K/V heads (kvGroups 2) the paged logits still equal the contiguous ones', () => {
    const knobs = { ...defaultKnobs(model.config), kvGroups: 2 };
    const c = createCpuBackend(model, knobs);
    const b = createCpuBackend(model, knobs, { paged: { blockSize: 4 } });
    const s = b.paged!.create();
    expect(sameBits(b.runPaged(s, prompt, 0).logits, c.forwardPromptSync(prompt, 0).logits)).toBe(
      true,
    );
    expect(sameBits(b.decodeBatch([s], [9]), c.decode(9, prompt.length))).toBe(true);
    expect(b.pagedBlockBytes()).toBe(2 * 4 * model.config.nLayers * 4 * 2 * 8);
  });

  it('changing a knob drops every paged sequence', () => {
    const b = createCpuBackend(model, undefined, { paged: { blockSize: 4 } });
    const s = b.paged!.create();
    b.runPaged(s, prompt, 0);
    b.setKnobs({ ...defaultKnobs(model.config), normEps: 1e-3 });
    expect(b.paged!.stats().usedBlocks).toBe(0);
    expect(() => b.decodeBatch([s], [3])).toThrow(/no sequence/);
  });

  it('a fork of a fork, and rewinding a forked sequence, keep every sequence exact', () => {
    const c = createCpuBackend(model);
    const b = createCpuBackend(model, undefined, { paged: { blockSize: 8 } });
    const seqs = b.paged!;
    const a = seqs.create();
    b.runPaged(a, prompt.slice(0, 20), 0);
    const f = seqs.fork(a);
    b.decodeBatch([f], [42]); // f: 21 positions, its partial block copied
    const g = seqs.fork(f);
    // g rewinds to position 12 (inside a block shared by all three) and takes other tokens.
    const tail = [7, 8, 9, 10];
    const got = b.runPaged(g, tail, 12).logits.slice();
    c.reset();
    const want = c.forwardPromptSync([...prompt.slice(0, 12), ...tail], 0).logits;
    expect(sameBits(got, want)).toBe(true);
    // a and f are untouched by g's writes.
    c.reset();
    c.forwardPromptSync(prompt.slice(0, 20), 0);
    const wantF = c.decode(42, 20).slice();
    const wantA = c.decode(43, 20).slice();
    const both = b.decodeBatch([a, f], [43, 44]).slice();
    expect(sameBits(both.subarray(0, vocab), wantA)).toBe(true);
    c.reset();
    c.forwardPromptSync([...prompt.slice(0, 20), 42], 0);
    expect(sameBits(both.subarray(vocab), c.decode(44, 21))).toBe(true);
    expect(wantF.length).toBe(vocab);
    seqs.free(a);
    seqs.free(f);
    seqs.free(g);
    expect(seqs.stats().usedBlocks).toBe(0);
  });

  it('a full pool refuses a step with a clear error and changes nothing', () => {
    const b = createCpuBackend(model, undefined, { paged: { blockSize: 4, numBlocks: 10 } });
    const seqs = b.paged!;
    const s = seqs.create();
    b.runPaged(s, prompt.slice(0, 36), 0); // 9 blocks, all full
    const t = seqs.fork(s);
    b.decodeBatch([s], [1]); // block 10
    expect(() => b.decodeBatch([t], [2])).toThrow(KvCacheFullError);
    expect(() => b.decodeBatch([t], [2])).toThrow(/0 free blocks of 10/);
    expect(seqs.length(t)).toBe(36);
    expect(() => b.runPaged(seqs.create(), prompt, 0)).toThrow(/free blocks/);
  });

  it('refuses bad block sizes, batches and positions in words', () => {
    for (const blockSize of [0, 65, 2.5, NaN]) {
      expect(() => createCpuBackend(model, undefined, { paged: { blockSize } })).toThrow(
        /block size must be a whole number from 1 to 64/,
      );
    }
    const b = createCpuBackend(model, undefined, { paged: { blockSize: 4 } });
    const s = b.paged!.create();
    expect(() => b.decodeBatch([s, s], [1, 2])).toThrow(/twice/);
    expect(() => b.decodeBatch([s], [1, 2])).toThrow(/one token per sequence/);
    expect(() => b.decodeBatch([s], [vocab])).toThrow(/not in the vocabulary/);
    expect(() => b.runPaged(s, [1, 2], 3)).toThrow(/skips positions/);
    expect(() => createCpuBackend(model).decodeBatch([0], [1])).toThrow(/no paged KV cache/);
  });
});
