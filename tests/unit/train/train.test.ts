// The training loop end to end on a small text: determinism from the seed, a falling loss, the
// data-parallel workers, the written files (read back by the engine), and the trainer's forward
// pass against the inference engine's on the same weights.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { countParams } from '$engine/config.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import type { Config } from '$engine/types.ts';
import { learningRate } from '$train/adamw.ts';
import { parseTrainConfig } from '$train/config.ts';
import { kernelsFor } from '$train/kernels.ts';
import { TrainModel } from '$train/model.ts';
import { modelOf, writeOutputs, writeSamples } from '$train/outputs.ts';
import { nodeSpawn } from '$train/node-spawn.ts';
import { createEngine } from '$train/replica.ts';
import { Rng } from '$train/rng.ts';
import { train } from '$train/trainer.ts';

const corpus = readFileSync(
  fileURLToPath(new URL('../../../assets/data/tinyshakespeare.txt', import.meta.url)),
  'utf8',
);
const text = corpus.slice(0, 40_000);

function cfg(over: Record<string, unknown> = {}) {
  return parseTrainConfig({
    model: { dim: 16, hidden_dim: 32, n_layers: 2, n_heads: 4, n_kv_heads: 2, seq_len: 32 },
    vocab_size: 300,
    train: {
      batch_size: 4,
      steps: 30,
      lr: 0.01,
      warmup_steps: 5,
      eval_interval: 15,
      workers: 1,
      seed: 3,
      ...over,
    },
  });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('train()', () => {
  it('is a deterministic function of the seed and lowers the loss', async () => {
    const a = await train(cfg(), text);
    const b = await train(cfg(), text);
    const c = await train(cfg({ seed: 4 }), text);
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    expect(a.curve.train.map((p) => p.loss)).toEqual(b.curve.train.map((p) => p.loss));
    expect(Array.from(c.params)).not.toEqual(Array.from(a.params));
    const first = a.curve.val[0].loss;
    const last = a.curve.val[a.curve.val.length - 1].loss;
    expect(a.curve.val.map((p) => p.step)).toEqual([0, 15, 30]);
    expect(last).toBeLessThan(first - 0.5);
    expect(a.curve.train).toHaveLength(30);
    expect(a.tokensSeen).toBe(30 * 4 * 32);
    // bits/char = total nats / ln 2 / characters of the validation text
    expect(a.valBitsPerChar).toBeCloseTo(
      (a.valNatsPerToken * a.valTokens) / Math.LN2 / a.valChars,
      10,
    );
    expect(a.valChars).toBe(4000);
  }, 120_000);

  it('trains data-parallel on two worker threads, deterministically', async () => {
    const a = await train(cfg({ workers: 2, steps: 12, eval_interval: 12 }), text, {
      spawn: nodeSpawn,
    });
    const b = await train(cfg({ workers: 2, steps: 12, eval_interval: 12 }), text, {
      spawn: nodeSpawn,
    });
    const one = await train(cfg({ workers: 1, steps: 12, eval_interval: 12 }), text);
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    // same batches and the same averaged gradient up to float32 summation order
    const l2 = a.curve.train.map((p) => p.loss);
    const l1 = one.curve.train.map((p) => p.loss);
    l1.forEach((l, i) => expect(l2[i]).toBeCloseTo(l, 3));
    // the validation loss does not depend on the worker count at step 0
    expect(a.curve.val[0].loss).toBeCloseTo(one.curve.val[0].loss, 5);
  }, 120_000);

  it('reports a failure inside a worker thread in words instead of hanging', async () => {
    const tc = cfg();
    const engine = createEngine({
      config: { ...tc.model, vocabSize: 300 },
      B: 2,
      T: 32,
      workers: 2,
      kernels: 'wasm',
      spawn: nodeSpawn,
    });
    try {
      engine.inputs.fill(999); // outside the vocabulary
      await expect(engine.computeGradients(1)).rejects.toThrow(
        /training worker \d failed: token id 999 outside the vocabulary of 300/,
      );
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('writes files the engine loads, with the curve, metrics and samples', async () => {
    const r = await train(cfg({ steps: 10, eval_interval: 10 }), text);
    const dir = mkdtempSync(join(tmpdir(), 'llama-train-'));
    dirs.push(dir);
    writeOutputs(dir, r, {
      name: 't',
      train: cfg().train,
      command: 'test',
      data: 'excerpt',
      kernels: 'wasm',
      wallTimeS: 1,
      finished: true,
    });
    await writeSamples(dir);
    const model = parseCheckpoint(
      readFileSync(join(dir, 'model.bin')),
      JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')),
    );
    expect(model.config).toEqual(r.config);
    expect(Array.from(model.weights.wq)).toEqual(Array.from(modelOf(r).weights.wq));
    const tok = parseTokenizer(readFileSync(join(dir, 'tokenizer.bin')), model.config.vocabSize);
    expect(tok.vocabSize).toBe(300);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    expect(meta.params).toBe(countParams(r.config));
    expect(meta.valBitsPerChar).toBeCloseTo(r.valBitsPerChar, 3);
    const curve = JSON.parse(readFileSync(join(dir, 'curve.json'), 'utf8'));
    expect(curve.train.loss).toHaveLength(10);
    expect(curve.val.step).toEqual([0, 10]);
    const samples = readFileSync(join(dir, 'samples.txt'), 'utf8');
    expect(samples.match(/--- sample \d/g)).toHaveLength(3);
    expect(samples).toBe(await writeSamples(dir)); // reproducible from the seeds
  }, 120_000);
});

describe("the trainer's forward pass equals the inference engine's", () => {
  const base: Config = {
    dim: 32,
    hiddenDim: 48,
    nLayers: 2,
    nHeads: 4,
    nKvHeads: 2,
    vocabSize: 67,
    seqLen: 24,
    sharedClassifier: true,
    normEps: 1e-5,
    ropeBase: 10000,
    norm: 'rmsnorm',
    ffn: 'swiglu',
    activation: 'silu',
    position: 'rope',
  };
  const variants: [string, Partial<Config>][] = [
    ['main', {}],
    ['layernorm', { norm: 'layernorm' }],
    ['gelu-mlp', { ffn: 'mlp', activation: 'gelu', sharedClassifier: false }],
    ['mqa', { nKvHeads: 1 }],
    ['nope', { position: 'none' }],
  ];
  for (const [name, over] of variants) {
    it(name, () => {
      const config = { ...base, ...over };
      const T = config.seqLen;
      const m = new TrainModel(config, 1, T, kernelsFor('wasm'));
      const rng = new Rng(9);
      for (const t of m.layout.tensors)
        for (let i = 0; i < t.size; i++)
          m.params[t.offset + i] = t.decay ? 0.2 * rng.normal() : 1 + 0.1 * rng.normal();
      const tokens = Int32Array.from({ length: T }, () => rng.int(config.vocabSize));
      m.forward(tokens);
      const r = { config, layout: m.layout, params: m.params as Float32Array } as Parameters<
        typeof modelOf
      >[0];
      const engine = createCpuBackend(modelOf(r));
      const out = engine.forwardPromptSync(Array.from(tokens), 0, { allLogits: true });
      const all = out.allLogits!;
      let worst = 0;
      for (let i = 0; i < all.length; i++) worst = Math.max(worst, Math.abs(all[i] - m.logits[i]));
      expect(worst).toBeLessThan(1e-4);
    });
  }
});

describe('config and schedule', () => {
  it('explains bad configs in words', () => {
    expect(() =>
      parseTrainConfig({ model: { dim: 30, hidden_dim: 8, n_layers: 1, n_heads: 4, seq_len: 8 } }),
    ).toThrow(/even head size/);
    expect(() =>
      parseTrainConfig({
        model: { dim: 32, hidden_dim: 8, n_layers: 1, n_heads: 4, n_kv_heads: 3, seq_len: 8 },
      }),
    ).toThrow(/multiple of model.n_kv_heads/);
    expect(() =>
      parseTrainConfig({
        model: { dim: 32, hidden_dim: 8, n_layers: 1, n_heads: 4, seq_len: 8, norm: 'batchnorm' },
      }),
    ).toThrow(/model.norm must be one of/);
    expect(() =>
      parseTrainConfig({
        model: { dim: 32, hidden_dim: 8, n_layers: 1, n_heads: 4, seq_len: 8 },
        train: { lr: -1 },
      }),
    ).toThrow(/train.lr/);
    expect(() =>
      parseTrainConfig({
        model: { dim: 32, hidden_dim: 8, n_layers: 1, n_heads: 4, seq_len: 8 },
        train: { stepz: 1 },
      }),
    ).toThrow(/unknown field train.stepz/);
    expect(() => parseTrainConfig([])).toThrow(/JSON object/);
  });

  it('warms up linearly and decays by a cosine to 10% of the peak', () => {
    const s = cfg({ steps: 100, warmup_steps: 10, lr: 0.001 }).train;
    expect(learningRate(s, 0)).toBeCloseTo(0.0001, 12);
    expect(learningRate(s, 9)).toBeCloseTo(0.001, 12);
    expect(learningRate(s, 55)).toBeCloseTo(0.00055, 12);
    expect(learningRate(s, 100)).toBeCloseTo(0.0001, 12);
  });
});
