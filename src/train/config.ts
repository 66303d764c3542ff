// The training configuration file (JSON): the model's shape and architecture, the tokenizer's
// vocabulary size, and the optimiser recipe. Every field is checked, and a wrong one is reported
// in words naming the field. Defaults follow LLaMA's recipe (AdamW beta1 0.9, beta2 0.95, weight
// decay 0.1, cosine schedule to 10% with warm-up, clipping at 1.0).

import type { Config } from '../engine/types.ts';

export interface TrainSettings {
  /** Sequences per optimiser step (split across the workers). */
  batchSize: number;
  steps: number;
  lr: number;
  /** The cosine schedule ends at lr * minLrRatio. */
  minLrRatio: number;
  warmupSteps: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  adamEps: number;
  gradClip: number;
  seed: number;
  /** Validation loss is measured every evalInterval steps (and after the last step). */
  evalInterval: number;
  /** Worker threads computing gradients (data parallel); 1 = in the main thread. */
  workers: number;
  /** Standard deviation of the normal initialisation of matrices. */
  initStd: number;
}

export interface TrainConfig {
  model: Omit<Config, 'vocabSize'>;
  vocabSize: number;
  train: TrainSettings;
}

const DEFAULT_TRAIN: TrainSettings = {
  batchSize: 16,
  steps: 1000,
  lr: 3e-3,
  minLrRatio: 0.1,
  warmupSteps: 50,
  weightDecay: 0.1,
  beta1: 0.9,
  beta2: 0.95,
  adamEps: 1e-8,
  gradClip: 1.0,
  seed: 1,
  evalInterval: 100,
  workers: 2,
  initStd: 0.02,
};

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(
  o: Json,
  key: string,
  where: string,
  def: number | undefined,
  check: (v: number) => boolean,
  what: string,
): number {
  const v = o[key];
  if (v === undefined) {
    if (def === undefined) throw new Error(`config: ${where}.${key} is required (${what})`);
    return def;
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
    throw new Error(`config: ${where}.${key} must be ${what}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function pick<T extends string>(
  o: Json,
  key: string,
  where: string,
  def: T,
  allowed: readonly T[],
): T {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new Error(
      `config: ${where}.${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`,
    );
  }
  return v as T;
}

const posInt = (v: number) => Number.isInteger(v) && v > 0;
const nonNegInt = (v: number) => Number.isInteger(v) && v >= 0;

function checkKeys(o: Json, where: string, known: string[]): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k))
      throw new Error(`config: unknown field ${where}.${k} (known: ${known.join(', ')})`);
  }
}

/**
 * Parse a training config (snake_case JSON as written in the config files):
 * { "model": { dim, hidden_dim, n_layers, n_heads, n_kv_heads, seq_len, shared_classifier?,
 *   norm?, ffn?, activation?, position?, norm_eps?, rope_base? }, "vocab_size"?: 512,
 *   "train": { batch_size?, steps?, lr?, ... } }
 */
export function parseTrainConfig(json: unknown): TrainConfig {
  if (!isObj(json))
    throw new Error('config: expected a JSON object with "model" and "train" sections');
  checkKeys(json, 'config', ['model', 'train', 'vocab_size', 'comment']);
  const m = json.model;
  if (!isObj(m)) throw new Error('config: "model" section missing or not an object');
  checkKeys(m, 'model', [
    'dim',
    'hidden_dim',
    'n_layers',
    'n_heads',
    'n_kv_heads',
    'seq_len',
    'shared_classifier',
    'norm',
    'ffn',
    'activation',
    'position',
    'norm_eps',
    'rope_base',
  ]);
  const dim = num(m, 'dim', 'model', undefined, posInt, 'a positive integer');
  const nHeads = num(m, 'n_heads', 'model', undefined, posInt, 'a positive integer');
  const nKvHeads = num(m, 'n_kv_heads', 'model', nHeads, posInt, 'a positive integer');
  if (dim % nHeads !== 0 || (dim / nHeads) % 2 !== 0) {
    throw new Error(
      `config: model.dim (${dim}) must be n_heads (${nHeads}) times an even head size`,
    );
  }
  if (nHeads % nKvHeads !== 0)
    throw new Error(
      `config: model.n_heads (${nHeads}) must be a multiple of model.n_kv_heads (${nKvHeads})`,
    );
  const shared = m.shared_classifier ?? true;
  if (typeof shared !== 'boolean')
    throw new Error('config: model.shared_classifier must be true or false');
  const ffn = pick(m, 'ffn', 'model', 'swiglu', ['swiglu', 'mlp'] as const);
  const model: Omit<Config, 'vocabSize'> = {
    dim,
    hiddenDim: num(m, 'hidden_dim', 'model', undefined, posInt, 'a positive integer'),
    nLayers: num(m, 'n_layers', 'model', undefined, posInt, 'a positive integer'),
    nHeads,
    nKvHeads,
    seqLen: num(
      m,
      'seq_len',
      'model',
      undefined,
      (v) => posInt(v) && v >= 2,
      'an integer of at least 2',
    ),
    sharedClassifier: shared,
    normEps: num(m, 'norm_eps', 'model', 1e-5, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    ropeBase: num(m, 'rope_base', 'model', 10000, (v) => v > 1, 'a number above 1'),
    norm: pick(m, 'norm', 'model', 'rmsnorm', ['rmsnorm', 'layernorm'] as const),
    ffn,
    activation: pick(m, 'activation', 'model', ffn === 'mlp' ? 'gelu' : 'silu', [
      'silu',
      'gelu',
    ] as const),
    position: pick(m, 'position', 'model', 'rope', ['rope', 'none'] as const),
  };
  const vocabSize = num(
    json,
    'vocab_size',
    'config',
    512,
    (v) => posInt(v) && v >= 260 && v <= 32000,
    'an integer from 260 to 32000',
  );
  const t = json.train ?? {};
  if (!isObj(t)) throw new Error('config: "train" must be an object');
  checkKeys(t, 'train', [
    'batch_size',
    'steps',
    'lr',
    'min_lr_ratio',
    'warmup_steps',
    'weight_decay',
    'beta1',
    'beta2',
    'adam_eps',
    'grad_clip',
    'seed',
    'eval_interval',
    'workers',
    'init_std',
  ]);
  const d = DEFAULT_TRAIN;
  const unit = (v: number) => v >= 0 && v < 1;
  const train: TrainSettings = {
    batchSize: num(t, 'batch_size', 'train', d.batchSize, posInt, 'a positive integer'),
    steps: num(t, 'steps', 'train', d.steps, posInt, 'a positive integer'),
    lr: num(t, 'lr', 'train', d.lr, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    minLrRatio: num(
      t,
      'min_lr_ratio',
      'train',
      d.minLrRatio,
      (v) => v >= 0 && v <= 1,
      'a number in [0, 1]',
    ),
    warmupSteps: num(
      t,
      'warmup_steps',
      'train',
      d.warmupSteps,
      nonNegInt,
      'a non-negative integer',
    ),
    weightDecay: num(
      t,
      'weight_decay',
      'train',
      d.weightDecay,
      (v) => v >= 0 && v < 10,
      'a number in [0, 10)',
    ),
    beta1: num(t, 'beta1', 'train', d.beta1, unit, 'a number in [0, 1)'),
    beta2: num(t, 'beta2', 'train', d.beta2, unit, 'a number in [0, 1)'),
    adamEps: num(t, 'adam_eps', 'train', d.adamEps, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    gradClip: num(
      t,
      'grad_clip',
      'train',
      d.gradClip,
      (v) => v >= 0,
      'a non-negative number (0 = off)',
    ),
    seed: num(t, 'seed', 'train', d.seed, nonNegInt, 'a non-negative integer'),
    evalInterval: num(t, 'eval_interval', 'train', d.evalInterval, posInt, 'a positive integer'),
    workers: num(
      t,
      'workers',
      'train',
      d.workers,
      (v) => posInt(v) && v <= 16,
      'an integer from 1 to 16',
    ),
    initStd: num(t, 'init_std', 'train', d.initStd, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
  };
  if (train.batchSize % train.workers !== 0) {
    throw new Error(
      `config: train.batch_size (${train.batchSize}) must be a multiple of train.workers (${train.workers})`,
    );
  }
  return { model, vocabSize, train };
}

export function fullConfig(tc: TrainConfig, vocabSize = tc.vocabSize): Config {
  return { ...tc.model, vocabSize };
}
