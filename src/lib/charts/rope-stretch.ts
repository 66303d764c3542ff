// How much each RoPE pair is slowed by a long-context scaling: for every pair, its trained
// wavelength (x, log scale) against the stretch lambda'/lambda (y), one line per scaling. Linear
// interpolation is flat at s, NTK-aware rises smoothly from 1 to s, the ramp scalings (Llama 3.1,
// YaRN) stay at 1 for fast pairs and reach s for pairs slower than the trained context. A dashed
// rule marks the trained context L: pairs to its right never complete a turn in training.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize, withLegend } from './frame.ts';
import { m } from '../../paraglide/messages.js';
import { formatDecimal } from '../i18n/format.ts';

export interface StretchSeries {
  /** Legend name, e.g. 'NTK-aware'. */
  name: string;
  /** lambda'_i / lambda_i for i = 0 .. d/2-1. */
  stretch: readonly number[];
}

export interface RopeStretchInput {
  /** Trained wavelengths lambda_i = 2 pi / theta_i, i = 0 .. d/2-1 (ascending). */
  wavelengths: readonly number[];
  series: readonly StretchSeries[];
  /** The trained context L (positions). */
  trainedLen: number;
  /** The scaling factor s (the top of the y axis). */
  factor: number;
}

export interface StretchPoint {
  name: string;
  pair: number;
  wavelength: number;
  stretch: number;
}

/** One point per (series, pair), in series order. */
export function stretchPoints(input: RopeStretchInput): StretchPoint[] {
  return input.series.flatMap((s) =>
    s.stretch.map((stretch, pair) => ({
      name: s.name,
      pair,
      wavelength: input.wavelengths[pair],
      stretch,
    })),
  );
}

const COLOURS = ['var(--series-a)', 'var(--series-b)', 'var(--series-c)', 'var(--series-d)'];

export function ropeStretch(
  Plot: PlotModule,
  input: RopeStretchInput,
  frame: ChartFrame,
): PlotOptions {
  const points = stretchPoints(input);
  const fmt = (v: number) => formatDecimal(v, { maximumSignificantDigits: 3 });
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height: frame.slides ? 380 : 300,
    marginLeft: 48,
    marginRight: 16,
    x: { type: 'log', label: m.charts_stretch_x() },
    y: { domain: [0.9, input.factor * 1.1], grid: true, label: m.charts_stretch_y() },
    color: withLegend(
      {
        domain: input.series.map((s) => s.name),
        range: COLOURS.slice(0, input.series.length),
      },
      fontSize(frame),
    ),
    marks: [
      Plot.ruleY([1, input.factor], { stroke: 'var(--fg-soft)', strokeOpacity: 0.4 }),
      Plot.ruleX([input.trainedLen], { stroke: 'var(--fg-soft)', strokeDasharray: '5 4' }),
      Plot.text([input.trainedLen], {
        x: (d: number) => d,
        frameAnchor: 'top',
        dy: 4,
        dx: -4,
        textAnchor: 'end',
        text: () => m.charts_stretch_trained({ n: formatDecimal(input.trainedLen) }),
      }),
      Plot.line(points, {
        x: 'wavelength',
        y: 'stretch',
        stroke: 'name',
        z: 'name',
        strokeWidth: 2,
      }),
      Plot.dot(points, {
        x: 'wavelength',
        y: 'stretch',
        fill: 'name',
        r: 2.5,
        title: (d: StretchPoint) =>
          m.charts_stretch_point({
            name: d.name,
            pair: d.pair,
            from: fmt(d.wavelength),
            to: fmt(d.wavelength * d.stretch),
            s: fmt(d.stretch),
          }),
      }),
    ],
  };
}
