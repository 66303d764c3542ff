// SentencePiece-style BPE with byte fallback, exactly as llama2.c's run.c encodes and decodes
// (docs/reference/llama2c-format.md section 5). Pieces are handled as bytes, not JS strings:
// a piece may be a lone UTF-8 byte (<0xF0>) or any byte string, and run.c compares bytes.
//
// tokenizer.bin: uint32 max_token_length, then vocab_size x (float32 score, int32 len, len bytes).
// The count is not stored: the model's vocab_size says how many entries to read; trailing data is
// ignored, as run.c does.

import { LIMITS } from './checkpoint.ts';
import { TokenizerError } from './errors.ts';

export const BOS = 1;
export const EOS = 2;
/** Byte b falls back to token id b + 3 (ids 3..258 are <0x00>..<0xFF> in the Llama-2 layout). */
export const BYTE_FALLBACK_OFFSET = 3;

export interface Tokenizer {
  readonly vocabSize: number;
  /** From the file header; only sized run.c's scratch buffer, kept for writing back. */
  readonly maxTokenLength: number;
  /** Piece bytes per id (C strings: cut at a NUL byte, as run.c's strcmp/printf see them). */
  readonly pieces: readonly Uint8Array[];
  /** Merge scores per id (float32, as run.c reads them). */
  readonly scores: Float32Array;
  /** Bytes of the file after the last entry read (ignored, like run.c; reported for warnings). */
  readonly trailingBytes: number;
  /** Byte string (one char per byte, 0..255) -> id; on duplicates the lowest id wins. */
  readonly lookup: ReadonlyMap<string, number>;
  /** Pieces as byte strings (one char per byte), for concatenation during merges. */
  readonly keys: readonly string[];
}

/** Bytes as a "byte string": one UTF-16 code unit per byte. Exact for any byte sequence. */
function byteString(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return s;
}

/** Cut at the first NUL: run.c's pieces are C strings. */
function cString(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

function makeTokenizer(
  pieces: Uint8Array[],
  scores: Float32Array,
  maxTokenLength: number,
  trailingBytes: number,
): Tokenizer {
  const keys = pieces.map(byteString);
  const lookup = new Map<string, number>();
  keys.forEach((k, id) => {
    if (!lookup.has(k)) lookup.set(k, id);
  });
  return { vocabSize: pieces.length, maxTokenLength, pieces, scores, trailingBytes, lookup, keys };
}

/**
 * Read a tokenizer.bin for a model with `vocabSize` tokens. Piece bytes are views into `data`.
 * A file shorter than the vocab, or an entry whose length runs past the end, is a TokenizerError.
 */
export function parseTokenizer(data: ArrayBuffer | Uint8Array, vocabSize: number): Tokenizer {
  if (!Number.isInteger(vocabSize) || vocabSize <= 0 || vocabSize > LIMITS.vocabSize) {
    throw new TokenizerError('tok_vocab_size', { limit: LIMITS.vocabSize, got: vocabSize });
  }
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength;
  if (n < 4) {
    throw new TokenizerError('tok_truncated_header', { got: n });
  }
  const maxTokenLength = view.getInt32(0, true);
  if (maxTokenLength < 0) {
    throw new TokenizerError('tok_negative_max_length', { got: maxTokenLength });
  }
  const pieces: Uint8Array[] = new Array<Uint8Array>(vocabSize);
  const scores = new Float32Array(vocabSize);
  let at = 4;
  for (let id = 0; id < vocabSize; id++) {
    if (at === n) {
      throw new TokenizerError('tok_too_few_pieces', { pieces: id, vocab: vocabSize });
    }
    if (at + 8 > n) {
      throw new TokenizerError('tok_truncated_entry', { id, at, got: n - at });
    }
    scores[id] = view.getFloat32(at, true);
    const len = view.getInt32(at + 4, true);
    at += 8;
    if (len < 0) {
      throw new TokenizerError('tok_negative_length', { id, length: len });
    }
    if (at + len > n) {
      throw new TokenizerError('tok_truncated_piece', { id, length: len, left: n - at });
    }
    pieces[id] = cString(bytes.subarray(at, at + len));
    at += len;
  }
  return makeTokenizer(pieces, scores, maxTokenLength, n - at);
}

/**
 * Serialize pieces and scores as tokenizer.bin (for the trainer). Pieces must be unique and free
 * of NUL bytes (run.c treats them as C strings); max_token_length is the longest piece in bytes.
 */
export function writeTokenizer(
  pieces: readonly (string | Uint8Array)[],
  scores: ArrayLike<number>,
): ArrayBuffer {
  if (pieces.length !== scores.length) {
    throw new TokenizerError(`writeTokenizer: ${pieces.length} pieces but ${scores.length} scores`);
  }
  const enc = new TextEncoder();
  const raw = pieces.map((p) => (typeof p === 'string' ? enc.encode(p) : p));
  const seen = new Map<string, number>();
  raw.forEach((b, id) => {
    if (b.includes(0)) throw new TokenizerError(`writeTokenizer: piece ${id} contains a NUL byte`);
    const key = byteString(b);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new TokenizerError(`writeTokenizer: pieces ${other} and ${id} are the same bytes`);
    }
    seen.set(key, id);
    if (!Number.isFinite(scores[id]) && scores[id] !== -Infinity) {
      throw new TokenizerError(`writeTokenizer: score of piece ${id} is ${scores[id]}`);
    }
  });
  const total = 4 + raw.reduce((s, b) => s + 8 + b.length, 0);
  const out = new ArrayBuffer(total);
  const view = new DataView(out);
  const bytes = new Uint8Array(out);
  view.setUint32(
    0,
    raw.reduce((m, b) => Math.max(m, b.length), 0),
    true,
  );
  let at = 4;
  raw.forEach((b, id) => {
    view.setFloat32(at, scores[id], true);
    view.setInt32(at + 4, b.length, true);
    bytes.set(b, at + 8);
    at += 8 + b.length;
  });
  return out;
}

const utf8 = new TextEncoder();

/** Text as run.c sees its C string: UTF-8 bytes, cut at a NUL. */
function textBytes(text: string | Uint8Array): Uint8Array {
  return cString(typeof text === 'string' ? utf8.encode(text) : text);
}

/** The float32 start value of run.c's merge search; pieces scoring <= it never merge. */
const MERGE_FLOOR = Math.fround(-1e10);

/**
 * Encode text as run.c's encode(): optional BOS, the dummy-prefix " " piece (looked up, not
 * hard-coded) when the text is non-empty, one token per UTF-8 chunk of at most 4 bytes or its bytes
 * as ids b+3, then merges of the adjacent pair with the highest score (strict >, leftmost wins),
 * optional EOS.
 */
export function encode(
  tok: Tokenizer,
  text: string | Uint8Array,
  bos: boolean,
  eos: boolean,
): number[] {
  const bytes = textBytes(text);
  const tokens: number[] = [];
  if (bos) tokens.push(BOS);
  if (bytes.length > 0) {
    const prefix = tok.lookup.get(' ');
    if (prefix === undefined) {
      throw new TokenizerError('tok_no_space_piece', {});
    }
    tokens.push(prefix);
  }
  // Step 1: code points (chunks of one lead byte and up to 3 continuation bytes) or raw bytes.
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const next = i + 1 < bytes.length ? bytes[i + 1] : 0;
    if ((next & 0xc0) === 0x80 && i + 1 - start < 4) continue;
    const chunk = bytes.subarray(start, i + 1);
    const id = tok.lookup.get(byteString(chunk));
    if (id !== undefined) {
      tokens.push(id);
    } else {
      for (const b of chunk) {
        const fallback = b + BYTE_FALLBACK_OFFSET;
        if (fallback >= tok.vocabSize) {
          throw new TokenizerError('tok_byte_fallback', {
            byte: b.toString(16).padStart(2, '0'),
            id: fallback,
            vocab: tok.vocabSize,
          });
        }
        tokens.push(fallback);
      }
    }
    start = i + 1;
  }
  mergePairs(tok, tokens);
  if (eos) tokens.push(EOS);
  return tokens;
}

/**
 * run.c's merge loop. Rather than re-looking-up every pair after each merge (run.c's O(n^2)
 * lookups), keep each pair's candidate (id, score) and refresh only the two pairs a merge touches;
 * the choice per step is the same: highest score, strict >, from -1e10, leftmost on ties.
 */
function mergePairs(tok: Tokenizer, tokens: number[]): void {
  const pairId: number[] = [];
  const pairScore: number[] = [];
  const refresh = (i: number) => {
    const id = tok.lookup.get(tok.keys[tokens[i]] + tok.keys[tokens[i + 1]]);
    pairId[i] = id ?? -1;
    pairScore[i] = id === undefined ? -Infinity : tok.scores[id];
  };
  for (let i = 0; i + 1 < tokens.length; i++) refresh(i);
  for (;;) {
    let best = MERGE_FLOOR;
    let bestIdx = -1;
    for (let i = 0; i + 1 < tokens.length; i++) {
      if (pairId[i] !== -1 && pairScore[i] > best) {
        best = pairScore[i];
        bestIdx = i;
      }
    }
    if (bestIdx === -1) return;
    // tokens[k], tokens[k+1] -> merged; pair k-1 and pair k now see a new token, the old pair k+1
    // shifts down to index k (and is refreshed there), later pairs shift down unchanged.
    tokens[bestIdx] = pairId[bestIdx];
    tokens.splice(bestIdx + 1, 1);
    pairId.splice(bestIdx, 1);
    pairScore.splice(bestIdx, 1);
    if (bestIdx > 0) refresh(bestIdx - 1);
    if (bestIdx + 1 < tokens.length) refresh(bestIdx);
  }
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/** C isspace in the C locale: space, \t \n \v \f \r. */
function isCSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/**
 * run.c's `sscanf(piece, "<0x%02hhX>", &b) == 1`: the literal "<0x", then %X with width 2 (after
 * skipping white space: an optional sign and 1-2 hex digits), stored as an unsigned char. The
 * closing '>' is not checked. (glibc's acceptance of a "0x" prefix inside the field is not copied:
 * no tokenizer has such a piece.) Returns the byte or -1.
 */
export function scanBytePiece(piece: Uint8Array): number {
  if (piece.length < 4 || piece[0] !== 0x3c || piece[1] !== 0x30 || piece[2] !== 0x78) return -1;
  let i = 3;
  while (i < piece.length && isCSpace(piece[i])) i++;
  let width = 2;
  let sign = 1;
  if (i < piece.length && (piece[i] === 0x2b || piece[i] === 0x2d)) {
    sign = piece[i] === 0x2d ? -1 : 1;
    i++;
    width--;
  }
  let value = 0;
  let digits = 0;
  while (width > 0 && i < piece.length && isHex(piece[i])) {
    value = value * 16 + parseInt(String.fromCharCode(piece[i]), 16);
    i++;
    width--;
    digits++;
  }
  if (digits === 0) return -1;
  return (sign * value) & 0xff;
}

function checkId(tok: Tokenizer, token: number): void {
  if (!Number.isInteger(token) || token < 0 || token >= tok.vocabSize) {
    throw new TokenizerError('tok_id_out_of_range', { id: token, vocab: tok.vocabSize });
  }
}

const EMPTY = new Uint8Array(0);
const BYTE_PIECES = Array.from({ length: 256 }, (_, b) => (b === 0 ? EMPTY : Uint8Array.of(b)));

/**
 * run.c's decode(prev, token): the piece's bytes, minus one leading space after BOS, and a
 * <0xHH> piece as its raw byte (byte 0 gives nothing, as a C string would).
 */
export function decode(tok: Tokenizer, prev: number, token: number): Uint8Array {
  checkId(tok, token);
  let piece = tok.pieces[token];
  if (prev === BOS && piece[0] === 0x20) piece = piece.subarray(1);
  const b = scanBytePiece(piece);
  return b >= 0 ? BYTE_PIECES[b] : piece;
}

/**
 * run.c's safe_printf filter: an empty piece prints nothing, and a single-byte piece prints only
 * if isprint or isspace (C locale). Lone UTF-8 bytes (>= 0x80) therefore never reach run.c's stdout.
 */
export function safePiece(piece: Uint8Array): Uint8Array {
  if (piece.length === 1) {
    const b = piece[0];
    if (!((b >= 0x20 && b <= 0x7e) || isCSpace(b))) return EMPTY;
  }
  return piece;
}

/**
 * Turns a stream of tokens into text for people: byte-fallback tokens are joined back into real
 * UTF-8 (so an emoji split into 4 byte tokens shows as the emoji), invalid sequences become U+FFFD.
 * `push` returns the text completed so far (possibly '' while a character is incomplete).
 */
export class StreamingDecoder {
  readonly #tok: Tokenizer;
  #decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(tok: Tokenizer) {
    this.#tok = tok;
  }

  push(prev: number, token: number): string {
    return this.#decoder.decode(decode(this.#tok, prev, token), { stream: true });
  }

  /** Text of any incomplete character left at the end (as U+FFFD); resets the stream. */
  flush(): string {
    const s = this.#decoder.decode();
    this.#decoder = new TextDecoder('utf-8', { fatal: false });
    return s;
  }
}

/**
 * The bytes run.c's generate() prints for a token sequence: decode(prev, next) filtered by
 * safe_printf for every token after the first, stopping before a BOS, then a final "\n".
 */
export function runcPrintedBytes(tok: Tokenizer, ids: readonly number[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === BOS) break;
    parts.push(safePiece(decode(tok, ids[i - 1], ids[i])));
  }
  parts.push(Uint8Array.of(0x0a));
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A piece as readable text for tables and tooltips (UTF-8 with U+FFFD for broken bytes). */
export function pieceText(tok: Tokenizer, id: number): string {
  checkId(tok, id);
  return new TextDecoder('utf-8', { fatal: false }).decode(tok.pieces[id]);
}
