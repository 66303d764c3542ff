// Chapter 3's spectrum: the wavelength 2π/θ_i of each RoPE pair i on a log scale, one series per
// base (and the page's own base and scaling), with context lengths as dashed rules and rings on
// the page's own wavelengths.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize, withLegend } from './frame.ts';
import { m } from '../../paraglide/messages.js';

export interface RopeSpectrumInput {
  /** Head size d: there are d/2 pairs. */
  d: number;
  series: readonly { name: string; wavelengths: readonly number[] }[];
  /** Wavelengths of the page's own base and scaling, ringed. */
  page: readonly number[];
  contexts: readonly { len: number; name: string }[];
  height: number;
}

/** Decades 10 … 1e9 up to the largest wavelength: log-axis ticks that read as round numbers. */
export function decadeTicks(max: number): number[] {
  return [10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9].filter((t) => t <= max);
}

/** 4,096 and 8,192 lie close on a log scale: one label goes above its rule, one below. */
export function contextLineAnchor(len: number): 'bottom' | 'middle' | 'top' {
  return len === 8192 ? 'bottom' : len === 4096 ? 'top' : 'middle';
}

export function ropeSpectrum(
  Plot: PlotModule,
  { d, series, page, contexts, height }: RopeSpectrumInput,
  frame: ChartFrame,
): PlotOptions {
  const data = series.flatMap((s) => s.wavelengths.map((w, i) => ({ series: s.name, i, w })));
  const many = d > 64;
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: 56,
    marginTop: 28,
    marginRight: frame.slides ? 130 : 96,
    x: { label: m.charts_spectrum_x(), grid: true },
    y: {
      type: 'log',
      label: m.charts_spectrum_y(),
      ticks: decadeTicks(Math.max(...data.map((r) => r.w))),
      tickFormat: '~s',
      grid: true,
    },
    color: withLegend(
      {
        domain: series.map((s) => s.name),
        range: ['var(--series-a)', 'var(--series-b)', 'var(--series-c)'],
      },
      fontSize(frame),
    ),
    marks: [
      Plot.ruleY(contexts, {
        y: 'len',
        stroke: 'currentColor',
        strokeOpacity: 0.35,
        strokeDasharray: '4 3',
      }),
      ...(['bottom', 'middle', 'top'] as const).map((lineAnchor) =>
        Plot.text(
          contexts.filter((c) => contextLineAnchor(c.len) === lineAnchor),
          {
            y: 'len',
            x: d / 2 - 1,
            text: 'name',
            textAnchor: 'start',
            lineAnchor,
            dx: 8,
            fontSize: frame.slides ? 14 : 10,
            fill: 'currentColor',
          },
        ),
      ),
      Plot.line(data, { x: 'i', y: 'w', stroke: 'series', strokeWidth: 1.5 }),
      Plot.dot(data, { x: 'i', y: 'w', fill: 'series', r: many ? 1.8 : 3, tip: true }),
      Plot.dot(
        page.map((w, i) => ({ i, w })),
        { x: 'i', y: 'w', r: many ? 4 : 6, stroke: 'currentColor', strokeWidth: 1.2, fill: 'none' },
      ),
    ],
  };
}
