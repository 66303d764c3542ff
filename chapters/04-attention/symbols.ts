// Chapter 4's glossary of symbols: each symbol its formulas use, with its one meaning here.
// Shown at the end of the chapter; tests/unit/chapters/symbols.test.ts checks it against the TeX.
import type { ChapterSymbol } from '$lib/chapter.ts';

export const symbols: readonly ChapterSymbol[] = [
  {
    tex: 'x',
    meaning: {
      en: 'A token’s vector entering attention (xₜ for position t)',
      'zh-TW': '進入注意力的詞元向量（位置 t 的為 xₜ）',
    },
  },
  {
    tex: 'X',
    meaning: {
      en: 'The token vectors of a sequence, one per row',
      'zh-TW': '一個序列的詞元向量，每列一個',
    },
  },
  {
    tex: 't',
    meaning: {
      en: 'Position of the token whose output is computed (the query’s)',
      'zh-TW': '正在計算輸出的詞元位置（查詢的位置）',
    },
  },
  {
    tex: 's',
    meaning: {
      en: 'Position of a token that is read (a key and value)',
      'zh-TW': '被讀取的詞元位置（鍵與值的位置）',
    },
  },
  {
    tex: 'T',
    meaning: {
      en: 'Length of the sequence (the scores form a T × T matrix)',
      'zh-TW': '序列長度（分數構成 T × T 矩陣）',
    },
  },
  {
    tex: 'q',
    meaning: { en: 'A query vector', 'zh-TW': '查詢（query）向量' },
  },
  {
    tex: 'k',
    meaning: { en: 'A key vector', 'zh-TW': '鍵（key）向量' },
  },
  {
    tex: 'v',
    meaning: { en: 'A value vector', 'zh-TW': '值（value）向量' },
  },
  {
    tex: 'Q',
    meaning: { en: 'The queries of a sequence, one per row', 'zh-TW': '一個序列的查詢，每列一個' },
  },
  {
    tex: 'K',
    meaning: { en: 'The keys of a sequence, one per row', 'zh-TW': '一個序列的鍵，每列一個' },
  },
  {
    tex: 'V',
    meaning: { en: 'The values of a sequence, one per row', 'zh-TW': '一個序列的值，每列一個' },
  },
  {
    tex: 'W_Q',
    meaning: {
      en: 'Query projection; with superscript (i), head i’s part of it',
      'zh-TW': '查詢投影；上標 (i) 表示第 i 個頭的部分',
    },
  },
  {
    tex: 'W_K',
    meaning: {
      en: 'Key projection; with superscript (i), head i’s part of it',
      'zh-TW': '鍵投影；上標 (i) 表示第 i 個頭的部分',
    },
  },
  {
    tex: 'W_V',
    meaning: {
      en: 'Value projection; with superscript (i), head i’s part of it',
      'zh-TW': '值投影；上標 (i) 表示第 i 個頭的部分',
    },
  },
  {
    tex: 'W_O',
    meaning: {
      en: 'Output projection that mixes the heads back to width d',
      'zh-TW': '輸出投影，把各頭合併回寬度 d',
    },
  },
  {
    tex: '\\overline{W}_K',
    meaning: {
      en: 'Key projection of a pooled K/V head: the mean of the key projections of its group’s heads',
      'zh-TW': '合併後 K/V 頭的鍵投影：該組各頭鍵投影的平均',
    },
  },
  {
    tex: '\\overline{W}_V',
    meaning: {
      en: 'Value projection of a pooled K/V head: the mean of the value projections of its group’s heads',
      'zh-TW': '合併後 K/V 頭的值投影：該組各頭值投影的平均',
    },
  },
  {
    tex: 'M',
    meaning: {
      en: 'The causal mask: 0 where s ≤ t, −∞ where s > t',
      'zh-TW': '因果遮罩（causal mask）：s ≤ t 處為 0，s > t 處為 −∞',
    },
  },
  {
    tex: 'd',
    meaning: {
      en: 'The model’s width (hidden size)',
      'zh-TW': '模型寬度，即隱藏維度（hidden size）',
    },
  },
  {
    tex: 'd_k',
    meaning: {
      en: 'Width of one head’s queries and keys (d / h)',
      'zh-TW': '每頭查詢與鍵的寬度（每頭維度，d / h）',
    },
  },
  {
    tex: 'c',
    meaning: { en: 'Index of an entry of q and k, 1 … dₖ', 'zh-TW': 'q 與 k 分量的索引，1 … dₖ' },
  },
  {
    tex: 'h',
    meaning: { en: 'Number of query heads', 'zh-TW': '查詢頭的數量' },
  },
  {
    tex: 'h_{kv}',
    meaning: {
      en: 'Number of key/value heads (h in MHA, 1 in MQA, in between in GQA)',
      'zh-TW': '鍵／值頭的數量（MHA 為 h，MQA 為 1，GQA 介於兩者之間）',
    },
  },
  {
    tex: 'i',
    meaning: { en: 'Index of a query head', 'zh-TW': '查詢頭的索引' },
  },
  {
    tex: 'j',
    meaning: {
      en: 'Index of a K/V head (and of its group of query heads)',
      'zh-TW': 'K/V 頭的索引（也是其查詢頭分組的索引）',
    },
  },
  {
    tex: 'G',
    meaning: {
      en: 'Gⱼ: the h / hₖᵥ query heads that share K/V head j',
      'zh-TW': 'Gⱼ：共用 K/V 頭 j 的 h / hₖᵥ 個查詢頭',
    },
  },
  {
    tex: 'g',
    meaning: {
      en: 'g(i): the K/V head that query head i reads',
      'zh-TW': 'g(i)：查詢頭 i 讀取的 K/V 頭',
    },
  },
  {
    tex: 'o',
    meaning: {
      en: 'Attention output of head i at position t',
      'zh-TW': '第 i 個頭在位置 t 的注意力輸出',
    },
  },
  {
    tex: 'p',
    meaning: {
      en: 'The attention weights (the softmax of the scores)',
      'zh-TW': '注意力權重（分數的 softmax）',
    },
  },
  {
    tex: 'L',
    meaning: { en: 'Number of layers', 'zh-TW': '層數' },
  },
  {
    tex: 'b',
    meaning: {
      en: 'Bytes per stored number (2 in fp16)',
      'zh-TW': '每個儲存數值的位元組數（fp16 為 2）',
    },
  },
  {
    tex: 'n',
    meaning: {
      en: 'Number of cached positions read by one generation step',
      'zh-TW': '一個生成步驟讀取的快取位置數',
    },
  },
  {
    tex: '\\mathbb{R}',
    meaning: {
      en: 'The real numbers (a key is a vector of dₖ of them)',
      'zh-TW': '實數（一個鍵是由 dₖ 個實數組成的向量）',
    },
  },
];
