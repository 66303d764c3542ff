// The live tokenizer figure's logic (pure, tested): which learned pieces are merges, the
// vocabulary after only the first k merges, and a sentence split into pieces with ids under it.
import { BYTE_OFFSET, CorpusEncoder, type Vocab } from '$train/bpe.ts';

const N_FIXED = BYTE_OFFSET + 256;

/** The merges in the order they were learned (pieces of two or more characters after the bytes). */
export function mergesOf(v: Vocab): string[] {
  const out: string[] = [];
  for (let i = N_FIXED; i < v.pieces.length; i++) {
    if (Array.from(v.pieces[i]).length < 2) break;
    out.push(v.pieces[i]);
  }
  return out;
}

/** The vocabulary as it was after k merges: the fixed pieces, merges 1..k, the characters. */
export function withMerges(v: Vocab, k: number): Vocab {
  const merges = mergesOf(v);
  const chars = v.pieces.slice(N_FIXED + merges.length);
  const kept = merges.slice(0, Math.max(0, Math.min(k, merges.length)));
  const pieces = [...v.pieces.slice(0, N_FIXED), ...kept, ...chars];
  const scores = [...v.scores.slice(0, N_FIXED), ...pieces.slice(N_FIXED).map((_, i) => -i)];
  return { pieces, scores };
}

export interface Piece {
  id: number;
  /** The piece as text; a byte piece as <0xNN>. */
  text: string;
}

export function splitIntoPieces(v: Vocab, sentence: string): Piece[] {
  const ids = new CorpusEncoder(v).encode(sentence);
  return Array.from(ids, (id) => ({ id, text: v.pieces[id] }));
}

/** Characters (code points) per token of a text under a vocabulary. */
export function charsPerToken(v: Vocab, text: string): number {
  const n = new CorpusEncoder(v).encode(text).length;
  return n === 0 ? 0 : Array.from(text).length / n;
}
