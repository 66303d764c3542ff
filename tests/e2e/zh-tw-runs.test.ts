// Text that appears only after a run, in zh-TW (issue 18): the zh-TW walk (zh-tw.test.ts) sees
// every page as it opens; here the runs fill in what a reader sees next. Chapter 4's live lab with
// a second K/V-group setting tried (its "tried" table), chapter 5's training lab after a short run
// (status lines, the curves, the result, the samples; the model kept and made the live one, so
// last), chapter 6's rejection sampler and
// speculative decoding after they ran, chapter 7's paged-cache samples, chapter 8's best-of-K,
// rejection sampling, SFT and DPO results. On each: no English left (model output stays lang="en",
// see zh-tw-checks.ts), no serious axe violation, no console error; chapters 4 and 5 also at 390
// px after their runs. Runs are cut short (a few steps); every wait is on the page's state.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage, seriousViolations, type WatchedPage } from './browser.ts';
import { goHash, useBrowser } from './helpers.ts';
import { englishLeft, phoneProblems, settle } from './zh-tw-checks.ts';

const base = inject('baseUrl');
const SHOTS = fileURLToPath(new URL('../../tmp/screenshots/zh-tw/', import.meta.url));
const browser = useBrowser({ shots: SHOTS });

describe('zh-TW after runs', () => {
  let w: WatchedPage;
  beforeAll(async () => {
    w = await openPage(browser(), `${base}#/?lang=zh-TW`, { width: 1280, height: 900 });
    await w.page
      .locator('[data-testid=model-status][data-status=ready]')
      .waitFor({ timeout: 120_000 });
  });
  afterAll(async () => {
    await w?.context.close();
  });

  /** No English, axe clean, a screenshot; at 390 px too if asked (no overflow, no lone characters). */
  async function check(name: string, phone = false) {
    const { page } = w;
    await settle(page);
    expect.soft(await englishLeft(page), `${name}: English in the interface`).toEqual([]);
    expect.soft(await seriousViolations(page), `${name}: axe`).toEqual([]);
    await page.screenshot({ path: `${SHOTS}${name}.jpg`, fullPage: true, quality: 70 });
    if (phone) {
      await page.setViewportSize({ width: 390, height: 844 });
      await settle(page);
      expect.soft(await phoneProblems(page), `${name} at 390 px`).toEqual([]);
      await page.screenshot({ path: `${SHOTS}${name}-phone.jpg`, fullPage: true, quality: 70 });
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    expect(w.errors).toEqual([]);
  }

  it('chapter 4: the live lab with two K/V settings tried', async () => {
    const { page } = w;
    await goHash(page, '#/04-attention?lang=zh-TW');
    const rows = page.locator('[data-testid=kv-tried] tbody tr');
    await rows.first().waitFor({ timeout: 90_000 });
    await goHash(page, '#/04-attention?lang=zh-TW&kvGroups=1');
    await rows.nth(1).waitFor({ timeout: 90_000 });
    await check('runs-04-tried', true);
  });

  it('chapter 6: rejection sampling and speculative decoding after they ran', async () => {
    const { page } = w;
    await goHash(page, '#/06-decoding?lang=zh-TW&temp=0&gamma=3');
    const rej = page.getByTestId('rejection');
    await rej.getByTestId('draw').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=rejection]')?.getAttribute('data-draws') !== '0',
    );
    await page.getByTestId('spec-run').click();
    await page.getByTestId('spec-stats').waitFor({ timeout: 150_000 });
    await check('runs-06-spec');
  });

  it('chapter 7: the paged cache after its live samples', async () => {
    const { page } = w;
    await goHash(page, '#/07-serving?lang=zh-TW&k=2&gen=6');
    await page.getByTestId('block-table').waitFor({ timeout: 90_000 });
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid=live-samples]') as HTMLElement | null)?.dataset
          .running === 'false',
    );
    await check('runs-07-live');
  });

  it('chapter 8: best-of-K, rejection sampling, SFT and DPO results', async () => {
    const { page } = w;
    await goHash(page, '#/08-post-training?lang=zh-TW&k=2&rounds=1&ssteps=4&dsteps=4');
    await page.getByTestId('chapter').waitFor();
    for (const [job, result] of [
      ['bestofk', 'bok-summary'],
      ['rs', 'rs-summary'],
      ['sft', 'sft-compare'],
      ['dpo', 'dpo-samples'],
    ] as const) {
      await page.getByTestId(`run-${job}`).click();
      await page.getByTestId(result).waitFor({ timeout: 180_000 });
      // the run is over when its button is enabled again
      await page
        .getByTestId(`run-${job}`)
        .and(page.locator(':enabled'))
        .waitFor({ timeout: 180_000 });
    }
    await check('runs-08-tuned');
  });

  it('chapter 5 (last: its model becomes the live one): the training lab after a short run', async () => {
    const { page } = w;
    await goHash(page, '#/05-pretraining?lang=zh-TW');
    await page.getByTestId('train-lab').waitFor();
    for (const [k, v] of [
      ['steps', '6'],
      ['evalInterval', '3'],
      ['nLayers', '1'],
      ['seqLen', '32'],
    ]) {
      await page.getByTestId(`field-${k}`).fill(v);
      await page.getByTestId(`field-${k}`).press('Tab');
    }
    await page.getByTestId('train-start').click();
    await page.waitForSelector('[data-testid=train-lab][data-status=done]', { timeout: 150_000 });
    await page.getByTestId('train-samples').waitFor();
    await page.getByTestId('train-result').waitFor();
    // kept and made the live model: named in Chinese in the lab, in chapter 1's status line
    // and in the model menu
    await page.getByTestId('use-model').click();
    await page.getByTestId('train-result').filter({ hasText: '你的模型：' }).waitFor();
    await check('runs-05-trained', true);
    await goHash(page, '#/01-rmsnorm?lang=zh-TW');
    await page
      .getByTestId('model-status')
      .locator('strong')
      .first()
      .filter({ hasText: /^你的模型：/ })
      .waitFor({ timeout: 60_000 });
    await check('runs-01-your-model');
  });
});
