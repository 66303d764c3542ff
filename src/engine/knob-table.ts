// The one table of the reader's settings: every knob of the forward pass (types.ts `Knobs`) and
// every numeric setting of the sampler (`SamplerSettings`) is one row here. A row says which field
// it sets, what kind of value it takes, the range the engine accepts, the (narrower) range the
// controls offer, how a slider moves (step, linear or log scale), its default for a given model,
// its URL key and its label. Validation and clamping (here and in knobs.ts / sampler.ts), the
// controls and the URL parameters (src/lib/knobs.ts) are all derived from these rows.
//
// Adding a knob = one row below plus its effect in the forward passes (cpu/ and webgpu/); see
// docs/notebook.md, "How to add a knob".
import { ERROR_TEXT, fillText, type ErrorCode, type ErrorParams } from './error-text.ts';
import type { Config, Knobs, SamplerSettings } from './types.ts';

/**
 * Settings whose largest sensible value is set by the loaded model's shape: an index of a layer,
 * a query head, a K/V head or a position, or a count of vocabulary entries.
 */
export type ModelBound = 'layer' | 'head' | 'kvHead' | 'position' | 'vocab';

/** The largest value a setting of this kind can take for the model. */
export function boundMax(bound: ModelBound, c: Config): number {
  switch (bound) {
    case 'layer':
      return c.nLayers - 1;
    case 'head':
      return c.nHeads - 1;
    case 'kvHead':
      return c.nKvHeads - 1;
    case 'position':
      return c.seqLen - 1;
    case 'vocab':
      return c.vocabSize;
  }
}

interface RowBase<F extends string> {
  /** Stable id, used by chapters to list the knobs they show (equal to the URL key). */
  id: string;
  /** The field of `Knobs` / `SamplerSettings` this row sets. */
  field: F;
  /** The name of the value in the URL query. */
  urlKey: string;
  /** Short label for the control and for notices. */
  label: string;
  /** How error messages name the value (default: `knob "<field>"`). */
  name?: string;
}

export interface NumberRow<F extends string = string> extends RowBase<F> {
  kind: 'number' | 'int';
  /** What the engine accepts for any model (inclusive unless minExclusive). */
  range: { min: number; max: number; minExclusive?: boolean };
  /** What the controls offer and links are clamped into: inside `range` (a test checks). Defaults to `range`. */
  control?: { min: number; max: number };
  /** Slider step: in log10 units for scale 'log'; default (max - min) / 100 (1 for int). */
  step?: number;
  scale: 'linear' | 'log';
  /** When the model's shape allows only some values (kvGroups: the divisors of nKvHeads). */
  choices?: (c: Config) => readonly number[];
  /** When the loaded model's shape caps the value (top-k: the vocabulary size). */
  bound?: ModelBound;
  /** Words for the rule in error messages (default: written from `range` and `choices`). */
  says?: (c: Config) => string;
  /** The error code whose text is `<name> must be <says>…, got {got}` (required with `says`). */
  saysCode?: ErrorCode;
  default: (c: Config) => number;
}

export interface EnumRow<F extends string = string> extends RowBase<F> {
  kind: 'enum';
  options: readonly string[];
  default: (c: Config) => string;
}

export interface BoolRow<F extends string = string> extends RowBase<F> {
  kind: 'bool';
  default: (c: Config) => boolean;
}

export type SettingRow<F extends string = string> = NumberRow<F> | EnumRow<F> | BoolRow<F>;

/** The divisors of nKvHeads, ascending: the allowed kvGroups values. */
export function kvGroupChoices(config: Pick<Config, 'nKvHeads'>): number[] {
  const out: number[] = [];
  for (let g = 1; g <= config.nKvHeads; g++) if (config.nKvHeads % g === 0) out.push(g);
  return out;
}

/** The forward-pass knobs, in the order the controls list them. */
export const KNOB_ROWS = [
  {
    id: 'norm',
    field: 'norm',
    urlKey: 'norm',
    label: 'Norm layer',
    kind: 'enum',
    options: ['rmsnorm', 'layernorm'],
    default: (c) => c.norm,
  },
  {
    id: 'eps',
    field: 'normEps',
    urlKey: 'eps',
    label: 'Norm eps',
    kind: 'number',
    range: { min: 0, max: 10, minExclusive: true },
    control: { min: 1e-12, max: 1 },
    step: 0.1,
    scale: 'log',
    default: (c) => c.normEps,
  },
  {
    // 'custom' is the reader's formula, compiled above the engine and sent with the lab request.
    id: 'act',
    field: 'activation',
    urlKey: 'act',
    label: 'FFN activation',
    kind: 'enum',
    options: ['silu', 'gelu', 'relu', 'custom'],
    default: (c) => c.activation,
  },
  {
    id: 'rope',
    field: 'rope',
    urlKey: 'rope',
    label: 'RoPE',
    kind: 'bool',
    default: (c) => c.position === 'rope',
  },
  {
    id: 'ropeBase',
    field: 'ropeBase',
    urlKey: 'ropeBase',
    label: 'RoPE base',
    kind: 'number',
    // 1e9 is far past any published model (Llama 3: 500000).
    range: { min: 1, max: 1e9, minExclusive: true },
    control: { min: 2, max: 1e9 },
    step: 0.1,
    scale: 'log',
    default: (c) => c.ropeBase,
  },
  {
    id: 'ropeScaling',
    field: 'ropeScaling',
    urlKey: 'ropeScaling',
    label: 'RoPE scaling',
    kind: 'enum',
    options: ['none', 'linear', 'ntk', 'llama3', 'yarn'],
    default: () => 'none',
  },
  {
    id: 'ropeFactor',
    field: 'ropeFactor',
    urlKey: 'ropeFactor',
    label: 'RoPE factor',
    kind: 'number',
    range: { min: 1, max: 64 },
    scale: 'linear',
    default: () => 1,
  },
  {
    id: 'kvGroups',
    field: 'kvGroups',
    urlKey: 'kvGroups',
    label: 'KV groups',
    kind: 'int',
    range: { min: 1, max: 256 },
    scale: 'linear',
    choices: kvGroupChoices,
    says: (c) => `a whole number dividing the ${c.nKvHeads} K/V heads`,
    saysCode: 'knob_kv_groups',
    default: (c) => c.nKvHeads,
  },
] as const satisfies readonly SettingRow<keyof Knobs>[];

/** The sampler's numeric settings (the seed, a 64-bit integer, is not a control of this kind). */
export const SAMPLER_ROWS = [
  {
    id: 'temp',
    field: 'temperature',
    urlKey: 'temp',
    label: 'Temperature',
    name: 'temperature',
    kind: 'number',
    range: { min: 0, max: Infinity },
    control: { min: 0, max: 2 },
    scale: 'linear',
    says: () => 'a finite number >= 0 (0 = greedy)',
    saysCode: 'sampler_temperature',
    default: () => 0.8,
  },
  {
    id: 'topk',
    field: 'topK',
    urlKey: 'topk',
    label: 'Top-k',
    name: 'top-k',
    kind: 'int',
    range: { min: 0, max: Infinity },
    control: { min: 0, max: 1000 },
    scale: 'linear',
    bound: 'vocab',
    says: () => 'a whole number >= 0 (0 = off)',
    saysCode: 'sampler_top_k',
    default: () => 0,
  },
  {
    id: 'topp',
    field: 'topP',
    urlKey: 'topp',
    label: 'Top-p',
    name: 'top-p',
    kind: 'number',
    range: { min: 0, max: 1 },
    scale: 'linear',
    says: () => 'a number in [0, 1] (0 or 1 = off)',
    saysCode: 'sampler_top_p',
    default: () => 0.9,
  },
  {
    // Not in run.c: after the softmax, drop tokens below minP x the largest probability (sampler.ts).
    id: 'minp',
    field: 'minP',
    urlKey: 'minp',
    label: 'Min-p',
    name: 'min-p',
    kind: 'number',
    range: { min: 0, max: 1 },
    control: { min: 0, max: 0.5 },
    step: 0.01,
    scale: 'linear',
    says: () => 'a number in [0, 1] (0 = off)',
    saysCode: 'sampler_min_p',
    default: () => 0,
  },
] as const satisfies readonly SettingRow<Exclude<keyof SamplerSettings, 'seed'>>[];

export type KnobRow = (typeof KNOB_ROWS)[number];
export type KnobId = KnobRow['id'];
export type SamplerRow = (typeof SAMPLER_ROWS)[number];
export type SamplerId = SamplerRow['id'];

/** The range a row's control offers: `control` if given, else the engine's `range`. */
export function controlRange(row: NumberRow): { min: number; max: number } {
  return row.control ?? { min: row.range.min, max: row.range.max };
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return v === null ? 'null' : typeof v;
}

/** The code and parameters of a number row's default rule (from `range`). */
function rangeCode(row: NumberRow): ErrorCode {
  const { minExclusive } = row.range;
  if (row.kind === 'int') return minExclusive ? 'knob_int_above' : 'knob_int_range';
  return minExclusive ? 'knob_number_above' : 'knob_number_range';
}

/**
 * Why a value cannot be used for this row, as an error code and its parameters (the engine's
 * English text is `fillText(ERROR_TEXT[code], params)`), or null if it can. `config` gives the
 * model's shape for rows whose values depend on it.
 */
export function settingProblem(
  row: SettingRow,
  v: unknown,
  config?: Config,
): { code: ErrorCode; params: ErrorParams } | null {
  const knob = row.field;
  const got = describe(v);
  switch (row.kind) {
    case 'enum':
      return typeof v === 'string' && row.options.includes(v)
        ? null
        : { code: 'knob_not_choice', params: { knob, options: row.options.join(', '), got } };
    case 'bool':
      return typeof v === 'boolean' ? null : { code: 'knob_not_bool', params: { knob, got } };
    case 'number':
    case 'int': {
      const { min, max, minExclusive } = row.range;
      const choices = row.choices && config ? row.choices(config) : undefined;
      const ok =
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (row.kind === 'number' || Number.isInteger(v)) &&
        (minExclusive ? v > min : v >= min) &&
        v <= max &&
        (!choices || choices.includes(v));
      if (ok) return null;
      if (row.saysCode && (config || !row.choices)) {
        const params: Record<string, string | number> = { got };
        if (config) params.kvHeads = config.nKvHeads;
        if (choices) params.choices = choices.join(', ');
        return { code: row.saysCode, params };
      }
      return { code: rangeCode(row), params: { knob, min, max, got } };
    }
  }
}

/** The same as one English sentence naming the setting (the CLI's and tests' wording). */
export function checkValue(row: SettingRow, v: unknown, config?: Config): string | null {
  const problem = settingProblem(row, v, config);
  return problem && fillText(ERROR_TEXT[problem.code], problem.params);
}

function finiteNumber(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** The allowed value nearest to x (first of equals), among `choices` for the model. */
function nearest(x: number, choices: readonly number[]): number {
  let best = choices[0];
  for (const c of choices) if (Math.abs(c - x) < Math.abs(best - x)) best = c;
  return best;
}

/**
 * Make a valid value out of anything (a URL string, an old saved state): missing or unreadable
 * values take the default; numbers are clamped into the control range, rounded for whole numbers
 * and snapped to the nearest allowed value when the model restricts them.
 */
export function clampValue(
  row: SettingRow,
  raw: unknown,
  config: Config,
): number | string | boolean {
  const d = row.default(config);
  switch (row.kind) {
    case 'enum':
      return typeof raw === 'string' && row.options.includes(raw) ? raw : d;
    case 'bool':
      if (raw === true || raw === 'true' || raw === '1' || raw === 'on') return true;
      if (raw === false || raw === 'false' || raw === '0' || raw === 'off') return false;
      return d;
    case 'number':
    case 'int': {
      const n = finiteNumber(raw);
      if (n === undefined) return d;
      const { min, max } = controlRange(row);
      let x = Math.min(max, Math.max(min, n));
      if (row.kind === 'int') x = Math.round(x);
      if (row.choices) x = nearest(x, row.choices(config));
      return x;
    }
  }
}

/** The largest value a number row can take for this model (the control's max, or its largest choice). */
export function maxForModel(row: NumberRow, config: Config): number {
  let max = controlRange(row).max;
  if (row.bound) max = Math.min(max, boundMax(row.bound, config));
  return row.choices ? Math.min(max, Math.max(...row.choices(config))) : max;
}

// Compile-time check: every field of `Knobs` has a row (a new field without one fails typecheck).
type Unlisted = Exclude<keyof Knobs, KnobRow['field']>;
export const EVERY_KNOB_HAS_A_ROW: [Unlisted] extends [never] ? true : never = true;
