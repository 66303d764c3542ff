// Chapter 3's own URL parameters (besides the RoPE knobs and the sampler): the query/key pair and
// positions of the rotation figure, the head size and distance range of the spectrum and decay
// charts, and which layer, head and token the live-model view looks at.
import type { ParamSpec } from '$lib/params.ts';
import { m } from '$paraglide/messages.js';

export const chapterParams: ParamSpec[] = [
  {
    key: 'qk',
    kind: 'text',
    label: 'Query and key pair (q₀, q₁, k₀, k₁)',
    message: m.ch03_param_qk,
    maxLength: 80,
  },
  { key: 'pair', kind: 'int', label: 'Pair i', message: m.ch03_param_pair, min: 0, max: 63 },
  { key: 'm', kind: 'int', label: 'Query position m', message: m.ch03_param_m, min: 0, max: 99 },
  { key: 'n', kind: 'int', label: 'Key position n', message: m.ch03_param_n, min: 0, max: 99 },
  {
    key: 'shift',
    kind: 'int',
    label: 'Move both by',
    message: m.ch03_param_shift,
    min: 0,
    max: 100,
  },
  {
    key: 'hs',
    kind: 'enum',
    label: 'Head size d',
    message: m.ch03_param_hs,
    options: ['16', '32', '64', '128'],
  },
  {
    key: 'dist',
    kind: 'enum',
    label: 'Largest distance',
    message: m.ch03_param_dist,
    options: ['256', '1024', '4096'],
  },
  {
    key: 'layer',
    kind: 'int',
    label: 'Layer',
    message: m.ch03_param_layer,
    min: 0,
    max: 63,
    bound: 'layer',
  },
  {
    key: 'head',
    kind: 'int',
    label: 'Head',
    message: m.ch03_param_head,
    min: 0,
    max: 63,
    bound: 'head',
  },
  {
    key: 'tok',
    kind: 'int',
    label: 'Token position',
    message: m.ch03_param_tok,
    min: 0,
    max: 4095,
    bound: 'position',
  },
  {
    key: 'stretch',
    kind: 'enum',
    label: 'Stretch chart for',
    message: m.ch03_param_stretch,
    options: ['llama3.1-8b', 'live-model'],
    optionLabels: {
      'llama3.1-8b': m.ch03_option_llama31_8b,
      'live-model': m.ch03_option_live_model,
    },
  },
];

export const chapterParamDefaults = {
  qk: '1, 0.25, 0.35, 0.9',
  pair: 1,
  m: 2,
  n: 5,
  shift: 0,
  hs: '128',
  dist: '1024',
  layer: 0,
  head: 0,
  tok: 4,
  stretch: 'llama3.1-8b',
  prompt: 'ROMEO:\nWhat light through yonder window breaks?',
};

const DEFAULT_Q: [number, number] = [1, 0.25];
const DEFAULT_K: [number, number] = [0.35, 0.9];

/** Parse "q0, q1, k0, k1": four finite numbers in [-10, 10], neither pair zero; else the default, with a note. */
export function parsePairs(text: string): { q: number[]; k: number[]; note: string } {
  const parts = text.split(/[,\s;]+/).filter((s) => s !== '');
  const v = parts.map((p) => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(p) ? Number(p) : NaN));
  const fallback = (why: string) => ({ q: [...DEFAULT_Q], k: [...DEFAULT_K], note: why });
  if (v.length !== 4) return fallback(m.ch03_pairs_count({ n: v.length }));
  if (v.some((x) => !Number.isFinite(x) || Math.abs(x) > 10)) {
    return fallback(m.ch03_pairs_range());
  }
  if ((v[0] === 0 && v[1] === 0) || (v[2] === 0 && v[3] === 0)) {
    return fallback(m.ch03_pairs_zero());
  }
  return { q: [v[0], v[1]], k: [v[2], v[3]], note: '' };
}
