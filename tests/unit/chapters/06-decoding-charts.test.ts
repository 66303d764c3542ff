// Chapter 6's chart builders (src/lib/charts): what they produce from given data.
import * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { distributionBarsOptions, inEnglish, topBars } from '$lib/charts/distribution-bars.ts';
import { rejectionHistogramOptions, rejectionScatterOptions } from '$lib/charts/rejection.ts';
import { tokensPerPassCurve, tokensPerPassOptions } from '$lib/charts/speculation.ts';
import { expectedTokensPerPass } from '$engine/speculative.ts';

const opts = { width: 600, height: 240, fontSize: '11px' };
type Marked = { data?: unknown };

describe('chart builders', () => {
  it('distribution bars: the n most likely tokens by the model, both probabilities, in order', () => {
    const before = [0.1, 0.5, 0.3, 0.1];
    const after = [0, 0.6, 0.4, 0];
    const bars = topBars(before, after, (id) => `t${id}`, 3);
    expect(bars.map((b) => b.label)).toEqual(['t1', 't2', 't0']);
    expect(bars[2]).toEqual({ label: 't0', before: 0.1, after: 0 });
    const o = distributionBarsOptions(Plot, bars, opts);
    expect((o.x as { domain: string[] }).domain).toEqual(['t1', 't2', 't0']);
    expect(o.marks).toHaveLength(4); // two bar series, the zero rule, the token axis
    const [b0, b1] = o.marks as Marked[];
    expect((b0.data as unknown[]).length).toBe(3);
    expect((b1.data as { p: number }[]).map((r) => r.p)).toEqual([0.6, 0.4, 0]);
    expect((o.x as { axis: unknown }).axis).toBeNull(); // drawn by the explicit axis mark instead
  });

  it('the token axis is marked English: the render transform sets lang="en" on what it draws', () => {
    const attrs: Record<string, string> = {};
    const g = { setAttribute: (k: string, v: string) => (attrs[k] = v) } as unknown as SVGElement;
    const [index, scales, values, dims, ctx] = [[], {}, {}, {}, {}] as unknown as Parameters<
      typeof inEnglish
    >;
    expect(inEnglish(index, scales, values, dims, ctx, () => g)).toBe(g);
    expect(attrs).toEqual({ lang: 'en' });
    expect(inEnglish(index, scales, values, dims, ctx, () => null)).toBeNull();
  });

  it('rejection scatter: draws outside the ranks shown are left out; the y range covers p', () => {
    const curve = [
      { rank: 0, p: 0.5, envelope: 0.6 },
      { rank: 1, p: 0.2, envelope: 0.9 },
    ];
    const draws = [
      { rank: 0, y: 0.1, accepted: true },
      { rank: 5, y: 0.3, accepted: false },
    ];
    const o = rejectionScatterOptions(Plot, curve, draws, opts);
    const dots = (o.marks as Marked[])[2].data as unknown[];
    expect(dots).toHaveLength(1);
    const [lo, hi] = (o.y as { domain: number[] }).domain;
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThanOrEqual(0.9);
    expect(hi).toBeLessThanOrEqual(1.5);
    const h = rejectionHistogramOptions(Plot, [{ label: 'a', observed: 0.4, expected: 0.5 }], opts);
    expect(h.marks).toHaveLength(3);
  });

  it('tokens per pass: the formula for gamma 1..8, with the measured point', () => {
    const curve = tokensPerPassCurve(0.7, 8);
    expect(curve).toHaveLength(8);
    curve.forEach((c) => expect(c.tokens).toBeCloseTo(expectedTokensPerPass(0.7, c.gamma), 12));
    expect(tokensPerPassCurve(1, 3).map((c) => c.tokens)).toEqual([2, 3, 4]);
    const o = tokensPerPassOptions(Plot, curve, { gamma: 4, tokens: 2.5 }, opts);
    expect(o.marks).toHaveLength(4);
    expect(tokensPerPassOptions(Plot, curve, null, opts).marks).toHaveLength(3);
  });
});
