// The WebGPU benchmark proper, run by webgpu.bench.ts in a child Node process: Dawn (npm
// `webgpu`) finds its Vulkan driver through LD_LIBRARY_PATH, which the dynamic linker reads only
// at process start. Prints one `ROW {json}` line per measurement.
import { register } from 'node:module';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Model } from '$engine/types.ts';
import type { WebGpuBackend } from '$engine/webgpu/backend.ts';
import type { BenchRow } from './report.ts';

register('./raw-hooks.mjs', import.meta.url);
const { create, globals } = await import('webgpu');
const { parseCheckpoint } = await import('$engine/checkpoint.ts');
const { allocateModel, writeCheckpoint } = await import('$engine/checkpoint-write.ts');
const { createWebGpuBackend } = await import('$engine/webgpu/backend.ts');
const { median, round } = await import('./report.ts');

const emit = (row: BenchRow) => console.log(`ROW ${JSON.stringify(row)}`);

/** stories15M's shape with random weights (uniform in [-0.05, 0.05)), through the file format. */
function stories15MShaped(): Model {
  const m = allocateModel({
    dim: 288,
    hiddenDim: 768,
    nLayers: 6,
    nHeads: 6,
    nKvHeads: 6,
    vocabSize: 32000,
    seqLen: 256,
    sharedClassifier: true,
    normEps: 1e-5,
    ropeBase: 10000,
    norm: 'rmsnorm',
    ffn: 'swiglu',
    activation: 'silu',
    position: 'rope',
  });
  let s = 0x2545f491;
  for (const t of Object.values(m.weights)) {
    if (!t) continue;
    for (let i = 0; i < t.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      t[i] = ((s >>> 0) / 2 ** 32 - 0.5) * 0.1;
    }
  }
  for (const t of [m.weights.rmsAtt, m.weights.rmsFfn, m.weights.rmsFinal]) t.fill(1);
  return parseCheckpoint(writeCheckpoint(m, 0));
}

function argmax(x: Float32Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}

/** Seconds to decode positions 0..n-1 one token at a time, feeding the argmax back. */
async function decodeRun(b: WebGpuBackend, n: number): Promise<number> {
  b.reset();
  const t0 = performance.now();
  let tok = 1;
  for (let pos = 0; pos < n; pos++) tok = argmax((await b.forward(tok, pos)).logits);
  return (performance.now() - t0) / 1000;
}

async function promptRun(b: WebGpuBackend, tokens: number[]): Promise<number> {
  b.reset();
  const t0 = performance.now();
  await b.forwardPrompt(tokens, 0);
  return (performance.now() - t0) / 1000;
}

async function measure(
  gpu: GPU,
  label: string,
  model: Model,
  decodeLen: number,
  promptLen: number,
  runs: number,
) {
  const b = await createWebGpuBackend(model, gpu);
  const prompt = Array.from(
    { length: promptLen },
    (_, i) => (i * 7919 + 1) % model.config.vocabSize,
  );
  await decodeRun(b, 4); // warm-up: first submissions, pipeline caches
  await promptRun(b, prompt.slice(0, 8));
  const dec: number[] = [];
  const pr: number[] = [];
  for (let r = 0; r < runs; r++) {
    dec.push(decodeLen / (await decodeRun(b, decodeLen)));
    pr.push(promptLen / (await promptRun(b, prompt)));
  }
  const a = b.adapter;
  const adapter = `${a.vendor} ${a.architecture}${a.isFallbackAdapter ? ', software adapter' : ''}`;
  const note = `${adapter}; ${runs} runs; load avg ${loadavg()[0].toFixed(1)}`;
  emit({
    name: `webgpu ${label} decode`,
    median: round(median(dec)),
    unit: 'tok/s',
    note: `positions 0..${decodeLen - 1}; ${note}`,
  });
  emit({
    name: `webgpu ${label} prompt`,
    median: round(median(pr)),
    unit: 'tok/s',
    note: `${promptLen}-token prompt pass; ${note}`,
  });
  b.dispose();
}

Object.assign(globalThis, globals);
const gpu = create([]);
const fixture = fileURLToPath(new URL('../tests/fixtures/llama2c/random-s.bin', import.meta.url));
await measure(gpu, 'random-s (fixture)', parseCheckpoint(readFileSync(fixture)), 32, 64, 3);
await measure(gpu, 'stories15M-shaped', stories15MShaped(), 16, 64, 3);
// keep `gpu` referenced until every device is gone (dawn.node segfaults otherwise)
if (!gpu) throw new Error('unreachable');
process.exit(0);
