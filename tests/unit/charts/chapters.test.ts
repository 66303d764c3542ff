// Chart builders of chapters 1, 3 and 4 and of the shared training-curves figure: what each
// produces from its data (marks, domains, ticks, labels).
import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import { vectorBars } from '$lib/charts/vector-bars.ts';
import { histograms } from '$lib/charts/histograms.ts';
import { contextLineAnchor, decadeTicks, ropeSpectrum } from '$lib/charts/rope-spectrum.ts';
import { currentSeries, trainedSeries, lossByPosition } from '$lib/charts/loss-by-position.ts';
import { contextGrid, kvCache, tokensLabel } from '$lib/charts/kv-cache.ts';
import { trainingCurves } from '$lib/charts/training-curves.ts';

type WithData = { data: unknown[] };
const marksOf = (o: Plot.PlotOptions) => o.marks as unknown[];

describe('chapter 1', () => {
  it('vector bars: one bar per entry (counted from 1), one facet per vector', () => {
    const o = vectorBars(
      Plot,
      {
        vectors: [
          { name: 'x', values: [1, -2] },
          { name: 'RMSNorm', values: [0.6, -1.3] },
        ],
        colors: ['a', 'b', 'c'],
        height: 220,
        xLabel: 'entry i',
        yLabel: 'value',
      },
      { width: 500 },
    );
    const [bars, rule] = marksOf(o);
    expect(bars).toBeInstanceOf(Plot.BarY);
    expect(rule).toBeInstanceOf(Plot.RuleY);
    expect((bars as WithData).data).toEqual([
      { series: 'x', i: 1, v: 1 },
      { series: 'x', i: 2, v: -2 },
      { series: 'RMSNorm', i: 1, v: 0.6 },
      { series: 'RMSNorm', i: 2, v: -1.3 },
    ]);
    expect(o.fx?.domain).toEqual(['x', 'RMSNorm']);
    expect(o.color).toMatchObject({ domain: ['x', 'RMSNorm'], range: ['a', 'b'] });
    expect(o.x?.label).toBe('entry i');
    expect(o.y?.label).toBe('value');
  });

  it('hidden-state histograms take their own axis labels', () => {
    const g = histograms(
      {
        panels: [{ name: 'before', values: [1, 2] }],
        colors: ['a'],
        height: 200,
        xLabel: 'value of an entry',
        yLabel: 'entries',
      },
      { width: 300 },
    );
    expect(g.xLabel).toBe('value of an entry →');
    expect(g.yLabel).toBe('↑ entries');
  });
});

describe('chapter 3', () => {
  it('spectrum: log wavelengths with decade ticks up to the largest, context rules, page rings', () => {
    expect(decadeTicks(5e4)).toEqual([10, 100, 1e3, 1e4]);
    expect(['bottom', 'top', 'middle']).toEqual([8192, 4096, 256].map(contextLineAnchor));
    const o = ropeSpectrum(
      Plot,
      {
        d: 4,
        series: [{ name: 'base 10,000', wavelengths: [6.28, 628] }],
        page: [6.28, 628],
        contexts: [
          { len: 4096, name: 'Llama 2: 4,096' },
          { len: 8192, name: 'Llama 3: 8,192' },
        ],
        height: 280,
      },
      { width: 600, slides: true },
    );
    expect(o.y).toMatchObject({ type: 'log', ticks: [10, 100] });
    const marks = marksOf(o);
    expect(marks[0]).toBeInstanceOf(Plot.RuleY);
    expect((marks[0] as WithData).data).toHaveLength(2);
    const texts = marks.filter((m) => m instanceof Plot.Text) as unknown as WithData[];
    expect(texts.map((t) => t.data.length)).toEqual([1, 0, 1]);
    const rings = marks.at(-1) as WithData;
    expect(rings).toBeInstanceOf(Plot.Dot);
    expect(rings.data).toEqual([
      { i: 0, w: 6.28 },
      { i: 1, w: 628 },
    ]);
    expect(o.color?.domain).toEqual(['base 10,000']);
    expect(o.marginRight).toBe(130);
  });

  it('loss by position: both series without non-finite points, seq_len marked', () => {
    const o = lossByPosition(
      Plot,
      { trained: [1, Number.NaN, 2], current: [3, 4], seqLen: 2, window: 32, height: 240 },
      { width: 400 },
    );
    const [rule, text, line] = marksOf(o);
    expect(rule).toBeInstanceOf(Plot.RuleX);
    expect((rule as WithData).data).toEqual([2]);
    expect(text).toBeInstanceOf(Plot.Text);
    expect(line).toBeInstanceOf(Plot.Line);
    expect((line as WithData).data).toEqual([
      { x: 0, y: 1, series: trainedSeries() },
      { x: 2, y: 2, series: trainedSeries() },
      { x: 0, y: 3, series: currentSeries() },
      { x: 1, y: 4, series: currentSeries() },
    ]);
    expect(o.y?.label).toBe('loss (nats), mean of 32');
  });
});

describe('chapter 4', () => {
  it('KV cache: powers of two in log2 space, the chosen context ruled and dotted', () => {
    expect(contextGrid(3000)).toEqual([
      512, 1024, 2048, 3000, 4096, 8192, 16384, 32768, 65536, 131072,
    ]);
    expect(tokensLabel(9)).toBe('512');
    expect(tokensLabel(17)).toBe('128K');
    const variants = [
      { label: 'MHA', perToken: 1024, total: 1024 * 4096 },
      { label: 'MQA', perToken: 128, total: 128 * 4096 },
    ];
    const o = kvCache(
      Plot,
      { variants, ctx: 4096, batch: 1, dtype: 'fp16', formatBytes: (b) => `${b} B`, height: 260 },
      { width: 600 },
    );
    const [rule, line, dots] = marksOf(o);
    expect(rule).toBeInstanceOf(Plot.RuleX);
    expect((rule as WithData).data).toEqual([12]);
    expect(line).toBeInstanceOf(Plot.Line);
    expect((line as WithData).data).toHaveLength(2 * 9);
    expect((dots as WithData).data).toEqual([
      { variant: 'MHA', lx: 12, ly: 22, bytes: 1024 * 4096 },
      { variant: 'MQA', lx: 12, ly: 19, bytes: 128 * 4096 },
    ]);
    // y ticks: every third power of two inside the data, written as sizes
    expect(o.y?.ticks).toEqual([18, 21, 24, 27]);
    expect((o.y?.tickFormat as (e: number) => string)(10)).toBe('1024 B');
    expect(o.x?.ticks).toEqual([9, 11, 13, 15, 17]);
    expect(o.y?.label).toBe('KV cache (fp16, batch 1, log scale)');
  });
});

describe('training curves', () => {
  it('training loss solid, validation dashed with dots, one colour per run', () => {
    const runs = [
      {
        label: 'main',
        points: [
          { step: 0, loss: 5, split: 'train' as const },
          { step: 0, loss: 5.1, split: 'val' as const },
        ],
      },
      { label: 'twin', points: [{ step: 0, loss: 4, split: 'train' as const }] },
    ];
    const o = trainingCurves(
      Plot,
      { runs, colors: ['a', 'b', 'c'], yDomain: [3, 6], height: 260 },
      { width: 500 },
    );
    const [train, val, dots] = marksOf(o);
    expect(train).toBeInstanceOf(Plot.Line);
    expect((train as WithData).data).toHaveLength(2);
    expect((val as { strokeDasharray?: string }).strokeDasharray).toBe('5 3');
    expect((val as WithData).data).toEqual([
      { step: 0, loss: 5.1, split: 'val', run: 'main', series: 'main, val' },
    ]);
    expect(dots).toBeInstanceOf(Plot.Dot);
    expect(o.color).toMatchObject({ domain: ['main', 'twin'], range: ['a', 'b'] });
    expect(o.y?.domain).toEqual([3, 6]);
  });
});
