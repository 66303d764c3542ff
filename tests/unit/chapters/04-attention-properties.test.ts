// What chapter 4 says about its training-curve comparison, checked against the shipped runs
// (assets/models/<run>/meta.json and curve.json): the parameter counts of the twins, the 7.8%
// the MHA twin has in excess, and that the final validation losses lie 0.01 to 0.02 bits per
// character apart (single-seed runs: the page says this is too close to rank them).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paramCount } from '../../../chapters/04-attention/math.ts';

const read = (run: string, file: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../assets/models/${run}/${file}`, import.meta.url), 'utf8'),
  );

const runs = ['main', 'mha', 'mqa'] as const;
const meta = Object.fromEntries(runs.map((r) => [r, read(r, 'meta.json')]));
const finalBpc = Object.fromEntries(
  runs.map((r) => {
    const bpc: number[] = read(r, 'curve.json').val.bits_per_char;
    return [r, bpc[bpc.length - 1]];
  }),
);

describe('chapter 4 training-curve note', () => {
  it('the three runs share a seed and a step budget', () => {
    const seeds = runs.map((r) => meta[r].train.seed);
    const steps = runs.map((r) => meta[r].train.steps);
    expect(new Set(seeds).size).toBe(1);
    expect(new Set(steps).size).toBe(1);
  });

  it('parameter counts follow from the shapes: the MHA twin has 7.8% more than the built-in model', () => {
    const c = meta.main.config;
    const shape = {
      dim: c.dim,
      nLayers: c.n_layers,
      nHeads: c.n_heads,
      ffnHidden: c.hidden_dim,
      vocab: c.vocab_size,
    };
    for (const r of runs) {
      expect(paramCount({ ...shape, nKvHeads: meta[r].config.n_kv_heads }, true)).toBe(
        meta[r].params,
      );
    }
    expect(meta.main.params).toBe(263872);
    expect(meta.mha.params).toBe(284352);
    expect(Math.round((1000 * meta.mha.params) / meta.main.params - 1000) / 10).toBe(7.8);
  });

  it('final validation losses lie 0.01 to 0.02 bits per character apart (rounded)', () => {
    for (const r of ['mha', 'mqa'] as const) {
      const gap = Math.abs(finalBpc[r] - finalBpc.main);
      expect(gap).toBeGreaterThanOrEqual(0.01);
      expect(Math.round(gap * 100) / 100).toBeLessThanOrEqual(0.02);
    }
  });
});
