// What every chart builder gets besides its data: the width it may use and whether it is shown
// as a slide (larger type). See README.md for the conventions of this folder.
import type * as PlotNS from '@observablehq/plot';

export type PlotModule = typeof PlotNS;
export type PlotOptions = PlotNS.PlotOptions;
export type Markish = PlotNS.Markish;

export interface ChartFrame {
  /** Width available to the chart, in CSS pixels. */
  width: number;
  /** Presented as a slide: larger type. */
  slides?: boolean;
}

/** Font size of axis and mark text: larger on slides, so it reads from the back of a room. */
export function fontSize(frame: ChartFrame): string {
  return frame.slides ? '15px' : '11px';
}

/**
 * A colour scale with its legend in the chart's type size. Plot draws legends (swatches and
 * ramps) at 10 px unless the scale's options carry a `style`, a legend option Plot reads from the
 * scale's options (its ScaleOptions type leaves it out): on a slide that the fit scales down,
 * 10 px legends would fall under the 20 px a projector needs.
 */
export function withLegend<S extends PlotNS.ScaleOptions>(scale: S, size: string): S {
  return { ...scale, legend: true, style: { fontSize: size } } as S;
}
