// Test helpers: the llama2.c fixtures of tests/fixtures/llama2c/, a copy kept in the repository
// (provenance in its README), and small synthetic models. The checkpoint reader here is deliberately independent
// of src/engine/checkpoint.ts so the CPU engine's tests do not rest on the loader under test
// elsewhere: it follows docs/reference/llama2c-format.md section 2 directly.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config, Model, Weights } from '$engine/types.ts';

export const fixtureDir = fileURLToPath(new URL('../../fixtures/llama2c/', import.meta.url));

export function readFixture(name: string): Buffer {
  return readFileSync(fixtureDir + name);
}

/** A model from llama2.c legacy (version 0) bytes, run.c's defaults for everything else. */
export function modelFromLegacy(buf: Uint8Array, overrides: Partial<Config> = {}): Model {
  const copy = new Uint8Array(buf).buffer; // aligned, owned
  const h = new Int32Array(copy, 0, 7);
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, rawVocab, seqLen] = h;
  const vocabSize = Math.abs(rawVocab);
  const hs = dim / nHeads;
  const kvDim = nKvHeads * hs;
  const f = new Float32Array(copy, 28, (copy.byteLength - 28) / 4);
  let p = 0;
  const take = (n: number) => {
    const v = f.subarray(p, p + n);
    p += n;
    return v;
  };
  const L = nLayers;
  const tokenEmbedding = take(vocabSize * dim);
  const rmsAtt = take(L * dim);
  const wq = take(L * dim * dim);
  const wk = take(L * kvDim * dim);
  const wv = take(L * kvDim * dim);
  const wo = take(L * dim * dim);
  const rmsFfn = take(L * dim);
  const w1 = take(L * hiddenDim * dim);
  const w2 = take(L * dim * hiddenDim);
  const w3 = take(L * hiddenDim * dim);
  const rmsFinal = take(dim);
  take(seqLen * hs); // freq_cis leftovers
  const wcls = rawVocab > 0 ? tokenEmbedding : take(vocabSize * dim);
  if (p !== f.length) throw new Error(`fixture size mismatch: ${p} floats used of ${f.length}`);
  const weights: Weights = {
    tokenEmbedding,
    rmsAtt,
    wq,
    wk,
    wv,
    wo,
    rmsFfn,
    w1,
    w2,
    w3,
    rmsFinal,
    wcls,
  };
  const config: Config = {
    dim,
    hiddenDim,
    nLayers,
    nHeads,
    nKvHeads,
    vocabSize,
    seqLen,
    sharedClassifier: rawVocab > 0,
    normEps: 1e-5,
    ropeBase: 10000,
    norm: 'rmsnorm',
    ffn: 'swiglu',
    activation: 'silu',
    position: 'rope',
    ...overrides,
  };
  return { config, weights, fileVersion: 0, nParams: f.length - seqLen * hs };
}

export function loadRandomS(overrides: Partial<Config> = {}): Model {
  return modelFromLegacy(readFixture('random-s.bin'), overrides);
}

export interface Greedy {
  prompt_ids: number[];
  gen_ids: number[];
  fed_ids: number[];
}

export function loadGreedy(): {
  greedy: Greedy;
  rows: number;
  vocab: number;
  logits: Float32Array;
} {
  const greedy = JSON.parse(readFixture('greedy.json').toString('utf8')) as Greedy;
  const b = readFixture('greedy.logits');
  const ab = new Uint8Array(b).buffer;
  const [rows, vocab] = new Int32Array(ab, 0, 2);
  return { greedy, rows, vocab, logits: new Float32Array(ab, 8, rows * vocab) };
}

/** Deterministic pseudo-random numbers in [-1, 1) (mulberry32), for synthetic inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  };
}

export function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r() * scale;
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function argmax(x: ArrayLike<number>, off = 0, n = x.length): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (x[off + i] > x[off + best]) best = i;
  return best;
}
