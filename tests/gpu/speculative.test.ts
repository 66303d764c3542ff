// Speculative decoding on the WebGPU engine (main and draft both on the software adapter): at
// temperature 0 the ids are the CPU engine's greedy ids, and a sampled run completes with the
// same acceptance bookkeeping. Rollback of the GPU KV caches is what makes the ids agree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { encodePrompt, generateAll } from '$engine/generate.ts';
import { speculateAll } from '$engine/speculative.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import type { Model } from '$engine/types.ts';
import { createWebGpuBackend, type WebGpuBackend } from '$engine/webgpu/backend.ts';
import { testGpu } from './helpers.ts';

const models = fileURLToPath(new URL('../../assets/models/', import.meta.url));
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
const made: WebGpuBackend[] = [];
afterAll(() => made.forEach((b) => b.dispose()));

describe('speculative decoding on WebGPU', () => {
  it("temperature 0: the main model's greedy ids (CPU reference), with rejections", async () => {
    const m = await createWebGpuBackend(main, testGpu());
    const d = await createWebGpuBackend(draft, testGpu());
    made.push(m, d);
    const sampler = { temperature: 0, topK: 0, topP: 0, seed: 1n };
    const promptIds = encodePrompt(tok, 'ROMEO:');
    const ref = await generateAll(createCpuBackend(main), { promptIds, steps: 40, sampler });
    const r = await speculateAll(m, d, { promptIds, steps: 40, gamma: 4, sampler });
    expect(r.ids).toEqual(ref.ids);
    expect(r.stats.mainPasses).toBeLessThan(40);
    expect(r.stats.accepted).toBeLessThan(r.stats.judged);
    // sampling: completes, every token counted once
    const s = await speculateAll(m, d, {
      promptIds,
      steps: 20,
      gamma: 3,
      sampler: { temperature: 0.8, topK: 0, topP: 0.9, seed: 3n },
    });
    expect(s.ids).toHaveLength(20);
    expect(s.stats.generated).toBe(20);
    expect(s.stats.accepted + s.stats.mainPasses).toBeGreaterThanOrEqual(20);
  });
});
