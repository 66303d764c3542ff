// The offline copy, end to end on the built site: after a first visit the service worker has
// saved the whole build; with the browser context offline a reload still renders a chapter
// (its lazy chunks, KaTeX), the built-in model loads and predicts, the page stays cross-origin
// isolated, and the header says the page runs offline.
import { describe, expect, inject, it } from 'vitest';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPage } from './browser.ts';
import { useBrowser } from './helpers.ts';
import { serveDist } from './global-setup.ts';

const base = inject('baseUrl');
const browser = useBrowser();

describe('offline copy', () => {
  it('reloads a chapter without a network: text, math, and the model predicts', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/03-rope`, {
      serviceWorkers: 'allow',
    });
    await page.getByTestId('chapter').waitFor();
    // the first visit saves the build ("ready to work offline")
    await page.locator('html[data-offline-ready=true]').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('offline-ready').textContent()).toMatch(/without a network/);
    // the notice sits whole at the bottom of the window, not pinned under the header
    const box = await page.getByTestId('offline-ready').boundingBox();
    const viewport = page.viewportSize();
    expect(box && viewport).toBeTruthy();
    expect(box!.y).toBeGreaterThan(viewport!.height / 2);
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewport!.height);
    expect(await page.getByTestId('offline-status').count()).toBe(0);

    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('chapter').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await page.getByTestId('offline-status').waitFor();
    expect(await page.locator('.katex').count()).toBeGreaterThan(5);
    expect(await page.locator('.katex-error').count()).toBe(0);
    // KaTeX's fonts came from the saved copy
    expect(
      await page.evaluate(async () => {
        await document.fonts.ready;
        return [...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded');
      }),
    ).toBe(true);
    // the built-in model loads from the saved copy and the lab predicts the next token
    await page
      .locator('[data-testid=model-status][data-status=ready]')
      .first()
      .waitFor({ timeout: 90_000 });
    const top = page.getByTestId('top-tokens').first();
    await top.waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=top-tokens] tbody tr') ?? null) !== null,
      undefined,
      { timeout: 60_000 },
    );
    expect((await top.locator('tbody tr').count()) > 0).toBe(true);
    // another chapter, never opened before, is there too
    await page.evaluate(() => (location.hash = '#/06-decoding'));
    await page.getByTestId('chapter').waitFor({ timeout: 60_000 });
    expect(await page.locator('h1').first().textContent()).toBeTruthy();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("announces a new version and switches to it only on the reader's click", async () => {
    // a copy of the build, so the test can publish a "new version" (a changed service worker)
    const dir = mkdtempSync(join(tmpdir(), 'llama-lab-dist-'));
    cpSync(fileURLToPath(new URL('../../dist/', import.meta.url)), dir, { recursive: true });
    const { server, url } = await serveDist(dir);
    try {
      const { page, context, errors } = await openPage(browser(), `${url}#/01-rmsnorm`, {
        serviceWorkers: 'allow',
      });
      await page.locator('html[data-offline-ready=true]').waitFor({ timeout: 120_000 });
      // the next visit is served by the saved copy; then a new version is published
      await page.reload();
      await page.getByTestId('chapter').waitFor();
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      appendFileSync(join(dir, 'sw.js'), '\n// next version\n');
      await page.evaluate(async () => {
        (window as unknown as { before: boolean }).before = true;
        await (await navigator.serviceWorker.getRegistration())?.update();
      });
      await page.getByTestId('update-ready').waitFor({ timeout: 60_000 });
      // nothing changes until the reader clicks
      expect(
        await page.evaluate(async () => {
          const reg = await navigator.serviceWorker.getRegistration();
          return reg?.waiting !== null && (window as unknown as { before?: boolean }).before;
        }),
      ).toBe(true);
      await Promise.all([page.waitForEvent('load'), page.getByTestId('update-now').click()]);
      await page.getByTestId('chapter').waitFor();
      expect(
        await page.evaluate(async () => {
          const reg = await navigator.serviceWorker.getRegistration();
          return {
            reloaded: (window as unknown as { before?: boolean }).before === undefined,
            waiting: reg?.waiting ?? null,
            controlled: navigator.serviceWorker.controller !== null,
          };
        }),
      ).toEqual({ reloaded: true, waiting: null, controlled: true });
      expect(await page.getByTestId('update-ready').count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
