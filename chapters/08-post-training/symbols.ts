// Chapter 8's glossary of symbols: each symbol its formulas use, with its one meaning here.
// Shown at the end of the chapter; tests/unit/chapters/symbols.test.ts checks it against the TeX.
import type { ChapterSymbol } from '$lib/chapter.ts';

const e = (tex: string, en: string, zh: string): ChapterSymbol => ({
  tex,
  meaning: { en, 'zh-TW': zh },
});

export const symbols: readonly ChapterSymbol[] = [
  e('x', 'A prompt (x⁽ⁱ⁾: example i’s)', '一個提示詞（x⁽ⁱ⁾：第 i 個範例的）'),
  e(
    'y',
    'An answer; yₜ its token at position t, |y| its length',
    '一個回答；yₜ 為其位置 t 的詞元，|y| 為其長度',
  ),
  e('y_w', 'The chosen answer of a preference pair', '偏好對中被選中的回答'),
  e('y_l', 'The rejected answer of a preference pair', '偏好對中被拒絕的回答'),
  e(
    't',
    'Position of a token in the answer (in PPO, the step that emits it)',
    '回答中詞元的位置（PPO 中即產生它的那一步）',
  ),
  e('i', 'Index of a training example', '訓練範例的索引'),
  e('\\theta', 'The parameters being tuned', '正在調整的參數'),
  e(
    '\\theta_{\\text{old}}',
    'The parameters that sampled the answers (PPO)',
    '取樣這些回答時的參數（PPO）',
  ),
  e(
    '\\pi',
    'A policy: a distribution over answers (π*: the best one)',
    '策略：回答上的分布（π*：最佳策略）',
  ),
  e('\\pi_\\theta', 'The model being tuned (the policy)', '正在調整的模型（策略）'),
  e('\\pi_{\\text{ref}}', 'The frozen model tuning started from', '調整起點的凍結模型'),
  e(
    '\\mathcal{L}',
    'A training loss (𝓛^CLIP: PPO’s clipped objective)',
    '訓練損失（𝓛^CLIP：PPO 的截斷目標）',
  ),
  e('\\mathcal{L}_{\\text{SFT}}', 'The supervised fine-tuning loss', '監督式微調的損失'),
  e('\\mathcal{L}_{\\text{RM}}', 'The reward model’s loss', '獎勵模型的損失'),
  e('\\mathcal{L}_{\\text{DPO}}', 'The DPO loss', 'DPO 的損失'),
  e('P', 'Probability that one answer is preferred', '某個回答被偏好的機率'),
  e('\\sigma', 'The logistic sigmoid', '邏輯 S 型函數（sigmoid）'),
  e('r', 'A reward of an answer', '回答的獎勵'),
  e('r_\\phi', 'The reward model, with parameters φ', '獎勵模型，參數為 φ'),
  e('r_{\\text{total}}', 'The reward with the KL penalty included', '包含 KL 懲罰的獎勵'),
  e(
    '\\hat r_\\theta',
    'DPO’s implicit reward β log(π_θ / π_ref)',
    'DPO 的隱含獎勵 β log(π_θ / π_ref)',
  ),
  e('\\beta', 'Weight of the KL penalty', 'KL 懲罰的權重'),
  e('\\mathbb{E}', 'Expected value', '期望值'),
  e('\\rho', 'ρₜ: ratio of the new to the old policy’s probability', 'ρₜ：新舊策略機率之比'),
  e('A', 'Aₜ: the advantage of the token at step t', 'Aₜ：第 t 步詞元的優勢'),
  e('a', 'aₜ: the token emitted at step t (the action)', 'aₜ：第 t 步產生的詞元（動作）'),
  e('s', 'sₜ: the prompt and answer so far (the state)', 'sₜ：提示詞與目前為止的回答（狀態）'),
  e('\\epsilon', 'PPO’s clipping range', 'PPO 的截斷範圍'),
  e('Z', 'Z(x): the normaliser of the optimal policy', 'Z(x)：最佳策略的正規化常數'),
  e('e', 'Euler’s number 2.71828…', '自然常數 2.71828…'),
];
