// Small vectors side by side, one facet per vector, one bar per entry (entry i counted from 1):
// chapter 1's x, its LayerNorm and its RMSNorm.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize } from './frame.ts';

export interface VectorBarsInput {
  vectors: readonly { name: string; values: readonly number[] }[];
  /** CSS colours by vector, in order. */
  colors: readonly string[];
  height: number;
  /** Axis titles, in the page's language. */
  xLabel: string;
  yLabel: string;
}

export function vectorBars(
  Plot: PlotModule,
  { vectors, colors, height, xLabel, yLabel }: VectorBarsInput,
  frame: ChartFrame,
): PlotOptions {
  const names = vectors.map((s) => s.name);
  const data = vectors.flatMap((s) => s.values.map((v, i) => ({ series: s.name, i: i + 1, v })));
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: 40,
    fx: { domain: names, label: null },
    x: { label: xLabel, tickFormat: (d: number) => String(d) },
    y: { grid: true, label: yLabel },
    color: { domain: names, range: colors.slice(0, names.length) },
    marks: [Plot.barY(data, { fx: 'series', x: 'i', y: 'v', fill: 'series' }), Plot.ruleY([0])],
  };
}
