// CPU engine speed in Node: decode tokens/s (one token at a time, the KV cache growing from
// position 0 to the end) and prompt tokens/s (one matrix-matrix pass over a prompt), medians
// over several runs, on the fixture checkpoint and on a stories15M-shaped checkpoint with
// random weights that this file writes in memory (dim 288, hidden 768, 6 layers, 6 heads,
// 6 kv heads, vocab 32000, seq 256) and reads back with the project's loader.
// Yardstick (issue 2, this 2-core machine): llama2.c run.c, one thread, ~80 tok/s built with -O3
// and ~300 tok/s with -Ofast -march=native on the stories15M shape.
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { allocateModel, writeCheckpoint } from '$engine/checkpoint-write.ts';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { createCpuBackend, type CpuBackend } from '$engine/cpu/backend.ts';
import { defaultKnobs } from '$engine/knobs.ts';
import type { Config, Model } from '$engine/types.ts';
import { median, round, type Report } from './report.ts';

const fixture = fileURLToPath(new URL('../tests/fixtures/llama2c/random-s.bin', import.meta.url));

/** stories15M's shape (Karpathy's tinyllamas), every weight uniform in [-0.05, 0.05). */
export function stories15MShaped(): Model {
  const config: Config = {
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
  };
  const m = allocateModel(config);
  let s = 0x12345678;
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
  // Through the file format and back, as a user's checkpoint would come in.
  return parseCheckpoint(writeCheckpoint(m, 0));
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall-clock and process CPU seconds of fn (CPU time is less disturbed by a shared machine). */
function timed(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** Decode positions 0..n-1, one token at a time, feeding the argmax back. */
function decodeRun(b: CpuBackend, n: number): Timing {
  b.reset();
  return timed(() => {
    let tok = 1;
    for (let pos = 0; pos < n; pos++) {
      const logits = b.decode(tok, pos);
      let best = 0;
      for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
      tok = best;
    }
  });
}

function promptRun(b: CpuBackend, tokens: number[]): Timing {
  b.reset();
  return timed(() => b.forwardPromptSync(tokens, 0));
}

async function measure(
  report: Report,
  label: string,
  model: Model,
  decodeLen: number,
  promptLen: number,
  runs: number,
  kernels: 'simd' | 'js' = 'simd',
): Promise<void> {
  const b = createCpuBackend(model, undefined, { kernels });
  const prompt = Array.from(
    { length: promptLen },
    (_, i) => (i * 7919 + 1) % model.config.vocabSize,
  );
  decodeRun(b, Math.min(decodeLen, 32)); // warm up the JIT
  promptRun(b, prompt.slice(0, 16));
  const dec: Timing[] = [];
  const pr: Timing[] = [];
  for (let r = 0; r < runs; r++) {
    dec.push(decodeRun(b, decodeLen));
    pr.push(promptRun(b, prompt));
  }
  const rate = (ts: Timing[], n: number, k: keyof Timing) => round(median(ts.map((t) => n / t[k])));
  const load = `load avg ${loadavg()[0].toFixed(1)}`;
  report({
    name: `cpu ${label} decode`,
    median: rate(dec, decodeLen, 'wall'),
    unit: 'tok/s',
    note: `${b.kernels} kernels, positions 0..${decodeLen - 1}, ${runs} runs; by CPU time ${rate(dec, decodeLen, 'cpu')} tok/s; ${load}`,
  });
  report({
    name: `cpu ${label} prompt`,
    median: rate(pr, promptLen, 'wall'),
    unit: 'tok/s',
    note: `${b.kernels} kernels, ${promptLen} tokens in one pass, ${runs} runs; by CPU time ${rate(pr, promptLen, 'cpu')} tok/s; ${load}`,
  });
}

/**
 * What a chapter pays when the reader moves a knob: setKnobs, then a traced prompt pass of 128
 * tokens (attention maps of every layer and the logits), on the notebook's built-in model.
 */
function knobChange(report: Report, runs: number): void {
  const file = fileURLToPath(new URL('../assets/models/main/model.bin', import.meta.url));
  if (!existsSync(file)) return;
  const model = parseCheckpoint(readFileSync(file));
  const b = createCpuBackend(model);
  const d = defaultKnobs(model.config);
  const tokens = Array.from({ length: 128 }, (_, i) => (i * 37 + 1) % model.config.vocabSize);
  const once = (r: number) =>
    timed(() => {
      b.setKnobs({ ...d, normEps: r % 2 ? 1e-3 : d.normEps });
      b.forwardPromptSync(tokens, 0, { trace: ['L*.attn.probs', 'final.logits'] });
    });
  for (let r = 0; r < 3; r++) once(r); // warm up
  const t = Array.from({ length: runs }, (_, r) => once(r));
  report({
    name: 'cpu built-in model: knob change + 128-token prompt',
    median: round(median(t.map((x) => x.wall * 1000))),
    unit: 'ms',
    note: `${b.kernels} kernels, traced L*.attn.probs + final.logits, ${runs} runs; by CPU time ${round(median(t.map((x) => x.cpu * 1000)))} ms; load avg ${loadavg()[0].toFixed(1)}`,
  });
}

export default async function cpuBench(report: Report): Promise<void> {
  knobChange(report, 15);
  const small = parseCheckpoint(readFileSync(fixture));
  await measure(report, 'random-s (fixture)', small, small.config.seqLen, 128, 5);
  const m15 = stories15MShaped();
  await measure(report, 'stories15M-shaped', m15, 256, 128, 3);
  // The plain TypeScript kernels (ops.ts), for comparison: what runs without WebAssembly SIMD.
  await measure(report, 'stories15M-shaped, js kernels', m15, 256, 128, 3, 'js');
}
