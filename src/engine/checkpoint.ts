// Reads llama2.c checkpoints into a Model whose weights are Float32Array views into the caller's
// buffer (no copy), the way run.c mmaps its file. Two layouts (docs/reference/llama2c-format.md):
//
//   legacy "version 0" (run.c): 7 x int32 header (28 bytes; vocab_size < 0 = separate classifier),
//     then float32 tensors, each holding all layers back to back:
//     emb (V,d) | rms_att (L,d) | wq (L,d,d) | wk (L,kv,d) | wv (L,kv,d) | wo (L,d,d) | rms_ffn (L,d)
//     | w1 (L,h,d) | w2 (L,d,h) | w3 (L,h,d) | rms_final (d) | freq_cis real+imag (2 x seq_len*hs/2,
//     skipped) | [wcls (V,d) when unshared]
//   export.py "version 1" (fp32): 256-byte header (uint32 magic 0x616b3432, int32 version, 7 x int32,
//     uint8 shared flag, zero padding), then rms_att (L,d) | rms_ffn (L,d) | rms_final (d) | emb (V,d)
//     | wq | wk | wv | wo | w1 | w2 | w3 | [wcls], no freq_cis.
//
// Our own variant: a sidecar with `"ffn": "mlp"` means a plain MLP FFN W2 act(W1 x); its file has
// the same layout with the w3 tensor simply absent (in both versions).
//
// Everything is validated from the header and the byte count before the first view is made, so a
// corrupt file ends in a CheckpointError that says what is wrong, never in a huge allocation.

import {
  countParams,
  headSize,
  makeConfig,
  tensorSizes,
  validateSidecar,
  type HeaderDims,
} from './config.ts';
import { CheckpointError, type ErrorCode } from './errors.ts';
import type { Config, Model, Sidecar, Weights } from './types.ts';

export { validateSidecar, sidecarOf, SIDECAR_DEFAULTS } from './config.ts';

/** export.py's magic: the uint32 0x616b3432 ("ak42" read as a big-endian number). */
export const V1_MAGIC = 0x616b3432;
export const V0_HEADER_BYTES = 28;
export const V1_HEADER_BYTES = 256;

/**
 * Upper bounds on header values. Far above any LLaMA (Llama 2 70B: dim 8192, hidden 28672, 80
 * layers, vocab 32000; Llama 3: vocab 128256), far below what would overflow float64 integer math
 * (every product below stays < 2^53), so a corrupt header is caught here before any size is used.
 */
export const LIMITS = {
  dim: 1 << 16,
  hiddenDim: 1 << 18,
  nLayers: 1 << 10,
  nHeads: 1 << 12,
  vocabSize: 1 << 22,
  seqLen: 1 << 20,
  /** KV cache a backend would allocate: 2 (K,V) x layers x seq_len x kv_dim x 4 bytes. */
  kvCacheBytes: 2 ** 32,
} as const;

/** Names of the weight tensors, as in `Weights`. */
export type TensorName = keyof Weights;

/** One slice of the file body: a tensor, or `null` for bytes to skip (v0 freq_cis leftovers). */
export interface LayoutEntry {
  name: TensorName | null;
  floats: number;
}

type LayoutConfig = Pick<
  Config,
  | 'dim'
  | 'hiddenDim'
  | 'nLayers'
  | 'nHeads'
  | 'nKvHeads'
  | 'vocabSize'
  | 'seqLen'
  | 'sharedClassifier'
  | 'ffn'
>;

/** The order of tensors in the body of a file of the given version (empty tensors omitted). */
export function checkpointLayout(c: LayoutConfig, version: 0 | 1): LayoutEntry[] {
  const s = tensorSizes(c);
  const t = (name: TensorName): LayoutEntry => ({ name, floats: s[name as keyof typeof s] });
  const freqCis = (c.seqLen * headSize(c)) / 2;
  const entries: LayoutEntry[] =
    version === 0
      ? [
          t('tokenEmbedding'),
          t('rmsAtt'),
          t('wq'),
          t('wk'),
          t('wv'),
          t('wo'),
          t('rmsFfn'),
          t('w1'),
          t('w2'),
          t('w3'),
          t('rmsFinal'),
          { name: null, floats: freqCis }, // freq_cis_real (seq_len, hs/2), unused since run.c bd18228
          { name: null, floats: freqCis }, // freq_cis_imag
          t('wcls'),
        ]
      : [
          t('rmsAtt'),
          t('rmsFfn'),
          t('rmsFinal'),
          t('tokenEmbedding'),
          t('wq'),
          t('wk'),
          t('wv'),
          t('wo'),
          t('w1'),
          t('w2'),
          t('w3'),
          t('wcls'),
        ];
  return entries.filter((e) => e.floats > 0 || (e.name !== 'w3' && e.name !== 'wcls'));
}

/** Bytes a file of this config and version must have exactly. */
export function checkpointBytes(c: LayoutConfig, version: 0 | 1): number {
  const header = version === 0 ? V0_HEADER_BYTES : V1_HEADER_BYTES;
  return header + 4 * checkpointLayout(c, version).reduce((sum, e) => sum + e.floats, 0);
}

interface Header {
  version: 0 | 1;
  dims: HeaderDims;
  shared: boolean;
  headerBytes: number;
}

/** Name a few file types people might pick by mistake, from their first bytes (an error code). */
function foreignFormat(view: DataView): ErrorCode | null {
  const n = view.byteLength;
  const ascii = (o: number, len: number) =>
    n >= o + len
      ? String.fromCharCode(...new Uint8Array(view.buffer, view.byteOffset + o, len))
      : '';
  if (ascii(0, 4) === 'GGUF') return 'ckpt_foreign_gguf';
  if (ascii(0, 4) === 'ggjt' || ascii(0, 4) === 'tjgg') return 'ckpt_foreign_ggml';
  if (ascii(0, 4) === 'PK\x03\x04') return 'ckpt_foreign_zip';
  if (n >= 1 && view.getUint8(0) === 0x80) return 'ckpt_foreign_pickle';
  if (ascii(0, 4) === 'ak42') return 'ckpt_foreign_big_endian';
  if (n >= 9 && ascii(8, 1) === '{') return 'ckpt_foreign_safetensors';
  return null;
}

function readHeader(view: DataView): Header {
  const n = view.byteLength;
  if (n < 4) {
    throw new CheckpointError('ckpt_truncated_header', { need: V0_HEADER_BYTES, got: n });
  }
  const magic = view.getUint32(0, true);
  if (magic === V1_MAGIC) {
    if (n < 8) {
      throw new CheckpointError('ckpt_truncated_export_header', { need: V1_HEADER_BYTES, got: n });
    }
    const version = view.getInt32(4, true);
    if (version === 2) {
      throw new CheckpointError('ckpt_quantized', {});
    }
    if (version !== 1) {
      throw new CheckpointError('ckpt_unknown_version', { version });
    }
    if (n < V1_HEADER_BYTES) {
      throw new CheckpointError('ckpt_truncated_export_header', { need: V1_HEADER_BYTES, got: n });
    }
    const int = (i: number) => view.getInt32(8 + 4 * i, true);
    const flag = view.getUint8(36);
    if (flag !== 0 && flag !== 1) {
      throw new CheckpointError('ckpt_shared_flag', { flag });
    }
    const dims = {
      dim: int(0),
      hiddenDim: int(1),
      nLayers: int(2),
      nHeads: int(3),
      nKvHeads: int(4),
      vocabSize: int(5),
      seqLen: int(6),
    };
    if (dims.vocabSize < 0) {
      throw new CheckpointError('ckpt_vocab_not_positive', { got: dims.vocabSize });
    }
    return { version: 1, dims, shared: flag === 1, headerBytes: V1_HEADER_BYTES };
  }
  const foreign = foreignFormat(view);
  if (foreign !== null) {
    throw new CheckpointError(foreign, {});
  }
  if (n < V0_HEADER_BYTES) {
    throw new CheckpointError('ckpt_truncated_header', { need: V0_HEADER_BYTES, got: n });
  }
  const int = (i: number) => view.getInt32(4 * i, true);
  const dim = int(0);
  if (dim > LIMITS.dim) {
    throw new CheckpointError('ckpt_bad_magic', { dim, limit: LIMITS.dim });
  }
  const rawVocab = int(5);
  const dims = {
    dim,
    hiddenDim: int(1),
    nLayers: int(2),
    nHeads: int(3),
    nKvHeads: int(4),
    vocabSize: Math.abs(rawVocab),
    seqLen: int(6),
  };
  return { version: 0, dims, shared: rawVocab > 0, headerBytes: V0_HEADER_BYTES };
}

const HEADER_NAMES: Record<keyof HeaderDims, string> = {
  dim: 'dim',
  hiddenDim: 'hidden_dim',
  nLayers: 'n_layers',
  nHeads: 'n_heads',
  nKvHeads: 'n_kv_heads',
  vocabSize: 'vocab_size',
  seqLen: 'seq_len',
};

function validateDims(d: HeaderDims): void {
  for (const key of Object.keys(HEADER_NAMES) as (keyof HeaderDims)[]) {
    if (!(d[key] > 0)) {
      throw new CheckpointError('ckpt_field_not_positive', {
        field: HEADER_NAMES[key],
        got: d[key],
      });
    }
  }
  const limit: Record<keyof HeaderDims, number> = {
    dim: LIMITS.dim,
    hiddenDim: LIMITS.hiddenDim,
    nLayers: LIMITS.nLayers,
    nHeads: LIMITS.nHeads,
    nKvHeads: LIMITS.nHeads,
    vocabSize: LIMITS.vocabSize,
    seqLen: LIMITS.seqLen,
  };
  for (const key of Object.keys(HEADER_NAMES) as (keyof HeaderDims)[]) {
    if (d[key] > limit[key]) {
      throw new CheckpointError('ckpt_field_too_large', {
        field: HEADER_NAMES[key],
        got: d[key],
        limit: limit[key],
      });
    }
  }
  if (d.dim % d.nHeads !== 0) {
    throw new CheckpointError('ckpt_heads_divide_dim', { heads: d.nHeads, dim: d.dim });
  }
  const hs = headSize(d);
  if (hs % 2 !== 0) {
    throw new CheckpointError('ckpt_odd_head_size', { dim: d.dim, heads: d.nHeads, size: hs });
  }
  if (d.nHeads % d.nKvHeads !== 0) {
    throw new CheckpointError('ckpt_kv_heads_divide_heads', {
      kvHeads: d.nKvHeads,
      heads: d.nHeads,
    });
  }
  const kvCache = 2 * 4 * d.nLayers * d.seqLen * (d.nKvHeads * hs);
  if (kvCache > LIMITS.kvCacheBytes) {
    throw new CheckpointError('ckpt_seq_len_too_large', {
      seqLen: d.seqLen,
      gib: (kvCache / 2 ** 30).toFixed(1),
      limit: LIMITS.kvCacheBytes / 2 ** 30,
    });
  }
}

/** Fail on the first non-finite weight: NaN logits would otherwise surface far from the cause. */
function checkFinite(name: string, a: Float32Array): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v !== 0) {
      throw new CheckpointError('ckpt_non_finite', { tensor: name, value: String(v), index: i });
    }
  }
}

/** Bytes of the input as an aligned region of an ArrayBuffer (copied only if misaligned). */
function alignedBytes(data: ArrayBuffer | ArrayBufferView): {
  buffer: ArrayBuffer;
  offset: number;
  length: number;
} {
  if (data instanceof ArrayBuffer) return { buffer: data, offset: 0, length: data.byteLength };
  if (ArrayBuffer.isView(data) && data.buffer instanceof ArrayBuffer) {
    if (data.byteOffset % 4 === 0) {
      return { buffer: data.buffer, offset: data.byteOffset, length: data.byteLength };
    }
    const copy = new Uint8Array(data.byteLength);
    copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return { buffer: copy.buffer, offset: 0, length: copy.byteLength };
  }
  throw new CheckpointError('checkpoint must be given as an ArrayBuffer or a typed array');
}

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Parse a checkpoint (legacy v0 or export.py v1) and its optional sidecar. The returned weights
 * are views into `data`'s buffer; keep it alive and do not modify it.
 */
export function parseCheckpoint(data: ArrayBuffer | ArrayBufferView, sidecar?: Sidecar): Model {
  if (!littleEndianHost) {
    throw new CheckpointError('ckpt_big_endian', {});
  }
  const side = sidecar === undefined ? {} : validateSidecar(sidecar);
  const { buffer, offset, length } = alignedBytes(data);
  const header = readHeader(new DataView(buffer, offset, length));
  validateDims(header.dims);
  const config = makeConfig(header.dims, header.shared, side);

  const expected = checkpointBytes(config, header.version);
  if (expected !== length) {
    const { version } = header;
    const shape = describeShape(config);
    const other: Config = { ...config, ffn: config.ffn === 'swiglu' ? 'mlp' : 'swiglu' };
    // The size would fit the other FFN: say so (the sidecar, which names the FFN, is the suspect).
    const fitsOther = checkpointBytes(other, header.version) === length;
    const params = { expected, version, shape, got: length };
    if (length < expected) {
      if (!fitsOther) throw new CheckpointError('ckpt_short', params);
      const code =
        sidecar === undefined ? 'ckpt_short_sidecar_missing' : 'ckpt_short_sidecar_wrong';
      throw new CheckpointError(code, { ...params, ffn: other.ffn });
    }
    const trailing = length - expected;
    if (!fitsOther) throw new CheckpointError('ckpt_long', { ...params, trailing });
    const code = sidecar === undefined ? 'ckpt_long_sidecar_missing' : 'ckpt_long_sidecar_wrong';
    throw new CheckpointError(code, { ...params, trailing, ffn: other.ffn });
  }

  // Every size checked: now the views.
  const weights: Partial<Weights> = { w3: null };
  let at = offset + header.headerBytes;
  for (const entry of checkpointLayout(config, header.version)) {
    if (entry.name !== null) {
      const view = new Float32Array(buffer, at, entry.floats);
      checkFinite(entry.name, view);
      weights[entry.name] = view;
    }
    at += 4 * entry.floats;
  }
  if (config.sharedClassifier) weights.wcls = weights.tokenEmbedding;
  return {
    config,
    weights: weights as Weights,
    fileVersion: header.version,
    nParams: countParams(config),
  };
}

/** The shape as header fields and values only (a parameter of messages in any language). */
function describeShape(c: Config): string {
  return (
    `dim ${c.dim}, hidden_dim ${c.hiddenDim}, n_layers ${c.nLayers}, n_heads ${c.nHeads}, ` +
    `n_kv_heads ${c.nKvHeads}, vocab_size ${c.vocabSize}, seq_len ${c.seqLen}, ` +
    `shared_classifier ${c.sharedClassifier ? 1 : 0}, ffn "${c.ffn}"`
  );
}
