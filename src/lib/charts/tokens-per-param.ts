// Tokens per parameter of each model of a family against a compute-optimal rule (chapter 5):
// one dot per model on a log scale, a rule line, labels. Data in, Plot options out.
import {
  fontSize,
  type ChartFrame,
  type PlotModule,
  type PlotOptions,
  withLegend,
} from './frame.ts';
import { m } from '../../paraglide/messages.js';

export interface ModelRatio {
  name: string;
  /** Generation, for colour (e.g. "LLaMA 1"). */
  family: string;
  params: number;
  tokens: number;
}

export interface RatioRow extends ModelRatio {
  ratio: number;
}

export function ratioRows(models: readonly ModelRatio[]): RatioRow[] {
  return models
    .filter((m) => m.params > 0 && Number.isFinite(m.tokens / m.params))
    .map((m) => ({ ...m, ratio: m.tokens / m.params }));
}

export function tokensPerParamChart(
  Plot: PlotModule,
  rows: readonly RatioRow[],
  frame: ChartFrame & { height?: number; rule: number; ruleLabel: string },
): PlotOptions {
  const families = [...new Set(rows.map((r) => r.family))];
  return {
    width: frame.width,
    style: { fontSize: fontSize(frame) },
    height: frame.height ?? 300,
    marginLeft: 56,
    marginRight: 70,
    x: { type: 'log', label: m.ch05_axis_parameters(), tickFormat: '~s', grid: true },
    y: { type: 'log', label: m.ch05_axis_tokens_per_param(), grid: true, domain: [5, 5000] },
    color: withLegend(
      {
        domain: families,
        range: ['var(--series-a)', 'var(--series-b)', 'var(--series-c)'],
      },
      fontSize(frame),
    ),
    marks: [
      Plot.ruleY([frame.rule], { stroke: 'var(--muted)', strokeDasharray: '4 3' }),
      Plot.text([frame.rule], {
        y: (d: number) => d,
        frameAnchor: 'right',
        text: () => frame.ruleLabel,
        dy: 10,
        fill: 'var(--muted)',
      }),
      Plot.dot(rows, { x: 'params', y: 'ratio', fill: 'family', r: 5, tip: true, title: 'name' }),
      Plot.text(rows, {
        x: 'params',
        y: 'ratio',
        text: 'name',
        dy: -10,
        // on a slide the fit may scale down to 0.7: 14 px stays >= 20 px on a 1080p projector
        fontSize: frame.slides ? 14 : 10,
        fill: 'currentColor',
      }),
    ],
  };
}
