// Typed URL parameters: every control of a page is described once here (key, kind, range), so
// the same description drives the control, the URL parser and the URL writer. Parsing is pure and
// total: any string (hostile or not) yields valid values plus human-readable notices; nothing from
// the URL is ever evaluated or rendered as HTML (notices are shown with text interpolation only).

import type { ModelBound } from '../engine/knob-table.ts';
import { paramLabel } from './i18n/param-label.ts';
import { m } from '../paraglide/messages.js';

/**
 * What every control spec has: its URL key, its English label (the base locale's text, also used
 * by tests), and optionally `message`, the label's Paraglide message for the page's language
 * (a chapter's `m.chNN_param_<key>`; called at render time by `paramLabel`, i18n/param-label.ts).
 */
interface SpecBase {
  key: string;
  label: string;
  message?: () => string;
}

export type ParamSpec =
  | (SpecBase & {
      kind: 'enum';
      /** The values, as the URL carries them. */
      options: readonly string[];
      /** What a select shows for an option, in the page's language (default: the value itself). */
      optionLabels?: Readonly<Record<string, () => string>>;
    })
  | (SpecBase & {
      kind: 'number';
      min: number;
      max: number;
      /** 'log' controls move in log10 space (eps from 1e-12 to 1). */
      scale?: 'linear' | 'log';
      /** Slider step (log10 units on a log scale); default 0.1 (log) or (max - min) / 100. */
      step?: number;
    })
  | (SpecBase & {
      kind: 'int';
      min: number;
      max: number;
      /** The loaded model's shape caps it (a layer index: nLayers - 1); see model-fit.ts. */
      bound?: ModelBound;
    })
  | (SpecBase & { kind: 'bool' })
  | (SpecBase & { kind: 'text'; maxLength: number })
  /** A decimal unsigned 64-bit integer (xorshift64* seed), kept as a string of digits. */
  | (SpecBase & { kind: 'seed' });

export type ParamValue = string | number | boolean;
export type ParamValues = Record<string, ParamValue>;

export interface ParseResult {
  values: ParamValues;
  notices: string[];
}

const MAX_QUERY_LENGTH = 8192;
const MAX_SHOWN = 40;
const U64_MAX = (1n << 64n) - 1n;
// A plain decimal number: no hex, no Infinity/NaN, no whitespace, bounded exponent digits.
const DECIMAL = /^[+-]?(?:\d{1,30}(?:\.\d{0,30})?|\.\d{1,30})(?:[eE][+-]?\d{1,4})?$/;
const INTEGER = /^[+-]?\d{1,30}$/;
// C0 controls except tab and newline, DEL, C1 controls, and bidi overrides: stripped from text.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Quote a value for a notice: truncated, control characters shown as '?'. */
export function shown(value: string): string {
  const clean = value.replace(UNSAFE_CHARS, '?').replace(/\s+/g, ' ');
  return clean.length > MAX_SHOWN ? `“${clean.slice(0, MAX_SHOWN)}…”` : `“${clean}”`;
}

/** Format a number compactly for notices and the URL (1e-5, 0.8, 42). */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) {
    const [m, e] = x.toExponential(3).split('e');
    return `${String(Number(m))}e${Number(e)}`;
  }
  return String(Number(x.toPrecision(6)));
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * A number for reading: fixed digits in the usual range, and a power of ten written out when it is
 * far outside it (a random model's perplexity: 2.9 × 10¹⁵, not 2900000000000000.00).
 */
export function readableNumber(x: number, digits = 2): string {
  if (Number.isNaN(x)) return 'not a number';
  if (!Number.isFinite(x)) return x > 0 ? 'infinite' : '−infinite';
  const a = Math.abs(x);
  if (a === 0 || (a >= 1e-3 && a < 1e6)) return x.toFixed(digits);
  const [m, e] = x.toExponential(Math.max(1, digits - 1)).split('e');
  const exp = Number(e);
  const sup = String(Math.abs(exp))
    .split('')
    .map((d) => SUPERSCRIPT[Number(d)])
    .join('');
  return `${String(Number(m)).replace('-', '−')} × 10${exp < 0 ? '⁻' : ''}${sup}`;
}

function decodeComponent(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** Parse one raw value against its spec: a value, or a notice explaining why it was clamped or ignored. */
export function parseValue(spec: ParamSpec, raw: string): { value?: ParamValue; notice?: string } {
  const name = `${paramLabel(spec)} (${spec.key})`;
  switch (spec.kind) {
    case 'enum': {
      if (spec.options.includes(raw)) return { value: raw };
      return {
        notice: m.notice_ignored_enum({
          name,
          value: shown(raw),
          options: spec.options.join(', '),
        }),
      };
    }
    case 'bool': {
      if (raw === '1' || raw === 'true' || raw === 'on') return { value: true };
      if (raw === '0' || raw === 'false' || raw === 'off') return { value: false };
      return { notice: m.notice_ignored_bool({ name, value: shown(raw) }) };
    }
    case 'number':
    case 'int': {
      const pattern = spec.kind === 'int' ? INTEGER : DECIMAL;
      if (!pattern.test(raw)) {
        return {
          notice:
            spec.kind === 'int'
              ? m.notice_ignored_not_int({ name, value: shown(raw) })
              : m.notice_ignored_not_number({ name, value: shown(raw) }),
        };
      }
      let x = Number(raw);
      if (!Number.isFinite(x)) {
        x = x > 0 ? spec.max : spec.min;
      }
      if (spec.kind === 'number' && spec.scale === 'log' && x <= 0) {
        return {
          value: spec.min,
          notice: m.notice_not_positive({ name, value: shown(raw), min: formatNumber(spec.min) }),
        };
      }
      if (x < spec.min || x > spec.max) {
        const c = Math.min(spec.max, Math.max(spec.min, x));
        return {
          value: c,
          notice: m.notice_clamped({
            name,
            value: shown(raw),
            min: formatNumber(spec.min),
            max: formatNumber(spec.max),
            used: formatNumber(c),
          }),
        };
      }
      // -0 and 0 are the same setting.
      return { value: x === 0 ? 0 : x };
    }
    case 'seed': {
      if (!/^\d{1,40}$/.test(raw)) {
        return { notice: m.notice_ignored_seed({ name, value: shown(raw) }) };
      }
      let n = BigInt(raw);
      let notice: string | undefined;
      if (n === 0n) {
        n = 1n;
        notice = m.notice_seed_zero({ name });
      } else if (n > U64_MAX) {
        n = U64_MAX;
        notice = m.notice_seed_too_large({ name, value: shown(raw) });
      }
      return notice ? { value: n.toString(), notice } : { value: n.toString() };
    }
    case 'text': {
      const clean = raw.replace(UNSAFE_CHARS, '');
      const removed = clean.length !== raw.length;
      const chars = Array.from(clean);
      let value = clean;
      const cut = chars.length > spec.maxLength;
      if (cut) value = chars.slice(0, spec.maxLength).join('');
      const max = spec.maxLength;
      if (removed && cut) return { value, notice: m.notice_text_cleaned_cut({ name, max }) };
      if (removed) return { value, notice: m.notice_text_cleaned({ name }) };
      if (cut) return { value, notice: m.notice_text_cut({ name, max }) };
      return { value };
    }
  }
}

/**
 * Parse a query string (`a=1&b=2`, no leading '?') against the specs. Unknown keys, repeated keys,
 * malformed escapes and out-of-range values produce notices; the result only holds valid values.
 */
export function parseParams(query: string, specs: readonly ParamSpec[]): ParseResult {
  const values: ParamValues = Object.create(null) as ParamValues;
  const notices: string[] = [];
  if (query.length > MAX_QUERY_LENGTH) {
    notices.push(m.notice_link_too_long({ length: query.length }));
    return { values, notices };
  }
  const byKey = new Map(specs.map((s) => [s.key, s] as const));
  const seen = new Set<string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const key = decodeComponent(rawKey);
    const raw = decodeComponent(eq < 0 ? '' : part.slice(eq + 1));
    if (key === null || raw === null) {
      notices.push(m.notice_malformed_part({ part: shown(part) }));
      continue;
    }
    const spec = byKey.get(key);
    if (!spec) {
      notices.push(m.notice_unknown_setting({ key: shown(key) }));
      continue;
    }
    if (seen.has(key)) {
      notices.push(m.notice_repeated_setting({ key: shown(key) }));
      continue;
    }
    seen.add(key);
    const r = parseValue(spec, raw);
    if (r.notice) notices.push(r.notice);
    if (r.value !== undefined) values[key] = r.value;
  }
  return { values, notices };
}

/** Write values back as a query string, in spec order, skipping values equal to the defaults. */
export function serializeParams(
  values: Readonly<ParamValues>,
  specs: readonly ParamSpec[],
  defaults: Readonly<ParamValues> = {},
): string {
  const parts: string[] = [];
  for (const spec of specs) {
    const v = values[spec.key];
    if (v === undefined || v === defaults[spec.key]) continue;
    let text: string;
    if (typeof v === 'boolean') text = v ? 'on' : 'off';
    else if (typeof v === 'number')
      text = spec.kind === 'int' ? String(Math.round(v)) : formatNumber(v);
    else text = v;
    parts.push(`${encodeURIComponent(spec.key)}=${encodeURIComponent(text)}`);
  }
  return parts.join('&');
}
