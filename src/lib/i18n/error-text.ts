// An error as the page shows it, in the reader's language: an engine error with a code
// (src/engine/error-text.ts, also one rebuilt from a worker's message) is worded by its message
// `err_<code>`; an error without one (a WebGPU driver message, a bug) keeps its English text,
// which in another language comes after a translated lead-in and is marked lang="en"
// (components/ErrorText.svelte renders both parts). Never silent.
import { m } from '../../paraglide/messages.js';
import { baseLocale, getLocale } from '../../paraglide/runtime.js';
import { codedError, type ErrorCode, type ErrorParams } from '../../engine/error-text.ts';

/**
 * An error the page words itself, already in the reader's language (its message is a Paraglide
 * message): shown as it is, with no lead-in.
 */
export class PageError extends Error {
  override name = 'PageError';
}

export interface ShownError {
  /** What to show in the reader's language. */
  text: string;
  /** The original English text to show after `text` (lang="en"), when there is no translation. */
  english: string | null;
}

type Message = (params: ErrorParams) => string;

/** The message function of an error code (undefined only if a translation were missing). */
export function errorMessage(code: ErrorCode): Message | undefined {
  return (m as unknown as Record<string, Message | undefined>)[`err_${code}`];
}

/** The English text of anything thrown or returned as a refusal (`{ error }`). */
export function englishText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null) {
    const o = err as { message?: unknown; error?: unknown };
    if (typeof o.message === 'string') return o.message;
    if (typeof o.error === 'string') return o.error;
  }
  return String(err);
}

export function shownError(err: unknown): ShownError {
  if (err instanceof PageError) return { text: err.message, english: null };
  const coded = codedError(err);
  const say = coded && errorMessage(coded.code);
  if (coded && say) return { text: say(coded.params), english: null };
  const text = englishText(err);
  if (getLocale() === baseLocale) return { text, english: null };
  return { text: m.error_in_english(), english: text };
}

/** The same as one plain string (for places that hold text, e.g. a status line). */
export function errorString(err: unknown): string {
  const { text, english } = shownError(err);
  return english === null ? text : `${text} ${english}`;
}
