// The live model's controls as URL parameters, derived from the engine's setting table
// (src/engine/knob-table.ts): one row there gives a control here, its URL key and its range. Knob
// parameters map one-to-one onto the engine's `Knobs`; an absent parameter means "as trained" (the
// model's own value), so a link only carries what the reader changed. Chapters list which knobs
// they expose.
import {
  KNOB_ROWS,
  SAMPLER_ROWS,
  controlRange,
  maxForModel,
  type KnobId,
  type SettingRow,
} from '../engine/knob-table.ts';
import type { Config, Knobs, SamplerSettings } from '../engine/types.ts';
import type { ParamSpec, ParamValue, ParamValues } from './params.ts';
import { m } from '../paraglide/messages.js';

/**
 * What the selects of the knob table show for their values, in the page's language (the URL keeps
 * the value). tests/unit/i18n/option-labels.test.ts checks every option has one.
 */
const OPTION_LABELS: Readonly<Record<string, () => string>> = {
  rmsnorm: m.param_option_rmsnorm,
  layernorm: m.param_option_layernorm,
  silu: m.param_option_silu,
  gelu: m.param_option_gelu,
  relu: m.param_option_relu,
  custom: m.param_option_custom,
  none: m.param_option_none,
  linear: m.param_option_linear,
  ntk: m.param_option_ntk,
  llama3: m.param_option_llama3,
  yarn: m.param_option_yarn,
};

function optionLabelsOf(options: readonly string[]): Record<string, () => string> {
  return Object.fromEntries(
    options.filter((o) => OPTION_LABELS[o]).map((o) => [o, OPTION_LABELS[o]]),
  );
}

export type { KnobId, SamplerId } from '../engine/knob-table.ts';

/** A table row as a URL parameter / control spec (the control's range, not the engine's). */
export function rowSpec(row: SettingRow): ParamSpec {
  const { urlKey: key, label } = row;
  switch (row.kind) {
    case 'enum':
      return {
        key,
        kind: 'enum',
        label,
        options: row.options,
        optionLabels: optionLabelsOf(row.options),
      };
    case 'bool':
      return { key, kind: 'bool', label };
    case 'int':
      return {
        key,
        kind: 'int',
        label,
        ...controlRange(row),
        ...(row.bound ? { bound: row.bound } : {}),
      };
    case 'number':
      return { key, kind: 'number', label, ...controlRange(row), scale: row.scale, step: row.step };
  }
}

export const knobRows: Readonly<Record<KnobId, (typeof KNOB_ROWS)[number]>> = Object.fromEntries(
  KNOB_ROWS.map((r) => [r.id, r]),
) as Record<KnobId, (typeof KNOB_ROWS)[number]>;

/** Every knob's control / URL spec, by knob id. */
export const knobSpecs: Readonly<Record<KnobId, ParamSpec>> = Object.fromEntries(
  KNOB_ROWS.map((r) => [r.id, rowSpec(r)]),
) as Record<KnobId, ParamSpec>;

export const KNOB_IDS: readonly KnobId[] = KNOB_ROWS.map((r) => r.id);

/** A knob's control for the loaded model: numbers whose allowed values depend on the model's shape stop at its largest. */
export function knobSpecFor(id: KnobId, config: Config | undefined): ParamSpec {
  const row = knobRows[id];
  const spec = knobSpecs[id];
  if (!config || (row.kind !== 'int' && row.kind !== 'number') || !('max' in spec)) return spec;
  return { ...spec, max: maxForModel(row, config) } as ParamSpec;
}

const samplerRowSpecs = Object.fromEntries(SAMPLER_ROWS.map((r) => [r.id, rowSpec(r)])) as Record<
  (typeof SAMPLER_ROWS)[number]['id'],
  ParamSpec
>;

/** The sampler's controls: the table's numeric rows plus the prompt, seed and length. */
export const samplerSpecs = {
  prompt: { key: 'prompt', kind: 'text', label: 'Prompt', maxLength: 400 },
  ...samplerRowSpecs,
  seed: { key: 'seed', kind: 'seed', label: 'Seed' },
  steps: { key: 'steps', kind: 'int', label: 'Tokens to generate', min: 1, max: 256 },
} as const satisfies Record<string, ParamSpec>;

const samplerRowsById = Object.fromEntries(SAMPLER_ROWS.map((r) => [r.id, r])) as Record<
  string,
  (typeof SAMPLER_ROWS)[number] | undefined
>;

/**
 * A sampler control for the loaded model: a setting bound to the model's shape (top-k: the
 * vocabulary) stops at the model's largest value, as knobSpecFor does for knobs.
 */
export function samplerSpecFor(
  key: keyof typeof samplerSpecs,
  config: Config | undefined,
): ParamSpec {
  const spec: ParamSpec = samplerSpecs[key];
  const row = samplerRowsById[key];
  if (!config || !row || (row.kind !== 'int' && row.kind !== 'number') || !('max' in spec))
    return spec;
  return { ...spec, max: maxForModel(row, config) } as ParamSpec;
}

export const samplerDefaults: ParamValues = {
  prompt: 'Once upon a time',
  ...Object.fromEntries(SAMPLER_ROWS.map((r) => [r.urlKey, r.default()])),
  seed: '42',
  steps: 48,
};

/** Map URL knob values onto a partial `Knobs` (only what the reader set). */
export function knobsFromParams(values: ParamValues, ids: readonly KnobId[]): Partial<Knobs> {
  const out: Record<string, ParamValue> = {};
  for (const id of ids) {
    const row = knobRows[id];
    const v = values[row.urlKey];
    if (v !== undefined) out[row.field] = v;
  }
  return out as Partial<Knobs>;
}

/** The value a knob control shows for the model's current `Knobs`. */
export function knobValue(knobs: Knobs, id: KnobId): string | number | boolean {
  return knobs[knobRows[id].field];
}

/** Sampler settings for the engine from URL values (defaults filled in). */
export function samplerFromParams(values: ParamValues): SamplerSettings {
  const out: Record<string, unknown> = {};
  for (const row of SAMPLER_ROWS) out[row.field] = values[row.urlKey] ?? row.default();
  out.seed = BigInt(String(values.seed ?? samplerDefaults.seed));
  return out as unknown as SamplerSettings;
}
