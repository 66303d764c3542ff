// Speculative decoding on the CPU engine in Node: the main model's tokens/s generating 200 tokens
// from "ROMEO:" plainly (generate(), one forward per token) and with the shipped draft model
// proposing gamma tokens per main-model pass (speculateAll), in the same run, at temperature 0
// (the same text both ways) and at temperature 0.8 / top-p 0.9. Medians over several runs, with
// the acceptance rate and tokens per main-model pass. The figures depend on how busy the machine
// is: the load average is printed with each row.
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { encodePrompt, generateAll } from '$engine/generate.ts';
import { speculateAll } from '$engine/speculative.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import type { Model, SamplerSettings } from '$engine/types.ts';
import { median, round, type Report } from './report.ts';

const dir = (name: string) => fileURLToPath(new URL(`../assets/models/${name}/`, import.meta.url));

function load(name: string): Model {
  return parseCheckpoint(
    readFileSync(dir(name) + 'model.bin'),
    JSON.parse(readFileSync(dir(name) + 'model.json', 'utf8')),
  );
}

const STEPS = 200;
const RUNS = 5;

export default async function (report: Report): Promise<void> {
  if (!existsSync(dir('draft') + 'model.bin')) return;
  const main = load('main');
  const draft = load('draft');
  const tok = parseTokenizer(readFileSync(dir('main') + 'tokenizer.bin'), main.config.vocabSize);
  const promptIds = encodePrompt(tok, 'ROMEO:');
  const mainB = createCpuBackend(main);
  const draftB = createCpuBackend(draft);
  const settings: [string, SamplerSettings][] = [
    ['T 0', { temperature: 0, topK: 0, topP: 0, seed: 1n }],
    ['T 0.8 top-p 0.9', { temperature: 0.8, topK: 0, topP: 0.9, seed: 1n }],
  ];
  for (const [label, sampler] of settings) {
    const plain = async () => {
      const t0 = performance.now();
      const r = await generateAll(mainB, { promptIds, steps: STEPS, sampler });
      return r.ids.length / ((performance.now() - t0) / 1000);
    };
    await plain(); // warm up the JIT
    const rates: number[] = [];
    for (let i = 0; i < RUNS; i++) rates.push(await plain());
    report({
      name: `speculative: plain decoding, ${label}`,
      median: round(median(rates)),
      unit: 'tok/s',
      note: `main model, ${STEPS} tokens from "ROMEO:", ${RUNS} runs; load avg ${loadavg()[0].toFixed(1)}`,
    });
    for (const gamma of [2, 4, 6]) {
      const spec = async () => {
        const t0 = performance.now();
        const r = await speculateAll(mainB, draftB, { promptIds, steps: STEPS, gamma, sampler });
        return { rate: r.ids.length / ((performance.now() - t0) / 1000), s: r.stats };
      };
      await spec();
      const runs: Awaited<ReturnType<typeof spec>>[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await spec());
      const s = runs[0].s;
      report({
        name: `speculative: gamma ${gamma}, ${label}`,
        median: round(median(runs.map((r) => r.rate))),
        unit: 'tok/s',
        note: `acceptance ${(s.accepted / s.judged).toFixed(2)}, ${(s.generated / s.mainPasses).toFixed(2)} tokens per main pass, ${s.draftPasses} draft passes; load avg ${loadavg()[0].toFixed(1)}`,
      });
    }
  }
}
