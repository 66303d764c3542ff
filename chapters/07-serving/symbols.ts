// Chapter 7's glossary of symbols: each symbol its formulas use, with its one meaning here.
// Shown at the end of the chapter; tests/unit/chapters/symbols.test.ts checks it against the TeX.
import type { ChapterSymbol } from '$lib/chapter.ts';

const e = (tex: string, en: string, zh: string): ChapterSymbol => ({
  tex,
  meaning: { en, 'zh-TW': zh },
});

export const symbols: readonly ChapterSymbol[] = [
  e('L', 'Number of layers', '層數'),
  e('h', 'Number of query heads', '查詢頭的數量'),
  e('h_{kv}', 'Number of key/value heads', '鍵／值頭的數量'),
  e('d', 'The model’s width (hidden size)', '模型寬度，即隱藏維度（hidden size）'),
  e('d_k', 'Width of one head’s keys and values', '每頭鍵與值的寬度'),
  e('b', 'Bytes per stored number (2 in fp16)', '每個儲存數值的位元組數（fp16 為 2）'),
  e('M', 'GPU memory', 'GPU 記憶體'),
  e('W', 'Bytes of the weights', '權重的位元組數'),
  e('N', 'Number of parameters of the model', '模型的參數數量'),
  e(
    'C',
    'Cache capacity: how many tokens’ keys and values fit in memory',
    '快取容量：記憶體能容納多少個詞元的鍵與值',
  ),
  e(
    'n',
    'Number of positions of one sequence (n_max: the longest it may reach)',
    '一條序列的位置數（n_max：可能達到的最長長度）',
  ),
  e('B', 'Block size: positions per block', '區塊大小：每個區塊的位置數'),
  e('i', 'Index of an entry of a block table', '區塊表中項目的索引'),
  e('t', 'A position of a sequence', '序列中的一個位置'),
  e('P', 'Length of a shared prompt, in tokens', '共用提示詞的長度（詞元數）'),
  e('K', 'Number of samples that share a prompt', '共用同一提示詞的樣本數'),
  e('j', 'Index of a sample', '樣本的索引'),
  e('g', 'gⱼ: positions sample j added after the prompt', 'gⱼ：樣本 j 在提示詞之後新增的位置數'),
  e('S', 'Number of sequences in a batch', '批次中的序列數'),
  e('s', 'Index of a sequence in the batch', '批次中序列的索引'),
];
