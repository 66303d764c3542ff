// Interface strings: every message exists in every locale (Paraglide would silently fall back to
// English), a chapter's messages are prefixed with its number, and no zh-TW message is English.
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { englishRun, hasChinese, readsTranslated } from '$lib/i18n/untranslated.ts';

const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8')) as {
  baseLocale: string;
  locales: string[];
  'plugin.inlang.messageFormat': { pathPattern: string[] };
};
const patterns = settings['plugin.inlang.messageFormat'].pathPattern;

function load(pattern: string, locale: string): Record<string, string> {
  const file = pattern.replace('{locale}', locale);
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  delete data.$schema;
  return data;
}

describe('message files', () => {
  it('the project lists en first and zh-TW, and every chapter folder has its message files', () => {
    expect(settings.baseLocale).toBe('en');
    expect(settings.locales).toContain('zh-TW');
    const chapterDirs = patterns.filter((p) => p.includes('/chapters/'));
    expect(chapterDirs.length).toBeGreaterThanOrEqual(8);
  });

  for (const pattern of patterns) {
    describe(pattern, () => {
      const base = load(pattern, settings.baseLocale);
      for (const locale of settings.locales) {
        it(`exists for ${locale}`, () => {
          expect(existsSync(pattern.replace('{locale}', locale))).toBe(true);
        });
        if (locale === settings.baseLocale) continue;
        it(`has exactly the keys of ${settings.baseLocale} in ${locale}`, () => {
          const other = load(pattern, locale);
          expect(Object.keys(other).sort()).toEqual(Object.keys(base).sort());
        });
        it(`keeps every {parameter} in ${locale}`, () => {
          const other = load(pattern, locale);
          for (const [k, v] of Object.entries(base)) {
            const want = [...v.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
            const got = [...(other[k] ?? '').matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
            expect(got, k).toEqual(want);
          }
        });
      }
      it('zh-TW messages are Chinese, not English left in place', () => {
        const zh = load(pattern, 'zh-TW');
        for (const [k, v] of Object.entries(zh)) {
          expect(englishRun(v), `${k}: ${v}`).toBeNull();
          // Text with words must have Chinese in it (symbols, numbers and names may stay).
          const words = v.replace(/\{\w+\}/g, '');
          expect(readsTranslated(words), `${k} is not translated: ${v}`).toBe(true);
        }
      });
      const chapter = /chapters\/(\d\d)-/.exec(pattern)?.[1];
      if (chapter) {
        it(`keys start with ch${chapter}_`, () => {
          for (const k of Object.keys(base)) expect(k.startsWith(`ch${chapter}_`), k).toBe(true);
        });
      }
    });
  }

  it('no key is defined in two files', () => {
    const seen = new Map<string, string>();
    for (const pattern of patterns) {
      for (const k of Object.keys(load(pattern, 'en'))) {
        expect(seen.get(k), `${k} in ${pattern}`).toBeUndefined();
        seen.set(k, pattern);
      }
    }
  });
});

describe('the English-run detector', () => {
  it('finds ordinary English and lets names, numbers and Chinese pass', () => {
    expect(englishRun('Loading chapter…')).toBe('Loading chapter');
    expect(englishRun('正在載入 RMSNorm 與 SwiGLU')).toBeNull();
    expect(englishRun('top-k = 40, 3.2 ms, WebGPU')).toBeNull();
    expect(englishRun('第 3 章：旋轉位置編碼（RoPE）')).toBeNull();
    expect(hasChinese('詞元')).toBe(true);
    expect(hasChinese('tokens')).toBe(false);
  });
});
