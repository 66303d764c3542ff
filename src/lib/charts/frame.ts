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
