// The first-use rule of the zh-TW edition (I18N.md section 4; the rule's scope is written out in
// glossary.ts's header): on each page, the first time the reading text uses a covered glossary
// term's Chinese word, the English term stands right beside it in parentheses, 「均方根歸一化
// （RMSNorm）」, or just before it, 「logits（對數機率）」. Headings do not count (the English goes
// to the first use in the text under them) unless the page uses the term only in headings.
// tests/unit/i18n/first-use.test.ts runs this on every chapter page and the home page.
import type { FirstUseExemption, GlossaryTerm } from './glossary.ts';
import { hasChinese } from './untranslated.ts';

/** One Chinese word the rule looks for, and the English that may stand beside its first use. */
export interface FirstUseWord {
  /** The glossary entry (its `en`), for messages. */
  term: string;
  /** The Chinese forms of the word (any of them is a use). */
  zh: readonly string[];
  /** English forms accepted beside it (case-insensitive; the parenthesis may hold more). */
  en: readonly string[];
  /** Other words that hold it and are not uses of it (關鍵 'crucial' for 鍵 'key'). */
  not?: readonly string[];
}

/** A piece of a page's text in reading order: a heading, or reading text. */
export interface Segment {
  text: string;
  heading?: boolean;
  /** Where it comes from (block id and field), for messages. */
  where: string;
}

export interface Miss {
  term: string;
  word: string;
  where: string;
  /** The text around the first use. */
  context: string;
}

/** Split at the ' / ' that separate terms, not at one inside a parenthesis (「偏好對（選中 / 拒絕）」). */
function slashParts(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '（' || ch === '(') depth++;
    if (ch === '）' || ch === ')') depth--;
    if (ch === '/' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}
const parenthesis = (s: string) => /[（(]([^）)]*)[）)]/.exec(s)?.[1]?.trim();
const withoutParenthesis = (s: string) => s.replace(/\s*[（(][^）)]*[）)]/g, '').trim();

/**
 * The words of a glossary entry the rule covers: none for an exempt entry (`firstUse.exempt`),
 * the covered ones of `firstUse.words` when the entry lists them, otherwise one word per
 * '/'-separated part of `zh` that holds Chinese (paired with the same part of `en` when both
 * have as many parts). The English accepted beside it: that part of `en` without its
 * parenthesis, the abbreviation in its parenthesis, Latin text in the zh-TW parenthesis and the
 * entry's `find.en` words. A part written as English with the Chinese in parentheses
 * (「PagedAttention（分頁注意力）」) is the Chinese word with that English.
 */
export function firstUseWords(t: GlossaryTerm): FirstUseWord[] {
  const rule = t.firstUse;
  if (rule && 'exempt' in rule) return [];
  const found = t.find?.en ?? [];
  if (rule) {
    return rule.words.flatMap((w) =>
      'exempt' in w ? [] : [{ term: t.en, zh: w.zh, en: [...w.en, ...found], not: w.not }],
    );
  }
  const zhParts = slashParts(t.zh);
  const enParts = slashParts(t.en);
  const paired = zhParts.length === enParts.length;
  const out: FirstUseWord[] = [];
  zhParts.forEach((zp, i) => {
    const ep = paired ? enParts[i]! : t.en;
    const inner = parenthesis(zp);
    const outer = withoutParenthesis(zp);
    const en = new Set<string>([withoutParenthesis(ep), ...found]);
    const abbr = parenthesis(ep);
    if (abbr) en.add(abbr);
    let zh: string;
    if (hasChinese(outer)) {
      zh = outer;
      if (inner && !hasChinese(inner)) en.add(inner);
    } else if (inner && hasChinese(inner)) {
      zh = inner;
      en.add(outer);
    } else return;
    out.push({ term: t.en, zh: [zh], en: [...en].filter((e) => e !== '') });
  });
  return out;
}

/** The words a glossary entry leaves out of the rule, each with its English and the reason. */
export function firstUseExemptions(
  t: GlossaryTerm,
): { zh: string; en: string; reason: FirstUseExemption }[] {
  const rule = t.firstUse;
  if (!rule) return [];
  if ('exempt' in rule) return [{ zh: t.zh, en: t.en, reason: rule.exempt }];
  const zhParts = slashParts(t.zh).map(withoutParenthesis);
  const enParts = slashParts(t.en);
  return rule.words.flatMap((w) =>
    'exempt' in w
      ? w.zh.map((zh) => {
          const i = zhParts.indexOf(zh);
          const en = i >= 0 && enParts.length === zhParts.length ? enParts[i]! : t.en;
          return { zh, en, reason: w.exempt };
        })
      : [],
  );
}

/** Positions of `word` in `text` that are not inside a longer covered word (多頭注意力 for 注意力). */
function uses(text: string, word: string, longer: readonly string[]): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const inside = longer.some((w) => {
      for (let k = w.indexOf(word); k >= 0; k = w.indexOf(word, k + 1)) {
        if (text.startsWith(w, i - k)) return true;
      }
      return false;
    });
    if (!inside) at.push(i);
  }
  return at;
}

const SENTENCE_END = /[。！？；\n]/;

const lower = (s: string) => s.toLowerCase();

/**
 * Whether the English stands beside the use at [i, j) of `text`: right after it in parentheses
 * 「均方根歸一化（RMSNorm）」, or right before it 「PagedAttention（分頁注意力）」, or in the same
 * parenthesis after or before a comma 「（前置歸一化，pre-norm）」「（PagedAttention，分頁注意力）」.
 */
export function englishBeside(text: string, i: number, j: number, en: readonly string[]): boolean {
  const forms = en.map(lower);
  const rest = text.slice(j);
  const after = /^[」』”]?[ \u00a0]?[（(]([^（）()]*)[）)]/.exec(rest);
  if (after && !SENTENCE_END.test(after[1]!) && forms.some((e) => lower(after[1]!).includes(e)))
    return true;
  const before = text.slice(Math.max(0, i - 80), i);
  // Inside a parenthesis: 「（前置歸一化，pre-norm）」 or 「（PagedAttention，分頁注意力）」.
  const open =
    before.lastIndexOf('（') > before.lastIndexOf('）') ||
    before.lastIndexOf('(') > before.lastIndexOf(')');
  const comma = /^[ ]?[，,、][ ]?/.exec(rest);
  if (open && comma && forms.some((e) => lower(rest.slice(comma[0].length)).startsWith(e)))
    return true;
  const lead = /(?:[（(]|[，,、][ ]?)$/.exec(before);
  if (lead && (lead[0].startsWith('（') || lead[0].startsWith('(') || open)) {
    const head = lower(before.slice(0, -lead[0].length).trimEnd());
    return forms.some((e) => head.endsWith(e));
  }
  return false;
}

/**
 * The covered words whose first use on a page (reading text first; headings only when the
 * reading text never uses the word) has no English beside it.
 */
export function firstUseMisses(
  segments: readonly Segment[],
  words: readonly FirstUseWord[],
): Miss[] {
  const all = words.flatMap((w) => w.zh);
  const misses: Miss[] = [];
  for (const w of words) {
    const first = (heading: boolean) => {
      for (const s of segments) {
        if (Boolean(s.heading) !== heading) continue;
        let best: { i: number; z: string } | null = null;
        for (const z of w.zh) {
          const longer = [...all, ...(w.not ?? [])].filter((o) => o !== z && o.includes(z));
          const i = uses(s.text, z, longer)[0];
          if (i !== undefined && (!best || i < best.i)) best = { i, z };
        }
        if (best) return { s, ...best };
      }
      return null;
    };
    const hit = first(false) ?? first(true);
    if (!hit) continue;
    const { s, i, z } = hit;
    if (englishBeside(s.text, i, i + z.length, w.en)) continue;
    misses.push({
      term: w.term,
      word: z,
      where: s.where,
      context: s.text.slice(Math.max(0, i - 12), i + z.length + 16).replace(/\s+/g, ' '),
    });
  }
  return misses;
}
