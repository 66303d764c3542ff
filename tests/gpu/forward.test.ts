// Whole forward passes of the WebGPU backend against the CPU engine (the reference) on the
// llama2.c fixture random-s.bin (dim 64, 5 layers, 8 heads, 4 KV heads: GQA, vocab 512).
// Tolerance: logits max abs diff <= 1e-3 for every fed position; greedy ids identical.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend, type CpuBackend } from '$engine/cpu/backend.ts';
import { defaultKnobs } from '$engine/knobs.ts';
import type { Knobs, Model } from '$engine/types.ts';
import { createWebGpuBackend, type WebGpuBackend } from '$engine/webgpu/backend.ts';
import { DEFAULT_WORKGROUP_SIZES } from '$engine/webgpu/kernels.ts';
import { argmax, loadGreedy, loadRandomS, maxAbsDiff, testGpu } from './helpers.ts';

const TOL = 1e-3;
let model: Model;
let gpu: WebGpuBackend;
let cpu: CpuBackend;
const greedy = loadGreedy();

beforeAll(async () => {
  model = loadRandomS();
  gpu = await createWebGpuBackend(model, testGpu());
  cpu = createCpuBackend(model);
});
afterAll(() => {
  gpu.dispose();
  cpu.dispose();
});

describe('WebGPU forward pass on random-s.bin', () => {
  it('runs on the software adapter', () => {
    expect(gpu.kind).toBe('webgpu');
    expect(gpu.adapter.isFallbackAdapter).toBe(true);
  });

  it('prompt pass then 100 greedy decode steps: logits within 1e-3 of the CPU engine at every fed position, ids of run.c', async () => {
    const prompt = greedy.prompt_ids;
    const V = model.config.vocabSize;
    const first = await gpu.forwardPrompt(prompt, 0, { allLogits: true });
    const cpuRows = cpu.forwardPromptSync(prompt, 0, { allLogits: true }).allLogits!;
    expect(first.allLogits!.every(Number.isFinite)).toBe(true);
    let worst = maxAbsDiff(first.allLogits!, cpuRows);
    let logits = first.logits;
    expect(maxAbsDiff(logits, first.allLogits!.subarray((prompt.length - 1) * V))).toBe(0);
    const ids: number[] = [];
    for (let pos = prompt.length; ids.length < greedy.gen_ids.length; pos++) {
      const next = argmax(logits);
      ids.push(next);
      if (ids.length === greedy.gen_ids.length) break;
      logits = (await gpu.forward(next, pos)).logits;
      worst = Math.max(worst, maxAbsDiff(logits, cpu.forwardSync(next, pos).logits));
    }
    expect(ids).toEqual(greedy.gen_ids);
    // every row of greedy.json's fed_ids was compared: the prompt rows and each decode step
    expect(prompt.length + ids.length - 1).toBe(greedy.fed_ids.length);
    expect(worst).toBeLessThanOrEqual(TOL);
  });

  it('prompt pass (tiled matmul) equals the decode loop and the CPU engine, every row', async () => {
    const prompt = greedy.prompt_ids;
    const rows = prompt.length;
    const V = model.config.vocabSize;
    const all = (await gpu.forwardPrompt(prompt, 0, { allLogits: true })).allLogits!;
    expect(all.length).toBe(rows * V);
    const cpuAll = cpu.forwardPromptSync(prompt, 0, { allLogits: true }).allLogits!;
    expect(maxAbsDiff(all, cpuAll)).toBeLessThanOrEqual(TOL);
    const matvec = (await gpu.forwardPromptWith(prompt, 0, { allLogits: true, matmul: 'matvec' }))
      .allLogits!;
    // Same kernels apart from the matmul: the two GPU paths agree far inside the tolerance.
    expect(maxAbsDiff(all, matvec)).toBeLessThan(1e-4);
    const decoded = new Float32Array(rows * V);
    for (let pos = 0; pos < rows; pos++) {
      decoded.set((await gpu.forward(prompt[pos], pos)).logits, pos * V);
    }
    expect(maxAbsDiff(all, decoded)).toBeLessThan(1e-4);
  });

  it('a prompt longer than maxBatch runs in chunks with the same logits (cache of 2 x seq_len, GPU workgroup sizes)', async () => {
    // maxPositions past seq_len, as the page asks for long-context experiments: every stride
    // of the cache, the scores and the RoPE table follows it.
    // The GPU workgroup sizes here (the backend picks the software ones on this adapter), so
    // the launch shapes a real GPU gets run a whole model too.
    const small = await createWebGpuBackend(model, testGpu(), undefined, {
      maxBatch: 16,
      maxPositions: 2 * model.config.seqLen,
      workgroups: DEFAULT_WORKGROUP_SIZES,
    });
    expect(small.maxPositions).toBe(1024);
    try {
      const prompt = greedy.fed_ids.slice(0, 40); // chunks of 16, 16, 8
      const a = (await small.forwardPrompt(prompt, 0, { allLogits: true })).allLogits!;
      const b = cpu.forwardPromptSync(prompt, 0, { allLogits: true }).allLogits!;
      expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(TOL);
      // then continue decoding from the chunked cache
      const g = (await small.forward(greedy.fed_ids[40], 40)).logits;
      const c = cpu.forwardSync(greedy.fed_ids[40], 40).logits;
      expect(maxAbsDiff(g, c)).toBeLessThanOrEqual(TOL);
    } finally {
      small.dispose();
    }
  });

  it('rejects bad input with the CPU engine messages and keeps working', async () => {
    await expect(gpu.forward(512, 0)).rejects.toThrow(/token id 512 is not in the vocabulary/);
    await expect(gpu.forward(1, 999)).rejects.toThrow(/skips positions never fed/);
    await expect(gpu.forwardPrompt([], 0)).rejects.toThrow(/no tokens to feed/);
    const g = (await gpu.forward(1, 0)).logits;
    expect(maxAbsDiff(g, cpu.forwardSync(1, 0).logits)).toBeLessThanOrEqual(TOL);
  });
});

describe('knobs on WebGPU match the CPU engine', () => {
  const base = () => defaultKnobs(model.config);
  const cases: [string, (k: Knobs) => Knobs][] = [
    ['layernorm', (k) => ({ ...k, norm: 'layernorm' })],
    ['norm eps 0.1', (k) => ({ ...k, normEps: 0.1 })],
    ['gelu', (k) => ({ ...k, activation: 'gelu' })],
    ['relu', (k) => ({ ...k, activation: 'relu' })],
    ['rope off', (k) => ({ ...k, rope: false })],
    ['rope base 500', (k) => ({ ...k, ropeBase: 500 })],
    ['rope linear x4', (k) => ({ ...k, ropeScaling: 'linear', ropeFactor: 4 })],
    ['rope ntk x4', (k) => ({ ...k, ropeScaling: 'ntk', ropeFactor: 4 })],
    ['rope llama3 x8', (k) => ({ ...k, ropeScaling: 'llama3', ropeFactor: 8 })],
    ['rope yarn x8', (k) => ({ ...k, ropeScaling: 'yarn', ropeFactor: 8 })],
    ['kvGroups 2', (k) => ({ ...k, kvGroups: 2 })],
    ['kvGroups 1 (multi-query)', (k) => ({ ...k, kvGroups: 1 })],
  ];
  const prompt = greedy.fed_ids.slice(0, 20);

  for (const [name, change] of cases) {
    it(`${name}: prompt rows and 4 decode steps within 1e-3, and the knob changes the output`, async () => {
      const knobs = change(base());
      gpu.setKnobs(knobs);
      cpu.setKnobs(knobs);
      expect(gpu.getKnobs()).toEqual(knobs);
      const g = (await gpu.forwardPrompt(prompt, 0, { allLogits: true })).allLogits!;
      const c = cpu.forwardPromptSync(prompt, 0, { allLogits: true }).allLogits!;
      expect(maxAbsDiff(g, c)).toBeLessThanOrEqual(TOL);
      for (let pos = 20; pos < 24; pos++) {
        const t = greedy.fed_ids[pos];
        const gl = (await gpu.forward(t, pos)).logits;
        expect(maxAbsDiff(gl, cpu.forwardSync(t, pos).logits)).toBeLessThanOrEqual(TOL);
      }
      // The knob must matter (else this test could not tell a GPU that ignores it).
      cpu.setKnobs(base());
      const plain = cpu.forwardPromptSync(prompt, 0, { allLogits: true }).allLogits!;
      expect(maxAbsDiff(plain, c)).toBeGreaterThan(1e-3);
    });
  }

  it('knob changes empty the cache, like the CPU engine', async () => {
    gpu.setKnobs(base());
    await gpu.forwardPrompt([1, 2, 3], 0);
    expect(gpu.cacheLength).toBe(3);
    gpu.setKnobs({ ...base(), kvGroups: 2 });
    expect(gpu.cacheLength).toBe(0);
    await expect(gpu.forward(4, 3)).rejects.toThrow(/changing a knob empties it/);
    gpu.setKnobs(base());
  });

  it('refuses absurd knobs with the validator message, and a custom formula in words', () => {
    expect(() => gpu.setKnobs({ ...base(), kvGroups: 3 })).toThrow(/kvGroups/);
    expect(() => gpu.setKnobs({ ...base(), activation: 'custom' })).toThrow(/CPU engine only/);
    expect(gpu.getKnobs()).toEqual(base());
  });
});

describe('architecture variants from the sidecar', () => {
  it("ffn 'mlp' (no w3) and position 'none' match the CPU engine", async () => {
    const m = loadRandomS();
    const variant: Model = {
      ...m,
      config: { ...m.config, ffn: 'mlp', position: 'none', activation: 'gelu' },
      weights: { ...m.weights, w3: null },
    };
    const g = await createWebGpuBackend(variant, testGpu());
    const c = createCpuBackend(variant);
    try {
      expect(g.getKnobs().rope).toBe(false);
      const prompt = greedy.fed_ids.slice(0, 12);
      const a = (await g.forwardPrompt(prompt, 0, { allLogits: true })).allLogits!;
      const b = c.forwardPromptSync(prompt, 0, { allLogits: true }).allLogits!;
      expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(TOL);
      const gl = (await g.forward(7, 12)).logits;
      expect(maxAbsDiff(gl, c.forwardSync(7, 12).logits)).toBeLessThanOrEqual(TOL);
    } finally {
      g.dispose();
      c.dispose();
    }
  });
});
