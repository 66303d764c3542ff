// Reading progress per chapter, remembered in localStorage: the furthest block reached and
// whether the reader got to the end. Parsing is defensive: storage may hold anything.
const KEY = 'llama-lab:progress';

export interface ChapterProgress {
  furthest: number;
  total: number;
}

export function readProgress(): Record<string, ChapterProgress> {
  const out: Record<string, ChapterProgress> = {};
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    if (raw && typeof raw === 'object') {
      for (const [slug, v] of Object.entries(raw as Record<string, unknown>)) {
        const p = v as Partial<ChapterProgress> | null;
        if (
          p &&
          Number.isInteger(p.furthest) &&
          Number.isInteger(p.total) &&
          p.total! > 0 &&
          p.furthest! >= 0
        ) {
          out[slug] = { furthest: Math.min(p.furthest!, p.total!), total: p.total! };
        }
      }
    }
  } catch {
    // unreadable storage: start afresh
  }
  return out;
}

/** Record that block index `reached` (0-based) of `total` was seen; keeps the furthest. */
export function recordProgress(slug: string, reached: number, total: number): void {
  const all = readProgress();
  const before = all[slug]?.furthest ?? 0;
  all[slug] = { furthest: Math.max(before, Math.min(reached + 1, total)), total };
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // storage full or blocked: progress is a convenience, never an error
  }
}

export function progressFraction(p: ChapterProgress | undefined): number {
  return p ? p.furthest / p.total : 0;
}
