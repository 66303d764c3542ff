// Charts of a training run in the page (chapter 5's lab): the loss in bits per character
// (training batches and the validation text), and the learning rate with the gradient norm.
// Pure builders: data in, Plot options out; the component only calls Plot.plot on them.
import {
  fontSize,
  type ChartFrame,
  type PlotModule,
  type PlotOptions,
  withLegend,
} from './frame.ts';
import { m } from '../../paraglide/messages.js';

export interface LossPoint {
  step: number;
  /** Mean nats per token of the step's batch. */
  loss: number;
}

export interface ValLossPoint {
  step: number;
  bitsPerChar: number;
}

export interface LossSeries {
  step: number;
  bitsPerChar: number;
  series: 'training batches' | 'validation text';
}

/**
 * Training loss per token turned into bits per character with the training text's tokens per
 * character (nats / ln 2 * tokens / chars), so both curves share one unit; non-finite values are
 * dropped (never drawn as a number).
 */
export function lossSeries(
  train: readonly LossPoint[],
  val: readonly ValLossPoint[],
  tokensPerChar: number,
): LossSeries[] {
  const out: LossSeries[] = [];
  for (const p of train) {
    const b = (p.loss / Math.LN2) * tokensPerChar;
    if (Number.isFinite(b)) out.push({ step: p.step, bitsPerChar: b, series: 'training batches' });
  }
  for (const p of val) {
    if (Number.isFinite(p.bitsPerChar))
      out.push({ step: p.step, bitsPerChar: p.bitsPerChar, series: 'validation text' });
  }
  return out;
}

export function lossChart(
  Plot: PlotModule,
  data: readonly LossSeries[],
  frame: ChartFrame & { height?: number; totalSteps: number },
): PlotOptions {
  const train = data.filter((d) => d.series === 'training batches');
  const val = data.filter((d) => d.series === 'validation text');
  return {
    width: frame.width,
    style: { fontSize: fontSize(frame) },
    height: frame.height ?? 240,
    marginLeft: 48,
    x: { label: m.train_axis_step(), domain: [0, Math.max(1, frame.totalSteps)] },
    y: { label: m.train_axis_bits_per_char(), grid: true, zero: true },
    color: withLegend(
      {
        domain: ['training batches', 'validation text'],
        range: ['var(--series-a)', 'var(--series-b)'],
        // the series keys stay English; the legend says them in the page's language
        tickFormat: (s: LossSeries['series']) =>
          s === 'training batches' ? m.train_legend_training() : m.train_legend_validation(),
      },
      fontSize(frame),
    ),
    marks: [
      Plot.line(train, { x: 'step', y: 'bitsPerChar', stroke: 'series', strokeOpacity: 0.7 }),
      Plot.line(val, { x: 'step', y: 'bitsPerChar', stroke: 'series', strokeWidth: 2 }),
      Plot.dot(val, { x: 'step', y: 'bitsPerChar', fill: 'series', r: 3 }),
    ],
  };
}

export interface OptimPoint {
  step: number;
  lr: number;
  gradNorm: number;
}

/** The learning rate or the gradient norm (before clipping) per step: one small chart each. */
export function optimChart(
  Plot: PlotModule,
  points: readonly OptimPoint[],
  key: 'lr' | 'gradNorm',
  frame: ChartFrame & { height?: number; totalSteps: number },
): PlotOptions {
  const rows = points.filter((p) => Number.isFinite(p[key]));
  return {
    width: frame.width,
    style: { fontSize: fontSize(frame) },
    height: frame.height ?? 140,
    marginLeft: 56,
    x: { label: m.train_axis_step(), domain: [0, Math.max(1, frame.totalSteps)] },
    y: {
      grid: true,
      zero: true,
      label: key === 'lr' ? m.train_axis_lr() : m.train_axis_grad_norm(),
      tickFormat: key === 'lr' ? '.0e' : undefined,
    },
    marks: [Plot.lineY(rows, { x: 'step', y: key, stroke: 'var(--series-a)' })],
  };
}
