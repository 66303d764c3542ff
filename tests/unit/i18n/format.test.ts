// Numbers in the page's locale (Paraglide's getLocale), never a hard-coded one; non-finite values in words.
import { afterEach, describe, expect, it } from 'vitest';
import { finiteOr, formatDecimal, formatInteger, formatSignificant } from '$lib/i18n/format.ts';
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

describe('finiteOr / formatSignificant', () => {
  it('a finite value is shown, NaN and infinities read “not a number” in the page’s language', () => {
    overwriteGetLocale(() => baseLocale);
    expect(formatSignificant(0.123456)).toBe('0.123');
    expect(formatSignificant(2.5e-7, 2)).toBe('2.5e-7');
    expect(finiteOr(1.5, (v) => v.toFixed(2))).toBe('1.50');
    for (const v of [NaN, Infinity, -Infinity]) expect(formatSignificant(v)).toBe('not a number');
    overwriteGetLocale(() => 'zh-TW');
    expect(finiteOr(NaN, String)).toBe('不是數字');
  });
});

describe('formatDecimal', () => {
  it('en and zh-TW: grouping by thousands, a decimal point, ASCII digits; Intl options kept', () => {
    for (const l of [baseLocale, 'zh-TW'] as const) {
      overwriteGetLocale(() => l);
      expect(formatDecimal(131072)).toBe('131,072');
      expect(formatDecimal(1234.56789)).toBe('1,234.568');
      expect(formatDecimal(500000, { maximumSignificantDigits: 6 })).toBe('500,000');
      expect(formatDecimal(0.0123456, { maximumSignificantDigits: 3 })).toBe('0.0123');
      expect(formatDecimal(12.5)).toMatch(/^[0-9.,]+$/);
    }
  });

  it('follows the locale each call, and keeps ASCII digits where the locale has its own', () => {
    overwriteGetLocale(() => 'de' as ReturnType<typeof getLocale>);
    expect(formatDecimal(1234.5)).toBe('1.234,5');
    overwriteGetLocale(() => 'ar-EG' as ReturnType<typeof getLocale>);
    // Arabic (Egypt) writes ١٬٢٣٤ by default: the page keeps 0-9 (latn) in every locale
    expect(formatDecimal(1234)).toMatch(/^1.?234$/);
    expect(formatInteger(1234)).toMatch(/^1.?234$/);
  });
});
