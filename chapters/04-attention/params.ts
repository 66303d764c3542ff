// Chapter 4's own URL parameters (besides the kvGroups knob and the sampler): the shape of the
// head-sharing diagram, the KV-cache calculator's model, context, batch and number format, and
// which layer and K/V group the attention maps show.
import type { ParamSpec } from '$lib/params.ts';
import { LLAMA_CONFIGS, divisors } from './math.ts';
import { m } from '$paraglide/messages.js';

export const chapterParams: ParamSpec[] = [
  { key: 'nh', kind: 'int', label: 'Query heads', message: m.ch04_param_nh, min: 1, max: 64 },
  { key: 'nkv', kind: 'int', label: 'K/V heads', message: m.ch04_param_nkv, min: 1, max: 64 },
  {
    key: 'cfg',
    kind: 'enum',
    label: 'Model',
    message: m.ch04_param_cfg,
    options: LLAMA_CONFIGS.map((c) => c.id),
    // Model names, the same in every language.
    optionLabels: Object.fromEntries(LLAMA_CONFIGS.map((c) => [c.id, () => c.name])),
  },
  {
    key: 'ctx',
    kind: 'int',
    label: 'Context length',
    message: m.ch04_param_ctx,
    min: 1,
    max: 1_048_576,
  },
  {
    key: 'batch',
    kind: 'int',
    label: 'Batch size',
    message: m.ch04_param_batch,
    min: 1,
    max: 1024,
  },
  {
    key: 'dtype',
    kind: 'enum',
    label: 'Number format',
    message: m.ch04_param_dtype,
    options: ['fp16', 'fp32'],
    optionLabels: { fp16: m.ch04_option_fp16, fp32: m.ch04_option_fp32 },
  },
  {
    key: 'layer',
    kind: 'int',
    label: 'Layer',
    message: m.ch04_param_layer,
    min: 0,
    max: 63,
    bound: 'layer',
  },
  {
    key: 'group',
    kind: 'int',
    label: 'K/V head',
    message: m.ch04_param_group,
    min: 0,
    max: 255,
    bound: 'kvHead',
  },
];

export const chapterParamDefaults = {
  prompt: 'First Citizen:\nBefore we proceed',
  nh: 8,
  nkv: 2,
  cfg: 'llama2-70b',
  ctx: 4096,
  batch: 1,
  dtype: 'fp16',
  layer: 0,
  group: 0,
};

/** Query-head counts the diagram offers (LLaMA models use 32, 40, 52 and 64). */
export const HEAD_CHOICES = [1, 2, 4, 6, 8, 12, 16, 32, 40, 52, 64];

/** Context lengths the calculator offers: powers of two from 512 to 128K, plus the 1M edge. */
export const CONTEXT_CHOICES = [
  512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 1_048_576,
];
export const BATCH_CHOICES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/**
 * The diagram's shape from the URL: any n_heads from 1 to 64, and the K/V head count snapped to
 * the nearest divisor of it (a link asking for 3 K/V heads of 8 query heads gets 2, and says so).
 */
export function diagramShape(
  nh: number,
  nkv: number,
): { nHeads: number; nKvHeads: number; note: string } {
  const nHeads = Math.min(64, Math.max(1, Math.round(Number.isFinite(nh) ? nh : 8)));
  const want = Math.min(nHeads, Math.max(1, Math.round(Number.isFinite(nkv) ? nkv : 1)));
  const ds = divisors(nHeads);
  const nKvHeads = ds.reduce(
    (best, d) => (Math.abs(d - want) < Math.abs(best - want) ? d : best),
    ds[0],
  );
  const note =
    nKvHeads === nkv ? '' : m.ch04_shape_note({ n: formatCount(nkv), nHeads, shown: nKvHeads });
  return { nHeads, nKvHeads, note };
}

function formatCount(n: number): string {
  return Number.isFinite(n) ? String(n) : m.ch04_that_many();
}
