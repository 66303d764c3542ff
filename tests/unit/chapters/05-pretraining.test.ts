// Chapter 5's numbers and formulas: parameter counts and tokens per parameter of the family
// against the figures in docs/reference/llama-facts.md, 6ND against the Llama 3 paper's FLOPs,
// cross-entropy and bits per character against the trainer's loss, the AdamW update and the
// schedule against the trainer's own, the recipe presets, the memory check, the data checks,
// the tokenizer figure's merges and the chart builders.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AdamW, learningRate } from '$train/adamw.ts';
import { trainBpe } from '$train/bpe.ts';
import { parseTrainConfig } from '$train/config.ts';
import { makeLayout } from '$train/layout.ts';
import {
  CHINCHILLA_TOKENS_PER_PARAM,
  FAMILY,
  LLAMA1_MIXTURE,
  adamwStep,
  bitsPerChar,
  crossEntropy,
  llamaParams,
  scheduledLr,
  tokensPerParam,
  trainingFlops,
  vocabShare,
} from '../../../chapters/05-pretraining/math.ts';
import { checkText, decodeTextFile, minChars } from '../../../chapters/05-pretraining/data.ts';
import {
  MAIN_RECIPE,
  PRESETS,
  TWO_MINUTES,
  checkMemory,
  trainConfigOf,
} from '../../../chapters/05-pretraining/recipe.ts';
import {
  charsPerToken,
  mergesOf,
  splitIntoPieces,
  withMerges,
} from '../../../chapters/05-pretraining/tokenizer.ts';
import { chapter } from '../../../chapters/05-pretraining/chapter.ts';

const corpus = readFileSync(
  fileURLToPath(new URL('../../../assets/data/tinyshakespeare.txt', import.meta.url)),
  'utf8',
);
const model = (name: string) => FAMILY.find((f) => f.name === name)!;

describe('the data and the family', () => {
  it('LLaMA 1 mixture sums to 100%', () => {
    expect(LLAMA1_MIXTURE.reduce((a, r) => a + r.proportion, 0)).toBeCloseTo(1, 10);
  });

  it('parameter counts match the model names', () => {
    const billions = (n: string) => llamaParams(model(n).shape) / 1e9;
    expect(billions('LLaMA 1 7B')).toBeCloseTo(6.74, 2);
    expect(billions('LLaMA 1 65B')).toBeCloseTo(65.3, 0);
    expect(billions('Llama 2 70B')).toBeCloseTo(69.0, 0);
    expect(billions('Llama 3 8B')).toBeCloseTo(8.03, 2);
    expect(billions('Llama 3.1 405B')).toBeGreaterThan(400);
    expect(billions('Llama 3.1 405B')).toBeLessThan(410);
  });

  it('tokens per parameter: about 140 for LLaMA 1 7B, about 1,900 for Llama 3 8B, all above Chinchilla', () => {
    const r = (n: string) => tokensPerParam(model(n).tokens, llamaParams(model(n).shape));
    expect(r('LLaMA 1 7B')).toBeGreaterThan(140);
    expect(r('LLaMA 1 7B')).toBeLessThan(155);
    expect(r('Llama 3 8B')).toBeGreaterThan(1800);
    expect(r('Llama 3 8B')).toBeLessThan(1950);
    for (const f of FAMILY) expect(r(f.name)).toBeGreaterThan(CHINCHILLA_TOKENS_PER_PARAM);
    // the least over-trained is LLaMA 1 65B, close to the rule
    const least = FAMILY.reduce((a, b) => (r(a.name) < r(b.name) ? a : b));
    expect(least.name).toBe('LLaMA 1 65B');
    expect(r('LLaMA 1 65B')).toBeLessThan(25);
  });

  it('6ND for Llama 3.1 405B on 15.6T tokens is the paper’s 3.8e25 FLOPs', () => {
    const c = trainingFlops(llamaParams(model('Llama 3.1 405B').shape), 15.6e12);
    expect(c / 1e25).toBeCloseTo(3.8, 1);
    // the quiz: 7B on 2T
    expect(trainingFlops(7e9, 2e12)).toBeCloseTo(8.4e22, -20);
  });

  it('the vocabulary share: about 3.9% in Llama 2 7B, about 13% in Llama 3 8B', () => {
    expect(vocabShare(model('Llama 2 7B').shape)).toBeCloseTo(0.039, 3);
    expect(vocabShare(model('Llama 3 8B').shape)).toBeCloseTo(0.131, 2);
    expect(2 * 128256 * 4096).toBeCloseTo(1.05e9, -7);
  });
});

describe('the loss', () => {
  it('cross-entropy is -log softmax at the target, ln V for equal logits, and 0 only in the limit', () => {
    const z = [1, 2, 3, 0.5];
    const p = z.map((v) => Math.exp(v)).map((e, _, a) => e / a.reduce((s, x) => s + x, 0));
    expect(crossEntropy(z, 2)).toBeCloseTo(-Math.log(p[2]), 12);
    expect(crossEntropy(new Array(512).fill(0.3), 7)).toBeCloseTo(Math.log(512), 12);
    expect(Math.log(512)).toBeCloseTo(6.24, 2);
    expect(crossEntropy([0, 0, 30], 2)).toBeGreaterThan(0);
    expect(crossEntropy([0, 0, 30], 2)).toBeLessThan(1e-12);
  });

  it('its gradient is softmax minus one-hot (finite differences)', () => {
    const z = [0.3, -1.2, 2.0, 0.7];
    const h = 1e-6;
    const sum = z.reduce((s, v) => s + Math.exp(v), 0);
    for (let v = 0; v < z.length; v++) {
      const up = [...z];
      up[v] += h;
      const dn = [...z];
      dn[v] -= h;
      const fd = (crossEntropy(up, 1) - crossEntropy(dn, 1)) / (2 * h);
      expect(fd).toBeCloseTo(Math.exp(z[v]) / sum - (v === 1 ? 1 : 0), 6);
    }
  });

  it('bits per character: total nats / ln 2 / characters', () => {
    expect(bitsPerChar(Math.LN2 * 100, 50)).toBeCloseTo(2, 12);
  });
});

describe('AdamW and the schedule, as the trainer applies them', () => {
  it('the per-parameter formula equals the trainer’s AdamW (decay on matrices only)', () => {
    const tc = parseTrainConfig({
      model: { dim: 8, hidden_dim: 8, n_layers: 1, n_heads: 1, seq_len: 4 },
      vocab_size: 260,
      train: { weight_decay: 0.1, grad_clip: 0 },
    });
    const config = { ...tc.model, vocabSize: 260 };
    const layout = makeLayout(config);
    const opt = new AdamW(layout, tc.train);
    const params = new Float32Array(layout.total).map((_, i) => Math.sin(i));
    const start = Float64Array.from(params);
    const state = Array.from({ length: layout.total }, () => ({ m: 0, v: 0 }));
    const theta = Array.from(start);
    for (let t = 1; t <= 3; t++) {
      const g = new Float32Array(layout.total).map((_, i) => Math.cos(i * t) * 0.01);
      opt.step(params, g, 1e-3);
      for (const ten of layout.tensors) {
        for (let i = ten.offset; i < ten.offset + ten.size; i++) {
          const r = adamwStep(theta[i], g[i], state[i], t, {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.95,
            eps: 1e-8,
            weightDecay: ten.decay ? 0.1 : 0,
          });
          theta[i] = Math.fround(r.theta);
          state[i] = r.state;
        }
      }
    }
    for (let i = 0; i < layout.total; i++) expect(params[i]).toBeCloseTo(theta[i], 6);
    // beta2 0.95 forgets in about 1 / (1 - 0.95) = 20 steps
    expect(1 / (1 - tc.train.beta2)).toBeCloseTo(20, 10);
  });

  it('warm-up then cosine equals the trainer’s learningRate, from lr/W up to the peak and down to 10%', () => {
    const s = { lr: 3e-3, warmupSteps: 50, steps: 600, minLrRatio: 0.1 };
    const tc = parseTrainConfig({
      model: { dim: 8, hidden_dim: 8, n_layers: 1, n_heads: 1, seq_len: 4 },
      train: { lr: 3e-3, warmup_steps: 50, steps: 600 },
    });
    for (const it of [0, 10, 49, 50, 51, 300, 599, 600])
      expect(scheduledLr(it, s)).toBeCloseTo(learningRate(tc.train, it), 15);
    expect(scheduledLr(49, s)).toBeCloseTo(3e-3, 15);
    expect(scheduledLr(600, s)).toBeCloseTo(3e-4, 15);
  });
});

describe('the lab’s recipe, memory budget and data', () => {
  it('presets parse with the trainer’s own parser; the main preset is scripts/train/main.json', () => {
    for (const p of PRESETS) expect(() => trainConfigOf(p.recipe, 2)).not.toThrow();
    const main = JSON.parse(
      readFileSync(
        fileURLToPath(new URL('../../../scripts/train/main.json', import.meta.url)),
        'utf8',
      ),
    );
    const tc = trainConfigOf(MAIN_RECIPE, 2);
    expect(tc).toEqual(parseTrainConfig(main));
    expect(() => trainConfigOf({ ...TWO_MINUTES, nHeads: 3 }, 1)).toThrow(/config:/);
  });

  it('a model too large for the page gets a message saying what fits, which itself fits', () => {
    expect(checkMemory(trainConfigOf(TWO_MINUTES, 2)).ok).toBe(true);
    const big = trainConfigOf(
      { ...TWO_MINUTES, dim: 512, hiddenDim: 1376, nHeads: 8, nKvHeads: 8, batchSize: 64 },
      2,
    );
    const c = checkMemory(big);
    expect(c.ok).toBe(false);
    if (c.ok) return;
    const m = /a batch of at most (\d+) sequences/.exec(c.message);
    expect(m, c.message).not.toBeNull();
    const fits = { ...big, train: { ...big.train, batchSize: Number(m![1]) } };
    expect(checkMemory(fits).ok).toBe(true);
    const over = { ...big, train: { ...big.train, batchSize: Number(m![1]) + 2 } };
    expect(checkMemory(over).ok).toBe(false);
    // no batch fits: a narrower model that does is named, and it fits
    const wide = trainConfigOf({ ...TWO_MINUTES, dim: 2048 }, 1);
    const w = checkMemory(wide);
    expect(w.ok).toBe(false);
    if (w.ok) return;
    const d = /dim (\d+) \(FFN hidden (\d+)\) fits/.exec(w.message);
    expect(d, w.message).not.toBeNull();
    const narrower = { ...TWO_MINUTES, dim: Number(d![1]), hiddenDim: Number(d![2]) };
    expect(checkMemory(trainConfigOf(narrower, 1)).ok).toBe(true);
    // nothing of this depth fits
    const huge = trainConfigOf(
      { ...TWO_MINUTES, dim: 4096, hiddenDim: 11008, nHeads: 32, nKvHeads: 32, nLayers: 32 },
      1,
    );
    const h = checkMemory(huge);
    expect(h.ok).toBe(false);
    if (!h.ok) expect(h.message).toMatch(/nothing this deep fits/);
  });

  it('refuses empty, binary and too-short text in words', () => {
    expect(checkText('   \n')).toEqual({ ok: false, message: 'the text is empty.' });
    const bin = checkText('ab\u0000\u0001\u0002'.repeat(1000));
    expect(bin.ok).toBe(false);
    if (!bin.ok) expect(bin.message).toMatch(/looks binary/);
    const short = checkText('To be or not to be.', 'The pasted text', 128);
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.message).toMatch(/too short: 19 characters.*at least 5,120/);
    expect(checkText(corpus.slice(0, minChars(128)), 'x', 128).ok).toBe(true);
    const notUtf8 = decodeTextFile('a.bin', Uint8Array.of(0xff, 0xfe, 0x00, 0x80));
    expect(notUtf8.ok).toBe(false);
    if (!notUtf8.ok) expect(notUtf8.message).toMatch(/a\.bin is not UTF-8 text/);
  });
});

describe('the live tokenizer', () => {
  const text = corpus.slice(0, 20_000);
  const small = trainBpe(text, { vocabSize: 300 });
  const big = trainBpe(text, { vocabSize: 700 });

  it('merges come first, in the order learned, each of two or more characters', () => {
    const merges = mergesOf(big);
    expect(merges.length).toBeGreaterThan(100);
    for (const m of merges) expect(Array.from(m).length).toBeGreaterThanOrEqual(2);
    // with no merges a sentence is single characters
    const none = splitIntoPieces(withMerges(big, 0), ' the king');
    expect(none.map((p) => p.text)).toEqual([' ', 't', 'h', 'e', ' ', 'k', 'i', 'n', 'g']);
    // with all of them the pieces are the encoder's own, and they spell the sentence
    const all = splitIntoPieces(withMerges(big, merges.length), ' the king');
    expect(all.map((p) => p.text).join('')).toBe(' the king');
    expect(all.length).toBeLessThan(none.length);
  });

  it('a bigger vocabulary gives more characters per token', () => {
    expect(charsPerToken(big, text)).toBeGreaterThan(charsPerToken(small, text));
  });
});

describe('the chapter', () => {
  it('has speaker notes on every block and the parts of a chapter', () => {
    for (const b of chapter.blocks) expect(b.notes, b.id).toBeTruthy();
    const kinds = new Set(chapter.blocks.map((b) => b.kind));
    for (const k of ['prose', 'derivation', 'figure', 'misconception', 'quiz', 'references'])
      expect(kinds.has(k as never), k).toBe(true);
    for (const q of chapter.blocks.flatMap((b) => (b.kind === 'quiz' ? b.questions : [])))
      expect(q.answer).toBeLessThan(q.choices.length);
  });
});
