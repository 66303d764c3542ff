// The shell renders: home and chapter 1 with no console error, KaTeX present, navigation works.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openPage } from './browser.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('notebook shell', () => {
  it('renders the home page with the block map, the family table and the playground', async () => {
    const { page, context, errors } = await openPage(browser, base);
    await page.getByRole('heading', { name: 'LLaMA Lab', level: 1 }).waitFor();
    expect(await page.getByRole('table').filter({ hasText: 'Llama 2' }).count()).toBe(1);
    expect(await page.locator('svg.map a').count()).toBeGreaterThan(0);
    await page.getByTestId('playground').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens chapter 1 from the block map, with KaTeX math and no console error', async () => {
    const { page, context, errors } = await openPage(browser, base);
    await page.locator('svg.map a').first().click();
    await page.getByTestId('chapter').waitFor();
    expect(page.url()).toContain('#/01-rmsnorm');
    await page.locator('.katex').first().waitFor();
    expect(await page.locator('.katex').count()).toBeGreaterThan(5);
    expect(await page.locator('.katex-error').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a page for an unknown chapter instead of failing', async () => {
    const { page, context, errors } = await openPage(browser, `${base}#/99-nothing`);
    await page.getByRole('heading', { name: 'No such page' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
