// Chapter 7's own URL parameters: the GPU of the KV-budget figure, the serving simulator's
// workload and server, and the live batched run (samples, block size, tokens per sample).
import { m } from '$paraglide/messages.js';
import type { ParamSpec } from '$lib/params.ts';
import { GPU_SIZES } from './math.ts';

export const chapterParams: ParamSpec[] = [
  {
    key: 'gpu',
    kind: 'enum',
    label: 'GPU memory (GiB)',
    message: m.ch07_param_gpu,
    options: GPU_SIZES.map(String),
  },
  {
    key: 'rate',
    kind: 'number',
    label: 'Arrivals per iteration',
    message: m.ch07_param_rate,
    min: 0.05,
    max: 4,
    step: 0.05,
  },
  {
    key: 'pmean',
    kind: 'int',
    label: 'Mean prompt length',
    message: m.ch07_param_pmean,
    min: 1,
    max: 1024,
  },
  {
    key: 'omean',
    kind: 'int',
    label: 'Mean output length',
    message: m.ch07_param_omean,
    min: 1,
    max: 1024,
  },
  {
    key: 'maxout',
    kind: 'int',
    label: 'Output length reserved for',
    message: m.ch07_param_maxout,
    min: 1,
    max: 2047,
  },
  {
    key: 'mem',
    kind: 'int',
    label: 'KV memory (token slots)',
    message: m.ch07_param_mem,
    min: 2048,
    max: 65536,
  },
  {
    key: 'sbs',
    kind: 'int',
    label: 'Simulator block size',
    message: m.ch07_param_sbs,
    min: 1,
    max: 256,
  },
  {
    key: 'sseed',
    kind: 'int',
    label: 'Workload seed',
    message: m.ch07_param_sseed,
    min: 1,
    max: 999999,
  },
  { key: 'k', kind: 'int', label: 'Samples', message: m.ch07_param_k, min: 1, max: 16 },
  {
    key: 'bs',
    kind: 'int',
    label: 'Block size (positions)',
    message: m.ch07_param_bs,
    min: 1,
    max: 64,
  },
  {
    key: 'gen',
    kind: 'int',
    label: 'Tokens per sample',
    message: m.ch07_param_gen,
    min: 1,
    max: 128,
  },
];

export const chapterParamDefaults = {
  prompt: 'First Citizen:\nBefore we proceed',
  temp: 1,
  gpu: '40',
  rate: 0.5,
  pmean: 200,
  omean: 200,
  maxout: 1024,
  mem: 16384,
  sbs: 16,
  sseed: 1,
  k: 4,
  bs: 8,
  gen: 24,
};

/** The simulator's fixed settings (the reader moves the others). */
export const SIM_FIXED = { duration: 300, maxLen: 2048, spread: 0.8, maxBatch: 256 } as const;
