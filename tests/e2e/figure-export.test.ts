// Figures outside the notebook, end to end on the built site: `?embed=<block id>` shows one
// figure with its controls and nothing else (also inside an iframe, which it fits and tells its
// height); "Save SVG" gives a valid SVG document with title, caption and link; "Save PNG" a PNG
// 1920 px wide with the same text in its chunks, in the page's theme or forced light; "Copy
// figure link" reopens the page at that figure with the same knobs.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { openPage } from './browser.ts';
import { useBrowser } from './helpers.ts';
import { pngSize, readPngText } from '$lib/export/png-text.ts';

const base = inject('baseUrl');
const browser = useBrowser();

async function save(page: Page, block: string, kind: 'svg' | 'png'): Promise<Buffer> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`#block-${block}`).getByTestId(`save-${kind}`).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`03-rope-${block}.${kind}`);
  return readFileSync(await download.path());
}

/** The colour of the PNG's top-left pixel, decoded by the browser. */
function corner(page: Page, png: Buffer): Promise<number[]> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return [...ctx.getImageData(4, 4, 1, 1).data.slice(0, 3)];
  }, png.toString('base64'));
}

describe('embedding', () => {
  it('embed=<figure id> shows only that figure with its controls, and fits an iframe', async () => {
    const { page, context, errors } = await openPage(
      browser(),
      `${base}#/03-rope?embed=decay&ropeBase=500`,
    );
    await page.getByTestId('embed').waitFor();
    await page.locator('#block-decay svg').first().waitFor();
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.getByTestId('chapter').count()).toBe(0);
    expect(await page.locator('section.block').count()).toBe(1);
    expect(await page.locator('section.block').getAttribute('id')).toBe('block-decay');
    // its controls are there and drive it; the link back opens the full page at the figure
    expect(await page.locator('#block-decay select').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('embed-source').getAttribute('href')).toMatch(
      /#\/03-rope\?.*ropeBase=500.*at=decay|#\/03-rope\?.*at=decay.*ropeBase=500/,
    );
    expect(await page.getByTestId('embed-source').getAttribute('href')).not.toContain('embed=');
    // a figure id that does not exist: the whole chapter, with a notice saying why
    await page.goto(`${base}#/03-rope?embed=nothing`);
    await page.reload();
    await page.getByTestId('chapter').waitFor();
    expect(await page.getByTestId('url-notices').textContent()).toMatch(/Embedded figure/);
    expect(errors).toEqual([]);

    // inside a 600 x 420 iframe of another page: no sideways scroll, height reported
    await page.setContent(
      `<iframe title="figure" src="${base}#/03-rope?embed=decay" width="600" height="420"></iframe>`,
    );
    await page.evaluate(() => {
      (window as unknown as { heights: number[] }).heights = [];
      addEventListener('message', (e) => {
        if (e.data?.type === 'llama-lab:embed-height')
          (window as unknown as { heights: number[] }).heights.push(e.data.height);
      });
    });
    const frame = page.frameLocator('iframe');
    await frame.locator('#block-decay svg').first().waitFor();
    await page.waitForFunction(() => (window as unknown as { heights: number[] }).heights.length);
    const f = page.frames().find((x) => x !== page.mainFrame())!;
    const fit = await f.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      blocks: document.querySelectorAll('section.block').length,
    }));
    expect(fit.blocks).toBe(1);
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    const height = await page.evaluate(() =>
      (window as unknown as { heights: number[] }).heights.at(-1)!,
    );
    expect(height).toBeGreaterThan(200);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('figure export', () => {
  it('saves SVG and PNG with caption and link, in the theme or light; the figure link round-trips', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/03-rope?ropeBase=500`, {
      colorScheme: 'dark',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('#block-decay svg').first().waitFor();

    const svg = (await save(page, 'decay', 'svg')).toString('utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: root.nodeName,
        ns: root.namespaceURI,
        width: Number(root.getAttribute('width')),
        title: root.querySelector(':scope > title')?.textContent,
        desc: root.querySelector(':scope > desc')?.textContent ?? '',
        link: root.querySelector('a')?.getAttribute('href'),
        shapes: root.querySelectorAll('path, line, rect').length,
      };
    }, svg);
    expect(parsed.error).toBeNull();
    expect(parsed).toMatchObject({ root: 'svg', ns: 'http://www.w3.org/2000/svg' });
    expect(parsed.title).toBe('Score against distance');
    expect(parsed.desc).toMatch(/^Line chart against distance/);
    expect(parsed.link).toMatch(/#\/03-rope\?/);
    expect(parsed.link).toContain('ropeBase=500');
    expect(parsed.link).toContain('at=decay');
    expect(parsed.desc).toContain(parsed.link);
    expect(parsed.shapes).toBeGreaterThan(10);
    expect(parsed.width).toBeGreaterThan(300);

    const png = await save(page, 'decay', 'png');
    const size = pngSize(png);
    expect(size.width).toBe(1920);
    // same aspect as the SVG (within rounding)
    const svgHeight = Number(/height="(\d+)"/.exec(svg)?.[1]);
    expect(Math.abs(size.height - (svgHeight * 1920) / parsed.width)).toBeLessThan(2);
    const text = readPngText(png);
    expect(text.Title).toBe('Score against distance');
    expect(text.Source).toBe(parsed.link);
    expect(text.Description).toMatch(/^Line chart against distance/);
    // the dark page's background, then forced light for print
    const dark = await corner(page, png);
    expect(Math.max(...dark)).toBeLessThan(60);
    await page.locator('#block-decay').getByTestId('export-light').check();
    const light = await corner(page, await save(page, 'decay', 'png'));
    expect(Math.min(...light)).toBeGreaterThan(235);
    // the page itself stayed dark
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    // copy figure link → a new page opens at that figure with the same knobs
    await page.locator('#block-decay').getByTestId('copy-figure-link').click();
    await page
      .locator('#block-decay [data-testid=figure-tools-status]')
      .getByText(/Link copied/)
      .waitFor();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(parsed.link);
    const again = await context.newPage();
    await again.goto(link);
    await again.locator('#block-decay svg').first().waitFor();
    await again.waitForFunction(() => {
      const top = document.getElementById('block-decay')!.getBoundingClientRect().top;
      return top >= 0 && top < 200;
    });
    expect(await again.locator('#block-decay').textContent()).toContain('Base 500');
    expect(errors).toEqual([]);
    await context.close();
  });
});
