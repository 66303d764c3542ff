// Chapter text in zh-TW: every block of every chapter.ts has its translation (title, notes, and
// what its kind shows), nothing is left over, each string is Chinese, and the prose components
// exist in both languages with the same file names.
import { readdirSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChapterDef } from '$lib/chapter.ts';
import { localizeChapter, type ChapterMetaText, type ChapterText } from '$lib/i18n/chapter-text.ts';
import { englishRun, readsTranslated } from '$lib/i18n/untranslated.ts';

const defs = import.meta.glob<ChapterDef>('/chapters/*/chapter.ts', {
  eager: true,
  import: 'chapter',
});
const texts = import.meta.glob<ChapterText>('/chapters/*/text/zh-TW.ts', {
  eager: true,
  import: 'text',
});
const metas = import.meta.glob<ChapterMetaText>('/chapters/*/text/zh-TW.meta.ts', {
  eager: true,
  import: 'meta',
});

/** Every string in an overlay, with where it is (components and TeX left out). */
function strings(value: unknown, where: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([where, value]);
  else if (typeof value === 'function') {
    const f = value as (m: null) => unknown;
    if (f.length <= 1 && !('render' in f) && where.endsWith('.intro')) strings(f(null), where, out);
  } else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${where}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'component' || k === 'tex') continue;
      strings(v, `${where}.${k}`, out);
    }
  }
  return out;
}

function checkChinese(entries: [string, string][]) {
  for (const [where, s] of entries) {
    expect(readsTranslated(s), `${where} is not Chinese: ${s.slice(0, 80)}`).toBe(true);
  }
}

for (const [path, def] of Object.entries(defs)) {
  const dir = path.replace(/\/chapter\.ts$/, '');
  const slug = dir.split('/').at(-1)!;
  describe(slug, () => {
    it('has its title and summary in zh-TW', () => {
      const meta = metas[`${dir}/text/zh-TW.meta.ts`];
      expect(meta, `${dir}/text/zh-TW.meta.ts`).toBeDefined();
      checkChinese(strings(meta, 'meta'));
    });

    const text = texts[`${dir}/text/zh-TW.ts`];
    if (!text) return;

    it('zh-TW covers every block and field (localizeChapter accepts it)', () => {
      const zh = localizeChapter(def, text);
      expect(zh.blocks.map((b) => b.id)).toEqual(def.blocks.map((b) => b.id));
    });

    it('zh-TW has no block the chapter does not have', () => {
      const ids = new Set(def.blocks.map((b) => b.id));
      for (const id of Object.keys(text.blocks)) expect(ids.has(id), id).toBe(true);
    });

    it('every zh-TW string is Chinese', () => {
      checkChinese(strings(text, 'text'));
      for (const [where, s] of strings(text, 'text')) {
        expect.soft(englishRun(s), `${where}`).toBeNull();
      }
    });

    it('prose components exist in both languages with the same names', () => {
      const en = readdirSync(`.${dir}/prose/en`).sort();
      expect(existsSync(`.${dir}/prose/zh-TW`), `${dir}/prose/zh-TW`).toBe(true);
      expect(readdirSync(`.${dir}/prose/zh-TW`).sort()).toEqual(en);
    });
  });
}
