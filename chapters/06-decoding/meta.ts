import type { ChapterMeta } from '$lib/chapter.ts';

export const meta: ChapterMeta = {
  slug: '06-decoding',
  number: 6,
  title: 'Decoding: sampling, rejection sampling and speculative decoding',
  summary:
    'From the next-token distribution to text: temperature, top-k, top-p and min-p; rejection sampling as the Monte Carlo method; and speculative decoding, which uses it to decode faster with exactly the same output distribution.',
  parts: ['head'],
};
