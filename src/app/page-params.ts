// The URL parameters of a chapter page: view and slide, the chapter's knobs, the sampler, and
// the chapter's own figure controls. Pure, so tests can check a chapter's whole scheme.
import type { ChapterDef } from '../lib/chapter.ts';
import { knobSpecs, samplerDefaults, samplerSpecs } from '../lib/knobs.ts';
import type { ParamSpec, ParamValues } from '../lib/params.ts';

export const viewSpec = {
  key: 'view',
  kind: 'enum',
  label: 'View',
  options: ['read', 'slides'],
} as const satisfies ParamSpec;
export const slideSpec = {
  key: 'slide',
  kind: 'int',
  label: 'Slide',
  min: 1,
  max: 999,
} as const satisfies ParamSpec;

export function chapterParamSpecs(def: Pick<ChapterDef, 'knobs' | 'params'>): ParamSpec[] {
  return [
    viewSpec,
    slideSpec,
    ...def.knobs.map((k) => knobSpecs[k]),
    ...Object.values(samplerSpecs),
    ...(def.params ?? []),
  ];
}

export function chapterDefaults(def: Pick<ChapterDef, 'paramDefaults'>): ParamValues {
  return { view: 'read', slide: 1, ...samplerDefaults, ...(def.paramDefaults ?? {}) };
}

export const homeParamSpecs: ParamSpec[] = Object.values(samplerSpecs);
