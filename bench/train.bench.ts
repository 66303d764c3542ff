// Trainer throughput: training tokens per second of full optimiser steps (forward, backward,
// gradient reduction, AdamW) at the stories260K shape the PyTorch yardstick was measured at
// (dim 64, 5 layers, 8 heads, 4 KV heads, hidden 172, character-level vocabulary of 65,
// sequences of 256): PyTorch 1.13 on both cores of this machine did about 11,000 tokens/s.
// Also the shipped main model's shape (4 heads of 16, 2 KV heads, hidden 176, vocabulary 512).
import type { Config } from '$engine/types.ts';
import { AdamW, learningRate } from '$train/adamw.ts';
import { parseTrainConfig } from '$train/config.ts';
import type { KernelKind } from '$train/kernels.ts';
import { makeLayout } from '$train/layout.ts';
import { nodeSpawn } from '$train/node-spawn.ts';
import { createEngine } from '$train/replica.ts';
import { Rng } from '$train/rng.ts';
import { initParams } from '$train/trainer.ts';
import { median, round, type Report } from './report.ts';

const stories260k: Config = {
  dim: 64,
  hiddenDim: 172,
  nLayers: 5,
  nHeads: 8,
  nKvHeads: 4,
  vocabSize: 65,
  seqLen: 256,
  sharedClassifier: true,
  normEps: 1e-5,
  ropeBase: 10000,
  norm: 'rmsnorm',
  ffn: 'swiglu',
  activation: 'silu',
  position: 'rope',
};
const mainShape: Config = {
  ...stories260k,
  nHeads: 4,
  nKvHeads: 2,
  hiddenDim: 176,
  vocabSize: 512,
};

async function tokensPerSecond(
  config: Config,
  workers: number,
  kernels: KernelKind,
  B: number,
  steps: number,
): Promise<number[]> {
  const T = config.seqLen;
  const settings = parseTrainConfig({
    model: { dim: 8, hidden_dim: 8, n_layers: 1, n_heads: 1, seq_len: 2 },
    train: { batch_size: B, workers },
  }).train;
  const engine = createEngine({ config, B, T, workers, kernels, spawn: nodeSpawn });
  try {
    const layout = makeLayout(config);
    initParams(layout, config, engine.params, 1, 0.02);
    const opt = new AdamW(layout, settings);
    const rng = new Rng(2);
    const rates: number[] = [];
    for (let it = 0; it < steps + 2; it++) {
      for (let i = 0; i < B * T; i++) {
        engine.inputs[i] = rng.int(config.vocabSize);
        engine.targets[i] = rng.int(config.vocabSize);
      }
      const t0 = performance.now();
      await engine.computeGradients(1 / (B * T));
      opt.step(engine.params, engine.grads, learningRate(settings, it));
      const s = (performance.now() - t0) / 1000;
      if (it >= 2) rates.push((B * T) / s); // the first steps compile and warm up
    }
    return rates;
  } finally {
    await engine.close();
  }
}

export default async function (report: Report): Promise<void> {
  for (const [name, config] of [
    ['stories260K shape (vocab 65)', stories260k],
    ['main model shape (vocab 512)', mainShape],
  ] as const) {
    const two = await tokensPerSecond(config, 2, 'wasm', 16, 6);
    report({
      name: `train ${name}, 2 workers, SIMD`,
      median: round(median(two)),
      unit: 'tokens/s',
      note: 'batch 16 x 256; PyTorch 2 cores: ~11000',
    });
    const one = await tokensPerSecond(config, 1, 'wasm', 8, 4);
    report({
      name: `train ${name}, 1 thread, SIMD`,
      median: round(median(one)),
      unit: 'tokens/s',
      note: 'batch 8 x 256',
    });
  }
  const js = await tokensPerSecond(stories260k, 1, 'js', 2, 2);
  report({
    name: 'train stories260K shape, 1 thread, plain JS kernels',
    median: round(median(js)),
    unit: 'tokens/s',
    note: 'batch 2 x 256',
  });
}
