// The shell renders: home and chapter 1 with no console error, KaTeX present, navigation works.
import { describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openPage } from './browser.ts';
import { frames, settledUrl, useBrowser } from './helpers.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/llama2c/', import.meta.url));

const base = inject('baseUrl');
const browser = useBrowser();

describe('notebook shell', () => {
  it('renders the home page with the block map, the family table and the playground', async () => {
    const { page, context, errors } = await openPage(browser(), base);
    await page.getByRole('heading', { name: 'LLaMA Lab', level: 1 }).waitFor();
    expect(await page.getByRole('table').filter({ hasText: 'Llama 2' }).count()).toBe(1);
    expect(await page.locator('svg.map a').count()).toBeGreaterThan(0);
    await page.getByTestId('playground').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens chapter 1 from the block map, with KaTeX math and no console error', async () => {
    const { page, context, errors } = await openPage(browser(), base);
    await page.locator('svg.map a').first().click();
    await page.getByTestId('chapter').waitFor();
    expect(await settledUrl(page)).toContain('#/01-rmsnorm');
    await page.locator('.katex').first().waitFor();
    expect(await page.locator('.katex').count()).toBeGreaterThan(5);
    expect(await page.locator('.katex-error').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a page for an unknown chapter instead of failing', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/99-nothing`);
    await page.getByRole('heading', { name: 'No such page' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('playground', () => {
  it('generates text with the built-in model and reproduces it with the same seed', async () => {
    const { page, context, errors } = await openPage(
      browser(),
      `${base}#/?prompt=The%20king&steps=16&seed=7`,
    );
    await page
      .locator('[data-testid=model-status][data-status=ready]')
      .waitFor({ timeout: 60_000 });
    const generate = page.getByTestId('generate');
    await generate.click();
    await page.getByTestId('gen-stats').waitFor({ timeout: 60_000 });
    const first = await page.locator('[data-testid=playground] .tokens').textContent();
    expect(first).toMatch(/The/);
    await generate.click();
    await page.waitForFunction(
      () => !document.querySelector('[data-testid=generate]')?.hasAttribute('disabled'),
    );
    await page.getByTestId('gen-stats').waitFor();
    expect(await page.locator('[data-testid=playground] .tokens').textContent()).toBe(first);
    expect(errors).toEqual([]);
    await context.close();
  });

  // The same checks in every edition: the words come from the locale's messages.
  const editions = [
    {
      lang: 'en',
      unknownSetting: 'Ignored unknown setting “zzz”.',
      notANumber: 'Ignored Temperature (temp) = “banana”: not a number.',
      truncated: /model\.bin is a truncated checkpoint: its header describes a model/,
      foreign: 'stories15M.bin is not a model file at all',
      foreignKind: /it is a PNG image/,
      failed: 'Could not load these files',
      tokenizerAtFault: /tok512\.bin: tokenizer/,
      stillUsing: /Still using main/,
      backendReason: /^\((CPU engine|WebGPU on)/,
    },
    {
      lang: 'zh-TW',
      unknownSetting: '已忽略不認得的設定 “zzz”。',
      notANumber: '已忽略 溫度 (temp) = “banana”：不是數字。',
      truncated: /model\.bin 是不完整的檢查點/,
      foreign: 'stories15M.bin 根本不是模型檔',
      foreignKind: /既不是 llama2\.c 檢查點，也不是 tokenizer\.bin/,
      failed: '無法載入這些檔案',
      tokenizerAtFault: /tok512\.bin: 分詞器/,
      stillUsing: /仍在使用 main/,
      backendReason: /^\((CPU 引擎|在 .* 上執行 WebGPU)/,
    },
  ];
  for (const t of editions) {
    it(`${t.lang}: a hostile link's notices; the file at fault named (truncated, not a model file, cut tokenizer), the loaded model kept`, async () => {
      const lang = t.lang === 'en' ? '' : `lang=${t.lang}&`;
      const { page, context, errors } = await openPage(
        browser(),
        `${base}#/?${lang}zzz=1&temp=banana`,
      );
      await page.getByText(t.unknownSetting).waitFor();
      expect(await page.locator('body').textContent()).toContain(t.notANumber);
      await page
        .locator('[data-testid=model-status][data-status=ready]')
        .waitFor({ timeout: 60_000 });
      // why this engine runs, worded from the reason's codes (they crossed from the worker)
      const reason = page.getByTestId('backend-reason');
      expect(await reason.textContent()).toMatch(t.backendReason);
      expect(await reason.locator('[lang=en]').count()).toBe(0);
      const input = page.locator('input[type=file]');
      const problems = page.getByTestId('load-problems');
      const bin = (name: string, buffer: Buffer) => ({
        name,
        mimeType: 'application/octet-stream',
        buffer,
      });
      const tok = readFileSync(`${FIXTURES}tok512.bin`);
      const ckpt = readFileSync(`${FIXTURES}random-s.bin`);
      // a checkpoint cut short, beside a good tokenizer with a checkpoint-like name
      await input.setInputFiles([
        bin('model.bin', ckpt.subarray(0, 100_000)),
        bin('tok512.bin', tok),
      ]);
      await problems.waitFor();
      let text = (await problems.textContent()) ?? '';
      expect(text).toMatch(t.truncated);
      expect(text).not.toMatch(/tok512\.bin (is|:|是)/);
      // a picture renamed .bin
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        'base64',
      );
      await input.setInputFiles([bin('stories15M.bin', png), bin('tok512.bin', tok)]);
      await page.getByText(t.foreign).waitFor();
      expect(await problems.textContent()).toMatch(t.foreignKind);
      // contents right by their first bytes, wrong further on: the worker's error names the file
      // (checked in the worker: the engine's TokenizerError crosses with its code)
      await input.setInputFiles([
        bin('random-s.bin', ckpt),
        bin('tok512.bin', tok.subarray(0, 2000)),
      ]);
      await page.getByText(t.failed).waitFor({ timeout: 30_000 });
      text = (await problems.textContent()) ?? '';
      expect(text).toMatch(t.tokenizerAtFault);
      expect(text).toMatch(t.stillUsing);
      // no untranslated original shown after a lead-in
      expect(await problems.locator('[lang=en]').count()).toBe(0);
      expect(await page.locator('[data-testid=model-status]').getAttribute('data-status')).toBe(
        'ready',
      );
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});

describe('reader state in the browser', () => {
  for (const [lang, says] of [
    [
      'en',
      /^your model could not be loaded \(this model is no longer in the browser’s storage\); using main$/,
    ],
    ['zh-TW', /^無法載入你的模型（這個模型已不在瀏覽器的儲存空間中）；改用 main$/],
  ] as const) {
    it(`${lang}: a remembered model that is gone is named, and the default model is used`, async () => {
      const { page, context, errors } = await openPage(browser(), `${base}#/?lang=${lang}`);
      await context.addInitScript(() => localStorage.setItem('llama-lab:model', 'stored:gone-1'));
      await page.reload();
      const problem = page.getByTestId('model-menu-problem');
      await problem.waitFor();
      expect(((await problem.textContent()) ?? '').trim()).toMatch(says);
      expect(await problem.locator('[lang=en]').count()).toBe(0);
      await page.locator('[data-testid=model-status][data-status=ready]').waitFor();
      expect(await page.getByTestId('model-menu').inputValue()).toBe('builtin:main');
      // choosing a model clears it
      await page.getByTestId('model-menu').selectOption('builtin:main');
      await page.getByTestId('model-menu').selectOption({ index: 1 });
      await problem.waitFor({ state: 'detached' });
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('remembers the theme choice and the reading progress', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/01-rmsnorm`, {
      colorScheme: 'light',
    });
    await page.getByTestId('chapter').waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    // scroll through the chapter so every section has been in view
    const sections = await page.locator('[data-block-index]').count();
    for (let i = 0; i < sections; i++) {
      await page.locator(`[data-block-index="${i}"]`).scrollIntoViewIfNeeded();
      // IntersectionObserver callbacks run in the next rendering steps: two frames, no clock
      await frames(page, 2);
    }
    await page
      .getByTestId('progress')
      .filter({ hasText: `Read ${sections} of ${sections}` })
      .waitFor();
    await page.reload();
    await page.getByTestId('chapter').waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.evaluate(() => (location.hash = '#/'));
    await page.locator('.prog[aria-label="100% read"]').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
