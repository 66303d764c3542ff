// Deterministic random models for tests: any shape, any variant, no files needed.
import { allocateModel } from '$engine/checkpoint-write.ts';
import { makeConfig } from '$engine/config.ts';
import type { Config, Model } from '$engine/types.ts';

/** A small seeded generator (mulberry32) for test data; not the sampler's xorshift64*. */
export function testRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fixture's shape (random-s.bin), a handy default. */
export const SMALL_DIMS = {
  dim: 64,
  hiddenDim: 172,
  nLayers: 5,
  nHeads: 8,
  nKvHeads: 4,
  vocabSize: 512,
  seqLen: 512,
};

/** A config with run.c defaults, overridable field by field. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = makeConfig(SMALL_DIMS, true);
  return { ...base, ...overrides };
}

/**
 * A model whose weights are uniform in [-scale, scale), norms near 1 (1 + small noise), so the
 * forward pass stays well conditioned.
 */
export function randomModel(overrides: Partial<Config> = {}, seed = 1, scale = 0.1): Model {
  const model = allocateModel(testConfig(overrides));
  const rand = testRandom(seed);
  const w = model.weights;
  const fill = (a: Float32Array | null, center: number) => {
    if (a === null) return;
    for (let i = 0; i < a.length; i++) a[i] = center + (2 * rand() - 1) * scale;
  };
  fill(w.tokenEmbedding, 0);
  fill(w.rmsAtt, 1);
  fill(w.wq, 0);
  fill(w.wk, 0);
  fill(w.wv, 0);
  fill(w.wo, 0);
  fill(w.rmsFfn, 1);
  fill(w.w1, 0);
  fill(w.w2, 0);
  fill(w.w3, 0);
  fill(w.rmsFinal, 1);
  if (w.wcls !== w.tokenEmbedding) fill(w.wcls, 0);
  return model;
}
