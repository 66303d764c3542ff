// One training metric against the step (post-training chapter: SFT loss, DPO loss, preference
// accuracy, implicit reward margin, KL and mean reward of fresh samples), as a line, optionally
// with a horizontal reference (log 2 for the DPO loss at the start, 0 for the margin).
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize } from './frame.ts';
import { m } from '../../paraglide/messages.js';

export interface MetricPoint {
  step: number;
  value: number;
}

export function trainingMetric(
  Plot: PlotModule,
  input: {
    points: readonly MetricPoint[];
    label: string;
    reference?: number;
    color?: string;
    dots?: boolean;
  },
  frame: ChartFrame,
): PlotOptions {
  const pts = input.points.filter((p) => Number.isFinite(p.value));
  const stroke = input.color ?? 'var(--series-a)';
  const maxStep = Math.max(1, ...pts.map((p) => p.step));
  return {
    width: frame.width,
    height: frame.slides ? 240 : 160,
    marginLeft: 48,
    style: { fontSize: fontSize(frame) },
    x: { label: m.post_chart_step(), domain: [0, maxStep] },
    y: { label: `↑ ${input.label}`, grid: true },
    marks: [
      ...(input.reference !== undefined
        ? [Plot.ruleY([input.reference], { stroke: 'var(--fg-soft)', strokeDasharray: '4 3' })]
        : []),
      Plot.line(pts, { x: 'step', y: 'value', stroke, strokeWidth: 2 }),
      ...(input.dots ? [Plot.dot(pts, { x: 'step', y: 'value', fill: stroke, r: 3 })] : []),
    ],
  };
}
