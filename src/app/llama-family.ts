// The LLaMA 1 / 2 / 3 family, from docs/reference/llama-facts.md, with the papers they come from.
export interface FamilyRow {
  model: string;
  sizes: string;
  context: string;
  tokens: string;
  vocab: string;
  attention: string;
  source: { title: string; arxiv: string };
}

export const family: readonly FamilyRow[] = [
  {
    model: 'LLaMA 1 (Feb 2023)',
    sizes: '7B, 13B, 33B, 65B',
    context: '2,048',
    tokens: '1.0T (7B, 13B); 1.4T (33B, 65B)',
    vocab: '32,000 · SentencePiece BPE, digits split, byte fallback',
    attention: 'multi-head (MHA)',
    source: { title: 'LLaMA: Open and Efficient Foundation Language Models', arxiv: '2302.13971' },
  },
  {
    model: 'Llama 2 (Jul 2023)',
    sizes: '7B, 13B, 70B released (34B trained, not released)',
    context: '4,096',
    tokens: '2.0T',
    vocab: 'same 32K tokenizer',
    attention: 'MHA for 7B and 13B; grouped-query (GQA, 8 KV heads) for 34B and 70B only',
    source: { title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models', arxiv: '2307.09288' },
  },
  {
    model: 'Llama 3 (Apr 2024) / 3.1 (Jul 2024)',
    sizes: '8B, 70B; 3.1 adds 405B',
    context: '8,192 (3.0); 128K (3.1)',
    tokens: 'about 15T (15.6T in the paper)',
    vocab: '128,256 · tiktoken-based (100K + 28K extra)',
    attention: 'GQA with 8 KV heads at every size',
    source: { title: 'The Llama 3 Herd of Models', arxiv: '2407.21783' },
  },
];
