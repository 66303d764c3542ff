// Rewards for the tiny Shakespeare model: it has no human raters, so a reward is a transparent
// scoring function of the generated text. The text is measured by a few features (below), and
// the reward is a formula over them, compiled by the formula sandbox (src/engine/formula: mathjs
// parse and a whitelist, never eval). Every preset is such a formula, so the reader can read it
// and change it.
//
// Lines: the text is split at new lines; blank lines are ignored; a speaker heading is a line of
// capitals (and spaces) ending in a colon, as the corpus writes "ROMEO:"; the other lines are
// verse lines.

import {
  compileExpression,
  FormulaError,
  type Expression,
} from '../../engine/formula/expression.ts';
import type { ErrorCode, ErrorParams } from '../../engine/error-text.ts';

export { FormulaError } from '../../engine/formula/expression.ts';

export const FEATURES = [
  ['lines', 'verse lines (not blank, not a speaker heading)'],
  ['words', 'words in the text'],
  ['lineWords', 'mean words per verse line (0 without lines)'],
  ['rhymes', 'fraction of neighbouring verse lines whose last words rhyme (0 to 1)'],
  ['speakers', 'speaker headings (lines such as ROMEO:)'],
  ['speaker', 'headings of the chosen speaker'],
  ['word', 'times the chosen word appears (whole word, any case)'],
  ['questions', 'question marks'],
  ['repeats', 'share of words that repeat an earlier word (0 to 1)'],
] as const;

export type FeatureName = (typeof FEATURES)[number][0];
export const FEATURE_NAMES: readonly FeatureName[] = FEATURES.map((f) => f[0]);
export type Features = Record<FeatureName, number>;

export interface RewardSpec {
  /** A formula over the feature names. */
  formula: string;
  /** The word counted by `word`. */
  word: string;
  /** The speaker counted by `speaker` (compared in capitals). */
  speaker: string;
}

export interface RewardPreset extends RewardSpec {
  id: string;
  label: string;
}

export const PRESETS: readonly RewardPreset[] = [
  { id: 'rhyme', label: 'lines that rhyme', formula: 'rhymes', word: 'love', speaker: 'ROMEO' },
  {
    id: 'speaker',
    label: 'a given speaker talks',
    formula: 'min(speaker, 2)',
    word: 'love',
    speaker: 'ROMEO',
  },
  {
    id: 'length',
    label: 'short lines (4 words)',
    formula: '-abs(lineWords - 4)',
    word: 'love',
    speaker: 'ROMEO',
  },
  {
    id: 'word',
    label: 'a word appears',
    formula: 'min(word, 3)',
    word: 'love',
    speaker: 'ROMEO',
  },
  {
    id: 'avoid',
    label: 'a word is avoided',
    formula: '-word',
    word: 'the',
    speaker: 'ROMEO',
  },
  {
    id: 'questions',
    label: 'questions, no repetition',
    formula: 'min(questions, 2) - 2 * repeats',
    word: 'love',
    speaker: 'ROMEO',
  },
];

export function presetById(id: string): RewardPreset | undefined {
  return PRESETS.find((p) => p.id === id);
}

const SPEAKER_LINE = /^[A-Z][A-Z' ]*[A-Z]:$/;
const WORD = /[A-Za-z']+/g;

function wordsOf(s: string): string[] {
  return (s.match(WORD) ?? []).map((w) => w.replace(/^'+|'+$/g, '').toLowerCase()).filter(Boolean);
}

/**
 * The rhyme key of a word: from its last vowel group (a, e, i, o, u, y) to the end, a silent
 * final e kept with the group before it: night -> ight, day -> ay, love -> ove, the -> e.
 */
export function rhymeKey(word: string): string {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return '';
  const silentE = w.length > 2 && w.endsWith('e') && !/[aeiouy]e$/.test(w);
  const stem = silentE ? w.slice(0, -1) : w;
  const m = /[aeiouy]+[^aeiouy]*$/.exec(stem);
  if (!m) return silentE ? 'e' : w;
  return m[0] + (silentE ? 'e' : '');
}

/** Two different words that share a rhyme key rhyme; a word does not rhyme with itself. */
export function rhyme(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x !== '' && y !== '' && x !== y && rhymeKey(x) === rhymeKey(y) && rhymeKey(x) !== '';
}

export function features(text: string, spec: Pick<RewardSpec, 'word' | 'speaker'>): Features {
  const raw = text.split('\n').map((l) => l.trim());
  const speakerName = spec.speaker.trim().toUpperCase();
  const target = spec.word.trim().toLowerCase();
  let speakers = 0;
  let speaker = 0;
  const verse: string[] = [];
  for (const l of raw) {
    if (l === '') continue;
    if (SPEAKER_LINE.test(l)) {
      speakers++;
      if (speakerName !== '' && l.slice(0, -1) === speakerName) speaker++;
    } else verse.push(l);
  }
  const all = wordsOf(text);
  let word = 0;
  const seen = new Set<string>();
  let repeated = 0;
  for (const w of all) {
    if (target !== '' && w === target) word++;
    if (seen.has(w)) repeated++;
    seen.add(w);
  }
  const ends = verse.map((l) => wordsOf(l).at(-1) ?? '');
  let rhymed = 0;
  for (let i = 0; i + 1 < ends.length; i++) if (rhyme(ends[i], ends[i + 1])) rhymed++;
  const verseWords = verse.reduce((a, l) => a + wordsOf(l).length, 0);
  return {
    lines: verse.length,
    words: all.length,
    lineWords: verse.length ? verseWords / verse.length : 0,
    rhymes: ends.length > 1 ? rhymed / (ends.length - 1) : 0,
    speakers,
    speaker,
    word,
    questions: (text.match(/\?/g) ?? []).length,
    repeats: all.length ? repeated / all.length : 0,
  };
}

export type Reward = (text: string) => number;

export interface CompiledReward {
  spec: RewardSpec;
  score: Reward;
  features: (text: string) => Features;
}

/** Feature vectors a reward formula must be finite on: nothing at all, and typical texts. */
const PROBES: readonly string[] = [
  '',
  'ROMEO:\nBut soft, what light through yonder window breaks?\nIt is the east, and Juliet is the sun.',
  'the the the the\nthe the',
  'A\nB\nC',
];

/** Compile a reward; throws FormulaError with a message for the reader. */
export function compileRewardOrThrow(spec: RewardSpec): CompiledReward {
  if (spec.word.length > 40 || spec.speaker.length > 40)
    throw new FormulaError('reward_names_too_long', { max: 40 });
  const expr: Expression = compileExpression(spec.formula, {
    variables: FEATURE_NAMES,
    example: 'rhymes - repeats',
  });
  const feats = (text: string) => features(text, spec);
  const vector = (f: Features) => FEATURE_NAMES.map((n) => f[n]);
  const score: Reward = (text) => {
    const f = feats(text);
    const r = expr(vector(f));
    if (!Number.isFinite(r)) {
      const where = FEATURE_NAMES.map((n) => `${n} = ${Number(f[n].toFixed(3))}`).join(', ');
      throw new FormulaError('reward_not_finite', { got: String(r), features: where });
    }
    return r;
  };
  for (const p of PROBES) score(p);
  return { spec: { ...spec, formula: spec.formula.trim() }, score, features: feats };
}

/** A refusal: `error` in English, and the code and parameters to say it in the reader's language. */
export type RewardResult =
  | { ok: true; reward: CompiledReward }
  | { ok: false; error: string; code?: ErrorCode; params?: ErrorParams };

/** Compile a reward; never throws. */
export function compileReward(spec: RewardSpec): RewardResult {
  try {
    return { ok: true, reward: compileRewardOrThrow(spec) };
  } catch (err) {
    if (err instanceof FormulaError) {
      const { code, params } = err;
      return code
        ? { ok: false, error: err.message, code, params }
        : { ok: false, error: err.message };
    }
    // A bug in the features or the parser: still refuse, in words (English, after a lead-in).
    return { ok: false, error: `The reward could not be read (${String(err)}).` };
  }
}
