import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { paraglide } from './paraglide.ts';
import { aliases } from './aliases.ts';

// Unit tests (Node) and GPU parity tests (Node + Dawn on SwiftShader).
// End-to-end browser tests have their own config: vitest.e2e.config.ts.
// Dawn (npm `webgpu`) finds Vulkan through the dynamic linker, which reads LD_LIBRARY_PATH only at
// process start: set it here, before Vitest forks its workers, so they inherit it. Debian's
// chromium package ships SwiftShader's Vulkan driver and loader in /usr/lib/chromium.
const swiftshader = process.env.LLAMA_LAB_VK_DIR ?? '/usr/lib/chromium';
process.env.VK_ICD_FILENAMES ??= `${swiftshader}/vk_swiftshader_icd.json`;
process.env.LD_LIBRARY_PATH = [swiftshader, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');

export default defineConfig({
  plugins: [svelte(), paraglide()],
  resolve: { alias: aliases },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'gpu',
          include: ['tests/gpu/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // dawn.node busy-waits a core and must stay referenced: one process, files in sequence.
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
