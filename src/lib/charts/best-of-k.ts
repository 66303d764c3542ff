// Expected best-of-K reward against K (post-training chapter): the exact order-statistics
// expectation computed from the sampled rewards (src/train/post/best-of-k.ts), as a line with
// dots; K = 1 is the plain mean.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize } from './frame.ts';
import { m } from '../../paraglide/messages.js';

export interface BestOfKPoint {
  K: number;
  reward: number;
}

export function bestOfKPoints(curve: readonly number[]): BestOfKPoint[] {
  return curve.map((reward, i) => ({ K: i + 1, reward })).filter((p) => Number.isFinite(p.reward));
}

export function bestOfK(
  Plot: PlotModule,
  input: { curve: readonly number[] },
  frame: ChartFrame,
): PlotOptions {
  const pts = bestOfKPoints(input.curve);
  return {
    width: frame.width,
    height: frame.slides ? 300 : 200,
    marginLeft: 44,
    style: { fontSize: fontSize(frame) },
    x: {
      label: m.post_chart_k(),
      domain: [1, Math.max(2, pts.length)],
      ticks: Math.min(pts.length, 8),
    },
    y: { label: m.post_chart_expected_best(), grid: true },
    marks: [
      Plot.line(pts, { x: 'K', y: 'reward', stroke: 'var(--series-a)', strokeWidth: 2 }),
      Plot.dot(pts, { x: 'K', y: 'reward', fill: 'var(--series-a)', r: 3 }),
    ],
  };
}
