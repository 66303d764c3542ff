// Chapter 4 end to end, on the built site with the built-in model: the head-sharing diagram and
// the KV-cache calculator follow their controls and the URL; the KV-groups control changes the
// live diagram, the cache size, the cache grid, the shared-head maps and the live output; slides
// mode and links work; no console errors. Screenshots go to tmp/screenshots/ for a person to look at.
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, seriousViolations } from './browser.ts';
import { settledUrl, useBrowser, waitForLabSeqAbove } from './helpers.ts';

const base = inject('baseUrl');
const SHOTS = fileURLToPath(new URL('../../tmp/screenshots/', import.meta.url));
const browser = useBrowser({ shots: SHOTS });

const url = (q = '') => `${base}#/04-attention${q ? `?${q}` : ''}`;

/** Wait until the live model has answered and the generation after it has finished. */
async function settle(page: Page, after: number): Promise<number> {
  const seq = await waitForLabSeqAbove(page, after);
  await page.getByTestId('perplexity').waitFor({ timeout: 60_000 });
  await page.waitForFunction(
    () => !document.querySelector('[data-testid=lab] .outputs[aria-busy=true]'),
    undefined,
    { timeout: 90_000 },
  );
  return seq;
}

async function liveOutput(page: Page) {
  const lab = page.getByTestId('lab');
  return {
    kl: (await page.getByTestId('kl').textContent()) ?? '',
    top: (await page.getByTestId('top-tokens').textContent()) ?? '',
    ppl: (await page.getByTestId('perplexity').textContent()) ?? '',
    text: (await lab.locator('.tokens').textContent()) ?? '',
  };
}

describe('chapter 4: attention, MQA/GQA and the KV cache', () => {
  it('renders its math and figures without console errors', async () => {
    const { page, context, errors } = await openPage(browser(), url());
    await page.getByTestId('chapter').waitFor();
    await page.locator('.katex').first().waitFor();
    expect(await page.locator('.katex').count()).toBeGreaterThan(10);
    expect(await page.locator('.katex-error').count()).toBe(0);
    await page.getByTestId('heads-diagram').first().waitFor();
    expect(await page.getByTestId('kv-per-token').textContent()).toBe('327,680 B');
    await page.getByTestId('curves').locator('p, figure, svg').first().waitFor();
    await settle(page, 0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the diagram follows its controls and the URL', async () => {
    const { page, context, errors } = await openPage(browser(), url());
    const fig = page.locator('#block-sharing');
    const diagram = fig.getByTestId('heads-diagram');
    await diagram.waitFor();
    expect(await diagram.getAttribute('data-nheads')).toBe('8');
    expect(await diagram.getAttribute('data-nkv')).toBe('2');
    expect(await diagram.locator('line.edge').count()).toBe(8);
    const kvOf = async () =>
      diagram
        .locator('line.edge')
        .evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('data-kv'))));
    expect(await kvOf()).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);

    await fig.getByLabel('K/V heads').selectOption('4');
    await page.waitForFunction(
      () =>
        document
          .querySelector('#block-sharing [data-testid=heads-diagram]')
          ?.getAttribute('data-nkv') === '4',
    );
    expect(await kvOf()).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(await settledUrl(page)).toContain('nkv=4');

    await fig.getByRole('button', { name: 'Llama 2 70B: GQA' }).click();
    await page.waitForFunction(
      () =>
        document
          .querySelector('#block-sharing [data-testid=heads-diagram]')
          ?.getAttribute('data-nheads') === '64',
    );
    const map = await kvOf();
    expect(map.length).toBe(64);
    expect(map[21]).toBe(2); // floor(21 / (64 / 8))
    expect(await settledUrl(page)).toMatch(/nh=64&nkv=8/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the calculator gives the facts sheet’s numbers and keeps them in the URL', async () => {
    const { page, context, errors } = await openPage(browser(), url());
    const calc = page.locator('#block-calculator');
    await calc.getByTestId('kv-per-token').waitFor();
    expect(await calc.getByTestId('kv-per-token').textContent()).toBe('327,680 B');
    await calc.getByLabel('Model').selectOption('llama3-8b');
    await calc.getByLabel('Context (tokens)').selectOption('131072');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=kv-total]')?.textContent === '16 GiB',
    );
    expect(await calc.getByTestId('kv-per-token').textContent()).toBe('131,072 B');
    await calc.getByLabel(/fp32/).check();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=kv-total]')?.textContent === '32 GiB',
    );
    expect(await settledUrl(page)).toMatch(/cfg=llama3-8b/);
    expect(await settledUrl(page)).toMatch(/ctx=131072/);
    expect(await settledUrl(page)).toMatch(/dtype=fp32/);
    await calc.locator('svg').first().waitFor();
    expect(await calc.getByTestId('kv-table').locator('tbody tr').count()).toBe(3);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('changing the KV groups changes the live diagram, the cache size, the grid, the maps and the output', async () => {
    const { page, context, errors } = await openPage(browser(), url());
    let seq = await settle(page, 0);
    const live = page.getByTestId('live-kv');
    const trained = Number(await live.getAttribute('data-groups'));
    const nHeads = Number(await live.getByTestId('heads-diagram').getAttribute('data-nheads'));
    expect(trained).toBeGreaterThan(1);
    const before = await liveOutput(page);
    expect(before.kl).toMatch(/0 nats \(the trained model exactly\)/);
    const bytesBefore = await live.getByTestId('live-kv-bytes').textContent();
    const rowsBefore = Number(await page.getByTestId('cache-fill').getAttribute('data-rows'));
    const headsBefore = await page.getByTestId('shared-maps').getAttribute('data-heads');
    await page.screenshot({ path: `${SHOTS}ch04-light.png`, fullPage: true });

    await live.locator('button[data-groups="1"]').click();
    seq = await settle(page, seq);
    expect(await settledUrl(page)).toContain('kvGroups=1');
    expect(await live.getAttribute('data-groups')).toBe('1');
    expect(await live.getByTestId('heads-diagram').getAttribute('data-nkv')).toBe('1');
    const bytesAfter = await live.getByTestId('live-kv-bytes').textContent();
    expect(bytesAfter).not.toBe(bytesBefore);
    expect(Number(bytesBefore!.replace(/\D/g, ''))).toBe(
      trained * Number(bytesAfter!.replace(/\D/g, '')),
    );
    expect(Number(await page.getByTestId('cache-fill').getAttribute('data-rows'))).toBe(
      rowsBefore / trained,
    );
    expect(await page.getByTestId('shared-maps').getAttribute('data-heads')).not.toBe(headsBefore);
    expect(
      (await page.getByTestId('shared-maps').getAttribute('data-heads'))!.split(',').length,
    ).toBe(nHeads);
    const after = await liveOutput(page);
    expect(after.kl).toMatch(/KL divergence from the trained model: [0-9.e-]+ nats/);
    expect(after.kl).not.toEqual(before.kl);
    expect(after.top).not.toEqual(before.top);
    expect(after.ppl).not.toEqual(before.ppl);
    // the running table holds both settings
    await page.getByTestId('kv-tried').locator('tbody tr').nth(1).waitFor();
    // the grid fills: prompt plus generated positions
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid=cache-fill]')?.getAttribute('data-filled')) >
        10,
    );
    // the maps are drawn from the trace
    await page.getByTestId('shared-maps').locator('svg').first().waitFor();

    // back to the trained model: exactly the output we started with
    await live.locator(`button[data-groups="${trained}"]`).click();
    await settle(page, seq);
    expect(await settledUrl(page)).not.toContain('kvGroups=');
    expect(await liveOutput(page)).toEqual(before);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a link restores the figures’ and the live model’s settings', async () => {
    const q = 'kvGroups=1&nh=64&nkv=8&cfg=llama3-8b&ctx=131072&group=0';
    const { page, context, errors } = await openPage(browser(), url(q));
    await settle(page, 0);
    expect(
      await page.locator('#block-sharing [data-testid=heads-diagram]').getAttribute('data-nheads'),
    ).toBe('64');
    expect(await page.getByTestId('kv-total').textContent()).toBe('16 GiB');
    expect(await page.getByTestId('live-kv').getAttribute('data-groups')).toBe('1');
    expect(await page.getByTestId('kl').textContent()).not.toMatch(/0 nats \(the trained/);
    await page.screenshot({ path: `${SHOTS}ch04-link.png` });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('slides mode steps through the chapter with live figures', async () => {
    const { page, context, errors } = await openPage(browser(), url());
    await page.getByTestId('chapter').waitFor();
    await page.getByRole('button', { name: 'Present as slides' }).click();
    await page.getByTestId('slides').waitFor();
    expect(await settledUrl(page)).toContain('view=slides');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=slides]')?.getAttribute('data-slide') === '2',
    );
    expect(await settledUrl(page)).toContain('slide=2');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=slides]')?.getAttribute('data-slide') === '1',
    );
    await context.close();

    // a slides link to the calculator (block 6) opens it, live
    const s = await openPage(browser(), url('view=slides&slide=6&cfg=llama2-7b'));
    await s.page.getByTestId('slides').waitFor();
    const current = s.page.locator('.slide.current');
    await current.getByTestId('kv-per-token').waitFor();
    expect(await current.getByTestId('kv-per-token').textContent()).toBe('524,288 B');
    await current.getByRole('combobox', { name: 'Batch' }).selectOption('8');
    await s.page.waitForFunction(() => location.hash.includes('batch=8'));
    await s.page.screenshot({ path: `${SHOTS}ch04-slides.png` });
    expect([...errors, ...s.errors]).toEqual([]);
    await s.context.close();
  });

  it('looks right in dark mode and on a phone (screenshots), with no serious accessibility violation', async () => {
    const dark = await openPage(browser(), url(), { colorScheme: 'dark' });
    await settle(dark.page, 0);
    await dark.page.screenshot({ path: `${SHOTS}ch04-dark.png`, fullPage: true });
    const violations = await seriousViolations(dark.page);
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    await dark.context.close();

    const phone = await openPage(browser(), url(), { width: 390, height: 844 });
    await settle(phone.page, 0);
    await phone.page.screenshot({ path: `${SHOTS}ch04-phone.png`, fullPage: true });
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);
    expect([...dark.errors, ...phone.errors]).toEqual([]);
    await phone.context.close();
  });
});
