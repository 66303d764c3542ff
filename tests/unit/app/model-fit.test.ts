// Settings and prose follow the loaded model: shape-bound settings are clamped with a notice, the
// lab intros name what the loaded model was trained with, and far-out numbers stay readable.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeConfig, validateSidecar } from '$engine/config.ts';
import type { Config } from '$engine/types.ts';
import { chapterParamSpecs } from '$app/page-params.ts';
import { CHOICE_RULES, fitToModel } from '$lib/model-fit.ts';
import { KNOB_ROWS } from '$engine/knob-table.ts';
import { architecture } from '$lib/model-facts.ts';
import { readableNumber, type ParamValues } from '$lib/params.ts';
import { samplerSpecs } from '$lib/knobs.ts';
import type { ChapterDef } from '$lib/chapter.ts';
import { chapter as ch1 } from '../../../chapters/01-rmsnorm/chapter.ts';
import { chapter as ch2 } from '../../../chapters/02-activations/chapter.ts';
import { chapter as ch3 } from '../../../chapters/03-rope/chapter.ts';
import { chapter as ch4 } from '../../../chapters/04-attention/chapter.ts';

/** A shipped model's config, read from its header and sidecar. */
function shipped(name: string): Config {
  const dir = new URL(`../../../assets/models/${name}/`, import.meta.url);
  const h = new Int32Array(readFileSync(new URL('model.bin', dir)).buffer.slice(0, 28));
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, vocab, seqLen] = h;
  const sidecar = validateSidecar(JSON.parse(readFileSync(new URL('model.json', dir), 'utf8')));
  return makeConfig(
    { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize: Math.abs(vocab), seqLen },
    vocab > 0,
    sidecar,
  );
}

const models = Object.fromEntries(
  ['main', 'mha', 'mqa', 'nope', 'layernorm', 'gelu-mlp'].map((n) => [n, shipped(n)]),
);
const main = models.main;

describe('fitToModel', () => {
  const specs = chapterParamSpecs(ch4);
  it('clamps layer, K/V head and K/V groups beyond the model, each with a notice', () => {
    const values: ParamValues = { layer: 9, group: 7, kvGroups: 8, ctx: 4096, topk: 0 };
    const { patch, notices } = fitToModel(values, specs, main, 'main');
    expect(patch).toEqual({ layer: main.nLayers - 1, group: main.nKvHeads - 1, kvGroups: 2 });
    expect(notices).toHaveLength(3);
    expect(notices).toContain(
      `Layer (layer) = 9 is beyond the loaded model (“main”), which has ${main.nLayers} layers, numbered 0 to ${main.nLayers - 1}: set to ${main.nLayers - 1}.`,
    );
    expect(notices.join(' ')).toMatch(
      /KV groups \(kvGroups\) = 8 does not fit .*dividing the 2 K\/V heads \(1, 2\)\. Set to 2\./,
    );
  });

  it('leaves settings that fit alone, and re-clamps for another model', () => {
    expect(fitToModel({ layer: 4, group: 1, kvGroups: 1 }, specs, main, 'main').patch).toEqual({});
    // a value that fits the multi-head model (4 K/V heads) does not fit multi-query (1)
    const v = { group: 3, kvGroups: 4 };
    expect(fitToModel(v, specs, models.mha, 'mha').patch).toEqual({});
    expect(fitToModel(v, specs, models.mqa, 'mqa').patch).toEqual({ group: 0, kvGroups: 1 });
  });

  it('caps positions at the context, heads at the head count, top-k at the vocabulary', () => {
    const s3 = chapterParamSpecs(ch3);
    const { patch } = fitToModel({ tok: 4000, head: 63, topk: 1000 }, s3, main, '');
    expect(patch).toEqual({ tok: main.seqLen - 1, head: main.nHeads - 1, topk: main.vocabSize });
    expect(samplerSpecs.topk).toMatchObject({ bound: 'vocab' });
  });

  it('a one-layer model: “1 layer”, not “1 layers”; every rule the table words has page words', () => {
    const one = { ...main, nLayers: 1 };
    const { notices } = fitToModel({ layer: 3 }, specs, one, '');
    expect(notices).toEqual([
      expect.stringMatching(
        /is beyond the loaded model, which has 1 layer, numbered 0 to 0: set to 0\.$/,
      ),
    ]);
    const worded = KNOB_ROWS.filter((r) => 'choices' in r && 'says' in r).map((r) => r.id);
    expect(worded.length).toBeGreaterThan(0);
    for (const id of worded) expect(CHOICE_RULES[id], id).toBeDefined();
  });
});

/** The lab block's intro for a model. */
function intro(def: ChapterDef, config: Config | null): string {
  const lab = def.blocks.find((b) => b.kind === 'lab');
  if (!lab || lab.kind !== 'lab' || typeof lab.intro !== 'function') throw new Error('no intro');
  return lab.intro(config ? architecture(config) : null);
}

describe('prose that follows the loaded model', () => {
  it('names the attention the loaded model was trained with', () => {
    expect(intro(ch4, main)).toMatch(
      /^The model below was trained with grouped-query attention \(4 query heads sharing 2 K\/V heads\)/,
    );
    expect(intro(ch4, models.mha)).toMatch(
      /trained with multi-head attention \(4 heads, each with its own/,
    );
    expect(intro(ch4, models.mha)).not.toMatch(/grouped-query/);
    expect(intro(ch4, models.mqa)).toMatch(/multi-query attention .*nothing left to pool/);
    expect(intro(ch4, null)).toMatch(/^Reduce its number of K\/V heads/);
  });

  it('names the norm, FFN and position encoding of the loaded model', () => {
    expect(intro(ch1, main)).toMatch(/trained with RMSNorm\. Switch every norm layer to LayerNorm/);
    expect(intro(ch1, models.layernorm)).toMatch(
      /trained with LayerNorm\. Switch every norm layer to RMSNorm/,
    );
    expect(intro(ch2, main)).toMatch(
      /trained with SwiGLU, that is SiLU as the gate\. Switch every FFN layer to GELU, ReLU or/,
    );
    expect(intro(ch2, models['gelu-mlp'])).toMatch(
      /trained with a GELU MLP\. Switch every FFN layer to SiLU, ReLU or/,
    );
    expect(intro(ch3, main)).toMatch(/trained with RoPE on short sequences.*Turn RoPE off/);
    expect(intro(ch3, models.nope)).toMatch(
      /trained with no position encoding \(NoPE\).*Turn RoPE on/,
    );
    for (const def of [ch1, ch2, ch3, ch4]) expect(intro(def, null)).not.toMatch(/trained with/);
  });

  it('architecture() reads the config', () => {
    expect(architecture(main)).toMatchObject({
      norm: 'RMSNorm',
      ffn: 'SwiGLU',
      activation: 'SiLU',
      position: 'RoPE',
      attention: 'grouped-query attention',
    });
    expect(architecture({ ...main, activation: 'relu' }).ffn).toBe('ReGLU');
  });
});

describe('readableNumber', () => {
  it('writes far-out numbers with a power of ten, usual ones with fixed digits', () => {
    expect(readableNumber(2.9e15)).toBe('2.9 × 10¹⁵');
    expect(readableNumber(2.94e15)).toBe('2.9 × 10¹⁵');
    expect(readableNumber(123456789)).toBe('1.2 × 10⁸');
    expect(readableNumber(3.5e-7)).toBe('3.5 × 10⁻⁷');
    expect(readableNumber(-4e20)).toBe('−4 × 10²⁰');
    expect(readableNumber(7.3456)).toBe('7.35');
    expect(readableNumber(999999)).toBe('999999.00');
    expect(readableNumber(0)).toBe('0.00');
    expect(readableNumber(NaN)).toBe('not a number');
    expect(readableNumber(Infinity)).toBe('infinite');
  });
});
