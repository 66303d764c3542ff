// One spelling of tokens for chart axes and tooltips, used by every chapter.

/** Characters that would be invisible on an axis, written visibly. */
function visible(s: string): string {
  return s.replace(/\n/g, '↵').replace(/\t/g, '⇥').replace(/ /g, '·');
}

/**
 * A token as an axis label: position and text, `0:<s>` for BOS (llama2.c decodes it to
 * nothing), `∅` for another empty piece (the dummy-prefix space after BOS), whitespace made
 * visible, cut to `max` characters.
 */
export function tokenLabel(text: string, position: number, max = 8): string {
  const s = visible(text);
  const shown = s === '' ? (position === 0 ? '<s>' : '∅') : [...s].slice(0, max).join('');
  return `${position}:${shown}`;
}
