import type { ChapterMeta } from '$lib/chapter.ts';

export const meta: ChapterMeta = {
  slug: '04-attention',
  number: 4,
  title: 'Multi-head, multi-query and grouped-query attention',
  summary:
    'Why decoding one token at a time is limited by memory, how the KV cache grows, and how sharing key/value heads between query heads (MQA, GQA) shrinks it.',
  parts: ['attention', 'kvcache'],
};
