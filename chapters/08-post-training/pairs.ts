// The SFT lab's editable pairs as text: one pair per line, "prompt => response", with \n written
// as the two characters backslash and n. Parsing is total: a bad line gets a message naming it.
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
  if (lines.length === 0)
    return { ok: false, error: 'Write at least one pair: prompt => response.' };
  if (lines.length > MAX_PAIRS)
    return { ok: false, error: `At most ${MAX_PAIRS} pairs (there are ${lines.length}).` };
  const pairs: SftPair[] = [];
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i].indexOf(' => ');
    if (at < 0)
      return { ok: false, error: `Line ${i + 1} has no " => " between prompt and response.` };
    const prompt = unesc(lines[i].slice(0, at));
    const response = unesc(lines[i].slice(at + 4));
    if (prompt.trim() === '' || response.trim() === '')
      return { ok: false, error: `Line ${i + 1}: the prompt and the response must not be empty.` };
    if (prompt.length + response.length > MAX_PAIR_CHARS)
      return { ok: false, error: `Line ${i + 1} is longer than ${MAX_PAIR_CHARS} characters.` };
    pairs.push({ prompt, response });
  }
  return { ok: true, pairs };
}
