// Page-level helpers shared by the end-to-end tests.
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { launch } from './browser.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/llama2c/', import.meta.url));

/**
 * One Chromium for a test file: launched before its tests (with the screenshot folder made, if
 * one is named) and closed after them. Call it at the top of the file; the function it returns
 * gives the browser inside the tests.
 */
export function useBrowser(options: { webgpu?: boolean; shots?: string } = {}): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (options.shots) mkdirSync(options.shots, { recursive: true });
    browser = await launch(options);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('useBrowser: the browser is used before beforeAll ran');
    return browser;
  };
}

/**
 * Load the llama2.c fixture model (random weights, read from ../shared at test time) through the
 * home page's file picker, exactly as a reader loads stories15M. Independent of whether a
 * built-in model has been trained yet.
 */
export async function loadFixtureModel(page: Page): Promise<void> {
  await page.evaluate(() => (location.hash = '#/'));
  await page.getByTestId('playground').waitFor();
  await page
    .locator('input[type=file]')
    .setInputFiles([`${FIXTURES}random-s.bin`, `${FIXTURES}tok512.bin`]);
  await page.getByText('Loaded random-s.bin').waitFor({ timeout: 60_000 });
}

/** The number of completed lab updates (<html data-lab-seq>). */
export async function labSeq(page: Page): Promise<number> {
  return Number((await page.locator('html').getAttribute('data-lab-seq')) ?? 0);
}

export async function waitForLabSeqAbove(page: Page, seq: number): Promise<number> {
  await page.waitForFunction((s) => Number(document.documentElement.dataset.labSeq ?? 0) > s, seq, {
    timeout: 60_000,
  });
  return labSeq(page);
}

/** Go to a hash route without reloading (the loaded model stays). */
export async function goHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
}

/** Wait for `n` animation frames of the page (for "nothing moved" checks: frames, not a clock). */
export async function frames(page: Page, n: number): Promise<void> {
  await page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        let left = count;
        const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );
}

/**
 * The page's address once the latest settings are in it. The notebook writes the address when
 * the page is next idle, not in the input's own task (src/lib/url-write.ts): read page.url()
 * through this after an action, so the test waits for that write (state, not a clock).
 */
export async function settledUrl(page: Page): Promise<string> {
  await page.waitForFunction(
    () => !(globalThis as { __llamaUrlPending?: () => boolean }).__llamaUrlPending?.(),
  );
  return page.url();
}
