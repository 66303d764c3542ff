// Model configuration: the seven llama2.c header integers plus what the file cannot hold, taken
// from the JSON sidecar (`model.json` beside `model.bin`, snake_case) with run.c's defaults.
// Also the derived sizes every layer needs (head_size, kv_dim) and the parameter count.

import { CheckpointError } from './errors.ts';
import type { ActivationKind, Config, FfnKind, NormKind, PositionKind, Sidecar } from './types.ts';

/** What run.c hard-codes, i.e. what a checkpoint means when it comes without a sidecar. */
export const SIDECAR_DEFAULTS: Required<Sidecar> = {
  norm_eps: 1e-5,
  rope_base: 10000,
  norm: 'rmsnorm',
  ffn: 'swiglu',
  activation: 'silu',
  position: 'rope',
};

const NORMS: readonly NormKind[] = ['rmsnorm', 'layernorm'];
const FFNS: readonly FfnKind[] = ['swiglu', 'mlp'];
const ACTIVATIONS: readonly Exclude<ActivationKind, 'custom'>[] = ['silu', 'gelu', 'relu'];
const POSITIONS: readonly PositionKind[] = ['rope', 'none'];
const SIDECAR_KEYS = Object.keys(SIDECAR_DEFAULTS);

/** The seven integers of a llama2.c header, vocabSize already made positive. */
export interface HeaderDims {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  seqLen: number;
}

function positiveNumber(
  json: Record<string, unknown>,
  key: string,
  max: number,
): number | undefined {
  const v = json[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) {
    throw new CheckpointError('sidecar_bad_number', {
      field: key,
      max,
      got: String(JSON.stringify(v)),
    });
  }
  return v;
}

function oneOf<T extends string>(
  json: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
): T | undefined {
  const v = json[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new CheckpointError('sidecar_bad_choice', {
      field: key,
      allowed: allowed.map((a) => `"${a}"`).join(', '),
      got: String(JSON.stringify(v)),
    });
  }
  return v as T;
}

/**
 * Check a parsed sidecar JSON value and return it typed. Every field is optional; unknown keys are
 * rejected (a misspelt "norm_esp" silently ignored would change the model without a word).
 */
export function validateSidecar(json: unknown): Sidecar {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    if (Array.isArray(json)) throw new CheckpointError('sidecar_array', {});
    // a JSON type's name: null, string, number, boolean
    throw new CheckpointError('sidecar_not_object', { got: json === null ? 'null' : typeof json });
  }
  const obj = json as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!SIDECAR_KEYS.includes(key)) {
      throw new CheckpointError('sidecar_unknown_field', {
        field: key,
        known: SIDECAR_KEYS.join(', '),
      });
    }
  }
  const out: Sidecar = {};
  const eps = positiveNumber(obj, 'norm_eps', 1);
  if (eps !== undefined) out.norm_eps = eps;
  const base = positiveNumber(obj, 'rope_base', 1e12);
  if (base !== undefined) {
    if (base <= 1) {
      throw new CheckpointError('sidecar_rope_base', { got: base });
    }
    out.rope_base = base;
  }
  const norm = oneOf(obj, 'norm', NORMS);
  if (norm !== undefined) out.norm = norm;
  const ffn = oneOf(obj, 'ffn', FFNS);
  if (ffn !== undefined) out.ffn = ffn;
  const activation = oneOf(obj, 'activation', ACTIVATIONS);
  if (activation !== undefined) out.activation = activation;
  const position = oneOf(obj, 'position', POSITIONS);
  if (position !== undefined) out.position = position;
  return out;
}

/** Build a full Config from header integers, the classifier flag and an (already valid) sidecar. */
export function makeConfig(
  dims: HeaderDims,
  sharedClassifier: boolean,
  sidecar: Sidecar = {},
): Config {
  const s = { ...SIDECAR_DEFAULTS, ...sidecar };
  return {
    ...dims,
    sharedClassifier,
    normEps: s.norm_eps,
    ropeBase: s.rope_base,
    norm: s.norm,
    ffn: s.ffn,
    activation: s.activation,
    position: s.position,
  };
}

/** The sidecar that reproduces a config's non-header fields (all fields written, for clarity). */
export function sidecarOf(config: Config): Required<Sidecar> {
  return {
    norm_eps: config.normEps,
    rope_base: config.ropeBase,
    norm: config.norm,
    ffn: config.ffn,
    activation: config.activation,
    position: config.position,
  };
}

/** head_size = dim / n_heads. */
export function headSize(c: Pick<Config, 'dim' | 'nHeads'>): number {
  return c.dim / c.nHeads;
}

/** kv_dim = n_kv_heads * head_size (the width of K and V rows). */
export function kvDim(c: Pick<Config, 'dim' | 'nHeads' | 'nKvHeads'>): number {
  return (c.dim * c.nKvHeads) / c.nHeads;
}

/** Number of float32 values each weight tensor holds (all layers together), in a fixed order. */
export function tensorSizes(
  c: Omit<Config, 'normEps' | 'ropeBase' | 'norm' | 'activation' | 'position'>,
) {
  const kv = kvDim(c);
  const L = c.nLayers;
  return {
    tokenEmbedding: c.vocabSize * c.dim,
    rmsAtt: L * c.dim,
    wq: L * c.dim * c.dim,
    wk: L * kv * c.dim,
    wv: L * kv * c.dim,
    wo: L * c.dim * c.dim,
    rmsFfn: L * c.dim,
    w1: L * c.hiddenDim * c.dim,
    w2: L * c.dim * c.hiddenDim,
    w3: c.ffn === 'swiglu' ? L * c.hiddenDim * c.dim : 0,
    rmsFinal: c.dim,
    wcls: c.sharedClassifier ? 0 : c.vocabSize * c.dim,
  };
}

/** Total trainable parameters; a shared classifier is counted once, freq_cis leftovers not at all. */
export function countParams(c: Config): number {
  return Object.values(tensorSizes(c)).reduce((a, b) => a + b, 0);
}

/** One line describing a config, e.g. for the CLI's `info` and error messages. */
export function describeConfig(c: Config): string {
  return (
    `dim ${c.dim}, hidden ${c.hiddenDim}, ${c.nLayers} layers, ${c.nHeads} heads, ` +
    `${c.nKvHeads} kv heads, vocab ${c.vocabSize}, seq_len ${c.seqLen}, ` +
    `${c.sharedClassifier ? 'shared' : 'separate'} classifier, ${c.norm} eps ${c.normEps}, ` +
    `${c.ffn}/${c.activation}, ${c.position === 'rope' ? `rope base ${c.ropeBase}` : 'no position encoding'}`
  );
}
