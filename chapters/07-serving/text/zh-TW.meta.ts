import type { ChapterMetaText } from '$lib/i18n/chapter-text.ts';

export const meta: ChapterMetaText = {
  title: '推論服務：KV 快取、持續批次處理與 PagedAttention',
  summary:
    '為什麼限制伺服器一次能解碼多少序列的是記憶體而不是運算，以及分頁式 KV 快取如何不再浪費記憶體：一個模擬三種伺服器的模擬器，以及同一個提示詞的 K 個樣本在即時模型中共用區塊。',
};
