// `npm run train` on bad input: a clear message in words and a non-zero exit, never a stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'llama-train-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function train(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'src/train/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, err: r.stderr };
}

const good = join(dir, 'good.json');
writeFileSync(
  good,
  JSON.stringify({
    model: { dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, seq_len: 16 },
    vocab_size: 260,
    train: { steps: 2, batch_size: 2, workers: 1 },
  }),
);
const text = join(dir, 'text.txt');
writeFileSync(text, 'To be, or not to be, that is the question.\n'.repeat(40));

describe('npm run train: errors in words', () => {
  it('a missing data file', () => {
    const r = train('--data', join(dir, 'nope.txt'), '--config', good, '--out', join(dir, 'o'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/data file .*nope\.txt does not exist/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a data file that is not UTF-8 text', () => {
    const bin = join(dir, 'bin.dat');
    writeFileSync(bin, Uint8Array.from([0xff, 0xfe, 0x00, 0xc3, 0x28]));
    const r = train('--data', bin, '--config', good, '--out', join(dir, 'o'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not valid UTF-8/);
  });

  it('a config with a wrong field, and a missing option', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ model: { dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 3, seq_len: 16 } }),
    );
    const r = train('--data', text, '--config', bad, '--out', join(dir, 'o'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/model\.dim \(16\) must be n_heads \(3\) times an even head size/);
    const r2 = train('--data', text, '--config', good);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/--out is required/);
  });

  it('a text too short to train on', () => {
    const tiny = join(dir, 'tiny.txt');
    writeFileSync(tiny, 'hi\n');
    const r = train('--data', tiny, '--config', good, '--out', join(dir, 'o'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/too short/);
  });
});
