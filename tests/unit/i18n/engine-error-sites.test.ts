// Every engine error a reader can see carries a code (issue 18): a scan of the source (by its
// syntax tree) finds each `new <error class>(…)` of the engine's input errors and fails on one
// without a code, so a new uncoded site fails CI; the few deliberately left without one are listed
// here with the reason. Then real settings errors, raised through the public API (an absurd
// sampler setting, a speculative setting, a full paged KV cache, NaN out of the forward pass),
// read in zh-TW with no English left; and so do the messages whose parameters held English words
// (a foreign file's kind, a checkpoint's shape, the sidecar hint, mathjs's syntax errors).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_TEXT } from '$engine/error-text.ts';
import type { CheckpointError } from '$engine/errors.ts';
import { NumericalError, SettingsError } from '$engine/errors.ts';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { writeCheckpoint } from '$engine/checkpoint-write.ts';
import { validateSidecar } from '$engine/config.ts';
import { compileFormula } from '$lib/formula/compile.ts';
import { HEAD_BYTES, classifyFiles, sniffFile } from '$lib/model-files.ts';
import { KNOB_ROWS, SAMPLER_ROWS, checkValue, type SettingRow } from '$engine/knob-table.ts';
import { Sampler, validateSamplerSettings } from '$engine/sampler.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { generateAll } from '$engine/generate.ts';
import { speculateAll } from '$engine/speculative.ts';
import { defaultKnobs, validateKnobs } from '$engine/knobs.ts';
import { KvCacheFullError } from '$engine/paged/block-pool.ts';
import { shownError } from '$lib/i18n/error-text.ts';
import { englishRun, hasChinese } from '$lib/i18n/untranslated.ts';
import { setLocale } from '$paraglide/runtime.js';
import { randomModel, testConfig } from '../../helpers/random-model.ts';

afterEach(() => setLocale('en', { reload: false }));

/** The engine's input errors: LlamaInputError, FormulaError and every class extending them. */
const ROOTS = ['LlamaInputError', 'FormulaError'];

/**
 * Left without a code on purpose, by file: how many sites, and why no reader sees them.
 * src/train is the trainer's (its own pass), src/cli and src/node are the command line's (English,
 * with file paths).
 */
const UNCODED: Record<string, { sites: number; why: string }> = {
  'src/engine/tokenizer.ts': {
    sites: 4,
    why: "writeTokenizer's checks of a vocabulary the program built itself: a bug, not input",
  },
  'src/engine/checkpoint-write.ts': {
    sites: 2,
    why: 'the checkpoint writer checks the model object it was handed: a bug, not input',
  },
  'src/engine/checkpoint.ts': {
    sites: 1,
    why: 'alignedBytes: the checkpoint was passed as something other than bytes (a caller bug)',
  },
};
const SKIP_DIRS = ['src/paraglide', 'src/train', 'src/cli', 'src/node'];

function sourceFiles(dir: string): string[] {
  if (SKIP_DIRS.includes(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function parse(path: string, text: string): ts.SourceFile {
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((c) => walk(c, visit));
}

/** The error classes: the roots and every class that extends one of them (in any file). */
function errorClasses(files: ts.SourceFile[]): Set<string> {
  const parents = new Map<string, string>();
  for (const f of files) {
    walk(f, (n) => {
      if (!ts.isClassDeclaration(n) || !n.name) return;
      const ext = n.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
      const base = ext?.types[0]?.expression;
      if (base && ts.isIdentifier(base)) parents.set(n.name.text, base.text);
    });
  }
  const out = new Set(ROOTS);
  for (let grew = true; grew;) {
    grew = false;
    for (const [cls, base] of parents) {
      if (out.has(base) && !out.has(cls)) {
        out.add(cls);
        grew = true;
      }
    }
  }
  return out;
}

interface Site {
  file: string;
  line: number;
  text: string;
  /** Why it is not a coded site, or null when it is. */
  problem: string | null;
}

/**
 * Every `new <error class>(…)`. Coded: (code, params), the code a string literal naming an entry
 * of ERROR_TEXT or an expression (then typecheck holds it to ErrorCode: the overload with params
 * takes only a code).
 */
function errorSites(files: ts.SourceFile[], classes: Set<string>): Site[] {
  const sites: Site[] = [];
  for (const f of files) {
    walk(f, (n) => {
      if (!ts.isNewExpression(n) || !ts.isIdentifier(n.expression)) return;
      if (!classes.has(n.expression.text)) return;
      const args = n.arguments ?? [];
      const first = args[0];
      let problem: string | null = null;
      if (args.length !== 2) problem = 'no code: a message only';
      else if (ts.isStringLiteral(first) && !Object.hasOwn(ERROR_TEXT, first.text))
        problem = `unknown code "${first.text}"`;
      else if (ts.isTemplateExpression(first) || ts.isBinaryExpression(first))
        problem = 'the code is built from text';
      sites.push({
        file: f.fileName,
        line: f.getLineAndCharacterOfPosition(n.getStart()).line + 1,
        text: n.getText().slice(0, 80),
        problem,
      });
    });
  }
  return sites;
}

function scan(files: { path: string; text: string }[]): Site[] {
  const parsed = files.map((f) => parse(f.path, f.text));
  return errorSites(parsed, errorClasses(parsed));
}

describe('every engine error site has a code', () => {
  const files = sourceFiles('src').map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const sites = scan(files);

  it('the scan finds the sites (settings, numerical, paged, checkpoint, tokenizer, formula)', () => {
    const count = (cls: string) => sites.filter((s) => s.text.startsWith(`new ${cls}(`)).length;
    expect(count('SettingsError')).toBeGreaterThan(50);
    expect(count('NumericalError')).toBe(2);
    expect(count('KvCacheFullError')).toBe(4);
    expect(count('CheckpointError')).toBeGreaterThan(15);
    expect(count('TokenizerError')).toBeGreaterThan(10);
    expect(count('FormulaError')).toBeGreaterThan(20);
  });

  it('no site without a code, except the ones listed with their reason', () => {
    const uncoded = sites.filter((s) => s.problem !== null);
    const byFile = new Map<string, Site[]>();
    for (const s of uncoded) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
    for (const [file, list] of byFile) {
      const allowed = UNCODED[file];
      const where = list.map((s) => `${s.file}:${s.line} ${s.problem}: ${s.text}`).join('\n');
      expect(allowed, `uncoded error sites:\n${where}`).toBeDefined();
      expect(
        list.every((s) => s.problem === 'no code: a message only'),
        where,
      ).toBe(true);
      expect(list.length, `${file}: ${allowed.why}\n${where}`).toBe(allowed.sites);
    }
    for (const file of Object.keys(UNCODED)) expect(byFile.has(file), file).toBe(true);
  });

  it('the scan fails on an uncoded site, a made-up code and a code built from text', () => {
    const bad = scan([
      {
        path: 'a.ts',
        text: `class LlamaInputError extends Error {}
class SettingsError extends LlamaInputError {}
class PoolError extends SettingsError {}
throw new SettingsError(\`temperature \${t} is bad\`);
throw new PoolError('pool is full');
throw new SettingsError('no_such_code', {});
throw new SettingsError(\`gen_\${kind}\`, {});
throw new SettingsError('gen_steps', { got: 1 });
throw new Error('a bug');`,
      },
    ]);
    expect(bad.map((s) => s.problem)).toEqual([
      'no code: a message only',
      'no code: a message only',
      'unknown code "no_such_code"',
      'the code is built from text',
      null,
    ]);
  });
});

describe('the settings table words its rules through codes', () => {
  const c = testConfig({ nKvHeads: 4 });
  const rows: SettingRow[] = [...KNOB_ROWS, ...SAMPLER_ROWS];

  it('a row with its own rule words (`says`) has a code whose text holds them', () => {
    for (const row of rows) {
      if (row.kind !== 'number' && row.kind !== 'int') continue;
      if (!row.says) continue;
      expect(row.saysCode, row.id).toBeDefined();
      const template = ERROR_TEXT[row.saysCode!];
      const says = row.says(c).replace(String(c.nKvHeads), '{kvHeads}');
      expect(template, row.id).toContain(says);
    }
  });

  it('each kind of refusal reads the same in English as before, and in Chinese in zh-TW', () => {
    const knob = (id: string) => KNOB_ROWS.find((r) => r.id === id)!;
    const bad: [SettingRow, unknown][] = [
      [knob('norm'), 'batchnorm'], // one of a list
      [knob('rope'), 'yes'], // true or false
      [knob('eps'), 0], // a number above 0
      [knob('ropeFactor'), 65], // a number in a range
      [knob('kvGroups'), 3], // a divisor of the K/V heads (4 here)
      ...SAMPLER_ROWS.map((r): [SettingRow, unknown] => [r, -1]),
    ];
    // without the model's shape, kvGroups is checked against its range only
    expect(checkValue(knob('kvGroups'), 300)).toBe(
      'knob "kvGroups" must be a whole number from 1 to 256, got 300',
    );
    for (const [row, v] of bad) {
      const e = (() => {
        try {
          if (row.field in defaultKnobs(c))
            validateKnobs({ ...defaultKnobs(c), [row.field]: v }, c);
          else
            validateSamplerSettings({
              temperature: 1,
              topP: 0.9,
              topK: 0,
              seed: 1n,
              [row.field]: v,
            });
        } catch (err) {
          return err;
        }
        throw new Error(`${row.id} = ${String(v)} was accepted`);
      })();
      expect(e, row.id).toBeInstanceOf(SettingsError);
      expect((e as Error).message, row.id).toBe(checkValue(row, v, c));
      setLocale('zh-TW', { reload: false });
      const { text, english } = shownError(e);
      setLocale('en', { reload: false });
      expect(english, row.id).toBeNull();
      expect(hasChinese(text), `${row.id}: ${text}`).toBe(true);
      expect(englishRun(text), `${row.id}: ${text}`).toBeNull();
    }
  });
});

/** The error a promise rejects with, or a function throws. */
async function rejection(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

function inChinese(e: unknown): string {
  setLocale('zh-TW', { reload: false });
  const { text, english } = shownError(e);
  expect(english).toBeNull();
  expect(hasChinese(text)).toBe(true);
  expect(englishRun(text)).toBeNull();
  return text;
}

describe('settings errors from the public API, in zh-TW', () => {
  const model = randomModel({ vocabSize: 64, seqLen: 32, nLayers: 1 });
  const sampler = { temperature: 1, topP: 0.9, topK: 0, seed: 42n };

  it('an absurd sampler setting (temperature NaN)', () => {
    const e = (() => {
      try {
        return new Sampler(64, { ...sampler, temperature: NaN });
      } catch (err) {
        return err;
      }
    })();
    expect((e as Error).message).toBe(
      'temperature must be a finite number >= 0 (0 = greedy), got NaN',
    );
    expect(inChinese(e)).toBe('溫度必須是大於或等於 0 的有限數（0 = 貪婪解碼），實際為 NaN');
  });

  it('a speculative setting out of range (gamma 0) and a prompt too long for the draft', async () => {
    const main = createCpuBackend(model);
    const draft = createCpuBackend(model, undefined, { maxPositions: 8 });
    const gamma = await rejection(() =>
      speculateAll(main, draft, { promptIds: [1], steps: 4, gamma: 0, sampler }),
    );
    expect((gamma as Error).message).toBe(
      'gamma (draft tokens per round) must be a whole number from 1 to 16, got 0',
    );
    expect(inChinese(gamma)).toBe('gamma（每輪的草稿詞元數）必須是 1 到 16 之間的整數，實際為 0');
    const long = await rejection(() =>
      speculateAll(main, draft, { promptIds: [1, 2], steps: 20, gamma: 2, sampler }),
    );
    expect((long as Error).message).toBe(
      '2 prompt tokens + 20 steps need 21 positions; the draft model holds 8',
    );
    expect(inChinese(long)).toBe('2 個提示詞元加上 20 步需要 21 個位置；草稿模型只容納 8 個');
  });

  it('a paged KV cache too small for the positions asked', () => {
    const b = createCpuBackend(model, undefined, { paged: { blockSize: 4, numBlocks: 2 } });
    const seq = b.paged!.create();
    const e = (() => {
      try {
        b.runPaged(seq, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(KvCacheFullError);
    expect((e as Error).message).toBe(
      'the paged KV cache has 2 free blocks of 2; 10 positions of sequence 0 need 3',
    );
    expect(inChinese(e)).toBe(
      '分頁 KV 快取在 2 個區塊中只剩 2 個空閒；序列 0 的 10 個位置需要 3 個',
    );
  });

  it('NaN out of the forward pass (a formula that gives NaN): nothing can be sampled', async () => {
    const b = createCpuBackend(model);
    b.setCustomActivation(() => NaN);
    b.setKnobs({ ...defaultKnobs(model.config), activation: 'custom' });
    const e = await rejection(() => generateAll(b, { promptIds: [1], steps: 3, sampler }));
    expect(e).toBeInstanceOf(NumericalError);
    expect((e as Error).message).toMatch(/^the model produced a non-finite logit \(NaN\)/);
    expect(inChinese(e)).toMatch(/^模型為詞元 0 算出了非有限的 logit（NaN）：無法採樣/);
  });
});

describe('no English words inside the parameters of a translated message', () => {
  /** In zh-TW: Chinese, no English run, no untranslated part. */
  const zh = (e: unknown) => inChinese(e);
  const thrown = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err;
    }
    throw new Error('did not throw');
  };

  it('a checkpoint of the wrong size that would fit the other FFN: the sidecar hint, and the shape as header fields', () => {
    const m = randomModel({ ffn: 'mlp', nLayers: 1, vocabSize: 40, seqLen: 8 }, 2);
    const e = thrown(() => parseCheckpoint(writeCheckpoint(m)));
    expect((e as CheckpointError).code).toBe('ckpt_short_sidecar_missing');
    expect((e as Error).message).toMatch(
      /^checkpoint is truncated: expected \d+ bytes for a version 0 file with dim 64, .* shared_classifier 1, ffn "swiglu", got \d+ \(that size fits ffn "mlp": is the sidecar missing\?\)$/,
    );
    expect(zh(e)).toMatch(/是不是少了附屬設定檔？）$/);
    const wrong = thrown(() => parseCheckpoint(writeCheckpoint(m), { ffn: 'swiglu' }));
    expect((wrong as CheckpointError).code).toBe('ckpt_short_sidecar_wrong');
    expect(zh(wrong)).toMatch(/是不是附屬設定檔有誤？）$/);
  });

  it('a foreign file given as a checkpoint, and a sidecar that is an array', () => {
    const gguf = new Uint8Array(64);
    gguf.set([0x47, 0x47, 0x55, 0x46]); // "GGUF"
    const e = thrown(() => parseCheckpoint(gguf));
    expect((e as Error).message).toBe(
      'not a llama2.c checkpoint: the file looks like a GGUF file (llama.cpp) (wrong magic)',
    );
    expect(zh(e)).toBe('這不是 llama2.c 檢查點：檔案看起來是 GGUF 檔（llama.cpp）（魔數不符）');
    const side = thrown(() => validateSidecar([1, 2]));
    expect((side as Error).message).toBe('sidecar must be a JSON object, got an array');
    expect(zh(side)).toBe('附屬設定檔必須是 JSON 物件，實際是一個陣列');
  });

  it("the loader's notices: a picture and a truncated checkpoint, with the kind and shape in zh-TW", () => {
    const png = new Uint8Array(64);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const kind = sniffFile(png, png.length);
    expect(kind).toEqual({ kind: 'foreign', what: 'a PNG image' });
    const ckpt = new Uint8Array(
      writeCheckpoint(randomModel({ nLayers: 2, vocabSize: 40, seqLen: 8 }, 3)),
    );
    const files = [
      { name: 'cat.bin', size: png.length, head: png },
      { name: 'model.bin', size: 5000, head: ckpt.subarray(0, HEAD_BYTES) },
    ];
    expect(classifyFiles(files).problems).toEqual([
      'cat.bin is not a model file at all: it is a PNG image, neither a llama2.c checkpoint nor a tokenizer.bin.',
      expect.stringMatching(
        /^model\.bin is a truncated checkpoint: its header describes a model \(dim 64, 2 layers, 8 heads, vocabulary 40\) of [\d,]+ bytes/,
      ),
    ]);
    setLocale('zh-TW', { reload: false });
    const problems = classifyFiles(files).problems;
    expect(problems[0]).toBe(
      'cat.bin 根本不是模型檔：它是一張 PNG 圖片，既不是 llama2.c 檢查點，也不是 tokenizer.bin。',
    );
    expect(problems[1]).toMatch(/（dim 64、2 層、8 個注意力頭、詞彙表 40）/);
    for (const p of problems) expect(englishRun(p), p).toBeNull();
  });

  it("mathjs's syntax errors become a position and a code (the English still says 'could not be read')", () => {
    const cases: [string, string, RegExp][] = [
      ['x +', 'formula_unreadable_end', /^無法讀取公式：公式結束得太早（在第 4 個字元）。$/],
      ['(x', 'formula_unreadable_paren', /^無法讀取公式：少了右括號 \)（在第 3 個字元）。$/],
      ['x * * 2', 'formula_unreadable_value', /^無法讀取公式：第 5 個字元處少了一個值。$/],
      ['x ) + 1', 'formula_unreadable_symbol', /^無法讀取公式：第 3 個字元的 \) 放錯了位置。$/],
      ['x 2 3', 'formula_unreadable_symbol', /^無法讀取公式：第 5 個字元的 3 放錯了位置。$/],
    ];
    for (const [source, code, chinese] of cases) {
      const r = compileFormula(source);
      expect(r.ok, source).toBe(false);
      if (r.ok) continue;
      expect((r as { code?: string }).code, source).toBe(code);
      expect(r.error, source).toMatch(/could not be read/);
      expect(zh(r), source).toMatch(chinese);
      setLocale('en', { reload: false });
    }
  });
});
