// What counts as English left in a translated page: a run of two or more ordinary English words
// (letters only, three or more each, e.g. "Loading chapter"). Single technical names (RMSNorm,
// SwiGLU, top-k, WebGPU), symbols, numbers and units pass. Used by the message and chapter-text
// unit tests and, as source text, by the zh-TW walk in the e2e tests.
export const ENGLISH_RUN = /\b[A-Za-z][a-z]{2,}(?:[ \u00a0]+[A-Za-z][a-z]{2,}\b)+/;

/** The first English run in a text, or null. */
export function englishRun(text: string): string | null {
  return ENGLISH_RUN.exec(text)?.[0] ?? null;
}

/** Whether a text holds Chinese (CJK unified ideographs). */
export function hasChinese(text: string): boolean {
  return /[\u3400-\u9fff]/.test(text);
}
