// The WebGPU path in the browser: with --enable-unsafe-webgpu the page runs the built-in model
// on WebGPU (SwiftShader here) and generates the same greedy tokens as the CPU engine; without
// the flag it reports the CPU fallback and still works; a device lost in the middle of a
// generation (the page's debug hook destroys it) finishes on the CPU with the same tokens.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './browser.ts';
import { useBrowser } from './helpers.ts';

const base = inject('baseUrl');
const STEPS = 160;
// Greedy (temperature 0), so both engines must pick the same token at every step.
const url = `${base}#/?prompt=${encodeURIComponent('Once upon a time')}&temp=0&steps=${STEPS}`;

const cpuBrowser = useBrowser();
const gpuBrowser = useBrowser({ webgpu: true });
/** Token ids the CPU path generated (the reference for the WebGPU runs). */
let cpuIds: number[] = [];

async function ready(page: Page): Promise<{ kind: string; reason: string }> {
  await page.locator('[data-testid=model-status][data-status=ready]').waitFor({ timeout: 120_000 });
  const kind = (await page.getByTestId('backend').textContent())?.trim() ?? '';
  const reason = await text(page, 'model-status');
  return { kind, reason };
}

/** The text of a test id, whitespace collapsed. */
async function text(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ');
}

/** Ids of the generated (non-prompt) tokens shown in the playground. */
async function generatedIds(page: Page): Promise<number[]> {
  const titles = await page
    .locator('[data-testid=playground] .tok:not(.prompt)')
    .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
  return titles.map((t) => Number(/token (\d+)/.exec(t)?.[1] ?? NaN));
}

async function generate(page: Page): Promise<{ ids: number[]; stats: string }> {
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-stats').waitFor({ timeout: 150_000 });
  return { ids: await generatedIds(page), stats: await text(page, 'gen-stats') };
}

describe('WebGPU in the page', () => {
  it('without --enable-unsafe-webgpu: the CPU fallback, with the reason, still generates', async () => {
    const { page, context, errors } = await openPage(cpuBrowser(), url);
    const status = await ready(page);
    expect(status.kind).toBe('cpu');
    expect(status.reason).toMatch(/no adapter|no WebGPU API/);
    const { ids, stats } = await generate(page);
    // enough tokens that the device-loss test below can lose the device mid-generation
    expect(ids.length).toBeGreaterThan(40);
    expect(ids.every(Number.isInteger)).toBe(true);
    expect(stats).toMatch(/on cpu/);
    cpuIds = ids;
    expect(errors).toEqual([]);
    await context.close();
  });

  it("with --enable-unsafe-webgpu and the engine set to 'auto': only a software adapter, so the faster CPU", async () => {
    const { page, context, errors } = await openPage(gpuBrowser(), url);
    const status = await ready(page);
    expect(status.kind).toBe('cpu');
    expect(status.reason).toMatch(/only WebGPU adapter is .*software/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('with --enable-unsafe-webgpu and WebGPU chosen: WebGPU after its self-test, the same greedy tokens as the CPU', async () => {
    expect(cpuIds.length).toBeGreaterThan(0);
    const { page, context, errors } = await openPage(gpuBrowser(), url, { engine: 'webgpu' });
    const status = await ready(page);
    expect(status.kind).toBe('webgpu');
    expect(status.reason).toMatch(/WebGPU on .*self-test matched the CPU engine/);
    const { ids, stats } = await generate(page);
    expect(stats).toMatch(/on webgpu/);
    expect(ids).toEqual(cpuIds);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a device lost mid-generation: the page continues on the CPU with the same tokens', async () => {
    const { page, context, errors } = await openPage(gpuBrowser(), url, { engine: 'webgpu' });
    expect((await ready(page)).kind).toBe('webgpu');
    await page.getByTestId('generate').click();
    // Wait until a few tokens came from the GPU, then lose the device under the generation.
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=playground] .tok:not(.prompt)').length >= 5,
      null,
      { timeout: 120_000 },
    );
    await page.evaluate(async () => {
      const lab = (globalThis as { __llamaLab?: { debugLoseDevice(): Promise<void> } }).__llamaLab;
      if (!lab) throw new Error('the page exposes no __llamaLab test hook');
      await lab.debugLoseDevice();
    });
    await page.getByTestId('gen-stats').waitFor({ timeout: 150_000 });
    expect(await generatedIds(page)).toEqual(cpuIds);
    expect(await text(page, 'gen-stats')).toMatch(/on cpu/);
    // The page says which engine runs now, and why.
    const backend = await page.evaluate(
      () =>
        (globalThis as { __llamaLab?: { backend: { kind: string; reason: string } } }).__llamaLab
          ?.backend,
    );
    expect(backend?.kind).toBe('cpu');
    expect(backend?.reason).toMatch(/lost.*replayed on the CPU/);
    // ... and so does the status line above the playground.
    expect(await text(page, 'backend')).toBe('cpu');
    expect(await text(page, 'model-status')).toMatch(/lost/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the engine setting switches between WebGPU and the CPU and is remembered', async () => {
    const { page, context, errors } = await openPage(gpuBrowser(), url, { engine: 'webgpu' });
    expect((await ready(page)).kind).toBe('webgpu');
    const setting = page.getByTestId('engine-setting');
    await expect.poll(() => setting.inputValue()).toBe('webgpu');
    await setting.selectOption('cpu');
    await expect
      .poll(async () => (await page.getByTestId('backend').textContent())?.trim())
      .toBe('cpu');
    expect(await text(page, 'model-status')).toMatch(/chosen in the settings/);
    const { stats } = await generate(page);
    expect(stats).toMatch(/on cpu/);
    // A new visit with this browser's storage (and no test override) starts with the reader's choice.
    const later = await gpuBrowser().newContext({ storageState: await context.storageState() });
    const again = await later.newPage();
    await again.goto(url);
    expect((await ready(again)).kind).toBe('cpu');
    expect(await again.getByTestId('engine-setting').inputValue()).toBe('cpu');
    await later.close();
    expect(errors).toEqual([]);
    await context.close();
  });
});
