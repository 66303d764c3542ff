// Training in the page against training in Node, in one run, on the same config and text: the
// shipped main model's shape (dim 64, 5 layers, 4 heads, 2 KV heads, hidden 176, vocab 512,
// sequences of 256, batch 8) on the first 200,000 characters of the Shakespeare corpus, 14
// optimiser steps. Both sides run src/train's train(); the page runs it in its coordinator Web
// Worker (PageTrainer, headless Chromium, cross-origin isolated build served like `vite preview`).
// Tokens/s is the median over steps 3..14 of the step's tokens over its time inside the optimiser
// step (the curve's timeS), so tokenizer training and validation are not counted. Also counts
// long tasks (> 50 ms) on the page's main thread while it trains.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseTrainConfig, type TrainConfig } from '$train/config.ts';
import { nodeSpawn } from '$train/node-spawn.ts';
import { train, type TrainPoint } from '$train/trainer.ts';
import { launch } from '../tests/e2e/browser.ts';
import { serveDist } from '../tests/e2e/global-setup.ts';
import { ensureE2eBuild } from '../tests/e2e/e2e-build.ts';
import { median, round, type Report } from './report.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const text = readFileSync(`${root}assets/data/tinyshakespeare.txt`, 'utf8').slice(0, 200_000);
const STEPS = 14;

function config(workers: number): TrainConfig {
  const main = JSON.parse(readFileSync(`${root}scripts/train/main.json`, 'utf8'));
  return parseTrainConfig({
    ...main,
    train: { ...main.train, steps: STEPS, eval_interval: 1000, workers },
  });
}

function rate(points: readonly Pick<TrainPoint, 'tokens' | 'timeS'>[]): number {
  const rates: number[] = [];
  for (let i = 2; i < points.length; i++) {
    const dt = points[i].timeS - points[i - 1].timeS;
    rates.push((points[i].tokens - points[i - 1].tokens) / dt);
  }
  return median(rates);
}

export default async function (report: Report): Promise<void> {
  // the e2e build: the page's trainer is reached through its test hook (__llamaLabTrainer)
  const outDir = await ensureE2eBuild();
  const load0 = loadavg()[0];
  const node: Record<number, number> = {};
  for (const w of [1, 2]) {
    const r = await train(config(w), text, { spawn: nodeSpawn });
    node[w] = rate(r.curve.train);
  }
  const pageRate: Record<number, number> = {};
  let longTasks = 0;
  let longest = 0;
  const { server, url } = await serveDist(outDir);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${url}#/05-pretraining`);
    await page.getByTestId('train-lab').waitFor();
    for (const w of [1, 2]) {
      const result = await page.evaluate(
        async ({ tc, t }) => {
          type T = {
            start: (c: unknown, s: string) => void;
            status: string;
            error: string;
            train: { tokens: number; timeS: number }[];
          };
          const tr = (globalThis as unknown as { __llamaLabTrainer: T }).__llamaLabTrainer;
          const long: number[] = [];
          let training = false;
          const obs = new PerformanceObserver((l) => {
            for (const e of l.getEntries()) if (training) long.push(e.duration);
          });
          obs.observe({ type: 'longtask', buffered: false });
          tr.start(tc, t);
          await new Promise<void>((ok) => {
            const timer = setInterval(() => {
              if (tr.train.length > 0) training = true;
              if (tr.status === 'done' || tr.status === 'error') {
                clearInterval(timer);
                ok();
              }
            }, 20);
          });
          obs.disconnect();
          return { status: tr.status, error: tr.error, train: tr.train, long };
        },
        { tc: config(w), t: text },
      );
      if (result.status !== 'done') throw new Error(`page run failed: ${result.error}`);
      pageRate[w] = rate(result.train);
      longTasks += result.long.length;
      longest = Math.max(longest, ...result.long, 0);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const load = `load average ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`;
  report({
    name: 'train (main shape) Node, 1 thread',
    median: round(node[1]),
    unit: 'tokens/s',
    note: load,
  });
  report({ name: 'train (main shape) Node, 2 workers', median: round(node[2]), unit: 'tokens/s' });
  report({
    name: 'train (main shape) page, 1 worker',
    median: round(pageRate[1]),
    unit: 'tokens/s',
    note: `${round(pageRate[1] / node[1], 2)}x Node 1 thread (target >= 0.8)`,
  });
  report({
    name: 'train (main shape) page, 2 workers',
    median: round(pageRate[2]),
    unit: 'tokens/s',
    note: `${round(pageRate[2] / pageRate[1], 2)}x page 1 worker (target >= 1.5)`,
  });
  report({
    name: 'train page: main-thread long tasks while training',
    median: longTasks,
    unit: 'tasks > 50 ms',
    note: `longest ${round(longest)} ms`,
  });
}
