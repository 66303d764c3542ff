// The production build (`npm run build`, dist/) carries no test hook: none of the hooks' names
// appears in its JavaScript or HTML. The e2e build (dist-e2e/, mode 'e2e') has them, which shows
// the names searched for are the real ones.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_DIST, ROOT, isStale } from './e2e-build.ts';

const HOOKS = [
  '__llamaLab',
  '__llamaLabTrainer',
  '__llamaPost',
  '__llamaUrlPending',
  'debugLoseDevice',
];

/** Every .js / .html file under `dir` (source maps are not run, so not searched). */
function shipped(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...shipped(p));
    else if (/\.(js|mjs|html)$/.test(e))
      out.push({ file: p.slice(dir.length + 1), text: readFileSync(p, 'utf8') });
  }
  return out;
}

function hooksIn(dir: string): string[] {
  return shipped(dir).flatMap(({ file, text }) =>
    HOOKS.filter((h) => text.includes(h)).map((h) => `${file}: ${h}`),
  );
}

describe('test hooks stay out of the production build', () => {
  it('dist/ (npm run build) has none of the hook names; dist-e2e/ has each of them', () => {
    const dist = join(ROOT, 'dist');
    expect(
      isStale(join(dist, 'index.html')),
      'dist/ is missing or older than the sources: run `npm run build`',
    ).toBe(false);
    expect(hooksIn(dist)).toEqual([]);
    const e2e = new Set(hooksIn(E2E_DIST).map((s) => s.split(': ')[1]));
    expect([...e2e].sort()).toEqual([...HOOKS].sort());
  });
});
