// The layout holds for Chinese (issue 18: "no overflowing labels in figures, slides or on a 390 px
// phone") and for print. Every page (home, the chapters, the glossary) at 390 px, in zh-TW and in
// English: nothing wider than the screen outside a box that scrolls, and no Chinese standing one
// character a line (a table header in a narrow column did: word-break: keep-all on headers). Then
// every page laid out for print (A4's printable width) in zh-TW: no English left, nothing cut at the
// page's edge or by a box that would scroll on screen (wide formulas shrink, tables wrap).
import { describe, expect, inject, it } from 'vitest';
import { openPage } from './browser.ts';
import { goHash, useBrowser } from './helpers.ts';
import { cutOnPaper, englishLeft, PAGES, phoneProblems, settle } from './zh-tw-checks.ts';

const base = inject('baseUrl');
const browser = useBrowser();

/** A4 (210 mm) less Chromium's default print margins, in CSS pixels. */
const PRINT_WIDTH = 718;

describe('the layout in zh-TW (and English) on a phone and on paper', () => {
  for (const lang of ['zh-TW', 'en']) {
    it(`${lang} at 390 px: every page fits the screen, no Chinese one character a line`, async () => {
      const { page, context, errors } = await openPage(browser(), `${base}#/?lang=${lang}`, {
        width: 390,
        height: 844,
      });
      for (const p of PAGES) {
        await goHash(page, `${p.hash}?lang=${lang}`);
        await settle(page);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        expect.soft(await phoneProblems(page), `${p.name} at 390 px`).toEqual([]);
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('zh-TW in print: no English, nothing cut', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/?lang=zh-TW`, {
      width: PRINT_WIDTH,
      height: 1000,
    });
    await page.emulateMedia({ media: 'print' });
    for (const p of PAGES) {
      await goHash(page, `${p.hash}?lang=zh-TW`);
      await settle(page);
      expect.soft(await englishLeft(page), `${p.name}: English in print`).toEqual([]);
      expect.soft(await cutOnPaper(page), `${p.name}: cut in print`).toEqual([]);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
