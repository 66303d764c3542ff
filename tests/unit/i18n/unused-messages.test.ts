// Every message key is used by some code: Paraglide drops unused messages from the bundle, but an
// unused key is still a string to translate and keep in step in every locale. A key counts as used
// when its name appears in a .ts/.svelte file under src/ (not the generated src/paraglide) or
// chapters/, or when it is a control label that src/lib/i18n/param-label.ts looks up by name
// (`param_<key>` / `chNN_param_<key>` for a control that exists), or the message of an engine
// error code that src/lib/i18n/error-text.ts looks up by name (`err_<code>`).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knobSpecs, samplerSpecs } from '$lib/knobs.ts';
import type { ChapterDef } from '$lib/chapter.ts';
import { paramLabelKey } from '$lib/i18n/param-label.ts';
import { ERROR_TEXT } from '$engine/error-text.ts';

/** Keys added ahead of the code that will use them (the test fails once they are used: drop them here then). */
const PENDING: Record<string, string> = {};

const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8')) as {
  baseLocale: string;
  'plugin.inlang.messageFormat': { pathPattern: string[] };
};

function sources(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /\.(ts|svelte)$/.test(f))
    .map((f) => join(dir, f))
    .filter((f) => !f.startsWith(join('src', 'paraglide')));
}
const code = [...sources('src'), ...sources('chapters')].map((f) => readFileSync(f, 'utf8'));
const words = new Set(code.flatMap((text) => text.match(/\b\w+\b/g) ?? []));

const defs = import.meta.glob<ChapterDef>('/chapters/*/chapter.ts', {
  eager: true,
  import: 'chapter',
});
const controlKeys = new Set([
  ...Object.keys(ERROR_TEXT).map((code) => `err_${code}`),
  ...[...Object.values(knobSpecs), ...Object.values(samplerSpecs)].map((s) => paramLabelKey(s)),
  ...Object.values(defs).flatMap((def) =>
    (def.params ?? []).flatMap((s) => [paramLabelKey(s, def.meta.number), paramLabelKey(s)]),
  ),
]);

describe('message keys', () => {
  for (const pattern of settings['plugin.inlang.messageFormat'].pathPattern) {
    const file = pattern.replace('{locale}', settings.baseLocale);
    it(`${file}: every key is used by the code`, () => {
      const keys = Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object).filter(
        (k) => !k.startsWith('$'),
      );
      const unused = keys.filter((k) => !words.has(k) && !controlKeys.has(k) && !(k in PENDING));
      expect(unused, 'remove these keys from every locale').toEqual([]);
    });
  }

  it('a pending key is still unused (once used, remove it from PENDING)', () => {
    for (const key of Object.keys(PENDING)) expect(words.has(key), key).toBe(false);
  });
});
