// Numbers for the page's language (Intl): digits and grouping follow the locale, so a new locale needs no
// component edit. The URL keeps its own locale-free format (lib/params.ts).
import { getLocale } from '../../paraglide/runtime.js';

export function formatInteger(n: number): string {
  return new Intl.NumberFormat(getLocale()).format(Math.round(n));
}
