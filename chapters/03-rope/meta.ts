import type { ChapterMeta } from '$lib/chapter.ts';

export const meta: ChapterMeta = {
  slug: '03-rope',
  number: 3,
  title: 'Rotary position embeddings (RoPE)',
  summary:
    'How LLaMA tells attention where each token is: by turning pairs of query and key entries through angles that grow with the position, so that scores depend only on the distance.',
  parts: ['rope'],
};
