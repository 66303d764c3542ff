import type { ChapterMetaText } from '$lib/i18n/chapter-text.ts';

export const meta: ChapterMetaText = {
  title: '解碼：採樣、拒絕採樣與推測解碼',
  summary:
    '從下一個詞元的分布到文字：溫度、top-k、top-p 與 min-p；作為蒙地卡羅方法的拒絕採樣；以及利用它、在輸出分布完全不變之下加速解碼的推測解碼。',
};
