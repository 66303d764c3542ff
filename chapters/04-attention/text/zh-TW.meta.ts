import type { ChapterMetaText } from '$lib/i18n/chapter-text.ts';

export const meta: ChapterMetaText = {
  title: '多頭、多查詢與分組查詢注意力',
  summary:
    '為什麼逐詞元解碼受限於記憶體、KV 快取如何增長，以及讓多個查詢頭共用鍵/值頭（MQA、GQA）如何縮小它。',
};
