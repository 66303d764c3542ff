// The live model's controls as URL parameters. Knob parameters map one-to-one onto the engine's
// `Knobs`; an absent parameter means "as trained" (the model's own value), so a link only carries
// what the reader changed. Chapters list which of these they expose.
import type { Knobs, SamplerSettings } from '../engine/types.ts';
import type { ParamSpec, ParamValues } from './params.ts';

export const knobSpecs = {
  norm: { key: 'norm', kind: 'enum', label: 'Norm layer', options: ['rmsnorm', 'layernorm'] },
  eps: { key: 'eps', kind: 'number', label: 'Norm eps', min: 1e-12, max: 1, scale: 'log' },
  // 'custom' is the reader's formula (chapter 2's formula cell sends it to the worker first).
  act: {
    key: 'act',
    kind: 'enum',
    label: 'FFN activation',
    options: ['silu', 'gelu', 'relu', 'custom'],
  },
  rope: { key: 'rope', kind: 'bool', label: 'RoPE' },
  ropeBase: { key: 'ropeBase', kind: 'number', label: 'RoPE base', min: 2, max: 1e9, scale: 'log' },
  ropeScaling: {
    key: 'ropeScaling',
    kind: 'enum',
    label: 'RoPE scaling',
    options: ['none', 'linear', 'ntk'],
  },
  ropeFactor: { key: 'ropeFactor', kind: 'number', label: 'RoPE factor', min: 1, max: 64 },
  kvGroups: { key: 'kvGroups', kind: 'int', label: 'KV groups', min: 1, max: 256 },
} as const satisfies Record<string, ParamSpec>;

export type KnobId = keyof typeof knobSpecs;

export const samplerSpecs = {
  prompt: { key: 'prompt', kind: 'text', label: 'Prompt', maxLength: 400 },
  temp: { key: 'temp', kind: 'number', label: 'Temperature', min: 0, max: 2 },
  topk: { key: 'topk', kind: 'int', label: 'Top-k', min: 0, max: 1000 },
  topp: { key: 'topp', kind: 'number', label: 'Top-p', min: 0, max: 1 },
  seed: { key: 'seed', kind: 'seed', label: 'Seed' },
  steps: { key: 'steps', kind: 'int', label: 'Tokens to generate', min: 1, max: 256 },
} as const satisfies Record<string, ParamSpec>;

export type SamplerId = keyof typeof samplerSpecs;

export const samplerDefaults = {
  prompt: 'Once upon a time',
  temp: 0.8,
  topk: 0,
  topp: 0.9,
  seed: '42',
  steps: 48,
} satisfies ParamValues;

/** Map URL knob values onto a partial `Knobs` (only what the reader set). */
export function knobsFromParams(values: ParamValues, ids: readonly KnobId[]): Partial<Knobs> {
  const out: Partial<Knobs> = {};
  for (const id of ids) {
    const v = values[id];
    if (v === undefined) continue;
    switch (id) {
      case 'norm':
        out.norm = v as Knobs['norm'];
        break;
      case 'eps':
        out.normEps = v as number;
        break;
      case 'act':
        out.activation = v as Knobs['activation'];
        break;
      case 'rope':
        out.rope = v as boolean;
        break;
      case 'ropeBase':
        out.ropeBase = v as number;
        break;
      case 'ropeScaling':
        out.ropeScaling = v as Knobs['ropeScaling'];
        break;
      case 'ropeFactor':
        out.ropeFactor = v as number;
        break;
      case 'kvGroups':
        out.kvGroups = v as number;
        break;
    }
  }
  return out;
}

/** The value a knob control shows for the model's current `Knobs`. */
export function knobValue(knobs: Knobs, id: KnobId): string | number | boolean {
  switch (id) {
    case 'norm':
      return knobs.norm;
    case 'eps':
      return knobs.normEps;
    case 'act':
      return knobs.activation;
    case 'rope':
      return knobs.rope;
    case 'ropeBase':
      return knobs.ropeBase;
    case 'ropeScaling':
      return knobs.ropeScaling;
    case 'ropeFactor':
      return knobs.ropeFactor;
    case 'kvGroups':
      return knobs.kvGroups;
  }
}

/** Sampler settings for the engine from URL values (defaults filled in). */
export function samplerFromParams(values: ParamValues): SamplerSettings {
  const get = <K extends keyof typeof samplerDefaults>(k: K) =>
    (values[k] ?? samplerDefaults[k]) as (typeof samplerDefaults)[K];
  return {
    temperature: get('temp'),
    topK: get('topk'),
    topP: get('topp'),
    seed: BigInt(get('seed')),
  };
}
