// Post-training speed (chapter 8): one DPO optimiser step on the shipped main model (4 pairs of
// 40-token responses, forward + backward + AdamW) in Node and in the page's trainer worker
// (Chromium, the built site), as milliseconds per step and training tokens per second; and the
// sampling speed of the policy (the inference engine, as best-of-K and the fresh-sample
// evaluations use it).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'vite';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import { Policy } from '$train/post/policy.ts';
import { timeDpo, type DpoTiming } from '$train/post/timing.ts';
import { serveDist } from '../tests/e2e/global-setup.ts';
import { launch } from '../tests/e2e/browser.ts';
import { median, round, type Report } from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'assets/models/main');

function row(report: Report, where: string, t: DpoTiming): void {
  const ms = median(t.ms);
  report({
    name: `posttrain: DPO step, ${where}`,
    median: round(ms),
    unit: 'ms',
    note: `${t.kernels} kernels, 4 pairs, ${t.tokens} positions, ${t.ms.length} steps`,
  });
  report({
    name: `posttrain: DPO training, ${where}`,
    median: round(t.tokens / (ms / 1000)),
    unit: 'tokens/s',
    note: 'forward + backward + AdamW',
  });
}

export default async function posttrain(report: Report): Promise<void> {
  const model = parseCheckpoint(
    readFileSync(join(dir, 'model.bin')),
    JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')),
  );
  const tok = parseTokenizer(readFileSync(join(dir, 'tokenizer.bin')), model.config.vocabSize);
  const policy = new Policy(model, tok, { kernels: 'wasm', T: 80 });
  row(report, 'Node', timeDpo(policy, 4, 40, 9));

  const t0 = performance.now();
  const samples = await policy.sample([1, 100, 101], 8, 64, 1);
  const n = samples.reduce((a, s) => a + s.ids.length, 0);
  report({
    name: 'posttrain: sampling, Node (CPU engine)',
    median: round(n / ((performance.now() - t0) / 1000)),
    unit: 'tokens/s',
    note: '8 samples of 64 tokens, temperature 1',
  });

  const outDir = join(root, 'bench/out/post-dist');
  await build({ root, mode: 'e2e', logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const { server, url } = await serveDist(outDir);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${url}#/08-post-training`);
    await page.getByTestId('chapter').waitFor();
    const t = await page.evaluate(async () => {
      const pt = (
        globalThis as unknown as {
          __llamaPost: { timeDpoStep: (p: number, n: number) => Promise<DpoTiming> };
        }
      ).__llamaPost;
      const all: DpoTiming = { ms: [], tokens: 0, kernels: '' };
      for (let i = 0; i < 3; i++) {
        const r = await pt.timeDpoStep(4, 40);
        all.ms.push(...r.ms);
        all.tokens = r.tokens;
        all.kernels = r.kernels;
      }
      return all;
    });
    row(report, 'page (Chromium worker)', t);
  } finally {
    await browser.close();
    server.close();
  }
}
