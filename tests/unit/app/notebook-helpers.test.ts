// Helpers of the notebook's lib layer that read untrusted input: training-curve files and a
// reader's own model files.
import { describe, expect, it } from 'vitest';
import { parseCurve } from '$lib/curves.ts';

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
