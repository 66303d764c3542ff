import type { ChapterMetaText } from '$lib/i18n/chapter-text.ts';

export const meta: ChapterMetaText = {
  title: '預訓練：資料、詞元，與一個你親手訓練的小 LLaMA',
  summary:
    'LLaMA 數兆個詞元從哪裡來、為什麼訓練遠超過「計算最優」、分詞器如何學成，以及一個在本頁訓練、之後每一章都能使用的小 LLaMA。',
};
