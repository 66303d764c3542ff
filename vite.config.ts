import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { aliases } from './aliases.ts';

export default defineConfig({
  plugins: [svelte()],
  resolve: { alias: aliases },
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1' },
});
