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

import { m } from '../paraglide/messages.js';

/** The rows in the page's language (numbers and paper titles stay as they are). */
export const family = (): readonly FamilyRow[] => [
  {
    model: m.family_l1_model(),
    sizes: '7B, 13B, 33B, 65B',
    context: '2,048',
    tokens: m.family_l1_tokens(),
    vocab: m.family_l1_vocab(),
    attention: m.family_l1_attention(),
    source: { title: 'LLaMA: Open and Efficient Foundation Language Models', arxiv: '2302.13971' },
  },
  {
    model: m.family_l2_model(),
    sizes: m.family_l2_sizes(),
    context: '4,096',
    tokens: '2.0T',
    vocab: m.family_l2_vocab(),
    attention: m.family_l2_attention(),
    source: { title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models', arxiv: '2307.09288' },
  },
  {
    model: m.family_l3_model(),
    sizes: m.family_l3_sizes(),
    context: m.family_l3_context(),
    tokens: m.family_l3_tokens(),
    vocab: m.family_l3_vocab(),
    attention: m.family_l3_attention(),
    source: { title: 'The Llama 3 Herd of Models', arxiv: '2407.21783' },
  },
];
