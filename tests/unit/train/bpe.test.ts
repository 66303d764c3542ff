// The BPE trainer: the LLaMA vocabulary layout, a lossless round trip, and agreement of the
// corpus encoder with the engine's run.c encoder (so training data and prompts tokenize alike).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encode, parseTokenizer, writeTokenizer } from '$engine/tokenizer.ts';
import { CorpusEncoder, chunks, decodeBytes, trainBpe } from '$train/bpe.ts';

const corpusPath = fileURLToPath(
  new URL('../../../assets/data/tinyshakespeare.txt', import.meta.url),
);
const corpus = readFileSync(corpusPath, 'utf8');
const excerpt = corpus.slice(0, 60_000);
const vocab = trainBpe(excerpt, { vocabSize: 512 });

describe('trainBpe', () => {
  it('has the Llama 2 layout: <unk>, BOS, EOS, 256 byte pieces, merges scored -rank, single characters', () => {
    const { pieces, scores } = vocab;
    expect(pieces.length).toBe(512);
    expect(pieces.slice(0, 3)).toEqual(['<unk>', '\n<s>\n', '\n</s>\n']);
    expect(pieces[3]).toBe('<0x00>');
    expect(pieces[3 + 0x0a]).toBe('<0x0A>');
    expect(pieces[258]).toBe('<0xFF>');
    expect(scores.slice(0, 259).every((s) => s === 0)).toBe(true);
    for (let i = 259; i < 512; i++) expect(scores[i]).toBe(-(i - 259));
    expect(new Set(pieces).size).toBe(512);
    expect(pieces).toContain(' ');
    // every character of the text is a piece (the excerpt is plain ASCII)
    for (const ch of new Set(excerpt)) expect(pieces).toContain(ch);
    // the first merges are the most frequent pairs of English with a leading space or not
    expect(pieces.slice(259, 300)).toContain(' the');
    expect(pieces.every((p) => !p.includes('\0'))).toBe(true);
  });

  it('is deterministic', () => {
    expect(trainBpe(excerpt.slice(0, 20_000), { vocabSize: 300 })).toEqual(
      trainBpe(excerpt.slice(0, 20_000), { vocabSize: 300 }),
    );
  });

  it('round-trips the whole corpus and compresses it', () => {
    const ids = new CorpusEncoder(vocab).encode(corpus);
    expect(new TextDecoder().decode(decodeBytes(vocab, ids))).toBe(corpus);
    expect(corpus.length / ids.length).toBeGreaterThan(1.7);
  });

  it('falls back to bytes for characters outside the vocabulary, losslessly', () => {
    const text = 'héllo wörld 😀 — ünïcode\n';
    const small = trainBpe('hello world\nhello there\n', { vocabSize: 280 });
    const ids = new CorpusEncoder(small).encode(text);
    expect(ids.some((id) => id >= 3 && id < 259)).toBe(true);
    expect(new TextDecoder().decode(decodeBytes(small, ids))).toBe(text);
  });

  it('gives the same ids as the engine (run.c algorithm) on Shakespeare, so chunking loses nothing', () => {
    const tok = parseTokenizer(writeTokenizer(vocab.pieces, vocab.scores), 512);
    const enc = new CorpusEncoder(vocab);
    const space = vocab.pieces.indexOf(' ');
    for (const start of [0, 12_345, 40_000, 200_000, 700_000]) {
      const text = corpus.slice(start, start + 1500);
      // run.c prepends the " " dummy prefix; the corpus encoder sees it as part of the text
      const ref = encode(tok, text, false, false);
      const ours = Array.from(enc.encode(' ' + text));
      expect(ours).toEqual(ref);
      expect(ref[0] === space || vocab.pieces[ref[0]].startsWith(' ')).toBe(true);
    }
  });

  it('pre-tokenizes into chunks that concatenate back to the text', () => {
    const text =
      'First Citizen:\nBefore we proceed,  any further...\n\nAll:\nSpeak, speak.  123 ok';
    const c = chunks(text);
    expect(c.join('')).toBe(text);
    expect(c).toContain(' proceed');
    expect(c).toContain(':\n');
  });

  it('rejects impossible settings in words', () => {
    expect(() => trainBpe('abc', { vocabSize: 100 })).toThrow(/at least 260/);
    expect(() => trainBpe('', { vocabSize: 300 })).toThrow(/empty/);
  });
});
