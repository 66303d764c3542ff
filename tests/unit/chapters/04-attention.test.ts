// Chapter 4: every formula the page shows, checked numerically. The KV-cache calculator against
// the facts sheet (read at test time), attention against a real forward pass's trace, the
// head-sharing map against the engine's own h / kv_mul behaviour, and mean-pooling of K/V heads
// (the kvGroups knob) against models built directly with fewer K/V heads.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { allocateModel } from '$engine/checkpoint-write.ts';
import { countParams } from '$engine/config.ts';
import { defaultKnobs, kvGroupChoices } from '$engine/knobs.ts';
import { generate } from '$engine/generate.ts';
import type { Config, Model } from '$engine/types.ts';
import { fixtureModel, greedyRun } from '../../helpers/fixtures.ts';
import { randomModel, testConfig } from '../../helpers/random-model.ts';
import {
  LLAMA_CONFIGS,
  attend,
  attentionKind,
  decodeCost,
  divisors,
  filledPositions,
  formatBytes,
  headSharingMap,
  kvBytesPerToken,
  kvCacheBytes,
  kvHeadOf,
  kvShape,
  llamaConfig,
  meanPoolHeads,
  paramCount,
  queryHeadsOf,
  scores,
  softmax,
  weightsReadPerStep,
  withKvHeads,
} from '../../../chapters/04-attention/math.ts';
import { diagramShape } from '../../../chapters/04-attention/params.ts';
import { parseCurve } from '$lib/curves.ts';

const FACTS = readFileSync(
  fileURLToPath(new URL('../../../docs/reference/llama-facts.md', import.meta.url)),
  'utf8',
);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Rows of the facts sheet's "Architecture constants" table, by model name. */
function factsTable(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const start = FACTS.indexOf('| model | dim | layers | heads | KV heads | FFN hidden |');
  expect(start).toBeGreaterThan(0);
  for (const line of FACTS.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').map((c) => c.trim());
    out.set(
      cells[1],
      cells.slice(2, 7).map((c) => Number(c.replace(/,/g, ''))),
    );
  }
  return out;
}

describe('the LLaMA configurations match the facts sheet', () => {
  it('every row of the calculator is a row of the architecture table, number for number', () => {
    const table = factsTable();
    expect(table.size).toBe(LLAMA_CONFIGS.length);
    for (const c of LLAMA_CONFIGS) {
      expect(table.get(c.name), c.name).toEqual([
        c.dim,
        c.nLayers,
        c.nHeads,
        c.nKvHeads,
        c.ffnHidden,
      ]);
      // "Head dimension is 128 in every row above (dim / heads)."
      expect(c.dim / c.nHeads).toBe(128);
    }
  });

  it('MHA for LLaMA 1 and Llama 2 7B/13B, GQA with 8 K/V heads for Llama 2 70B and Llama 3', () => {
    const kinds = Object.fromEntries(
      LLAMA_CONFIGS.map((c) => [c.id, attentionKind(c.nHeads, c.nKvHeads)]),
    );
    expect(kinds).toEqual({
      'llama1-7b': 'MHA',
      'llama1-13b': 'MHA',
      'llama1-33b': 'MHA',
      'llama1-65b': 'MHA',
      'llama2-7b': 'MHA',
      'llama2-13b': 'MHA',
      'llama2-70b': 'GQA',
      'llama3-8b': 'GQA',
      'llama3-70b': 'GQA',
      'llama31-405b': 'GQA',
    });
  });
});

describe('KV-cache calculator', () => {
  it('Llama 2 70B: 327,680 B (320 KiB) per token in fp16, 2.5 MiB if it were MHA with 64 K/V heads', () => {
    const c = llamaConfig('llama2-70b');
    const perToken = kvBytesPerToken(kvShape(c), 2);
    expect(perToken).toBe(327_680);
    expect(perToken).toBe(2 * 80 * 8 * 128 * 2);
    expect(formatBytes(perToken)).toBe('320 KiB');
    const mha = kvBytesPerToken(withKvHeads(c, 64), 2);
    expect(mha).toBe(2.5 * 2 ** 20);
    expect(formatBytes(mha)).toBe('2.5 MiB');
    // the facts sheet says exactly this
    expect(FACTS).toContain('Llama 2 70B in fp16: 2·80·8·128·2 = 327,680 B (320 KiB) per token');
    expect(FACTS).toContain('it would be 2.5 MiB');
    // fp32 doubles it
    expect(kvBytesPerToken(kvShape(c), 4)).toBe(655_360);
  });

  it('Llama 3 8B: 128 KiB per token, 16 GiB at 128K tokens', () => {
    const c = llamaConfig('llama3-8b');
    const perToken = kvBytesPerToken(kvShape(c), 2);
    expect(perToken).toBe(128 * 1024);
    expect(formatBytes(perToken)).toBe('128 KiB');
    const full = kvCacheBytes(kvShape(c), 2, 128 * 1024);
    expect(full).toBe(16 * 2 ** 30);
    expect(formatBytes(full)).toBe('16 GiB');
    expect(FACTS).toContain('Llama 3 8B: 128 KiB per token, 16 GiB at 128K tokens');
    // batch multiplies, MQA divides by the number of K/V heads
    expect(kvCacheBytes(kvShape(c), 2, 4096, 8)).toBe(perToken * 4096 * 8);
    expect(kvBytesPerToken(withKvHeads(c, 1), 2)).toBe(perToken / 8);
  });

  it('the cache size formula equals the bytes the CPU engine allocates for K and V (float32)', () => {
    const model = randomModel({ nHeads: 8, nKvHeads: 4 }, 3);
    const c = model.config;
    for (const g of kvGroupChoices(c)) {
      const b = createCpuBackend(model, { ...defaultKnobs(c), kvGroups: g }, { maxPositions: 96 });
      const shape = { nLayers: c.nLayers, nKvHeads: g, headDim: c.dim / c.nHeads };
      expect(b.kvCacheBytes()).toBe(kvCacheBytes(shape, 4, 96));
      b.dispose();
    }
  });

  it('formatBytes uses binary units and never shows nonsense as a size', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(2 ** 40)).toBe('1 TiB');
    expect(formatBytes(Number.NaN)).toBe('not a size');
    expect(formatBytes(-1)).toBe('not a size');
  });
});

describe('decoding cost (why decoding is memory-bound)', () => {
  it('the weights read per step are all parameters except the embedding table (engine count)', () => {
    for (const shared of [false, true]) {
      const cfg: Config = testConfig({ nHeads: 8, nKvHeads: 2, sharedClassifier: shared });
      const lc = {
        id: 't',
        name: 't',
        dim: cfg.dim,
        nLayers: cfg.nLayers,
        nHeads: cfg.nHeads,
        nKvHeads: cfg.nKvHeads,
        ffnHidden: cfg.hiddenDim,
        vocab: cfg.vocabSize,
        context: cfg.seqLen,
        contextNote: '',
      };
      expect(paramCount(lc, shared)).toBe(countParams(cfg));
      expect(paramCount(lc, shared)).toBe(allocateModel(cfg).nParams);
      expect(weightsReadPerStep(lc)).toBe(paramCount(lc, false) - cfg.vocabSize * cfg.dim);
    }
  });

  it('Llama 2 70B at 4K context decodes at about one operation per byte; batching helps GQA more than MHA', () => {
    const c = llamaConfig('llama2-70b');
    const one = decodeCost(c, 8, 4096, 1, 2);
    expect(one.flopsPerByte).toBeGreaterThan(0.9);
    expect(one.flopsPerByte).toBeLessThan(1.2);
    // about 69 billion parameters (the name says 70B)
    expect(paramCount(c) / 1e9).toBeGreaterThan(68);
    expect(paramCount(c) / 1e9).toBeLessThan(70);
    const gqa = decodeCost(c, 8, 4096, 64, 2);
    const mha = decodeCost(c, 64, 4096, 64, 2);
    expect(gqa.kvBytes).toBe(64 * 4096 * 327_680);
    expect(mha.kvBytes).toBe(8 * gqa.kvBytes);
    expect(gqa.flopsPerByte).toBeGreaterThan(3 * mha.flopsPerByte);
    // flops: 2 per weight per sequence plus 4 L n d of attention
    expect(one.flops).toBe(2 * weightsReadPerStep(c) + 4 * 80 * 4096 * 8192);
  });
});

describe('scaled dot-product attention (math.ts) against the engine', () => {
  const model = fixtureModel(); // run.c's random-s.bin: 8 heads, 4 K/V heads, head size 8
  const c = model.config;
  const ids = greedyRun().prompt_ids;

  for (const g of [c.nKvHeads, 2, 1]) {
    it(`reproduces every head's probabilities and output from q, k, v (kvGroups ${g})`, () => {
      const b = createCpuBackend(model, { ...defaultKnobs(c), kvGroups: g });
      const layer = 2;
      const taps = ['q_rot', 'k_rot', 'v', 'probs', 'heads'].map((t) => `L${layer}.attn.${t}`);
      const { trace } = b.forwardPromptSync(ids, 0, { trace: taps });
      const get = (t: string) => trace!.get(`L${layer}.attn.${t}`)!;
      const hs = c.dim / c.nHeads;
      const T = ids.length;
      const kvDim = g * hs;
      expect(get('k_rot').shape).toEqual([T, kvDim]);
      const q = get('q_rot').data;
      const k = get('k_rot').data;
      const v = get('v').data;
      const probs = get('probs').data;
      const heads = get('heads').data;
      let worstP = 0;
      let worstO = 0;
      for (let h = 0; h < c.nHeads; h++) {
        const j = kvHeadOf(h, c.nHeads, g);
        for (let t = 0; t < T; t++) {
          const keys = Array.from({ length: t + 1 }, (_, s) =>
            k.subarray(s * kvDim + j * hs, s * kvDim + (j + 1) * hs),
          );
          const vals = Array.from({ length: t + 1 }, (_, s) =>
            v.subarray(s * kvDim + j * hs, s * kvDim + (j + 1) * hs),
          );
          const r = attend(q.subarray(t * c.dim + h * hs, t * c.dim + (h + 1) * hs), keys, vals);
          const row = probs.subarray((h * T + t) * T, (h * T + t) * T + t + 1);
          worstP = Math.max(worstP, maxAbsDiff(r.probs, row));
          worstO = Math.max(
            worstO,
            maxAbsDiff(r.out, heads.subarray(t * c.dim + h * hs, t * c.dim + (h + 1) * hs)),
          );
          // masked positions (the future) get exactly zero
          for (let s = t + 1; s < T; s++) expect(probs[(h * T + t) * T + s]).toBe(0);
        }
      }
      expect(worstP).toBeLessThan(1e-5);
      expect(worstO).toBeLessThan(1e-5);
    });
  }

  it('softmax rows sum to 1 and ignore a common shift', () => {
    const p = softmax([1, 2, 3, -4]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const shifted = softmax([101, 102, 103, 96]);
    expect(maxAbsDiff(p, shifted)).toBeLessThan(1e-12);
  });
});

describe('the head-sharing map of the diagram is the engine’s h / kv_mul mapping', () => {
  it('matches run.c’s formula and its inverse', () => {
    expect(headSharingMap(64, 8).slice(14, 26)).toEqual([1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3]);
    expect(headSharingMap(8, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(headSharingMap(8, 1)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    for (const [h, kv] of [
      [64, 8],
      [32, 8],
      [52, 4],
      [12, 3],
    ]) {
      const map = headSharingMap(h, kv);
      for (let j = 0; j < kv; j++) {
        expect(queryHeadsOf(j, h, kv)).toEqual(map.flatMap((m, i) => (m === j ? [i] : [])));
      }
    }
    expect(() => headSharingMap(8, 3)).toThrow(/do not divide/);
  });

  // With one token every attention probability is 1, so head h's output is exactly the value
  // vector of the K/V head it reads: the engine's own mapping can be read off its trace.
  const shapes: [number, number, number][] = [
    [8, 8, 8],
    [8, 4, 4],
    [8, 4, 2],
    [8, 4, 1],
    [8, 2, 2],
    [16, 8, 4],
    [4, 1, 1],
  ];
  for (const [nHeads, nKvHeads, groups] of shapes) {
    it(`engine with ${nHeads} heads, ${nKvHeads} K/V heads, kvGroups ${groups}`, () => {
      const model = randomModel(
        { dim: nHeads * 8, nHeads, nKvHeads, nLayers: 2, hiddenDim: 48 },
        nHeads * 31 + nKvHeads,
      );
      const c = model.config;
      const b = createCpuBackend(model, { ...defaultKnobs(c), kvGroups: groups });
      const { trace } = b.forwardPromptSync([1], 0, { trace: ['L1.attn.v', 'L1.attn.heads'] });
      const v = trace!.get('L1.attn.v')!.data;
      const heads = trace!.get('L1.attn.heads')!.data;
      const hs = 8;
      const engineMap: number[] = [];
      for (let h = 0; h < nHeads; h++) {
        const out = heads.subarray(h * hs, (h + 1) * hs);
        const matches = Array.from({ length: groups }, (_, j) => j).filter(
          (j) => maxAbsDiff(out, v.subarray(j * hs, (j + 1) * hs)) === 0,
        );
        expect(matches.length).toBe(1);
        engineMap.push(matches[0]);
      }
      expect(engineMap).toEqual(headSharingMap(nHeads, groups));
      b.dispose();
    });
  }
});

/** The model with its K/V heads replaced: a real checkpoint with `nKv` K/V heads. */
function withPooledKv(model: Model, nKv: number, wk: Float32Array, wv: Float32Array): Model {
  const cfg: Config = { ...model.config, nKvHeads: nKv };
  const out = allocateModel(cfg);
  const src = model.weights;
  const dst = out.weights;
  for (const key of [
    'tokenEmbedding',
    'rmsAtt',
    'wq',
    'wo',
    'rmsFfn',
    'w1',
    'w2',
    'w3',
    'rmsFinal',
  ] as const) {
    dst[key]!.set(src[key]!);
  }
  if (!cfg.sharedClassifier) dst.wcls.set(src.wcls);
  dst.wk.set(wk);
  dst.wv.set(wv);
  return out;
}

describe('mean-pooling K/V heads (the kvGroups knob)', () => {
  const model = fixtureModel();
  const c = model.config;
  const ids = greedyRun().prompt_ids;
  const hs = c.dim / c.nHeads;
  const logitsOf = (m: Model, groups?: number) => {
    const b = createCpuBackend(
      m,
      groups === undefined ? undefined : { ...defaultKnobs(m.config), kvGroups: groups },
    );
    const out = b.forwardPromptSync(ids, 0, { allLogits: true }).allLogits!;
    b.dispose();
    return out;
  };
  const base = logitsOf(model);

  it('pooling to n_kv_heads groups leaves the model unchanged (identical logits)', () => {
    const b = createCpuBackend(model);
    b.setKnobs({ ...defaultKnobs(c), kvGroups: 1 }); // a detour through MQA first
    b.setKnobs({ ...defaultKnobs(c), kvGroups: c.nKvHeads });
    const out = b.forwardPromptSync(ids, 0, { allLogits: true }).allLogits!;
    expect(maxAbsDiff(out, base)).toBe(0);
    // and the pooling formula with one head per group is the identity
    const per = c.nKvHeads * hs * c.dim;
    const layer0 = model.weights.wk.subarray(0, per);
    expect(maxAbsDiff(meanPoolHeads(layer0, c.nKvHeads, c.nKvHeads, hs, c.dim), layer0)).toBe(0);
  });

  it('pooling to one group equals an MQA model built directly (K/V rows averaged here)', () => {
    // Build the MQA checkpoint by hand: per layer, the one K (and V) head is the mean of the
    // n_kv_heads heads' rows, row r of the new head = mean over heads m of row m*hs + r.
    const kvDim = c.nKvHeads * hs;
    const wk = new Float32Array(c.nLayers * hs * c.dim);
    const wv = new Float32Array(c.nLayers * hs * c.dim);
    for (const [src, dst] of [
      [model.weights.wk, wk],
      [model.weights.wv, wv],
    ] as const) {
      for (let l = 0; l < c.nLayers; l++) {
        for (let r = 0; r < hs; r++) {
          for (let col = 0; col < c.dim; col++) {
            let s = 0;
            for (let m = 0; m < c.nKvHeads; m++)
              s += src[l * kvDim * c.dim + (m * hs + r) * c.dim + col];
            dst[l * hs * c.dim + r * c.dim + col] = s / c.nKvHeads;
          }
        }
      }
    }
    const mqa = withPooledKv(model, 1, wk, wv);
    const direct = logitsOf(mqa);
    const knob = logitsOf(model, 1);
    expect(maxAbsDiff(direct, knob)).toBeLessThan(1e-5);
    // and it really is a different model from the trained one
    expect(maxAbsDiff(knob, base)).toBeGreaterThan(1e-3);
  });

  it('pooling to 2 groups equals a GQA-2 model built with math.ts’s meanPoolHeads', () => {
    const per = c.nKvHeads * hs * c.dim;
    const pool = (w: Float32Array) => {
      const out = new Float32Array(c.nLayers * 2 * hs * c.dim);
      for (let l = 0; l < c.nLayers; l++) {
        out.set(
          meanPoolHeads(w.subarray(l * per, (l + 1) * per), c.nKvHeads, 2, hs, c.dim),
          l * 2 * hs * c.dim,
        );
      }
      return out;
    };
    const gqa2 = withPooledKv(model, 2, pool(model.weights.wk), pool(model.weights.wv));
    expect(maxAbsDiff(logitsOf(gqa2), logitsOf(model, 2))).toBeLessThan(1e-5);
  });

  it('an MHA model pooled all the way: 8 -> 4 -> 2 -> 1 K/V heads, each a valid smaller model', () => {
    const mha = randomModel({ nHeads: 8, nKvHeads: 8 }, 11);
    expect(kvGroupChoices(mha.config)).toEqual(divisors(8));
    let previous: Float32Array | null = null;
    for (const g of [8, 4, 2, 1]) {
      const out = logitsOf(mha, g);
      expect(out.every(Number.isFinite)).toBe(true);
      if (previous) expect(maxAbsDiff(out, previous)).toBeGreaterThan(0);
      previous = out;
    }
  });
});

describe('the KV cache filling up during generation', () => {
  it('after N generated tokens of a P-token prompt the cache holds P + N - 1 positions', async () => {
    const model = fixtureModel();
    const ids = greedyRun().prompt_ids;
    for (const steps of [1, 5, 12]) {
      const b = createCpuBackend(model);
      const run = generate(b, {
        promptIds: ids,
        steps,
        sampler: { temperature: 0, topK: 0, topP: 0, seed: 1n },
      });
      let n = 0;
      for (;;) {
        const r = await run.next();
        if (r.done) break;
        n += 1;
      }
      expect(n).toBe(steps);
      expect(b.cacheLength).toBe(filledPositions(ids.length, steps));
      b.dispose();
    }
    expect(filledPositions(0, 3)).toBe(0);
  });
});

describe('the diagram’s URL parameters', () => {
  it('snaps the K/V head count to a divisor of the query heads and says so', () => {
    expect(diagramShape(8, 2)).toEqual({ nHeads: 8, nKvHeads: 2, note: '' });
    const odd = diagramShape(8, 3);
    expect([2, 4]).toContain(odd.nKvHeads);
    expect(odd.note).toMatch(/3 K\/V heads do not divide 8 query heads/);
    expect(diagramShape(64, 100).nKvHeads).toBe(64);
    expect(diagramShape(Number.NaN, Number.NaN)).toMatchObject({ nHeads: 8, nKvHeads: 1 });
  });
});

describe('training curves of the GQA, MHA and MQA runs', () => {
  it('reads the trainer’s per-split column blocks as well as the shared shapes', () => {
    const nested = {
      train: { step: [1, 2, 3], loss: [5, 4, Number.NaN] },
      val: { step: [3], loss: [4.5], bits_per_char: [3] },
    };
    expect(parseCurve(nested).points).toEqual([
      { step: 1, split: 'train', loss: 5 },
      { step: 2, split: 'train', loss: 4 },
      { step: 3, split: 'val', loss: 4.5 },
    ]);
    expect(parseCurve({ points: [{ step: 0, train: 5.2 }] }).points).toEqual([
      { step: 0, split: 'train', loss: 5.2 },
    ]);
    expect(parseCurve({ nothing: true }).error).toMatch(/no \(step, loss\) points/);
    expect(parseCurve(null).points).toEqual([]);
  });
});

describe('the chapter’s worked numbers and answers', () => {
  it('quote the facts sheet: 327,680 B = 320 KiB, 2.5 MiB as MHA, 128 KiB and 16 GiB for Llama 3 8B', async () => {
    const { chapter } = await import('../../../chapters/04-attention/chapter.ts');
    const derive = chapter.blocks.find((b) => b.id === 'derive-gqa');
    if (derive?.kind !== 'derivation') throw new Error('derive-gqa is not a derivation');
    const worked = derive.steps.at(-1)!;
    expect(worked.tex).toContain(String.raw`327{,}680\ \text{B} = 320\ \text{KiB}`);
    expect(worked.why).toContain('2.5 MiB per token, 8 times more');
    expect(worked.why).toContain('128 KiB per token');
    const quiz = chapter.blocks.find((b) => b.kind === 'quiz');
    if (quiz?.kind !== 'quiz') throw new Error('no quiz');
    const q = quiz.questions.find((x) => x.id === 'llama3-128k')!;
    expect(q.choices[q.answer]).toBe(
      formatBytes(kvCacheBytes(kvShape(llamaConfig('llama3-8b')), 2, 131072)),
    );
    expect(q.explain).toContain('16 GiB');
    const which = quiz.questions.find((x) => x.id === 'which-kv')!;
    expect(Number(which.choices[which.answer])).toBe(kvHeadOf(21, 64, 8));
    // every block id is unique (anchors and progress use them)
    const ids = chapter.blocks.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the remaining formulas of the derivations', () => {
  it('dividing by √d_k brings the variance of q·k from d_k back to about 1', () => {
    // q, k with independent entries of mean 0 and variance 1 (uniform on ±√3)
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed / 2 ** 32) * 2 - 1;
    };
    for (const dk of [16, 128]) {
      const n = 4000;
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const q = Array.from({ length: dk }, () => Math.sqrt(3) * rand());
        const k = Array.from({ length: dk }, () => Math.sqrt(3) * rand());
        const [s] = scores(q, [k]); // q.k / sqrt(dk)
        sum += s;
        sq += s * s;
      }
      const variance = sq / n - (sum / n) ** 2;
      expect(variance).toBeGreaterThan(0.9);
      expect(variance).toBeLessThan(1.1);
    }
  });

  it('MHA’s cache is 2 · L · d · b per token, for every model of the family', () => {
    for (const c of LLAMA_CONFIGS) {
      expect(kvBytesPerToken(withKvHeads(c, c.nHeads), 2)).toBe(2 * c.nLayers * c.dim * 2);
      expect(kvBytesPerToken(withKvHeads(c, 1), 2) * c.nHeads).toBe(2 * c.nLayers * c.dim * 2);
    }
  });
});
