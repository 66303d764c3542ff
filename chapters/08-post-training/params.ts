// Chapter 8's URL parameters: the reward (a preset, or the reader's formula over text features,
// with the word and the speaker it counts) and the knobs of the live experiments.
import { m } from '$paraglide/messages.js';
import type { ParamSpec } from '$lib/params.ts';
import { PRESETS, presetById, type RewardSpec } from '$train/post/rewards.ts';

export const chapterParams: ParamSpec[] = [
  {
    key: 'reward',
    kind: 'enum',
    label: 'Reward',
    message: m.ch08_param_reward,
    options: PRESETS.map((p) => p.id),
    // The presets in the reader's language (the trainer's English labels in
    // $train/post/rewards.ts serve the command line).
    optionLabels: {
      rhyme: m.ch08_preset_rhyme,
      speaker: m.ch08_preset_speaker,
      length: m.ch08_preset_length,
      word: m.ch08_preset_word,
      avoid: m.ch08_preset_avoid,
      questions: m.ch08_preset_questions,
    },
  },
  { key: 'rf', kind: 'text', label: 'Reward formula', message: m.ch08_param_rf, maxLength: 200 },
  { key: 'word', kind: 'text', label: 'Word', message: m.ch08_param_word, maxLength: 40 },
  { key: 'speaker', kind: 'text', label: 'Speaker', message: m.ch08_param_speaker, maxLength: 40 },
  {
    key: 'k',
    kind: 'int',
    label: 'K (samples per prompt)',
    message: m.ch08_param_k,
    min: 2,
    max: 16,
  },
  {
    key: 'beta',
    kind: 'number',
    label: 'β (KL strength)',
    message: m.ch08_param_beta,
    min: 0.01,
    max: 2,
    scale: 'log',
  },
  {
    key: 'dsteps',
    kind: 'int',
    label: 'DPO steps',
    message: m.ch08_param_dsteps,
    min: 4,
    max: 120,
  },
  {
    key: 'ssteps',
    kind: 'int',
    label: 'SFT steps',
    message: m.ch08_param_ssteps,
    min: 4,
    max: 120,
  },
  { key: 'rounds', kind: 'int', label: 'Rounds', message: m.ch08_param_rounds, min: 1, max: 5 },
];

export const chapterParamDefaults = {
  reward: 'length',
  rf: '',
  word: '',
  speaker: '',
  k: 6,
  beta: 0.2,
  dsteps: 24,
  ssteps: 30,
  rounds: 3,
};

/** The reward the page's URL describes: the preset, with the reader's formula, word and speaker over it. */
export function rewardSpecFrom(params: Record<string, string | number | boolean>): RewardSpec {
  const preset = presetById(String(params.reward ?? 'length')) ?? presetById('length')!;
  const text = (k: string) => {
    const v = String(params[k] ?? '').trim();
    return v === '' ? undefined : v;
  };
  return {
    formula: text('rf') ?? preset.formula,
    word: text('word') ?? preset.word,
    speaker: text('speaker') ?? preset.speaker,
  };
}
