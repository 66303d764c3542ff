// Chapter 4's KV-cache calculator: cache size against context length for a few attention
// variants (MHA, GQA, MQA), both axes in log2 space on linear scales so that every tick is a
// power of two with its own label; the chosen context is a dashed rule with a dot per variant.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize, withLegend } from './frame.ts';
import { m } from '../../paraglide/messages.js';

export interface KvCacheInput {
  variants: readonly { label: string; perToken: number; total: number }[];
  /** Chosen context length (tokens). */
  ctx: number;
  batch: number;
  dtype: string;
  /** Bytes in words (2.5 MiB), for ticks and tooltips. */
  formatBytes: (bytes: number) => string;
  height: number;
}

/** Context lengths drawn: powers of two from 512 to 128K (or ctx if longer), plus ctx itself. */
export function contextGrid(ctx: number): number[] {
  const hi = Math.max(ctx, 131072);
  const xs: number[] = [];
  for (let c = 512; c <= hi; c *= 2) xs.push(c);
  if (!xs.includes(ctx) && ctx >= 512) xs.push(ctx);
  return xs.sort((a, b) => a - b);
}

/** 2^e tokens as 512, 2K, 128K. */
export function tokensLabel(e: number): string {
  const c = 2 ** e;
  return c >= 1024 ? `${c / 1024}K` : String(c);
}

export function kvCache(
  Plot: PlotModule,
  { variants, ctx, batch, dtype, formatBytes, height }: KvCacheInput,
  frame: ChartFrame,
): PlotOptions {
  const xs = contextGrid(ctx);
  const data = variants.flatMap((v) =>
    xs.map((c) => ({ variant: v.label, lx: Math.log2(c), ly: Math.log2(v.perToken * c * batch) })),
  );
  const lo = Math.floor(Math.min(...data.map((d) => d.ly)));
  const top = Math.ceil(Math.max(...data.map((d) => d.ly)));
  const yTicks: number[] = [];
  for (let e = lo; e <= top; e++) if (e % 3 === 0) yTicks.push(e);
  const xTicks = xs.map(Math.log2).filter((e) => Number.isInteger(e) && e % 2 === 1);
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: 64,
    marginTop: 28,
    x: {
      label: m.charts_kv_x(),
      grid: true,
      ticks: xTicks,
      tickFormat: tokensLabel,
    },
    y: {
      label: m.charts_kv_y({ dtype, batch }),
      grid: true,
      ticks: yTicks,
      tickFormat: (e: number) => formatBytes(2 ** e),
    },
    color: withLegend(
      {
        domain: variants.map((v) => v.label),
        range: ['var(--series-b)', 'var(--series-a)', 'var(--series-c)'],
      },
      fontSize(frame),
    ),
    marks: [
      Plot.ruleX([Math.log2(ctx)], { stroke: 'var(--fg-soft)', strokeDasharray: '4 3' }),
      Plot.line(data, { x: 'lx', y: 'ly', stroke: 'variant', strokeWidth: 2 }),
      Plot.dot(
        variants.map((v) => ({
          variant: v.label,
          lx: Math.log2(ctx),
          ly: Math.log2(v.total),
          bytes: v.total,
        })),
        {
          x: 'lx',
          y: 'ly',
          fill: 'variant',
          r: 4,
          tip: true,
          title: (d: { variant: string; bytes: number }) => `${d.variant}: ${formatBytes(d.bytes)}`,
        },
      ),
    ],
  };
}
