// The layering rules of eslint.config.js, checked on small pieces of code: each layer may import
// what sits below it, by alias or by relative path, and nothing above it.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd });

async function restricted(file: string, from: string): Promise<boolean> {
  const [r] = await eslint.lintText(`import { x } from '${from}';\nexport const y = x;\n`, {
    filePath: `${cwd}${file}`,
  });
  return r.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layering lint rules', () => {
  const cases: [file: string, from: string, forbidden: boolean][] = [
    // chapters: lib and engine through the aliases; never the shell, nor ../../src
    ['chapters/01-rmsnorm/x.ts', '$lib/params.ts', false],
    ['chapters/01-rmsnorm/x.ts', '$engine/types.ts', false],
    ['chapters/01-rmsnorm/x.ts', './math.ts', false],
    ['chapters/01-rmsnorm/x.ts', '$app/route.ts', true],
    ['chapters/01-rmsnorm/x.ts', '../../src/app/route.ts', true],
    ['chapters/01-rmsnorm/x.ts', '../../src/lib/params.ts', true],
    ['chapters/01-rmsnorm/x.ts', '$node/files.ts', true],
    // the shell: a chapter's meta.ts and chapter.ts, never its figures or math
    ['src/app/x.ts', '../../chapters/01-rmsnorm/meta.ts', false],
    ['src/app/x.ts', '../../chapters/01-rmsnorm/chapter.ts', false],
    ['src/app/x.ts', '../../chapters/01-rmsnorm/math.ts', true],
    ['src/app/x.ts', '../../chapters/03-rope/figures/RopeView.svelte', true],
    ['src/app/x.ts', '../lib/params.ts', false],
    ['src/app/x.ts', '../train/trainer.ts', true],
    // lib: never the shell or chapters
    ['src/lib/x.ts', '../app/route.ts', true],
    ['src/lib/x.ts', '$app/route.ts', true],
    ['src/lib/x.ts', '../../chapters/01-rmsnorm/math.ts', true],
    ['src/lib/x.ts', '../engine/types.ts', false],
    // engine: nothing above it
    ['src/engine/x.ts', '../lib/params.ts', true],
    ['src/engine/x.ts', '$lib/params.ts', true],
    ['src/engine/x.ts', '../train/trainer.ts', true],
    ['src/engine/x.ts', './types.ts', false],
    // train: the engine's public modules only
    ['src/train/x.ts', '../engine/types.ts', false],
    ['src/train/x.ts', '../engine/cpu/backend.ts', false],
    ['src/train/post/x.ts', '../../engine/formula/expression.ts', false],
    ['src/train/x.ts', '../engine/cpu/ops.ts', true],
    ['src/train/x.ts', '../engine/webgpu/kernels.ts', true],
    ['src/train/x.ts', '$engine/cpu/ops.ts', true],
    ['src/train/x.ts', '../lib/params.ts', true],
    // node and cli: no UI
    ['src/cli/x.ts', '../engine/types.ts', false],
    ['src/cli/x.ts', '../lib/params.ts', true],
    ['src/node/x.ts', '../app/route.ts', true],
  ];
  it.each(cases)('%s importing %s: forbidden %s', async (file, from, forbidden) => {
    expect(await restricted(file, from)).toBe(forbidden);
  });
});

describe('typed lab context', () => {
  it("refuses getContext('lab') and lets the typed helpers through", async () => {
    const lint = async (code: string) =>
      (await eslint.lintText(code, { filePath: `${cwd}chapters/01-rmsnorm/x.ts` }))[0].messages.map(
        (m) => m.ruleId,
      );
    expect(
      await lint("import { getContext } from 'svelte';\nexport const s = getContext('lab');\n"),
    ).toContain('no-restricted-syntax');
    expect(
      await lint(
        "import { labSession } from '$lib/lab-session-context.ts';\nexport const s = labSession();\n",
      ),
    ).not.toContain('no-restricted-syntax');
  });
});
