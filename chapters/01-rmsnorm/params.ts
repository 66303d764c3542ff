// Chapter 1's own URL parameters (besides the norm and eps knobs and the sampler): the editable
// vector, the shift/scale of the invariance figure, the point of the geometry figure, and which
// hidden state the histogram shows.
import type { ParamSpec } from '$lib/params.ts';

export const chapterParams: ParamSpec[] = [
  { key: 'x', kind: 'text', label: 'Vector', maxLength: 120 },
  { key: 'shift', kind: 'number', label: 'Shift c', min: -5, max: 5 },
  { key: 'scale', kind: 'number', label: 'Scale a', min: 0.01, max: 100, scale: 'log' },
  { key: 'px', kind: 'number', label: 'Point x₁', min: -3, max: 3 },
  { key: 'py', kind: 'number', label: 'Point x₂', min: -3, max: 3 },
  { key: 'layer', kind: 'int', label: 'Layer', min: 0, max: 63, bound: 'layer' },
  { key: 'tap', kind: 'enum', label: 'Norm', options: ['attn_norm', 'ffn_norm'] },
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
  const notes: string[] = [];
  if (bad)
    notes.push(
      `ignored ${bad} entr${bad === 1 ? 'y' : 'ies'} that ${bad === 1 ? 'is' : 'are'} not a number between −100 and 100`,
    );
  if (x.length > 8) {
    x.length = 8;
    notes.push('kept the first 8 entries');
  }
  if (x.length < 2) {
    notes.push('a vector needs at least 2 entries: using the default');
    return { x: [1.5, -0.5, 2, 0.25, -1, 3], note: notes.join('; ') };
  }
  return { x, note: notes.join('; ') };
}
