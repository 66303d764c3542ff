// `npm run llama -- generate | logits | info`: the engine from the command line, reading both
// checkpoint layouts. Text is printed the way run.c prints it (safe_printf), so its stdout can be
// compared byte for byte with run.c's. Any bad input: one line on stderr, exit code 2.

import { writeFileSync } from 'node:fs';
import { countParams, describeConfig } from '../engine/config.ts';
import { createCpuBackend } from '../engine/cpu/backend.ts';
import { LlamaInputError, errorMessage } from '../engine/errors.ts';
import { encodePrompt, generate, positionsNeeded } from '../engine/generate.ts';
import { generateSamples } from '../engine/generate-samples.ts';
import { MAX_BLOCK_SIZE, blocksFor } from '../engine/cpu/paged-kv.ts';
import { validateSamplerSettings } from '../engine/sampler.ts';
import { speculateAll } from '../engine/speculative.ts';
import { runcPrintedBytes, safePiece, type Tokenizer } from '../engine/tokenizer.ts';
import type { Model, SamplerSettings } from '../engine/types.ts';
import { loadCheckpointFile, loadTokenizerFile } from '../node/files.ts';
import {
  countFlag,
  idListFlag,
  numberFlag,
  parseCommandLine,
  requireString,
  seedFlag,
  USAGE,
  UsageError,
  type ParsedArgs,
} from './args.ts';
import { speculationReport } from './report.ts';

type Values = ParsedArgs['values'];

const DEFAULT_STEPS = 256;

function load(values: Values) {
  const sidecar = values.sidecar === undefined ? undefined : String(values.sidecar);
  return loadCheckpointFile(requireString(values, 'model'), sidecar);
}

async function runGenerate(values: Values): Promise<void> {
  requireString(values, 'model'); // report a missing --model before anything else
  const tokenizerPath = requireString(values, 'tokenizer');
  const prompt = values.prompt === undefined ? '' : String(values.prompt);
  const steps = countFlag(values, 'steps');
  const temperature = numberFlag(values, 'temperature') ?? 1.0;
  const topP = numberFlag(values, 'topp') ?? 0.9;
  const topK = countFlag(values, 'topk') ?? 0;
  const minP = numberFlag(values, 'minp') ?? 0;
  const gamma = countFlag(values, 'speculate');
  const draftPath = values.draft === undefined ? undefined : requireString(values, 'draft');
  if ((gamma === undefined) !== (draftPath === undefined)) {
    throw new UsageError('--draft and --speculate go together (see --help)');
  }
  if (values['draft-sidecar'] !== undefined && draftPath === undefined) {
    throw new UsageError('--draft-sidecar needs --draft (see --help)');
  }
  const seed = seedFlag(values) ?? BigInt(Math.floor(Date.now() / 1000)); // run.c: time(NULL)
  const asIds = values.ids === 'true';

  const { model } = load(values);
  const tok = loadTokenizerFile(tokenizerPath, model.config.vocabSize);
  const promptIds = encodePrompt(tok, prompt);
  const fits = model.config.seqLen - promptIds.length + 1;
  const n = steps ?? Math.max(0, Math.min(DEFAULT_STEPS, fits));
  if (positionsNeeded(promptIds.length, n) > model.config.seqLen) {
    throw new UsageError(
      `--steps ${n} after a ${promptIds.length}-token prompt needs ${positionsNeeded(promptIds.length, n)} positions, but the model's seq_len is ${model.config.seqLen} (at most ${Math.max(fits, 0)} steps)`,
    );
  }
  const sampler = { temperature, topP, topK, minP, seed };
  validateSamplerSettings(sampler);
  const samples = countFlag(values, 'samples');
  const blockSize = countFlag(values, 'block-size');
  if (samples !== undefined || blockSize !== undefined) {
    if (draftPath !== undefined)
      throw new UsageError(
        '--samples and --block-size cannot be combined with --draft (see --help)',
      );
    runSamples(model, tok, promptIds, n, samples ?? 1, blockSize ?? 16, sampler, asIds);
    return;
  }
  const backend = createCpuBackend(model);
  const out = process.stdout;
  if (draftPath !== undefined && gamma !== undefined) {
    const ds = values['draft-sidecar'];
    const draft = loadCheckpointFile(draftPath, ds === undefined ? undefined : String(ds)).model;
    const t0 = performance.now();
    const r = await speculateAll(backend, createCpuBackend(draft), {
      promptIds,
      steps: n,
      gamma,
      sampler,
    });
    const ms = performance.now() - t0;
    const all = [...promptIds, ...r.ids];
    if (asIds) out.write(all.join('\n') + '\n');
    else out.write(runcPrintedBytes(tok, all));
    process.stderr.write(speculationReport(r.stats, gamma, ms) + '\n');
    return;
  }
  if (asIds) {
    const lines: string[] = promptIds.map(String);
    for await (const t of generate(backend, {
      promptIds,
      steps: n,
      sampler,
    })) {
      lines.push(String(t.id));
    }
    out.write(lines.join('\n') + '\n');
    return;
  }
  // run.c: every token after the first is printed with decode(prev, next) + safe_printf,
  // prompt tokens included; a final newline.
  for await (const t of generate(backend, {
    promptIds,
    steps: n,
    sampler,
    tokenizer: tok,
    includePrompt: true,
  })) {
    const piece = safePiece(t.bytes);
    if (piece.length > 0) out.write(piece);
  }
  out.write('\n');
}

/** K samples of one prompt in one batch through the paged KV cache (--samples, --block-size). */
function runSamples(
  model: Model,
  tok: Tokenizer,
  promptIds: number[],
  steps: number,
  samples: number,
  blockSize: number,
  sampler: SamplerSettings,
  asIds: boolean,
): void {
  if (samples < 1 || samples > 64) {
    throw new UsageError(`--samples must be a whole number from 1 to 64, got ${samples}`);
  }
  if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
    throw new UsageError(
      `--block-size must be a whole number from 1 to ${MAX_BLOCK_SIZE}, got ${blockSize}`,
    );
  }
  const positions = positionsNeeded(promptIds.length, steps);
  const numBlocks = samples * blocksFor(Math.max(positions, 1), blockSize);
  const backend = createCpuBackend(model, undefined, { paged: { blockSize, numBlocks } });
  const r = generateSamples(backend, { promptIds, steps, samples, sampler });
  const out = process.stdout;
  r.samples.forEach((s, i) => {
    const ids = [...promptIds, ...s.ids];
    if (asIds) {
      out.write(ids.join(',') + '\n');
      return;
    }
    out.write(`--- sample ${i + 1} of ${samples} (seed ${s.seed}) ---\n`);
    out.write(Buffer.from(runcPrintedBytes(tok, ids)));
  });
  const st = r.stats;
  const kib = (blocks: number) => `${((blocks * r.blockBytes) / 1024).toFixed(1)} KiB`;
  out.write(
    `paged KV cache, block size ${blockSize}: ${st.usedBlocks} blocks used of ${st.totalBlocks}, ` +
      `${st.sharedBlocks} shared, ${st.copiedBlocks} copied on write; ${kib(st.usedBlocks)} of K/V ` +
      `against ${r.separateBlocks} blocks (${kib(r.separateBlocks)}) for ${samples} separate caches\n`,
  );
}

async function runLogits(values: Values): Promise<void> {
  const ids = idListFlag(values, 'ids');
  const outPath = requireString(values, 'out');
  const { model } = load(values);
  const { vocabSize, seqLen } = model.config;
  if (ids.length > seqLen) {
    throw new UsageError(
      `--ids holds ${ids.length} tokens, more than the model's seq_len ${seqLen}`,
    );
  }
  ids.forEach((id) => {
    if (id >= vocabSize)
      throw new UsageError(`token id ${id} is outside the vocab of ${vocabSize}`);
  });
  const backend = createCpuBackend(model);
  const r = await backend.forwardPrompt(ids, 0, { allLogits: true });
  const rows = r.allLogits;
  if (rows === undefined || rows.length !== ids.length * vocabSize) {
    throw new Error('the backend did not return every row of logits');
  }
  const file = new ArrayBuffer(8 + 4 * rows.length);
  const view = new DataView(file);
  view.setInt32(0, ids.length, true);
  view.setInt32(4, vocabSize, true);
  new Float32Array(file, 8).set(rows);
  try {
    writeFileSync(outPath, new Uint8Array(file));
  } catch (e) {
    throw new UsageError(`cannot write ${outPath}: ${errorMessage(e)}`);
  }
  process.stdout.write(`wrote ${outPath}: ${ids.length} rows x ${vocabSize} logits\n`);
}

function runInfo(values: Values): void {
  const loaded = load(values);
  const c = loaded.model.config;
  const info = {
    file: loaded.path,
    file_version: loaded.model.fileVersion,
    bytes: loaded.bytes,
    sidecar: loaded.sidecarPath,
    parameters: countParams(c),
    config: {
      dim: c.dim,
      hidden_dim: c.hiddenDim,
      n_layers: c.nLayers,
      n_heads: c.nHeads,
      n_kv_heads: c.nKvHeads,
      vocab_size: c.vocabSize,
      seq_len: c.seqLen,
      shared_classifier: c.sharedClassifier,
      norm_eps: c.normEps,
      rope_base: c.ropeBase,
      norm: c.norm,
      ffn: c.ffn,
      activation: c.activation,
      position: c.position,
    },
  };
  if (values.json) {
    process.stdout.write(JSON.stringify(info, null, 2) + '\n');
    return;
  }
  const lines = [
    `file: ${info.file} (${info.file_version === 0 ? 'llama2.c legacy version 0' : 'export.py version 1'}, ${info.bytes} bytes)`,
    `sidecar: ${info.sidecar ?? 'none (run.c defaults)'}`,
    `parameters: ${info.parameters}`,
    `config: ${describeConfig(c)}`,
    ...Object.entries(info.config).map(([k, v]) => `  ${k}: ${v}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const { command, values } = parseCommandLine(argv);
    if (command === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (command === 'generate') await runGenerate(values);
    else if (command === 'logits') await runLogits(values);
    else runInfo(values);
    return 0;
  } catch (e) {
    const line = errorMessage(e).split('\n')[0];
    process.stderr.write(`llama: ${line}\n`);
    return e instanceof LlamaInputError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
