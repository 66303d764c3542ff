// The chapter registry: adding a chapter is adding a folder `chapters/NN-slug/` with `meta.ts`
// (exports `meta`, loaded eagerly: it is tiny and feeds the table of contents and the home map)
// and `chapter.ts` (exports `chapter`, loaded lazily when the reader opens it, so its prose,
// figures, KaTeX and Plot stay out of the initial JavaScript).
import type { ChapterDef, ChapterMeta, ChapterSymbol } from '../lib/chapter.ts';
import {
  localizeChapter,
  type ChapterMetaText,
  type ChapterText,
} from '../lib/i18n/chapter-text.ts';
import { baseLocale, locale, type Locale } from '../lib/i18n/locale.svelte.ts';

const metaModules = import.meta.glob<ChapterMeta>('/chapters/*/meta.ts', {
  eager: true,
  import: 'meta',
});
const chapterLoaders = import.meta.glob<ChapterDef>('/chapters/*/chapter.ts', {
  import: 'chapter',
});
// A chapter's glossary of symbols (optional), loaded with the chapter and shown at its end.
const symbolLoaders = import.meta.glob<readonly ChapterSymbol[]>('/chapters/*/symbols.ts', {
  import: 'symbols',
});

function folderOf(path: string): string {
  return path.split('/').at(-2) ?? path;
}

/** Every chapter with both files, in folder (number) order. */
export const chapters: readonly ChapterMeta[] = Object.entries(metaModules)
  .filter(([path]) => `/chapters/${folderOf(path)}/chapter.ts` in chapterLoaders)
  .map(([path, meta]) => {
    if (meta.slug !== folderOf(path)) {
      throw new Error(`chapters/${folderOf(path)}/meta.ts: slug must equal the folder name`);
    }
    return meta;
  })
  .sort((a, b) => a.slug.localeCompare(b.slug));

// A chapter's block text in another language: chapters/NN-slug/text/<locale>.ts (see
// lib/i18n/chapter-text.ts), loaded with the chapter.
const textLoaders = import.meta.glob<ChapterText>('/chapters/*/text/*.ts', { import: 'text' });

export const chapterSlugs: readonly string[] = chapters.map((c) => c.slug);

export async function loadChapter(slug: string, locale: Locale = baseLocale): Promise<ChapterDef> {
  const load = chapterLoaders[`/chapters/${slug}/chapter.ts`];
  if (!load) throw new Error(`No chapter named ${slug}`);
  const symbols = symbolLoaders[`/chapters/${slug}/symbols.ts`];
  const loadText =
    locale === baseLocale ? undefined : textLoaders[`/chapters/${slug}/text/${locale}.ts`];
  // Not translated (a test fails for a shipped chapter): English, and the page says so.
  const [def, syms, text] = await Promise.all([load(), symbols?.(), loadText?.()]);
  const withSymbols = syms ? { ...def, symbols: syms } : def;
  return text ? localizeChapter(withSymbols, text) : withSymbols;
}

/** Whether a chapter has its text in a locale (English always). */
export function hasLocale(slug: string, locale: Locale): boolean {
  return locale === baseLocale || `/chapters/${slug}/text/${locale}.ts` in textLoaders;
}

const metaTexts = import.meta.glob<ChapterMetaText>('/chapters/*/text/*.meta.ts', {
  eager: true,
  import: 'meta',
});

function metaText(meta: ChapterMeta): ChapterMetaText {
  if (locale.current === baseLocale) return meta;
  return metaTexts[`/chapters/${meta.slug}/text/${locale.current}.meta.ts`] ?? meta;
}

/** The chapter's title in the page's language (chapters/NN/text/<locale>.meta.ts). */
export function chapterTitle(meta: ChapterMeta): string {
  return metaText(meta).title;
}

/** The chapter's one-sentence summary in the page's language. */
export function chapterSummary(meta: ChapterMeta): string {
  return metaText(meta).summary;
}

export function neighbours(slug: string): { prev?: ChapterMeta; next?: ChapterMeta } {
  const i = chapters.findIndex((c) => c.slug === slug);
  return { prev: i > 0 ? chapters[i - 1] : undefined, next: chapters[i + 1] };
}
