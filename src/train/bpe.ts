// LLaMA-style BPE tokenizer trainer with byte fallback, producing a vocabulary that llama2.c's
// run.c encodes with its merge-by-score loop:
//   id 0 "<unk>", 1 BOS "\n<s>\n", 2 EOS "\n</s>\n", 3..258 "<0x00>".."<0xFF>" (score 0),
//   then the learned merges (score -rank, so run.c's highest-score-first loop replays them in the
//   order they were learned), then the single characters (scores continuing below the merges).
//
// Pre-tokenization follows sentencepiece's habit of gluing a space to the front of a word:
// chunks are " word", " 123", " ?!", runs of newlines and runs of other whitespace, and
// punctuation may carry the newlines after it (":\n"). No learned piece spans two chunks, and no
// concatenation of the end of one chunk with the start of the next is a piece, so run.c's encoder,
// which merges over the whole text at once, gives the same ids as merging chunk by chunk (the
// tests check this against the engine's encoder). Merging within a chunk here uses run.c's exact
// rule (best-scoring adjacent pair by concatenated string, leftmost on ties), so encoding a large
// corpus is fast (each distinct chunk is encoded once) and faithful.

import { TrainError } from './errors.ts';

export interface Vocab {
  pieces: string[];
  scores: number[];
}

export interface BpeOptions {
  vocabSize?: number;
  /** Longest merged piece, in UTF-8 bytes. */
  maxPieceBytes?: number;
  /** At most this many single-character pieces (most frequent first); rarer characters fall back to bytes. */
  maxChars?: number;
}

export const UNK = 0;
export const BOS = 1;
export const EOS = 2;
export const BYTE_OFFSET = 3;
const N_FIXED = 3 + 256;

const CHUNK = / ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+\n*|\n+|[^\S\n]+(?!\S)|[^\S\n]+/gu;
const enc = new TextEncoder();

export function byteLength(s: string): number {
  return enc.encode(s).length;
}

/** Split text into pre-tokenization chunks (their concatenation is the text). */
export function chunks(text: string): string[] {
  return text.match(CHUNK) ?? [];
}

function fixedPieces(): string[] {
  const p = ['<unk>', '\n<s>\n', '\n</s>\n'];
  for (let b = 0; b < 256; b++) p.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  return p;
}

/** Train a vocabulary of `vocabSize` pieces on `text`. Deterministic (ties broken by string order). */
export function trainBpe(text: string, opts: BpeOptions = {}): Vocab {
  const vocabSize = opts.vocabSize ?? 512;
  const maxPieceBytes = opts.maxPieceBytes ?? 16;
  if (!Number.isInteger(vocabSize) || vocabSize < N_FIXED + 1) {
    throw new TrainError('train_bpe_vocab_size', { min: N_FIXED + 1, got: vocabSize });
  }
  if (text.length === 0) throw new TrainError('train_bpe_empty_text', {});
  const room = vocabSize - N_FIXED;
  const maxChars = Math.min(opts.maxChars ?? Math.ceil(room / 2), room);

  // Character inventory, most frequent first; " " is always present (run.c's dummy prefix).
  const charCount = new Map<string, number>();
  for (const ch of text) charCount.set(ch, (charCount.get(ch) ?? 0) + 1);
  charCount.delete('\0'); // pieces are C strings: NUL must stay a byte piece
  const chars = [...charCount.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map((e) => e[0])
    .filter((c) => c !== ' ');
  const charSet = [' ', ...chars].slice(0, maxChars);
  const isChar = new Set(charSet);

  // Distinct chunks with counts; each as a list of symbols (characters, or null for a character
  // that will fall back to bytes and so never merges).
  const chunkCount = new Map<string, number>();
  for (const c of chunks(text)) chunkCount.set(c, (chunkCount.get(c) ?? 0) + 1);
  const words: { syms: (string | null)[]; count: number }[] = [];
  for (const [c, count] of chunkCount) {
    words.push({ syms: [...c].map((ch) => (isChar.has(ch) ? ch : null)), count });
  }

  const taken = new Set<string>([...fixedPieces(), ...charSet]);
  const merges: string[] = [];
  const nMerges = room - charSet.length;
  while (merges.length < nMerges) {
    const pairCount = new Map<string, number>();
    const SEP = '\u0001';
    for (const w of words) {
      const s = w.syms;
      for (let i = 0; i + 1 < s.length; i++) {
        const a = s[i];
        const b = s[i + 1];
        if (a === null || b === null) continue;
        const key = a + SEP + b;
        pairCount.set(key, (pairCount.get(key) ?? 0) + w.count);
      }
    }
    let best: string | null = null;
    let bestCount = 0;
    for (const [key, n] of pairCount) {
      const [a, b] = key.split(SEP);
      const joined = a + b;
      if (taken.has(joined) || byteLength(joined) > maxPieceBytes) continue;
      if (n > bestCount || (n === bestCount && best !== null && key < best)) {
        best = key;
        bestCount = n;
      }
    }
    if (best === null || bestCount < 2) break; // nothing left worth merging
    const [a, b] = best.split(SEP);
    const joined = a + b;
    merges.push(joined);
    taken.add(joined);
    for (const w of words) {
      const s = w.syms;
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === a && s[i + 1] === b) s.splice(i, 2, joined);
      }
    }
  }
  // If the text ran out of pairs, the vocabulary gets more single characters instead.
  const extraChars = chars.filter((c) => !isChar.has(c) && !taken.has(c));
  const tail = [...charSet, ...extraChars].slice(0, room - merges.length);
  const pieces = [...fixedPieces(), ...merges, ...tail];
  const scores = [0, 0, 0, ...new Array<number>(256).fill(0)];
  for (let i = 0; i < merges.length + tail.length; i++) scores.push(-i);
  return { pieces, scores };
}

/**
 * Encode text with run.c's algorithm (codepoint pieces or byte fallback, then best-score merges),
 * applied chunk by chunk with a cache. No BOS, EOS or dummy prefix: this is for corpora.
 */
export class CorpusEncoder {
  private readonly ids = new Map<string, number>();
  private readonly scores: number[];
  private readonly pieces: string[];
  private readonly cache = new Map<string, number[]>();

  constructor(vocab: Vocab) {
    this.pieces = vocab.pieces;
    this.scores = vocab.scores;
    vocab.pieces.forEach((p, i) => {
      // byte pieces are matched by id, never by text
      if (i >= BYTE_OFFSET + 256 || i < BYTE_OFFSET) if (!this.ids.has(p)) this.ids.set(p, i);
    });
  }

  encodeChunk(chunk: string): number[] {
    const hit = this.cache.get(chunk);
    if (hit) return hit;
    const toks: number[] = [];
    for (const ch of chunk) {
      const id = this.ids.get(ch);
      if (id !== undefined && id > EOS) toks.push(id);
      else for (const b of enc.encode(ch)) toks.push(b + BYTE_OFFSET);
    }
    for (;;) {
      let bestScore = -1e10;
      let bestId = -1;
      let bestIdx = -1;
      for (let i = 0; i + 1 < toks.length; i++) {
        const id = this.ids.get(this.pieces[toks[i]] + this.pieces[toks[i + 1]]);
        if (id !== undefined && this.scores[id] > bestScore) {
          bestScore = this.scores[id];
          bestId = id;
          bestIdx = i;
        }
      }
      if (bestIdx < 0) break;
      toks.splice(bestIdx, 2, bestId);
    }
    this.cache.set(chunk, toks);
    return toks;
  }

  encode(text: string): Int32Array {
    const out: number[] = [];
    for (const c of chunks(text)) for (const t of this.encodeChunk(c)) out.push(t);
    return Int32Array.from(out);
  }
}

/** The bytes of a token sequence (byte pieces become their byte), as run.c's decode without the BOS rule. */
export function decodeBytes(vocab: Vocab, ids: ArrayLike<number>): Uint8Array {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const b =
      id >= BYTE_OFFSET && id < BYTE_OFFSET + 256
        ? Uint8Array.of(id - BYTE_OFFSET)
        : enc.encode(vocab.pieces[id]);
    parts.push(b);
    n += b.length;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
