// Figures that do not touch the model (DESIGN.md: no figure update is a long task, > 50 ms):
// one step of chapter 2's β slider, from the input event to the next animation frame, the
// longest main-thread task it causes (Long Tasks API, so only tasks over 50 ms are seen) and how
// many figures redraw (only the curves figure reads β). Chromium, CPU path, built site.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { serveDist } from '../tests/e2e/global-setup.ts';
import { launch } from '../tests/e2e/browser.ts';
import { median, percentile, round, type Report } from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'bench/out/figures-dist');

export default async function figures(report: Report): Promise<void> {
  await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const { server, url } = await serveDist(outDir);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}#/02-activations`);
    for (const id of ['curves-chart', 'gate-surface', 'formula-chart'])
      await page.getByTestId(id).locator('svg').first().waitFor({ timeout: 120_000 });
    // the lab's first prediction and generation done: only the β step runs from here
    await page.waitForFunction(
      () => Number(document.documentElement.dataset.labSeq ?? 0) > 0,
      null,
      {
        timeout: 120_000,
      },
    );
    await page.waitForSelector('[data-testid=lab] [aria-busy=false]', { timeout: 120_000 });
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; redrawn: Set<string> };
      w.longTasks = [];
      w.redrawn = new Set();
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
      for (const sec of document.querySelectorAll('section.block'))
        new MutationObserver((ms) => {
          for (const m of ms)
            for (const n of m.addedNodes)
              if (n instanceof Element && n.matches('svg, figure')) w.redrawn.add(sec.id);
        }).observe(sec, { childList: true, subtree: true });
    });
    const slider = page.locator('#block-curves [data-param=beta] input[type=range]');
    const times: number[] = [];
    const longest: number[] = [];
    const redrawn: number[] = [];
    for (let i = 0; i < 24; i++) {
      const r = await slider.evaluate(
        (el, v) =>
          new Promise<[number, number, number]>((resolve) => {
            const w = window as unknown as { longTasks: number[]; redrawn: Set<string> };
            w.longTasks = [];
            w.redrawn.clear();
            const input = el as HTMLInputElement;
            const t0 = performance.now();
            input.value = v;
            input.dispatchEvent(new Event('input', { bubbles: true }));
            requestAnimationFrame(() => {
              const t1 = performance.now();
              // long-task entries arrive after the task: read them a little later
              setTimeout(
                () => resolve([t1 - t0, Math.max(0, ...w.longTasks), w.redrawn.size]),
                200,
              );
            });
          }),
        String((i % 2 ? -0.3 : 0.3) + (i % 5) * 0.1),
      );
      if (i >= 2) {
        times.push(r[0]);
        longest.push(r[1]);
        redrawn.push(r[2]);
      }
    }
    const n = times.length;
    report({
      name: 'figures: β step -> next frame, median',
      median: round(median(times)),
      unit: 'ms',
      note: `${n} steps of chapter 2's β slider; p95 ${round(percentile(times, 95))} ms`,
    });
    report({
      name: 'figures: β step, longest task (> 50 ms seen)',
      median: round(median(longest)),
      unit: 'ms',
      note: `0 = none over 50 ms; worst ${round(Math.max(...longest))} ms; ${longest.filter((x) => x > 0).length}/${n} steps had one`,
    });
    report({
      name: 'figures: β step, figures redrawn',
      median: median(redrawn),
      unit: 'blocks',
      note: 'only the curves figure reads β',
    });
  } finally {
    await browser.close();
    server.close();
  }
}
