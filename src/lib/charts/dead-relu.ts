// Chapter 2's dead-ReLU figure: the density of a unit's pre-activation z split at 0 (where a ReLU
// outputs 0) on top, the slopes ReLU′ and SiLU′ below, on one z axis.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize, withLegend } from './frame.ts';

export interface DeadReluInput {
  /** Density p(z) with the side of 0 each z is on (one of `sides`). */
  density: readonly { z: number; p: number; side: string }[];
  /** Slopes g(z) of named activations (e.g. ReLU′, SiLU′). */
  slopes: readonly { z: number; g: number; which: string }[];
  /** Names of the slope series, in legend order. */
  slopeNames: readonly [string, string];
  zDomain: [number, number];
  height: number;
  /** Legend names of the two sides of 0, in the page's language: [z < 0, z > 0]. */
  sides: readonly [string, string];
  /** Names of the two facets: [the density, the slopes]. */
  facets: readonly [string, string];
  /** Title of the z axis. */
  zLabel: string;
}

export function deadRelu(
  Plot: PlotModule,
  { density, slopes, slopeNames, zDomain, height, sides, facets, zLabel }: DeadReluInput,
  frame: ChartFrame,
): PlotOptions {
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: 44,
    marginRight: 56,
    x: { label: zLabel, domain: zDomain },
    fy: { label: null, domain: [...facets] },
    y: { grid: true, label: null },
    color: withLegend(
      {
        domain: [...sides, ...slopeNames],
        range: ['var(--bad, #c33)', 'var(--series-a)', 'var(--series-c)', 'var(--series-b)'],
      },
      fontSize(frame),
    ),
    marks: [
      Plot.areaY(density, { x: 'z', y: 'p', fill: 'side', fillOpacity: 0.55, fy: () => facets[0] }),
      Plot.line(slopes, { x: 'z', y: 'g', stroke: 'which', strokeWidth: 2, fy: () => facets[1] }),
      Plot.ruleX([0]),
      Plot.ruleY([0]),
    ],
  };
}
