// Chapter 2 end to end, on the built site: the page renders with no console error, moving β
// redraws the curves, choosing GELU and typing a formula change the live model's output, hostile
// formulas are refused in words, a link restores the state, slides work; screenshots for review.
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, openPage, seriousViolations } from './browser.ts';
import {
  goHash,
  labSeq,
  loadFixtureModel,
  settledUrl,
  useBrowser,
  waitForLabSeqAbove,
} from './helpers.ts';

const base = inject('baseUrl');
const SHOTS = fileURLToPath(new URL('../../tmp/screenshots/', import.meta.url));
const browser = useBrowser({ shots: SHOTS });

/** The markup of a chart (legend and plot), once it has drawn. */
async function chartSvg(page: Page, testId: string): Promise<string> {
  const host = page.getByTestId(testId);
  await host.locator('svg').first().waitFor();
  return host.evaluate((el) => el.innerHTML);
}

/**
 * The lab's output once it differs from `prev` and the lab is idle (every change of the URL runs
 * the lab again, so waiting for one more update is not enough). Fails after a minute.
 */
async function outputAfterChange(
  page: Page,
  prev: { kl: string; top: string },
): Promise<{ kl: string; top: string }> {
  await expect
    .poll(async () => JSON.stringify(await labOutput(page)), { timeout: 60_000 })
    .not.toBe(JSON.stringify(prev));
  await page.waitForSelector('[data-testid=lab] [aria-busy=false]', { timeout: 60_000 });
  return labOutput(page);
}

/** The KL readout as a number (0 when the output is bit-for-bit the trained one). */
function klValue(text: string): number {
  if (text.includes('0 nats (the trained model exactly)')) return 0;
  const m = /: ([0-9.e+-]+) nats/.exec(text);
  return m ? Number(m[1]) : NaN;
}

async function labOutput(page: Page): Promise<{ kl: string; top: string }> {
  return {
    kl: (await page.getByTestId('kl').textContent()) ?? '',
    top: (await page.getByTestId('top-tokens').textContent()) ?? '',
  };
}

describe('chapter 2: reading view', () => {
  it('renders with KaTeX and no console error; moving β changes the chart and the URL', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/02-activations`);
    await page.getByTestId('chapter').waitFor();
    await page.locator('.katex').first().waitFor();
    expect(await page.locator('.katex').count()).toBeGreaterThan(10);
    expect(await page.locator('.katex-error').count()).toBe(0);
    // every figure drew something
    for (const id of ['curves-chart', 'gate-surface', 'formula-chart']) {
      await page.getByTestId(id).locator('svg').first().waitFor();
    }
    expect(await page.getByTestId('hidden-table').textContent()).toContain('11,008');
    expect(await page.getByTestId('hidden-table').textContent()).toContain('14,336');

    const before = await chartSvg(page, 'curves-chart');
    // Which blocks draw a new chart from here on (a Plot <svg> or <figure> put into a host).
    await page.evaluate(() => {
      const redrawn: string[] = [];
      (window as unknown as { redrawn: string[] }).redrawn = redrawn;
      for (const sec of document.querySelectorAll('section.block'))
        new MutationObserver((ms) => {
          for (const m of ms)
            for (const n of m.addedNodes)
              if (n instanceof Element && n.matches('svg, figure') && !redrawn.includes(sec.id))
                redrawn.push(sec.id);
        }).observe(sec, { childList: true, subtree: true });
    });
    const readout0 = await page.getByTestId('curves-readout').textContent();
    const beta = page.locator('#block-curves [data-param=beta] input[type=range]');
    await beta.fill('0.5'); // log10 β = 0.5: β ≈ 3.16
    await page.waitForFunction(
      (old) => document.querySelector('[data-testid=curves-chart]')?.innerHTML !== old,
      before,
    );
    const after = await chartSvg(page, 'curves-chart');
    expect(after).not.toEqual(before);
    expect(await page.getByTestId('curves-readout').textContent()).not.toEqual(readout0);
    expect(await settledUrl(page)).toMatch(/beta=3\.16/);
    // β is an input of the curves figure only: no other figure of the page redraws
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    const redrawn = await page.evaluate(() => (window as unknown as { redrawn: string[] }).redrawn);
    expect(redrawn.filter((id) => id !== 'block-lab')).toEqual(['block-curves']);

    // the gate surface follows the variant
    const surf0 = await chartSvg(page, 'gate-surface');
    await page.locator('#block-surface [data-param=glu] select').selectOption('glu');
    await page.waitForFunction(
      (old) => document.querySelector('[data-testid=gate-surface]')?.innerHTML !== old,
      surf0,
    );
    expect(await settledUrl(page)).toContain('glu=glu');

    // the dead-ReLU readout follows the bias
    const dead0 = await page.getByTestId('dead-readout').textContent();
    expect(dead0).toContain('50.0%');
    await page.locator('#block-dead [data-param=bias] input[type=range]').fill('-2');
    await page.waitForFunction(
      () => !document.querySelector('[data-testid=dead-readout]')?.textContent?.includes('50.0%'),
    );
    expect(await settledUrl(page)).toMatch(/bias=-[12]\./);

    await page.screenshot({ path: `${SHOTS}ch02-light.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses hostile formulas with a message and keeps the last good one', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/02-activations`);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const cell = page.locator('#block-formula');
    const input = cell.getByTestId('formula-input');
    await input.waitFor();
    const chart0 = await chartSvg(page, 'formula-chart');
    for (const [text, message] of [
      ['import({}, {override:true})', /not allowed/i],
      ['evaluate(x)', /“evaluate” is not allowed/],
      ['x.constructor', /property access/i],
      ['f(x)=1', /assignments/i],
      ['1/0', /not a finite number/],
      ['alert(1)', /“alert” is not allowed/],
    ] as const) {
      await input.fill(text);
      await expect
        .poll(async () => (await cell.getByTestId('formula-message').textContent()) ?? '')
        .toMatch(message);
    }
    // once the commit delay has run out (the box says so), nothing may have been committed
    await cell.locator('[data-testid=formula-input][data-pending=false]').waitFor();
    expect(await settledUrl(page)).not.toContain('f=');
    expect(await chartSvg(page, 'formula-chart')).toEqual(chart0);
    await input.fill('tanh(x)');
    await page.waitForFunction(() => location.href.includes('f=tanh'));
    expect(await chartSvg(page, 'formula-chart')).not.toEqual(chart0);
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('chapter 2 with a hostile link', () => {
  it('a refused formula in the link is explained in the cell and in the lab, and runs nothing', async () => {
    const link = `${base}#/02-activations?act=custom&f=${encodeURIComponent('evaluate("alert(1)")')}`;
    const { page, context, errors } = await openPage(browser(), link);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const cell = page.locator('#block-formula');
    await expect
      .poll(async () => (await cell.getByTestId('formula-message').textContent()) ?? '')
      .toMatch(/strings are not allowed/i);
    expect(await cell.getByTestId('use-formula').count()).toBe(0); // act is already custom
    await page
      .getByTestId('lab')
      .getByRole('alert')
      .filter({ hasText: /could not run these settings: .*strings are not allowed/i })
      .waitFor({ timeout: 120_000 });
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('in zh-TW the refusal is in Chinese, in the cell and in the lab (the code crosses from the worker)', async () => {
    const link = `${base}#/02-activations?lang=zh-TW&act=custom&f=${encodeURIComponent('evaluate("alert(1)")')}`;
    const { page, context, errors } = await openPage(browser(), link);
    const cell = page.locator('#block-formula');
    await expect
      .poll(async () => (await cell.getByTestId('formula-message').textContent()) ?? '')
      .toMatch(/^不允許使用引號與字串。/);
    await page
      .getByTestId('lab')
      .getByRole('alert')
      .filter({ hasText: /不允許使用引號與字串/ })
      .waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('lab').locator('[role=alert] [lang=en]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('chapter 2 with the live model', () => {
  let sharedUrl = '';
  let finalOut: { kl: string; top: string };

  it('GELU and a typed formula change the live output; the histograms show real FFN values', async () => {
    const { page, context, errors } = await openPage(browser(), base);
    await loadFixtureModel(page);
    const seq0 = await labSeq(page);
    await goHash(page, '#/02-activations?prompt=First%20Citizen');
    const lab = page.getByTestId('lab');
    await lab.waitFor();
    const seq = await waitForLabSeqAbove(page, seq0);
    const trained = await labOutput(page);
    expect(trained.kl).toMatch(/0 nats \(the trained model exactly\)/);
    await page.getByTestId('negative-share').waitFor();
    expect(await page.getByTestId('negative-share').textContent()).toMatch(/\d+(\.\d+)?%/);
    await lab.getByTestId('perplexity').waitFor();

    await lab.locator('[data-param=act] select').selectOption('gelu');
    await waitForLabSeqAbove(page, seq);
    const gelu = await outputAfterChange(page, trained);
    expect(gelu.kl).toMatch(/KL divergence from the trained model: [0-9.e-]+ nats/);
    expect(gelu.kl).not.toEqual(trained.kl);
    expect(gelu.top).not.toEqual(trained.top);
    expect(await settledUrl(page)).toContain('act=gelu');

    // The reader's formula: the knob set to custom (the default formula, Mish), then formulas
    // typed in the lab's own formula box. Each change must reach the model's output.
    await lab.locator('[data-param=act] select').selectOption('custom');
    const mish = await outputAfterChange(page, gelu);
    expect(klValue(mish.kl)).toBeGreaterThan(0);

    const labInput = lab.getByTestId('formula-input');
    await labInput.fill('x');
    const linear = await outputAfterChange(page, mish);
    expect(klValue(linear.kl)).toBeGreaterThan(1e-3);
    expect(linear.top).not.toEqual(gelu.top);

    // x * sigmoid(x) is SiLU again: the output comes back to the trained model's (to rounding).
    await labInput.fill('x * sigmoid(x)');
    const silu = await outputAfterChange(page, linear);
    expect(klValue(silu.kl)).toBeLessThan(1e-6);
    expect(silu.top).toEqual(trained.top);

    await labInput.fill('tanh(x)');
    finalOut = await outputAfterChange(page, silu);
    expect(klValue(finalOut.kl)).toBeGreaterThan(1e-3);
    expect(await settledUrl(page)).toContain('act=custom');
    expect(await settledUrl(page)).toContain('f=tanh');
    sharedUrl = await settledUrl(page);
    await page.screenshot({ path: `${SHOTS}ch02-lab.png`, fullPage: false });
    await lab.screenshot({ path: `${SHOTS}ch02-lab-block.png` });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a copied link restores the formula, the knob and the same live output', async () => {
    expect(sharedUrl).not.toBe('');
    const { page, context, errors } = await openPage(browser(), sharedUrl);
    const lab = page.getByTestId('lab');
    await lab.waitFor();
    expect(await lab.locator('[data-param=act] select').inputValue()).toBe('custom');
    expect(await lab.getByTestId('formula-input').inputValue()).toBe('tanh(x)');
    expect(await page.locator('#block-formula').getByTestId('formula-input').inputValue()).toBe(
      'tanh(x)',
    );
    await loadFixtureModel(page);
    const seq0 = await labSeq(page);
    await page.goBack();
    await lab.waitFor();
    await waitForLabSeqAbove(page, seq0);
    await expect.poll(() => labOutput(page)).toEqual(finalOut);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('chapter 2: slides, themes and phone', () => {
  it('slides step through the chapter and the lab slide keeps its controls', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/02-activations`);
    await page.getByRole('button', { name: 'Present as slides' }).click();
    const count = page.getByTestId('slide-count');
    await count.waitFor();
    const total = Number(((await count.textContent()) ?? '').split('/')[1]);
    // 15 blocks; the lab takes 3 slides, the evidence 2, the quiz one per question (slide-plan.ts)
    expect(total).toBe(20);
    await page.keyboard.press('ArrowRight');
    expect(await count.textContent()).toBe(`2 / ${total}`);
    // slide 2 is a derivation: → reveals its steps one by one before moving on
    let presses = 0;
    while ((await count.textContent()) === `2 / ${total}` && presses < 20) {
      await page.keyboard.press('ArrowRight');
      presses++;
    }
    expect(presses).toBeGreaterThan(1);
    expect(await count.textContent()).toBe(`3 / ${total}`);
    expect(await settledUrl(page)).toContain('slide=3');
    await page.getByTestId('curves-chart').locator('svg').first().waitFor();
    await page.screenshot({ path: `${SHOTS}ch02-slides-curves.png` });
    // the link of the lab slide opens that slide, with the formula box there too
    const again = await context.newPage();
    await again.goto(`${base}#/02-activations?view=slides&slide=10&act=custom&f=tanh(x)`);
    await again.getByTestId('slide-count').waitFor();
    expect(await again.getByTestId('slide-count').textContent()).toBe(`10 / ${total}`);
    expect(await again.getByTestId('lab').getByTestId('formula-input').inputValue()).toBe(
      'tanh(x)',
    );
    await again.screenshot({ path: `${SHOTS}ch02-slides-lab.png` });
    await again.close();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('dark theme and a 390 px phone render without console errors', async () => {
    for (const [name, opts] of [
      ['dark', { colorScheme: 'dark' as const }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const { page, context, errors } = await openPage(browser(), `${base}#/02-activations`, opts);
      await page.getByTestId('gate-surface').locator('svg').first().waitFor();
      await page.getByTestId('formula-chart').locator('svg').first().waitFor();
      await page.screenshot({ path: `${SHOTS}ch02-${name}.png`, fullPage: true });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(1);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});

describe('chapter 2 on WebGPU', () => {
  it('a custom formula moves the model to the CPU engine, and back to WebGPU when it is off', async () => {
    const gpu = await launch({ webgpu: true });
    try {
      const { page, context, errors } = await openPage(
        gpu,
        `${base}#/02-activations?prompt=Once%20upon%20a%20time`,
        { engine: 'webgpu' },
      );
      const status = page.getByTestId('lab').getByTestId('model-status');
      await page
        .locator('[data-testid=lab] [data-testid=model-status][data-status=ready]')
        .waitFor({ timeout: 120_000 });
      expect((await status.getByTestId('backend').textContent())?.trim()).toBe('webgpu');
      await page.getByTestId('kl').waitFor({ timeout: 120_000 });
      const trained = await labOutput(page);

      await page.getByTestId('lab').locator('[data-param=act] select').selectOption('custom');
      await expect
        .poll(async () => (await status.getByTestId('backend').textContent())?.trim(), {
          timeout: 60_000,
        })
        .toBe('cpu');
      expect(await status.textContent()).toMatch(/custom activation formula runs on the CPU/);
      const custom = await outputAfterChange(page, trained);
      expect(klValue(custom.kl)).toBeGreaterThan(0);

      await page.getByTestId('lab').getByTestId('reset-knobs').click();
      await expect
        .poll(async () => (await status.getByTestId('backend').textContent())?.trim(), {
          timeout: 60_000,
        })
        .toBe('webgpu');
      await outputAfterChange(page, custom);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await gpu.close();
    }
  });
});
