import type { ChapterMetaText } from '$lib/i18n/chapter-text.ts';

export const meta: ChapterMetaText = {
  title: '旋轉位置編碼（RoPE）',
  summary:
    'LLaMA 如何讓注意力知道每個詞元的位置：把查詢與鍵的分量兩兩一組，轉過隨位置增長的角度，使分數只取決於距離。',
};
