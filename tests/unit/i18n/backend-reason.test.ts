// The line that says which engine runs and why (ModelStatus), in the reader's language: the
// engine's reason is codes (a cause, "CPU engine", "WebGPU was chosen", tokens replayed) that
// cross the worker as plain data; the English sentence is the engine's as before; in zh-TW it is
// all Chinese, and a driver's own message comes last, as English (lang="en" on the page).
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '$engine/select.ts';
import { reasonText, lostCause, type BackendReason } from '$engine/backend-reason.ts';
import { shownReason } from '$lib/i18n/backend-reason.ts';
import { englishRun, hasChinese } from '$lib/i18n/untranslated.ts';
import { setLocale } from '$paraglide/runtime.js';
import { randomModel } from '../../helpers/random-model.ts';

afterEach(() => setLocale('en', { reload: false }));

const model = randomModel({ vocabSize: 64, seqLen: 16, nLayers: 1 });

/** The status as the page receives it from the worker (a structured clone). */
function status(s: { reason: string; why: BackendReason }) {
  return structuredClone({ kind: 'cpu', reason: s.reason, why: s.why });
}

function inChinese(s: { reason: string; why?: BackendReason }) {
  setLocale('zh-TW', { reload: false });
  const shown = shownReason(s);
  setLocale('en', { reload: false });
  expect(hasChinese(shown.text), shown.text).toBe(true);
  expect(englishRun(shown.text), shown.text).toBeNull();
  return shown;
}

describe('the backend reason, in English as before and in zh-TW', () => {
  it('WebGPU chosen but the browser has none', async () => {
    const s = await createBackend(model, { prefer: 'webgpu', gpu: null });
    expect(s.kind).toBe('cpu');
    expect(s.reason).toBe(
      'CPU engine: WebGPU was chosen in the settings, but this browser has no WebGPU API (navigator.gpu is missing)',
    );
    const st = status(s);
    expect(shownReason(st)).toEqual({ text: s.reason, english: null });
    expect(inChinese(st)).toEqual({
      text: 'CPU 引擎：設定中選了 WebGPU，但這個瀏覽器沒有 WebGPU API（缺少 navigator.gpu）',
      english: null,
    });
    s.backend.dispose();
  });

  it('the CPU engine chosen in the settings', async () => {
    const s = await createBackend(model, { prefer: 'cpu' });
    expect(s.reason).toBe('CPU engine, chosen in the settings');
    expect(inChinese(status(s)).text).toBe('CPU 引擎（在設定中選擇）');
    s.backend.dispose();
  });

  it("an adapter request that fails: the driver's message stays English, last", async () => {
    const gpu = {
      requestAdapter: () => Promise.reject(new Error('adapter exploded')),
    } as unknown as GPU;
    const s = await createBackend(model, { gpu });
    expect(s.reason).toBe(
      'CPU engine: requesting a WebGPU adapter failed: Error: adapter exploded',
    );
    expect(shownReason(status(s))).toEqual({ text: s.reason, english: null });
    expect(inChinese(status(s))).toEqual({
      text: 'CPU 引擎：要求 WebGPU 轉接器失敗；驅動程式的原文：',
      english: 'Error: adapter exploded',
    });
    s.backend.dispose();
  });

  it('a lost device with tokens replayed on the CPU', () => {
    const why: BackendReason = {
      cause: lostCause({ reason: 'destroyed', message: 'driver reset' }),
      onCpu: true,
      asked: false,
      replayed: 3,
    };
    const reason = reasonText(why);
    expect(reason).toBe(
      'CPU engine: the GPU device was lost (destroyed): driver reset; its 3 tokens were replayed on the CPU',
    );
    expect(inChinese({ reason, why })).toEqual({
      text: 'CPU 引擎：GPU 裝置遺失了（destroyed）；已在 CPU 上重新輸入它的 3 個詞元；驅動程式的原文：',
      english: 'driver reset',
    });
    const quiet = { ...why, cause: lostCause({ reason: 'unknown', message: '' }), replayed: 0 };
    expect(reasonText(quiet)).toBe('CPU engine: the GPU device was lost (unknown): no detail');
    expect(inChinese({ reason: reasonText(quiet), why: quiet }).english).toBeNull();
  });

  it('a status without codes shows its English after the lead-in in zh-TW', () => {
    setLocale('zh-TW', { reload: false });
    expect(shownReason({ reason: 'something new' })).toEqual({
      text: '錯誤訊息（英文原文）：',
      english: 'something new',
    });
  });
});
