// Choosing the page's language: the link, then the saved choice, then the browser, then English;
// and the link's `lang` written without touching the rest of the link.
import { describe, expect, it } from 'vitest';
import {
  hashWithLang,
  langFromHash,
  matchLanguage,
  resolveLocale,
} from '$lib/i18n/locale.svelte.ts';

describe('locale', () => {
  it('maps browser languages to ours', () => {
    expect(matchLanguage('zh-TW')).toBe('zh-TW');
    expect(matchLanguage('zh-Hant-TW')).toBe('zh-TW');
    expect(matchLanguage('zh-HK')).toBe('zh-TW');
    expect(matchLanguage('en-GB')).toBe('en');
    expect(matchLanguage('fr-FR')).toBeUndefined();
    expect(matchLanguage('')).toBeUndefined();
  });

  it('the link wins, then storage, then the browser, then English', () => {
    const none = { hash: '#/01-rmsnorm', stored: null, languages: [] as string[] };
    expect(resolveLocale(none)).toBe('en');
    expect(resolveLocale({ ...none, languages: ['fr', 'zh-TW'] })).toBe('zh-TW');
    expect(resolveLocale({ ...none, stored: 'en', languages: ['zh-TW'] })).toBe('en');
    expect(resolveLocale({ ...none, hash: '#/01-rmsnorm?eps=0.1&lang=zh-TW', stored: 'en' })).toBe(
      'zh-TW',
    );
    // A hostile or unknown value is ignored, not trusted.
    expect(resolveLocale({ ...none, hash: '#/?lang=<script>', stored: 'xx' })).toBe('en');
  });

  it('reads and writes lang in the hash, leaving the rest as it was', () => {
    expect(langFromHash('#/03-rope?base=500000&lang=zh-TW')).toBe('zh-TW');
    expect(langFromHash('#/03-rope?lang=de')).toBeUndefined();
    expect(hashWithLang('#/03-rope?prompt=a%20b&base=5e5', 'zh-TW')).toBe(
      '#/03-rope?prompt=a%20b&base=5e5&lang=zh-TW',
    );
    expect(hashWithLang('#/03-rope?lang=zh-TW&base=5e5', 'en')).toBe('#/03-rope?base=5e5');
    expect(hashWithLang('', 'zh-TW')).toBe('#/?lang=zh-TW');
    expect(hashWithLang('#/?lang=zh-TW', 'en')).toBe('#/');
  });
});
