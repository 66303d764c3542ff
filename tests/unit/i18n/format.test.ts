// formatInteger follows the page's locale (Paraglide's getLocale), never a hard-coded one.
import { afterEach, describe, expect, it } from 'vitest';
import { formatInteger } from '$lib/i18n/format.ts';
import { baseLocale, getLocale, overwriteGetLocale } from '$paraglide/runtime.js';

const original = getLocale;
afterEach(() => overwriteGetLocale(original));

describe('formatInteger', () => {
  it('groups digits in en and zh-TW alike, rounding to a whole number', () => {
    overwriteGetLocale(() => baseLocale);
    expect(formatInteger(1234567.4)).toBe('1,234,567');
    overwriteGetLocale(() => 'zh-TW');
    expect(formatInteger(1234567.6)).toBe('1,234,568');
  });

  it('asks the locale each call: a locale that groups otherwise changes the text', () => {
    overwriteGetLocale(() => 'de' as ReturnType<typeof getLocale>);
    expect(formatInteger(1234567)).toBe('1.234.567');
  });
});
