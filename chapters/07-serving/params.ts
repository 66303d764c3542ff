// Chapter 7's own URL parameters: the GPU of the KV-budget figure, the serving simulator's
// workload and server, and the live batched run (samples, block size, tokens per sample).
import { m } from '$paraglide/messages.js';
import type { ParamSpec } from '$lib/params.ts';
import { GPU_SIZES } from './math.ts';

export const chapterParams: ParamSpec[] = [
  { key: 'gpu', kind: 'enum', label: 'GPU memory (GiB)', options: GPU_SIZES.map(String) },
  { key: 'rate', kind: 'number', label: 'Arrivals per iteration', min: 0.05, max: 4, step: 0.05 },
  { key: 'pmean', kind: 'int', label: 'Mean prompt length', min: 1, max: 1024 },
  { key: 'omean', kind: 'int', label: 'Mean output length', min: 1, max: 1024 },
  { key: 'maxout', kind: 'int', label: 'Output length reserved for', min: 1, max: 2047 },
  { key: 'mem', kind: 'int', label: 'KV memory (token slots)', min: 2048, max: 65536 },
  { key: 'sbs', kind: 'int', label: 'Simulator block size', min: 1, max: 256 },
  { key: 'sseed', kind: 'int', label: 'Workload seed', min: 1, max: 999999 },
  { key: 'k', kind: 'int', label: 'Samples', min: 1, max: 16 },
  { key: 'bs', kind: 'int', label: 'Block size (positions)', min: 1, max: 64 },
  { key: 'gen', kind: 'int', label: 'Tokens per sample', min: 1, max: 128 },
];

/** Each parameter's label in the reader's language (the labels above are the English ones). */
const LABELS: Record<string, () => string> = {
  gpu: m.ch07_param_gpu,
  rate: m.ch07_param_rate,
  pmean: m.ch07_param_pmean,
  omean: m.ch07_param_omean,
  maxout: m.ch07_param_maxout,
  mem: m.ch07_param_mem,
  sbs: m.ch07_param_sbs,
  sseed: m.ch07_param_sseed,
  k: m.ch07_param_k,
  bs: m.ch07_param_bs,
  gen: m.ch07_param_gen,
};

/** The spec of `key` with its label in the reader's language: call it at render time. */
export function localSpec(key: string): ParamSpec {
  const spec = chapterParams.find((p) => p.key === key);
  if (!spec) throw new Error(`chapter 7 has no parameter ${key}`);
  const label = LABELS[key];
  return label ? { ...spec, label: label() } : spec;
}

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
