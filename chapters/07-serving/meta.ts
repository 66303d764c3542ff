import type { ChapterMeta } from '$lib/chapter.ts';

export const meta: ChapterMeta = {
  slug: '07-serving',
  number: 7,
  title: 'Serving: the KV cache, continuous batching and PagedAttention',
  summary:
    'Why memory, not arithmetic, limits how many sequences a server decodes at once, and how a paged KV cache stops wasting it: a simulator of three servers, and K samples of one prompt sharing their blocks in the live model.',
  parts: ['kvcache', 'attention'],
};
