// Chapter 7 end to end, on the built site with the built-in model: the KV-budget figure and the
// serving simulator follow their controls and the URL; the live batched run draws K samples'
// block tables (shared prompt blocks, copies on write) and re-runs when the number of samples or
// the block size changes; no console errors, no serious axe violation. Screenshots (light, dark,
// 390 px) go to tmp/screenshots/ for a person to look at.
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, seriousViolations } from './browser.ts';
import { settledUrl, useBrowser } from './helpers.ts';

const base = inject('baseUrl');
const SHOTS = fileURLToPath(new URL('../../tmp/screenshots/', import.meta.url));
const browser = useBrowser({ shots: SHOTS });

const url = (q = '') => `${base}#/07-serving${q ? `?${q}` : ''}`;

/** Wait for the live run to finish and its animation to reach the last step. */
async function liveDone(page: Page): Promise<{ used: number; shared: number; copied: number }> {
  const table = page.getByTestId('block-table');
  await table.waitFor({ timeout: 90_000 });
  await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid=live-samples]') as HTMLElement | null;
      const input = el?.querySelector('input[type=range]') as HTMLInputElement | null;
      return el?.dataset.running === 'false' && input && input.value === input.max;
    },
    undefined,
    { timeout: 90_000 },
  );
  const n = async (a: string) => Number(await table.getAttribute(a));
  return {
    used: await n('data-used'),
    shared: await n('data-shared'),
    copied: await n('data-copied'),
  };
}

describe('chapter 7: serving, continuous batching and PagedAttention', () => {
  it('renders, runs K samples through the paged cache, and keeps its state in the URL', async () => {
    const { page, context, errors } = await openPage(browser(), url('k=4&bs=8&gen=12'), {
      reducedMotion: 'reduce',
    });
    await page.getByTestId('chapter').waitFor();
    expect(await page.locator('.katex-error').count()).toBe(0);

    // KV budget: Llama 2 13B on 40 GiB fits 5 full-context sequences; 80 GiB fits more.
    const row = page.locator(
      '[data-testid=kv-budget-table] tr[data-model=llama2-13b] [data-testid=fit]',
    );
    expect(await row.textContent()).toMatch(/^5 \(/);
    await page.locator('[data-testid=kv-budget] button[data-gpu="80"]').click();
    await page.waitForFunction(() => location.hash.includes('gpu=80'));
    expect(Number((await row.textContent())!.split(' ')[0])).toBeGreaterThan(5);

    // Simulator: paged wastes little, contiguous a lot; a control changes the results and the URL.
    const waste = (p: string) =>
      page
        .locator(`[data-testid=sim-table] tr[data-policy=${p}] [data-testid=waste]`)
        .textContent();
    expect(parseFloat((await waste('paged'))!)).toBeLessThan(4);
    expect(parseFloat((await waste('continuous'))!)).toBeGreaterThan(50);
    const before = await page.getByTestId('ratio').textContent();
    await page.locator('#sim-rate').fill('1');
    await page.locator('#sim-rate').dispatchEvent('change');
    await page.waitForFunction(() => location.hash.includes('rate=1'));
    expect(await page.getByTestId('ratio').textContent()).not.toBe(before);

    // Live: 4 samples, a prompt of P tokens in blocks of 8: the full prompt blocks stay shared,
    // a partly filled last prompt block is copied by 3 of the 4 samples.
    const first = await liveDone(page);
    const P = Number(await page.getByTestId('live-samples').getAttribute('data-prompt-len'));
    expect(P).toBeGreaterThan(1);
    expect(first.shared).toBe(Math.floor(P / 8));
    expect(first.copied).toBe(P % 8 ? 3 : 0);
    expect(await page.getByTestId('sample').count()).toBe(4);
    expect(await page.getByTestId('saved').textContent()).not.toBe('0 B');

    // 6 samples with blocks of 1: no partly filled block, so nothing is copied.
    await page.locator('#live-k').fill('6');
    await page.locator('#live-k').dispatchEvent('change');
    await page.locator('#live-bs').fill('1');
    await page.locator('#live-bs').dispatchEvent('change');
    await page.waitForFunction(() => /k=6/.test(location.hash) && /bs=1(&|$)/.test(location.hash));
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=sample]').length === 6,
    );
    const second = await liveDone(page);
    expect(second.copied).toBe(0);

    // The link restores the run's settings.
    const link = await settledUrl(page);
    const again = await openPage(browser(), link, { reducedMotion: 'reduce' });
    await again.page.getByTestId('block-table').waitFor({ timeout: 90_000 });
    expect(await again.page.getByTestId('sample').count()).toBe(6);
    await again.context.close();

    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('looks right in light and dark themes and at 390 px', async () => {
    for (const [name, opts] of [
      ['light', { colorScheme: 'light' as const }],
      ['dark', { colorScheme: 'dark' as const }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const { page, context, errors } = await openPage(browser(), url(), {
        ...opts,
        reducedMotion: 'reduce',
      });
      await page.getByTestId('chapter').waitFor();
      await liveDone(page);
      await page.screenshot({ path: `${SHOTS}07-serving-${name}.png`, fullPage: true });
      await page
        .getByTestId('live-samples')
        .screenshot({ path: `${SHOTS}07-serving-live-${name}.png` });
      await page
        .getByTestId('simulator')
        .screenshot({ path: `${SHOTS}07-serving-sim-${name}.png` });
      await page.getByTestId('kv-budget').screenshot({ path: `${SHOTS}07-serving-kv-${name}.png` });
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
