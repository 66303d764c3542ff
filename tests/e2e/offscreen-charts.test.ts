// Charts off screen are not redrawn while the reader works elsewhere (PlotView with
// src/lib/offscreen-charts.ts): a setting of the vector figure far above the lab, changed while
// it is off screen (an edited address), leaves its drawing as it was (data-chart="stale") until
// it comes near the view, is printed or exported. Scrolling alone never redraws a chart. The
// lab's eps also feeds that figure and the 2-D picture: off screen they keep the eps they show
// (OffScreenHold) and catch up the same way.
import { describe, expect, inject, it } from 'vitest';
import { openPage } from './browser.ts';
import { goHash, labSeq, useBrowser, waitForLabSeqAbove } from './helpers.ts';

const base = inject('baseUrl');
const browser = useBrowser();

describe('charts off screen', () => {
  it('redraw when they come into view, when printed, and not on scrolling alone', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/01-rmsnorm`);
    const vector = page.locator('#block-vector .plot');
    const svg = () => vector.evaluate((el) => el.querySelector('svg')?.outerHTML ?? '');
    await page.locator('#block-vector .plot[data-chart=drawn] svg').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => Number(document.documentElement.dataset.labSeq ?? 0) > 0);
    const first = await svg();
    // Whether the vector chart is near the view, as the page's own observer sees it: a new
    // IntersectionObserver reports at the same rendering update as the page's, or a later one.
    const near = () =>
      vector.evaluate(
        (el) =>
          new Promise<boolean>((resolve) => {
            const o = new IntersectionObserver(
              ([e]) => {
                o.disconnect();
                resolve(e.isIntersecting);
              },
              { rootMargin: '50% 0px' },
            );
            o.observe(el);
          }),
      );

    const eps = page.getByTestId('lab').locator('[data-param=eps] input[type=range]');
    const labEps = page.getByTestId('lab').locator('[data-param=eps] output');
    const geoEps = page.locator('#block-geometry [data-param=eps] output');
    const geoFirst = await geoEps.textContent();
    await eps.scrollIntoViewIfNeeded();
    expect(await near()).toBe(false);
    let seq = await labSeq(page);
    await eps.fill('0'); // eps = 1
    seq = await waitForLabSeqAbove(page, seq);
    expect(await labEps.textContent()).not.toBe(geoFirst);
    // off screen, the 2-D picture and the vector figure keep the eps they show
    expect(await geoEps.textContent()).toBe(geoFirst);
    expect(await vector.getAttribute('data-chart')).toBe('drawn');
    expect(await svg()).toBe(first);
    // a setting only the vector figure reads, changed while it is off screen: its chart waits
    await goHash(page, '#/01-rmsnorm?eps=1&shift=1');
    await expect.poll(() => vector.getAttribute('data-chart')).toBe('stale');
    expect(await svg()).toBe(first);

    // print media: every chart is drawn for the current settings
    await page.emulateMedia({ media: 'print' });
    await page.locator('#block-vector .plot[data-chart=drawn]').waitFor();
    const printed = await svg();
    expect(printed).not.toBe(first);
    await expect.poll(() => geoEps.textContent()).toBe(await labEps.textContent());
    await page.emulateMedia({ media: 'screen' });
    await eps.scrollIntoViewIfNeeded();
    expect(await near()).toBe(false);

    // off screen again: the next change waits; coming into view draws it
    // (the chart may already wait: the print layout gave it another width)
    const geoPrinted = await geoEps.textContent();
    const vecNote = page.locator('#block-vector p.small');
    const notePrinted = await vecNote.textContent();
    await eps.fill('-2');
    await waitForLabSeqAbove(page, seq);
    expect(await geoEps.textContent()).toBe(geoPrinted);
    expect(await vecNote.textContent()).toBe(notePrinted); // the vector figure's eps, held
    expect(await svg()).toBe(printed);
    await goHash(page, '#/01-rmsnorm?eps=0.01&shift=2');
    await expect.poll(() => vector.getAttribute('data-chart')).toBe('stale');
    expect(await svg()).toBe(printed);
    await page.locator('#block-geometry').scrollIntoViewIfNeeded();
    await expect.poll(() => geoEps.textContent()).toBe(await labEps.textContent());
    await vector.scrollIntoViewIfNeeded();
    await page.locator('#block-vector .plot[data-chart=drawn]').waitFor();
    await expect.poll(() => vecNote.textContent()).not.toBe(notePrinted);
    const shown = await svg();
    expect(shown).not.toBe(printed);
    expect(shown).not.toBe(first);

    // scrolling away and back with nothing changed keeps the same drawing (the same node)
    await vector.evaluate((el) => el.querySelector('svg')?.setAttribute('data-probe', '1'));
    await eps.scrollIntoViewIfNeeded();
    expect(await near()).toBe(false);
    await vector.scrollIntoViewIfNeeded();
    expect(await near()).toBe(true);
    expect(await vector.getAttribute('data-chart')).toBe('drawn');
    expect(await page.locator('#block-vector .plot svg[data-probe]').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
