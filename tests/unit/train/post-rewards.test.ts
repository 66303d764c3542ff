// Rewards (src/train/post/rewards.ts): the text features, the presets and the reader's formula
// through the sandbox; best-of-K statistics (src/train/post/best-of-k.ts) against enumeration.
import { describe, expect, it } from 'vitest';
import {
  FEATURE_NAMES,
  PRESETS,
  compileReward,
  compileRewardOrThrow,
  features,
  rhyme,
  rhymeKey,
} from '$train/post/rewards.ts';
import { bestAndWorst, bestOfKCurve, expectedBestOfK, mean } from '$train/post/best-of-k.ts';
import { Rng } from '$train/rng.ts';

const scene = `ROMEO:
But soft, what light through yonder window breaks?
It is the east, and Juliet is the sun.

JULIET:
Ay me! I prove my love tonight,
and I would dream of love by candle light.
Love, love and love.`;

describe('text features', () => {
  it('counts lines, speakers, words, the chosen word and speaker, questions and repeats', () => {
    const f = features(scene, { word: 'love', speaker: 'juliet' });
    expect(f.lines).toBe(5);
    expect(f.speakers).toBe(2);
    expect(f.speaker).toBe(1);
    expect(f.word).toBe(5);
    expect(f.questions).toBe(1);
    expect(f.words).toBe(39);
    expect(f.lineWords).toBeCloseTo((39 - 2) / 5, 12); // the two headings are not verse
    expect(f.repeats).toBeGreaterThan(0);
    expect(f.repeats).toBeLessThan(1);
  });

  it('rhymes: tonight/light rhyme, a word never rhymes with itself', () => {
    expect(rhymeKey('night')).toBe('ight');
    expect(rhymeKey('day')).toBe('ay');
    expect(rhymeKey('love')).toBe('ove');
    expect(rhyme('love', 'prove')).toBe(true);
    expect(rhyme('love', 'the')).toBe(false);
    expect(rhyme('love', 'love')).toBe(false);
    // verse line ends: breaks, sun, tonight, light, love: one rhyming neighbour pair of four
    expect(features(scene, { word: '', speaker: '' }).rhymes).toBeCloseTo(1 / 4, 12);
  });

  it('an empty text has every feature 0', () => {
    const f = features('', { word: 'love', speaker: 'ROMEO' });
    for (const n of FEATURE_NAMES) expect(f[n]).toBe(0);
  });
});

describe('reward formulas', () => {
  it('every preset compiles and scores what its formula says', () => {
    for (const p of PRESETS) {
      const r = compileRewardOrThrow(p);
      expect(Number.isFinite(r.score(scene))).toBe(true);
    }
    const word = compileRewardOrThrow(PRESETS.find((p) => p.id === 'word')!);
    expect(word.score('love love')).toBe(2);
    expect(word.score('love love love love')).toBe(3); // capped by min(word, 3)
    const avoid = compileRewardOrThrow({ formula: '-word', word: 'the', speaker: '' });
    expect(avoid.score('the cat and the dog')).toBe(-2);
  });

  it('a reader formula combines features', () => {
    const r = compileRewardOrThrow({
      formula: '2*speaker + rhymes - repeats',
      word: '',
      speaker: 'romeo',
    });
    const f = features(scene, { word: '', speaker: 'romeo' });
    expect(r.score(scene)).toBeCloseTo(2 * 1 + f.rhymes - f.repeats, 12);
  });

  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['eval("1")', /strings are not allowed/i],
    ['import(x)', /function “import” is not allowed/],
    ['rhymes.constructor', /property access/i],
    ['x', /Unknown name “x”: the variables are lines, words/],
    ['1 / word', /not a finite number .* word = 0/],
    ['log(lines)', /not a finite number/],
    ['rhymes(2)', /write rhymes \* \(…\)/],
    ['speaker = 1', /not allowed/],
  ];
  for (const [formula, msg] of bad) {
    it(`refuses ${JSON.stringify(formula)} in words`, () => {
      const r = compileReward({ formula, word: 'love', speaker: 'ROMEO' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(msg);
    });
  }

  it('refuses an absurdly long chosen word', () => {
    const r = compileReward({ formula: 'word', word: 'a'.repeat(41), speaker: '' });
    expect(r.ok).toBe(false);
  });
});

/** All K-subsets of [0, n). */
function subsets(n: number, K: number): number[][] {
  if (K === 0) return [[]];
  if (n < K) return [];
  return [...subsets(n - 1, K), ...subsets(n - 1, K - 1).map((s) => [...s, n - 1])];
}

describe('best-of-K statistics', () => {
  const rng = new Rng(3);
  const rewards = Array.from({ length: 9 }, () => Math.round(rng.normal() * 10) / 10);

  it('E[best of K] equals the mean over every K-subset of its maximum (ties included)', () => {
    const withTies = [...rewards, rewards[0], rewards[3]];
    for (let K = 1; K <= withTies.length; K++) {
      const all = subsets(withTies.length, K).map((s) => Math.max(...s.map((i) => withTies[i])));
      expect(expectedBestOfK(withTies, K)).toBeCloseTo(mean(all), 10);
    }
  });

  it('K = 1 gives the mean, K = N the maximum, and it never decreases with K', () => {
    const curve = bestOfKCurve([rewards, rewards.map((r) => -r)]);
    expect(curve[0]).toBeCloseTo((mean(rewards) + mean(rewards.map((r) => -r))) / 2, 12);
    expect(curve.at(-1)).toBeCloseTo((Math.max(...rewards) - Math.min(...rewards)) / 2, 12);
    for (let K = 1; K < curve.length; K++)
      expect(curve[K]).toBeGreaterThanOrEqual(curve[K - 1] - 1e-12);
    expect(() => expectedBestOfK(rewards, 0)).toThrow(/K must be/);
    expect(() => expectedBestOfK(rewards, 10)).toThrow(/K must be/);
  });

  it('on many prompts, keeping the best of K shifts the reward distribution up by the curve', () => {
    // Monte Carlo: draw K of N at random many times; the mean best matches the formula
    const K = 3;
    let s = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const idx = new Set<number>();
      while (idx.size < K) idx.add(rng.int(rewards.length));
      s += Math.max(...[...idx].map((j) => rewards[j]));
    }
    expect(Math.abs(s / n - expectedBestOfK(rewards, K))).toBeLessThan(0.03);
  });

  it('best and worst indices', () => {
    expect(bestAndWorst([1, 5, -2, 5, -2])).toEqual({ best: 1, worst: 2 });
    expect(() => bestAndWorst([])).toThrow(/no samples/);
  });
});
