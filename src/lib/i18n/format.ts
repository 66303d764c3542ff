// Numbers and dates for the page's language (Intl). Digits and grouping follow the locale; the
// URL keeps its own locale-free format (lib/params.ts).
import { getLocale } from '../../paraglide/runtime.js';

export function formatInteger(n: number): string {
  return new Intl.NumberFormat(getLocale()).format(Math.round(n));
}

export function formatDecimal(n: number, digits: number): string {
  if (!Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(getLocale(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n);
}

export function formatPercent(fraction: number, digits = 0): string {
  if (!Number.isFinite(fraction)) return '—';
  return new Intl.NumberFormat(getLocale(), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(fraction);
}

export function formatDate(d: Date): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(
    d,
  );
}

/** A list joined the locale's way ("a, b and c" / "a、b和c"). */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(getLocale(), { style: 'long', type: 'conjunction' }).format(items);
}
