// Settings that follow the loaded model, on the built site: a link whose layer, K/V head and K/V
// groups do not fit the built-in model is clamped with the usual notice and the lab runs (no
// endless "Running the model…"); with another model loaded the same link fits as it is, and the
// lab's prose names what the loaded model was trained with.
import { describe, expect, inject, it } from 'vitest';
import { openPage } from './browser.ts';
import {
  goHash,
  labSeq,
  loadFixtureModel,
  settledUrl,
  useBrowser,
  waitForLabSeqAbove,
} from './helpers.ts';

const base = inject('baseUrl');
const browser = useBrowser();

describe('settings follow the loaded model', () => {
  it('clamps shape-bound settings with a notice, runs the lab, and re-fits for another model', async () => {
    const { page, errors } = await openPage(browser(), base);
    const link = '#/04-attention?layer=40&group=3&kvGroups=4&prompt=First%20Citizen';
    await goHash(page, link);
    const lab = page.getByTestId('lab');
    await lab.getByTestId('kl').waitFor({ timeout: 60_000 });
    const notices = (await page.getByTestId('url-notices').textContent()) ?? '';
    // the built-in model: 5 layers, 4 query heads sharing 2 K/V heads
    expect(notices).toMatch(
      /Layer \(layer\) = 40 is beyond the loaded model \(“main”\), which has 5 layers, numbered 0 to 4: set to 4\./,
    );
    expect(notices).toMatch(
      /K\/V head \(group\) = 3 is beyond .*2 K\/V heads, numbered 0 to 1: set to 1\./,
    );
    expect(notices).toMatch(/KV groups \(kvGroups\) = 4 does not fit .*\(1, 2\)\. Set to 2\./);
    expect(await settledUrl(page)).toContain('layer=4');
    expect(await settledUrl(page)).toContain('group=1');
    await expect(lab.locator('[role=alert]').count()).resolves.toBe(0);
    expect(await lab.textContent()).not.toContain('Running the model…');
    expect(await lab.getByTestId('lab-intro').textContent()).toMatch(
      /^The model below was trained with grouped-query attention \(4 query heads sharing 2 K\/V heads\)/,
    );

    // another model (8 query heads, 4 K/V heads): the same link now fits as it is
    await loadFixtureModel(page);
    const seq = await labSeq(page);
    await goHash(page, link.replace('layer=40', 'layer=4'));
    await waitForLabSeqAbove(page, seq);
    expect(await page.getByTestId('url-notices').count()).toBe(0);
    expect(await settledUrl(page)).toContain('group=3');
    expect(await settledUrl(page)).toContain('kvGroups=4');
    expect(await lab.getByTestId('lab-intro').textContent()).toMatch(
      /trained with multi-head attention \(8 heads|trained with grouped-query attention \(8 query heads sharing 4 K\/V heads\)/,
    );
    expect(errors).toEqual([]);
  });
});
