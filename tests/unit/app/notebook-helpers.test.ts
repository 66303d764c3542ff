// Helpers of the notebook's lib layer that read untrusted input: training-curve files and a
// reader's own model files.
import { describe, expect, it } from 'vitest';
import { parseCurve } from '$lib/curves.ts';
import { classifyFiles, MAX_CHECKPOINT_BYTES } from '$lib/model-files.ts';

describe('parseCurve', () => {
  it('reads rows, points and columns', () => {
    expect(
      parseCurve([
        { step: 0, train_loss: 5 },
        { step: 10, train_loss: 4, val_loss: 4.2 },
      ]).points,
    ).toEqual([
      { step: 0, split: 'train', loss: 5 },
      { step: 10, split: 'train', loss: 4 },
      { step: 10, split: 'val', loss: 4.2 },
    ]);
    expect(parseCurve({ points: [{ step: 1, train: 3, val: 3.5 }] }).points).toHaveLength(2);
    expect(parseCurve({ steps: [0, 1], train: [2, 1], val: [2.5, null] }).points).toEqual([
      { step: 0, split: 'train', loss: 2 },
      { step: 0, split: 'val', loss: 2.5 },
      { step: 1, split: 'train', loss: 1 },
    ]);
  });

  it('reads the trainer’s format: one column set per split', () => {
    const r = parseCurve({
      train: { step: [1, 2], loss: [6.2, 6.1], lr: [0.1, 0.2] },
      val: { step: [0, 100], loss: [6.25, 4.5], bits_per_char: [4.8, 3.4] },
    });
    expect(r.points).toEqual([
      { step: 1, split: 'train', loss: 6.2 },
      { step: 2, split: 'train', loss: 6.1 },
      { step: 0, split: 'val', loss: 6.25 },
      { step: 100, split: 'val', loss: 4.5 },
    ]);
  });

  it('explains an empty or hostile file instead of throwing', () => {
    for (const bad of [
      null,
      42,
      'x',
      {},
      [],
      [{ step: 'a', loss: 1 }],
      { points: [{ step: 1, loss: 'NaN' }] },
    ]) {
      const r = parseCurve(bad);
      expect(r.points).toEqual([]);
      expect(r.error).toMatch(/no \(step, loss\) points/);
    }
  });
});

describe('classifyFiles', () => {
  const f = (name: string, size: number) => ({ name, size });

  it('recognises stories15M.bin + tokenizer.bin + model.json in any order', () => {
    const r = classifyFiles([
      f('model.json', 80),
      f('tokenizer.bin', 433_869),
      f('stories15M.bin', 60_816_028),
    ]);
    expect(r.checkpoint?.name).toBe('stories15M.bin');
    expect(r.tokenizer?.name).toBe('tokenizer.bin');
    expect(r.sidecar?.name).toBe('model.json');
    expect(r.problems).toEqual([]);
  });

  it('takes the smaller of two unnamed .bin files as the tokenizer', () => {
    const r = classifyFiles([f('a.bin', 1000), f('b.bin', 1_056_540)]);
    expect(r.checkpoint?.name).toBe('b.bin');
    expect(r.tokenizer?.name).toBe('a.bin');
  });

  it('explains files that cannot be right by their size alone', () => {
    const r = classifyFiles([f('empty.bin', 0), f('tokenizer.bin', 4)]);
    expect(r.checkpoint).toBeUndefined();
    expect(r.tokenizer).toBeUndefined();
    expect(r.problems.join(' ')).toMatch(/too small to be a llama2.c checkpoint/);
    expect(r.problems.join(' ')).toMatch(/too small to be a tokenizer/);
    const odd = classifyFiles([f('m.bin', 1_056_541), f('tokenizer.bin', 5000)]);
    expect(odd.problems[0]).toMatch(/not a multiple of 4/);
    const huge = classifyFiles([
      f('llama-7b.bin', MAX_CHECKPOINT_BYTES + 4),
      f('tokenizer.bin', 5000),
    ]);
    expect(huge.problems[0]).toMatch(/at most/);
  });

  it('says which extra files it ignored', () => {
    const r = classifyFiles([f('a.bin', 4000), f('b.bin', 8000), f('c.bin', 12000)]);
    expect(r.checkpoint?.name).toBe('c.bin');
    expect(r.tokenizer?.name).toBe('b.bin');
    expect(r.problems).toEqual([expect.stringMatching(/Not sure what a\.bin is/)]);
  });
});

describe('smoothTrain and parseRunSummary', () => {
  it('averages the last `window` training losses and leaves validation points alone', async () => {
    const { smoothTrain } = await import('$lib/curves.ts');
    const pts = [
      { step: 1, split: 'train' as const, loss: 4 },
      { step: 2, split: 'train' as const, loss: 2 },
      { step: 2, split: 'val' as const, loss: 9 },
      { step: 3, split: 'train' as const, loss: 6 },
    ];
    expect(smoothTrain(pts, 2).map((p) => p.loss)).toEqual([4, 3, 9, 4]);
  });

  it('keeps only finite numbers from meta.json', async () => {
    const { parseRunSummary } = await import('$lib/curves.ts');
    expect(
      parseRunSummary({ valNatsPerToken: 2.9, trainTimeS: 'fast', wallTimeS: 10, params: NaN }),
    ).toEqual({
      valNatsPerToken: 2.9,
      valBitsPerChar: undefined,
      trainTimeS: 10,
      params: undefined,
      tokensSeen: undefined,
    });
    expect(parseRunSummary(null)).toEqual({});
  });
});
