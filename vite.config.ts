import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { aliases } from './aliases.ts';

// Cross-origin isolation lets the page's training workers share memory (SharedArrayBuffer). A
// static host that cannot send these headers still works: the trainer passes messages instead.
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [svelte()],
  resolve: { alias: aliases },
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1', headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
