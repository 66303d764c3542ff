// The shipped models in assets/models: each loads through the engine's loaders, matches its
// sidecar and metrics, and the main model is a classic llama2.c file that generates
// Shakespeare-shaped text and scores what its meta.json says on the validation text.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { encodePrompt, generateAll } from '$engine/generate.ts';
import { BOS, parseTokenizer } from '$engine/tokenizer.ts';
import { CorpusEncoder } from '$train/bpe.ts';
import { splitText } from '$train/data.ts';

const assets = fileURLToPath(new URL('../../../assets/models/', import.meta.url));
const corpusPath = fileURLToPath(
  new URL('../../../assets/data/tinyshakespeare.txt', import.meta.url),
);
const FILES = [
  'model.bin',
  'model.json',
  'tokenizer.bin',
  'curve.json',
  'meta.json',
  'samples.txt',
];

function load(dir: string) {
  const bin = readFileSync(join(dir, 'model.bin'));
  const sidecar = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const model = parseCheckpoint(bin, sidecar);
  const tok = parseTokenizer(readFileSync(join(dir, 'tokenizer.bin')), model.config.vocabSize);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const curve = JSON.parse(readFileSync(join(dir, 'curve.json'), 'utf8'));
  return { bin, sidecar, model, tok, meta, curve };
}

const names = readdirSync(assets).filter((n) => statSync(join(assets, n)).isDirectory());

describe('every shipped model', () => {
  it('includes the main model', () => expect(names).toContain('main'));
  for (const name of names) {
    it(`${name}: complete, loads, and its metadata agrees with the files`, () => {
      for (const f of FILES) expect(existsSync(join(assets, name, f)), `${name}/${f}`).toBe(true);
      const { model, tok, meta, curve } = load(join(assets, name));
      expect(meta.finished).toBe(true);
      expect(meta.params).toBe(model.nParams);
      expect(meta.config.n_kv_heads).toBe(model.config.nKvHeads);
      expect(meta.config.norm).toBe(model.config.norm);
      expect(meta.config.position).toBe(model.config.position);
      expect(tok.vocabSize).toBe(model.config.vocabSize);
      // the curve ends where the metrics say, after the whole budget
      expect(curve.val.bits_per_char.at(-1)).toBeCloseTo(meta.valBitsPerChar, 3);
      expect(curve.train.step.at(-1)).toBe(meta.train.steps);
      expect(meta.tokensSeen).toBe(meta.train.steps * meta.train.batchSize * model.config.seqLen);
      expect(Number.isFinite(meta.valBitsPerChar)).toBe(true);
    });
  }
});

describe('the main model', () => {
  const dir = join(assets, 'main');
  const { bin, sidecar, model, tok, meta } = load(dir);

  it('is a classic llama2.c (version 0) file that run.c loads unchanged', () => {
    const header = new Int32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + 28));
    const [dim, hidden, layers, heads, kvHeads, vocab, seqLen] = header;
    expect([dim, hidden, layers, heads, kvHeads, vocab, seqLen]).toEqual([
      model.config.dim,
      model.config.hiddenDim,
      model.config.nLayers,
      model.config.nHeads,
      model.config.nKvHeads,
      model.config.vocabSize, // positive: shared classifier
      model.config.seqLen,
    ]);
    // run.c's hard-coded semantics: RMSNorm eps 1e-5, SwiGLU with SiLU, RoPE base 10000
    expect(sidecar).toEqual({
      norm_eps: 1e-5,
      rope_base: 10000,
      norm: 'rmsnorm',
      ffn: 'swiglu',
      activation: 'silu',
      position: 'rope',
    });
    expect(kvHeads).toBeLessThan(heads); // grouped-query attention
    expect(seqLen).toBeGreaterThanOrEqual(256);
    expect(model.nParams).toBeGreaterThanOrEqual(250_000);
    expect(model.nParams).toBeLessThanOrEqual(500_000);
    const bytes = bin.byteLength + statSync(join(dir, 'tokenizer.bin')).size;
    expect(bytes).toBeLessThan(2_000_000);
    // the tokenizer run.c needs: " " for the dummy prefix, byte fallback at 3..258
    expect(tok.lookup.get(' ')).toBeDefined();
    expect(new TextDecoder().decode(tok.pieces[3 + 0x41])).toBe('<0x41>');
  });

  it('reached 2.25 validation bits per character or better', () => {
    expect(meta.valBitsPerChar).toBeLessThanOrEqual(2.25);
  });

  it('scores on the validation text what its metrics say (independently, with the inference engine)', () => {
    // every validation token once, in windows of seq_len after a BOS, as the trainer scores them
    const { val } = splitText(readFileSync(corpusPath, 'utf8'));
    const vocab = {
      pieces: tok.keys.map((k) => Buffer.from(k, 'latin1').toString('utf8')),
      scores: Array.from(tok.scores),
    };
    const ids = new CorpusEncoder(vocab).encode(val);
    const backend = createCpuBackend(model);
    const T = model.config.seqLen;
    const V = model.config.vocabSize;
    let nats = 0;
    for (let w = 0; w < ids.length; w += T) {
      backend.reset();
      const window = Array.from(ids.slice(w, w + T));
      const all = backend.forwardPromptSync([BOS, ...window.slice(0, -1)], 0, {
        allLogits: true,
      }).allLogits!;
      window.forEach((target, t) => {
        const row = all.subarray(t * V, (t + 1) * V);
        let max = -Infinity;
        for (const x of row) max = Math.max(max, x);
        let sum = 0;
        for (const x of row) sum += Math.exp(x - max);
        nats += max + Math.log(sum) - row[target];
      });
    }
    expect(ids.length).toBe(meta.valTokens);
    expect(nats / ids.length).toBeCloseTo(meta.valNatsPerToken, 3);
    expect(nats / Math.LN2 / Array.from(val).length).toBeCloseTo(meta.valBitsPerChar, 3);
  }, 240_000);

  it('generates Shakespeare-shaped text from "ROMEO:"', async () => {
    const backend = createCpuBackend(model);
    const r = await generateAll(backend, {
      promptIds: encodePrompt(tok, 'ROMEO:'),
      steps: 200,
      sampler: { temperature: 0.8, topP: 0.9, topK: 0, seed: 1n },
      tokenizer: tok,
    });
    const text = r.text;
    expect(text.length).toBeGreaterThan(200);
    // printable English: letters, punctuation, line breaks; no byte salad
    const odd = [...text].filter((ch) => !/[A-Za-z0-9 \n.,;:!?'&$-]/.test(ch)).length;
    expect(odd / text.length).toBeLessThan(0.01);
    // line breaks and common English words
    expect(text.split('\n').length).toBeGreaterThan(3);
    const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
    const common = new Set([
      'the',
      'and',
      'i',
      'to',
      'of',
      'my',
      'you',
      'that',
      'a',
      'is',
      'not',
      'me',
      'in',
      'your',
      'with',
      'be',
      'he',
      'his',
      'it',
      'thou',
    ]);
    expect(words.filter((w) => common.has(w)).length / words.length).toBeGreaterThan(0.15);
  });
});

describe('the draft model (speculative decoding, chapter 6)', () => {
  it("shares main's tokenizer byte for byte and is a fraction of its size", () => {
    const d = load(join(assets, 'draft'));
    const m = load(join(assets, 'main'));
    expect(readFileSync(join(assets, 'draft', 'tokenizer.bin'))).toEqual(
      readFileSync(join(assets, 'main', 'tokenizer.bin')),
    );
    expect(d.model.config.vocabSize).toBe(m.model.config.vocabSize);
    expect(d.model.config.seqLen).toBe(m.model.config.seqLen);
    expect(d.model.nParams).toBeLessThan(m.model.nParams / 4);
    // trained with the recipe in scripts/train/draft.json, reusing main's tokenizer
    expect(d.meta.command).toMatch(/--config scripts\/train\/draft\.json/);
    expect(d.meta.command).toMatch(/--tokenizer assets\/models\/main\/tokenizer\.bin/);
    // a smaller model predicts worse, but far better than chance (9 bits for 512 tokens)
    expect(d.meta.valBitsPerChar).toBeGreaterThan(m.meta.valBitsPerChar);
    expect(d.meta.valBitsPerChar).toBeLessThan(3);
  });
});
