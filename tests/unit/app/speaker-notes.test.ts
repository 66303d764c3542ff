// Every block of every chapter carries speaker notes for the presenter view: a teacher presenting
// a chapter as slides must never meet a slide with nothing to say. A chapter that lands without
// notes fails here with the list of blocks that miss them.
import { describe, expect, it } from 'vitest';
import type { ChapterDef } from '$lib/chapter.ts';

const modules = import.meta.glob<ChapterDef>('/chapters/*/chapter.ts', {
  eager: true,
  import: 'chapter',
});

describe('speaker notes', () => {
  const entries = Object.entries(modules);

  it('finds the chapters', () => {
    expect(entries.length).toBeGreaterThanOrEqual(4);
  });

  for (const [path, chapter] of entries) {
    it(`every block of ${chapter.meta.slug} has notes for a teacher`, () => {
      const missing = chapter.blocks
        .filter((b) => typeof b.notes !== 'string' || b.notes.trim().length < 80)
        .map((b) => b.id);
      expect(
        missing,
        `${path}: blocks without speaker notes (at least a couple of sentences)`,
      ).toEqual([]);
    });

    it(`notes of ${chapter.meta.slug} are distinct and not the title`, () => {
      const seen = new Set<string>();
      for (const b of chapter.blocks) {
        const n = (b.notes ?? '').trim();
        expect(n.toLowerCase(), `${b.id}: notes repeat the title`).not.toBe(b.title.toLowerCase());
        expect(seen.has(n), `${b.id}: the same notes as another block`).toBe(false);
        seen.add(n);
      }
    });
  }
});
