// Hash routing, so the static build works from any folder, any host and even file://.
//   #/                         home
//   #/01-rmsnorm               a chapter (its folder name)
//   #/01-rmsnorm?view=slides&slide=3&eps=1e-3&prompt=...   the chapter with its controls
//   #/01-rmsnorm/presenter?slide=3&...   the presenter view of the chapter's slides
//   #/glossary                 the glossary of terms (English, zh-TW, meaning)
// The part after '?' is parsed by ../lib/params.ts against the page's parameter specs.

export type Route =
  | { page: 'home'; query: string }
  | { page: 'glossary'; query: string }
  | { page: 'chapter'; slug: string; query: string; presenter?: boolean }
  | { page: 'missing'; slug: string; query: string };

const SLUG = /^\d{2}-[a-z0-9][a-z0-9-]{0,60}$/;

export function parseHash(hash: string, knownSlugs: readonly string[]): Route {
  const body = hash.replace(/^#/, '').replace(/^\/+/, '');
  const q = body.indexOf('?');
  const path = (q < 0 ? body : body.slice(0, q)).replace(/\/+$/, '');
  const query = q < 0 ? '' : body.slice(q + 1);
  if (path === '' || path === 'home') return { page: 'home', query };
  if (path === 'glossary') return { page: 'glossary', query };
  let slug: string;
  try {
    slug = decodeURIComponent(path);
  } catch {
    slug = path;
  }
  const presenter = slug.endsWith('/presenter');
  if (presenter) slug = slug.slice(0, -'/presenter'.length);
  if (SLUG.test(slug) && knownSlugs.includes(slug)) {
    return presenter
      ? { page: 'chapter', slug, query, presenter }
      : { page: 'chapter', slug, query };
  }
  return { page: 'missing', slug: slug.slice(0, 80), query };
}

export function chapterHref(slug: string, query = ''): string {
  return `#/${slug}${query ? `?${query}` : ''}`;
}

export function homeHref(query = ''): string {
  return `#/${query ? `?${query}` : ''}`;
}

export function glossaryHref(query = ''): string {
  return `#/glossary${query ? `?${query}` : ''}`;
}
