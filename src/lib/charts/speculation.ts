// Chapter 6, speculative decoding: expected tokens per main-model pass (1 - a^(g+1)) / (1 - a)
// against gamma for the measured acceptance rate a, with the measured point. Pure builder.
import type { PlotOptions } from '@observablehq/plot';
import type { PlotModule } from '../plot-loader.ts';
import { m } from '../../paraglide/messages.js';

export interface PassPoint {
  gamma: number;
  tokens: number;
}

/** The formula's curve for gamma = 1..maxGamma. */
export function tokensPerPassCurve(alpha: number, maxGamma: number): PassPoint[] {
  return Array.from({ length: maxGamma }, (_, i) => {
    const g = i + 1;
    return { gamma: g, tokens: alpha >= 1 ? g + 1 : (1 - alpha ** (g + 1)) / (1 - alpha) };
  });
}

export function tokensPerPassOptions(
  Plot: PlotModule,
  curve: readonly PassPoint[],
  measured: PassPoint | null,
  opts: { width: number; height: number; fontSize: string },
): PlotOptions {
  return {
    width: opts.width,
    height: opts.height,
    style: { fontSize: opts.fontSize },
    marginLeft: 48,
    x: { label: m.ch06_axis_gamma(), ticks: curve.map((c) => c.gamma) },
    y: {
      label: m.ch06_axis_tokens_per_pass(),
      grid: true,
      domain: [0, Math.max(2, ...curve.map((c) => c.tokens)) * 1.1],
    },
    marks: [
      Plot.lineY(curve, { x: 'gamma', y: 'tokens', stroke: 'var(--series-a, #2a6fdb)' }),
      Plot.dot(curve, { x: 'gamma', y: 'tokens', fill: 'var(--series-a, #2a6fdb)', r: 2.5 }),
      ...(measured
        ? [
            Plot.dot([measured], {
              x: 'gamma',
              y: 'tokens',
              stroke: 'var(--series-b, #b35900)',
              r: 6,
              strokeWidth: 2,
            }),
          ]
        : []),
      Plot.ruleY([1], { strokeDasharray: '3 3' }),
    ],
  };
}
