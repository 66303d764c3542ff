// Slides from the back of a room, measured. At 1024x768 every slide of every chapter fits its
// frame: nothing below the bar (the stage does not scroll) and nothing cut off at the side (no
// formula, table or code box scrolling sideways, nothing past the stage's edge). At 1920x1080
// every slide with a chart, a hand-drawn figure or a lab (found on the way at 1024x768) fits too,
// and all its chart text (ticks, axis titles, legends, labels), figure text and lab text (knob
// labels and values, outputs, next-token lists) is at least 20 px as drawn, after the fit's zoom.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './browser.ts';
import { useBrowser } from './helpers.ts';

const base = inject('baseUrl');
const browser = useBrowser();

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

/** What a slide misses (empty: nothing), and whether its block has a chart, figure or lab. */
interface Measured {
  why: string;
  figures: boolean;
}

/**
 * Show slide n and wait (up to 4 s: figures draw, the model answers) for it to fit its frame:
 * nothing below the bar (the stage does not scroll), nothing past the stage's side, no formula,
 * table or code box cut off (scrolling sideways). With `text`, also every chart, figure and lab
 * text of the slide at least 20 px as drawn (the lab's outputs arrived, the charts drawn).
 */
function showAndMeasure(page: Page, slug: string, n: number, text: boolean): Promise<Measured> {
  return page.evaluate(
    async ([slug, n, text]) => {
      location.hash = `#/${slug}?view=slides&slide=${n}`;
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const current = () => {
        const at = document.querySelector('[data-testid=slides]')?.getAttribute('data-slide');
        return at === String(n) && location.hash.startsWith(`#/${slug}?`);
      };
      const misfit = () => {
        const stage = document.querySelector<HTMLElement>('.slides .stage');
        const slide = document.querySelector('.slide.current');
        if (!stage || !slide || !current()) return 'not shown';
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
      // chart, figure and lab text under 20 px as drawn (CSS zoom and SVG transforms included)
      const smallText = () => {
        const slide = document.querySelector('.slide.current');
        if (!slide || !current()) return 'not shown';
        // a chart on screen not drawn yet, or still showing its drawing for another width
        const pending = (p: Element) =>
          p.getBoundingClientRect().height > 0 &&
          ['waiting', 'stale'].includes(p.getAttribute('data-chart') ?? '');
        if ([...slide.querySelectorAll('.plot')].some(pending)) return 'charts not drawn';
        if (
          slide.querySelector('[data-testid=lab]') &&
          !slide.querySelector('.lab .outputs .group')
        )
          return 'no model output yet';
        const small = new Map<string, number>();
        const note = (what: string, px: number) => {
          if (px < 20) small.set(what, Math.min(px, small.get(what) ?? Infinity));
        };
        for (const t of slide.querySelectorAll<SVGTextElement>('svg text')) {
          const m = t.getScreenCTM();
          if (!m || !t.textContent?.trim() || t.getBoundingClientRect().width === 0) continue;
          const where = t.closest('.plot') ? 'chart' : 'figure';
          note(
            `${where} "${t.textContent.trim().slice(0, 12)}"`,
            parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
          );
        }
        const texts = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
        for (let t = texts.nextNode(); t; t = texts.nextNode()) {
          const el = t.parentElement;
          if (!el || !t.textContent?.trim() || el.closest('svg, .visually-hidden, .katex-mathml'))
            continue;
          const where = el.closest('.plot') ? 'chart legend' : el.closest('.lab') ? 'lab' : '';
          if (!where || el.getBoundingClientRect().width === 0) continue;
          note(
            `${where} "${t.textContent.trim().slice(0, 12)}"`,
            parseFloat(getComputedStyle(el).fontSize) * el.currentCSSZoom,
          );
        }
        if (!small.size) return '';
        const fit = document.querySelector<HTMLElement>('.slide.current .fit');
        const root = getComputedStyle(document.documentElement).fontSize;
        return `${[...small].map(([w, px]) => `${w} ${px.toFixed(1)} px`).join(', ')} (root ${root}, view ${document.documentElement.dataset.view}, zoom ${fit?.dataset.fitZoom})`;
      };
      const why = () => {
        const fit = misfit();
        return fit || !text ? fit : smallText();
      };
      await frame();
      await frame();
      let out = why();
      for (let t = 0; out && t < 40; t++) {
        await new Promise((r) => setTimeout(r, 100));
        out = why();
      }
      const slide = document.querySelector('.slide.current');
      return { why: out, figures: !!slide?.querySelector('svg text, .plot, .lab') };
    },
    [slug, n, text] as const,
  );
}

describe('slides from the back of the room', () => {
  it('every slide fits 1024x768; at 1920x1080 chart, figure and lab text is 20 px or more', async () => {
    const { page, context, errors } = await openPage(
      browser(),
      `${base}#/01-rmsnorm?view=slides&slide=1`,
      { width: 1024, height: 768 },
    );
    await page.getByTestId('slides').waitFor();
    const bad: string[] = [];
    const figures: [string, number][] = [];
    let walked = 0;
    for (const slug of CHAPTERS) {
      let total = 1;
      for (let n = 1; n <= total; n++) {
        const { why, figures: has } = await showAndMeasure(page, slug, n, false);
        if (n === 1) {
          total = Number((await page.getByTestId('slide-count').textContent())?.split('/')[1]);
          expect(total).toBeGreaterThan(5);
        }
        if (why) bad.push(`${slug} slide ${n}: ${why}`);
        if (has) figures.push([slug, n]);
        walked++;
      }
    }
    expect(walked).toBeGreaterThan(120);
    expect(bad).toEqual([]);

    // the same page on a 1080p projector: the slides with a chart, a figure or a lab
    await page.setViewportSize({ width: 1920, height: 1080 });
    const small: string[] = [];
    for (const [slug, n] of figures) {
      const { why } = await showAndMeasure(page, slug, n, true);
      if (why) small.push(`${slug} slide ${n}: ${why}`);
    }
    // every chapter has some (charts, the heads diagram, the cache filling up, the labs)
    expect(new Set(figures.map(([slug]) => slug)).size).toBe(CHAPTERS.length);
    expect(figures.length).toBeGreaterThan(40);
    expect(small).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
