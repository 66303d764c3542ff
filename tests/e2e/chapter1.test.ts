// Chapter 1 end to end, on the built site: the eps control changes the live output, a copied
// link restores the view in a new page, slides step forward and back, no console errors.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
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

async function labOutput(page: Page): Promise<{ kl: string; top: string }> {
  return {
    kl: (await page.getByTestId('kl').textContent()) ?? '',
    top: (await page.getByTestId('top-tokens').textContent()) ?? '',
  };
}

describe('chapter 1 with the live model', () => {
  let sharedUrl = '';
  let finalOut: { kl: string; top: string };

  it('moving the eps control changes the live output and the URL', async () => {
    const { page, context, errors } = await openPage(browser(), base);
    await loadFixtureModel(page);
    const seq0 = await labSeq(page);
    await goHash(page, '#/01-rmsnorm?prompt=First%20Citizen');
    await page.getByTestId('lab').waitFor();
    let seq = await waitForLabSeqAbove(page, seq0);
    const before = await labOutput(page);
    expect(before.kl).toMatch(/0 nats \(the trained model exactly\)/);

    const eps = page.getByTestId('lab').locator('[data-param=eps] input[type=range]');
    await eps.fill('0'); // log10(eps) = 0: eps = 1
    seq = await waitForLabSeqAbove(page, seq);
    const afterEps = await labOutput(page);
    expect(afterEps.kl).not.toEqual(before.kl);
    expect(afterEps.kl).toMatch(/KL divergence from the trained model: [0-9.e-]+ nats/);
    expect(afterEps.top).not.toEqual(before.top);
    expect(await page.getByTestId('lab').locator('[data-param=eps] output').textContent()).toBe(
      '1',
    );
    expect(await settledUrl(page)).toContain('eps=1');

    await page.getByTestId('lab').locator('[data-param=norm] select').selectOption('layernorm');
    await waitForLabSeqAbove(page, seq);
    expect(await settledUrl(page)).toContain('norm=layernorm');
    finalOut = await labOutput(page);
    expect(finalOut.kl).not.toEqual(afterEps.kl);
    // the histogram of a real hidden state is drawn from the trace
    await page.getByTestId('rms-before').waitFor();
    expect(Number(await page.getByTestId('rms-before').textContent())).toBeGreaterThan(0);
    // the "copy link" button puts exactly this view's address on the clipboard
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await page.getByTestId('copy-link').click();
    await page.getByText('Link copied').waitFor();
    sharedUrl = await page.evaluate(() => navigator.clipboard.readText());
    expect(sharedUrl).toBe(await settledUrl(page));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a copied link restores the same controls and the same live output in a new page', async () => {
    expect(sharedUrl).not.toBe('');
    const { page, context, errors } = await openPage(browser(), sharedUrl);
    const lab = page.getByTestId('lab');
    await lab.waitFor();
    expect(await lab.locator('[data-param=eps] output').textContent()).toBe('1');
    expect(await lab.locator('[data-param=norm] select').inputValue()).toBe('layernorm');
    expect(await lab.locator('textarea').inputValue()).toBe('First Citizen');
    // with the same model loaded, the same numbers come out
    await loadFixtureModel(page);
    const seq0 = await labSeq(page);
    await page.goBack();
    await lab.waitFor();
    await waitForLabSeqAbove(page, seq0);
    expect(await labOutput(page)).toEqual(finalOut);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('hostile link values are clamped or ignored with a visible notice, never rendered as markup', async () => {
    const hostile =
      '#/01-rmsnorm?eps=1e99&norm=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&prompt=%3Cb%3Ehi%3C%2Fb%3E&bogus=1&slide=-4';
    const { page, context, errors } = await openPage(browser(), `${base}${hostile}`);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const notices = page.getByTestId('url-notices');
    await notices.waitFor();
    const text = (await notices.textContent()) ?? '';
    expect(text).toMatch(/clamped to 1/);
    expect(text).toMatch(/expected one of rmsnorm, layernorm/);
    expect(text).toMatch(/unknown setting “bogus”/);
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.locator('b', { hasText: 'hi' }).count()).toBe(0);
    expect(await page.getByTestId('lab').locator('textarea').inputValue()).toBe('<b>hi</b>');
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('slides mode', () => {
  it('steps forward and back with arrows, clicker keys and space, and keeps the slide in the URL', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/01-rmsnorm`);
    await page.getByRole('button', { name: 'Present as slides' }).click();
    const count = page.getByTestId('slide-count');
    await count.waitFor();
    const total = Number(((await count.textContent()) ?? '').split('/')[1]);
    expect(total).toBeGreaterThan(5);
    expect(await count.textContent()).toBe(`1 / ${total}`);
    const steps = page.locator('.slide.current ol.steps[aria-live] > li');
    await page.keyboard.press('ArrowRight');
    expect(await count.textContent()).toBe(`2 / ${total}`);
    expect(await steps.count()).toBe(1);
    // slide 2 is a derivation: the next keys reveal its steps before the slide moves (a build)
    await page.keyboard.press('PageDown');
    expect(await count.textContent()).toBe(`2 / ${total}`);
    expect(await steps.count()).toBe(2);
    await page.keyboard.press('PageUp');
    expect(await steps.count()).toBe(1);
    await page.keyboard.press('PageUp');
    expect(await count.textContent()).toBe(`1 / ${total}`);
    await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Space');
    expect(await steps.count()).toBe(6);
    expect(await count.textContent()).toBe(`2 / ${total}`);
    await page.keyboard.press('Space');
    expect(await count.textContent()).toBe(`3 / ${total}`);
    await page.keyboard.press('ArrowLeft');
    expect(await count.textContent()).toBe(`2 / ${total}`);
    expect(await settledUrl(page)).toContain('view=slides');
    expect(await settledUrl(page)).toContain('slide=2');
    // coming back, the derivation starts at its first step again; one more press leaves it
    await page.keyboard.press('ArrowLeft');
    expect(await count.textContent()).toBe(`1 / ${total}`);
    // a key pressed on a control stays with the control
    await page.keyboard.press('Space');
    await page.keyboard.press('Space');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    expect(await count.textContent()).toBe(`3 / ${total}`);
    const shift = page.locator('.slide.current [data-param=shift] input[type=range]');
    await shift.focus();
    await page.keyboard.press('ArrowRight');
    expect(await count.textContent()).toBe(`3 / ${total}`);
    expect(await settledUrl(page)).toMatch(/shift=0\.1/);
    await shift.blur();
    await page.keyboard.press('End');
    expect(await count.textContent()).toBe(`${total} / ${total}`);
    await page.keyboard.press('ArrowRight');
    expect(await count.textContent()).toBe(`${total} / ${total}`);
    // the slide link restores the slide
    const again = await context.newPage();
    await again.goto(await settledUrl(page));
    await again.getByTestId('slide-count').waitFor();
    expect(await again.getByTestId('slide-count').textContent()).toBe(`${total} / ${total}`);
    // printing slides prints every block (a block paged over several slides prints once, whole),
    // one per page, without the controls bar
    await page.emulateMedia({ media: 'print' });
    const visible = await page.evaluate(() => {
      const all = [...document.querySelectorAll<HTMLElement>('.slide')];
      return [
        all.length,
        all.filter((el) => el.offsetHeight > 0).length,
        getComputedStyle(document.querySelector('.slides nav.bar')!).display,
        getComputedStyle(document.querySelector('.slide')!).breakAfter,
      ];
    });
    expect(visible[0]).toBeGreaterThan(5);
    expect(visible[0]).toBeLessThanOrEqual(total);
    expect(visible).toEqual([visible[0], visible[0], 'none', 'page']);
    await page.emulateMedia({ media: 'screen' });
    await page.keyboard.press('Escape');
    await page.getByTestId('chapter').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
