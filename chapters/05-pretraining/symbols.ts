// Chapter 5's glossary of symbols: each symbol its formulas use, with its one meaning here.
// Shown at the end of the chapter; tests/unit/chapters/symbols.test.ts checks it against the TeX.
import type { ChapterSymbol } from '$lib/chapter.ts';

const e = (tex: string, en: string, zh: string): ChapterSymbol => ({
  tex,
  meaning: { en, 'zh-TW': zh },
});

export const symbols: readonly ChapterSymbol[] = [
  e('W', 'A weight matrix of the model', '模型的一個權重矩陣'),
  e('a', 'Number of rows (outputs) of W', 'W 的列數（輸出數）'),
  e('b', 'Number of columns (inputs) of W', 'W 的行數（輸入數）'),
  e(
    'h',
    'The vector a layer multiplies by W (one token’s input)',
    '一層用 W 相乘的向量（單一詞元的輸入）',
  ),
  e('y', 'The layer’s output W h', '該層的輸出 W h'),
  e('\\mathbb{R}', 'The real numbers', '實數'),
  e('L', 'The training loss (mean of ℓₜ over the positions)', '訓練損失（各位置 ℓₜ 的平均）'),
  e('N', 'Number of parameters of the model', '模型的參數數量'),
  e('D', 'Number of training tokens', '訓練詞元數量'),
  e('C', 'Training compute, in FLOPs', '訓練計算量（以 FLOPs 計）'),
  e('C_{\\text{405B}}', 'Training compute of Llama 3.1 405B', 'Llama 3.1 405B 的訓練計算量'),
  e('\\theta', 'All the model’s parameters', '模型的全部參數'),
  e('p', 'p_θ: the model’s probability of the next token', 'p_θ：模型給下一個詞元的機率'),
  e('x', 'The text’s tokens: xₜ is the token at position t', '文字的詞元：xₜ 是位置 t 的詞元'),
  e('t', 'A position in the text', '文字中的位置'),
  e('T', 'Number of tokens (positions) the loss averages over', '損失所平均的詞元（位置）數'),
  e('V', 'Vocabulary size', '詞彙表大小'),
  e('d', 'The model’s width (hidden size)', '模型寬度，即隱藏維度（hidden size）'),
  e('z', 'The logits: zⱼ is token j’s', 'logits（對數機率）：zⱼ 屬於詞元 j'),
  e('j', 'A token of the vocabulary', '詞彙表中的一個詞元'),
  e('u', 'A token of the vocabulary, summed over', '詞彙表中被加總的詞元'),
  e('e', 'Euler’s number 2.71828…', '自然常數 2.71828…'),
  e('\\ell', 'ℓₜ: the cross-entropy at position t, in nats', 'ℓₜ：位置 t 的交叉熵（以 nat 計）'),
  e('s', 'An optimizer step', '最佳化器的一步'),
  e('S', 'The last step of training (the schedule’s length)', '訓練的最後一步（排程長度）'),
  e('w', 'Number of warm-up steps', '暖身步數'),
  e('g', 'gₛ: the gradient at step s', 'gₛ：第 s 步的梯度'),
  e('m', 'mₛ: AdamW’s running average of the gradient', 'mₛ：AdamW 對梯度的移動平均'),
  e('v', 'vₛ: AdamW’s running average of the squared gradient', 'vₛ：AdamW 對梯度平方的移動平均'),
  e('\\hat{m}', 'm after bias correction', '經偏差校正的 m'),
  e('\\hat{v}', 'v after bias correction', '經偏差校正的 v'),
  e('\\beta_1', 'Decay rate of m (0.9 in LLaMA)', 'm 的衰減率（LLaMA 為 0.9）'),
  e('\\beta_2', 'Decay rate of v (0.95 in LLaMA)', 'v 的衰減率（LLaMA 為 0.95）'),
  e('\\epsilon', 'Small constant that keeps the division finite', '讓除法保持有限的小常數'),
  e('\\lambda', 'Weight decay (0.1 in LLaMA)', '權重衰減（LLaMA 為 0.1）'),
  e(
    '\\eta',
    'Learning rate: ηₛ at step s, between η_min and η_max',
    '學習率：第 s 步為 ηₛ，介於 η_min 與 η_max 之間',
  ),
  e('\\pi', 'The circle constant 3.14159…', '圓周率 3.14159…'),
];
