// K samples of one prompt, decoding together through the paged KV cache (what Llama 3's
// rejection sampling does at scale): the prompt goes through one prompt pass into one sequence,
// K-1 forks share its blocks, then every step feeds the K newest tokens as one batch
// (decodeBatch). The first write into the shared, partly filled last prompt block copies it
// (copy-on-write); full prompt blocks stay shared to the end.
//
// Seeds: sample 0 uses the seed itself (so one sample is exactly `generate` with that seed);
// sample i > 0 uses splitmix64(seed + i * 0x9E3779B97F4A7C15), a standard way to derive
// independent-looking seeds from one. Each sample has its own sampler, so sample i's tokens are
// exactly those of a single run with seed i: the paged cache gives the same logits bit for bit.
import { SettingsError } from './errors.ts';
import { positionsNeeded } from './generate.ts';
import { Sampler } from './sampler.ts';
import { BOS, StreamingDecoder, type Tokenizer } from './tokenizer.ts';
import type { CpuBackend } from './cpu/backend.ts';
import type { PagedStats } from './paged/sequences.ts';
import type { SamplerSettings } from './types.ts';

const GAMMA = 0x9e3779b97f4a7c15n;
const MASK = (1n << 64n) - 1n;

/** splitmix64's output function (Steele, Lea, Flood 2014) of a 64-bit value. */
export function splitmix64(x: bigint): bigint {
  let z = x & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

/** The seeds of n samples derived from one seed (sample 0 keeps it; none is 0). */
export function sampleSeeds(seed: bigint, n: number): bigint[] {
  const base = BigInt.asUintN(64, seed);
  return Array.from({ length: n }, (_, i) => {
    if (i === 0) return base;
    const s = splitmix64((base + BigInt(i) * GAMMA) & MASK);
    return s === 0n ? 1n : s;
  });
}

export interface SamplesOptions {
  promptIds: readonly number[];
  /** Tokens to generate per sample (fewer for a sample that samples BOS). */
  steps: number;
  /** How many samples, 1 .. the backend's maxBatch. */
  samples: number;
  /** Temperature, top-k, top-p and the seed the samples' seeds derive from. */
  sampler: SamplerSettings;
  tokenizer?: Tokenizer;
}

export interface SampleState {
  seed: bigint;
  /** The paged sequence id. */
  seq: number;
  ids: number[];
  text: string;
  done: boolean;
}

/** What one step of the batch did, for a live view. */
export interface SamplesStep {
  /** 0 after the prompt pass, then 1, 2, ... per decode step. */
  step: number;
  /** The token each sample took this step (null for a sample that had already stopped). */
  tokens: (number | null)[];
  samples: readonly SampleState[];
  stats: PagedStats;
}

export interface SamplesResult {
  samples: SampleState[];
  /** The paged cache at the end (nothing is freed before the end: this is also the peak). */
  stats: PagedStats;
  /** Bytes of K and V in one block. */
  blockBytes: number;
  /** Blocks the samples would take in separate paged caches (each with its own prompt copy). */
  separateBlocks: number;
}

/**
 * Generate `samples` samples of one prompt in one batch through the backend's paged cache,
 * yielding after the prompt pass and after each decode step. Frees the samples' sequences at
 * the end (or when the caller stops early).
 */
export function* sampleBatch(
  backend: CpuBackend,
  opts: SamplesOptions,
): Generator<SamplesStep, SamplesResult, void> {
  const seqs = backend.paged;
  if (seqs === null) {
    throw new SettingsError('samples_need_paged', {});
  }
  const { promptIds: p, steps, samples: K } = opts;
  const maxBatch = backend.maxBatch;
  if (!Number.isInteger(K) || K < 1 || K > maxBatch) {
    throw new SettingsError('samples_count', { max: maxBatch, got: K });
  }
  if (!Number.isInteger(steps) || steps < 0) {
    throw new SettingsError('gen_steps', { got: steps });
  }
  if (p.length === 0) throw new SettingsError('gen_prompt_empty', {});
  if (positionsNeeded(p.length, steps) > backend.maxPositions) {
    throw new SettingsError('samples_positions', {
      prompt: p.length,
      steps,
      need: positionsNeeded(p.length, steps),
      max: backend.maxPositions,
    });
  }
  const V = backend.config.vocabSize;
  const seeds = sampleSeeds(opts.sampler.seed, K);
  const samplers = seeds.map((seed) => new Sampler(V, { ...opts.sampler, seed }));
  const tok = opts.tokenizer;
  const streams = seeds.map(() => (tok ? new StreamingDecoder(tok) : null));

  const root = seqs.create();
  const state: SampleState[] = [];
  try {
    const first = backend.runPaged(root, p, 0).logits.slice();
    state.push({ seed: seeds[0], seq: root, ids: [], text: '', done: steps === 0 });
    for (let i = 1; i < K; i++) {
      state.push({ seed: seeds[i], seq: seqs.fork(root), ids: [], text: '', done: steps === 0 });
    }
    yield { step: 0, tokens: state.map(() => null), samples: state, stats: seqs.stats() };

    const active: number[] = [];
    const feed: number[] = [];
    let logits: Float32Array = first;
    let rowOf: number[] = state.map(() => 0); // row of each sample's logits in `logits`
    for (let step = 1; step <= steps; step++) {
      const took: (number | null)[] = state.map(() => null);
      active.length = 0;
      feed.length = 0;
      state.forEach((s, i) => {
        if (s.done) return;
        const row = logits.subarray(rowOf[i] * V, (rowOf[i] + 1) * V);
        const id = samplers[i].sample(row);
        if (id === BOS) {
          s.done = true;
          return;
        }
        const prev = s.ids.length ? s.ids[s.ids.length - 1] : p[p.length - 1];
        s.ids.push(id);
        took[i] = id;
        const st = streams[i];
        if (st) s.text += st.push(prev, id);
        if (step === steps) s.done = true;
        else {
          active.push(i);
          feed.push(id);
        }
      });
      if (active.length > 0) {
        logits = backend.decodeBatch(
          active.map((i) => state[i].seq),
          feed,
        );
        rowOf = state.map(() => -1);
        active.forEach((i, r) => (rowOf[i] = r));
      }
      yield { step, tokens: took, samples: state, stats: seqs.stats() };
      if (active.length === 0) break;
    }
    state.forEach((s, i) => {
      const st = streams[i];
      if (st) s.text += st.flush();
    });
    const stats = seqs.stats();
    const bs = seqs.blockSize;
    const separateBlocks = stats.sequences.reduce((a, q) => a + Math.ceil(q.length / bs), 0);
    return { samples: state, stats, blockBytes: backend.pagedBlockBytes(), separateBlocks };
  } finally {
    for (const s of state) if (seqs.has(s.seq)) seqs.free(s.seq);
    if (seqs.has(root)) seqs.free(root);
  }
}

/** Run sampleBatch to the end. */
export function generateSamples(backend: CpuBackend, opts: SamplesOptions): SamplesResult {
  const it = sampleBatch(backend, opts);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}
