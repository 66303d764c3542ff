// Serves the built site (dist-e2e/, see e2e-build.ts) on 127.0.0.1 with a tiny static server (node:http, no
// dependency, with the COOP/COEP headers of vite.config.ts) for the end-to-end tests, and hands its URL to them through vitest's provide/inject.
// The tests check what ships (plus test hooks), not the dev server.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { TestProject } from 'vitest/node';
import { E2E_DIST, ensureE2eBuild } from './e2e-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

// The e2e build (dist-e2e/, made or refreshed by ensureE2eBuild: the production build plus test
// hooks). LLAMA_LAB_DIST serves another build folder instead, as it is.
const root = resolve(process.env.LLAMA_LAB_DIST ?? E2E_DIST);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.bin': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** COOP/COEP as `npm start` and `vite preview` send them (vite.config.ts): the page is cross-origin isolated. */
const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** `isolated: false` serves like a static host that cannot set headers. */
export function serveDist(
  dir = root,
  { isolated = true }: { isolated?: boolean } = {},
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep) && file !== dir) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...(isolated ? ISOLATION : {}),
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      ok({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

export default async function setup(project: TestProject) {
  if (!process.env.LLAMA_LAB_DIST) await ensureE2eBuild();
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`${root}/index.html is missing: build it before the end-to-end tests`);
  }
  const { server, url } = await serveDist();
  project.provide('baseUrl', url);
  return () => new Promise<void>((ok) => server.close(() => ok()));
}
