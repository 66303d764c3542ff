import type { ChapterMetaText } from '$lib/i18n/chapter-text.ts';

export const meta: ChapterMetaText = {
  title: 'RMSNorm 與 LayerNorm',
  summary: '為什麼 LLaMA 只用均方根做歸一化：它保留了什麼、放棄了什麼，以及歸一化在區塊中的位置。',
};
