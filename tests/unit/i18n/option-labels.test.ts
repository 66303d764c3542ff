// Every option of every select (the knob table's and each chapter's enum controls) shows a label
// in the reader's language, while the URL keeps the raw value: `act=custom` reads 「自訂公式」 in
// zh-TW and "custom formula" in English, and a link written in either language is the same.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { ChapterDef } from '$lib/chapter.ts';
import { optionLabel } from '$lib/i18n/param-label.ts';
import { readsTranslated } from '$lib/i18n/untranslated.ts';
import { knobSpecs } from '$lib/knobs.ts';
import { parseParams, serializeParams, type ParamSpec } from '$lib/params.ts';
import ParamControl from '$lib/components/ParamControl.svelte';
import { getLocale, setLocale } from '$paraglide/runtime.js';

const defs = import.meta.glob<ChapterDef>('/chapters/*/chapter.ts', {
  eager: true,
  import: 'chapter',
});
type EnumSpec = Extract<ParamSpec, { kind: 'enum' }>;
const isEnum = (s: ParamSpec): s is EnumSpec => s.kind === 'enum';
const selects: [string, EnumSpec][] = [
  ...Object.values(knobSpecs)
    .filter(isEnum)
    .map((s): [string, EnumSpec] => ['knobs', s]),
  ...Object.values(defs).flatMap((def) =>
    (def.params ?? []).filter(isEnum).map((s): [string, EnumSpec] => [def.meta.slug, s]),
  ),
];
const numeric = (o: string) => /^\d+$/.test(o);
const start = getLocale();
afterEach(() => setLocale(start, { reload: false }));

function labelIn(locale: 'en' | 'zh-TW', spec: EnumSpec, o: string): string {
  setLocale(locale, { reload: false });
  return optionLabel(spec, o);
}

describe('select options', () => {
  it('covers the selects (knob table and chapters)', () => {
    expect(selects.map(([, s]) => s.key)).toEqual(
      expect.arrayContaining(['norm', 'act', 'ropeScaling', 'tap', 'glu', 'stretch', 'q']),
    );
  });

  for (const [where, spec] of selects) {
    for (const o of spec.options) {
      it(`${where}: ${spec.key}=${o} has a label in en and zh-TW`, () => {
        if (numeric(o)) {
          // A number reads the same in both languages.
          expect(labelIn('zh-TW', spec, o)).toBe(o);
          return;
        }
        expect(spec.optionLabels?.[o], `${spec.key}.${o}`).toBeTypeOf('function');
        const en = labelIn('en', spec, o);
        const zh = labelIn('zh-TW', spec, o);
        expect(en.trim()).not.toBe('');
        expect(zh.trim()).not.toBe('');
        expect(readsTranslated(zh), zh).toBe(true);
        // A label in words ("none", "custom formula") is translated; a name (SwiGLU) may stay.
        if (/\b[a-z]{4,}\b/.test(en.replace(/\([^)]*\)/g, ''))) expect(zh).not.toBe(en);
      });
    }

    it(`${where}: ${spec.key}: the URL keeps the raw value in every language`, () => {
      for (const locale of ['en', 'zh-TW'] as const) {
        setLocale(locale, { reload: false });
        for (const o of spec.options) {
          const q = serializeParams({ [spec.key]: o }, [spec]);
          expect(q).toBe(`${spec.key}=${encodeURIComponent(o)}`);
          expect(parseParams(q, [spec]).values[spec.key]).toBe(o);
          // A label is not a value: a link carrying the label is not read as the option.
          const label = optionLabel(spec, o);
          if (label !== o)
            expect(parseParams(`${spec.key}=${label}`, [spec]).values[spec.key]).toBeUndefined();
        }
      }
    });
  }
});

describe('the select control', () => {
  it('shows the labels in zh-TW and keeps the raw values', () => {
    setLocale('zh-TW', { reload: false });
    const { body } = render(ParamControl, {
      props: { spec: knobSpecs.act, value: 'custom', onchange: () => {} },
    });
    for (const o of ['silu', 'gelu', 'relu', 'custom']) expect(body).toContain(`value="${o}"`);
    expect(body).toMatch(/<option value="custom"[^>]*>自訂公式<\/option>/);
    expect(body).not.toMatch(/>custom</);
  });

  it('shows the translated value in the trained-value note', () => {
    setLocale('zh-TW', { reload: false });
    const { body } = render(ParamControl, {
      props: {
        spec: knobSpecs.ropeScaling,
        value: 'ntk',
        trained: 'none',
        onchange: () => {},
      },
    });
    expect(body).toContain('無');
    expect(body).toMatch(/<option value="ntk"[^>]*>NTK-aware 縮放<\/option>/);
  });
});
