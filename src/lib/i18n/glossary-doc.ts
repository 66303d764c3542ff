// docs/glossary.md, written from the glossary data (src/lib/i18n/glossary.ts) by
// `npm run glossary`; tests/unit/i18n/glossary.test.ts fails when the file differs from it.
import { glossary, type GlossaryTerm } from './glossary.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|');

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
    'language. The notebook shows the same list at `#/glossary`. The first use of a term on a page',
    'shows the English beside it, for example 均方根歸一化（RMSNorm）.',
    '',
    '本筆記本繁體中文版所用的術語，每個附一行中英文說明。筆記本中的 `#/glossary` 頁面顯示同一份清單。',
    '',
    '| English | 繁體中文 | Meaning | 意義 |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
