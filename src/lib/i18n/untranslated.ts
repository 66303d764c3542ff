// What counts as English left in a translated page: a run of two or more ordinary English words
// (letters only, three or more each, the second one on in lower case: "Loading chapter").
// Names (RMSNorm, SwiGLU, top-k, WebGPU, Hugging Face), commands, symbols, numbers and units
// pass. Used by the message and chapter-text unit tests and by the zh-TW walk in the e2e tests.
export const ENGLISH_RUN = /\b[A-Za-z][a-z]{2,}(?:[ \u00a0]+[a-z]{3,}\b)+/;

/**
 * What may stay English in translated text: the English term beside its first use, in
 * parentheses (「連續批次處理（continuous batching）」), quoted titles and `code`.
 */
export function withoutAllowedEnglish(text: string): string {
  return text
    .replace(/（[^）]*）/g, ' ')
    .replace(/\([^)]*\)/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\bnpm run [\w:-]+/g, ' ')
    .replace(/\b\w*_\w*\b/g, ' ')
    .replace(/[“「『"][^”」』"]*[”」』"]/g, ' ');
}

/** The first English run in a text (outside what may stay English), or null. */
export function englishRun(text: string): string | null {
  return ENGLISH_RUN.exec(withoutAllowedEnglish(text))?.[0] ?? null;
}

/**
 * Whether a translated string reads as translated: it holds Chinese, or it is only numbers,
 * symbols and names (a quiz choice "2 GiB", "4d", "RMSNorm"), with no ordinary English word.
 */
export function readsTranslated(text: string): boolean {
  return hasChinese(text) || !/\b[a-z]{4,}\b/.test(withoutAllowedEnglish(text));
}

/** Whether a text holds Chinese (CJK unified ideographs). */
export function hasChinese(text: string): boolean {
  return /[\u3400-\u9fff]/.test(text);
}

/**
 * Half-width punctuation right after a Chinese character (「m = 0 時: …」): Chinese sentences take
 * full-width ，：；！？ (I18N.md §4). A half-width mark after a space (「不要用 ; 或換行」 quotes
 * the character) or after Latin text (「tok512.bin: 分詞器」) passes. Returns the offending
 * piece with a little context, or null.
 */
export function halfWidthAfterChinese(text: string): string | null {
  const m = /[\u3400-\u9fff][,:;!?]/.exec(text);
  return m ? text.slice(Math.max(0, m.index - 8), m.index + 10) : null;
}
