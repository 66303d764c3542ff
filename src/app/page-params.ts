// The URL parameters of a chapter page: view and slide, the chapter's knobs, the sampler, and
// the chapter's own figure controls. Pure, so tests can check a chapter's whole scheme.
import type { ChapterDef } from '../lib/chapter.ts';
import { knobSpecs, samplerDefaults, samplerSpecs } from '../lib/knobs.ts';
import type { ParamSpec, ParamValues } from '../lib/params.ts';
import { locales } from '../lib/i18n/locale.svelte.ts';

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

/** The page's language (lib/i18n/locale.svelte.ts reads and writes it; pages only keep it). */
export const langSpec = {
  key: 'lang',
  kind: 'enum',
  label: 'Language',
  options: locales,
} as const satisfies ParamSpec;

/** Blocks that are figures (a figure or a lab): what `embed=` and the export tools work on. */
export function figureIds(blocks: ChapterDef['blocks']): string[] {
  return blocks.filter((b) => b.kind === 'figure' || b.kind === 'lab').map((b) => b.id);
}

/**
 * `embed=<block id>`: the page shows that one figure (or lab) with its controls and nothing else,
 * for an iframe. `at=<block id>`: the reading view opens scrolled to that block (a figure's link).
 */
export function placeSpecs(blocks: ChapterDef['blocks']): ParamSpec[] {
  return [
    { key: 'embed', kind: 'enum', label: 'Embedded figure', options: figureIds(blocks) },
    { key: 'at', kind: 'enum', label: 'Section', options: blocks.map((b) => b.id) },
  ];
}

export function chapterParamSpecs(
  def: Pick<ChapterDef, 'knobs' | 'params'> & { blocks?: ChapterDef['blocks'] },
): ParamSpec[] {
  return [
    viewSpec,
    slideSpec,
    langSpec,
    ...(def.blocks ? placeSpecs(def.blocks) : []),
    ...def.knobs.map((k) => knobSpecs[k]),
    ...Object.values(samplerSpecs),
    ...(def.params ?? []),
  ];
}

export function chapterDefaults(def: Pick<ChapterDef, 'paramDefaults'>): ParamValues {
  return { view: 'read', slide: 1, ...samplerDefaults, ...(def.paramDefaults ?? {}) };
}

export const homeParamSpecs: ParamSpec[] = [langSpec, ...Object.values(samplerSpecs)];
