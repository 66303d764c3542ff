import { defineConfig } from 'vitest/config';
import { aliases } from './aliases.ts';

// End-to-end tests: playwright-core drives Debian's Chromium against the built site (dist/).
export default defineConfig({
  resolve: { alias: aliases },
  test: {
    name: 'e2e',
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    globalSetup: ['tests/e2e/global-setup.ts'],
  },
});
