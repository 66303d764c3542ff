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

/**
 * The ticks of the attention legend: on the square-root scale Plot's 0.2 steps crowd at the top
 * (0.8 and 1.0 collide at the slides' type size); these are at least 0.2 of its width apart.
 */
export const ATTENTION_LEGEND_TICKS = [0, 0.1, 0.3, 0.6, 1] as const;

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

/**
 * Every how many tokens an axis is ticked so that its labels (fontPx tall, laid side by side
 * along the axis) do not overlap: the smallest stride that puts ticks 1.2 font sizes apart.
 */
export function tickStride(count: number, spanPx: number, fontPx: number): number {
  if (!(count > 0) || !(spanPx > 0)) return 1;
  return Math.max(1, Math.ceil((1.2 * fontPx * count) / spanPx));
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
  const height = Math.round(frame.width * 0.9);
  // a small map (a slide's small multiples, a narrow column) ticks every k-th token
  const font = parseFloat(fontSize(frame));
  const every = (n: number, span: number) => {
    const k = tickStride(n, span, font);
    return Array.from({ length: n }, (_, i) => i).filter((i) => i % k === 0);
  };
  return {
    style: { fontSize: fontSize(frame) },
    width: frame.width,
    height,
    marginLeft: margin,
    marginBottom: margin,
    marginTop: 8,
    marginRight: 8,
    x: {
      domain: Array.from({ length: P }, (_, i) => i),
      label: ticks ? null : m.charts_attention_key_axis(),
      labelAnchor: 'center',
      tickRotate: ticks ? -70 : 0,
      ticks: ticks ? every(P, frame.width - margin - 8) : [],
      tickFormat: ticks ? label : () => '',
      tickSize: ticks ? 6 : 0,
    },
    y: {
      domain: Array.from({ length: T }, (_, i) => i),
      label: ticks ? null : m.charts_attention_query_axis(),
      labelAnchor: 'center',
      ticks: ticks ? every(T, height - margin - 8) : [],
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
