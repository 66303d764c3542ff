// A reader's own llama2.c files, sorted out by what they contain, never by their names or sizes
// (llama2.c ships tokenizers named tok512.bin, and a small model can be smaller than a large
// tokenizer): which file is the checkpoint, which the tokenizer, which the optional JSON sidecar.
// A file that is none of them, or a checkpoint shorter than its own header says, is named in a
// message that says what it is. The worker's loader then checks the whole contents; its errors
// are put on the file they concern (`blame`).
import { LIMITS, V1_MAGIC, checkpointBytes } from '../engine/checkpoint.ts';
import type { FfnKind } from '../engine/types.ts';
import { m } from '../paraglide/messages.js';
import { formatDecimal } from './i18n/format.ts';

/** A file as the classifier sees it: its name, size and first bytes (HEAD_BYTES or fewer). */
export interface FileLike {
  name: string;
  size: number;
  head: Uint8Array;
}

export interface FileRoles<F extends FileLike> {
  checkpoint?: F;
  tokenizer?: F;
  sidecar?: F;
  problems: string[];
}

/** How much of each file is read to decide what it is. */
export const HEAD_BYTES = 4096;
/** Largest checkpoint the in-page engine accepts: it must fit in one ArrayBuffer in a worker. */
export const MAX_CHECKPOINT_BYTES = 2 ** 31 - 1;
/** A tokenizer.bin for 32,000 tokens is about 424 KB; anything past 64 MB is not one. */
export const MAX_TOKENIZER_BYTES = 64 * 2 ** 20;
export const MAX_SIDECAR_BYTES = 64 * 1024;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 2 ** 20) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 2 ** 30) return `${(n / 2 ** 20).toFixed(1)} MB`;
  return `${(n / 2 ** 30).toFixed(2)} GB`;
}

function count(n: number): string {
  return formatDecimal(n);
}

export type FileKind =
  | { kind: 'sidecar' }
  | { kind: 'tokenizer' }
  | {
      kind: 'checkpoint';
      version: 0 | 1;
      /** Sizes a complete file with this header can have (SwiGLU or plain MLP layout). */
      sizes: number[];
      /** The shape in English words (dim, layers, heads, vocabulary). */
      shape: string;
      /** The same as numbers, for the reader's language. */
      dims: { dim: number; layers: number; heads: number; vocab: number };
    }
  | { kind: 'foreign'; what: string }
  | { kind: 'unknown' };

function ascii(b: Uint8Array, at: number, len: number): string {
  return b.length >= at + len ? String.fromCharCode(...b.subarray(at, at + len)) : '';
}

/**
 * Common files a reader might pick or rename by mistake, from their first bytes: what `sniffFile`
 * calls each in English, and its message (file_kind_<id>) for the page, in the reader's language.
 */
const FOREIGN_KINDS = [
  { id: 'png', what: 'a PNG image', is: (b: Uint8Array) => ascii(b, 0, 4) === '\x89PNG' },
  {
    id: 'jpeg',
    what: 'a JPEG image',
    is: (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  { id: 'gif', what: 'a GIF image', is: (b: Uint8Array) => ascii(b, 0, 4) === 'GIF8' },
  {
    id: 'webp',
    what: 'a WebP image',
    is: (b: Uint8Array) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP',
  },
  {
    id: 'avif',
    what: 'an AVIF/HEIC image',
    is: (b: Uint8Array) => ascii(b, 4, 8) === 'ftypavif' || ascii(b, 4, 8) === 'ftypheic',
  },
  { id: 'pdf', what: 'a PDF document', is: (b: Uint8Array) => ascii(b, 0, 4) === '%PDF' },
  {
    id: 'gguf',
    what: 'a GGUF file (llama.cpp), not a llama2.c checkpoint',
    is: (b: Uint8Array) => ascii(b, 0, 4) === 'GGUF',
  },
  {
    id: 'ggml',
    what: 'a GGML file (llama.cpp), not a llama2.c checkpoint',
    is: (b: Uint8Array) => ascii(b, 0, 4) === 'ggjt' || ascii(b, 0, 4) === 'tjgg',
  },
  {
    id: 'zip',
    what: 'a zip archive (a PyTorch .pt/.pth file?)',
    is: (b: Uint8Array) => ascii(b, 0, 4) === 'PK\x03\x04',
  },
  {
    id: 'gzip',
    what: 'a gzip archive (unpack it first)',
    is: (b: Uint8Array) => b[0] === 0x1f && b[1] === 0x8b,
  },
  {
    id: 'pickle',
    what: 'a Python pickle (a PyTorch file?)',
    is: (b: Uint8Array) => b[0] === 0x80 && b.length > 1 && b[1] <= 5,
  },
  {
    id: 'safetensors',
    what: 'a safetensors file, not a llama2.c checkpoint',
    is: (b: Uint8Array) => b.length >= 9 && b[8] === 0x7b,
  },
  {
    id: 'text',
    what: 'a text file',
    is: (b: Uint8Array) => {
      const text = b.subarray(0, Math.min(b.length, 512));
      return (
        text.length >= 16 &&
        text.every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127))
      );
    },
  },
] as const;

type ForeignId = (typeof FOREIGN_KINDS)[number]['id'];

function foreign(b: Uint8Array): string | null {
  return FOREIGN_KINDS.find((k) => k.is(b))?.what ?? null;
}

/** A foreign kind in the reader's language (`what` as sniffFile gives it). */
export function foreignWhat(what: string): string {
  const id: ForeignId | undefined = FOREIGN_KINDS.find((k) => k.what === what)?.id;
  const say: Record<ForeignId, () => string> = {
    png: m.file_kind_png,
    jpeg: m.file_kind_jpeg,
    gif: m.file_kind_gif,
    webp: m.file_kind_webp,
    avif: m.file_kind_avif,
    pdf: m.file_kind_pdf,
    gguf: m.file_kind_gguf,
    ggml: m.file_kind_ggml,
    zip: m.file_kind_zip,
    gzip: m.file_kind_gzip,
    pickle: m.file_kind_pickle,
    safetensors: m.file_kind_safetensors,
    text: m.file_kind_text,
  };
  return id ? say[id]() : what;
}

/** The header of a llama2.c checkpoint (export.py version 1 or legacy version 0), if plausible. */
function checkpointHeader(b: Uint8Array): Extract<FileKind, { kind: 'checkpoint' }> | null {
  if (b.length < 28) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const v1 = v.getUint32(0, true) === V1_MAGIC;
  if (v1 && b.length < 37) return null;
  const int = (i: number) => v.getInt32((v1 ? 8 : 0) + 4 * i, true);
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, rawVocab, seqLen] = [0, 1, 2, 3, 4, 5, 6].map(
    int,
  );
  const vocabSize = Math.abs(rawVocab);
  const inRange = (x: number, max: number) => Number.isInteger(x) && x > 0 && x <= max;
  const ok =
    inRange(dim, LIMITS.dim) &&
    inRange(hiddenDim, LIMITS.hiddenDim) &&
    inRange(nLayers, LIMITS.nLayers) &&
    inRange(nHeads, LIMITS.nHeads) &&
    inRange(nKvHeads, nHeads) &&
    inRange(vocabSize, LIMITS.vocabSize) &&
    inRange(seqLen, LIMITS.seqLen) &&
    dim % nHeads === 0 &&
    nHeads % nKvHeads === 0 &&
    (!v1 || rawVocab > 0);
  if (!ok) return null;
  const shared = v1 ? b[36] === 1 : rawVocab > 0;
  const version = v1 ? 1 : 0;
  const sizes = (['swiglu', 'mlp'] as FfnKind[]).map((ffn) =>
    checkpointBytes(
      {
        dim,
        hiddenDim,
        nLayers,
        nHeads,
        nKvHeads,
        vocabSize,
        seqLen,
        sharedClassifier: shared,
        ffn,
      },
      version,
    ),
  );
  const shape = `dim ${dim}, ${nLayers} layers, ${nHeads} heads, vocabulary ${count(vocabSize)}`;
  const dims = { dim, layers: nLayers, heads: nHeads, vocab: vocabSize };
  return { kind: 'checkpoint', version, sizes, shape, dims };
}

/**
 * Whether the bytes read like a llama2.c tokenizer.bin: int32 max_token_length, then records of
 * (float32 score, int32 length, bytes) with finite scores and lengths within max_token_length,
 * as far as the bytes we have go (at least a few records).
 */
function isTokenizer(b: Uint8Array, size: number): boolean {
  if (b.length < 12) return false;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const maxLen = v.getInt32(0, true);
  if (maxLen < 1 || maxLen > 4096) return false;
  let at = 4;
  let records = 0;
  while (at + 8 <= b.length) {
    const score = v.getFloat32(at, true);
    const len = v.getInt32(at + 4, true);
    if (!Number.isFinite(score) || Math.abs(score) > 1e9 || len < 0 || len > maxLen) return false;
    at += 8 + len;
    records++;
  }
  // A whole file seen: its records must end exactly at its end (or be cut inside the last one).
  return records >= Math.min(3, Math.floor((size - 4) / 8)) && records > 0;
}

function looksLikeJson(b: Uint8Array): boolean {
  for (const c of b) {
    if (
      c === 0x20 ||
      c === 0x0a ||
      c === 0x0d ||
      c === 0x09 ||
      c === 0xef ||
      c === 0xbb ||
      c === 0xbf
    )
      continue;
    return c === 0x7b; // '{'
  }
  return false;
}

/** What a file is, from its first bytes and its size. */
export function sniffFile(head: Uint8Array, size: number): FileKind {
  if (looksLikeJson(head)) return { kind: 'sidecar' };
  const other = foreign(head);
  if (other && !other.startsWith('a text file')) return { kind: 'foreign', what: other };
  const ckpt = checkpointHeader(head);
  const tok = isTokenizer(head, size);
  if (ckpt && (!tok || ckpt.sizes.includes(size))) return ckpt;
  if (tok) return { kind: 'tokenizer' };
  if (other) return { kind: 'foreign', what: other };
  return { kind: 'unknown' };
}

/** Decide each file's role from its contents, and say what is wrong with any file that cannot be used. */
export function classifyFiles<F extends FileLike>(files: readonly F[]): FileRoles<F> {
  const roles: FileRoles<F> = { problems: [] };
  const twice = {
    checkpoint: m.load_two_checkpoints,
    tokenizer: m.load_two_tokenizers,
    sidecar: m.load_two_sidecars,
  };
  const take = (role: 'checkpoint' | 'tokenizer' | 'sidecar', f: F) => {
    const had = roles[role];
    if (had) roles.problems.push(twice[role]({ kept: had.name, ignored: f.name }));
    else roles[role] = f;
  };
  for (const f of files) {
    if (f.size === 0) {
      roles.problems.push(m.load_empty_file({ name: f.name }));
      continue;
    }
    const k = sniffFile(f.head, f.size);
    switch (k.kind) {
      case 'sidecar':
        if (f.size > MAX_SIDECAR_BYTES) {
          roles.problems.push(m.load_sidecar_too_big({ name: f.name, size: formatBytes(f.size) }));
        } else take('sidecar', f);
        break;
      case 'tokenizer':
        if (f.size > MAX_TOKENIZER_BYTES) {
          roles.problems.push(
            m.load_tokenizer_too_big({ name: f.name, size: formatBytes(f.size) }),
          );
        } else take('tokenizer', f);
        break;
      case 'checkpoint': {
        const least = Math.min(...k.sizes);
        if (f.size > MAX_CHECKPOINT_BYTES) {
          roles.problems.push(
            m.load_checkpoint_too_big({
              name: f.name,
              size: formatBytes(f.size),
              max: formatBytes(MAX_CHECKPOINT_BYTES),
            }),
          );
        } else if (f.size < least) {
          roles.problems.push(
            m.load_checkpoint_truncated({
              name: f.name,
              dim: k.dims.dim,
              layers: k.dims.layers,
              heads: k.dims.heads,
              vocab: count(k.dims.vocab),
              need: count(least),
              got: count(f.size),
              pct: Math.floor((100 * f.size) / least),
            }),
          );
        } else take('checkpoint', f);
        break;
      }
      case 'foreign':
        roles.problems.push(m.load_foreign_file({ name: f.name, what: foreignWhat(k.what) }));
        break;
      case 'unknown':
        roles.problems.push(m.load_unknown_file({ name: f.name, size: formatBytes(f.size) }));
        break;
    }
  }
  return roles;
}

/**
 * Put a loader error on the file it concerns: the engine's checkpoint, sidecar and tokenizer
 * errors say which part failed; the message names that file.
 */
export function blame(message: string, roles: FileRoles<FileLike>): string {
  const m = message.trim();
  const file = blamedFile(m, roles);
  return file ? `${file.name}: ${m}` : m;
}

/** The file a loader error (its English message) concerns, if it names one. */
export function blamedFile(message: string, roles: FileRoles<FileLike>): FileLike | undefined {
  const m = message.trim();
  return /^(tokenizer|token id)/i.test(m)
    ? roles.tokenizer
    : /^sidecar/i.test(m)
      ? roles.sidecar
      : /checkpoint|header|weights?\b|tensor/i.test(m)
        ? roles.checkpoint
        : undefined;
}
