// Slides from the back of a room, measured: at 1920x1080 the text of the Plot charts (ticks, axis
// titles, legends, labels) is at least 20 px on screen.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage } from './browser.ts';
import { goHash } from './helpers.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function show(page: Page, slug: string, n: number): Promise<void> {
  await goHash(page, `#/${slug}?view=slides&slide=${n}`);
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid=slides]')?.getAttribute('data-slide') === s,
    String(n),
  );
  // every chart of the slide drawn (PlotView marks it), then a frame for the layout to settle
  await page.waitForFunction(() => {
    const plots = [...document.querySelectorAll('.slide.current .plot')];
    return plots.length > 0 && plots.every((p) => p.getAttribute('data-chart') !== 'waiting');
  });
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
  );
}

describe('slides chart text', () => {
  it('chart text is at least 20 px at 1920x1080', async () => {
    const { page, context, errors } = await openPage(
      browser,
      `${base}#/02-activations?view=slides`,
      {
        width: 1920,
        height: 1080,
      },
    );
    await page.getByTestId('slides').waitFor();
    const small: string[] = [];
    let measured = 0;
    // a chart slide of each chapter: 1 the vector, 2 the curves, 3 the spectrum, 4 the calculator
    for (const [slug, id] of [
      ['01-rmsnorm', 'vector'],
      ['02-activations', 'curves'],
      ['03-rope', 'spectrum'],
      ['04-attention', 'calculator'],
    ] as const) {
      await goHash(page, `#/${slug}?view=slides&slide=1`);
      await page.getByTestId('slide-count').waitFor();
      const n =
        (await page.evaluate(
          (i) => Number(document.getElementById(`block-${i}`)?.dataset.blockIndex),
          id,
        )) + 1;
      await show(page, slug, n);
      await page.locator('.slide.current .plot svg').first().waitFor();
      const sizes = await page.evaluate(() =>
        [...document.querySelectorAll<SVGTextElement>('.slide.current .plot svg text')]
          .filter((t) => (t.textContent ?? '').trim() !== '' && t.getBoundingClientRect().width > 0)
          .map((t) => {
            const svg = t.ownerSVGElement!;
            const onScreen = svg.getBoundingClientRect().width / svg.width.baseVal.value;
            return parseFloat(getComputedStyle(t).fontSize) * onScreen;
          }),
      );
      measured += sizes.length;
      const min = Math.min(...sizes);
      if (!(min >= 20)) small.push(`${slug}/${id}: smallest chart text ${min.toFixed(1)} px`);
    }
    expect(measured).toBeGreaterThan(20);
    expect(small).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
