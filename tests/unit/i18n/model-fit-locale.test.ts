// The notices of settings that do not fit the loaded model (src/lib/model-fit.ts), in zh-TW:
// every one in Chinese with no English words, the numbers kept (tests/unit/app/model-fit.test.ts
// checks the English; this file imports no chapter, whose shell modules take over the locale).
import { afterEach, describe, expect, it } from 'vitest';
import { makeConfig } from '$engine/config.ts';
import type { ModelBound } from '$engine/knob-table.ts';
import { fitToModel } from '$lib/model-fit.ts';
import { knobSpecs, samplerSpecs } from '$lib/knobs.ts';
import type { ParamSpec } from '$lib/params.ts';
import { englishRun, hasChinese } from '$lib/i18n/untranslated.ts';
import { m } from '$paraglide/messages.js';
import { setLocale } from '$paraglide/runtime.js';

afterEach(() => setLocale('en', { reload: false }));

const main = makeConfig(
  { dim: 288, hiddenDim: 768, nLayers: 6, nHeads: 6, nKvHeads: 2, vocabSize: 512, seqLen: 256 },
  true,
);
const int = (key: string, bound: ModelBound, message: () => string): ParamSpec => ({
  key,
  label: key,
  kind: 'int',
  min: 0,
  max: 9999,
  bound,
  message,
});
const specs: ParamSpec[] = [
  int('layer', 'layer', m.ch04_param_layer),
  int('group', 'kvHead', m.ch04_param_group),
  int('head', 'head', m.ch03_param_head),
  int('tok', 'position', m.ch03_param_tok),
  knobSpecs.kvGroups,
  samplerSpecs.topk,
];

describe('model-fit notices in zh-TW', () => {
  it('every notice is Chinese with no English run; numbers and names kept', () => {
    const values = { layer: 9, group: 7, head: 63, tok: 4000, kvGroups: 8, topk: 9999 };
    const english = fitToModel(values, specs, main, 'main').notices;
    setLocale('zh-TW', { reload: false });
    const { patch, notices } = fitToModel(values, specs, main, 'main');
    expect(patch).toEqual({ layer: 5, group: 1, head: 5, tok: 255, kvGroups: 2, topk: 512 });
    expect(notices).toHaveLength(6);
    expect(notices).toHaveLength(english.length);
    for (const n of notices) {
      expect(hasChinese(n), n).toBe(true);
      expect(englishRun(n), n).toBeNull();
    }
    const all = notices.join('\n');
    expect(all).toContain('= 9 超出了載入的模型（“main”）：它有 6 層，編號 0 到 5，已設為 5。');
    expect(all).toContain('能整除 2 個 K/V 頭的整數（1, 2）。已設為 2。');
    expect(all).toContain('它有 6 個查詢頭，編號 0 到 5');
    expect(all).toContain('長度為 256 個位置的上下文，編號 0 到 255');
    expect(all).toContain('大小為 512 個詞元的詞彙表');
    const unnamed = fitToModel({ layer: 9 }, specs, { ...main, nLayers: 1 }, '').notices;
    expect(unnamed[0]).toMatch(/超出了載入的模型：它有 1 層，編號 0 到 0，已設為 0。$/);
  });
});
