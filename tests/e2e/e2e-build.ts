// The build the end-to-end tests run against: the site built in Vite mode 'e2e' (`npm run
// build:e2e`, into dist-e2e/), which is the production build plus the test hooks
// (globalThis.__llamaLab, __llamaLabTrainer, __llamaPost and the worker's debugLoseDevice). The
// production build (`npm run build`, dist/) has none of them: production-bundle.test.ts checks.
//
// ensureE2eBuild() (re)builds dist-e2e/ when it is missing or older than any input of the build,
// so `npx vitest run --config vitest.e2e.config.ts tests/e2e/x.test.ts` always tests the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const E2E_DIST = join(ROOT, 'dist-e2e');
/** Written by every build, `npm run build:e2e` or ensureE2eBuild (the marker of freshness). */
const MARKER = join(E2E_DIST, 'index.html');

/** What the build reads (sources, assets, config). */
const INPUTS = [
  'src',
  'chapters',
  'assets',
  'public',
  'messages',
  'project.inlang',
  'index.html',
  'vite.config.ts',
  'svelte.config.js',
  'aliases.ts',
  'package-lock.json',
];

/** Written by `npm run i18n` before every build, typecheck and test run (from messages/ and
 * chapters/NN/messages/, which are inputs): their times say nothing about the sources. */
const GENERATED = [join(ROOT, 'src/paraglide'), join(ROOT, 'project.inlang/cache')];

function newest(path: string): number {
  if (!existsSync(path) || GENERATED.includes(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(path)) m = Math.max(m, newest(join(path, e)));
  return m;
}

/** True when `marker` (a file the build writes) is missing or older than an input. */
export function isStale(marker: string): boolean {
  if (!existsSync(marker)) return true;
  const built = statSync(marker).mtimeMs;
  return INPUTS.some((p) => newest(join(ROOT, p)) > built);
}

/** Build dist-e2e/ in mode 'e2e' unless it is up to date; returns its path. */
export async function ensureE2eBuild(): Promise<string> {
  if (!isStale(MARKER)) return E2E_DIST;
  const { build } = await import('vite');
  await build({
    root: ROOT,
    mode: 'e2e',
    logLevel: 'warn',
    build: { outDir: E2E_DIST, emptyOutDir: true },
  });
  return E2E_DIST;
}
