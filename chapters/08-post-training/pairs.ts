// The SFT lab's editable pairs as text: one pair per line, "prompt => response", with \n written
// as the two characters backslash and n. Parsing is total: a bad line gets a message naming it,
// in the reader's language (parsePairs runs when the lab renders).
import { m } from '$paraglide/messages.js';
import type { SftPair } from '$train/post/data.ts';

export const MAX_PAIRS = 32;
export const MAX_PAIR_CHARS = 120;

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const unesc = (s: string) => s.replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));

export function formatPairs(pairs: readonly SftPair[]): string {
  return pairs.map((p) => `${esc(p.prompt)} => ${esc(p.response)}`).join('\n');
}

export type PairsResult = { ok: true; pairs: SftPair[] } | { ok: false; error: string };

export function parsePairs(text: string): PairsResult {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return { ok: false, error: m.ch08_pairs_empty() };
  if (lines.length > MAX_PAIRS)
    return { ok: false, error: m.ch08_pairs_too_many({ max: MAX_PAIRS, n: lines.length }) };
  const pairs: SftPair[] = [];
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i].indexOf(' => ');
    if (at < 0) return { ok: false, error: m.ch08_pairs_no_arrow({ line: i + 1 }) };
    const prompt = unesc(lines[i].slice(0, at));
    const response = unesc(lines[i].slice(at + 4));
    if (prompt.trim() === '' || response.trim() === '')
      return { ok: false, error: m.ch08_pairs_empty_side({ line: i + 1 }) };
    if (prompt.length + response.length > MAX_PAIR_CHARS)
      return { ok: false, error: m.ch08_pairs_too_long({ line: i + 1, max: MAX_PAIR_CHARS }) };
    pairs.push({ prompt, response });
  }
  return { ok: true, pairs };
}
