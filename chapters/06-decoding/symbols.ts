// Chapter 6's glossary of symbols: each symbol its formulas use, with its one meaning here.
// Shown at the end of the chapter; tests/unit/chapters/symbols.test.ts checks it against the TeX.
import type { ChapterSymbol } from '$lib/chapter.ts';

const e = (tex: string, en: string, zh: string): ChapterSymbol => ({
  tex,
  meaning: { en, 'zh-TW': zh },
});

export const symbols: readonly ChapterSymbol[] = [
  e('x', 'A token (xₜ: the token at position t)', '一個詞元（xₜ：位置 t 的詞元）'),
  e('t', 'A position in the text', '文字中的位置'),
  e('z', 'The logits: zᵢ is token i’s', 'logits（對數機率）：zᵢ 屬於詞元 i'),
  e('n', 'Vocabulary size', '詞彙表大小'),
  e(
    'i',
    'A token of the vocabulary (p₍ᵢ₎: the i-th largest probability)',
    '詞彙表中的一個詞元（p₍ᵢ₎：第 i 大的機率）',
  ),
  e('j', 'A token of the vocabulary, summed or maximised over', '詞彙表中被加總或取最大值的詞元'),
  e('T', 'Temperature', '溫度'),
  e('e', 'Euler’s number 2.71828…', '自然常數 2.71828…'),
  e(
    '\\mathbb{1}',
    'Indicator: 1 where the condition holds, else 0',
    '指示函數：條件成立時為 1，否則為 0',
  ),
  e(
    'k',
    'How many tokens top-k keeps (k*: how many top-p keeps)',
    'top-k 保留的詞元數（k*：top-p 保留的詞元數）',
  ),
  e(
    'm',
    'The min-p threshold, a fraction of the largest probability',
    'min-p 門檻，最大機率的一個比例',
  ),
  e('P', 'The top-p threshold (nucleus mass)', 'top-p 門檻（核心機率總和）'),
  e(
    'p',
    'The target (large model’s) distribution; pᵢ: token i’s probability',
    '目標（大模型）分布；pᵢ：詞元 i 的機率',
  ),
  e('q', 'The proposal (draft model’s) distribution', '提議（草稿模型）分布'),
  e('\\tilde{p}', 'The residual distribution norm(max(0, p − q))', '剩餘分布 norm(max(0, p − q))'),
  e('M', 'The envelope constant of rejection sampling: p ≤ M q', '拒絕採樣的包絡常數：p ≤ M q'),
  e('u', 'A uniform random number in [0, 1)', '[0, 1) 中的均勻隨機數'),
  e('U', 'The uniform distribution', '均勻分布'),
  e('s', 'The random number generator’s 64-bit state', '隨機數產生器的 64 位元狀態'),
  e('b', 'The top 32 bits of the scrambled state', '打亂後狀態的最高 32 位元'),
  e('r', 'The coin scaled to the kept probability mass', '縮放到保留機率總和的硬幣值'),
  e('\\alpha', 'Acceptance rate: the chance a draft token is kept', '接受率：草稿詞元被保留的機率'),
  e('\\gamma', 'Number of tokens the draft proposes per round', '草稿每輪提議的詞元數'),
  e(
    '\\ell',
    'Number of draft tokens kept in a round, summed over',
    '一輪中被保留的草稿詞元數（加總用）',
  ),
  e('c', 'Cost of a draft step relative to a large-model step', '草稿一步相對於大模型一步的成本'),
  e('\\mathbb{E}', 'Expected value', '期望值'),
];
