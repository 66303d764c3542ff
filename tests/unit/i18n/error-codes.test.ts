// Errors and notices in the reader's language (issue 18). Every engine error code has its message
// in both locales with the same parameters, and the English message is the engine's own text (so
// the English page reads as before); the page words a malformed checkpoint, tokenizer, sidecar, a
// refused formula and a hostile link in zh-TW; an error without a code is shown after a lead-in,
// in English, never dropped; the code and parameters cross the worker boundary.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { ERROR_TEXT, type ErrorCode } from '$engine/error-text.ts';
import { CheckpointError, TokenizerError } from '$engine/errors.ts';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { validateSidecar } from '$engine/config.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import { compileFormula } from '$lib/formula/compile.ts';
import { parseParams } from '$lib/params.ts';
import { knobSpecs, samplerSpecs } from '$lib/knobs.ts';
import { shownError, errorString } from '$lib/i18n/error-text.ts';
import { sendErrorCodes } from '$lib/engine/error-transfer.ts';
import { hasChinese, englishRun } from '$lib/i18n/untranslated.ts';
import { setLocale } from '$paraglide/runtime.js';

const en = JSON.parse(readFileSync('messages/en.json', 'utf8')) as Record<string, string>;
const zh = JSON.parse(readFileSync('messages/zh-TW.json', 'utf8')) as Record<string, string>;
const paramsOf = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const codes = Object.keys(ERROR_TEXT) as ErrorCode[];

afterEach(() => setLocale('en', { reload: false }));

describe('error codes have messages', () => {
  it('every code: err_<code> in en is the engine text, in zh-TW a translation with the same params', () => {
    expect(codes.length).toBeGreaterThan(50);
    for (const code of codes) {
      const key = `err_${code}`;
      expect(en[key], `${key} in messages/en.json`).toBe(ERROR_TEXT[code]);
      expect(zh[key], `${key} in messages/zh-TW.json`).toBeDefined();
      expect(paramsOf(zh[key]), key).toEqual(paramsOf(ERROR_TEXT[code]));
      expect(hasChinese(zh[key]), key).toBe(true);
    }
  });

  it('no err_ message without a code (a removed code takes its messages along)', () => {
    for (const key of Object.keys(en).filter((k) => k.startsWith('err_')))
      expect(codes.includes(key.slice(4) as ErrorCode), key).toBe(true);
  });
});

/** The error a function throws. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('the page words engine errors in the reader’s language', () => {
  const header = (words: number[]) => new Uint8Array(new Int32Array(words).buffer);

  it('a checkpoint that is not one (wrong magic): the English as before, and in zh-TW', () => {
    const e = thrown(() => parseCheckpoint(header([99999, 10, 1, 1, 1, 10, 10])));
    expect(e).toBeInstanceOf(CheckpointError);
    expect((e as CheckpointError).code).toBe('ckpt_bad_magic');
    expect(shownError(e)).toEqual({ text: (e as Error).message, english: null });
    expect((e as Error).message).toMatch(/^not a llama2\.c checkpoint \(wrong magic\?\)/);
    setLocale('zh-TW', { reload: false });
    const { text, english } = shownError(e);
    expect(english).toBeNull();
    expect(text).toMatch(/^這不是 llama2\.c 檢查點/);
    expect(text).toContain('99999');
    expect(englishRun(text)).toBeNull();
  });

  it('a truncated checkpoint and a bad sidecar in zh-TW', () => {
    setLocale('zh-TW', { reload: false });
    const cut = thrown(() => parseCheckpoint(new Uint8Array(10)));
    expect(shownError(cut).text).toMatch(/^檢查點檔案不完整：檔頭至少應有 28 位元組，實際只有 10$/);
    const side = thrown(() => validateSidecar({ norm_esp: 1e-5 }));
    expect(shownError(side).text).toMatch(/^附屬設定檔有不認得的欄位「norm_esp」/);
  });

  it('a tokenizer cut short in zh-TW', () => {
    const ok = readFileSync('tests/fixtures/llama2c/tok512.bin');
    const e = thrown(() => parseTokenizer(ok.subarray(0, 2000), 512));
    expect(e).toBeInstanceOf(TokenizerError);
    const english = (e as Error).message;
    setLocale('zh-TW', { reload: false });
    const { text } = shownError(e);
    expect(text).toMatch(/^分詞器/);
    expect(text).not.toBe(english);
    expect(englishRun(text)).toBeNull();
  });

  it('a refused formula (chapter 2) in zh-TW; the English refusal is unchanged', () => {
    const r = compileFormula('x >= 0');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(shownError(r).text).toBe(r.error);
    expect(r.error).toMatch(/^Assignments, definitions and comparisons/);
    setLocale('zh-TW', { reload: false });
    expect(shownError(r).text).toBe(
      '不允許指定、定義與比較（=、<、>、!）：只要輸入等號右邊，例如 x * sigmoid(x)。',
    );
    for (const bad of ['', 'foo(x)', 'x +', 'y * 2', 'log(x)', '1/x', 'max(x)']) {
      const res = compileFormula(bad);
      expect(res.ok, bad).toBe(false);
      if (!res.ok) expect(hasChinese(shownError(res).text), `${bad}: ${res.error}`).toBe(true);
    }
  });

  it('an error without a code: in English as is; in zh-TW after a lead-in, never dropped', () => {
    const e = new Error('GPUDevice lost: the driver reset');
    expect(shownError(e)).toEqual({ text: e.message, english: null });
    setLocale('zh-TW', { reload: false });
    expect(shownError(e)).toEqual({ text: '錯誤訊息（英文原文）：', english: e.message });
    expect(errorString(e)).toBe(`錯誤訊息（英文原文）： ${e.message}`);
  });
});

describe('a hostile link', () => {
  const specs = [...Object.values(knobSpecs), ...Object.values(samplerSpecs)];
  const hostile = 'temp=banana&zzz=1&temp=2&topp=7&seed=0&%E0%A4%A=1';

  it('its notices in zh-TW are Chinese; in English they read as before', () => {
    const english = parseParams(hostile, specs).notices;
    expect(english).toContain('Ignored unknown setting “zzz”.');
    setLocale('zh-TW', { reload: false });
    const notices = parseParams(hostile, specs).notices;
    expect(notices).toHaveLength(english.length);
    expect(notices.length).toBeGreaterThanOrEqual(5);
    for (const n of notices) {
      expect(hasChinese(n), n).toBe(true);
      expect(englishRun(n), n).toBeNull();
    }
    expect(notices).toContain('已忽略不認得的設定 “zzz”。');
    const long = parseParams(`prompt=${'a'.repeat(9000)}`, specs).notices;
    expect(long[0]).toMatch(/^連結太長/);
  });
});

describe('across the worker boundary', () => {
  it('a coded error keeps its code and params through Comlink’s throw handler', () => {
    sendErrorCodes();
    const handler = Comlink.transferHandlers.get('throw')!;
    const err = new CheckpointError('ckpt_quantized', {});
    const [wire] = handler.serialize({ value: err });
    const back = thrown(() => handler.deserialize(structuredClone(wire)));
    expect(back).toMatchObject({ message: err.message, code: 'ckpt_quantized', params: {} });
    setLocale('zh-TW', { reload: false });
    expect(shownError(back).text).toMatch(/^這個檢查點是 export\.py 第 2 版/);
  });
});
