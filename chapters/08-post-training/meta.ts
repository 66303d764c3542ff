import type { ChapterMeta } from '$lib/chapter.ts';

export const meta: ChapterMeta = {
  slug: '08-post-training',
  number: 8,
  title: 'Post-training: SFT, rejection sampling, RLHF and DPO',
  summary:
    'How Llama 2 and Llama 3 get their behaviour after pretraining, run on the live model: fine-tune it on examples, score its samples with a reward you write, keep the best of K, and move it with DPO.',
  parts: ['head'],
};
