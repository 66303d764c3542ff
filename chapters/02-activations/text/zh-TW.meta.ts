import type { ChapterMetaText } from '$lib/i18n/chapter-text.ts';

export const meta: ChapterMetaText = {
  title: '激活函數：從 ReLU、GELU 到 Swish、GLU 與 SwiGLU',
  summary:
    '前饋區塊裡的非線性：ReLU、GELU 與 Swish，門控線性單元，以及為什麼 LLaMA 的 SwiGLU 層只有 2/3 寬。',
};
