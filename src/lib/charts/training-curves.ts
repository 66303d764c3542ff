// Loss against training step for a few training runs: the (smoothed) training loss solid, the
// validation loss dashed with dots, one colour per run; the y range is given (the caller cuts an
// early spike off rather than squashing the chart).
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize, withLegend } from './frame.ts';
import { m } from '../../paraglide/messages.js';

export interface TrainingRun {
  label: string;
  points: readonly { step: number; loss: number; split: 'train' | 'val' }[];
}

export interface TrainingCurvesInput {
  runs: readonly TrainingRun[];
  /** CSS colours by run, in order. */
  colors: readonly string[];
  yDomain: [number, number];
  height: number;
}

export function trainingCurves(
  Plot: PlotModule,
  { runs, colors, yDomain, height }: TrainingCurvesInput,
  frame: ChartFrame,
): PlotOptions {
  const data = runs.flatMap((a) =>
    a.points.map((p) => ({ ...p, run: a.label, series: `${a.label}, ${p.split}` })),
  );
  const val = data.filter((d) => d.split === 'val');
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: 44,
    x: { label: m.curves_axis_step(), grid: true },
    y: { label: m.curves_axis_loss(), grid: true, domain: yDomain },
    color: withLegend(
      { domain: runs.map((r) => r.label), range: colors.slice(0, runs.length) },
      fontSize(frame),
    ),
    marks: [
      Plot.line(
        data.filter((d) => d.split === 'train'),
        {
          x: 'step',
          y: 'loss',
          z: 'series',
          stroke: 'run',
          strokeWidth: 1.5,
          strokeOpacity: 0.85,
          clip: true,
        },
      ),
      Plot.line(val, {
        x: 'step',
        y: 'loss',
        z: 'series',
        stroke: 'run',
        strokeWidth: 1.8,
        strokeDasharray: '5 3',
        clip: true,
      }),
      Plot.dot(val, { x: 'step', y: 'loss', stroke: 'run', r: 2.5, clip: true }),
    ],
  };
}
