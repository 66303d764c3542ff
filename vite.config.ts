import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { paraglide } from './paraglide.ts';
import { aliases } from './aliases.ts';

// Cross-origin isolation lets the page's training workers share memory (SharedArrayBuffer). A
// static host that cannot send these headers still works: the trainer passes messages instead.
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [
    svelte(),
    // Paraglide compiles messages/ and chapters/*/messages/ into src/paraglide.
    paraglide(),
    // Offline use: a Workbox service worker precaches the whole build (every chapter's chunks,
    // workers, KaTeX's CSS and fonts, the built-in models and texts), so after one visit the
    // notebook works without a network. A new build waits until the reader clicks "Update"
    // (registerType 'prompt'; src/app/offline.svelte.ts registers it, OfflineStatus shows it).
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'LLaMA Lab',
        short_name: 'LLaMA Lab',
        description:
          'An interactive notebook on what makes LLaMA different from the original Transformer, with a tiny LLaMA running in the page.',
        theme_color: '#0b5cad',
        background_color: '#fbfaf7',
        display: 'standalone',
        start_url: './',
        scope: './',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // KaTeX's fonts: browsers take the woff2 (listed first), so .woff and .ttf stay online-only.
        globPatterns: ['**/*.{js,css,html,svg,png,woff2,bin,json,txt,wasm,webmanifest}'],
        globIgnores: ['**/*.map'],
        // The built-in checkpoints are about 1 MB each; the largest file allowed is 8 MB.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  resolve: { alias: aliases },
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1', headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
