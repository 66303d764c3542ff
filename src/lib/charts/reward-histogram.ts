// Two reward distributions over one axis (post-training chapter): the rewards of every sampled
// continuation and of the ones best-of-K kept (or: before and after tuning), as overlaid
// histograms with shared bins, and each group's mean as a rule.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize, withLegend } from './frame.ts';
import { m } from '../../paraglide/messages.js';

export interface RewardGroup {
  label: string;
  rewards: readonly number[];
}

export interface RewardBin {
  group: string;
  x0: number;
  x1: number;
  /** Share of the group's samples in the bin (0..1), so groups of different sizes compare. */
  share: number;
}

/** Shared bins over all groups: `bins` equal widths spanning min..max (one bin if all equal). */
export function rewardBins(groups: readonly RewardGroup[], bins = 12): RewardBin[] {
  const all = groups.flatMap((g) => g.rewards).filter(Number.isFinite);
  if (all.length === 0) return [];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const w = (hi - lo) / bins;
  const out: RewardBin[] = [];
  for (const g of groups) {
    const counts = new Array<number>(bins).fill(0);
    const finite = g.rewards.filter(Number.isFinite);
    for (const r of finite) counts[Math.min(bins - 1, Math.floor((r - lo) / w))]++;
    counts.forEach((c, i) =>
      out.push({
        group: g.label,
        x0: lo + i * w,
        x1: lo + (i + 1) * w,
        share: finite.length ? c / finite.length : 0,
      }),
    );
  }
  return out;
}

const COLORS = ['var(--series-a)', 'var(--series-b)', 'var(--series-c)'];

export function rewardHistogram(
  Plot: PlotModule,
  input: { groups: readonly RewardGroup[]; xLabel?: string },
  frame: ChartFrame,
): PlotOptions {
  const bins = rewardBins(input.groups);
  const means = input.groups
    .filter((g) => g.rewards.length > 0)
    .map((g) => ({
      group: g.label,
      mean: g.rewards.reduce((a, b) => a + b, 0) / g.rewards.length,
    }));
  return {
    width: frame.width,
    height: frame.slides ? 320 : 220,
    marginLeft: 44,
    style: { fontSize: fontSize(frame) },
    x: { label: input.xLabel ?? m.post_chart_reward() },
    y: { label: m.post_chart_share(), percent: true, grid: true },
    color: withLegend(
      {
        domain: input.groups.map((g) => g.label),
        range: COLORS.slice(0, input.groups.length),
      },
      fontSize(frame),
    ),
    marks: [
      Plot.rectY(bins, {
        x1: 'x0',
        x2: 'x1',
        y: 'share',
        fill: 'group',
        fillOpacity: 0.45,
        inset: 0.5,
      }),
      Plot.ruleX(means, { x: 'mean', stroke: 'group', strokeWidth: 2.5 }),
      Plot.ruleY([0]),
    ],
  };
}
