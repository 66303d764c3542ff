// The numbers and formulas chapter 5 shows, computed here (never typed into the prose) and each
// checked by tests/unit/chapters/05-pretraining.test.ts. Sources: docs/reference/llama-facts.md
// (LLaMA 1, Llama 2, Llama 3 papers; Kaplan et al.; Chinchilla).

/** LLaMA 1's pretraining mixture (LLaMA 1 paper, Table 1). */
export const LLAMA1_MIXTURE = [
  { source: 'CommonCrawl', proportion: 0.67, epochs: 1.1, disk: '3.3 TB' },
  { source: 'C4', proportion: 0.15, epochs: 1.06, disk: '783 GB' },
  { source: 'GitHub', proportion: 0.045, epochs: 0.64, disk: '328 GB' },
  { source: 'Wikipedia', proportion: 0.045, epochs: 2.45, disk: '83 GB' },
  { source: 'Books', proportion: 0.045, epochs: 2.23, disk: '85 GB' },
  { source: 'ArXiv', proportion: 0.025, epochs: 1.06, disk: '92 GB' },
  { source: 'StackExchange', proportion: 0.02, epochs: 1.03, disk: '78 GB' },
] as const;

export interface Shape {
  dim: number;
  layers: number;
  heads: number;
  kvHeads: number;
  hidden: number;
  vocab: number;
}

/** Parameters of a LLaMA decoder: embedding and untied classifier, attention, SwiGLU FFN, norms. */
export function llamaParams(s: Shape): number {
  const kv = (s.dim / s.heads) * s.kvHeads;
  const perLayer = 2 * s.dim * s.dim + 2 * s.dim * kv + 3 * s.dim * s.hidden + 2 * s.dim;
  return 2 * s.vocab * s.dim + s.layers * perLayer + s.dim;
}

/** Share of the parameters in the embedding and the classifier (2 V d / N). */
export function vocabShare(s: Shape): number {
  return (2 * s.vocab * s.dim) / llamaParams(s);
}

const V1 = 32000;
const V3 = 128256;
/** Members of the family with their shapes (llama-facts.md) and pretraining tokens. */
export const FAMILY: { name: string; shape: Shape; tokens: number }[] = [
  { name: 'LLaMA 1 7B', shape: { dim: 4096, layers: 32, heads: 32, kvHeads: 32, hidden: 11008, vocab: V1 }, tokens: 1.0e12 },
  { name: 'LLaMA 1 13B', shape: { dim: 5120, layers: 40, heads: 40, kvHeads: 40, hidden: 13824, vocab: V1 }, tokens: 1.0e12 },
  { name: 'LLaMA 1 33B', shape: { dim: 6656, layers: 60, heads: 52, kvHeads: 52, hidden: 17920, vocab: V1 }, tokens: 1.4e12 },
  { name: 'LLaMA 1 65B', shape: { dim: 8192, layers: 80, heads: 64, kvHeads: 64, hidden: 22016, vocab: V1 }, tokens: 1.4e12 },
  { name: 'Llama 2 7B', shape: { dim: 4096, layers: 32, heads: 32, kvHeads: 32, hidden: 11008, vocab: V1 }, tokens: 2.0e12 },
  { name: 'Llama 2 13B', shape: { dim: 5120, layers: 40, heads: 40, kvHeads: 40, hidden: 13824, vocab: V1 }, tokens: 2.0e12 },
  { name: 'Llama 2 70B', shape: { dim: 8192, layers: 80, heads: 64, kvHeads: 8, hidden: 28672, vocab: V1 }, tokens: 2.0e12 },
  { name: 'Llama 3 8B', shape: { dim: 4096, layers: 32, heads: 32, kvHeads: 8, hidden: 14336, vocab: V3 }, tokens: 15e12 },
  { name: 'Llama 3 70B', shape: { dim: 8192, layers: 80, heads: 64, kvHeads: 8, hidden: 28672, vocab: V3 }, tokens: 15e12 },
  { name: 'Llama 3.1 405B', shape: { dim: 16384, layers: 126, heads: 128, kvHeads: 8, hidden: 53248, vocab: V3 }, tokens: 15.6e12 },
]; // prettier-ignore

/** Chinchilla's compute-optimal rule of thumb: about 20 training tokens per parameter. */
export const CHINCHILLA_TOKENS_PER_PARAM = 20;

export function tokensPerParam(tokens: number, params: number): number {
  return tokens / params;
}

/** Training compute in FLOPs: 2ND forward + 4ND backward (Kaplan et al.). */
export function trainingFlops(params: number, tokens: number): number {
  return 6 * params * tokens;
}

/** Next-token cross-entropy of one position in nats: -log softmax(logits)[target]. */
export function crossEntropy(logits: readonly number[], target: number): number {
  const max = Math.max(...logits);
  let sum = 0;
  for (const z of logits) sum += Math.exp(z - max);
  return Math.log(sum) + max - logits[target];
}

/** Bits per character of a text: its total loss in nats over ln 2 over its characters. */
export function bitsPerChar(totalNats: number, chars: number): number {
  return totalNats / Math.LN2 / chars;
}

export interface AdamState {
  m: number;
  v: number;
}

/**
 * One AdamW update of one parameter as the trainer applies it (LLaMA's recipe: beta1 0.9,
 * beta2 0.95, decoupled weight decay lambda on matrices only), t the 1-based step.
 */
export function adamwStep(
  theta: number,
  g: number,
  s: AdamState,
  t: number,
  o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number },
): { theta: number; state: AdamState } {
  const m = o.beta1 * s.m + (1 - o.beta1) * g;
  const v = o.beta2 * s.v + (1 - o.beta2) * g * g;
  const mHat = m / (1 - o.beta1 ** t);
  const vHat = v / (1 - o.beta2 ** t);
  const next = theta - o.lr * (mHat / (Math.sqrt(vHat) + o.eps) + o.weightDecay * theta);
  return { theta: next, state: { m, v } };
}

/** Linear warm-up to the peak over W steps, then cosine decay to minRatio * peak at step S. */
export function scheduledLr(
  it: number,
  o: { lr: number; warmupSteps: number; steps: number; minLrRatio: number },
): number {
  if (it < o.warmupSteps) return (o.lr * (it + 1)) / o.warmupSteps;
  const p = Math.min(1, (it - o.warmupSteps) / Math.max(1, o.steps - o.warmupSteps));
  const min = o.lr * o.minLrRatio;
  return min + 0.5 * (o.lr - min) * (1 + Math.cos(Math.PI * p));
}
