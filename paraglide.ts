// Paraglide JS compiles the interface messages (messages/ and chapters/*/messages/) into
// src/paraglide: typed message functions, tree-shaken. One set of options for Vite, Vitest and
// the CLI (`npm run i18n`, which passes the same options as flags).
import { paraglideVitePlugin } from '@inlang/paraglide-js';

export const paraglide = () =>
  paraglideVitePlugin({
    project: './project.inlang',
    outdir: './src/paraglide',
    // The page picks the language (src/lib/i18n/locale.svelte.ts) and hands it over.
    strategy: ['globalVariable', 'baseLocale'],
    emitTsDeclarations: true,
    emitReadme: false,
  });
