// The training configuration file (JSON): the model's shape and architecture, the tokenizer's
// vocabulary size, and the optimiser recipe. Every field is checked, and a wrong one is reported
// in words naming the field. Defaults follow LLaMA's recipe (AdamW beta1 0.9, beta2 0.95, weight
// decay 0.1, cosine schedule to 10% with warm-up, clipping at 1.0).

import type { ErrorCode, ErrorParams } from '../engine/error-text.ts';
import type { Config } from '../engine/types.ts';
import { TrainError } from './errors.ts';

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

/** What a numeric field must be: the check, and the error codes that say so. */
interface Rule {
  check: (v: number) => boolean;
  /** The value is there but wrong. */
  bad: ErrorCode;
  /** The field is required and absent (only rules of required fields have one). */
  missing?: ErrorCode;
  params?: ErrorParams;
}

function num(o: Json, key: string, where: string, def: number | undefined, rule: Rule): number {
  const v = o[key];
  const field = `${where}.${key}`;
  if (v === undefined) {
    if (def !== undefined) return def;
    if (!rule.missing) throw new Error(`internal: ${field} is required but its rule has no code`);
    throw new TrainError(rule.missing, { field, ...rule.params });
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || !rule.check(v)) {
    throw new TrainError(rule.bad, { field, got: JSON.stringify(v) ?? String(v), ...rule.params });
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
    throw new TrainError('train_cfg_choice', {
      field: `${where}.${key}`,
      allowed: allowed.map((a) => JSON.stringify(a)).join(', '),
      got: JSON.stringify(v),
    });
  }
  return v as T;
}

const posInt = (v: number) => Number.isInteger(v) && v > 0;
const nonNegInt = (v: number) => Number.isInteger(v) && v >= 0;

const POS_INT: Rule = {
  check: posInt,
  bad: 'train_cfg_pos_int',
  missing: 'train_cfg_missing_pos_int',
};
const NON_NEG_INT: Rule = { check: nonNegInt, bad: 'train_cfg_nonneg_int' };
const intAtLeast = (min: number): Rule => ({
  check: (v) => Number.isInteger(v) && v >= min,
  bad: 'train_cfg_int_min',
  missing: 'train_cfg_missing_int_min',
  params: { min },
});
const intFromTo = (min: number, max: number): Rule => ({
  check: (v) => Number.isInteger(v) && v >= min && v <= max,
  bad: 'train_cfg_int_range',
  params: { min, max },
});
/** A number in an interval written as in mathematics: "(0, 1)", "[0, 10)". */
const numberIn = (range: string, check: (v: number) => boolean): Rule => ({
  check,
  bad: 'train_cfg_number_in',
  params: { range },
});

function checkKeys(o: Json, where: string, known: string[]): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k))
      throw new TrainError('train_cfg_unknown_field', {
        field: `${where}.${k}`,
        known: known.join(', '),
      });
  }
}

/**
 * Parse a training config (snake_case JSON as written in the config files):
 * { "model": { dim, hidden_dim, n_layers, n_heads, n_kv_heads, seq_len, shared_classifier?,
 *   norm?, ffn?, activation?, position?, norm_eps?, rope_base? }, "vocab_size"?: 512,
 *   "train": { batch_size?, steps?, lr?, ... } }
 */
export function parseTrainConfig(json: unknown): TrainConfig {
  if (!isObj(json)) throw new TrainError('train_cfg_not_object', {});
  checkKeys(json, 'config', ['model', 'train', 'vocab_size', 'comment']);
  const m = json.model;
  if (!isObj(m)) throw new TrainError('train_cfg_no_model', {});
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
  const dim = num(m, 'dim', 'model', undefined, POS_INT);
  const nHeads = num(m, 'n_heads', 'model', undefined, POS_INT);
  const nKvHeads = num(m, 'n_kv_heads', 'model', nHeads, POS_INT);
  if (dim % nHeads !== 0 || (dim / nHeads) % 2 !== 0) {
    throw new TrainError('train_cfg_head_size', { dim, heads: nHeads });
  }
  if (nHeads % nKvHeads !== 0)
    throw new TrainError('train_cfg_kv_heads', { heads: nHeads, kvHeads: nKvHeads });
  const shared = m.shared_classifier ?? true;
  if (typeof shared !== 'boolean')
    throw new TrainError('train_cfg_bool', { field: 'model.shared_classifier' });
  const ffn = pick(m, 'ffn', 'model', 'swiglu', ['swiglu', 'mlp'] as const);
  const model: Omit<Config, 'vocabSize'> = {
    dim,
    hiddenDim: num(m, 'hidden_dim', 'model', undefined, POS_INT),
    nLayers: num(m, 'n_layers', 'model', undefined, POS_INT),
    nHeads,
    nKvHeads,
    seqLen: num(m, 'seq_len', 'model', undefined, intAtLeast(2)),
    sharedClassifier: shared,
    normEps: num(
      m,
      'norm_eps',
      'model',
      1e-5,
      numberIn('(0, 1)', (v) => v > 0 && v < 1),
    ),
    ropeBase: num(m, 'rope_base', 'model', 10000, {
      check: (v) => v > 1,
      bad: 'train_cfg_number_above',
      params: { min: 1 },
    }),
    norm: pick(m, 'norm', 'model', 'rmsnorm', ['rmsnorm', 'layernorm'] as const),
    ffn,
    activation: pick(m, 'activation', 'model', ffn === 'mlp' ? 'gelu' : 'silu', [
      'silu',
      'gelu',
    ] as const),
    position: pick(m, 'position', 'model', 'rope', ['rope', 'none'] as const),
  };
  const vocabSize = num(json, 'vocab_size', 'config', 512, intFromTo(260, 32000));
  const t = json.train ?? {};
  if (!isObj(t)) throw new TrainError('train_cfg_train_not_object', {});
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
    batchSize: num(t, 'batch_size', 'train', d.batchSize, POS_INT),
    steps: num(t, 'steps', 'train', d.steps, POS_INT),
    lr: num(
      t,
      'lr',
      'train',
      d.lr,
      numberIn('(0, 1)', (v) => v > 0 && v < 1),
    ),
    minLrRatio: num(
      t,
      'min_lr_ratio',
      'train',
      d.minLrRatio,
      numberIn('[0, 1]', (v) => v >= 0 && v <= 1),
    ),
    warmupSteps: num(t, 'warmup_steps', 'train', d.warmupSteps, NON_NEG_INT),
    weightDecay: num(
      t,
      'weight_decay',
      'train',
      d.weightDecay,
      numberIn('[0, 10)', (v) => v >= 0 && v < 10),
    ),
    beta1: num(t, 'beta1', 'train', d.beta1, numberIn('[0, 1)', unit)),
    beta2: num(t, 'beta2', 'train', d.beta2, numberIn('[0, 1)', unit)),
    adamEps: num(
      t,
      'adam_eps',
      'train',
      d.adamEps,
      numberIn('(0, 1)', (v) => v > 0 && v < 1),
    ),
    gradClip: num(t, 'grad_clip', 'train', d.gradClip, {
      check: (v) => v >= 0,
      bad: 'train_cfg_nonneg_number',
    }),
    seed: num(t, 'seed', 'train', d.seed, NON_NEG_INT),
    evalInterval: num(t, 'eval_interval', 'train', d.evalInterval, POS_INT),
    workers: num(t, 'workers', 'train', d.workers, intFromTo(1, 16)),
    initStd: num(
      t,
      'init_std',
      'train',
      d.initStd,
      numberIn('(0, 1)', (v) => v > 0 && v < 1),
    ),
  };
  if (train.batchSize % train.workers !== 0) {
    throw new TrainError('train_cfg_batch_workers', {
      batch: train.batchSize,
      workers: train.workers,
    });
  }
  return { model, vocabSize, train };
}

export function fullConfig(tc: TrainConfig, vocabSize = tc.vocabSize): Config {
  return { ...tc.model, vocabSize };
}
