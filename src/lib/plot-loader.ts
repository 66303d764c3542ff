// Observable Plot is big (it brings most of d3): load it once, lazily, when a chart first shows.
import type * as PlotNS from '@observablehq/plot';

export type PlotModule = typeof PlotNS;
let pending: Promise<PlotModule> | null = null;

export function loadPlot(): Promise<PlotModule> {
  pending ??= import('@observablehq/plot');
  return pending;
}
