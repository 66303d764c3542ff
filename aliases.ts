// Import aliases for code outside src/ (chapters, tests, benches): `$engine/x.ts` instead of
// `../../src/engine/x.ts`. One list for Vite and Vitest; tsconfig.json's `paths` mirror it (a test
// checks that they agree). Code inside src/ keeps relative imports so Node worker threads and
// the CLI resolve it without a bundler.
import { fileURLToPath } from 'node:url';

const dirs = {
  $engine: 'src/engine',
  $lib: 'src/lib',
  $app: 'src/app',
  $train: 'src/train',
  $node: 'src/node',
  $paraglide: 'src/paraglide',
};

export const aliases: Record<string, string> = Object.fromEntries(
  Object.entries(dirs).map(([k, v]) => [k, fileURLToPath(new URL(`./${v}`, import.meta.url))]),
);
export const aliasDirs: Record<string, string> = dirs;
