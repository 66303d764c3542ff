// The glossary (src/lib/i18n/glossary.ts): docs/glossary.md is generated from it and agrees with
// it; every term has both languages and a meaning in each; and the zh-TW terms are the ones the
// chapters use: wherever a chapter's English text uses a term, the chapter's zh-TW text uses the
// glossary's zh-TW term (per chapter, so a translator's different word fails here).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { glossary, type GlossaryTerm } from '$lib/i18n/glossary.ts';
import { glossaryMarkdown } from '$lib/i18n/glossary-doc.ts';
import { hasChinese } from '$lib/i18n/untranslated.ts';

const read = (p: string) => readFileSync(p, 'utf8');

/** The words a reader sees in a Svelte prose component: no script, style, tags or {…} code. */
function svelteText(src: string): string {
  return src
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\{[^{}]*\}/g, ' ');
}

/** String literals of a TS module that read as text (not ids like 'lab' or 'ch01_key'). */
function tsStrings(src: string): string {
  const out: string[] = [];
  const literal = /(\w+:\s*)?(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`)/g;
  for (const m of src.matchAll(literal)) {
    // a paper's title and authors stay English in every language (a reference has a year)
    if (m[1]?.startsWith('authors')) continue;
    if (m[1]?.startsWith('title') && /^[^}]*\byear:/.test(src.slice(m.index, m.index + 300)))
      continue;
    const s = m[2] ?? m[3] ?? m[4] ?? '';
    if (/\s/.test(s)) out.push(s);
  }
  return out.join('\n');
}

const jsonValues = (p: string) =>
  existsSync(p) ? Object.values(JSON.parse(read(p)) as Record<string, string>).join('\n') : '';

const svelteDir = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.svelte'))
        .map((f) => svelteText(read(`${dir}/${f}`)))
        .join('\n')
    : '';

interface Texts {
  name: string;
  en: string;
  zh: string;
}

/** Each chapter's reader-facing text in English and zh-TW, plus the shell's messages. */
function corpora(): Texts[] {
  const out: Texts[] = readdirSync('chapters')
    .filter((d) => /^\d\d-/.test(d))
    .map((slug) => {
      const dir = `chapters/${slug}`;
      return {
        name: slug,
        en: [
          tsStrings(read(`${dir}/meta.ts`)),
          tsStrings(read(`${dir}/chapter.ts`)),
          svelteDir(`${dir}/prose/en`),
          jsonValues(`${dir}/messages/en.json`),
        ].join('\n'),
        zh: [
          read(`${dir}/text/zh-TW.meta.ts`),
          read(`${dir}/text/zh-TW.ts`),
          svelteDir(`${dir}/prose/zh-TW`),
          jsonValues(`${dir}/messages/zh-TW.json`),
        ].join('\n'),
      };
    });
  out.push({
    name: 'shell',
    en: jsonValues('messages/en.json'),
    zh: jsonValues('messages/zh-TW.json'),
  });
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The English words to look for and the zh-TW words that must then be there. */
function findTerms(t: GlossaryTerm): { en: RegExp[]; zh: readonly string[] } {
  const en = t.find?.en ?? [t.en.replace(/\s*\([^)]*\)/g, '')];
  const zh = t.find?.zh ?? [t.zh.replace(/（.*$/, '').trim()];
  return {
    en: en.map((w) => new RegExp(`(?<![\\w-])${escape(w)}(?:s|es)?(?![\\w-])`, 'i')),
    zh,
  };
}

describe('glossary data', () => {
  it('docs/glossary.md is generated from it (run npm run glossary after editing the data)', () => {
    expect(read('docs/glossary.md')).toBe(glossaryMarkdown());
  });

  it('every term has English, zh-TW and a one-line meaning in each language', () => {
    expect(glossary.length).toBeGreaterThan(60);
    for (const t of glossary) {
      expect(t.en.trim(), JSON.stringify(t)).not.toBe('');
      expect(t.zh.trim(), t.en).not.toBe('');
      expect(hasChinese(t.meaning['zh-TW']), `${t.en}: zh-TW meaning`).toBe(true);
      expect(hasChinese(t.meaning.en), `${t.en}: English meaning`).toBe(false);
      expect(t.meaning.en, `${t.en}: English meaning`).toMatch(/^\S.*[.!?]$/);
      for (const s of [t.meaning.en, t.meaning['zh-TW']]) expect(s, t.en).not.toMatch(/\n/);
    }
  });

  it('no English term is listed twice', () => {
    const seen = new Set<string>();
    for (const t of glossary) {
      const k = t.en.toLowerCase();
      expect(seen.has(k), t.en).toBe(false);
      seen.add(k);
    }
  });
});

describe('the chapters use the glossary terms', () => {
  const texts = corpora();

  it('each term is used in the English text somewhere (no term nobody needs)', () => {
    const unused = glossary.filter((t) => {
      const { en } = findTerms(t);
      return en.length > 0 && !texts.some((c) => en.some((r) => r.test(c.en)));
    });
    expect(unused.map((t) => t.en)).toEqual([]);
  });

  it('each zh-TW term appears in the zh-TW text somewhere', () => {
    const unused = glossary.filter((t) => {
      const { zh } = findTerms(t);
      return !texts.some((c) => zh.some((w) => c.zh.includes(w)));
    });
    expect(unused.map((t) => `${t.en} → ${t.zh}`)).toEqual([]);
  });

  /** The terms a chapter's English uses whose glossary zh-TW word its zh-TW text lacks. */
  function missing(c: Texts, terms: readonly GlossaryTerm[]): string[] {
    const out: string[] = [];
    for (const t of terms) {
      const { en, zh } = findTerms(t);
      const hit = en.find((r) => r.test(c.en));
      if (hit && !zh.some((w) => c.zh.includes(w)))
        out.push(`${t.en} (${hit.exec(c.en)?.[0]}) → ${zh.join(' | ')}`);
    }
    return out;
  }

  it('the check fails on a translation that uses another word', () => {
    const ch1 = texts.find((c) => c.name.startsWith('01-'))!;
    const other: GlossaryTerm = {
      en: 'RMSNorm',
      zh: '均方根正規化（RMSNorm）',
      meaning: { en: 'x', 'zh-TW': 'x' },
      find: { zh: ['均方根正規化'] },
    };
    expect(missing(ch1, [other])).toHaveLength(1);
    expect(missing({ ...ch1, en: 'no such term here' }, [other])).toEqual([]);
  });

  for (const c of texts) {
    it(`${c.name}: where the English uses a term, the zh-TW uses the glossary's word`, () => {
      expect(missing(c, glossary)).toEqual([]);
    });
  }
});
