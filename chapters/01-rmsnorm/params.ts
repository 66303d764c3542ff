// Chapter 1's own URL parameters (besides the norm and eps knobs and the sampler): the editable
// vector, the shift/scale of the invariance figure, the point of the geometry figure, and which
// hidden state the histogram shows.
import type { ParamSpec } from '$lib/params.ts';
import { m } from '$paraglide/messages.js';

export const chapterParams: ParamSpec[] = [
  {
    key: 'x',
    kind: 'text',
    label: 'Vector',
    message: m.ch01_param_x,
    maxLength: 120,
  },
  {
    key: 'shift',
    kind: 'number',
    label: 'Shift c',
    message: m.ch01_param_shift,
    min: -5,
    max: 5,
  },
  {
    key: 'scale',
    kind: 'number',
    label: 'Scale a',
    message: m.ch01_param_scale,
    min: 0.01,
    max: 100,
    scale: 'log',
  },
  {
    key: 'px',
    kind: 'number',
    label: 'Point x₁',
    message: m.ch01_param_px,
    min: -3,
    max: 3,
  },
  {
    key: 'py',
    kind: 'number',
    label: 'Point x₂',
    message: m.ch01_param_py,
    min: -3,
    max: 3,
  },
  {
    key: 'layer',
    kind: 'int',
    label: 'Layer',
    message: m.ch01_param_layer,
    min: 0,
    max: 63,
    bound: 'layer',
  },
  {
    key: 'tap',
    kind: 'enum',
    label: 'Norm',
    message: m.ch01_param_tap,
    options: ['attn_norm', 'ffn_norm'],
    optionLabels: { attn_norm: m.ch01_option_attn_norm, ffn_norm: m.ch01_option_ffn_norm },
  },
];

export const chapterParamDefaults = {
  x: '1.5, -0.5, 2, 0.25, -1, 3',
  shift: 0,
  scale: 1,
  px: 1.4,
  py: 0.5,
  layer: 0,
  tap: 'attn_norm',
};

/** Parse the vector text: up to 8 finite numbers in [-100, 100]; reports what it ignored. */
export function parseVector(text: string): { x: number[]; note: string } {
  const parts = text.split(/[,\s;]+/).filter((s) => s !== '');
  const x: number[] = [];
  let bad = 0;
  for (const p of parts) {
    const v = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(p) ? Number(p) : NaN;
    if (Number.isFinite(v) && Math.abs(v) <= 100) x.push(v);
    else bad += 1;
  }
  // The note is worded when parsed (at render time), in the page's language.
  const notes: string[] = [];
  if (bad) notes.push(bad === 1 ? m.ch01_vec_ignored_one() : m.ch01_vec_ignored_many({ n: bad }));
  if (x.length > 8) {
    x.length = 8;
    notes.push(m.ch01_vec_kept_8());
  }
  if (x.length < 2) {
    notes.push(m.ch01_vec_too_short());
    return { x: [1.5, -0.5, 2, 0.25, -1, 3], note: notes.join(m.clause_sep()) };
  }
  return { x, note: notes.join(m.clause_sep()) };
}
