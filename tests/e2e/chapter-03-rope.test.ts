// Chapter 3 (RoPE) in the built site: it renders without console errors, the RoPE base changes
// the spectrum chart and the live model's output, a position-scaling knob lets generation run past
// seq_len, the rotation figure keeps the score when both positions move, slides mode and the URL
// state work. Screenshots (light, dark, 390 px phone, slides) go to tmp/screenshots/.
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, seriousViolations } from './browser.ts';
import { frames, settledUrl, useBrowser } from './helpers.ts';

const base = inject('baseUrl');
const url = (query = '') => `${base}#/03-rope${query ? `?${query}` : ''}`;
const SHOTS = fileURLToPath(new URL('../../tmp/screenshots/', import.meta.url));
const browser = useBrowser({ shots: SHOTS });

/** Wait until the lab has shown at least `n` predictions and has finished its slow parts. */
async function labSettled(page: Page, n = 1): Promise<number> {
  await page.waitForFunction(
    (min) => Number(document.documentElement.dataset.labSeq ?? 0) >= min,
    n,
    { timeout: 120_000 },
  );
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="lab"] .outputs')?.getAttribute('aria-busy') === 'false',
    undefined,
    { timeout: 120_000 },
  );
  return Number(await page.evaluate(() => document.documentElement.dataset.labSeq));
}

const text = (page: Page, testId: string) => page.getByTestId(testId).first().innerText();

describe('chapter 3: RoPE', () => {
  it('renders every block, its math and the live model with no console error', async () => {
    const { page, context, errors } = await openPage(browser(), url());
    await page.getByTestId('chapter').waitFor();
    await page
      .getByRole('heading', { name: 'Rotary position embeddings (RoPE)', level: 1 })
      .waitFor();
    await page.locator('.katex').first().waitFor();
    expect(await page.locator('.katex').count()).toBeGreaterThan(10);
    expect(await page.locator('.katex-error').count()).toBe(0);
    await page.getByTestId('spectrum').locator('svg').first().waitFor();
    await page.getByTestId('decay').locator('svg').first().waitFor();
    await labSettled(page);
    // real q/k pairs, the check that each turned by m·θ_i, attention maps and the loss by position
    await page.getByTestId('pair-table').waitFor();
    expect(await text(page, 'rope-check')).toMatch(/turned by its predicted angle/);
    await page.getByTestId('nll-table').waitFor();
    expect(Number(await text(page, 'nll-inside'))).toBeGreaterThan(0);
    expect(await page.getByTestId('lab').getByRole('alert').count()).toBe(0);
    // training curves: a chart, or a clear "not trained yet" for each missing run
    const curves = page.getByTestId('curves');
    await curves.waitFor();
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="curves"]')?.textContent?.includes('Loading'),
    );
    expect(
      (await curves.locator('svg').count()) + (await curves.getByTestId('curve-missing').count()),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}chapter-03-light.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('changing the base changes the spectrum chart, the decay chart and the live output', async () => {
    const { page, context, errors } = await openPage(browser(), url());
    const seq = await labSettled(page);
    const spectrum = page.getByTestId('spectrum');
    const svgBefore = await spectrum.locator('svg').last().innerHTML();
    const summaryBefore = await text(page, 'spectrum-summary');
    const decayBefore = await text(page, 'decay-summary');
    const kl = await text(page, 'kl');
    expect(kl).toMatch(/model: 0 nats/);
    const angleBefore = await page.getByTestId('pair-table').innerText();

    await spectrum.getByRole('button', { name: '500,000' }).click();
    await labSettled(page, seq + 1);
    expect(await settledUrl(page)).toContain('ropeBase=500000');
    expect(await spectrum.getAttribute('data-base')).toBe('500000');
    expect(await text(page, 'spectrum-summary')).not.toBe(summaryBefore);
    expect(await spectrum.locator('svg').last().innerHTML()).not.toBe(svgBefore);
    expect(await text(page, 'decay-summary')).not.toBe(decayBefore);
    // the live model moved away from the trained one and its q/k turned by other angles
    expect(await text(page, 'kl')).not.toMatch(/model: 0 nats/);
    expect(await page.getByTestId('pair-table').innerText()).not.toBe(angleBefore);
    expect(await text(page, 'rope-check')).toMatch(/turned by its predicted angle/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('turning RoPE off is reported in words and the live model still runs', async () => {
    const { page, context, errors } = await openPage(browser(), url('rope=off'));
    await labSettled(page);
    expect(await text(page, 'rope-check')).toMatch(/RoPE is off/);
    expect(await page.getByTestId('lab').getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the presets set the RoPE knobs, and "as trained" resets them', async () => {
    const { page, context, errors } = await openPage(browser(), url());
    let seq = await labSettled(page);
    const presets = page.getByRole('group', { name: 'Try a setting' });
    await presets.getByRole('button', { name: 'NTK-aware ×4' }).click();
    seq = await labSettled(page, seq + 1);
    expect(await settledUrl(page)).toContain('ropeScaling=ntk');
    expect(await settledUrl(page)).toContain('ropeFactor=4');
    expect(await text(page, 'rope-check')).toMatch(/NTK base/);
    expect(await text(page, 'nll-verdict')).toMatch(/current knobs/);
    await presets.getByRole('button', { name: 'as trained' }).click();
    await labSettled(page, seq + 1);
    expect(await settledUrl(page)).not.toContain('ropeScaling');
    expect(await text(page, 'kl')).toMatch(/model: 0 nats/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('with linear position scaling, generation runs past seq_len without an error', async () => {
    const { page, context, errors } = await openPage(browser(), url('steps=256&temp=0'));
    const seq = await labSettled(page);
    const seqLen = Number(await page.getByTestId('nll-table').getAttribute('data-seq-len'));
    expect(seqLen).toBeGreaterThan(0);
    // the lab's own controls: scaling 'linear', then a factor of about 4
    const lab = page.getByTestId('lab');
    await lab.locator('[data-param="ropeScaling"] select').selectOption('linear');
    await lab.locator('[data-param="ropeFactor"] input[type="range"]').fill('4');
    await page.waitForFunction(
      () => /ropeScaling=linear/.test(location.hash) && /ropeFactor=/.test(location.hash),
    );
    await labSettled(page, seq + 1);
    const counts = await page.evaluate(() => ({
      prompt: document.querySelectorAll('[data-testid="lab"] .tokens .tok.prompt').length,
      generated: document.querySelectorAll('[data-testid="lab"] .tokens .tok:not(.prompt)').length,
    }));
    // BOS sits at position 0 and is shown as an empty box; every other box is one more position
    expect(counts.prompt + counts.generated).toBeGreaterThan(seqLen + 1);
    expect(await page.getByTestId('lab').getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the rotation figure: under reduced motion nothing moves; "move both" keeps the score', async () => {
    const { page, context, errors } = await openPage(browser(), url(), { reducedMotion: 'reduce' });
    const readout = page.getByTestId('rot-readout');
    await readout.waitFor();
    const first = await readout.innerText();
    // not playing, and 30 animation frames later the readout is the same
    expect(await page.getByTestId('rot-play').getAttribute('aria-pressed')).toBe('false');
    await frames(page, 30);
    expect(await readout.innerText()).toBe(first);
    const score = await text(page, 'rot-score');
    const shift = page.getByLabel('Move both by');
    await shift.fill('37');
    await page.waitForFunction(() => location.hash.includes('shift=37'));
    expect(await readout.innerText()).not.toBe(first);
    expect(await text(page, 'rot-score')).toBe(score);
    // moving only the key changes the score
    await page.locator('[data-param="n"] input').fill('9');
    await page.locator('[data-param="n"] input').dispatchEvent('change');
    await page.waitForFunction(() => location.hash.includes('n=9'));
    expect(await text(page, 'rot-score')).not.toBe(score);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the rotation figure animates when motion is allowed, with the score fixed', async () => {
    const { page, context, errors } = await openPage(browser(), url(), {
      reducedMotion: 'no-preference',
    });
    const readout = page.getByTestId('rot-readout');
    await readout.scrollIntoViewIfNeeded();
    const first = await readout.innerText();
    const score = await text(page, 'rot-score');
    await page.waitForFunction(
      (f) => document.querySelector('[data-testid=rot-readout]')?.textContent?.trim() !== f,
      first.trim(),
    );
    expect(await text(page, 'rot-score')).toBe(score);
    await page.getByTestId('rot-play').click();
    expect(await page.getByTestId('rot-play').getAttribute('aria-pressed')).toBe('false');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('restores its state from a link, and slides mode works', async () => {
    const { page, context, errors } = await openPage(
      browser(),
      url('ropeBase=500000&hs=64&dist=256&pair=3&view=slides&slide=7'),
    );
    const spectrum = page.getByTestId('spectrum');
    await spectrum.waitFor();
    expect(await spectrum.getAttribute('data-base')).toBe('500000');
    expect(await spectrum.getAttribute('data-d')).toBe('64');
    await spectrum.locator('svg').last().waitFor();
    await page.screenshot({ path: `${SHOTS}chapter-03-slides.png` });
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => location.hash.includes('slide=8'));
    await page.getByRole('heading', { name: 'The long-range decay' }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => location.hash.includes('slide=6'));
    await page.getByRole('heading', { name: 'Many clocks: the frequencies' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('chapter').waitFor();
    expect(await settledUrl(page)).not.toContain('view=slides');
    // the link kept the figure settings
    expect(await settledUrl(page)).toContain('hs=64');
    expect(await settledUrl(page)).toContain('ropeBase=500000');
    expect(await page.getByTestId('spectrum').getAttribute('data-d')).toBe('64');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('looks right in dark mode and on a 390 px phone', async () => {
    const dark = await openPage(browser(), url(), { colorScheme: 'dark' });
    await labSettled(dark.page);
    await dark.page.screenshot({ path: `${SHOTS}chapter-03-dark.png`, fullPage: true });
    expect(dark.errors).toEqual([]);
    await dark.context.close();
    const phone = await openPage(browser(), url(), { width: 390, height: 844 });
    await labSettled(phone.page);
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    await phone.page.screenshot({ path: `${SHOTS}chapter-03-phone.png`, fullPage: true });
    expect(overflow).toBeLessThanOrEqual(1);
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });
});
