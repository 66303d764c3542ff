// `npm run llama -- generate --samples K --block-size B`: K samples of one prompt in one batch
// through the paged KV cache, spawned as a user runs it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sampleSeeds } from '$engine/generate-samples.ts';
import { fixturePath, fixtureText, FIXTURE_PROMPT, sampledRun } from '../../helpers/fixtures.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const cli = join(root, 'src/cli/llama.ts');
const base = [
  'generate',
  '--model',
  fixturePath('random-s.bin'),
  '--tokenizer',
  fixturePath('tok512.bin'),
  '--prompt',
  FIXTURE_PROMPT,
  '--temperature',
  '1',
  '--topp',
  '0.9',
  '--seed',
  '42',
];

function llama(...args: string[]) {
  const r = spawnSync(tsx, [cli, ...args], { cwd: root, encoding: 'buffer', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

describe('npm run llama -- generate --samples', () => {
  it("--ids: sample 1 is run.c's seed-42 fixture; the summary counts shared and copied blocks", () => {
    const run = sampledRun();
    const r = llama(...base, '--steps', '150', '--samples', '3', '--block-size', '16', '--ids');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.toString().trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0].split(',').map(Number)).toEqual([...run.prompt_ids, ...run.gen_ids]);
    expect(new Set(lines.slice(0, 3)).size).toBe(3);
    // 37 prompt tokens: 2 full blocks shared by all three, the third (5 positions) copied twice.
    expect(lines[3]).toMatch(/block size 16: \d+ blocks used of \d+, 2 shared, 2 copied on write/);
    expect(lines[3]).toMatch(/for 3 separate caches$/);
  });

  it("text: each sample under a header with its seed; the first is run.c's output byte for byte", () => {
    const r = llama(...base, '--steps', '150', '--samples', '2', '--block-size', '5');
    expect(r.code).toBe(0);
    const text = r.stdout.toString('latin1');
    const seeds = sampleSeeds(42n, 2);
    const h1 = `--- sample 1 of 2 (seed ${seeds[0]}) ---\n`;
    const h2 = `--- sample 2 of 2 (seed ${seeds[1]}) ---\n`;
    expect(text.startsWith(h1)).toBe(true);
    const first = text.slice(h1.length, text.indexOf(h2));
    expect(first).toBe(Buffer.from(fixtureText('sample-t1-p09-s42.txt')).toString('latin1'));
  });

  it('refuses a bad --samples or --block-size with one line and exit code 2', () => {
    for (const [flag, value, msg] of [
      ['--block-size', '65', /--block-size must be a whole number from 1 to 64, got 65/],
      ['--samples', '65', /--samples must be a whole number from 1 to 64/],
    ] as const) {
      const r = llama(...base, '--steps', '5', flag, value);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
