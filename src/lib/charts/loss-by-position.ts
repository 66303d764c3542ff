// Chapter 3's long-context figure: the loss on each position of a held-out passage (a moving
// average), the trained model against the current knobs, with the trained context seq_len marked.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize } from './frame.ts';

export const TRAINED_SERIES = 'trained model (as trained)';
export const CURRENT_SERIES = 'current knobs';

export interface LossByPositionInput {
  /** Smoothed loss by position, trained model. */
  trained: readonly number[];
  /** Smoothed loss by position, current knobs. */
  current: readonly number[];
  seqLen: number;
  /** Width of the moving average, for the axis label. */
  window: number;
  height: number;
}

export function lossByPosition(
  Plot: PlotModule,
  { trained, current, seqLen, window, height }: LossByPositionInput,
  frame: ChartFrame,
): PlotOptions {
  const data = [
    ...trained.map((y, x) => ({ x, y, series: TRAINED_SERIES })),
    ...current.map((y, x) => ({ x, y, series: CURRENT_SERIES })),
  ].filter((d) => Number.isFinite(d.y));
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: 44,
    x: { label: 'position in the passage', grid: true },
    y: { label: `loss (nats), mean of ${window}`, grid: true },
    color: {
      legend: true,
      domain: [TRAINED_SERIES, CURRENT_SERIES],
      range: ['var(--fg-soft)', 'var(--series-b)'],
    },
    marks: [
      Plot.ruleX([seqLen], { stroke: 'var(--series-a)', strokeDasharray: '5 4' }),
      Plot.text([seqLen], {
        x: (v: number) => v,
        frameAnchor: 'top',
        dx: 4,
        dy: 4,
        textAnchor: 'start',
        text: () => `seq_len = ${seqLen}`,
        fill: 'var(--series-a)',
      }),
      Plot.line(data, { x: 'x', y: 'y', stroke: 'series', strokeWidth: 1.5 }),
    ],
  };
}
