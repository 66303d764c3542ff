// Curves y = f(x) of a few named functions on one chart (activations, their derivatives, the
// reader's formula): each series is a line with its own colour, optionally dashed; the legend
// lists each name once, in order. The points are computed by the chapter (math.ts).
import type { ChartFrame, Markish, PlotModule, PlotOptions } from './frame.ts';
import { fontSize, withLegend } from './frame.ts';

export interface CurveSeries {
  /** Legend entry and colour key; a dashed twin (a derivative) may share its name. */
  name: string;
  /** CSS colour of the name (the first series of a name decides). */
  color: string;
  points: readonly { x: number; y: number }[];
  dashed?: boolean;
  strokeWidth?: number;
}

export interface FunctionPlotInput {
  xDomain: [number, number];
  series: readonly CurveSeries[];
  xLabel?: string;
  yLabel?: string;
  height: number;
  /** Fixed y range (default: fitted to the data). */
  yDomain?: [number, number];
  /** Legend order when it differs from the drawing order (later series are drawn on top). */
  legendOrder?: readonly string[];
}

export function functionPlot(
  Plot: PlotModule,
  {
    xDomain,
    series,
    xLabel = 'x',
    yLabel = 'value',
    height,
    yDomain,
    legendOrder,
  }: FunctionPlotInput,
  frame: ChartFrame,
): PlotOptions {
  const names: string[] = [];
  const colors: string[] = [];
  for (const s of series)
    if (!names.includes(s.name)) {
      names.push(s.name);
      colors.push(s.color);
    }
  if (legendOrder) {
    const order = (n: string) => legendOrder.indexOf(n);
    const pairs = names
      .map((n, i) => [n, colors[i]] as const)
      .sort((a, b) => order(a[0]) - order(b[0]));
    pairs.forEach(([n, c], i) => ((names[i] = n), (colors[i] = c)));
  }
  const lines: Markish[] = series.map((s) =>
    Plot.line(s.points, {
      x: 'x',
      y: 'y',
      stroke: () => s.name,
      strokeWidth: s.strokeWidth ?? 2,
      strokeDasharray: s.dashed ? '5 3' : undefined,
    }),
  );
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: 40,
    x: { label: xLabel, grid: true, domain: xDomain },
    y: { label: yLabel, grid: true, ...(yDomain ? { domain: yDomain } : {}) },
    color: withLegend({ domain: names, range: colors }, fontSize(frame)),
    marks: [Plot.ruleY([0]), Plot.ruleX([0]), ...lines],
  };
}

/** Points (x, f(x)) at the given x. */
export function sample(
  f: (x: number) => number,
  xs: readonly number[],
): { x: number; y: number }[] {
  return xs.map((x) => ({ x, y: f(x) }));
}
