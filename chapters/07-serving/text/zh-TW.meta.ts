import type { ChapterMetaText } from '$lib/i18n/chapter-text.ts';

export const meta: ChapterMetaText = {
  title: '服務：KV 快取、連續批次處理與 PagedAttention',
  summary:
    '為什麼限制伺服器同時解碼多少序列的是記憶體而不是算力，以及分頁的 KV 快取如何不再浪費記憶體：三種伺服器的模擬器，以及在即時模型中共用區塊的同一提示的 K 個樣本。',
};
