// Chapter 7's chart builders: what they hand to Observable Plot.
import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import {
  MEMORY_KINDS,
  inFlightChart,
  kvBudgetChart,
  memoryChart,
  memoryLegend,
  memoryRows,
  thin,
} from '$lib/charts/serving.ts';

const series = Array.from({ length: 1000 }, (_, t) => ({
  t,
  used: t,
  reserved: 2 * t,
  internal: 3,
  external: t % 2,
  running: t % 7,
}));

describe('serving charts', () => {
  it('thin keeps at most max points, evenly spaced, the last one included', () => {
    const xs = thin(series, 300);
    expect(xs.length).toBeLessThanOrEqual(301);
    expect(xs[0].t).toBe(0);
    expect(xs[xs.length - 1].t).toBe(999);
    expect(thin(series.slice(0, 10), 300)).toHaveLength(10);
  });

  it('memoryRows: one row per kept iteration and memory kind, with the values', () => {
    const rows = memoryRows(series.slice(0, 5));
    expect(rows).toHaveLength(5 * MEMORY_KINDS.length);
    expect(rows.filter((r) => r.t === 4).map((r) => r.slots)).toEqual([4, 8, 3, 0]);
    expect(memoryLegend().map((l) => l.label)).toEqual([...new Set(rows.map((r) => r.kind))]);
  });

  it('memoryChart: a stacked area under the budget, on a shared x axis', () => {
    const o = memoryChart(Plot, series, 5000, 600, 1500);
    expect(o.width).toBe(600);
    expect(o.y?.domain).toEqual([0, 5000]);
    expect(o.x?.domain).toEqual([0, 1500]);
    expect(o.marks).toHaveLength(2);
    expect(memoryChart(Plot, series, 5000, 600).x?.domain).toEqual([0, 999]);
  });

  it('inFlightChart and kvBudgetChart: one series per server, one bar per model', () => {
    const o = inFlightChart(
      Plot,
      [
        { policy: 'a', series },
        { policy: 'b', series },
      ],
      500,
    );
    expect(o.color?.domain).toEqual(['a', 'b']);
    const k = kvBudgetChart(
      Plot,
      [
        { name: 'x', sequencesThatFit: 3, weightsFit: true },
        { name: 'y', sequencesThatFit: 0, weightsFit: false },
      ],
      500,
      '40 GiB',
    );
    expect(k.y?.domain).toEqual(['x', 'y']);
    expect(k.height).toBe(28 * 2 + 50);
    expect(String(k.x?.label)).toContain('40 GiB');
  });
});
