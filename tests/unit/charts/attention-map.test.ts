import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import {
  attentionColor,
  MAX_TICKED_TOKENS,
  attentionCells,
  attentionMap,
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

describe('token labels', () => {
  it('spells BOS, the empty dummy prefix and whitespace the same way everywhere', () => {
    expect(tokenLabel('', 0)).toBe('0:<s>');
    expect(tokenLabel('', 1)).toBe('1:∅');
    expect(tokenLabel('\n', 4)).toBe('4:↵');
    expect(tokenLabel('abcdefghijk', 2)).toBe('2:abcdefgh');
  });
});
