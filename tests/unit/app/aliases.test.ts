// The import aliases have one source (aliases.ts); tsconfig.json's `paths` must say the same, or
// the type checker and the bundler would resolve `$lib/...` to different files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aliasDirs } from '../../../aliases.ts';

describe('import aliases', () => {
  it('tsconfig paths mirror aliases.ts', () => {
    const ts = JSON.parse(readFileSync(new URL('../../../tsconfig.json', import.meta.url), 'utf8'));
    const expected = Object.fromEntries(
      Object.entries(aliasDirs).map(([k, v]) => [`${k}/*`, [`./${v}/*`]]),
    );
    expect(ts.compilerOptions.paths).toEqual(expected);
  });
});
