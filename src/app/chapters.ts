// The chapter registry: adding a chapter is adding a folder `chapters/NN-slug/` with `meta.ts`
// (exports `meta`, loaded eagerly: it is tiny and feeds the table of contents and the home map)
// and `chapter.ts` (exports `chapter`, loaded lazily when the reader opens it, so its prose,
// figures, KaTeX and Plot stay out of the initial JavaScript).
import type { ChapterDef, ChapterMeta, ChapterSymbol } from '../lib/chapter.ts';

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

export const chapterSlugs: readonly string[] = chapters.map((c) => c.slug);

export function loadChapter(slug: string): Promise<ChapterDef> {
  const load = chapterLoaders[`/chapters/${slug}/chapter.ts`];
  if (!load) return Promise.reject(new Error(`No chapter named ${slug}`));
  const symbols = symbolLoaders[`/chapters/${slug}/symbols.ts`];
  return Promise.all([load(), symbols?.()]).then(([def, syms]) =>
    syms ? { ...def, symbols: syms } : def,
  );
}

export function neighbours(slug: string): { prev?: ChapterMeta; next?: ChapterMeta } {
  const i = chapters.findIndex((c) => c.slug === slug);
  return { prev: i > 0 ? chapters[i - 1] : undefined, next: chapters[i + 1] };
}
