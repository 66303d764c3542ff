// Classroom features end to end, on the built site: the presenter window and the slides window
// follow each other both ways over one BroadcastChannel (keys, clicker, knobs), Esc returns to
// the section being shown, "Present as slides" starts at the reader's section, and slides show
// the link notices.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './browser.ts';
import { frames, goHash, labSeq, settledUrl, useBrowser, waitForLabSeqAbove } from './helpers.ts';

const base = inject('baseUrl');
const browser = useBrowser();

const slideOf = (page: Page, testId: string) =>
  page.evaluate(
    (id) => document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-slide'),
    testId,
  );

async function waitSlide(page: Page, testId: string, n: number): Promise<void> {
  try {
    await page.waitForFunction(
      ([id, s]) => document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-slide') === s,
      [testId, String(n)] as const,
      { timeout: 10_000 },
    );
  } catch {
    throw new Error(
      `expected slide ${n} in ${testId}, at ${await slideOf(page, testId)} (${page.url()})`,
    );
  }
}

describe('presenter view', () => {
  it('opens from slides and stays in sync both ways: keys, clicker, knobs, model status', async () => {
    const { page, context, errors } = await openPage(
      browser(),
      `${base}#/01-rmsnorm?view=slides&slide=1`,
    );
    await page.getByTestId('slides').waitFor();
    const [presenter] = await Promise.all([
      context.waitForEvent('page'),
      page.getByTestId('open-presenter').click(),
    ]);
    const perrors: string[] = [];
    presenter.on('console', (m) => {
      if (m.type() === 'error') perrors.push(m.text());
    });
    presenter.on('pageerror', (e) => perrors.push(e.message));
    await presenter.getByTestId('presenter').waitFor();
    expect(presenter.url()).toContain('#/01-rmsnorm/presenter');
    expect(await slideOf(presenter, 'presenter')).toBe('1');
    // notes for the teacher, the next slide and the clock
    const notes = (await presenter.getByTestId('speaker-notes').textContent()) ?? '';
    expect(notes).toMatch(/residual stream/);
    expect(await presenter.getByTestId('next-slide').locator('h2').first().textContent()).toMatch(
      /From LayerNorm to RMSNorm/,
    );
    expect(await presenter.getByTestId('elapsed').textContent()).toMatch(/^\d\d:\d\d$/);
    // the audience's live model reports to the presenter
    await presenter.waitForSelector('[data-testid=presenter-model][data-status=ready]', {
      timeout: 60_000,
    });
    expect(await presenter.getByTestId('presenter-model').textContent()).toMatch(
      /ready on (cpu|webgpu)/,
    );

    // audience key → presenter follows
    await page.keyboard.press('ArrowRight');
    await waitSlide(presenter, 'presenter', 2);
    expect(await presenter.getByTestId('speaker-notes').textContent()).not.toBe(notes);
    // presenter clicker (PageDown) on a derivation: both windows reveal the next step
    const audienceSteps = page.locator('.slide.current ol.steps[aria-live] > li');
    const presenterSteps = presenter.locator('.now ol.steps[aria-live] > li');
    expect(await audienceSteps.count()).toBe(1);
    await presenter.keyboard.press('PageDown');
    await page.waitForFunction(
      () => document.querySelectorAll('.slide.current ol.steps[aria-live] > li').length === 2,
    );
    expect(await presenterSteps.count()).toBe(2);
    expect(await slideOf(page, 'slides')).toBe('2');
    // presenter End → audience on the last slide; audience Home → presenter on the first
    await presenter.keyboard.press('End');
    const total = Number(
      ((await presenter.getByTestId('presenter-count').textContent()) ?? '').split('/')[1],
    );
    await waitSlide(page, 'slides', total);
    await page.keyboard.press('Home');
    await waitSlide(presenter, 'presenter', 1);

    // knobs: a change in the audience's lab reaches the presenter's URL, and back
    const labSlide = await page.evaluate(
      () =>
        Number(
          document
            .querySelector<HTMLElement>('.print-copy [data-testid=lab]')
            ?.closest<HTMLElement>('[data-block-index]')?.dataset.blockIndex,
        ) + 1,
    );
    expect(labSlide).toBeGreaterThan(1);
    await goHash(page, `#/01-rmsnorm?view=slides&slide=${labSlide}`);
    await waitSlide(presenter, 'presenter', labSlide);
    await page.locator('.slide.current [data-param=norm] select').selectOption('layernorm');
    await presenter.waitForFunction(() => location.hash.includes('norm=layernorm'));
    expect(await presenter.locator('.now [data-param=norm] select').inputValue()).toBe('layernorm');
    await presenter.locator('.now [data-param=eps] input[type=range]').fill('-2');
    await page.waitForFunction(() => location.hash.includes('eps=0.01'));
    expect(await page.locator('.slide.current [data-param=eps] output').textContent()).toBe('0.01');
    // the audience window keeps its own view
    expect(await settledUrl(page)).toContain('view=slides');
    expect(errors).toEqual([]);
    expect(perrors).toEqual([]);
    await context.close();
  });
});

describe('between reading and slides', () => {
  it('Esc returns to the section shown; Present starts at the section being read; notices show', async () => {
    const { page, context, errors } = await openPage(
      browser(),
      `${base}#/01-rmsnorm?view=slides&slide=8&eps=-5`,
    );
    await page.getByTestId('slides').waitFor();
    // the link notice is shown on the slide too
    expect(await page.getByTestId('url-notices').textContent()).toMatch(/eps/);
    await page.keyboard.press('Escape');
    await page.getByTestId('chapter').waitFor();
    await page.waitForFunction(() => {
      const top = document.getElementById('block-eps')?.getBoundingClientRect().top ?? 1e9;
      return Math.abs(top) < 120;
    });
    // scroll to the geometry figure (slide 5) and present: slides start there
    await page.mouse.wheel(0, 200); // the reader scrolls: the page stops holding the section
    await page.evaluate(() => document.getElementById('block-geometry')?.scrollIntoView());
    await page.getByTestId('present-here').click(); // in the sticky contents column

    await waitSlide(page, 'slides', 5); // geometry is the fifth block
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('reading on a phone and beside a lab', () => {
  it('a phone gets a contents menu, 44 px touch targets and scroll cues on wide tables', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/04-attention`, {
      width: 390,
      height: 844,
    });
    await page.getByTestId('chapter').waitFor();
    const menu = page.getByTestId('contents-menu');
    await menu.locator('summary').click();
    await menu.getByRole('button', { name: 'KV-cache calculator for the LLaMA family' }).click();
    await page.waitForFunction(() => {
      const top = document.getElementById('block-calculator')?.getBoundingClientRect().top ?? 1e9;
      return top >= 0 && top < 200;
    });
    expect(await menu.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('input[type=range], button, select')]
        .filter((el) => el.getClientRects().length > 0 && !el.closest('.katex'))
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.height < 44)
        .map((r) => `${r.width}x${r.height}`),
    );
    expect(small).toEqual([]);
    const cue = await page.evaluate(
      () => getComputedStyle(document.querySelector('.table-scroll')!).backgroundImage,
    );
    expect(cue).toMatch(/radial-gradient/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the lab keeps its knobs beside the figures they drive while the reader scrolls', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/03-rope`, {
      width: 1280,
      height: 900,
    });
    const lab = page.getByTestId('lab');
    await lab.waitFor();
    await page.getByText('Attention weights of every head').first().scrollIntoViewIfNeeded();
    await page.evaluate(() =>
      [...document.querySelectorAll('h3')]
        .find((h) => h.textContent?.startsWith('Loss on each position'))
        ?.scrollIntoView({ block: 'center' }),
    );
    const knob = await lab.locator('[data-param=rope]').boundingBox();
    expect(knob).not.toBeNull();
    expect(knob!.y).toBeGreaterThanOrEqual(0);
    expect(knob!.y + knob!.height).toBeLessThanOrEqual(900);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('on a phone the knob bar sticks above the figures it drives, works there, and folds', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/03-rope`, {
      width: 390,
      height: 844,
    });
    const lab = page.getByTestId('lab');
    await lab.locator('[data-testid=model-status][data-status=ready]').waitFor({ timeout: 60_000 });
    await waitForLabSeqAbove(page, 0); // the first prediction and trace are drawn
    const maps = lab.locator('h3', { hasText: 'Attention weights of every head' });
    await maps.waitFor({ timeout: 60_000 });
    await maps.evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await page.mouse.move(200, 600);
    await page.mouse.wheel(0, 600); // further down, into the maps
    await frames(page, 3);
    const place = () =>
      page.evaluate(() => {
        const bar = document.querySelector('[data-testid=lab-knobs]')!.getBoundingClientRect();
        const menu = document.querySelector('[data-testid=contents-menu]')!.getBoundingClientRect();
        // the attention maps on screen below the bar
        const mapsBelow = [...document.querySelectorAll('#block-lab svg')].filter((s) => {
          const r = s.getBoundingClientRect();
          return r.height > 100 && r.top < innerHeight && r.bottom > bar.bottom;
        }).length;
        return { top: bar.top, bottom: bar.bottom, menu: menu.bottom, mapsBelow, h: innerHeight };
      });
    const open = await place();
    expect(open.top, JSON.stringify(open)).toBeGreaterThanOrEqual(open.menu - 1);
    expect(open.top).toBeLessThan(open.menu + 8);
    expect(open.bottom).toBeLessThan(open.h * 0.6);
    expect(open.mapsBelow).toBeGreaterThan(0);
    // the knob works from the bar: RoPE off reaches the link and the model
    const seq = await labSeq(page);
    await lab.locator('[data-param=rope] input[type=checkbox]').uncheck();
    await waitForLabSeqAbove(page, seq);
    expect(await settledUrl(page)).toMatch(/rope=(off|false|0)/);
    // folded to one line, still on top
    await page.getByTestId('fold-knobs').click();
    const folded = await place();
    expect(folded.bottom - folded.top).toBeLessThan(90);
    expect(folded.top).toBeGreaterThanOrEqual(folded.menu - 1);
    expect(await page.getByTestId('fold-knobs').textContent()).toMatch(/RoPE ✗/);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('handouts', () => {
  it('printing a chapter in reading view hides the controls and prints reference addresses', async () => {
    const { page, context, errors } = await openPage(browser(), `${base}#/01-rmsnorm?eps=0.01`);
    await page.getByTestId('lab').waitFor();
    await page.locator('.plot svg').first().waitFor();
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => {
      const shown = (el: Element | null) => !!el && (el as HTMLElement).getClientRects().length > 0;
      const link = document.querySelector('#block-refs a[href^="https://arxiv.org/"]')!;
      return {
        controls: [
          ...document.querySelectorAll('main input, main select, main button, main textarea'),
        ].filter(shown).length,
        labKnobs: shown(document.querySelector('.lab .controls')),
        charts: [...document.querySelectorAll('.plot svg')].filter(shown).length,
        linkAfter: getComputedStyle(link, '::after').content,
        header: shown(document.querySelector('header.top')),
      };
    });
    expect(printed.controls).toBe(0);
    expect(printed.labKnobs).toBe(false);
    expect(printed.charts).toBeGreaterThan(2);
    expect(printed.linkAfter).toMatch(/https:\/\/arxiv\.org\/abs\/\d{4}\.\d{5}/);
    expect(printed.header).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
