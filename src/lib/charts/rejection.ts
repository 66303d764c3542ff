// Chapter 6, rejection sampling: the draws under the envelope M q(x) against the target p(x)
// (tokens ranked by p), and the histogram of accepted draws against p. Pure builders.
import { withLegend } from './frame.ts';
import type { PlotOptions } from '@observablehq/plot';
import type { PlotModule } from '../plot-loader.ts';
import { m } from '../../paraglide/messages.js';

export interface RankedDraw {
  /** Rank of the drawn token by p (0 = most likely). */
  rank: number;
  y: number;
  accepted: boolean;
}

export interface RankedCurve {
  rank: number;
  p: number;
  envelope: number;
}

export function rejectionScatterOptions(
  Plot: PlotModule,
  curve: readonly RankedCurve[],
  draws: readonly RankedDraw[],
  opts: { width: number; height: number; fontSize: string },
): PlotOptions {
  // up to 3x the tallest p: a much higher envelope is drawn clipped at the top
  const pMax = Math.max(...curve.map((c) => c.p), 1e-9);
  const yMax = Math.max(pMax * 1.15, Math.min(Math.max(...curve.map((c) => c.envelope)), pMax * 3));
  const clip = (v: number) => Math.min(v, yMax);
  return {
    width: opts.width,
    height: opts.height,
    style: { fontSize: opts.fontSize },
    marginLeft: 52,
    x: { label: m.ch06_axis_rank(), domain: [-0.5, curve.length - 0.5] },
    y: { label: m.ch06_axis_height(), domain: [0, yMax], grid: true },
    color: withLegend(
      {
        domain: ['accepted', 'rejected'],
        range: ['var(--ok, #17663a)', 'var(--bad, #cf222e)'],
        // the keys stay English; the legend says them in the page's language
        tickFormat: (k: string) =>
          k === 'accepted' ? m.ch06_legend_accepted() : m.ch06_legend_rejected(),
      },
      opts.fontSize,
    ),
    marks: [
      Plot.rectY(curve, {
        x1: (c: RankedCurve) => c.rank - 0.45,
        x2: (c: RankedCurve) => c.rank + 0.45,
        y: 'p',
        fill: 'currentColor',
        fillOpacity: 0.12,
      }),
      Plot.lineY(curve, {
        x: 'rank',
        y: (c: RankedCurve) => clip(c.envelope),
        curve: 'step',
        stroke: 'var(--series-b, #b35900)',
        strokeWidth: 1.5,
      }),
      Plot.dot(
        draws.filter((d) => d.rank < curve.length),
        {
          x: 'rank',
          y: (d: RankedDraw) => clip(d.y),
          fill: (d: RankedDraw) => (d.accepted ? 'accepted' : 'rejected'),
          r: 2,
          fillOpacity: 0.7,
        },
      ),
    ],
  };
}

export interface HistogramBar {
  label: string;
  /** Fraction of accepted draws. */
  observed: number;
  /** Target probability. */
  expected: number;
}

export function rejectionHistogramOptions(
  Plot: PlotModule,
  bars: readonly HistogramBar[],
  opts: { width: number; height: number; fontSize: string },
): PlotOptions {
  return {
    width: opts.width,
    height: opts.height,
    style: { fontSize: opts.fontSize },
    marginLeft: 48,
    marginBottom: 56,
    x: { domain: bars.map((b) => b.label), label: null, tickRotate: -50 },
    y: { label: m.ch06_axis_share_accepted(), grid: true },
    marks: [
      Plot.barY(bars, {
        x: 'label',
        y: 'observed',
        fill: 'var(--series-a, #2a6fdb)',
        fillOpacity: 0.8,
        inset: 1,
      }),
      Plot.tickY(bars, { x: 'label', y: 'expected', stroke: 'currentColor', strokeWidth: 2 }),
      Plot.ruleY([0]),
    ],
  };
}
