// Full-width punctuation in Chinese sentences (I18N.md §4): no half-width , : ; ! ? right after a
// Chinese character in any zh-TW text — interface messages, chapter overlays, prose components.
// (Marks put in by a component's markup around a message are checked on the rendered pages by
// the zh-TW walk, tests/e2e/zh-tw-checks.ts.)
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { halfWidthAfterChinese } from '$lib/i18n/untranslated.ts';

const chapters = readdirSync('chapters').filter((d) => /^\d\d-/.test(d));
const files = [
  'messages/zh-TW.json',
  ...chapters.flatMap((c) => [
    `chapters/${c}/messages/zh-TW.json`,
    `chapters/${c}/text/zh-TW.ts`,
    ...readdirSync(`chapters/${c}/prose/zh-TW`).map((f) => `chapters/${c}/prose/zh-TW/${f}`),
  ]),
];

describe('half-width punctuation after Chinese', () => {
  it('is found where it is wrong and passes where it is not', () => {
    expect(halfWidthAfterChinese('（m = 0 時: ⟨q, k⟩ = 1）')).toContain('時:');
    expect(halfWidthAfterChinese('模型,詞元')).toContain('型,');
    expect(halfWidthAfterChinese('（m = 0 時：⟨q, k⟩ = 1）')).toBeNull();
    expect(halfWidthAfterChinese('tok512.bin: 分詞器')).toBeNull();
    expect(halfWidthAfterChinese('請只輸入一個運算式（不要用 ; 或換行）。')).toBeNull();
  });

  it(`is in none of the ${files.length} zh-TW text files`, () => {
    const found: string[] = [];
    for (const f of files) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const bad = halfWidthAfterChinese(line);
          if (bad) found.push(`${f}:${i + 1}: ${bad}`);
        });
    }
    expect(found).toEqual([]);
  });
});
