import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import {
  ATTENTION_LEGEND_TICKS,
  attentionColor,
  MAX_TICKED_TOKENS,
  attentionCells,
  attentionMap,
  tickStride,
} from '$lib/charts/attention-map.ts';
import { tokenLabel } from '$lib/charts/tokens.ts';

// 2 heads, 3 tokens; head h, query q, key k holds h + q/10 + k/100 (upper triangle garbage).
const H = 2;
const T = 3;
const data = new Float32Array(H * T * T);
for (let h = 0; h < H; h++)
  for (let q = 0; q < T; q++)
    for (let k = 0; k < T; k++) data[(h * T + q) * T + k] = k > q ? 9 : h + q / 10 + k / 100;
const probs = { shape: [H, T, T], data };

describe('attention map builder', () => {
  it('keeps the causal lower triangle of the chosen head only', () => {
    const cells = attentionCells(probs, 1);
    expect(cells).toHaveLength((T * (T + 1)) / 2);
    for (const c of cells) {
      expect(c.k).toBeLessThanOrEqual(c.q);
      expect(c.p).toBeCloseTo(1 + c.q / 10 + c.k / 100, 6);
    }
    expect(() => attentionCells(probs, 2)).toThrow(/outside/);
    expect(() => attentionCells({ shape: [3, 3], data }, 0)).toThrow(/3-D/);
  });

  it('draws one cell mark over positions, a frame, and the shared sqrt colour scale', () => {
    const o = attentionMap(Plot, { probs, head: 0, tokens: ['', ' To', ' be'] }, { width: 300 });
    const marks = o.marks as unknown[];
    expect(marks[0]).toBeInstanceOf(Plot.Cell);
    expect(marks[1]).toBeInstanceOf(Plot.Frame);
    expect((marks[0] as { data: unknown[] }).data).toEqual(attentionCells(probs, 0));
    expect(o.x?.domain).toEqual([0, 1, 2]);
    expect(o.y?.domain).toEqual([0, 1, 2]);
    expect(o.color).toMatchObject({ type: 'sqrt', domain: [0, 1], scheme: 'blues' });
    expect(o.color?.label).toBe(attentionColor().label);
    expect(o.width).toBe(300);
    // short prompts: token text on the axes, BOS written <s>, spaces visible
    const fmt = o.x?.tickFormat as (i: number) => string;
    expect([0, 1, 2].map(fmt)).toEqual(['0:<s>', '1:·To', '2:·be']);
  });

  it('drops the token ticks on long prompts and names the axes instead', () => {
    const n = MAX_TICKED_TOKENS + 1;
    const big = { shape: [1, n, n], data: new Float32Array(n * n) };
    const o = attentionMap(Plot, { probs: big, head: 0, tokens: [] }, { width: 200, slides: true });
    expect((o.x?.tickFormat as (i: number) => string)(3)).toBe('');
    expect(o.x?.label).toBe('key →');
    expect(o.y?.label).toBe('↓ query');
    expect(o.style).toMatchObject({ fontSize: '15px' });
  });
});

describe('attention map ticks', () => {
  const probsOf = (n: number) => ({ shape: [1, n, n], data: new Float32Array(n * n) });
  // the gap between two ticks along the axis, in layout px (the chart's own coordinates)
  const gap = (o: Plot.PlotOptions, axis: 'x' | 'y', n: number) => {
    const ticks = o[axis]?.ticks as number[];
    const span = axis === 'x' ? o.width! - o.marginLeft! - 8 : o.height! - o.marginBottom! - 8;
    return ((ticks[1] - ticks[0]) * span) / n;
  };

  it('the legend ticks are at least a fifth of the square-root scale apart', () => {
    const pos = ATTENTION_LEGEND_TICKS.map(Math.sqrt);
    expect(pos[0]).toBe(0);
    expect(pos.at(-1)).toBe(1);
    for (let i = 1; i < pos.length; i++) expect(pos[i] - pos[i - 1]).toBeGreaterThanOrEqual(0.2);
  });

  it('tickStride: the smallest stride that puts labels 1.2 font sizes apart', () => {
    expect(tickStride(20, 400, 11)).toBe(1);
    expect(tickStride(20, 100, 15)).toBe(4);
    expect(tickStride(20, 90, 15)).toBe(4);
    expect(tickStride(20, 89, 15)).toBe(5);
    expect(tickStride(0, 100, 15)).toBe(1);
    expect(tickStride(10, 0, 15)).toBe(1);
  });

  it('a map wide enough ticks every token; a small one on a slide every k-th, none overlapping', () => {
    const wide = attentionMap(Plot, { probs: probsOf(20), head: 0, tokens: [] }, { width: 400 });
    expect(wide.x?.ticks).toHaveLength(20);
    expect(wide.y?.ticks).toHaveLength(20);
    // a 1024x768 slide: two maps of about 250 px drawn at chart scale 1.34, laid out at 190 px
    for (const width of [150, 190, 260, 320]) {
      const o = attentionMap(
        Plot,
        { probs: probsOf(20), head: 0, tokens: [] },
        { width, slides: true },
      );
      const xs = o.x?.ticks as number[];
      expect(xs[0]).toBe(0);
      expect(xs.length).toBeLessThan(20);
      expect(gap(o, 'x', 20)).toBeGreaterThanOrEqual(1.2 * 15);
      expect(gap(o, 'y', 20)).toBeGreaterThanOrEqual(1.2 * 15);
    }
    const small = attentionMap(
      Plot,
      { probs: probsOf(20), head: 0, tokens: [] },
      { width: 190, slides: true },
    );
    // 190 - 84 - 8 = 98 px for 20 tokens 15 px tall: every 4th token (18 px apart)
    expect(small.x?.ticks).toEqual([0, 4, 8, 12, 16]);
  });
});

describe('token labels', () => {
  it('spells BOS, the empty dummy prefix and whitespace the same way everywhere', () => {
    expect(tokenLabel('', 0)).toBe('0:<s>');
    expect(tokenLabel('', 1)).toBe('1:∅');
    expect(tokenLabel('\n', 4)).toBe('4:↵');
    expect(tokenLabel('abcdefghijk', 2)).toBe('2:abcdefgh');
  });
});
