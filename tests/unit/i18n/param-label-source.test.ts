// A control's label comes from its spec (its own message, or the knob table's shared one), never
// from the page's address: the same spec reads the same on a chapter page, in slides, in an embed
// and on the home page, and in zh-TW every chapter control shows its Chinese label.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChapterDef } from '$lib/chapter.ts';
import { paramLabel } from '$lib/i18n/param-label.ts';
import { knobSpecs, samplerSpecs } from '$lib/knobs.ts';
import { getLocale, setLocale } from '$paraglide/runtime.js';

const defs = import.meta.glob<ChapterDef>('/chapters/*/chapter.ts', {
  eager: true,
  import: 'chapter',
});
const zh = JSON.parse(readFileSync('messages/zh-TW.json', 'utf8')) as Record<string, string>;
const HAN = /\p{Script=Han}/u;
const start = getLocale();
afterEach(() => setLocale(start, { reload: false }));

describe('control labels come from the spec', () => {
  for (const def of Object.values(defs)) {
    for (const spec of def.params ?? []) {
      it(`${def.meta.slug}: ${spec.key} has its own message`, () => {
        expect(spec.message, spec.key).toBeTypeOf('function');
        setLocale('en', { reload: false });
        expect(paramLabel(spec)).toBe(spec.label);
        setLocale('zh-TW', { reload: false });
        expect(paramLabel(spec)).toMatch(HAN);
      });
    }
  }

  it('shows the same label whatever chapter the address names', () => {
    const spec = defs['/chapters/03-rope/chapter.ts'].params!.find((p) => p.key === 'layer')!;
    setLocale('zh-TW', { reload: false });
    const here = paramLabel(spec);
    const g = globalThis as { location?: unknown };
    const had = 'location' in g;
    const before = g.location;
    for (const hash of ['#/01-rmsnorm', '#/07-serving?view=slides', '', '#/']) {
      g.location = { hash };
      expect(paramLabel(spec)).toBe(here);
    }
    if (had) g.location = before;
    else delete g.location;
  });

  it('knob and sampler controls keep their shared messages', () => {
    setLocale('zh-TW', { reload: false });
    for (const spec of [...Object.values(knobSpecs), ...Object.values(samplerSpecs)]) {
      expect(paramLabel(spec), spec.key).toBe(zh[`param_${spec.key}`]);
    }
  });
});
