// Chapter 8 end to end, on the built site: a short SFT and a short DPO run in the page's trainer
// worker, the figures update while they train, the downloaded files load in the engine, the tuned
// model becomes the live model of another chapter and generates there, and reset brings the base model back. No console errors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import type { Download } from 'playwright-core';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { encodePrompt, generateAll } from '$engine/generate.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import { openPage, seriousViolations } from './browser.ts';
import { goHash, labSeq, settledUrl, useBrowser, waitForLabSeqAbove } from './helpers.ts';

const base = inject('baseUrl');
const SHOTS = fileURLToPath(new URL('../../tmp/screenshots/', import.meta.url));
const browser = useBrowser({ shots: SHOTS });

describe('chapter 8: post-training on the live model', () => {
  it('in zh-TW a reward formula is refused in Chinese (coded refusals, worded by the page)', async () => {
    const { page, context, errors } = await openPage(
      browser(),
      `${base}#/08-post-training?lang=zh-TW`,
    );
    await page.getByTestId('chapter').waitFor();
    const message = page.getByTestId('reward-message');
    await page.getByTestId('reward-formula').fill('1 / lines');
    await expect.poll(() => message.textContent()).toMatch(/獎勵不是有限數（結果為 Infinity）/);
    await page.getByTestId('reward-formula').fill('import(x)');
    await expect.poll(() => message.textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(await message.textContent()).not.toMatch(/not allowed|英文原文/);
    expect(await message.locator('[lang="en"]').count()).toBe(0);
    expect(await settledUrl(page)).not.toContain('rf=');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('SFT and DPO train in the page, the figures follow, the tuned model runs in chapter 1', async () => {
    const { page, context, errors } = await openPage(
      browser(),
      `${base}#/08-post-training?ssteps=8&dsteps=8&k=4`,
    );
    await page.getByTestId('chapter').waitFor();
    await page.getByTestId('model-status').filter({ hasText: 'main' }).waitFor({ timeout: 60_000 });
    expect(await seriousViolations(page)).toEqual([]);
    // a hostile reward formula is refused in words and the last good one stays in force
    await page.getByTestId('reward-formula').fill('import(x)');
    await page.getByTestId('reward-message').filter({ hasText: 'not allowed' }).waitFor();
    expect(await settledUrl(page)).not.toContain('rf=');

    // SFT: the loss chart appears while training; then the before/after table
    await page.getByTestId('run-sft').click();
    await page.locator('#block-sft-lab [role=img]').first().waitFor({ timeout: 120_000 });
    await page.getByTestId('sft-compare').waitFor({ timeout: 180_000 });
    const cmp = (await page.getByTestId('sft-compare').textContent()) ?? '';
    expect(cmp).toContain('Q: Who is the queen?');

    // DPO: the step summary updates while it trains (seen before the run ends)
    await page.getByTestId('run-dpo').click();
    await page.getByTestId('dpo-summary').waitFor({ timeout: 180_000 });
    const during = (await page.getByTestId('dpo-summary').textContent()) ?? '';
    const stillRunning = await page.getByTestId('stop-dpo').isVisible();
    await page.getByTestId('dpo-samples').waitFor({ timeout: 300_000 });
    await page.getByTestId('run-dpo').and(page.locator(':enabled')).waitFor({ timeout: 120_000 });
    // progress events travel on their own channel and may land just after the run's result
    await page
      .getByTestId('dpo-summary')
      .filter({ hasText: /Step 8: loss \d/ })
      .waitFor();
    const after = (await page.getByTestId('dpo-summary').textContent()) ?? '';
    expect(stillRunning || during !== after).toBe(true);
    const acc = Number(/preference accuracy ([\d.]+)/.exec(after)?.[1]);
    expect(acc).toBeGreaterThan(0.5);
    const evals = (await page.getByTestId('dpo-evals').textContent()) ?? '';
    expect(evals).toMatch(/step 0: -?[\d.]+, .*step 8: -?[\d.]+;/);
    // the reference is the model as the run started (after SFT): KL 0 at step 0
    expect(evals).toMatch(/reference 0\.00,/);
    await page.locator('#block-dpo-lab').screenshot({ path: `${SHOTS}chapter-08-dpo.png` });

    // the download: a llama2.c checkpoint, its tokenizer and the sidecar, which the engine loads
    const downloads: Download[] = [];
    page.on('download', (d) => void downloads.push(d));
    await page.getByTestId('download-tuned').click();
    await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(3);
    const file = async (name: string) => {
      const d = downloads.find((x) => x.suggestedFilename() === name);
      if (!d) throw new Error(`no download named ${name}`);
      return readFileSync((await d.path())!);
    };
    const tuned = parseCheckpoint(
      new Uint8Array(await file('tuned-model.bin')),
      JSON.parse((await file('tuned-model.json')).toString('utf8')),
    );
    const tok = parseTokenizer(
      new Uint8Array(await file('tuned-tokenizer.bin')),
      tuned.config.vocabSize,
    );
    const gen = await generateAll(createCpuBackend(tuned), {
      promptIds: encodePrompt(tok, 'ROMEO:'),
      steps: 8,
      sampler: { temperature: 0, topK: 0, topP: 0, seed: 1n },
      tokenizer: tok,
    });
    expect(gen.ids.length).toBeGreaterThan(0);

    // the tuned model in every chapter
    await page.getByTestId('use-tuned').click();
    await page
      .getByTestId('tuned-msg')
      .filter({ hasText: 'live model of every chapter' })
      .waitFor();
    const liveName = (p: typeof page) =>
      p.getByTestId('model-status').locator('strong').first().textContent();
    await expect
      .poll(async () => liveName(page))
      .toMatch(/your model: main tuned: SFT 8 steps \+ DPO 8 steps/);
    const seq = await labSeq(page);
    await goHash(page, '#/01-rmsnorm');
    await waitForLabSeqAbove(page, seq);
    expect(await liveName(page)).toMatch(/tuned/);
    expect((await page.locator('[data-testid=lab] .tokens').textContent())?.length).toBeGreaterThan(
      0,
    );

    // reset: the base model everywhere again
    await goHash(page, '#/08-post-training');
    await page.getByTestId('reset-tuned').click();
    await page.getByTestId('tuned-msg').filter({ hasText: 'Back to the base model' }).waitFor();
    expect(await liveName(page)).toBe('main');
    // the tuned model stays among the reader's models
    expect(await page.getByTestId('model-menu').textContent()).toMatch(/main tuned: SFT 8 steps/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
