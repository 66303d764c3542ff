// Trace taps read back from the GPU: the same names, shapes and values as the CPU engine's
// trace (src/engine/trace.ts), for a prompt pass, a continuation and a single-token decode.
// Tolerance: 1e-4 on intermediate values (order 1), 1e-3 on logits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend, type CpuBackend } from '$engine/cpu/backend.ts';
import { defaultKnobs } from '$engine/knobs.ts';
import { GLOBAL_TAPS, LAYER_TAPS } from '$engine/trace.ts';
import type { Model, Trace } from '$engine/types.ts';
import { createWebGpuBackend, type WebGpuBackend } from '$engine/webgpu/backend.ts';
import { loadGreedy, loadRandomS, maxAbsDiff, testGpu } from './helpers.ts';

const ALL = [...GLOBAL_TAPS, ...LAYER_TAPS.map((t) => `L*.${t}`)];
let model: Model;
let gpu: WebGpuBackend;
let cpu: CpuBackend;
const ids = loadGreedy().fed_ids;

beforeAll(async () => {
  model = loadRandomS();
  // maxBatch 4: the 6-row prompt below is traced across two chunks
  gpu = await createWebGpuBackend(model, testGpu(), undefined, { maxBatch: 4 });
  cpu = createCpuBackend(model);
});
afterAll(() => {
  gpu.dispose();
  cpu.dispose();
});

function compare(g: Trace | undefined, c: Trace | undefined): void {
  expect(g).toBeDefined();
  expect(c).toBeDefined();
  expect([...g!.keys()].sort()).toEqual([...c!.keys()].sort());
  for (const [name, ce] of c!) {
    const ge = g!.get(name)!;
    expect(ge.shape, name).toEqual(ce.shape);
    const tol = name === 'final.logits' ? 1e-3 : 1e-4;
    const diff = maxAbsDiff(ge.data, ce.data);
    expect(diff, `${name} differs by ${diff}`).toBeLessThanOrEqual(tol);
  }
}

describe('trace taps on WebGPU', () => {
  it('every tap of a chunked prompt pass, its continuation and a decode step matches the CPU trace', async () => {
    const prompt = ids.slice(0, 6);
    compare(
      (await gpu.forwardPrompt(prompt, 0, { trace: ALL })).trace,
      cpu.forwardPromptSync(prompt, 0, { trace: ALL }).trace,
    );
    const more = ids.slice(6, 9); // P = 9 > T = 3: probs rows are masked past each position
    const g = (await gpu.forwardPrompt(more, 6, { trace: ['L1.attn.probs', 'L4.ffn.act'] })).trace!;
    compare(g, cpu.forwardPromptSync(more, 6, { trace: ['L1.attn.probs', 'L4.ffn.act'] }).trace);
    const probs = g.get('L1.attn.probs')!;
    expect(probs.shape).toEqual([model.config.nHeads, 3, 9]);
    compare(
      (await gpu.forward(ids[9], 9, ['L*.attn.scores', 'final.logits', 'L2.resid'])).trace,
      cpu.forwardSync(ids[9], 9, ['L*.attn.scores', 'final.logits', 'L2.resid']).trace,
    );
  });

  it('taps follow the knobs: kv width under kvGroups, ffn.act under gelu', async () => {
    const knobs = { ...defaultKnobs(model.config), kvGroups: 1, activation: 'gelu' as const };
    gpu.setKnobs(knobs);
    cpu.setKnobs(knobs);
    const req = ['L0.attn.k_rot', 'L0.attn.v', 'L3.ffn.act', 'L3.ffn.hidden'];
    const g = (await gpu.forwardPrompt(ids.slice(0, 3), 0, { trace: req })).trace!;
    compare(g, cpu.forwardPromptSync(ids.slice(0, 3), 0, { trace: req }).trace);
    expect(g.get('L0.attn.v')!.shape).toEqual([3, model.config.dim / model.config.nHeads]);
  });

  it('an untraced call returns no trace; an unknown tap is refused in words', async () => {
    gpu.setKnobs(defaultKnobs(model.config));
    expect((await gpu.forward(1, 0)).trace).toBeUndefined();
    await expect(gpu.forward(2, 1, ['L0.attn.nope'])).rejects.toThrow(/unknown trace tap/);
    await expect(gpu.forward(2, 1, ['L9.resid'])).rejects.toThrow(/layer 9 does not exist/);
  });
});
