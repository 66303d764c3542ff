// The training text the reader gives (the Shakespeare corpus, a dropped .txt file or pasted
// text), checked before anything runs: empty, binary or too short for the chosen sequence
// length gets a message in words (in the page's language: Paraglide messages ch05_data_*).
import { m } from '$paraglide/messages.js';
import { formatDecimal } from '$lib/i18n/format.ts';

/** Characters a run needs at least: 10% of them are the validation text. */
export function minChars(seqLen: number): number {
  return Math.max(2000, seqLen * 40);
}

export type TextCheck = { ok: true; text: string; chars: number } | { ok: false; message: string };

/** Decode a dropped file's bytes as UTF-8 text, or say why it is not text. */
export function decodeTextFile(name: string, bytes: Uint8Array): TextCheck {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: m.ch05_data_not_utf8({ name }) };
  }
  return checkText(text, name);
}

/** Check text for training: not empty, not binary, long enough for the sequence length. */
export function checkText(
  text: string,
  what: string = m.ch05_data_the_text(),
  seqLen = 128,
): TextCheck {
  if (text.trim().length === 0) return { ok: false, message: m.ch05_data_empty({ what }) };
  let control = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  const chars = Array.from(text).length;
  if (control > chars * 0.01)
    return {
      ok: false,
      message: m.ch05_data_binary({ what, count: formatDecimal(control) }),
    };
  const need = minChars(seqLen);
  if (chars < need)
    return {
      ok: false,
      message: m.ch05_data_short({
        what,
        chars: formatDecimal(chars),
        seqLen,
        need: formatDecimal(need),
      }),
    };
  return { ok: true, text, chars };
}
