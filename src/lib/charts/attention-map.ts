// The attention heat map of one head (trace L{l}.attn.probs, shape heads x T x P): rows are the
// query tokens, columns the keys they attend to, colour the probability on a square-root scale
// (so small weights stay visible). Only the causal lower triangle is drawn. Every chapter shows
// attention through this builder and the AttentionMap component.
import type { ChartFrame, PlotModule, PlotOptions } from './frame.ts';
import { fontSize } from './frame.ts';
import { tokenLabel } from './tokens.ts';
import { m } from '../../paraglide/messages.js';

export interface ProbsTensor {
  /** [heads, T (queries), P (keys)] */
  shape: readonly number[];
  data: ArrayLike<number>;
}

export interface AttentionCell {
  /** query position */
  q: number;
  /** key position */
  k: number;
  p: number;
}

/** Axis ticks with token text are drawn up to this many tokens; beyond, the axes are bare. */
export const MAX_TICKED_TOKENS = 24;

/** The colour scale every attention map and its legend use (its label in the current locale). */
export function attentionColor() {
  return {
    type: 'sqrt',
    domain: [0, 1],
    scheme: 'blues',
    label: m.charts_attention_probability(),
  } as const;
}

/** Cells of the causal lower triangle of one head: every (q, k ≤ q) pair with its probability. */
export function attentionCells(probs: ProbsTensor, head: number): AttentionCell[] {
  if (probs.shape.length !== 3) throw new Error(`attention probs must be 3-D, got ${probs.shape}`);
  const [H, T, P] = probs.shape;
  if (head < 0 || head >= H) throw new Error(`head ${head} is outside 0..${H - 1}`);
  const out: AttentionCell[] = [];
  for (let q = 0; q < T; q++)
    for (let k = 0; k <= q && k < P; k++) out.push({ q, k, p: probs.data[(head * T + q) * P + k] });
  return out;
}

export interface AttentionMapInput {
  probs: ProbsTensor;
  head: number;
  /** Token texts by position (queries and keys of a prompt pass). */
  tokens: readonly string[];
}

export function attentionMap(
  Plot: PlotModule,
  { probs, head, tokens }: AttentionMapInput,
  frame: ChartFrame,
): PlotOptions {
  const [, T, P] = probs.shape;
  const label = (i: number) => tokenLabel(tokens[i] ?? '', i);
  const ticks = Math.max(T, P) <= MAX_TICKED_TOKENS;
  const cells = attentionCells(probs, head);
  const margin = ticks ? (frame.slides ? 84 : 64) : 24;
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height: Math.round(frame.width * 0.9),
    marginLeft: margin,
    marginBottom: margin,
    marginTop: 8,
    marginRight: 8,
    x: {
      domain: Array.from({ length: P }, (_, i) => i),
      label: ticks ? null : m.charts_attention_key_axis(),
      labelAnchor: 'center',
      tickRotate: ticks ? -70 : 0,
      tickFormat: ticks ? label : () => '',
      tickSize: ticks ? 6 : 0,
    },
    y: {
      domain: Array.from({ length: T }, (_, i) => i),
      label: ticks ? null : m.charts_attention_query_axis(),
      labelAnchor: 'center',
      tickFormat: ticks ? label : () => '',
      tickSize: ticks ? 6 : 0,
    },
    color: { ...attentionColor(), domain: [0, 1] },
    marks: [
      Plot.cell(cells, {
        x: 'k',
        y: 'q',
        fill: 'p',
        inset: 0.2,
        title: (d: AttentionCell) =>
          m.charts_attention_cell({ q: label(d.q), k: label(d.k), p: d.p.toFixed(3) }),
      }),
      Plot.frame({ stroke: 'var(--border)' }),
    ],
  };
}
