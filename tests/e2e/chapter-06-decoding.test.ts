// Chapter 6 end to end, on the built site: the sampler's controls change the distribution figure
// and the URL, and a reload restores them; the rejection sampler draws and reports its acceptance
// rate; speculative decoding completes on the CPU engine (identical to greedy text at
// temperature 0) and on WebGPU (SwiftShader, --enable-unsafe-webgpu); no console errors.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, seriousViolations } from './browser.ts';
import { settledUrl, useBrowser } from './helpers.ts';

const base = inject('baseUrl');
const cpu = useBrowser();
const gpu = useBrowser({ webgpu: true });

const url = (q: string) => `${base}#/06-decoding?${q}`;

async function ready(page: Page): Promise<void> {
  await page.locator('[data-testid=model-status][data-status=ready]').waitFor({ timeout: 120_000 });
  await page.getByTestId('entropy-after').waitFor({ timeout: 60_000 });
}

const text = async (page: Page, id: string) =>
  ((await page.getByTestId(id).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('chapter 6 on the CPU engine', () => {
  it('controls change the figures, the URL restores them, rejection and speculative runs complete', async () => {
    const { page, errors } = await openPage(cpu(), url('temp=0.8&topp=0.9'));
    await ready(page);
    const left = await text(page, 'tokens-left');
    const sampling = page.getByTestId('sampling');
    await sampling.getByLabel('Top-p').fill('0.3');
    await expect.poll(() => text(page, 'tokens-left')).not.toBe(left);
    const narrowed = await text(page, 'tokens-left');
    expect(Number(narrowed.split(' ')[0])).toBeLessThan(Number(left.split(' ')[0]));
    expect(await settledUrl(page)).toContain('topp=0.3');
    await sampling.getByLabel('Min-p').fill('0.2');
    await expect.poll(() => page.url()).toContain('minp=0.2');

    // a reload restores the settings and the figure
    await page.reload();
    await ready(page);
    await expect.poll(() => text(page, 'tokens-left')).not.toBe('');
    expect(await sampling.getByLabel('Top-p').inputValue()).toBe('0.3');
    expect(await sampling.getByLabel('Min-p').inputValue()).toBe('0.2');

    // rejection sampling with the uniform proposal (reduced motion: all draws at once)
    const rej = page.getByTestId('rejection');
    await rej.getByLabel('Proposal q').selectOption('uniform');
    await expect.poll(() => page.url()).toContain('q=uniform');
    await rej.getByTestId('draw').click();
    await expect.poll(async () => rej.getAttribute('data-draws')).toBe('2000');
    expect(await text(page, 'rejection-stats')).toMatch(/Accepted \d+ of 2000 draws/);

    // speculative decoding at temperature 0: the same text as plain greedy decoding
    await page.goto(url('temp=0&gamma=3'));
    await page.reload();
    await ready(page);
    await page.getByTestId('spec-run').click();
    const spec = page.getByTestId('speculative');
    await spec.locator('[data-testid=spec-stats]').waitFor({ timeout: 150_000 });
    expect(await spec.getAttribute('data-backend')).toBe('cpu');
    expect(await text(page, 'speculative')).toContain('identical to plain greedy decoding');
    expect(await text(page, 'alpha')).toMatch(/^0\.\d\d$|^1\.00$/);
    // accessibility with every figure filled in
    await page.getByTestId('rejection').getByTestId('draw').click();
    await expect
      .poll(async () => page.getByTestId('rejection').getAttribute('data-draws'))
      .toBe('2000');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 400_000);
});

describe('chapter 6 on WebGPU', () => {
  it('speculative decoding completes on the WebGPU engine', async () => {
    const { page, errors } = await openPage(gpu(), url('temp=0.8&gamma=4'), {
      engine: 'webgpu',
      colorScheme: 'dark',
    });
    await ready(page);
    expect((await page.getByTestId('backend').textContent())?.trim()).toBe('webgpu');
    await page.getByTestId('spec-run').click();
    const spec = page.getByTestId('speculative');
    await spec.locator('[data-testid=spec-stats]').waitFor({ timeout: 240_000 });
    expect(await spec.getAttribute('data-backend')).toBe('webgpu');
    expect(await text(page, 'per-pass')).toMatch(/^\d\.\d\d \(formula \d\.\d\d\)$/);
    expect(await seriousViolations(page)).toEqual([]); // dark theme
    expect(errors).toEqual([]);
    await page.context().close();
  }, 400_000);
});
