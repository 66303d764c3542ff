import type { ChapterMetaText } from '$lib/i18n/chapter-text.ts';

export const meta: ChapterMetaText = {
  title: '後訓練：SFT、拒絕採樣、RLHF 與 DPO',
  summary:
    'Llama 2 與 Llama 3 在預訓練之後如何學會它們的行為，全在即時模型上執行：用範例微調它、用你寫的獎勵為它的樣本打分、保留 K 個中最好的，再用 DPO 調整它。',
};
