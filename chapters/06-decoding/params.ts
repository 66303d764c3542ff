// Chapter 6's own URL parameters (besides the sampler's): the rejection-sampling proposal and
// envelope, and speculative decoding's gamma.
import type { ParamSpec } from '$lib/params.ts';
import { m } from '$paraglide/messages.js';

export const PROPOSALS = ['uniform', 'unigram', 'draft'] as const;
export type ProposalKind = (typeof PROPOSALS)[number];

export const chapterParams: ParamSpec[] = [
  {
    key: 'q',
    kind: 'enum',
    label: 'Proposal q',
    message: m.ch06_param_q,
    options: [...PROPOSALS],
    optionLabels: {
      uniform: m.ch06_option_uniform,
      unigram: m.ch06_option_unigram,
      draft: m.ch06_option_draft,
    },
  },
  {
    key: 'M',
    kind: 'number',
    label: 'Envelope M',
    message: m.ch06_param_M,
    min: 1,
    max: 10000,
    scale: 'log',
  },
  {
    key: 'gamma',
    kind: 'int',
    label: 'γ (draft tokens per pass)',
    message: m.ch06_param_gamma,
    min: 1,
    max: 8,
  },
];

export const chapterParamDefaults = {
  prompt: 'ROMEO:\nI',
  steps: 64,
  q: 'draft',
  M: 10,
  gamma: 4,
};

/** The draft model for speculative decoding and the 'draft' proposal (assets/models/draft). */
export const DRAFT_MODEL = 'draft';
