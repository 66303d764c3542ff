// The RoPE settings the page's figures draw with: the reader's knobs from the URL, or the model's
// own value when a knob is absent (an absent knob means "as trained"). Before the model has loaded
// the trained settings are taken as run.c's: RoPE on, base 10,000.
import type { Knobs } from '$engine/types.ts';
import type { Scaling } from './math.ts';
import { formatDecimal } from '$lib/i18n/format.ts';

export interface RopeView {
  rope: boolean;
  base: number;
  scaling: Scaling;
  factor: number;
}

export function ropeView(
  params: Record<string, string | number | boolean>,
  trained: Pick<Knobs, 'rope' | 'ropeBase'> | undefined,
): RopeView {
  return {
    rope: params.rope === undefined ? (trained?.rope ?? true) : Boolean(params.rope),
    base: params.ropeBase === undefined ? (trained?.ropeBase ?? 10000) : Number(params.ropeBase),
    scaling: (params.ropeScaling ?? 'none') as Scaling,
    factor: params.ropeFactor === undefined ? 1 : Number(params.ropeFactor),
  };
}

/** A base for people: 10,000 and 500,000 with thousands separators, 6 significant digits at most. */
export function formatBase(base: number): string {
  return formatDecimal(base, { maximumSignificantDigits: 6 });
}
