// Chapter 6: the next-token distribution before and after the sampler's transforms, as paired
// bars over the most likely tokens (pure: data in, Plot options out).
import { withLegend } from './frame.ts';
import type { PlotOptions, RenderFunction } from '@observablehq/plot';
import type { PlotModule } from '../plot-loader.ts';
import { m } from '../../paraglide/messages.js';

export interface TokenBar {
  /** The token as shown on the axis (quoted, whitespace made visible). */
  label: string;
  /** Probability under the model (temperature 1, nothing cut). */
  before: number;
  /** Probability the sampler actually draws with (0 when cut). */
  after: number;
}

/** The `n` most likely tokens under `before`, with both probabilities. */
export function topBars(
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  label: (id: number) => string,
  n: number,
): TokenBar[] {
  const ids = Array.from({ length: before.length }, (_, i) => i)
    .sort((a, b) => before[b] - before[a] || a - b)
    .slice(0, n);
  return ids.map((id) => ({ label: label(id), before: before[id], after: after[id] }));
}

/**
 * A render transform that marks what a mark draws as English (lang="en"): the token strings on
 * the x axis are the model's vocabulary, read as English in every edition (and skipped by the
 * zh-TW walk's check for untranslated text, tests/e2e/zh-tw.test.ts).
 */
export const inEnglish: RenderFunction = (index, scales, values, dimensions, context, next) => {
  const g = next?.(index, scales, values, dimensions, context) ?? null;
  g?.setAttribute('lang', 'en');
  return g;
};

export function distributionBarsOptions(
  Plot: PlotModule,
  bars: readonly TokenBar[],
  opts: { width: number; height: number; fontSize: string },
): PlotOptions {
  const rows = bars.flatMap((b, rank) => [
    { rank, label: b.label, which: 'model (T = 1)', p: b.before },
    { rank, label: b.label, which: 'sampler draws from', p: b.after },
  ]);
  // the inner bars are narrower than the outer ones, by a share of the band (phones: narrow bands)
  const inner = Math.max(0.5, Math.min(4, ((opts.width - 60) / Math.max(1, bars.length)) * 0.2));
  return {
    width: opts.width,
    height: opts.height,
    style: { fontSize: opts.fontSize },
    marginBottom: 56,
    marginLeft: 48,
    x: { domain: bars.map((b) => b.label), label: null, axis: null },
    fx: undefined,
    y: {
      label: m.ch06_axis_probability(),
      grid: true,
      domain: [0, Math.max(0.05, ...rows.map((r) => r.p))],
    },
    color: withLegend(
      {
        domain: ['model (T = 1)', 'sampler draws from'],
        range: ['var(--series-c, #999)', 'var(--series-a, #2a6fdb)'],
        // the keys stay English; the legend says them in the page's language
        tickFormat: (k: string) =>
          k === 'model (T = 1)' ? m.ch06_legend_model() : m.ch06_legend_sampler(),
      },
      opts.fontSize,
    ),
    marks: [
      Plot.barY(
        rows.filter((r) => r.which === 'model (T = 1)'),
        { x: 'label', y: 'p', fill: 'which', fillOpacity: 0.45, inset: 0.5 },
      ),
      Plot.barY(
        rows.filter((r) => r.which === 'sampler draws from'),
        { x: 'label', y: 'p', fill: 'which', insetLeft: inner, insetRight: inner },
      ),
      Plot.ruleY([0]),
      Plot.axisX({ label: null, tickRotate: -50, render: inEnglish }),
    ],
  };
}
