// On slides every chart's text, legends included, is drawn at the slides' type size: the fit may
// scale a slide down to 0.7 (src/app/slide-fit.ts) and the chart scale at 1080p is 2.06, so text
// of at least 14 px stays at least 20 px on a projector (tests/e2e/slides-fit.test.ts measures it).
import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import { fontSize, withLegend } from '$lib/charts/frame.ts';
import { functionPlot } from '$lib/charts/function-plot.ts';
import { gateSurface } from '$lib/charts/gate-surface.ts';
import { inFlightChart, kvBudgetChart, memoryChart } from '$lib/charts/serving.ts';
import { tokensPerParamChart } from '$lib/charts/tokens-per-param.ts';
import { lossByPosition } from '$lib/charts/loss-by-position.ts';
import { chartScaleFor, slidesRootFontPx } from '$lib/presentation.svelte.ts';
import { MIN_ZOOM } from '../../../src/app/slide-fit.ts';

const px = (s: unknown) => parseFloat(String(s));
const legendSize = (o: Plot.PlotOptions) =>
  px((o.color as { style?: { fontSize?: string } }).style?.fontSize);

describe('chart type on slides', () => {
  it('the slides type size survives the smallest fit at 1080p: at least 20 px', () => {
    const scale = chartScaleFor(slidesRootFontPx(1920, 1080));
    expect(px(fontSize({ width: 500, slides: true })) * scale * MIN_ZOOM).toBeGreaterThanOrEqual(
      20,
    );
    expect(14 * scale * MIN_ZOOM).toBeGreaterThanOrEqual(20);
  });

  it('withLegend keeps the scale and draws its legend in the given size', () => {
    const s = withLegend({ domain: ['a', 'b'], range: ['red', 'blue'] }, '15px');
    expect(s).toEqual({
      domain: ['a', 'b'],
      range: ['red', 'blue'],
      legend: true,
      style: { fontSize: '15px' },
    });
  });

  it('legends follow the chart: 11 px in reading view, 15 px on slides', () => {
    const series = [{ name: 'x', color: 'red', points: [{ x: 0, y: 0 }] }];
    for (const slides of [false, true]) {
      const want = slides ? 15 : 11;
      const f = functionPlot(
        Plot,
        { xDomain: [-1, 1], series, height: 200 },
        { width: 400, slides },
      );
      expect(legendSize(f)).toBe(want);
      expect(px(f.style && (f.style as { fontSize: string }).fontSize)).toBe(want);
      const g = gateSurface(
        Plot,
        { value: (a, b) => a * b, R: 2, aLabel: 'a', bLabel: 'b', label: 'v' },
        { width: 400, slides },
      );
      expect(legendSize(g)).toBe(want);
    }
  });

  it('the serving charts take the slides type size (they had none: Plot’s 10 px)', () => {
    const series = [{ t: 0, used: 1, reserved: 2, internal: 0, external: 0, running: 1 }];
    for (const slides of [false, true]) {
      const want = slides ? 15 : 11;
      const mem = memoryChart(Plot, series, 10, 500, 1, slides);
      const fl = inFlightChart(Plot, [{ policy: 'a', series }], 500, 1, slides);
      const kv = kvBudgetChart(
        Plot,
        [{ name: 'm', sequencesThatFit: 3, weightsFit: true }],
        500,
        '24 GiB',
        slides,
      );
      for (const o of [mem, fl, kv])
        expect(px((o.style as { fontSize: string }).fontSize)).toBe(want);
      expect(legendSize(fl)).toBe(want);
    }
  });

  it('tokens per parameter: the model names are 14 px on slides', () => {
    const rows = [{ name: 'a', family: 'A', params: 1e9, tokens: 1e11, ratio: 100 }];
    const size = (slides: boolean) => {
      const o = tokensPerParamChart(Plot, rows, { width: 600, rule: 20, ruleLabel: 'r', slides });
      return (o.marks![3] as unknown as { fontSize: unknown }).fontSize;
    };
    expect(size(true)).toBe(14);
    expect(size(false)).toBe(10);
  });

  it('loss by position: on slides the x label gets a line below the 15 px tick labels', () => {
    const input = { trained: [1, 2], current: [1, 2], seqLen: 1, window: 32, height: 180 };
    const slide = lossByPosition(Plot, input, { width: 400, slides: true });
    expect(slide.marginBottom).toBeGreaterThanOrEqual(15 * 2.4 + 6);
    expect(lossByPosition(Plot, input, { width: 400 }).marginBottom).toBe(30);
  });
});
