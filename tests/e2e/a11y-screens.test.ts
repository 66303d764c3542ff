// Accessibility scan (axe-core, no serious or critical violation) of home and chapter 1 in both
// themes, and screenshots of home and chapter in light, dark, phone width (390 px) and slides mode
// into tmp/screenshots (gitignored) for a person to look at.
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { openPage, seriousViolations } from './browser.ts';
import { goHash, loadFixtureModel, useBrowser, waitForLabSeqAbove } from './helpers.ts';
import { glossary } from '$lib/i18n/glossary.ts';

const base = inject('baseUrl');
const SHOTS = fileURLToPath(new URL('../../tmp/screenshots/', import.meta.url));
const browser = useBrowser({ shots: SHOTS });

const views = [
  { name: 'light', width: 1280, colorScheme: 'light' as const },
  { name: 'dark', width: 1280, colorScheme: 'dark' as const },
  { name: 'phone', width: 390, colorScheme: 'light' as const },
];

describe('accessibility and screenshots', () => {
  for (const v of views) {
    it(`home and chapter 1, ${v.name}: no serious axe violation, no console error`, async () => {
      const { page, context, errors } = await openPage(browser(), base, {
        width: v.width,
        height: v.width < 500 ? 844 : 900,
        colorScheme: v.colorScheme,
      });
      await loadFixtureModel(page);
      expect(await seriousViolations(page), 'home').toEqual([]);
      await page
        .locator('table')
        .first()
        .screenshot({ path: `${SHOTS}home-${v.name}-family.png` });
      await page.evaluate(() => window.scrollTo(0, 0)); // sticky header at the top of the image
      await page.screenshot({ path: `${SHOTS}home-${v.name}.png`, fullPage: true });

      await goHash(page, '#/01-rmsnorm');
      await page.getByTestId('lab').waitFor();
      await waitForLabSeqAbove(page, 0);
      await page.getByTestId('rms-before').waitFor();
      await page.locator('.plot svg').first().waitFor();
      expect(await seriousViolations(page), 'chapter').toEqual([]);
      await page.evaluate(() => window.scrollTo(0, 0)); // sticky header at the top of the image
      await page.screenshot({ path: `${SHOTS}chapter-${v.name}.png`, fullPage: true });
      // each block on its own too: a full chapter page is too tall to look at in one image
      for (const id of ['vector', 'geometry', 'cost', 'lab', 'curves', 'check']) {
        await page
          .locator(`#block-${id}`)
          .screenshot({ path: `${SHOTS}chapter-${v.name}-${id}.png` });
      }
      await page.screenshot({ path: `${SHOTS}chapter-${v.name}-top.png` });
      // no horizontal scrolling of the page itself at any width
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('slides mode: large type, no serious axe violation, screenshots of three slides', async () => {
    const { page, context, errors } = await openPage(browser(), base, { width: 1280, height: 720 });
    await loadFixtureModel(page);
    await goHash(page, '#/01-rmsnorm?view=slides&slide=2');
    await page.getByTestId('slides').waitFor();
    await page.locator('.slide.current .katex').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}slides-derivation.png` });
    const labSlide = await page.evaluate(
      () =>
        [...document.querySelectorAll('[data-block-index]')].findIndex((el) =>
          el.classList.contains('kind-lab'),
        ) + 1,
    );
    expect(labSlide).toBeGreaterThan(0);
    // A block may take several slides (slide-plan.ts): start at the block's index and step on
    // until the wanted part is on the current slide.
    const stepTo = async (selector: string) => {
      for (let i = 0; i < 40; i++) {
        if (await page.locator(`.slide.current ${selector}`).first().isVisible()) return;
        await page.keyboard.press('ArrowRight');
      }
      throw new Error(`no slide shows ${selector}`);
    };
    await goHash(page, `#/01-rmsnorm?view=slides&slide=${labSlide}`);
    await page.getByTestId('lab').first().waitFor();
    await stepTo('[data-testid=rms-before]');
    await page.screenshot({ path: `${SHOTS}slides-lab.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    const geoSlide = await page.evaluate(
      () =>
        [...document.querySelectorAll('[data-block-index]')].findIndex(
          (el) => el.id === 'block-geometry',
        ) + 1,
    );
    await goHash(page, `#/01-rmsnorm?view=slides&slide=${geoSlide}`);
    await page.getByTestId('slides').waitFor();
    await stepTo('.geo svg');
    await page.evaluate(
      () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))),
    );
    await page.screenshot({ path: `${SHOTS}slides-geometry-dark.png` });
    const fontSize = await page.evaluate(() =>
      parseFloat(getComputedStyle(document.documentElement).fontSize),
    );
    // styles.css: clamp(18px, min(2.1vw, 3.05vh), 34px), so a 1280x720 slide's type is 3.05vh = 22 px
    // (the height bound keeps every slide within one screen).
    expect(fontSize).toBeGreaterThanOrEqual(21.9);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('glossary page in English and zh-TW: linked from home and footer, no serious axe violation', async () => {
    const { page, context, errors } = await openPage(browser(), base, { width: 1280, height: 900 });
    const rows = page.locator('[data-testid=glossary] tbody tr');
    const rmsnorm = page.locator('[data-testid=glossary] tbody tr', { hasText: 'RMSNorm' }).first();
    // English: from the home page's link
    await page.getByRole('link', { name: /^Glossary: every term/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Glossary' }).waitFor();
    expect(await rows.count()).toBe(glossary.length);
    expect(await rmsnorm.locator('td').first().textContent()).toBe('均方根歸一化（RMSNorm）');
    expect(await rmsnorm.locator('td').nth(1).textContent()).toMatch(/root mean square/);
    expect(await seriousViolations(page), 'glossary en').toEqual([]);
    await page.screenshot({ path: `${SHOTS}glossary-en-light.png` });
    // the filter narrows the list
    await page.getByLabel('Find a term').fill('RoPE');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=glossary] tbody tr').length < n,
      glossary.length,
    );
    expect(await rows.count()).toBeGreaterThan(0);

    // zh-TW: a teacher's link, in dark; then from the footer of another page
    await goHash(page, '#/01-rmsnorm?lang=zh-TW');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page
      .getByRole('contentinfo')
      .getByRole('link', { name: /^術語表/ })
      .click();
    await page.getByRole('heading', { level: 1, name: '術語表' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-TW');
    expect(await rows.count()).toBe(glossary.length);
    expect(await rmsnorm.locator('td').nth(1).textContent()).toMatch(/均方根/);
    expect(await rmsnorm.locator('td').nth(1).getAttribute('lang')).toBe('zh-TW');
    expect(await rmsnorm.locator('th').getAttribute('lang')).toBe('en');
    expect(await seriousViolations(page), 'glossary zh-TW').toEqual([]);
    await page.screenshot({ path: `${SHOTS}glossary-zh-dark.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await seriousViolations(page), 'glossary zh-TW phone').toEqual([]);
    await page.screenshot({ path: `${SHOTS}glossary-zh-phone.png` });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
