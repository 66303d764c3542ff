// Chapter 3's glossary of symbols: each symbol its formulas use, with its one meaning here.
// Shown at the end of the chapter; tests/unit/chapters/symbols.test.ts checks it against the TeX.
import type { ChapterSymbol } from '$lib/chapter.ts';

export const symbols: readonly ChapterSymbol[] = [
  {
    tex: 'X',
    meaning: {
      en: 'The token vectors of a sequence, one per row',
      'zh-TW': '一個序列的詞元向量，每列一個',
    },
  },
  {
    tex: 'x',
    meaning: {
      en: 'A token’s vector (xₘ: the one at position m)',
      'zh-TW': '一個詞元的向量（xₘ：位置 m 的向量）',
    },
  },
  {
    tex: 'W_q',
    meaning: { en: 'A head’s query projection', 'zh-TW': '一個頭的查詢投影' },
  },
  {
    tex: 'W_k',
    meaning: { en: 'A head’s key projection', 'zh-TW': '一個頭的鍵投影' },
  },
  {
    tex: 'W_v',
    meaning: { en: 'A head’s value projection', 'zh-TW': '一個頭的值投影' },
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
    tex: 'S',
    meaning: { en: 'The matrix of scores QKᵀ / √dₖ', 'zh-TW': '分數矩陣 QKᵀ / √dₖ' },
  },
  {
    tex: 'P',
    meaning: {
      en: 'A permutation matrix that reorders the tokens (rows)',
      'zh-TW': '重新排列詞元（列）的置換矩陣',
    },
  },
  {
    tex: 'I',
    meaning: { en: 'The identity matrix', 'zh-TW': '單位矩陣' },
  },
  {
    tex: 'q',
    meaning: {
      en: 'One head’s query vector; entries q₀ … q_{d−1}',
      'zh-TW': '一個頭的查詢向量；分量為 q₀ … q_{d−1}',
    },
  },
  {
    tex: 'k',
    meaning: { en: 'One head’s key vector', 'zh-TW': '一個頭的鍵向量' },
  },
  {
    tex: 'v',
    meaning: { en: 'One head’s value vector', 'zh-TW': '一個頭的值向量' },
  },
  {
    tex: "q'",
    meaning: { en: 'The query after rotation', 'zh-TW': '旋轉後的查詢' },
  },
  {
    tex: "k'",
    meaning: { en: 'The key after rotation', 'zh-TW': '旋轉後的鍵' },
  },
  {
    tex: 'd',
    meaning: {
      en: 'Width of one head’s queries and keys, the vector RoPE rotates (d / 2 pairs)',
      'zh-TW': '每頭查詢與鍵的寬度，即 RoPE 旋轉的向量（d / 2 對）',
    },
  },
  {
    tex: 'd_k',
    meaning: {
      en: 'The same width in the score scaling √dₖ (dₖ = d here)',
      'zh-TW': '分數縮放 √dₖ 中的同一寬度（本章 dₖ = d）',
    },
  },
  {
    tex: 'm',
    meaning: { en: 'Position of the query’s token', 'zh-TW': '查詢所在詞元的位置' },
  },
  {
    tex: 'n',
    meaning: { en: 'Position of the key’s token', 'zh-TW': '鍵所在詞元的位置' },
  },
  {
    tex: 'i',
    meaning: { en: 'Index of a rotated pair, 0 … d/2 − 1', 'zh-TW': '旋轉配對的索引，0 … d/2 − 1' },
  },
  {
    tex: 'j',
    meaning: { en: 'Index of a partial sum Cⱼ', 'zh-TW': '部分和 Cⱼ 的索引' },
  },
  {
    tex: 'c',
    meaning: {
      en: 'Which half an entry goes to (0 or 1) when pairs are regrouped',
      'zh-TW': '重排配對時分量所屬的半邊（0 或 1）',
    },
  },
  {
    tex: '\\theta',
    meaning: {
      en: 'θᵢ: the angle pair i turns per position, base^(−2i/d) radians',
      'zh-TW': 'θᵢ：第 i 對每個位置轉動的角度，base^(−2i/d) 弧度',
    },
  },
  {
    tex: "\\theta'",
    meaning: {
      en: 'θ′ᵢ: pair i’s angle per position after a long-context scaling',
      'zh-TW': 'θ′ᵢ：長上下文縮放後第 i 對每個位置的角度',
    },
  },
  {
    tex: '\\lambda',
    meaning: {
      en: 'λᵢ = 2π / θᵢ: the wavelength of pair i, in positions',
      'zh-TW': 'λᵢ = 2π / θᵢ：第 i 對的波長（以位置計）',
    },
  },
  {
    tex: '\\tilde{q}',
    meaning: {
      en: 'q̃ᵢ: pair i of the query as one complex number',
      'zh-TW': 'q̃ᵢ：把查詢的第 i 對寫成一個複數',
    },
  },
  {
    tex: '\\tilde{k}',
    meaning: {
      en: 'k̃ᵢ: pair i of the key as one complex number',
      'zh-TW': 'k̃ᵢ：把鍵的第 i 對寫成一個複數',
    },
  },
  {
    tex: '\\mathrm{i}',
    meaning: {
      en: 'The imaginary unit, i² = −1 (upright, unlike the index i)',
      'zh-TW': '虛數單位，i² = −1（正體，與索引 i 不同）',
    },
  },
  {
    tex: 'e',
    meaning: { en: 'Euler’s number 2.71828…', 'zh-TW': '自然常數 2.71828…' },
  },
  {
    tex: '\\pi',
    meaning: { en: 'The circle constant 3.14159…', 'zh-TW': '圓周率 3.14159…' },
  },
  {
    tex: 'f',
    meaning: {
      en: 'f(q, m): the vector q with position m put into it',
      'zh-TW': 'f(q, m)：放入位置 m 之後的向量 q',
    },
  },
  {
    tex: 'g',
    meaning: {
      en: 'A function of the two contents and the distance only',
      'zh-TW': '只依賴兩個內容與距離的函數',
    },
  },
  {
    tex: 'R',
    meaning: {
      en: 'R(m): the rotation RoPE applies at position m (every pair i by m θᵢ)',
      'zh-TW': 'R(m)：RoPE 在位置 m 施加的旋轉（第 i 對轉 m θᵢ）',
    },
  },
  {
    tex: 'p',
    meaning: {
      en: 'pₘ: the original Transformer’s position vector for position m, added to xₘ',
      'zh-TW': 'pₘ：原始 Transformer 中位置 m 的位置向量，加到 xₘ 上',
    },
  },
  {
    tex: 'A',
    meaning: { en: 'The matrix W_qᵀ W_k of one head', 'zh-TW': '一個頭的矩陣 W_qᵀ W_k' },
  },
  {
    tex: 'h',
    meaning: {
      en: 'hᵢ = q̃ᵢ k̃ᵢ*: the content product of pair i',
      'zh-TW': 'hᵢ = q̃ᵢ k̃ᵢ*：第 i 對的內容乘積',
    },
  },
  {
    tex: 'C',
    meaning: {
      en: 'Cⱼ: the partial sum of the first j rotations',
      'zh-TW': 'Cⱼ：前 j 個旋轉的部分和',
    },
  },
  {
    tex: '\\Pi',
    meaning: {
      en: 'The permutation of a head’s entries from interleaved to rotate-half order',
      'zh-TW': '把一個頭的分量從交錯排列換成 rotate-half 排列的置換',
    },
  },
  {
    tex: 'L',
    meaning: {
      en: 'The context length the model was trained on',
      'zh-TW': '模型訓練時的上下文長度',
    },
  },
  {
    tex: 's',
    meaning: {
      en: 'The context stretch factor of a scaling (8 for Llama 3.1)',
      'zh-TW': '縮放方法的上下文延伸倍數（Llama 3.1 為 8）',
    },
  },
  {
    tex: 'r',
    meaning: {
      en: 'rᵢ = L / λᵢ: how many turns pair i makes in the trained context',
      'zh-TW': 'rᵢ = L / λᵢ：第 i 對在訓練上下文中轉的圈數',
    },
  },
  {
    tex: '\\gamma',
    meaning: {
      en: 'The ramp from 0 (stretch fully) to 1 (leave alone)',
      'zh-TW': '從 0（完全延伸）到 1（保持不變）的斜坡函數',
    },
  },
  {
    tex: '\\alpha',
    meaning: {
      en: 'Where the ramp starts: pairs with r < α are stretched fully',
      'zh-TW': '斜坡的起點：r < α 的配對完全延伸',
    },
  },
  {
    tex: '\\beta',
    meaning: {
      en: 'Where the ramp ends: pairs with r > β are left alone',
      'zh-TW': '斜坡的終點：r > β 的配對保持不變',
    },
  },
  {
    tex: 't',
    meaning: { en: 'YaRN’s attention temperature', 'zh-TW': 'YaRN 的注意力溫度' },
  },
  {
    tex: '\\mu',
    meaning: {
      en: 'ALiBi’s slope: the penalty per position of distance (one per head)',
      'zh-TW': 'ALiBi 的斜率：每一個位置距離的懲罰（每個頭一個）',
    },
  },
];
