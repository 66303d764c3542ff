// Chapter 2's glossary of symbols: each symbol its formulas use, with its one meaning here.
// Shown at the end of the chapter; tests/unit/chapters/symbols.test.ts checks it against the TeX.
import type { ChapterSymbol } from '$lib/chapter.ts';

export const symbols: readonly ChapterSymbol[] = [
  {
    tex: 'x',
    meaning: {
      en: 'One token’s vector entering the FFN (after the FFN norm)',
      'zh-TW': '進入前饋網路的單一詞元向量（經過前饋網路前的歸一化）',
    },
  },
  {
    tex: 'd',
    meaning: {
      en: 'The model’s width (hidden size of the residual stream)',
      'zh-TW': '模型寬度，即殘差流（residual stream）的隱藏維度',
    },
  },
  {
    tex: 'h',
    meaning: {
      en: 'The FFN’s hidden width: the number of hidden units (11,008 in LLaMA 7B)',
      'zh-TW': '前饋網路的隱藏寬度，即隱藏單元數（LLaMA 7B 為 11,008）',
    },
  },
  {
    tex: 'm',
    meaning: {
      en: 'multiple_of: the hidden width is rounded up to a multiple of m',
      'zh-TW': 'multiple_of：隱藏寬度向上取整到 m 的倍數',
    },
  },
  {
    tex: '\\mathbb{R}',
    meaning: {
      en: 'The real numbers (ℝʰˣᵈ: real h × d matrices)',
      'zh-TW': '實數（ℝʰˣᵈ：h × d 的實數矩陣）',
    },
  },
  {
    tex: 'W_1',
    meaning: {
      en: 'The FFN’s first (gate) projection, d → h',
      'zh-TW': '前饋網路的第一個（門控）投影，d → h',
    },
  },
  {
    tex: 'W_2',
    meaning: { en: 'The FFN’s output projection, h → d', 'zh-TW': '前饋網路的輸出投影，h → d' },
  },
  {
    tex: 'W_3',
    meaning: {
      en: 'The gated FFN’s value (up) projection, d → h',
      'zh-TW': '門控前饋網路的值（上）投影，d → h',
    },
  },
  {
    tex: 'z',
    meaning: {
      en: 'The input of an activation function: one hidden unit’s pre-activation',
      'zh-TW': '激活函數的輸入：單一隱藏單元的激活前值',
    },
  },
  {
    tex: '\\mathbb{1}',
    meaning: {
      en: 'Indicator: 𝟙[z > 0] is 1 when z > 0, else 0',
      'zh-TW': '指示函數：z > 0 時 𝟙[z > 0] 為 1，否則為 0',
    },
  },
  {
    tex: 'P',
    meaning: { en: 'Probability', 'zh-TW': '機率' },
  },
  {
    tex: 'Z',
    meaning: { en: 'A standard normal random variable', 'zh-TW': '標準常態隨機變數' },
  },
  {
    tex: '\\mathcal{N}',
    meaning: {
      en: 'The normal distribution; 𝒩(0, 1) is the standard one',
      'zh-TW': '常態分布；𝒩(0, 1) 為標準常態分布',
    },
  },
  {
    tex: '\\Phi',
    meaning: {
      en: 'The standard normal cumulative distribution function',
      'zh-TW': '標準常態累積分布函數',
    },
  },
  {
    tex: '\\varphi',
    meaning: { en: 'The standard normal density, Φ′', 'zh-TW': '標準常態機率密度函數，即 Φ′' },
  },
  {
    tex: '\\pi',
    meaning: { en: 'The circle constant 3.14159…', 'zh-TW': '圓周率 3.14159…' },
  },
  {
    tex: 'e',
    meaning: { en: 'Euler’s number 2.71828…', 'zh-TW': '自然常數 2.71828…' },
  },
  {
    tex: '\\sigma',
    meaning: {
      en: 'The logistic sigmoid 1 / (1 + e⁻ᵗ)',
      'zh-TW': '邏輯 S 型函數（sigmoid）1 / (1 + e⁻ᵗ)',
    },
  },
  {
    tex: 't',
    meaning: { en: 'The argument of the sigmoid σ', 'zh-TW': 'sigmoid 函數 σ 的自變數' },
  },
  {
    tex: '\\beta',
    meaning: {
      en: 'Swish’s sharpness: β = 1 is SiLU, β → ∞ approaches ReLU',
      'zh-TW': 'Swish 的陡度參數：β = 1 即 SiLU，β → ∞ 趨近 ReLU',
    },
  },
  {
    tex: 'a',
    meaning: {
      en: 'The gate’s pre-activation: aᵢ = (W₁x)ᵢ',
      'zh-TW': '門控分支的激活前值：aᵢ = (W₁x)ᵢ',
    },
  },
  {
    tex: 'b',
    meaning: { en: 'The value branch: bᵢ = (W₃x)ᵢ', 'zh-TW': '值分支：bᵢ = (W₃x)ᵢ' },
  },
  {
    tex: 'i',
    meaning: { en: 'Index of a hidden unit', 'zh-TW': '隱藏單元的索引' },
  },
  {
    tex: 'g',
    meaning: {
      en: 'The gate’s activation function (σ in GLU, SiLU in SwiGLU)',
      'zh-TW': '門控分支的激活函數（GLU 中為 σ，SwiGLU 中為 SiLU）',
    },
  },
  {
    tex: "g'",
    meaning: { en: 'The derivative of g', 'zh-TW': 'g 的導數' },
  },
];
