import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import { ropeStretch, stretchPoints } from '$lib/charts/rope-stretch.ts';
import { stretchFactors, wavelengths } from '../../../chapters/03-rope/math.ts';

const d = 128;
const base = 500000;
const L = 8192;
const s = 8;
const input = {
  wavelengths: wavelengths(d, base),
  trainedLen: L,
  factor: s,
  series: (['linear', 'ntk', 'llama3', 'yarn'] as const).map((name) => ({
    name,
    stretch: stretchFactors(d, base, name, s, L),
  })),
};

describe('RoPE stretch builder', () => {
  it('one point per series and pair, with its trained wavelength and stretch', () => {
    const pts = stretchPoints(input);
    expect(pts).toHaveLength(4 * 64);
    expect(pts[64 + 5]).toEqual({
      name: 'ntk',
      pair: 5,
      wavelength: input.wavelengths[5],
      stretch: input.series[1].stretch[5],
    });
  });

  it('draws reference rules, the trained context, lines and dots on a log wavelength axis', () => {
    const o = ropeStretch(Plot, input, { width: 600 });
    const marks = o.marks as unknown[];
    expect(marks[0]).toBeInstanceOf(Plot.RuleY);
    expect(marks[1]).toBeInstanceOf(Plot.RuleX);
    expect((marks[1] as { data: number[] }).data).toEqual([L]);
    expect(marks[3]).toBeInstanceOf(Plot.Line);
    expect(marks[4]).toBeInstanceOf(Plot.Dot);
    expect(o.x).toMatchObject({ type: 'log' });
    expect(o.y?.domain).toEqual([0.9, s * 1.1]);
    expect(o.color?.domain).toEqual(['linear', 'ntk', 'llama3', 'yarn']);
    expect(o.height).toBe(300);
    expect(ropeStretch(Plot, input, { width: 600, slides: true }).height).toBe(380);
  });
});
