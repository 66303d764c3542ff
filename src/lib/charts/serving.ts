// Chart builders of chapter 7 (serving): pure functions, data in, Observable Plot options out.
// The figures call Plot.plot(builder(Plot, data, width)); tests/unit/charts/serving.test.ts
// checks what they produce.
import type { PlotOptions } from '@observablehq/plot';
import type { PlotModule } from '../plot-loader.ts';
import { fontSize, withLegend } from './frame.ts';
import { m } from '../../paraglide/messages.js';

/** One iteration of the serving simulator (chapters/07-serving/simulator.ts StepStats). */
export interface MemoryStep {
  t: number;
  used: number;
  reserved: number;
  internal: number;
  external: number;
  running: number;
}

export const MEMORY_KINDS = ['used', 'reserved', 'internal', 'external'] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];
// Labels in the reader's language, looked up when a chart is built (never at module load).
const KIND_LABEL: Record<MemoryKind, () => string> = {
  used: m.charts_serving_holds_tokens,
  reserved: m.charts_serving_reserved,
  internal: m.charts_serving_internal,
  external: m.charts_serving_external,
};
const KIND_COLOR: Record<MemoryKind, string> = {
  used: 'var(--series-a)',
  reserved: 'var(--series-c)',
  internal: 'var(--series-b)',
  external: 'var(--fg-soft)',
};

/** Keep at most `max` evenly spaced points (the last one always kept). */
export function thin<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  const stride = Math.ceil(xs.length / max);
  const out = xs.filter((_, i) => i % stride === 0);
  if (out[out.length - 1] !== xs[xs.length - 1]) out.push(xs[xs.length - 1]);
  return out;
}

/** Long-format rows for a stacked area: one row per iteration and memory kind. */
export function memoryRows(
  series: readonly MemoryStep[],
  max = 300,
): { t: number; kind: string; slots: number }[] {
  const label = MEMORY_KINDS.map((k) => KIND_LABEL[k]());
  return thin(series, max).flatMap((s) =>
    MEMORY_KINDS.map((k, i) => ({ t: s.t, kind: label[i], slots: s[k] })),
  );
}

/** KV memory of one server over time, stacked by what it holds, with the budget as a rule. */
export function memoryChart(
  Plot: PlotModule,
  series: readonly MemoryStep[],
  budget: number,
  width: number,
  /** Last iteration on the x axis (the same for charts shown together), default the series'. */
  xMax = series.length ? series[series.length - 1].t : 1,
  /** Shown as a slide: the slides' type size (frame.ts). */
  slides = false,
): PlotOptions {
  return {
    width,
    style: { fontSize: fontSize({ width, slides }) },
    height: 150,
    marginLeft: 56,
    marginTop: 16,
    x: { label: m.charts_serving_iteration(), grid: true, domain: [0, xMax] },
    y: { label: m.charts_serving_kv_slots(), grid: true, domain: [0, budget] },
    color: {
      legend: false,
      domain: MEMORY_KINDS.map((k) => KIND_LABEL[k]()),
      range: MEMORY_KINDS.map((k) => KIND_COLOR[k]),
    },
    marks: [
      Plot.areaY(memoryRows(series), {
        x: 't',
        y: 'slots',
        fill: 'kind',
        order: MEMORY_KINDS.map((k) => KIND_LABEL[k]()),
        curve: 'step-after',
      }),
      Plot.ruleY([budget], { stroke: 'var(--fg)', strokeDasharray: '4 3' }),
    ],
  };
}

/** The legend of memoryChart as plain data (the figure draws it once for the three charts). */
export function memoryLegend(): { label: string; color: string }[] {
  return MEMORY_KINDS.map((k) => ({ label: KIND_LABEL[k](), color: KIND_COLOR[k] }));
}

/** Sequences in flight over time, one line per server. */
export function inFlightChart(
  Plot: PlotModule,
  runs: readonly { policy: string; series: readonly MemoryStep[] }[],
  width: number,
  xMax?: number,
  slides = false,
): PlotOptions {
  const rows = runs.flatMap((r) =>
    thin(r.series, 300).map((s) => ({ policy: r.policy, t: s.t, running: s.running })),
  );
  return {
    width,
    height: 200,
    marginLeft: 56,
    x: { label: m.charts_serving_iteration(), grid: true, ...(xMax ? { domain: [0, xMax] } : {}) },
    style: { fontSize: fontSize({ width, slides }) },
    y: { label: m.charts_serving_in_flight(), grid: true },
    color: withLegend(
      {
        domain: runs.map((r) => r.policy),
        range: ['var(--series-b)', 'var(--series-c)', 'var(--series-a)'],
      },
      fontSize({ width, slides }),
    ),
    marks: [Plot.line(rows, { x: 't', y: 'running', stroke: 'policy', curve: 'step-after' })],
  };
}

/** Full-context sequences that fit beside the weights, one bar per model. */
export function kvBudgetChart(
  Plot: PlotModule,
  rows: readonly { name: string; sequencesThatFit: number; weightsFit: boolean }[],
  width: number,
  gpuLabel: string,
  slides = false,
): PlotOptions {
  const data = rows.map((r) => ({
    ...r,
    label: r.weightsFit ? String(r.sequencesThatFit) : m.charts_serving_weights_do_not_fit(),
  }));
  return {
    width,
    height: 28 * rows.length + 50,
    style: { fontSize: fontSize({ width, slides }) },
    // room for the model names and the bar labels at the slides' larger type
    marginLeft: slides ? 150 : 110,
    marginRight: slides ? 160 : 120,
    x: { label: m.charts_serving_fit_axis({ gpu: gpuLabel }), grid: true },
    y: { label: null, domain: rows.map((r) => r.name) },
    marks: [
      Plot.barX(data, { x: 'sequencesThatFit', y: 'name', fill: 'var(--series-a)' }),
      Plot.text(data, {
        x: 'sequencesThatFit',
        y: 'name',
        text: 'label',
        textAnchor: 'start',
        dx: 4,
        fill: 'var(--fg)',
      }),
      Plot.ruleX([0]),
    ],
  };
}
