// The post-training chapter's chart builders: reward histograms, best-of-K curve, training metric.
import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import { rewardBins, rewardHistogram } from '$lib/charts/reward-histogram.ts';
import { bestOfK, bestOfKPoints } from '$lib/charts/best-of-k.ts';
import { trainingMetric } from '$lib/charts/training-metric.ts';

describe('reward histogram', () => {
  it('shares bins across groups; each group’s shares sum to 1', () => {
    const groups = [
      { label: 'all', rewards: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
      { label: 'kept', rewards: [8, 9] },
    ];
    const bins = rewardBins(groups, 5);
    expect(bins).toHaveLength(10);
    for (const g of ['all', 'kept']) {
      const mine = bins.filter((b) => b.group === g);
      expect(mine.reduce((a, b) => a + b.share, 0)).toBeCloseTo(1, 12);
      expect(mine[0].x0).toBe(0);
      expect(mine.at(-1)!.x1).toBe(9);
    }
    expect(bins.filter((b) => b.group === 'kept').at(-1)!.share).toBe(1);
    // all equal: one unit-wide span around the value, no division by zero
    const same = rewardBins([{ label: 'a', rewards: [2, 2] }], 4);
    expect(same[0].x0).toBe(1.5);
    expect(same.reduce((a, b) => a + b.share, 0)).toBe(1);
    expect(rewardBins([{ label: 'a', rewards: [] }])).toEqual([]);
  });

  it('draws bars and a mean rule per group with a legend', () => {
    const o = rewardHistogram(
      Plot,
      {
        groups: [
          { label: 'all', rewards: [1, 2, 3] },
          { label: 'best', rewards: [3] },
        ],
      },
      { width: 400 },
    );
    const marks = o.marks as unknown[];
    expect(marks[0]).toBeInstanceOf(Plot.Rect);
    expect(marks[1]).toBeInstanceOf(Plot.RuleX);
    expect((marks[1] as { data: { mean: number }[] }).data.map((d) => d.mean)).toEqual([2, 3]);
    expect(o.color?.domain).toEqual(['all', 'best']);
    expect(o.color?.legend).toBe(true);
  });
});

describe('best-of-K curve', () => {
  it('puts K = 1..N on x and drops non-finite values', () => {
    expect(bestOfKPoints([1, 2, NaN])).toEqual([
      { K: 1, reward: 1 },
      { K: 2, reward: 2 },
    ]);
    const o = bestOfK(Plot, { curve: [0.5, 0.8, 1] }, { width: 300, slides: true });
    expect((o.marks as unknown[])[0]).toBeInstanceOf(Plot.Line);
    expect(o.x?.domain).toEqual([1, 3]);
    expect(o.style).toMatchObject({ fontSize: '15px' });
  });
});

describe('training metric', () => {
  it('a line over steps, with the reference rule when asked', () => {
    const pts = [
      { step: 1, value: 0.69 },
      { step: 2, value: 0.5 },
    ];
    const o = trainingMetric(
      Plot,
      { points: pts, label: 'DPO loss', reference: Math.LN2 },
      { width: 300 },
    );
    const marks = o.marks as unknown[];
    expect(marks[0]).toBeInstanceOf(Plot.RuleY);
    expect(marks[1]).toBeInstanceOf(Plot.Line);
    expect(o.y?.label).toBe('↑ DPO loss');
    expect(o.x?.domain).toEqual([0, 2]);
    const plain = trainingMetric(Plot, { points: pts, label: 'x', dots: true }, { width: 300 });
    expect((plain.marks as unknown[])[0]).toBeInstanceOf(Plot.Line);
    expect((plain.marks as unknown[])[1]).toBeInstanceOf(Plot.Dot);
  });
});
