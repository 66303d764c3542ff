// Histograms of a few value sets side by side (one facet each), e.g. an FFN layer's gate inputs,
// activations and up projections over every prompt token and hidden unit. Non-finite values are
// left out (and counted by the caller, not drawn).
import type { RectYOptions } from '@observablehq/plot';
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize } from './frame.ts';

export interface HistogramPanel {
  name: string;
  values: ArrayLike<number>;
}

export interface HistogramsInput {
  panels: readonly HistogramPanel[];
  /** CSS colours by panel, in order. */
  colors: readonly string[];
  height: number;
  thresholds?: number;
  xLabel?: string;
  yLabel?: string;
}

export function histogramRows(panels: readonly HistogramPanel[]): { which: string; v: number }[] {
  const out: { which: string; v: number }[] = [];
  for (const p of panels)
    for (let i = 0; i < p.values.length; i++) {
      const v = p.values[i];
      if (Number.isFinite(v)) out.push({ which: p.name, v });
    }
  return out;
}

export function histograms(
  Plot: PlotModule,
  { panels, colors, height, thresholds = 30, xLabel = 'value', yLabel = 'count' }: HistogramsInput,
  frame: ChartFrame,
): PlotOptions {
  const names = panels.map((p) => p.name);
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: 44,
    fx: { label: null, domain: names },
    x: { label: xLabel },
    y: { grid: true, label: yLabel },
    color: { domain: names, range: colors.slice(0, names.length) },
    marks: [
      Plot.rectY(
        histogramRows(panels),
        Plot.binX<RectYOptions>({ y: 'count' }, { x: 'v', fill: 'which', fx: 'which', thresholds }),
      ),
      Plot.ruleX([0], { strokeOpacity: 0.5 }),
      Plot.ruleY([0]),
    ],
  };
}
