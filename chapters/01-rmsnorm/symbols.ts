// Chapter 1's glossary of symbols: each symbol its formulas use, with its one meaning here.
// Shown at the end of the chapter; tests/unit/chapters/symbols.test.ts checks it against the TeX.
import type { ChapterSymbol } from '$lib/chapter.ts';

export const symbols: readonly ChapterSymbol[] = [
  {
    tex: 'x',
    meaning: {
      en: 'One token’s vector as a norm reads it (the residual stream entering the block); entries xᵢ',
      'zh-TW': '歸一化讀入的單一詞元向量（進入區塊時的殘差流）；分量為 xᵢ',
    },
  },
  {
    tex: 'd',
    meaning: {
      en: 'Width of the vector: the model’s hidden size (4,096 in LLaMA 7B)',
      'zh-TW': '向量的寬度，即模型的隱藏維度（hidden size，LLaMA 7B 為 4,096）',
    },
  },
  {
    tex: 'i',
    meaning: { en: 'Index of an entry, 1 … d', 'zh-TW': '分量的索引，1 … d' },
  },
  {
    tex: 'j',
    meaning: {
      en: 'A second entry index (the input entry a derivative is taken by)',
      'zh-TW': '第二個分量索引（對其求導的輸入分量）',
    },
  },
  {
    tex: '\\mathbb{R}',
    meaning: {
      en: 'The real numbers (ℝᵈ: vectors of d real entries)',
      'zh-TW': '實數（ℝᵈ：d 個實數分量的向量）',
    },
  },
  {
    tex: '\\mu',
    meaning: {
      en: 'Mean of the entries of x (LayerNorm)',
      'zh-TW': 'x 各分量的平均值（LayerNorm）',
    },
  },
  {
    tex: '\\sigma',
    meaning: {
      en: 'Standard deviation of the entries of x (σ²: their variance)',
      'zh-TW': 'x 各分量的標準差（σ² 為變異數）',
    },
  },
  {
    tex: '\\epsilon',
    meaning: {
      en: 'Small constant under the square root (eps), 10⁻⁶ or 10⁻⁵ in LLaMA',
      'zh-TW': '平方根下的小常數（eps），LLaMA 中為 10⁻⁶ 或 10⁻⁵',
    },
  },
  {
    tex: 'g',
    meaning: {
      en: 'Learned gain, one per entry (gᵢ)',
      'zh-TW': '學習得到的增益，每個分量一個（gᵢ）',
    },
  },
  {
    tex: 'b',
    meaning: {
      en: 'Learned bias of LayerNorm, one per entry (bᵢ); RMSNorm has none',
      'zh-TW': 'LayerNorm 學習得到的偏置，每個分量一個（bᵢ）；RMSNorm 沒有偏置',
    },
  },
  {
    tex: 'a',
    meaning: {
      en: 'A scale factor applied to the whole input',
      'zh-TW': '乘在整個輸入上的縮放倍數',
    },
  },
  {
    tex: 'c',
    meaning: {
      en: 'A constant added to every entry (a shift)',
      'zh-TW': '加到每個分量上的常數（平移）',
    },
  },
  {
    tex: '\\mathbf{1}',
    meaning: { en: 'The vector of d ones', 'zh-TW': '由 d 個 1 組成的向量' },
  },
  {
    tex: 'h',
    meaning: {
      en: 'The residual stream after the attention sub-layer of a pre-norm block',
      'zh-TW': '前置歸一化區塊中，注意力子層之後的殘差流',
    },
  },
  {
    tex: "x'",
    meaning: {
      en: 'The residual stream leaving the block (after the FFN sub-layer)',
      'zh-TW': '離開區塊時的殘差流（前饋網路子層之後）',
    },
  },
  {
    tex: 'W',
    meaning: {
      en: 'A weight matrix whose output a norm layer normalises',
      'zh-TW': '輸出會被歸一化層歸一化的權重矩陣',
    },
  },
  {
    tex: '\\delta',
    meaning: {
      en: 'A positive factor that scales W (the RMSNorm paper’s argument)',
      'zh-TW': '縮放 W 的正數因子（RMSNorm 論文中的論證）',
    },
  },
  {
    tex: 'r',
    meaning: { en: 'The divisor √(RMS(x)² + ε)', 'zh-TW': '除數 √(RMS(x)² + ε)' },
  },
  {
    tex: '\\hat{x}',
    meaning: { en: 'The normalised vector x / r', 'zh-TW': '歸一化後的向量 x / r' },
  },
  {
    tex: 'y',
    meaning: { en: 'RMSNorm’s output g ⊙ x̂', 'zh-TW': 'RMSNorm 的輸出 g ⊙ x̂' },
  },
  {
    tex: 'L',
    meaning: { en: 'The training loss', 'zh-TW': '訓練損失' },
  },
  {
    tex: 'u',
    meaning: {
      en: 'The gradient ∂L/∂y handed back by the layer above',
      'zh-TW': '上一層傳回的梯度 ∂L/∂y',
    },
  },
];
