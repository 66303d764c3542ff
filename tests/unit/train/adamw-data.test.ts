// AdamW's update (LLaMA recipe: decay on matrices only, bias correction, global-norm clipping) and
// the data pipeline (90/10 split by characters, BOS-prefixed sequences, every validation token once).
import { describe, expect, it } from 'vitest';
import { AdamW } from '$train/adamw.ts';
import { trainBpe } from '$train/bpe.ts';
import { parseTrainConfig } from '$train/config.ts';
import { Dataset, splitText } from '$train/data.ts';
import { makeLayout } from '$train/layout.ts';
import { Rng } from '$train/rng.ts';

const tc = parseTrainConfig({
  model: { dim: 4, hidden_dim: 4, n_layers: 1, n_heads: 2, seq_len: 8 },
  vocab_size: 300,
  train: { weight_decay: 0.1, grad_clip: 1.0 },
});
const config = { ...tc.model, vocabSize: 6 };

describe('AdamW', () => {
  it('first step: decoupled decay on matrices only, then lr * g / |g| (bias-corrected moments)', () => {
    const layout = makeLayout(config);
    const opt = new AdamW(layout, tc.train);
    const params = new Float32Array(layout.total).fill(2);
    const grads = new Float32Array(layout.total);
    grads.forEach((_, i) => (grads[i] = i % 2 ? 1e-3 : -1e-3)); // small: no clipping
    const norm = opt.step(params, grads, 0.01);
    expect(norm).toBeCloseTo(Math.sqrt(layout.total) * 1e-3, 7);
    for (const t of layout.tensors) {
      for (let i = t.offset; i < t.offset + t.size; i += 7) {
        const decayed = t.decay ? 2 - 0.01 * 0.1 * 2 : 2;
        const expected = decayed - 0.01 * Math.sign(grads[i]) * (1e-3 / (1e-3 + 1e-8));
        expect(params[i]).toBeCloseTo(expected, 6);
      }
    }
    const norms = layout.tensors.filter((t) => !t.decay).map((t) => t.name);
    expect(norms.sort()).toEqual(['rmsAtt', 'rmsFfn', 'rmsFinal']);
  });

  it('clips the gradient to global norm 1 and refuses a non-finite gradient', () => {
    const layout = makeLayout(config);
    const a = new AdamW(layout, { ...tc.train, weightDecay: 0 });
    const b = new AdamW(layout, { ...tc.train, weightDecay: 0 });
    const big = new Float32Array(layout.total).fill(3);
    const scaled = big.map((g) => g / AdamW.norm(big));
    const pa = new Float32Array(layout.total);
    const pb = new Float32Array(layout.total);
    // two steps, so the second moment's history matters: clipped big == unit-norm gradient
    for (let s = 0; s < 2; s++) {
      a.step(pa, big, 0.01);
      b.step(pb, scaled, 0.01);
    }
    pa.forEach((p, i) => expect(p).toBeCloseTo(pb[i], 6));
    big[3] = NaN;
    expect(() => a.step(pa, big, 0.01)).toThrow(/not finite/);
  });
});

describe('data', () => {
  const text =
    'First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n'.repeat(
      30,
    ) + 'é😀 end\n';
  const vocab = trainBpe(text, { vocabSize: 300 });

  it('splits at 90% of the characters, the last 10% for validation', () => {
    const { train, val } = splitText(text);
    const n = Array.from(text).length;
    expect(train + val).toBe(text);
    expect(Array.from(train).length).toBe(Math.floor(n * 0.9));
    expect(val.endsWith('é😀 end\n')).toBe(true);
  });

  it('samples BOS + T tokens from line starts, with targets shifted by one', () => {
    const d = new Dataset(splitText(text), vocab, 8);
    const inputs = new Int32Array(4 * 8);
    const targets = new Int32Array(4 * 8);
    d.sample(new Rng(1), 4, inputs, targets);
    for (let b = 0; b < 4; b++) {
      expect(inputs[b * 8]).toBe(1);
      for (let t = 0; t + 1 < 8; t++) expect(inputs[b * 8 + t + 1]).toBe(targets[b * 8 + t]);
    }
  });

  it('covers every validation token exactly once, padding marked -1', () => {
    const d = new Dataset(splitText(text), vocab, 8);
    const seen: number[] = [];
    const inputs = new Int32Array(8);
    const targets = new Int32Array(8);
    let real = 0;
    for (let w = 0; w < d.valWindows; w++) {
      real += d.valWindow(w, 0, inputs, targets);
      expect(inputs[0]).toBe(1);
      for (const t of targets) if (t >= 0) seen.push(t);
    }
    expect(real).toBe(d.valTokens.length);
    expect(seen).toEqual(Array.from(d.valTokens));
  });
});
