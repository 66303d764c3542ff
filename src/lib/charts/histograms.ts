// Histograms of a few value sets side by side (one panel each, shared x and y scales), e.g. the
// lab's hidden state before and after a norm, or an FFN layer's gate inputs, activations and up
// projections. Non-finite values are left out (and counted by the caller, not drawn).
//
// Unlike the other builders of this folder this one returns pixel geometry, not Plot options:
// these histograms change with every prediction of the lab (every step of a slider drag), and
// building a new Plot chart each time (about 5 ms, plus a style recalculation of the page for
// Plot's <style> element) did not fit in a frame. `Histograms.svelte` draws the geometry as SVG
// and updates the bars in place (issue 11). The look follows Plot's: facets with titles on top,
// a y axis with a grid on the left, an x axis under each panel, a rule at x = 0.
import { format, nice, scaleLinear, tickIncrement } from 'd3';
import type { ChartFrame } from './frame.ts';
import { fontSize } from './frame.ts';

export interface HistogramPanel {
  name: string;
  values: ArrayLike<number>;
}

export interface HistogramsInput {
  panels: readonly HistogramPanel[];
  /** CSS colours by panel, in order. */
  colors: readonly string[];
  /** Height of the plot area plus 60 px (as Plot's `height` with its default margins). */
  height: number;
  /** About how many bins (nice, uniform bins shared by every panel). */
  thresholds?: number;
  xLabel?: string;
  yLabel?: string;
}

/** Margins of the histograms (px): the y axis's numbers on the left. */
const MARGIN_LEFT = 44;
const MARGIN_RIGHT = 12;
/** Gap between panels, as a fraction of a panel's width (Plot's facet band padding). */
const PANEL_GAP = 0.1;

/**
 * How the panels' axes are laid out for a width and a type size (px), so that nothing overlaps
 * in a narrow column or on a slide (larger type in fewer pixels): `facetWidth` of each panel,
 * `xTicks` about one value every 4 font sizes, `inset` keeping a panel's end labels off its
 * neighbour's, `lineWidth` (ems) wrapping the panel titles to their panel, `marginTop` room for
 * the y axis label above the wrapped titles, `marginBottom` for the x axis label below the ticks.
 */
export function histogramLayout(names: readonly string[], width: number, font: number) {
  const n = Math.max(1, names.length);
  const facetWidth = (width - MARGIN_LEFT - MARGIN_RIGHT) / (n + PANEL_GAP * (n - 1));
  const lineWidth = Math.max(4, facetWidth / font);
  const lines = Math.max(1, ...names.map((s) => wrapTitle(s, lineWidth).length));
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

/** A panel title broken into lines of at most `ems` wide (about 0.6 em a character), at spaces. */
export function wrapTitle(title: string, ems: number): string[] {
  const max = Math.max(1, Math.floor(ems / 0.6));
  const lines: string[] = [];
  let line = '';
  for (const word of title.split(' ')) {
    if (line && (line + ' ' + word).length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

export interface HistogramBins {
  /** Bin edges, uniform and nice: bin i is [edges[i], edges[i+1]). */
  edges: number[];
  /** Counts by panel, then by bin. */
  counts: number[][];
  /** Finite values counted, by panel. */
  totals: number[];
}

/**
 * Shared bins for every panel: about `count` uniform bins with nice edges over the range of all
 * finite values (as d3.bin with a count, the last value inside the last bin).
 */
export function histogramBins(panels: readonly HistogramPanel[], count: number): HistogramBins {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of panels)
    for (let i = 0; i < p.values.length; i++) {
      const v = p.values[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  if (lo > hi) return { edges: [0, 1], counts: panels.map(() => [0]), totals: panels.map(() => 0) };
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const [x0, x1] = nice(lo, hi, count);
  const inc = tickIncrement(x0, x1, count);
  const step = inc > 0 ? inc : -1 / inc;
  // the largest value falls inside the last bin, also when it lies on an edge
  const n = Math.max(1, Math.floor((hi - x0) / step + 1e-9) + 1);
  const edges = Array.from({ length: n + 1 }, (_, i) => edge(x0, i, inc));
  const counts = panels.map(() => new Array<number>(n).fill(0));
  const totals = panels.map(() => 0);
  panels.forEach((p, k) => {
    const c = counts[k];
    for (let i = 0; i < p.values.length; i++) {
      const v = p.values[i];
      if (!Number.isFinite(v)) continue;
      let b = Math.floor((v - x0) / step + 1e-9);
      if (b < 0) b = 0;
      else if (b >= n) b = n - 1;
      c[b]++;
      totals[k]++;
    }
  });
  return { edges, counts, totals };
}

/** Edge i from x0 with d3's increment (exact decimals: 0.1 steps as i / 10, not i * 0.1). */
function edge(x0: number, i: number, inc: number): number {
  return inc > 0 ? x0 + i * inc : (Math.round(x0 * -inc) + i) / -inc;
}

export interface HistogramGeometry {
  width: number;
  height: number;
  /** Type size (px). */
  font: number;
  /** The plot area's top and bottom (y of the count 0). */
  top: number;
  bottom: number;
  /** x of the y axis. */
  left: number;
  yTicks: { y: number; label: string }[];
  xLabel: string;
  yLabel: string;
  panels: {
    name: string;
    color: string;
    /** x of the panel's left edge; everything below is relative to it. */
    x: number;
    width: number;
    titleLines: string[];
    bars: { x: number; y: number; width: number; height: number }[];
    xTicks: { x: number; label: string }[];
    /** x of the value 0, when it lies inside the panel's range. */
    zero: number | null;
  }[];
}

export function histograms(
  { panels, colors, height, thresholds = 30, xLabel = 'value', yLabel = 'count' }: HistogramsInput,
  frame: ChartFrame,
): HistogramGeometry {
  const names = panels.map((p) => p.name);
  const font = parseFloat(fontSize(frame));
  const layout = histogramLayout(names, frame.width, font);
  const top = layout.marginTop;
  const total = height + layout.marginTop - 30 + layout.marginBottom - 30;
  const bottom = total - layout.marginBottom;
  const { edges, counts } = histogramBins(panels, thresholds);
  const maxCount = Math.max(1, ...counts.map((c) => Math.max(0, ...c)));
  const y = scaleLinear([0, maxCount], [bottom, top]);
  const w = layout.facetWidth;
  const x = scaleLinear([edges[0], edges.at(-1)!], [layout.inset, w - layout.inset]);
  const xFormat = x.tickFormat(layout.xTicks);
  const countFormat = format(',');
  const [d0, d1] = x.domain();
  return {
    width: frame.width,
    height: total,
    font,
    top,
    bottom,
    left: MARGIN_LEFT,
    xLabel: `${xLabel} →`,
    yLabel: `↑ ${yLabel}`,
    // counts: whole numbers only, about one tick every 35 px (Plot's default density)
    yTicks: y
      .ticks(Math.max(2, Math.round((bottom - top) / 35)))
      .filter(Number.isInteger)
      .map((t) => ({ y: y(t), label: countFormat(t) })),
    panels: panels.map((p, k) => ({
      name: p.name,
      color: colors[k % colors.length],
      x: MARGIN_LEFT + k * w * (1 + PANEL_GAP),
      width: w,
      titleLines: wrapTitle(p.name, layout.lineWidth),
      // Plot's rect inset: half a pixel each side
      bars: counts[k].map((c, i) => {
        const left = x(edges[i]) + 0.5;
        const right = x(edges[i + 1]) - 0.5;
        return { x: left, y: y(c), width: Math.max(0, right - left), height: bottom - y(c) };
      }),
      xTicks: x.ticks(layout.xTicks).map((t) => ({ x: x(t), label: xFormat(t) })),
      zero: d0 <= 0 && d1 >= 0 ? x(0) : null,
    })),
  };
}
