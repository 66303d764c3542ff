// Command-line parsing for `npm run llama -- <command> ...` (node:util parseArgs), kept apart
// from the commands so every flag check has one place and one message style.

import { parseArgs } from 'node:util';
import { LlamaInputError } from '../engine/errors.ts';

/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends LlamaInputError {}

export const USAGE = `usage: npm run llama -- <command> [options]

commands:
  generate  --model M --tokenizer T [--prompt P] [--steps N] [--temperature X] [--topp P]
            [--topk K] [--minp P] [--seed S] [--ids] [--sidecar J] [--samples K] [--block-size B]
            [--draft D --speculate GAMMA [--draft-sidecar J]]
            Generate N tokens after the prompt (default: 256, or what fits in seq_len) and print
            the text as run.c prints it, or with --ids the prompt ids then the generated ids,
            one per line. Defaults: temperature 1.0, topp 0.9, topk 0 (off), minp 0 (off),
            seed from the clock.
            --samples K (1..64) generates K samples of the prompt in one batch through a paged
            KV cache of blocks of B positions (--block-size, 1..64, default 16): sample 0 uses
            the seed, sample i a seed derived from it (printed). The samples share the prompt's
            blocks; a last line reports blocks used, shared and copied on write. With --ids,
            one line of comma-separated ids per sample.
            With --draft and --speculate: speculative decoding, the draft model D (same
            tokenizer) proposing GAMMA tokens per pass of M; the acceptance rate and tokens per
            main-model pass go to stderr.
  logits    --model M --ids 1,2,3 --out F [--sidecar J]
            Feed the ids at positions 0.. and write every row of logits to F:
            int32 rows, int32 vocab, float32 rows x vocab.
  info      --model M [--sidecar J] [--json]
            Print the config, the parameter count and the file size.

The sidecar (norm eps, RoPE base, architecture variant) defaults to the .json beside the model
(model.bin -> model.json), else run.c's defaults. Errors print one line and exit with code 2.`;

export type Command = 'generate' | 'logits' | 'info';

export interface ParsedArgs {
  command: Command | 'help';
  values: Record<string, string | boolean | undefined>;
}

const OPTIONS = {
  model: { type: 'string' },
  tokenizer: { type: 'string' },
  sidecar: { type: 'string' },
  prompt: { type: 'string' },
  steps: { type: 'string' },
  temperature: { type: 'string' },
  topp: { type: 'string' },
  topk: { type: 'string' },
  minp: { type: 'string' },
  draft: { type: 'string' },
  'draft-sidecar': { type: 'string' },
  speculate: { type: 'string' },
  seed: { type: 'string' },
  ids: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  samples: { type: 'string' },
  'block-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which options each command accepts (`ids` is a flag for generate, a list for logits). */
const ALLOWED: Record<Command, string[]> = {
  generate: [
    'model',
    'tokenizer',
    'sidecar',
    'prompt',
    'steps',
    'temperature',
    'topp',
    'topk',
    'minp',
    'seed',
    'ids',
    'samples',
    'block-size',
    'draft',
    'draft-sidecar',
    'speculate',
  ],
  logits: ['model', 'sidecar', 'ids', 'out'],
  info: ['model', 'sidecar', 'json'],
};

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { command: 'help', values: {} };
  }
  if (!(command in ALLOWED)) {
    throw new UsageError(
      `unknown command "${command}" (commands: generate, logits, info; see --help)`,
    );
  }
  const cmd = command as Command;
  // generate's --ids is a flag with no value: turn it into "--ids=true" so one option table works.
  // A string option takes the next argument as its value even if it starts with '-' (--seed -1,
  // --prompt "-x"), which parseArgs would otherwise call ambiguous.
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : '';
    if (cmd === 'generate' && name === 'ids') args.push('--ids=true');
    else if (
      name in OPTIONS &&
      OPTIONS[name as keyof typeof OPTIONS].type === 'string' &&
      i + 1 < rest.length
    ) {
      args.push(`${a}=${rest[++i]}`);
    } else args.push(a);
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see --help)`);
  }
  if (values.help) return { command: 'help', values: {} };
  for (const key of Object.keys(values)) {
    if (!ALLOWED[cmd].includes(key)) {
      throw new UsageError(`${cmd} does not take --${key} (see --help)`);
    }
  }
  if (cmd === 'generate' && values.ids !== undefined && values.ids !== 'true') {
    throw new UsageError('generate takes --ids as a flag with no value (see --help)');
  }
  return { command: cmd, values };
}

export function requireString(values: ParsedArgs['values'], key: string): string {
  const v = values[key];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${key} (see --help)`);
  return v;
}

/** A finite number flag; `undefined` when absent. */
export function numberFlag(values: ParsedArgs['values'], key: string): number | undefined {
  const v = values[key];
  if (v === undefined) return undefined;
  const s = String(v).trim();
  const n = Number(s);
  if (s === '' || !Number.isFinite(n)) {
    throw new UsageError(`--${key} must be a number, got "${String(v)}"`);
  }
  return n;
}

/** A whole-number flag >= 0; `undefined` when absent. */
export function countFlag(values: ParsedArgs['values'], key: string): number | undefined {
  const n = numberFlag(values, key);
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) {
    throw new UsageError(`--${key} must be a whole number >= 0, got "${String(values[key])}"`);
  }
  return n;
}

/** run.c's -s: a (possibly negative) integer, kept exact as a bigint. */
export function seedFlag(values: ParsedArgs['values']): bigint | undefined {
  const v = values.seed;
  if (v === undefined) return undefined;
  const s = String(v).trim();
  if (!/^-?\d+$/.test(s)) throw new UsageError(`--seed must be an integer, got "${String(v)}"`);
  return BigInt(s);
}

/** A comma-separated list of token ids, e.g. "1,2,3". */
export function idListFlag(values: ParsedArgs['values'], key: string): number[] {
  const s = requireString(values, key);
  const parts = s.split(',').map((p) => p.trim());
  return parts.map((p) => {
    if (!/^\d+$/.test(p)) {
      throw new UsageError(
        `--${key} must be comma-separated token ids like 1,2,3; "${p}" is not one`,
      );
    }
    return Number(p);
  });
}
