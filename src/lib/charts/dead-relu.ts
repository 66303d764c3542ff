// Chapter 2's dead-ReLU figure: the density of a unit's pre-activation z split at 0 (where a ReLU
// outputs 0) on top, the slopes ReLU′ and SiLU′ below, on one z axis.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize } from './frame.ts';

export const DEAD_SIDE = 'z < 0: ReLU outputs 0';
export const LIVE_SIDE = 'z > 0';

export interface DeadReluInput {
  /** Density p(z) with the side of 0 each z is on (DEAD_SIDE or LIVE_SIDE). */
  density: readonly { z: number; p: number; side: string }[];
  /** Slopes g(z) of named activations (e.g. ReLU′, SiLU′). */
  slopes: readonly { z: number; g: number; which: string }[];
  /** Names of the slope series, in legend order. */
  slopeNames: readonly [string, string];
  zDomain: [number, number];
  height: number;
}

export function deadRelu(
  Plot: PlotModule,
  { density, slopes, slopeNames, zDomain, height }: DeadReluInput,
  frame: ChartFrame,
): PlotOptions {
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: 44,
    marginRight: 56,
    x: { label: 'pre-activation z = w·x + b', domain: zDomain },
    fy: { label: null, domain: ['density', 'slope'] },
    y: { grid: true, label: null },
    color: {
      legend: true,
      domain: [DEAD_SIDE, LIVE_SIDE, ...slopeNames],
      range: ['var(--bad, #c33)', 'var(--series-a)', 'var(--series-c)', 'var(--series-b)'],
    },
    marks: [
      Plot.areaY(density, { x: 'z', y: 'p', fill: 'side', fillOpacity: 0.55, fy: () => 'density' }),
      Plot.line(slopes, { x: 'z', y: 'g', stroke: 'which', strokeWidth: 2, fy: () => 'slope' }),
      Plot.ruleX([0]),
      Plot.ruleY([0]),
    ],
  };
}
