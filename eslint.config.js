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

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'tmp/', 'bench/out/'] },
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
              group: ['**/lib/**', '**/app/**', '**/chapters/**', '**/cli/**'],
              message: 'engine/ must not import from the layers above it.',
            },
            {
              group: ['node:*', 'fs', 'path', 'os', 'worker_threads'],
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
              group: ['**/app/**', '**/chapters/**'],
              message: 'lib/ must not import from app/ or chapters/.',
            },
          ],
        },
      ],
    },
  },
);
