// Every control's label exists in every language: the knob table's and the sampler's as
// `param_<key>`, each chapter's own as `chNN_param_<key>` (in the chapter's or the shared message
// file; or a shared `param_<key>`); in English
// the message is the spec's own label, so the English page reads as before.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { knobSpecs, samplerSpecs } from '$lib/knobs.ts';
import type { ChapterDef } from '$lib/chapter.ts';
import { paramLabelKey } from '$lib/i18n/param-label.ts';

const load = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, string>;
const en = load('messages/en.json');
const zh = load('messages/zh-TW.json');

describe('control labels', () => {
  for (const spec of [...Object.values(knobSpecs), ...Object.values(samplerSpecs)]) {
    it(`${spec.key} has its label in en (the spec's) and zh-TW`, () => {
      const key = paramLabelKey(spec);
      expect(en[key]).toBe(spec.label);
      expect(zh[key], key).toBeTruthy();
    });
  }
});

const defs = import.meta.glob<ChapterDef>('/chapters/*/chapter.ts', {
  eager: true,
  import: 'chapter',
});
describe('chapter controls', () => {
  for (const [path, def] of Object.entries(defs)) {
    const dir = `.${path.replace(/\/chapter\.ts$/, '')}`;
    for (const spec of def.params ?? []) {
      it(`${def.meta.slug}: ${spec.key}`, () => {
        const cEn = load(`${dir}/messages/en.json`);
        const cZh = load(`${dir}/messages/zh-TW.json`);
        const key = paramLabelKey(spec, def.meta.number);
        const shared = paramLabelKey(spec);
        const enLabel = cEn[key] ?? en[key] ?? en[shared];
        expect(enLabel, `${key} or ${shared}`).toBe(spec.label);
        expect(cZh[key] ?? zh[key] ?? zh[shared], `${key} (zh-TW)`).toBeTruthy();
      });
    }
  }
});
