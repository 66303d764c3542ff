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
// - kvGroups (g): K/V heads mean-pooled into g groups, as the GQA paper converts a multi-head
//   checkpoint. g = nKvHeads is the model as trained; g = 1 is multi-query attention.
import { SettingsError } from './errors.ts';
import type { ActivationKind, Config, Knobs, NormKind, RopeScaling } from './types.ts';

export const NORM_KINDS: readonly NormKind[] = ['rmsnorm', 'layernorm'];
export const ACTIVATION_KINDS: readonly ActivationKind[] = ['silu', 'gelu', 'relu', 'custom'];
export const ROPE_SCALINGS: readonly RopeScaling[] = ['none', 'linear', 'ntk'];

export const KNOB_KEYS: readonly (keyof Knobs)[] = [
  'norm',
  'normEps',
  'activation',
  'rope',
  'ropeBase',
  'ropeScaling',
  'ropeFactor',
  'kvGroups',
];

/** Accepted ranges (inclusive unless noted); sliders in the UI use the same numbers. */
export const KNOB_LIMITS = {
  /** eps must be > 0 (exclusive) and at most 10. */
  normEps: { min: 0, max: 10, minExclusive: true },
  /** RoPE base must be > 1 (exclusive) and finite; 1e9 is far past any published model. */
  ropeBase: { min: 1, max: 1e9, minExclusive: true },
  ropeFactor: { min: 1, max: 64, minExclusive: false },
} as const;

/** The knobs that leave the model exactly as trained. */
export function defaultKnobs(config: Config): Knobs {
  return {
    norm: config.norm,
    normEps: config.normEps,
    activation: config.activation,
    rope: config.position === 'rope',
    ropeBase: config.ropeBase,
    ropeScaling: 'none',
    ropeFactor: 1,
    kvGroups: config.nKvHeads,
  };
}

/** The divisors of nKvHeads, ascending: the allowed kvGroups values. */
export function kvGroupChoices(config: Config): number[] {
  const out: number[] = [];
  for (let g = 1; g <= config.nKvHeads; g++) if (config.nKvHeads % g === 0) out.push(g);
  return out;
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return v === null ? 'null' : typeof v;
}

/** Throws an Error naming the first knob whose value cannot be used, and why. */
export function validateKnobs(knobs: Knobs, config: Config): void {
  if (typeof knobs !== 'object' || knobs === null)
    throw new SettingsError('knobs must be an object');
  const k = knobs as unknown as Record<string, unknown>;
  for (const key of KNOB_KEYS) {
    if (!(key in k)) throw new SettingsError(`knob "${key}" is missing`);
  }
  for (const key of Object.keys(k)) {
    if (!(KNOB_KEYS as readonly string[]).includes(key)) {
      throw new SettingsError(`unknown knob "${key}" (known knobs: ${KNOB_KEYS.join(', ')})`);
    }
  }
  if (!NORM_KINDS.includes(knobs.norm)) {
    throw new SettingsError(
      `knob "norm" must be one of ${NORM_KINDS.join(', ')}, got ${describe(knobs.norm)}`,
    );
  }
  const eps = knobs.normEps;
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps <= 0 || eps > 10) {
    throw new SettingsError(
      `knob "normEps" must be a number greater than 0 and at most 10, got ${describe(eps)}`,
    );
  }
  if (!ACTIVATION_KINDS.includes(knobs.activation)) {
    throw new SettingsError(
      `knob "activation" must be one of ${ACTIVATION_KINDS.join(', ')}, got ${describe(knobs.activation)}`,
    );
  }
  if (typeof knobs.rope !== 'boolean') {
    throw new SettingsError(`knob "rope" must be true or false, got ${describe(knobs.rope)}`);
  }
  const base = knobs.ropeBase;
  if (typeof base !== 'number' || !Number.isFinite(base) || base <= 1 || base > 1e9) {
    throw new SettingsError(
      `knob "ropeBase" must be a number greater than 1 and at most 1e9, got ${describe(base)}`,
    );
  }
  if (!ROPE_SCALINGS.includes(knobs.ropeScaling)) {
    throw new SettingsError(
      `knob "ropeScaling" must be one of ${ROPE_SCALINGS.join(', ')}, got ${describe(knobs.ropeScaling)}`,
    );
  }
  const s = knobs.ropeFactor;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 1 || s > 64) {
    throw new SettingsError(`knob "ropeFactor" must be a number from 1 to 64, got ${describe(s)}`);
  }
  const g = knobs.kvGroups;
  if (typeof g !== 'number' || !Number.isInteger(g) || g < 1 || config.nKvHeads % g !== 0) {
    throw new SettingsError(
      `knob "kvGroups" must be a whole number dividing the ${config.nKvHeads} K/V heads ` +
        `(one of ${kvGroupChoices(config).join(', ')}), got ${describe(g)}`,
    );
  }
}

function finiteNumber(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function clampNumber(v: unknown, lo: number, hi: number, fallback: number): number {
  const n = finiteNumber(v);
  if (n === undefined) return fallback;
  return Math.min(hi, Math.max(lo, n));
}

function pick<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

/**
 * Make valid knobs out of anything, e.g. the strings of a URL query (`?normEps=1e-3&rope=false`):
 * every field that is missing or unreadable takes its default, numbers are clamped into range
 * (eps into [1e-12, 10], base into [1 + 1e-6, 1e9], factor into [1, 64]) and kvGroups becomes
 * the nearest divisor of nKvHeads. The result always passes validateKnobs.
 */
export function clampKnobs(raw: Partial<Record<keyof Knobs, unknown>>, config: Config): Knobs {
  const d = defaultKnobs(config);
  const r = raw ?? {};
  const rope = r.rope === true || r.rope === 'true' || r.rope === '1' ? true : undefined;
  const noRope = r.rope === false || r.rope === 'false' || r.rope === '0' ? false : undefined;
  const g = finiteNumber(r.kvGroups);
  let kvGroups = d.kvGroups;
  if (g !== undefined) {
    let best = Infinity;
    for (const c of kvGroupChoices(config)) {
      if (Math.abs(c - g) < best) {
        best = Math.abs(c - g);
        kvGroups = c;
      }
    }
  }
  return {
    norm: pick(r.norm, NORM_KINDS, d.norm),
    normEps: clampNumber(r.normEps, 1e-12, KNOB_LIMITS.normEps.max, d.normEps),
    activation: pick(r.activation, ACTIVATION_KINDS, d.activation),
    rope: rope ?? noRope ?? d.rope,
    ropeBase: clampNumber(r.ropeBase, 1 + 1e-6, KNOB_LIMITS.ropeBase.max, d.ropeBase),
    ropeScaling: pick(r.ropeScaling, ROPE_SCALINGS, d.ropeScaling),
    ropeFactor: clampNumber(r.ropeFactor, 1, KNOB_LIMITS.ropeFactor.max, d.ropeFactor),
    kvGroups,
  };
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
