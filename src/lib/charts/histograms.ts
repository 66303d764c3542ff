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

/** Margins of the histograms (px): the y axis's numbers on the left. */
const MARGIN_LEFT = 44;
const MARGIN_RIGHT = 12;

/**
 * How the panels' axes are laid out for a width and a type size (px), so that nothing overlaps
 * in a narrow column or on a slide (larger type in fewer pixels): `facetWidth` of each panel,
 * `xTicks` about one value every 4 font sizes, `inset` keeping a panel's end labels off its
 * neighbour's, `lineWidth` (ems) wrapping the panel titles to their panel, `marginTop` room for
 * the y axis label above the wrapped titles, `marginBottom` for the x axis label below the ticks.
 */
export function histogramLayout(names: readonly string[], width: number, font: number) {
  const n = Math.max(1, names.length);
  // Plot's facet bands: padding 0.1 between panels
  const facetWidth = (width - MARGIN_LEFT - MARGIN_RIGHT) / (n + 0.1 * (n - 1));
  const lineWidth = Math.max(4, facetWidth / font);
  // about 0.6 em a character
  const lines = Math.max(1, ...names.map((s) => Math.ceil((s.length * 0.6) / lineWidth)));
  return {
    facetWidth,
    xTicks: Math.max(2, Math.floor(facetWidth / (4 * font))),
    inset: Math.round(font * 0.8),
    lineWidth,
    marginTop: Math.ceil(font * (1.2 * (lines + 1) + 0.6)),
    // the tick labels, then the x axis label on a line of its own
    marginBottom: Math.ceil(font * 3),
  };
}

export function histograms(
  Plot: PlotModule,
  { panels, colors, height, thresholds = 30, xLabel = 'value', yLabel = 'count' }: HistogramsInput,
  frame: ChartFrame,
): PlotOptions {
  const names = panels.map((p) => p.name);
  const layout = histogramLayout(names, frame.width, parseFloat(fontSize(frame)));
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    // the plot area the caller asked for (Plot's default margins: 30 above, 30 below)
    height: height + layout.marginTop - 30 + layout.marginBottom - 30,
    marginLeft: MARGIN_LEFT,
    marginRight: MARGIN_RIGHT,
    marginTop: layout.marginTop,
    marginBottom: layout.marginBottom,
    fx: { label: null, domain: names },
    x: {
      label: xLabel,
      ticks: layout.xTicks,
      insetLeft: layout.inset,
      insetRight: layout.inset,
    },
    y: { grid: true, label: yLabel },
    color: { domain: names, range: colors.slice(0, names.length) },
    marks: [
      Plot.rectY(
        histogramRows(panels),
        Plot.binX<RectYOptions>({ y: 'count' }, { x: 'v', fill: 'which', fx: 'which', thresholds }),
      ),
      Plot.ruleX([0], { strokeOpacity: 0.5 }),
      Plot.ruleY([0]),
      // the panel titles, wrapped to their panel's width
      Plot.axisFx({ anchor: 'top', label: null, lineWidth: layout.lineWidth, tickSize: 0 }),
    ],
  };
}
