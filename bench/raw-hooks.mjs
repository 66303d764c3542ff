// Node module hooks that give `import text from './file.wgsl?raw'` Vite's meaning (the file's
// text as the default export), so engine modules that import WGSL run under plain Node + tsx in
// the benchmarks. Registered by webgpu-child.ts with module.register().
import { readFile } from 'node:fs/promises';

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('?raw')) {
    const r = await next(specifier.slice(0, -'?raw'.length), context);
    return { ...r, url: `${r.url}?raw`, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.endsWith('?raw')) {
    const text = await readFile(new URL(url.slice(0, -'?raw'.length)), 'utf8');
    return {
      format: 'module',
      source: `export default ${JSON.stringify(text)};`,
      shortCircuit: true,
    };
  }
  return next(url, context);
}
