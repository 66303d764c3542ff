// The CLI as a user runs it: spawned with tsx, stdout/stderr/exit code checked.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { countParams } from '$engine/config.ts';
import {
  fixtureBytes,
  fixturePath,
  fixtureModel,
  fixtureText,
  FIXTURE_PROMPT,
  greedyLogits,
  greedyRun,
  readLogitsFile,
  sampledRun,
} from '../../helpers/fixtures.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const cli = join(root, 'src/cli/llama.ts');
const MODEL = fixturePath('random-s.bin');
const TOK = fixturePath('tok512.bin');
const dir = mkdtempSync(join(tmpdir(), 'llama-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function llama(...args: string[]) {
  const r = spawnSync(tsx, [cli, ...args], { cwd: root, encoding: 'buffer', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

// Each case spawns tsx (a few seconds when the machine is idle, far more when it is loaded).
describe('npm run llama', { timeout: 300_000 }, () => {
  it('generate --ids reproduces the greedy fixture ids', () => {
    const run = greedyRun();
    const r = llama(
      'generate',
      '--model',
      MODEL,
      '--tokenizer',
      TOK,
      '--prompt',
      FIXTURE_PROMPT,
      '--steps',
      '100',
      '--temperature',
      '0',
      '--ids',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.toString().trim().split('\n').map(Number)).toEqual([
      ...run.prompt_ids,
      ...run.gen_ids,
    ]);
  });

  it('generate prints sample-t1-p09-s42.txt byte for byte', () => {
    const run = sampledRun();
    const r = llama(
      'generate',
      '--model',
      MODEL,
      '--tokenizer',
      TOK,
      '--prompt',
      FIXTURE_PROMPT,
      '--steps',
      String(run.gen_ids.length),
      '--temperature',
      '1',
      '--topp',
      '0.9',
      '--seed',
      '42',
    );
    expect(r.code).toBe(0);
    expect(r.stdout.equals(Buffer.from(fixtureText('sample-t1-p09-s42.txt')))).toBe(true);
  });

  it('logits writes every row within 1e-4 of greedy.logits', () => {
    const ref = greedyLogits();
    const out = join(dir, 'out.logits');
    const r = llama(
      'logits',
      '--model',
      MODEL,
      '--ids',
      greedyRun().fed_ids!.join(','),
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const got = readLogitsFile(out);
    expect([got.rows, got.vocab]).toEqual([ref.rows, ref.vocab]);
    let maxErr = 0;
    for (let i = 0; i < ref.data.length; i++)
      maxErr = Math.max(maxErr, Math.abs(got.data[i] - ref.data[i]));
    expect(maxErr).toBeLessThan(1e-4);
  });

  it('info prints the config, parameter count and bytes (and JSON)', () => {
    const r = llama('info', '--model', MODEL);
    expect(r.code).toBe(0);
    const text = r.stdout.toString();
    expect(text).toContain(`parameters: ${countParams(fixtureModel().config)}`);
    expect(text).toContain(`${fixtureBytes('random-s.bin').byteLength} bytes`);
    expect(text).toContain('n_kv_heads: 4');
    const j = llama('info', '--model', MODEL, '--json');
    const info = JSON.parse(j.stdout.toString());
    expect(info.config).toMatchObject(greedyRun().config);
    expect(info.file_version).toBe(0);
  });

  it('generate --draft --speculate: the greedy ids of plain generation; acceptance and tokens per pass on stderr', () => {
    const m = join(root, 'assets/models/main/');
    const args = ['generate', '--model', m + 'model.bin', '--tokenizer', m + 'tokenizer.bin'];
    const more = ['--prompt', 'ROMEO:', '--steps', '60', '--temperature', '0', '--ids'];
    const plain = llama(...args, ...more);
    expect(plain.code, plain.stderr).toBe(0);
    const spec = llama(
      ...args,
      ...more,
      '--draft',
      join(root, 'assets/models/draft/model.bin'),
      '--speculate',
      '4',
    );
    expect(spec.code).toBe(0);
    expect(spec.stdout.toString()).toBe(plain.stdout.toString());
    expect(spec.stderr).toMatch(
      /^speculative decoding, gamma 4: acceptance rate 0\.\d{3} \(\d+ of \d+ judged proposals\), \d\.\d{3} tokens per main-model pass \(60 tokens, \d+ passes;/,
    );
  });

  it('--help prints usage and exits 0', () => {
    const r = llama('--help');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^usage: npm run llama -- <command>/);
  });

  const truncated = join(dir, 'truncated.bin');
  writeFileSync(truncated, new Uint8Array(fixtureBytes('random-s.bin').slice(0, 5000)));
  const shortTok = join(dir, 'short-tok.bin');
  writeFileSync(shortTok, new Uint8Array(fixtureBytes('tok512.bin').slice(0, 300)));
  const gen = ['generate', '--model', MODEL, '--tokenizer', TOK];
  const errors: [string, string[], RegExp][] = [
    ['unknown command', ['bogus'], /unknown command "bogus"/],
    ['unknown flag', ['info', '--model', MODEL, '--foo'], /Unknown option '--foo'/],
    [
      'flag of another command',
      ['info', '--model', MODEL, '--out', 'x'],
      /info does not take --out/,
    ],
    ['missing --model', ['info'], /missing --model/],
    [
      'missing file',
      ['info', '--model', join(dir, 'none.bin')],
      /cannot read checkpoint .*none\.bin: no such file/,
    ],
    [
      'truncated checkpoint',
      ['info', '--model', truncated],
      /truncated\.bin: checkpoint is truncated: expected 1056540 bytes/,
    ],
    [
      'tokenizer shorter than the vocab',
      ['generate', '--model', MODEL, '--tokenizer', shortTok],
      /short-tok\.bin: tokenizer (is truncated|holds only)/,
    ],
    [
      'temperature not a number',
      [...gen, '--temperature', 'abc'],
      /--temperature must be a number, got "abc"/,
    ],
    ['negative top-p', [...gen, '--topp', '-0.5'], /top-p must be a number in \[0, 1\]/],
    ['seed 0', [...gen, '--seed', '0'], /seed 0 is not allowed/],
    ['min-p out of range', [...gen, '--minp', '2'], /min-p must be a number in \[0, 1\]/],
    [
      '--speculate without --draft',
      [...gen, '--speculate', '4'],
      /--draft and --speculate go together/,
    ],
    [
      'gamma 0',
      [...gen, '--draft', MODEL, '--speculate', '0'],
      /gamma \(draft tokens per round\) must be a whole number from 1 to 16/,
    ],
    [
      'too many steps',
      [...gen, '--steps', '600'],
      /needs 600 positions, but the model's seq_len is 512/,
    ],
    [
      'bad id list',
      ['logits', '--model', MODEL, '--ids', '1,x', '--out', join(dir, 'o')],
      /"x" is not one/,
    ],
    [
      'id outside the vocab',
      ['logits', '--model', MODEL, '--ids', '1,512', '--out', join(dir, 'o')],
      /token id 512 is outside the vocab of 512/,
    ],
  ];
  it.each(errors)('%s: one line on stderr, exit code 2', (_name, args, pattern) => {
    const r = llama(...args);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toMatch(/^llama: [^\n]+\n$/);
    expect(r.stderr).toMatch(pattern);
  });
});
