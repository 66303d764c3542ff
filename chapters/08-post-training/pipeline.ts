// The post-training pipelines of Llama 2 and Llama 3 as the papers describe them (facts:
// docs/reference/llama-facts.md, "Post-training"), as data for the pipeline figure. Each stage
// names the block of this chapter where the reader runs it. Labels are message functions, called
// when the figure renders (in the reader's language); model names and sources stay as written.
import { m } from '$paraglide/messages.js';

type Text = () => string;

export interface Stage {
  id: string;
  label: Text;
  detail: Text;
  /** Block id of the live experiment below. */
  block: string;
}

export interface Pipeline {
  model: string;
  source: string;
  stages: readonly Stage[];
  /** What repeats: the stages from `loopFrom` on, this many times. */
  loop: { from: number; label: Text };
}

const name =
  (s: string): Text =>
  () =>
    s;

export const PIPELINES: readonly Pipeline[] = [
  {
    model: 'Llama 2-Chat',
    source: 'Touvron et al., 2023 (arXiv:2307.09288)',
    stages: [
      { id: 'sft', label: name('SFT'), detail: m.ch08_stage_l2_sft, block: 'sft-lab' },
      { id: 'rm', label: m.ch08_stage_rm_plural, detail: m.ch08_stage_l2_rm, block: 'rewards' },
      { id: 'rs', label: m.ch08_stage_rs, detail: m.ch08_stage_l2_rs, block: 'rs-lab' },
      { id: 'ppo', label: name('PPO'), detail: m.ch08_stage_l2_ppo, block: 'rlhf' },
    ],
    loop: { from: 1, label: name('RLHF-V1 … V5') },
  },
  {
    model: 'Llama 3',
    source: 'Llama Team, 2024 (arXiv:2407.21783)',
    stages: [
      { id: 'rm', label: m.ch08_stage_rm, detail: m.ch08_stage_l3_rm, block: 'rewards' },
      { id: 'rs', label: m.ch08_stage_rs, detail: m.ch08_stage_l3_rs, block: 'bestofk' },
      { id: 'sft', label: name('SFT'), detail: m.ch08_stage_l3_sft, block: 'sft-lab' },
      { id: 'dpo', label: name('DPO'), detail: m.ch08_stage_l3_dpo, block: 'dpo-lab' },
    ],
    loop: { from: 0, label: () => m.ch08_pipe_rounds({ n: 6 }) },
  },
];
