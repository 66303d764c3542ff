// The post-training pipelines of Llama 2 and Llama 3 as the papers describe them (facts:
// docs/reference/llama-facts.md, "Post-training"), as data for the pipeline figure. Each stage
// names the block of this chapter where the reader runs it.

export interface Stage {
  id: string;
  label: string;
  detail: string;
  /** Block id of the live experiment below. */
  block: string;
}

export interface Pipeline {
  model: string;
  source: string;
  stages: readonly Stage[];
  /** What repeats: the stages from `loopFrom` on, this many times. */
  loop: { from: number; label: string };
}

export const PIPELINES: readonly Pipeline[] = [
  {
    model: 'Llama 2-Chat',
    source: 'Touvron et al., 2023 (arXiv:2307.09288)',
    stages: [
      {
        id: 'sft',
        label: 'SFT',
        detail: 'supervised fine-tuning on demonstrations',
        block: 'sft-lab',
      },
      {
        id: 'rm',
        label: 'Reward models',
        detail: 'helpfulness and safety, Bradley-Terry on human comparisons',
        block: 'rewards',
      },
      {
        id: 'rs',
        label: 'Rejection sampling',
        detail: 'best of K by the reward model, then fine-tune on it',
        block: 'rs-lab',
      },
      {
        id: 'ppo',
        label: 'PPO',
        detail: 'maximise reward − β·KL from the reference',
        block: 'rlhf',
      },
    ],
    loop: { from: 1, label: 'RLHF-V1 … V5' },
  },
  {
    model: 'Llama 3',
    source: 'Llama Team, 2024 (arXiv:2407.21783)',
    stages: [
      {
        id: 'rm',
        label: 'Reward model',
        detail: 'trained on the round’s preference data',
        block: 'rewards',
      },
      {
        id: 'rs',
        label: 'Rejection sampling',
        detail: 'K samples per prompt (typically 10 to 30), the best kept',
        block: 'bestofk',
      },
      { id: 'sft', label: 'SFT', detail: 'on the kept samples', block: 'sft-lab' },
      {
        id: 'dpo',
        label: 'DPO',
        detail: 'preference pairs, against the SFT model as reference',
        block: 'dpo-lab',
      },
    ],
    loop: { from: 0, label: '6 rounds' },
  },
];
