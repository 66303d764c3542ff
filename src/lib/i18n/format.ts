// Numbers for the page's language (Intl): digits and grouping follow the locale, so a new locale needs no
// component edit. The URL keeps its own locale-free format (lib/params.ts).
import { m } from '../../paraglide/messages.js';
import { getLocale } from '../../paraglide/runtime.js';
import { formatNumber } from '../params.ts';

/** Western (ASCII) digits in every locale: zh-TW writes numbers with them too. */
const LATN = { numberingSystem: 'latn' } as const;

export function formatInteger(n: number): string {
  return new Intl.NumberFormat(getLocale(), LATN).format(Math.round(n));
}

/**
 * A number for the page's language (Intl: the locale's grouping and decimal sign, ASCII digits),
 * with Intl's options (`{ maximumSignificantDigits: 3 }`); by default up to 3 decimals, as
 * toLocaleString writes them.
 */
export function formatDecimal(v: number, opts: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(getLocale(), { ...LATN, ...opts }).format(v);
}

/** A value shown to the reader: `show(v)` when finite, else “not a number” in the page's language. */
export function finiteOr(v: number, show: (v: number) => string): string {
  return Number.isFinite(v) ? show(v) : m.not_a_number();
}

/** `v` to `digits` significant digits, written as notices write numbers (1e-5, 0.8, 42), or “not a number”. */
export function formatSignificant(v: number, digits = 3): string {
  return finiteOr(v, (x) => formatNumber(Number(x.toPrecision(digits))));
}
