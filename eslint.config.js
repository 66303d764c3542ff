import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

// Browser globals that the engine must never touch: it runs in Node, in a Worker and in tests.
const domOnly = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'location',
  'fetch',
  'HTMLElement',
];

/** Import patterns that reach a layer of src/, by its alias ($lib/...) or by a relative path. */
const layer = (name) => [`$${name}`, `$${name}/**`, `**/${name}/**`];
const chapters = ['**/chapters/**'];

export default ts.config(
  {
    ignores: [
      'dist/',
      'dist-e2e/',
      'node_modules/',
      'coverage/',
      'tmp/',
      'bench/out/',
      'src/paraglide/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig,
      },
    },
  },
  {
    // The lab session is a typed context: labSession() / maybeLabSession() from
    // src/lib/lab-session-context.ts, never getContext('lab') with a cast.
    files: ['**/*.svelte', '**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='getContext'][arguments.0.value='lab']",
          message:
            'use labSession() (or maybeLabSession()) from $lib/lab-session-context.ts, the typed context.',
        },
      ],
    },
  },
  {
    // Layering: engine is pure TypeScript, no DOM, no Svelte, nothing from the layers above it.
    files: ['src/engine/**/*.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-globals': ['error', ...domOnly],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['svelte', 'svelte/*', '*.svelte'],
              message: 'engine/ must not depend on Svelte.',
            },
            {
              group: [
                ...layer('lib'),
                ...layer('app'),
                ...layer('cli'),
                ...layer('train'),
                ...chapters,
              ],
              message: 'engine/ must not import from the layers above it.',
            },
            {
              group: ['node:*', 'fs', 'path', 'os', 'worker_threads', ...layer('node')],
              message: 'engine/ runs in the browser too: keep Node APIs in src/cli or src/node.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/lib/**/*.{ts,svelte}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...layer('app'), ...chapters, ...layer('cli'), ...layer('node')],
              message: 'lib/ must not import from app/, chapters/, cli/ or node/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The trainer uses the engine through its public modules only (the top-level files, the
    // CPU backend and the formula sandbox), never a backend's internals, and nothing of the UI.
    files: ['src/train/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...layer('lib'), ...layer('app'), ...chapters, ...layer('cli')],
              message: 'train/ must not import the UI or the command line.',
            },
            {
              group: [
                '**/engine/*/**',
                '!**/engine/cpu/backend.ts',
                '!**/engine/formula/expression.ts',
                '$engine/*/**',
              ],
              message:
                "train/ uses the engine's public modules only (src/engine/*.ts, cpu/backend.ts, formula/expression.ts).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/node/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...layer('lib'), ...layer('app'), ...chapters],
              message:
                'node/ and cli/ run without the UI: they must not import lib/, app/ or chapters/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The shell finds chapters through their meta.ts and chapter.ts (import.meta.glob) and never
    // reaches into a chapter's figures, prose or math.
    files: ['src/app/**/*.{ts,svelte}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)chapters/[^/]+/(?!(meta|chapter)\\.ts$)',
              message:
                "app/ must not import a chapter's internals (only its meta.ts and chapter.ts).",
            },
            {
              group: [...layer('cli'), ...layer('node'), ...layer('train')],
              message: 'app/ runs in the browser: it must not import cli/, node/ or train/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Chapters sit between lib/ and the shell: they use $lib and $engine (through the aliases,
    // not ../../src/...) and never the shell.
    files: ['chapters/**/*.{ts,svelte}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...layer('app')],
              message: 'chapters/ must not import the shell (app/).',
            },
            {
              group: [...layer('cli'), ...layer('node')],
              message: 'chapters/ run in the browser: they must not import cli/ or node/.',
            },
            {
              group: ['**/src/**'],
              message: 'chapters/ import src/ through the aliases ($lib/..., $engine/...).',
            },
          ],
        },
      ],
    },
  },
);
