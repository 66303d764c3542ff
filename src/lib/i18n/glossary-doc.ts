// docs/glossary.md, written from the glossary data (src/lib/i18n/glossary.ts) by
// `npm run glossary`; tests/unit/i18n/glossary.test.ts fails when the file differs from it.
import { glossary, type FirstUseExemption, type GlossaryTerm } from './glossary.ts';
import { firstUseExemptions } from './first-use.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|');

const REASONS: Record<FirstUseExemption, string> = {
  notebook: 'the notebook’s own words, not terms of the field (筆記本本身的用語)',
  everyday: 'common words where the English adds nothing (常用詞，附英文無助理解)',
  generic: 'common words the chapters also use in other senses (章節中也以其他意思使用的常用詞)',
  english: 'written in English; the Chinese is a gloss (以英文書寫，中文只是說明)',
};

function exemptionLines(terms: readonly GlossaryTerm[]): string[] {
  const by = new Map<FirstUseExemption, string[]>();
  for (const t of terms) {
    for (const e of firstUseExemptions(t)) {
      if (!by.has(e.reason)) by.set(e.reason, []);
      by.get(e.reason)!.push(`${e.zh} (${e.en})`);
    }
  }
  return (Object.keys(REASONS) as FirstUseExemption[])
    .filter((r) => by.has(r))
    .map((r) => `- ${r}: ${REASONS[r]}: ${by.get(r)!.join(', ')}`);
}

export function glossaryMarkdown(terms: readonly GlossaryTerm[] = glossary): string {
  const rows = terms.map(
    (t) =>
      `| ${cell(t.en)} | ${cell(t.zh)} | ${cell(t.meaning.en)} | ${cell(t.meaning['zh-TW'])} |`,
  );
  return [
    '# Glossary (English | 繁體中文)',
    '',
    '<!-- Generated from src/lib/i18n/glossary.ts by `npm run glossary`: edit that file, not this one. -->',
    '',
    'The terms of the Traditional Chinese (zh-TW) edition, with one line of meaning in each',
    'language. The notebook shows the same list at `#/glossary`.',
    '',
    '本筆記本繁體中文版所用的術語，每個附一行中英文說明。筆記本中的 `#/glossary` 頁面顯示同一份清單。',
    '',
    '## First use on a page (首次出現時附上英文)',
    '',
    'On each page (a chapter or the home page; not this glossary), the first time the reading text',
    'uses a technical term, the English stands beside it in parentheses: 均方根歸一化（RMSNorm）,',
    '分組查詢注意力（grouped-query attention, GQA）, or before it: PagedAttention（分頁注意力）.',
    'Later uses need none (a later block may repeat it: each block is also a slide). Reading text',
    'is the prose, derivation steps, captions, lab intros, quizzes, reference notes and symbols',
    'list, in page order; headings (chapter and block titles, the summary) do not count, so the',
    'English goes to the first use under them. Navigation, controls, figure labels and speaker',
    'notes are not reading text.',
    '',
    '每一頁（各章與首頁；本術語表除外）的閱讀文字中，技術術語第一次出現時，在旁邊以括號附上英文：',
    '均方根歸一化（RMSNorm）、分組查詢注意力（grouped-query attention, GQA），或把英文寫在前面：',
    'PagedAttention（分頁注意力）。之後再出現時不必再附英文。標題（章名、區塊標題、摘要）不算，',
    '英文放在標題下方內文的第一次出現處。',
    '',
    'Words the rule leaves out, with the reason (不適用此規則的詞與理由):',
    '',
    ...exemptionLines(terms),
    '',
    'Terms written in English in both languages (Transformer, softmax, SwiGLU, float32) need nothing.',
    '`tests/unit/i18n/first-use.test.ts` checks every page.',
    '',
    '## Terms (術語)',
    '',
    '| English | 繁體中文 | Meaning | 意義 |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
