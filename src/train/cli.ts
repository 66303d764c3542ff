// `npm run train -- --data FILE --config CONFIG --out DIR [--steps N] [--workers N]
//   [--kernels js|wasm] [--name NAME] [--tokenizer FILE] [--no-samples]`
// Trains a tokenizer (or reuses FILE, a tokenizer.bin of the config's vocab_size) and a model on any UTF-8 text file and writes the shipped files into DIR.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Vocab } from './bpe.ts';
import { parseTrainConfig } from './config.ts';
import type { KernelKind } from './kernels.ts';
import { nodeSpawn } from './node-spawn.ts';
import { writeOutputs, writeSamples } from './outputs.ts';
import { train } from './trainer.ts';
import { vocabFromTokenizerFile } from './vocab-file.ts';

const USAGE =
  'usage: npm run train -- --data FILE --config CONFIG.json --out DIR [--steps N] [--workers N] [--kernels js|wasm] [--name NAME] [--tokenizer FILE] [--no-samples]';

function fail(msg: string): never {
  console.error(`train: ${msg}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (a === '--no-samples') {
      out.set('no-samples', '1');
      continue;
    }
    if (!a.startsWith('--')) fail(`unexpected argument ${JSON.stringify(a)}`);
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) fail(`${a} needs a value`);
    out.set(a.slice(2), v);
    i++;
  }
  for (const k of out.keys()) {
    if (
      ![
        'data',
        'config',
        'out',
        'steps',
        'workers',
        'kernels',
        'name',
        'tokenizer',
        'no-samples',
      ].includes(k)
    )
      fail(`unknown option --${k}`);
  }
  return out;
}

function readText(path: string): string {
  if (!existsSync(path)) fail(`data file ${path} does not exist`);
  if (!statSync(path).isFile()) fail(`data ${path} is not a file`);
  const bytes = readFileSync(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(`data file ${path} is not valid UTF-8 text`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataPath = args.get('data') ?? fail('--data is required');
  const configPath = args.get('config') ?? fail('--config is required');
  const out = args.get('out') ?? fail('--out is required');
  const text = readText(dataPath);
  if (!existsSync(configPath)) fail(`config file ${configPath} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (e) {
    fail(
      `config file ${configPath} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  let tc;
  try {
    tc = parseTrainConfig(json);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const int = (k: string): number | undefined => {
    const v = args.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      fail(`--${k} must be a positive integer, got ${JSON.stringify(v)}`);
    return n;
  };
  tc.train.steps = int('steps') ?? tc.train.steps;
  tc.train.workers = int('workers') ?? tc.train.workers;
  if (tc.train.batchSize % tc.train.workers !== 0)
    fail(`batch size ${tc.train.batchSize} is not a multiple of --workers ${tc.train.workers}`);
  const kernels = (args.get('kernels') ?? 'wasm') as KernelKind;
  if (!['js', 'wasm'].includes(kernels))
    fail(`--kernels must be js or wasm, got ${JSON.stringify(kernels)}`);
  const tokPath = args.get('tokenizer');
  let vocab: Vocab | undefined;
  if (tokPath !== undefined) {
    if (!existsSync(tokPath)) fail(`tokenizer file ${tokPath} does not exist`);
    try {
      vocab = vocabFromTokenizerFile(readFileSync(tokPath), tc.vocabSize);
    } catch (e) {
      fail(`tokenizer file ${tokPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const name = args.get('name') ?? basename(out);
  const command = `npm run train -- ${process.argv.slice(2).join(' ')}`;
  const start = performance.now();
  const log = (l: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`);
  log(
    `training ${name}: ${JSON.stringify(tc.model)}, ${tc.train.steps} steps of ${tc.train.batchSize} x ${tc.model.seqLen} tokens, ${tc.train.workers} worker(s), ${kernels} kernels`,
  );
  const base = { name, train: tc.train, command, data: basename(dataPath), kernels };
  const result = await train(tc, text, {
    kernels,
    spawn: nodeSpawn,
    log,
    vocab,
    onEval: (r) => {
      // a checkpoint after every validation, so an interrupted run still leaves a usable model
      writeOutputs(out, r, {
        ...base,
        wallTimeS: (performance.now() - start) / 1000,
        finished: false,
      });
    },
  });
  writeOutputs(out, result, {
    ...base,
    wallTimeS: Math.round((performance.now() - start) / 100) / 10,
    finished: true,
  });
  if (args.get('no-samples') === undefined) await writeSamples(out);
  log(
    `done: val ${result.valNatsPerToken.toFixed(4)} nats/token, ${result.valBitsPerChar.toFixed(4)} bits/char; wrote ${out}`,
  );
}

main().catch((e) => {
  console.error(`train: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
