// `npm run posttrain` on bad input: a clear message and exit code 2, never a stack trace.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/train/post/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, err: r.stderr };
}

describe('npm run posttrain: errors in words', () => {
  it('refuses a missing mode, an unknown preset, a hostile formula and a bad number', () => {
    const cases: [string[], RegExp][] = [
      [[], /first argument must be sft, rs or dpo/],
      [['dpo', '--reward', 'nope'], /unknown reward preset "nope"/],
      [['dpo', '--formula', 'import(x)'], /reward: The function “import” is not allowed/],
      [['rs', '--steps', '2.5'], /--steps must be a whole number/],
      [['sft', '--model', '/nonexistent'], /cannot read checkpoint .*no such file/],
    ];
    for (const [args, msg] of cases) {
      const r = run(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
