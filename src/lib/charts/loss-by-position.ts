// Chapter 3's long-context figure: the loss on each position of a held-out passage (a moving
// average), the trained model against the current knobs, with the trained context seq_len marked.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize, withLegend } from './frame.ts';
import { m } from '../../paraglide/messages.js';

/** The legend's names, in the current locale. */
export const trainedSeries = (): string => m.charts_loss_trained();
export const currentSeries = (): string => m.charts_loss_current();

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
  const TRAINED = trainedSeries();
  const CURRENT = currentSeries();
  const data = [
    ...trained.map((y, x) => ({ x, y, series: TRAINED })),
    ...current.map((y, x) => ({ x, y, series: CURRENT })),
  ].filter((d) => Number.isFinite(d.y));
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: 44,
    // the x axis label on its own line below the tick labels, at the slides' type size too
    marginBottom: frame.slides ? 44 : 30,
    x: { label: m.charts_loss_x(), grid: true },
    y: { label: m.charts_loss_y({ window }), grid: true },
    color: withLegend(
      {
        domain: [TRAINED, CURRENT],
        range: ['var(--fg-soft)', 'var(--series-b)'],
      },
      fontSize(frame),
    ),
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
