import type { ChapterMeta } from '$lib/chapter.ts';

export const meta: ChapterMeta = {
  slug: '01-rmsnorm',
  number: 1,
  title: 'RMSNorm vs LayerNorm',
  summary:
    'Why LLaMA normalises with the root mean square alone, what that keeps and what it gives up, and where the norm sits in the block.',
  parts: ['norm'],
};
