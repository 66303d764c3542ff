// Chapter 2's gated unit: gate(a) · b over the square [-R, R]² as a raster with contour lines
// (diverging colours around 0), and the gates alone against a with the band [0, 1] shaded.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize, withLegend } from './frame.ts';

export interface GateSurfaceInput {
  /** The gated unit's value at (a, b). */
  value: (a: number, b: number) => number;
  /** Half-width of the square. */
  R: number;
  /** Legend title (the variant's name and formula). */
  label: string;
  /** Axis titles for a (the gate input) and b (the up projection), in the page's language. */
  aLabel: string;
  bLabel: string;
}

export function gateSurface(
  Plot: PlotModule,
  { value, R, label, aLabel, bLabel }: GateSurfaceInput,
  frame: ChartFrame,
): PlotOptions {
  const w = Math.min(frame.width, frame.slides ? 420 : 360);
  const extent = { x1: -R, x2: R, y1: -R, y2: R };
  return {
    style: { fontSize: fontSize(frame) },
    width: w,
    height: w - 10,
    marginLeft: 40,
    marginBottom: 36,
    x: { label: aLabel, domain: [-R, R] },
    y: { label: bLabel, domain: [-R, R] },
    color: withLegend({ type: 'diverging', scheme: 'RdBu', pivot: 0, label }, fontSize(frame)),
    marks: [
      Plot.raster({ fill: value, ...extent, pixelSize: 4 }),
      Plot.contour({
        value,
        ...extent,
        stroke: 'currentColor',
        strokeOpacity: 0.35,
        thresholds: 12,
      }),
      Plot.ruleX([0], { strokeOpacity: 0.5 }),
      Plot.ruleY([0], { strokeOpacity: 0.5 }),
    ],
  };
}

export interface GateCurvesInput {
  /** gate(a) of each variant v. */
  rows: readonly { a: number; g: number; v: string }[];
  R: number;
  height: number;
  /** The y axis' title, in the reader's language ("gate(a)"). */
  gLabel: string;
}

export function gateCurves(
  Plot: PlotModule,
  { rows, R, height, gLabel }: GateCurvesInput,
  frame: ChartFrame,
): PlotOptions {
  return {
    style: { fontSize: fontSize(frame) },
    width: Math.min(frame.width, 420),
    height,
    marginLeft: 36,
    x: { label: 'a', grid: true },
    y: { label: gLabel, grid: true, domain: [-0.5, R] },
    color: withLegend({}, fontSize(frame)),
    marks: [
      Plot.rectY([0], { x1: -R, x2: R, y1: 0, y2: 1, fill: 'var(--fg-soft)', fillOpacity: 0.12 }),
      Plot.text([{ a: -R + 0.1, g: 0.5 }], {
        x: 'a',
        y: 'g',
        text: () => '[0, 1]',
        textAnchor: 'start',
        fill: 'var(--fg-soft)',
      }),
      Plot.ruleY([0]),
      Plot.line(rows, { x: 'a', y: 'g', stroke: 'v', strokeWidth: 2, clip: true }),
    ],
  };
}
