// The worker seam (src/train/pool.ts): the same run with gradient workers sharing memory and
// passing messages gives bit-identical weights; a lost worker fails the step in words; stop and
// the step hook (what pause rides on) behave as the page relies on.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '$train/config.ts';
import { nodeSpawn } from '$train/node-spawn.ts';
import { createEngine } from '$train/replica.ts';
import { train } from '$train/trainer.ts';

const text = readFileSync(
  fileURLToPath(new URL('../../../assets/data/tinyshakespeare.txt', import.meta.url)),
  'utf8',
).slice(0, 30_000);

const cfg = (over: Record<string, unknown> = {}) =>
  parseTrainConfig({
    model: { dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, n_kv_heads: 1, seq_len: 16 },
    vocab_size: 280,
    train: {
      batch_size: 4,
      steps: 6,
      lr: 0.01,
      warmup_steps: 2,
      eval_interval: 6,
      seed: 5,
      ...over,
    },
  });

describe('gradient workers through the pool seam', () => {
  it('shared memory and message passing give the same weights and losses', async () => {
    const shared = await train(cfg({ workers: 2 }), text, { spawn: nodeSpawn, sharing: 'shared' });
    const msgs = await train(cfg({ workers: 2 }), text, { spawn: nodeSpawn, sharing: 'messages' });
    expect(Array.from(msgs.params)).toEqual(Array.from(shared.params));
    expect(msgs.curve.train.map((p) => p.loss)).toEqual(shared.curve.train.map((p) => p.loss));
    expect(msgs.curve.val.map((p) => p.loss)).toEqual(shared.curve.val.map((p) => p.loss));
  }, 60_000);

  it('needs a way to start workers when there is more than one', () => {
    const tc = cfg();
    expect(() =>
      createEngine({
        config: { ...tc.model, vocabSize: 280 },
        B: 4,
        T: 16,
        workers: 2,
        kernels: 'js',
      }),
    ).toThrow(/needs a way to start them/);
  });

  it('a worker lost by the host fails the next step in words', async () => {
    let steps = 0;
    const run = train(cfg({ workers: 2, steps: 20, eval_interval: 100 }), text, {
      spawn: nodeSpawn,
      sharing: 'messages',
      onEngine: (e) => setTimeout(() => e.loseWorker?.(1), 0),
      onStep: () => {
        steps++;
      },
    });
    await expect(run).rejects.toThrow(
      /training worker 1 failed: the worker was stopped by the host/,
    );
    expect(steps).toBeLessThan(20);
  }, 60_000);

  it('stops after the step where shouldStop turns true, with a last validation', async () => {
    const seen: number[] = [];
    const r = await train(cfg({ steps: 50, eval_interval: 100, workers: 1 }), text, {
      onStep: async (p) => {
        seen.push(p.step);
        await new Promise((ok) => setTimeout(ok, 1)); // the loop waits for the hook
      },
      shouldStop: () => seen.length >= 3,
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(r.steps).toBe(3);
    expect(r.curve.val.map((p) => p.step)).toEqual([0, 3]);
    expect(Number.isFinite(r.valBitsPerChar)).toBe(true);
  }, 60_000);
});

describe('trainMemory', () => {
  it('counts exactly the floats the trainer allocates', async () => {
    const { modelFloats } = await import('$train/memory.ts');
    const { jsKernels } = await import('$train/kernels.ts');
    const { TrainModel } = await import('$train/model.ts');
    for (const over of [{}, { norm: 'layernorm', ffn: 'mlp' }]) {
      const tc = parseTrainConfig({
        model: {
          dim: 16,
          hidden_dim: 24,
          n_layers: 2,
          n_heads: 4,
          n_kv_heads: 2,
          seq_len: 12,
          ...over,
        },
      });
      const config = { ...tc.model, vocabSize: 300 };
      let floats = 0;
      const k = jsKernels('js');
      new TrainModel(config, 3, 12, {
        ...k,
        alloc: (n) => {
          floats += n;
          return k.alloc(n);
        },
      });
      expect(modelFloats(config, 3, 12)).toBe(floats);
    }
  });
});
