import type { ChapterMeta } from '$lib/chapter.ts';

export const meta: ChapterMeta = {
  slug: '02-activations',
  number: 2,
  title: 'Activations: from ReLU and GELU to Swish, GLU and SwiGLU',
  summary:
    'The nonlinearity inside the feed-forward block: ReLU, GELU and Swish, the gated linear units, and why LLaMA’s SwiGLU layer is 2/3 as wide.',
  parts: ['ffn'],
};
