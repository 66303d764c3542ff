// The copies that make a clone self-contained (the llama2.c reference outputs and the training
// corpus) are byte for byte the files whose hashes their READMEs record.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** `name -> sha256` from the table rows of a README (a file name, then a 64-hex-digit hash). */
function recordedHashes(readme: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(readme, 'utf8').split('\n')) {
    const name = /^\| ([\w.-]+) \|/.exec(line)?.[1];
    const hash = /\b([0-9a-f]{64})\b/.exec(line)?.[1];
    if (name && hash) out.set(name, hash);
  }
  return out;
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('self-contained copies', () => {
  it('every llama2.c fixture matches the sha256 its README records, and none is unlisted', () => {
    const dir = `${root}tests/fixtures/llama2c/`;
    const recorded = recordedHashes(`${dir}README.md`);
    const files = readdirSync(dir).filter((f) => f !== 'README.md');
    expect(files.sort()).toEqual([...recorded.keys()].sort());
    for (const f of files) expect(sha256(dir + f), f).toBe(recorded.get(f));
  });

  it('the Shakespeare corpus is the recorded 1,115,394 bytes', () => {
    const path = `${root}assets/data/tinyshakespeare.txt`;
    const readme = readFileSync(`${root}assets/data/README.md`, 'utf8');
    const hash = /\b([0-9a-f]{64})\b/.exec(readme)?.[1];
    expect(readFileSync(path).byteLength).toBe(1_115_394);
    expect(sha256(path)).toBe(hash);
  });
});
