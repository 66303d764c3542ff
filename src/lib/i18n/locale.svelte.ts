// The page's language. Chosen, in order, by the link (`lang=zh-TW` in the hash query, so a
// teacher's link opens in the class's language), the reader's last choice (localStorage), the
// browser's languages, and English. Paraglide's message functions read it through
// overwriteGetLocale, so every `m.key()` in a template re-renders when it changes; the shell
// remounts the page below the header on a switch (chapter text overlays load per locale).
import {
  baseLocale,
  isLocale,
  locales,
  overwriteGetLocale,
  type Locale,
} from '../../paraglide/runtime.js';
import { flushUrl } from '../url-write.ts';

export type { Locale };
export { locales, baseLocale };

export const LANG_PARAM = 'lang';
const STORAGE_KEY = 'llama-lab:lang';

/** Native names for the switch (each in its own language). */
export const localeNames: Record<Locale, string> = { en: 'English', 'zh-TW': '繁體中文' };

/** A browser language tag to one of ours: zh-TW/zh-Hant/zh-HK/zh → zh-TW, en-* → en. */
export function matchLanguage(tag: string): Locale | undefined {
  const t = tag.trim().toLowerCase();
  if (!t) return undefined;
  for (const l of locales) if (l.toLowerCase() === t) return l;
  const primary = t.split('-')[0];
  if (primary === 'zh') return 'zh-TW';
  for (const l of locales) if (l.toLowerCase().split('-')[0] === primary) return l;
  return undefined;
}

function decodeURIComponentSafe(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** The `lang` value in a hash like `#/03-rope?lang=zh-TW&…`, if it names one of our locales. */
export function langFromHash(hash: string): Locale | undefined {
  const q = hash.indexOf('?');
  if (q < 0) return undefined;
  const part = hash
    .slice(q + 1)
    .split('&')
    .find((p) => p.startsWith(`${LANG_PARAM}=`));
  const v = part === undefined ? null : decodeURIComponentSafe(part.slice(LANG_PARAM.length + 1));
  return v !== null && isLocale(v) ? v : undefined;
}

/** The hash with `lang` set to the locale (left out for the base locale); the rest untouched. */
export function hashWithLang(hash: string, locale: Locale): string {
  const body = hash.replace(/^#/, '');
  const q = body.indexOf('?');
  const path = q < 0 ? body : body.slice(0, q);
  const parts = (q < 0 ? '' : body.slice(q + 1))
    .split('&')
    .filter((p) => p !== '' && !p.startsWith(`${LANG_PARAM}=`));
  if (locale !== baseLocale) parts.push(`${LANG_PARAM}=${locale}`);
  return `#${path || '/'}${parts.length ? `?${parts.join('&')}` : ''}`;
}

export interface LocaleSources {
  hash: string;
  stored: string | null;
  languages: readonly string[];
}

/** Link first, then the saved choice, then the browser, then English. */
export function resolveLocale(src: LocaleSources): Locale {
  const fromLink = langFromHash(src.hash);
  if (fromLink) return fromLink;
  if (src.stored !== null && isLocale(src.stored)) return src.stored;
  for (const tag of src.languages) {
    const l = matchLanguage(tag);
    if (l) return l;
  }
  return baseLocale;
}

function readStored(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

class LocaleState {
  current = $state<Locale>(baseLocale);
  /** The element id of the section in view when the language was switched (the page returns to it). */
  place: string | null = null;

  /** Read the link, storage and browser (call once at start-up, in the browser). */
  init(): void {
    this.current = resolveLocale({
      hash: globalThis.location?.hash ?? '',
      stored: readStored(),
      languages: globalThis.navigator?.languages ?? [],
    });
    this.applyDocument();
    this.syncLink();
  }

  /**
   * Keep the link's `lang` equal to the page's language (a link without one, e.g. a chapter link
   * in the header, gets it added; a link with another one switches the page). Returns whether
   * the language changed.
   */
  syncLink(): boolean {
    if (!globalThis.location || !globalThis.history) return false;
    const inLink = langFromHash(location.hash);
    if (inLink && inLink !== this.current) {
      this.current = inLink;
      this.applyDocument();
      return true;
    }
    const hadLang = inLink !== undefined;
    if (hadLang !== (this.current !== baseLocale)) {
      const want = hashWithLang(location.hash, this.current);
      history.replaceState(history.state, '', want);
    }
    return false;
  }

  /** Switch: remember it, carry it in the link, and retag the document. */
  set(next: Locale): void {
    this.current = next;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode or storage disabled: the link still carries the language.
    }
    if (globalThis.location && globalThis.history) {
      flushUrl(); // the address must hold the latest settings before it is rewritten
      history.replaceState(history.state, '', hashWithLang(location.hash, next));
      // replaceState fires no hashchange: tell the shell, which re-reads the route.
      globalThis.dispatchEvent(new HashChangeEvent('hashchange'));
    }
    this.applyDocument();
  }

  applyDocument(): void {
    if (globalThis.document) document.documentElement.lang = this.current;
  }
}

export const locale = new LocaleState();
overwriteGetLocale(() => locale.current);
