import type { ChapterMeta } from '$lib/chapter.ts';

export const meta: ChapterMeta = {
  slug: '05-pretraining',
  number: 5,
  title: 'Pretraining: data, tokens and a tiny LLaMA you train',
  summary:
    'Where LLaMA’s trillions of tokens come from, why it trains far past “compute-optimal”, how its tokenizer is learned, and a tiny LLaMA you train in this page and then use in every chapter.',
  parts: [],
};
