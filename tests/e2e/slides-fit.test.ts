// Slides from the back of a room, measured. At 1024x768 every slide of every chapter fits its
// frame: nothing below the bar (the stage does not scroll) and nothing cut off at the side (no
// formula, table or code box scrolling sideways, nothing past the stage's edge). At 1920x1080 the
// text of the Plot charts (ticks, axis titles, legends, labels) and of the hand-drawn SVG
// figures is at least 20 px on screen.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage } from './browser.ts';
import { goHash } from './helpers.ts';

const base = inject('baseUrl');
let browser: Browser;

const CHAPTERS = [
  '01-rmsnorm',
  '02-activations',
  '03-rope',
  '04-attention',
  '05-pretraining',
  '06-decoding',
  '07-serving',
  '08-post-training',
];

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function show(page: Page, slug: string, n: number): Promise<void> {
  await goHash(page, `#/${slug}?view=slides&slide=${n}`);
  await page.waitForFunction(
    ([s, h]) =>
      location.hash.startsWith(h) &&
      document.querySelector('[data-testid=slides]')?.getAttribute('data-slide') === s,
    [String(n), `#/${slug}`] as const,
  );
  // every chart of the slide drawn (PlotView marks it), then a frame for the layout to settle
  await page.waitForFunction(() => {
    const plots = [...document.querySelectorAll('.slide.current .plot')];
    return plots.length > 0 && plots.every((p) => p.getAttribute('data-chart') !== 'waiting');
  });
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
  );
}

/**
 * Show slide n and wait (up to 4 s: figures draw, the model answers) for it to fit its frame:
 * nothing below the bar (the stage does not scroll), nothing past the stage's side, no formula,
 * table or code box cut off (scrolling sideways). Returns how it misses ('' when it fits).
 */
function showAndMeasure(page: Page, slug: string, n: number): Promise<string> {
  return page.evaluate(
    async ([slug, n]) => {
      location.hash = `#/${slug}?view=slides&slide=${n}`;
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const misfit = () => {
        const stage = document.querySelector<HTMLElement>('.slides .stage');
        const slide = document.querySelector('.slide.current');
        const at = document.querySelector('[data-testid=slides]')?.getAttribute('data-slide');
        if (!stage || !slide || at !== String(n) || !location.hash.startsWith(`#/${slug}?`))
          return 'not shown';
        const out: string[] = [];
        const over = stage.scrollHeight - stage.clientHeight;
        if (over > 2) out.push(`${over} px below the frame`);
        const right = stage.getBoundingClientRect().right;
        const walk = (el: Element) => {
          for (const c of el.children) {
            if (c.classList.contains('visually-hidden') || c.classList.contains('katex-mathml'))
              continue;
            const cs = getComputedStyle(c);
            if (cs.display === 'none') continue;
            const name = `${c.tagName.toLowerCase()}.${[...c.classList].join('.')}`;
            if (cs.overflowX !== 'visible' && c.clientWidth > 0) {
              if (c.scrollWidth > c.clientWidth + 2)
                out.push(`${name} cut off by ${c.scrollWidth - c.clientWidth} px`);
              continue;
            }
            const b = c.getBoundingClientRect();
            if (b.width > 0 && b.right > right + 2) {
              out.push(`${name} ${Math.round(b.right - right)} px past the side`);
              continue;
            }
            walk(c);
          }
        };
        walk(slide);
        if (document.documentElement.scrollWidth > innerWidth)
          out.push('the page scrolls sideways');
        return out.join('; ');
      };
      await frame();
      await frame();
      let why = misfit();
      for (let t = 0; why && t < 40; t++) {
        await new Promise((r) => setTimeout(r, 100));
        why = misfit();
      }
      return why;
    },
    [slug, n] as const,
  );
}

describe('slides fit the screen', () => {
  it('every slide of every chapter fits 1024x768', async () => {
    const { page, context, errors } = await openPage(
      browser,
      `${base}#/01-rmsnorm?view=slides&slide=1`,
      { width: 1024, height: 768 },
    );
    await page.getByTestId('slides').waitFor();
    const bad: string[] = [];
    let walked = 0;
    for (const slug of CHAPTERS) {
      let total = 1;
      for (let n = 1; n <= total; n++) {
        const why = await showAndMeasure(page, slug, n);
        if (n === 1) {
          total = Number((await page.getByTestId('slide-count').textContent())?.split('/')[1]);
          expect(total).toBeGreaterThan(5);
        }
        if (why) bad.push(`${slug} slide ${n}: ${why}`);
        walked++;
      }
    }
    expect(walked).toBeGreaterThan(120);
    expect(bad).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('slides chart text', () => {
  it('chart text is at least 20 px at 1920x1080', async () => {
    const { page, context, errors } = await openPage(
      browser,
      `${base}#/02-activations?view=slides`,
      {
        width: 1920,
        height: 1080,
      },
    );
    await page.getByTestId('slides').waitFor();
    const small: string[] = [];
    let measured = 0;
    // a Plot chart slide of each chapter: 1 the vector, 2 the curves, 3 the spectrum, 4 the
    // calculator; and hand-drawn SVG figures: the geometry, the rotating pair, the heads diagram
    // (blocks before any block that takes several slides, so slide = block index + 1)
    for (const [slug, id] of [
      ['01-rmsnorm', 'vector'],
      ['02-activations', 'curves'],
      ['03-rope', 'spectrum'],
      ['04-attention', 'calculator'],
      ['01-rmsnorm', 'geometry'],
      ['03-rope', 'rotation'],
      ['04-attention', 'sharing'],
    ] as const) {
      await goHash(page, `#/${slug}?view=slides&slide=1`);
      await page.getByTestId('slide-count').waitFor();
      const n =
        (await page.evaluate(
          (i) => Number(document.getElementById(`block-${i}`)?.dataset.blockIndex),
          id,
        )) + 1;
      const plot = !['geometry', 'rotation', 'sharing'].includes(id);
      if (plot) {
        await show(page, slug, n);
        await page.locator('.slide.current .plot svg').first().waitFor();
      } else {
        await goHash(page, `#/${slug}?view=slides&slide=${n}`);
        await page.locator('.slide.current svg text >> visible=true').first().waitFor();
        await page.evaluate(
          () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
        );
      }
      const sizes = await page.evaluate(
        (plot) =>
          [...document.querySelectorAll<SVGTextElement>('.slide.current svg text')]
            .filter(
              (t) =>
                !!t.closest('.plot') === plot &&
                (t.textContent ?? '').trim() !== '' &&
                t.getBoundingClientRect().width > 0,
            )
            .map((t) => {
              const size = parseFloat(getComputedStyle(t).fontSize);
              const svg = t.ownerSVGElement!;
              // a Plot chart: its drawn width over its width; a hand-drawn one: its viewBox scale
              if (plot) return (size * svg.getBoundingClientRect().width) / svg.width.baseVal.value;
              const m = t.getScreenCTM()!;
              return size * Math.hypot(m.a, m.b);
            }),
        plot,
      );
      measured += sizes.length;
      const min = Math.min(...sizes);
      if (!(min >= 20)) small.push(`${slug}/${id}: smallest chart text ${min.toFixed(1)} px`);
    }
    expect(measured).toBeGreaterThan(40);
    expect(small).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
