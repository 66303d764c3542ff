// The chart builders of chapter 2 (activations): what each produces from its data.
import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import { functionPlot, sample } from '$lib/charts/function-plot.ts';
import { deadRelu } from '$lib/charts/dead-relu.ts';
import { gateCurves, gateSurface } from '$lib/charts/gate-surface.ts';
import { histogramBins, histogramLayout, histograms, wrapTitle } from '$lib/charts/histograms.ts';

type WithData = { data: unknown[] };
const xs = [-1, 0, 1];

describe('function plot', () => {
  const relu = (x: number) => Math.max(0, x);
  const series = [
    { name: 'ReLU', color: 'red', points: sample(relu, xs) },
    { name: 'ReLU', color: 'red', points: sample((x) => (x > 0 ? 1 : 0), xs), dashed: true },
    { name: 'x/2', color: 'blue', points: sample((x) => x / 2, xs) },
  ];

  it('draws one line per series over the two axis rules, a legend entry per name', () => {
    const o = functionPlot(Plot, { xDomain: [-1, 1], series, height: 200 }, { width: 500 });
    const marks = o.marks as unknown[];
    expect(marks.slice(0, 2).every((m) => m instanceof Plot.RuleY || m instanceof Plot.RuleX)).toBe(
      true,
    );
    const lines = marks.slice(2);
    expect(lines).toHaveLength(3);
    expect(lines.every((m) => m instanceof Plot.Line)).toBe(true);
    expect((lines[0] as WithData).data).toEqual([
      { x: -1, y: 0 },
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ]);
    expect((lines[1] as { strokeDasharray?: string }).strokeDasharray).toBe('5 3');
    expect((lines[0] as { strokeDasharray?: string }).strokeDasharray).toBeUndefined();
    expect(o.x).toMatchObject({ domain: [-1, 1], label: 'x' });
    expect(o.color).toMatchObject({
      legend: true,
      domain: ['ReLU', 'x/2'],
      range: ['red', 'blue'],
    });
    expect(o.width).toBe(500);
    expect(o.height).toBe(200);
  });

  it('orders the legend as asked without changing the drawing order', () => {
    const o = functionPlot(
      Plot,
      { xDomain: [-1, 1], series, height: 200, legendOrder: ['x/2', 'ReLU'] },
      { width: 500, slides: true },
    );
    expect(o.color).toMatchObject({ domain: ['x/2', 'ReLU'], range: ['blue', 'red'] });
    expect(((o.marks as unknown[])[2] as WithData).data).toEqual(series[0].points);
    expect(o.style).toMatchObject({ fontSize: '15px' });
  });
});

describe('dead ReLU', () => {
  it('stacks the density (split at 0) over the slopes, with both in one legend', () => {
    const [DEAD_SIDE, LIVE_SIDE] = ['z < 0: ReLU outputs 0', 'z > 0'];
    const density = xs.map((z) => ({ z, p: 1, side: z < 0 ? DEAD_SIDE : LIVE_SIDE }));
    const slopes = xs.map((z) => ({ z, g: z > 0 ? 1 : 0, which: 'ReLU′(z)' }));
    const o = deadRelu(
      Plot,
      {
        density,
        slopes,
        slopeNames: ['ReLU′(z)', 'SiLU′(z)'],
        zDomain: [-6, 6],
        height: 300,
        sides: [DEAD_SIDE, LIVE_SIDE],
        facets: ['density', 'slope'],
        zLabel: 'pre-activation z',
      },
      { width: 400 },
    );
    const [area, line] = o.marks as unknown[];
    expect(area).toBeInstanceOf(Plot.Area);
    expect((area as WithData).data).toBe(density);
    expect(line).toBeInstanceOf(Plot.Line);
    expect((line as WithData).data).toBe(slopes);
    expect(o.fy?.domain).toEqual(['density', 'slope']);
    expect(o.x).toMatchObject({ domain: [-6, 6], label: 'pre-activation z' });
    expect(o.color?.domain).toEqual([DEAD_SIDE, LIVE_SIDE, 'ReLU′(z)', 'SiLU′(z)']);
  });
});

describe('gate surface and gate curves', () => {
  it('rasters and contours the gated unit over the square, diverging around 0', () => {
    const value = (a: number, b: number) => a * b;
    const axes = { aLabel: 'a, the gate input', bLabel: 'b, the up projection' };
    const o = gateSurface(Plot, { value, R: 4, label: 'GLU', ...axes }, { width: 1000 });
    const [raster, contour] = o.marks as unknown[];
    expect(raster).toBeInstanceOf(Plot.Raster);
    expect(contour).toBeInstanceOf(Plot.Contour);
    expect(o.x).toMatchObject({ domain: [-4, 4], label: 'a, the gate input' });
    expect(o.y).toMatchObject({ domain: [-4, 4], label: 'b, the up projection' });
    expect(o.color).toMatchObject({ type: 'diverging', pivot: 0, label: 'GLU' });
    expect(o.width).toBe(360); // capped so the square stays readable
    const slides = gateSurface(
      Plot,
      { value, R: 4, label: '', ...axes },
      { width: 1000, slides: true },
    );
    expect(slides.width).toBe(420);
  });

  it('draws every variant against a over the shaded band [0, 1]', () => {
    const rows = xs.map((a) => ({ a, g: a, v: 'ReGLU' }));
    const o = gateCurves(Plot, { rows, R: 4, height: 300, gLabel: 'gate(a)' }, { width: 300 });
    const marks = o.marks as unknown[];
    expect(marks[0]).toBeInstanceOf(Plot.Rect);
    expect(marks.at(-1)).toBeInstanceOf(Plot.Line);
    expect((marks.at(-1) as WithData).data).toBe(rows);
    expect(o.y?.domain).toEqual([-0.5, 4]);
    expect(o.y?.label).toBe('gate(a)');
  });
});

describe('histograms', () => {
  it('bins the finite values of every panel with shared, nice, uniform edges', () => {
    const panels = [
      { name: 'gate', values: new Float32Array([1, -1, Number.NaN, 0.25]) },
      { name: 'up', values: new Float32Array([2, Number.POSITIVE_INFINITY]) },
    ];
    const b = histogramBins(panels, 4);
    // the range [-1, 2] in steps of 1 (nice), the largest value inside the last bin
    expect(b.edges).toEqual([-1, 0, 1, 2, 3]);
    expect(b.counts).toEqual([
      [1, 1, 1, 0],
      [0, 0, 0, 1],
    ]);
    expect(b.totals).toEqual([3, 1]); // NaN and Infinity left out
    // every finite value counted once, for many bins and decimal steps
    const many = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 0.37);
    const m = histogramBins([{ name: 'x', values: many }], 24);
    expect(m.counts[0].reduce((s, c) => s + c, 0)).toBe(1000);
    expect(m.edges[0]).toBeLessThanOrEqual(Math.min(...many));
    expect(m.edges.at(-1)).toBeGreaterThan(Math.max(...many));
    const step = m.edges[1] - m.edges[0];
    for (let i = 1; i < m.edges.length; i++)
      expect(m.edges[i] - m.edges[i - 1]).toBeCloseTo(step, 12);
    expect(m.edges).toContain(0.1); // exact decimals (0.1, not 0.30000000000000004-style edges)
    // no finite value: one empty bin, nothing drawn above zero
    expect(histogramBins([{ name: 'x', values: [Number.NaN] }], 10).counts).toEqual([[0]]);
    // all values equal: one bin holds them
    const same = histogramBins([{ name: 'x', values: [3, 3, 3] }], 10);
    expect(same.counts[0].reduce((s, c) => s + c, 0)).toBe(3);
  });

  it('draws bars whose heights are the counts, panels side by side with their labels', () => {
    const panels = [
      { name: 'gate', values: [1, -1, 0.5, 0.5] },
      { name: 'up', values: [2] },
    ];
    const g = histograms(
      { panels, colors: ['a', 'b', 'c'], height: 220, thresholds: 4, yLabel: 'count' },
      { width: 600 },
    );
    expect(g.panels.map((p) => [p.name, p.color])).toEqual([
      ['gate', 'a'],
      ['up', 'b'],
    ]);
    expect(g.yLabel).toBe('↑ count');
    expect(g.xLabel).toBe('value →');
    // the tallest bar (two values) reaches the top of the plot area, an empty bin has no height
    const h = g.panels[0].bars.map((b) => b.height);
    expect(Math.max(...h)).toBeCloseTo(g.bottom - g.top, 9);
    expect(g.panels[0].bars.map((b) => Math.round((b.height / (g.bottom - g.top)) * 2))).toEqual(
      histogramBins(panels, 4).counts[0],
    );
    for (const p of g.panels)
      for (const b of p.bars) {
        expect(b.y + b.height).toBeCloseTo(g.bottom, 9);
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width).toBeLessThanOrEqual(p.width);
      }
    // panels do not overlap and fit the width
    const [a, b] = g.panels;
    expect(a.x + a.width).toBeLessThan(b.x);
    expect(b.x + b.width).toBeLessThanOrEqual(600 - 12 + 1e-9);
    // y ticks from 0 upwards, 0 on the baseline; a rule at x = 0 inside the range
    expect(g.yTicks[0]).toEqual({ y: g.bottom, label: '0' });
    expect(a.zero).not.toBeNull();
    expect(a.xTicks.map((t) => t.label)).toContain('0');
    // the plot area the caller asked for: height minus Plot's default 60 px of margins
    expect(g.bottom - g.top).toBeCloseTo(220 - 60, 9);
  });

  it('lays the panels out for their width and type: ticks, insets and titles never overlap', () => {
    const names = ['before the norm (residual stream)', 'after the norm'];
    // reading view, a wide column: 11 px type
    const wide = histogramLayout(names, 600, 11);
    expect(wide.xTicks).toBe(Math.floor(wide.facetWidth / 44));
    expect(wide.xTicks).toBeGreaterThanOrEqual(5);
    // a slide at 1024x768: the chart is laid out at its width over the chart scale (1.34), 15 px
    for (const width of [300, 340, 420, 520]) {
      const l = histogramLayout(names, width, 15);
      // ticks at least 4 font sizes apart, at least 2 a panel
      expect(l.xTicks).toBeGreaterThanOrEqual(2);
      expect(l.facetWidth / l.xTicks).toBeGreaterThanOrEqual(Math.min(60, l.facetWidth / 2));
      // titles wrap to their panel: every line fits (0.6 em a character), the lines and the y
      // label fit in the top margin
      const lines = wrapTitle(names[0], l.lineWidth);
      for (const line of lines) expect(line.length * 0.6 * 15).toBeLessThanOrEqual(l.facetWidth);
      expect(lines.join(' ')).toBe(names[0]);
      expect(l.lineWidth * 15).toBeLessThanOrEqual(l.facetWidth + 1e-9);
      expect(l.marginTop).toBeGreaterThanOrEqual(15 * 1.2 * (lines.length + 1));
      // the panels' end labels stay off each other: two insets of 12 px
      expect(l.inset).toBe(12);
      // the x label's line below the tick labels' line
      expect(l.marginBottom).toBeGreaterThanOrEqual(15 * 2.4);
    }
    expect(histogramLayout(names, 340, 15).xTicks).toBe(2);
    const g = histograms(
      { panels: names.map((name) => ({ name, values: [1, -1] })), colors: ['a', 'b'], height: 200 },
      { width: 340, slides: true },
    );
    expect(g.font).toBe(15);
    expect(g.panels[0].xTicks.length).toBeLessThanOrEqual(3);
    expect(g.panels[0].titleLines.length).toBeGreaterThan(1);
  });
});
