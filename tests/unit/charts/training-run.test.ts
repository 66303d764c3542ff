// Chapter 5's chart builders: the training run's loss (bits per character) and optimiser charts,
// and tokens per parameter against a rule.
import * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { lossChart, lossSeries, optimChart } from '$lib/charts/training-run.ts';
import { ratioRows, tokensPerParamChart } from '$lib/charts/tokens-per-param.ts';

describe('training-run and tokens-per-param builders', () => {
  it('loss series converts nats per token to bits per character and drops non-finite points', () => {
    const rows = lossSeries(
      [
        { step: 1, loss: Math.LN2 * 2 },
        { step: 2, loss: NaN },
      ],
      [{ step: 0, bitsPerChar: 3 }],
      0.5,
    );
    expect(rows).toEqual([
      { step: 1, bitsPerChar: 1, series: 'training batches' },
      { step: 0, bitsPerChar: 3, series: 'validation text' },
    ]);
    const o = lossChart(Plot, rows, { width: 500, totalSteps: 10 });
    expect(o.marks).toHaveLength(3);
    expect(o.marks![0]).toBeInstanceOf(Plot.Line);
    expect(o.marks![2]).toBeInstanceOf(Plot.Dot);
    expect(o.y).toMatchObject({ label: 'bits per character' });
    expect(o.x).toMatchObject({ domain: [0, 10] });
    const lr = optimChart(Plot, [{ step: 1, lr: 1e-3, gradNorm: NaN }], 'gradNorm', {
      width: 300,
      totalSteps: 5,
    });
    expect(lr.marks).toHaveLength(1);
    expect(lr.y).toMatchObject({ label: 'gradient norm' });
    // the NaN gradient norm is not drawn
    expect((lr.marks![0] as unknown as { data: unknown[] }).data).toEqual([]);
  });

  it('tokens per parameter rows and chart: one dot per model and the rule at 20', () => {
    const rows = ratioRows([
      { name: 'a', family: 'A', params: 1e9, tokens: 1e11 },
      { name: 'bad', family: 'A', params: 0, tokens: 1 },
    ]);
    expect(rows).toEqual([{ name: 'a', family: 'A', params: 1e9, tokens: 1e11, ratio: 100 }]);
    const o = tokensPerParamChart(Plot, rows, { width: 600, rule: 20, ruleLabel: 'rule' });
    expect(o.marks).toHaveLength(4);
    expect(o.y).toMatchObject({ type: 'log' });
    expect(o.marks![2]).toBeInstanceOf(Plot.Dot);
    expect((o.marks![2] as unknown as { data: unknown[] }).data).toEqual(rows);
  });
});
