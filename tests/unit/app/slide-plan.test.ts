// Which slides a chapter's blocks become (slide-plan.ts) and where a long block's pages break
// (slide-pages.ts): the count is fixed by the chapter, every slide of every chapter is listed
// once and in order, quizzes take one question per slide, labs keep their knobs over 2+ slides.
import { describe, expect, it } from 'vitest';
import { chapters, loadChapter } from '$app/chapters.ts';
import { LAB_PAGES, LONG_BLOCKS, firstSlideOf, pagesOf, slidePlan } from '$app/slide-plan.ts';
import { partitionHeights } from '$app/slide-pages.ts';

describe('slide plan', () => {
  it('lists every block of every chapter, in order, with its pages', async () => {
    const known = new Set<string>();
    for (const meta of chapters) {
      const def = await loadChapter(meta.slug);
      const plan = slidePlan(def);
      // every block is there, in order, its pages 0..n-1 one after the other
      const blocks = [...new Set(plan.map((s) => s.block))];
      expect(blocks).toEqual(def.blocks.map((_, i) => i));
      plan.forEach((s, i) => {
        expect(s.page).toBe(i > 0 && plan[i - 1].block === s.block ? plan[i - 1].page + 1 : 0);
        expect(s.pages).toBe(pagesOf(meta.slug, def.blocks[s.block]));
      });
      def.blocks.forEach((b, i) => {
        known.add(`${meta.slug}/${b.id}`);
        const first = firstSlideOf(plan, i);
        expect(plan[first - 1]).toEqual({ block: i, page: 0, pages: plan[first - 1].pages });
        if (b.kind === 'quiz') expect(pagesOf(meta.slug, b)).toBe(b.questions.length);
        if (b.kind === 'lab') expect(pagesOf(meta.slug, b)).toBeGreaterThanOrEqual(2);
      });
    }
    // the tables name real blocks (a renamed block must not silently lose its pages)
    for (const key of [...Object.keys(LONG_BLOCKS), ...Object.keys(LAB_PAGES)])
      expect(known, key).toContain(key);
  });
});

describe('page breaks', () => {
  it('splits parts into contiguous pages, the tallest as short as it can be', () => {
    expect(partitionHeights([], 3)).toEqual([]);
    expect(partitionHeights([5, 5, 5], 1)).toEqual([0, 0, 0]);
    expect(partitionHeights([5, 5, 5], 3)).toEqual([0, 1, 2]);
    // more pages than parts: one part a page
    expect(partitionHeights([5, 5], 4)).toEqual([0, 1]);
    // one tall part keeps its page to itself
    expect(partitionHeights([100, 10, 10, 10], 2)).toEqual([0, 1, 1, 1]);
    expect(partitionHeights([10, 10, 10, 100], 2)).toEqual([0, 0, 0, 1]);
    expect(partitionHeights([30, 30, 30, 30], 2)).toEqual([0, 0, 1, 1]);
  });

  it('never leaves a page empty and never reorders, on random heights', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 100;
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + (trial % 9);
      const k = 1 + (trial % 5);
      const h = Array.from({ length: n }, rand);
      const p = partitionHeights(h, k);
      expect(p.length).toBe(n);
      expect(new Set(p).size).toBe(Math.min(n, k));
      for (let i = 1; i < n; i++) expect(p[i] - p[i - 1]).toBeGreaterThanOrEqual(0);
      for (let i = 1; i < n; i++) expect(p[i] - p[i - 1]).toBeLessThanOrEqual(1);
      // no better split exists: the tallest page is at least the largest part and the average
      const tallest = Math.max(
        ...[...new Set(p)].map((g) => h.filter((_, i) => p[i] === g).reduce((a, b) => a + b, 0)),
      );
      expect(tallest).toBeGreaterThanOrEqual(Math.max(...h) - 1e-9);
      expect(tallest).toBeGreaterThanOrEqual(h.reduce((a, b) => a + b, 0) / Math.min(n, k) - 1e-9);
    }
  });
});
