// Each chapter's glossary of symbols (chapters/NN-slug/symbols.ts): every symbol used in the
// chapter's TeX (derivation steps, their zh-TW overrides, and the <Tex> formulas of its prose in
// every locale) is defined there, each symbol is defined once, and none is listed unused. A new
// letter in a formula, or a letter reused for something else, fails here until the glossary (or
// the formula) says what it means. The TeX is read by tests/helpers/tex-symbols.ts.
import { describe, expect, it } from 'vitest';
import type { ChapterDef, ChapterSymbol } from '$lib/chapter.ts';
import type { ChapterText, DerivationText } from '$lib/i18n/chapter-text.ts';
import { canonicalSymbol, symbolsIn } from '../../helpers/tex-symbols.ts';

const chapters = import.meta.glob<ChapterDef>('/chapters/*/chapter.ts', {
  eager: true,
  import: 'chapter',
});
const glossaries = import.meta.glob<readonly ChapterSymbol[]>('/chapters/*/symbols.ts', {
  eager: true,
  import: 'symbols',
});
const overlays = Object.fromEntries(
  Object.entries(
    import.meta.glob<ChapterText | undefined>('/chapters/*/text/*.ts', {
      eager: true,
      import: 'text',
    }),
  ).filter((e): e is [string, ChapterText] => e[1] !== undefined), // not text/<locale>.meta.ts
);
const prose = import.meta.glob<string>('/chapters/*/prose/*/*.svelte', {
  eager: true,
  query: '?raw',
  import: 'default',
});

/** Chapters that must have a glossary. */
const REQUIRED = ['01-rmsnorm', '02-activations', '03-rope', '04-attention'];

/** The TeX of a `tex=` attribute: a quoted string or a String.raw template (R`...`). */
const TEX_ATTR = /\btex=(?:"([^"]*)"|\{\s*(?:R|String\.raw)`([^`]*)`\s*\})/g;

/** The TeX strings of a prose component's <Tex> elements, in order. */
function proseTex(path: string, src: string): string[] {
  const attrs = src.match(/\btex=/g)?.length ?? 0;
  const found = [...src.matchAll(TEX_ATTR)];
  // A tex= this test cannot read (a variable, an expression) would hide its symbols.
  expect(found.length, `${path}: a tex= attribute that is not a literal`).toBe(attrs);
  // Svelte templates interpolate numbers: ${x.toFixed(3)} stands for a number.
  return found.map((m) => (m[1] ?? m[2]!).replace(/\$\{[^}]*\}/g, '0'));
}

/** Every TeX string a chapter shows, with where it comes from. */
function texOf(slug: string, def: ChapterDef): { tex: string; where: string }[] {
  const out: { tex: string; where: string }[] = [];
  for (const b of def.blocks) {
    if (b.kind === 'derivation')
      b.steps.forEach((s, i) => out.push({ tex: s.tex, where: `${b.id}[${i}]` }));
  }
  for (const [path, text] of Object.entries(overlays)) {
    if (!path.startsWith(`/chapters/${slug}/`)) continue;
    for (const [id, t] of Object.entries(text.blocks)) {
      (t as DerivationText).steps?.forEach((s, i) => {
        if (s.tex) out.push({ tex: s.tex, where: `${path} ${id}[${i}]` });
      });
    }
  }
  for (const [path, src] of Object.entries(prose)) {
    if (!path.startsWith(`/chapters/${slug}/`)) continue;
    const file = path.split('/').slice(-2).join('/');
    for (const tex of proseTex(path, src)) out.push({ tex, where: file });
  }
  return out;
}

describe('glossary of symbols per chapter', () => {
  const defs = Object.values(chapters);

  it('every required chapter has one', () => {
    const have = Object.keys(glossaries).map((p) => p.split('/')[2]);
    for (const slug of REQUIRED) expect(have, slug).toContain(slug);
  });

  for (const def of defs) {
    const slug = def.meta.slug;
    const glossary = glossaries[`/chapters/${slug}/symbols.ts`];
    if (!glossary) continue;

    describe(slug, () => {
      const names = glossary.map((s) => canonicalSymbol(s.tex));
      const known = new Set(names);

      it('defines each symbol once, in English and Chinese', () => {
        const seen = new Map<string, string>();
        for (const [i, s] of glossary.entries()) {
          const name = names[i]!;
          expect(seen.has(name), `${name} defined twice: ${seen.get(name)} / ${s.meaning.en}`).toBe(
            false,
          );
          seen.set(name, s.meaning.en);
          expect(s.meaning.en.trim().length, `${s.tex}: English meaning`).toBeGreaterThan(3);
          expect(s.meaning['zh-TW'], `${s.tex}: zh-TW meaning in Chinese`).toMatch(
            /\p{Script=Han}/u,
          );
        }
      });

      // The glossary cannot tell a letter's meaning; a translation that kept an older formula
      // (f where English now writes s) would pass the coverage test. So every translated formula
      // must use the same symbols as the English one (words in \text{} may differ).
      it('translations use the same symbols as the English formulas', () => {
        const uses = (tex: string) => symbolsIn(tex, known).sort();
        for (const [path, src] of Object.entries(prose)) {
          const m = /^\/chapters\/([^/]+)\/prose\/([^/]+)\/(.+)$/.exec(path);
          if (!m || m[1] !== slug || m[2] === 'en') continue;
          const en = prose[`/chapters/${slug}/prose/en/${m[3]}`];
          if (en === undefined) continue; // the file-set test reports it
          expect(proseTex(path, src).flatMap(uses).sort(), path).toEqual(
            proseTex(path, en).flatMap(uses).sort(),
          );
        }
        for (const [path, text] of Object.entries(overlays)) {
          if (!path.startsWith(`/chapters/${slug}/`)) continue;
          for (const b of def.blocks) {
            if (b.kind !== 'derivation') continue;
            const steps = (text.blocks[b.id] as DerivationText | undefined)?.steps ?? [];
            steps.forEach((t, i) => {
              if (t.tex && b.steps[i]) {
                expect(uses(t.tex), `${path} ${b.id}[${i}]`).toEqual(uses(b.steps[i].tex));
              }
            });
          }
        }
      });

      it('covers every symbol in the chapter’s TeX, and lists none it does not use', () => {
        const missing = new Map<string, string>();
        const used = new Set<string>();
        for (const { tex, where } of texOf(slug, def)) {
          for (const s of symbolsIn(tex, known)) {
            used.add(s);
            if (!known.has(s) && !missing.has(s)) missing.set(s, `${where}: ${tex.slice(0, 90)}`);
          }
        }
        expect(
          [...missing].map(([s, w]) => `${s}  (${w})`),
          'symbols with no glossary entry',
        ).toEqual([]);
        expect(
          names.filter((n) => !used.has(n)),
          'glossary entries no formula uses',
        ).toEqual([]);
      });
    });
  }
});
