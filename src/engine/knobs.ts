// Knobs: inference-time what-ifs that need no retraining (types.ts `Knobs`). Three helpers:
// - defaultKnobs(config): the model exactly as trained;
// - validateKnobs(knobs, config): throws an Error that says in words what is wrong;
// - clampKnobs(raw, config): turns anything (a URL's query string, an old saved state) into valid
//   knobs, value by value, so a shared link can never break the page.
//
// The meaning of each knob, as every backend implements it:
// - norm, normEps: which normalisation every norm layer uses and its epsilon. The llama2.c format
//   holds only a gain, so 'layernorm' is gain-only: w * (x - mean) / sqrt(var + eps).
// - activation: the FFN nonlinearity; 'custom' is a reader's formula, compiled above the engine
//   and handed to the backend (CPU: `setCustomActivation(fn)`).
// - rope: rotary position encoding on or off (off = NoPE: q and k are used unrotated).
// - ropeBase: theta in freq_j = theta^(-2j/hs).
// - ropeScaling + ropeFactor (s): 'linear' is position interpolation, angle = (pos / s) * freq;
//   'ntk' is NTK-aware scaling, theta' = theta * s^(hs / (hs - 2)), which leaves the fastest pair
//   (j = 0) untouched and slows the slowest pair (j = hs/2 - 1) by exactly s.
//   'llama3' (Llama 3.1's apply_scaling) and 'yarn' (NTK-by-parts plus an attention temperature)
//   change each pair's frequency by its own amount against the model's seq_len: rope-scaling.ts.
// - kvGroups (g): K/V heads mean-pooled into g groups, as the GQA paper converts a multi-head
//   checkpoint. g = nKvHeads is the model as trained; g = 1 is multi-query attention.
import { SettingsError } from './errors.ts';
import { KNOB_ROWS, clampValue, settingProblem } from './knob-table.ts';
import type { Config, Knobs } from './types.ts';

export { kvGroupChoices, KNOB_ROWS } from './knob-table.ts';

/** Every field of `Knobs`, in table order. */
export const KNOB_KEYS: readonly (keyof Knobs)[] = KNOB_ROWS.map((r) => r.field);

/** The knobs that leave the model exactly as trained (each row's default for this model). */
export function defaultKnobs(config: Config): Knobs {
  return Object.fromEntries(KNOB_ROWS.map((r) => [r.field, r.default(config)])) as unknown as Knobs;
}

/** Throws an Error naming the first knob whose value cannot be used, and why. */
export function validateKnobs(knobs: Knobs, config: Config): void {
  if (typeof knobs !== 'object' || knobs === null) throw new SettingsError('knob_not_object', {});
  const k = knobs as unknown as Record<string, unknown>;
  for (const key of KNOB_KEYS) {
    if (!(key in k)) throw new SettingsError('knob_missing', { knob: key });
  }
  for (const key of Object.keys(k)) {
    if (!(KNOB_KEYS as readonly string[]).includes(key)) {
      throw new SettingsError('knob_unknown', { knob: key, known: KNOB_KEYS.join(', ') });
    }
  }
  for (const row of KNOB_ROWS) {
    const problem = settingProblem(row, k[row.field], config);
    if (problem) throw new SettingsError(problem.code, problem.params);
  }
}

/**
 * Make valid knobs out of anything, e.g. the strings of a URL query (`?normEps=1e-3&rope=false`):
 * every field that is missing or unreadable takes its default, numbers are clamped into the range
 * the controls offer (knob-table.ts) and kvGroups becomes the nearest divisor of nKvHeads. The
 * result always passes validateKnobs.
 */
export function clampKnobs(raw: Partial<Record<keyof Knobs, unknown>>, config: Config): Knobs {
  const r = (raw ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    KNOB_ROWS.map((row) => [row.field, clampValue(row, r[row.field], config)]),
  ) as unknown as Knobs;
}

/** The RoPE base actually used: theta, or theta * s^(hs/(hs-2)) under NTK-aware scaling. */
export function effectiveRopeBase(knobs: Knobs, headSize: number): number {
  if (knobs.ropeScaling !== 'ntk' || knobs.ropeFactor === 1 || headSize <= 2) return knobs.ropeBase;
  return knobs.ropeBase * Math.pow(knobs.ropeFactor, headSize / (headSize - 2));
}

/** The divisor applied to positions: s under linear interpolation, else 1. */
export function effectivePositionScale(knobs: Knobs): number {
  return knobs.ropeScaling === 'linear' ? knobs.ropeFactor : 1;
}
