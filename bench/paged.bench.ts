// The paged KV cache against the contiguous one, CPU engine, stories15M-shaped checkpoint
// (random weights, see cpu.bench.ts): decode tokens/s of one sequence through the contiguous
// cache and through the paged cache with blocks of 1 and 16 positions (positions 0..255); and
// 8 samples of one prompt decoding together in one batch (decodeBatch, shared prompt blocks)
// against the same 8 samples run one after another on the contiguous cache. Medians of 3 runs.
import { loadavg } from 'node:os';
import { createCpuBackend, type CpuBackend } from '$engine/cpu/backend.ts';
import { generateAll } from '$engine/generate.ts';
import { generateSamples, sampleSeeds } from '$engine/generate-samples.ts';
import { stories15MShaped } from './cpu.bench.ts';
import { median, round, type Report } from './report.ts';

const RUNS = 3;
const POSITIONS = 256;

function argmax(x: Float32Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}

interface Timing {
  wall: number;
  /** Process CPU seconds (less disturbed than wall time on a shared machine). */
  cpu: number;
}

function seconds(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

function contiguousDecode(b: CpuBackend): Timing {
  b.reset();
  return seconds(() => {
    let tok = 1;
    for (let pos = 0; pos < POSITIONS; pos++) tok = argmax(b.decode(tok, pos));
  });
}

function pagedDecode(b: CpuBackend): Timing {
  const seqs = b.paged!;
  const s = seqs.create();
  const ids = [s];
  const tok = [1];
  const t = seconds(() => {
    for (let pos = 0; pos < POSITIONS; pos++) tok[0] = argmax(b.decodeBatch(ids, tok));
  });
  seqs.free(s);
  return t;
}

export default async function pagedBench(report: Report): Promise<void> {
  const model = stories15MShaped();
  const load = () => `load avg ${loadavg()[0].toFixed(1)}`;
  const rate = (ts: Timing[], n: number) => round(median(ts.map((t) => n / t.wall)));
  const byCpu = (ts: Timing[], n: number) =>
    `by CPU time ${round(median(ts.map((t) => n / t.cpu)))} tok/s`;

  const contiguous = createCpuBackend(model);
  contiguousDecode(contiguous); // warm up
  const c = Array.from({ length: RUNS }, () => contiguousDecode(contiguous));
  report({
    name: 'cpu stories15M-shaped decode, contiguous cache',
    median: rate(c, POSITIONS),
    unit: 'tok/s',
    note: `positions 0..${POSITIONS - 1}, ${RUNS} runs; ${byCpu(c, POSITIONS)}; ${load()}`,
  });
  for (const blockSize of [1, 16]) {
    const b = createCpuBackend(model, undefined, { paged: { blockSize } });
    pagedDecode(b);
    const p = Array.from({ length: RUNS }, () => pagedDecode(b));
    report({
      name: `cpu stories15M-shaped decode, paged cache B=${blockSize}`,
      median: rate(p, POSITIONS),
      unit: 'tok/s',
      note: `one sequence through decodeBatch, positions 0..${POSITIONS - 1}, ${RUNS} runs; ${byCpu(p, POSITIONS)}; ${load()}`,
    });
  }

  // 8 samples of a 16-token prompt, 128 tokens each, temperature 1 (top-k 40, top-p 0.9), seed 42.
  const K = 8;
  const steps = 128;
  const promptIds = Array.from({ length: 16 }, (_, i) => (i === 0 ? 1 : (i * 7919) % 32000));
  // Top-k 40 keeps the sampler cheap on a 32000-token vocabulary, so decoding is what is measured.
  const sampler = { temperature: 1, topP: 0.9, topK: 40, seed: 42n };
  const batched = createCpuBackend(model, undefined, { paged: { blockSize: 16 } });
  let tokens = 0;
  const batchedRun = () =>
    seconds(() => {
      const r = generateSamples(batched, { promptIds, steps, samples: K, sampler });
      tokens = r.samples.reduce((a, s) => a + s.ids.length, 0);
    });
  batchedRun();
  const bt = Array.from({ length: RUNS }, batchedRun);
  report({
    name: `cpu stories15M-shaped, ${K} samples in one batch (paged, B=16)`,
    median: rate(bt, tokens),
    unit: 'tok/s',
    note: `${K} x ${steps} tokens after a 16-token prompt, all samples together, ${RUNS} runs; ${byCpu(bt, tokens)}; ${load()}`,
  });
  const seeds = sampleSeeds(42n, K);
  let singleTokens = 0;
  const singleRuns = async (): Promise<Timing> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    singleTokens = 0;
    for (const seed of seeds) {
      const r = await generateAll(contiguous, { promptIds, steps, sampler: { ...sampler, seed } });
      singleTokens += r.ids.length;
    }
    const c = process.cpuUsage(c0);
    return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
  };
  const st: Timing[] = [];
  for (let r = 0; r < RUNS; r++) st.push(await singleRuns());
  report({
    name: `cpu stories15M-shaped, ${K} samples one after another (contiguous)`,
    median: rate(st, singleTokens),
    unit: 'tok/s',
    note: `the same ${K} x ${steps} tokens (same seeds, same ids), ${RUNS} runs; ${byCpu(st, singleTokens)}; ${load()}`,
  });
}
