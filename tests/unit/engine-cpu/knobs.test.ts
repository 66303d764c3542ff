// Each knob does what it must: defaults leave the model as trained, and every change has the
// effect the math says it has.
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { ropeFreq } from '$engine/cpu/ops.ts';
import {
  clampKnobs,
  defaultKnobs,
  effectiveRopeBase,
  kvGroupChoices,
  validateKnobs,
} from '$engine/knobs.ts';
import type { Knobs, Model } from '$engine/types.ts';
import { loadGreedy, loadRandomS, maxAbsDiff, rng } from './fixture.ts';

const model = loadRandomS();
const c = model.config;
const hs = c.dim / c.nHeads;
const d = defaultKnobs(c);
const { greedy, vocab, logits: want } = loadGreedy();
const prompt = greedy.fed_ids.slice(0, 24);

/** Logits of every row of `prompt` under the given knobs. */
function logitsWith(knobs: Partial<Knobs>, m: Model = model, toks = prompt): Float32Array {
  const b = createCpuBackend(m, { ...defaultKnobs(m.config), ...knobs });
  return b.forwardPromptSync(toks, 0, { allLogits: true }).allLogits!;
}

function traceWith(knobs: Partial<Knobs>, taps: string[], toks = prompt, m: Model = model) {
  const b = createCpuBackend(m, { ...defaultKnobs(m.config), ...knobs });
  return b.forwardPromptSync(toks, 0, { trace: taps }).trace!;
}

const base = logitsWith({});

describe('defaultKnobs', () => {
  it('reads the trained architecture from the config', () => {
    expect(d).toEqual({
      norm: 'rmsnorm',
      normEps: 1e-5,
      activation: 'silu',
      rope: true,
      ropeBase: 10000,
      ropeScaling: 'none',
      ropeFactor: 1,
      kvGroups: 4,
    });
    const other = defaultKnobs({
      ...c,
      norm: 'layernorm',
      normEps: 1e-6,
      activation: 'gelu',
      position: 'none',
      ropeBase: 500,
    });
    expect(other).toMatchObject({
      norm: 'layernorm',
      normEps: 1e-6,
      activation: 'gelu',
      rope: false,
      ropeBase: 500,
      kvGroups: 4,
    });
  });

  it('leave the model exactly as trained (bit-identical, and run.c within 1e-4)', () => {
    const b = createCpuBackend(model); // no knobs given
    const implicit = b.forwardPromptSync(prompt, 0, { allLogits: true }).allLogits!;
    expect(maxAbsDiff(implicit, base)).toBe(0);
    // after a detour through other knobs, setting the defaults back restores the model exactly
    b.setKnobs({ ...d, kvGroups: 1, activation: 'gelu', rope: false, normEps: 0.1 });
    b.setKnobs(defaultKnobs(c));
    const back = b.forwardPromptSync(prompt, 0, { allLogits: true }).allLogits!;
    expect(maxAbsDiff(back, base)).toBe(0);
    expect(maxAbsDiff(base, want.subarray(0, prompt.length * vocab))).toBeLessThan(1e-4);
  });
});

describe('validateKnobs', () => {
  const bad: [Partial<Record<keyof Knobs, unknown>>, RegExp][] = [
    [{ normEps: 0 }, /"normEps" must be a number greater than 0 and at most 10, got 0/],
    [{ normEps: -1e-5 }, /"normEps".*got -0.00001/],
    [{ normEps: 11 }, /"normEps".*got 11/],
    [{ normEps: NaN }, /"normEps".*got NaN/],
    [{ normEps: '1e-5' }, /"normEps".*got "1e-5"/],
    [{ ropeBase: 1 }, /"ropeBase" must be a number greater than 1/],
    [{ ropeBase: 0.5 }, /"ropeBase"/],
    [{ ropeBase: Infinity }, /"ropeBase".*got Infinity/],
    [{ ropeFactor: 0.5 }, /"ropeFactor" must be a number from 1 to 64, got 0.5/],
    [{ ropeFactor: 65 }, /"ropeFactor".*65/],
    [{ ropeFactor: NaN }, /"ropeFactor"/],
    [
      { kvGroups: 3 },
      /"kvGroups" must be a whole number dividing the 4 K\/V heads \(one of 1, 2, 4\), got 3/,
    ],
    [{ kvGroups: 0 }, /"kvGroups".*got 0/],
    [{ kvGroups: 8 }, /"kvGroups".*got 8/],
    [{ kvGroups: 1.5 }, /"kvGroups".*got 1.5/],
    [{ norm: 'batchnorm' }, /"norm" must be one of rmsnorm, layernorm, got "batchnorm"/],
    [{ activation: 'tanh' }, /"activation" must be one of silu, gelu, relu, custom, got "tanh"/],
    [
      { ropeScaling: 'longrope' },
      /"ropeScaling" must be one of none, linear, ntk, llama3, yarn, got "longrope"/,
    ],
    [{ rope: 'yes' }, /"rope" must be true or false/],
  ];
  for (const [change, msg] of bad) {
    it(`refuses ${JSON.stringify(change).replace('null', 'NaN')}`, () => {
      expect(() => validateKnobs({ ...d, ...change } as Knobs, c)).toThrow(msg);
    });
  }

  it('refuses missing and unknown knobs', () => {
    const { kvGroups: _, ...missing } = d;
    expect(() => validateKnobs(missing as Knobs, c)).toThrow(/knob "kvGroups" is missing/);
    expect(() => validateKnobs({ ...d, ropeTheta: 5 } as Knobs, c)).toThrow(
      /unknown knob "ropeTheta"/,
    );
  });

  it('accepts the defaults and the edges of each range', () => {
    expect(() => validateKnobs(d, c)).not.toThrow();
    for (const k of [{ normEps: 10 }, { ropeFactor: 64 }, { ropeFactor: 1 }, { kvGroups: 1 }]) {
      expect(() => validateKnobs({ ...d, ...k }, c)).not.toThrow();
    }
  });

  it('a backend refuses bad knobs and keeps working with the old ones', () => {
    const b = createCpuBackend(model);
    expect(() => b.setKnobs({ ...d, normEps: -1 })).toThrow(/normEps/);
    expect(b.getKnobs()).toEqual(d);
    const out = b.forwardPromptSync(prompt, 0, { allLogits: true }).allLogits!;
    expect(maxAbsDiff(out, base)).toBe(0);
    expect(() => createCpuBackend(model, { ...d, kvGroups: 3 })).toThrow(/kvGroups/);
  });
});

describe('clampKnobs (URL-safe)', () => {
  it('reads strings, clamps numbers, snaps kvGroups to a divisor, defaults the rest', () => {
    const k = clampKnobs(
      {
        norm: 'layernorm',
        normEps: '1e-3',
        activation: 'relu',
        rope: 'false',
        ropeBase: '0',
        ropeScaling: 'ntk',
        ropeFactor: '1000',
        kvGroups: '3',
      },
      c,
    );
    expect(k).toEqual({
      norm: 'layernorm',
      normEps: 1e-3,
      activation: 'relu',
      rope: false,
      ropeBase: 2, // the lowest base the controls offer
      ropeScaling: 'ntk',
      ropeFactor: 64,
      kvGroups: 2,
    });
    expect(clampKnobs({}, c)).toEqual(d);
    expect(
      clampKnobs({ norm: 'x', normEps: 'NaN', rope: 'maybe', kvGroups: '<script>' }, c),
    ).toEqual(d);
  });

  it('always returns knobs that validate, whatever it is given', () => {
    const r = rng(7);
    const junk = [
      undefined,
      null,
      '',
      'abc',
      NaN,
      -Infinity,
      Infinity,
      -3,
      0,
      0.5,
      1,
      2,
      3,
      1e30,
      true,
    ];
    const pickJunk = () => junk[Math.floor(((r() + 1) / 2) * junk.length)];
    for (let i = 0; i < 300; i++) {
      const raw = Object.fromEntries(
        [
          'norm',
          'normEps',
          'activation',
          'rope',
          'ropeBase',
          'ropeScaling',
          'ropeFactor',
          'kvGroups',
        ].map((k) => [k, pickJunk()]),
      );
      expect(() => validateKnobs(clampKnobs(raw, c), c)).not.toThrow();
    }
  });
});

/** The model with wk/wv replaced by their g-group means, as a model with nKvHeads = g. */
function pooledModel(g: number): Model {
  const kvDim = c.nKvHeads * hs;
  const per = c.nKvHeads / g;
  const pool = (w: Float32Array) => {
    const out = new Float32Array(c.nLayers * g * hs * c.dim);
    for (let l = 0; l < c.nLayers; l++) {
      for (let grp = 0; grp < g; grp++) {
        for (let r = 0; r < hs; r++) {
          for (let j = 0; j < c.dim; j++) {
            let s = 0;
            for (let m = 0; m < per; m++) {
              s += w[l * kvDim * c.dim + ((grp * per + m) * hs + r) * c.dim + j];
            }
            out[(l * g * hs + grp * hs + r) * c.dim + j] = s / per;
          }
        }
      }
    }
    return out;
  };
  return {
    ...model,
    config: { ...c, nKvHeads: g },
    weights: { ...model.weights, wk: pool(model.weights.wk), wv: pool(model.weights.wv) },
  };
}

describe('kvGroups (mean-pooled K/V heads)', () => {
  it('kvGroups = nKvHeads is the identity, bit for bit', () => {
    expect(maxAbsDiff(logitsWith({ kvGroups: c.nKvHeads }), base)).toBe(0);
  });

  for (const g of [1, 2]) {
    it(`kvGroups = ${g} equals a model whose K/V weights are averaged into ${g} head(s)`, () => {
      const pooled = logitsWith({ kvGroups: g });
      const direct = logitsWith({}, pooledModel(g));
      expect(maxAbsDiff(pooled, direct)).toBeLessThan(1e-6);
      expect(maxAbsDiff(pooled, base)).toBeGreaterThan(1e-2); // and it does change the model
    });
  }

  it('kvGroups = 1 gives every query head the same keys (trace), and shrinks the cache 4x', () => {
    const b = createCpuBackend(model, { ...d, kvGroups: 1 });
    const t = b.forwardPromptSync(prompt, 0, { trace: ['L0.attn.k'] }).trace!;
    expect(t.get('L0.attn.k')!.shape).toEqual([prompt.length, hs]);
    expect(b.kvCacheBytes() * 4).toBe(createCpuBackend(model).kvCacheBytes());
    expect(kvGroupChoices(c)).toEqual([1, 2, 4]);
  });
});

describe('rope on/off', () => {
  it('off changes the logits and leaves q, k unrotated', () => {
    const off = logitsWith({ rope: false });
    expect(maxAbsDiff(off, base)).toBeGreaterThan(1e-2);
    const t = traceWith({ rope: false }, [
      'L0.attn.q',
      'L0.attn.q_rot',
      'L3.attn.k',
      'L3.attn.k_rot',
    ]);
    expect(t.get('L0.attn.q_rot')!.data).toEqual(t.get('L0.attn.q')!.data);
    expect(t.get('L3.attn.k_rot')!.data).toEqual(t.get('L3.attn.k')!.data);
  });

  it('off is position-free: permuting the earlier tokens leaves the last logits unchanged', () => {
    // Causal attention is a weighted sum over a set of positions; without RoPE nothing tells the
    // positions apart. In a one-layer model (later layers see prefixes that a permutation
    // changes), the last token's output must then ignore the order of the tokens before it.
    const w = model.weights;
    const one = (t: Float32Array, per: number) => t.subarray(0, per);
    const kv = (c.dim * c.nKvHeads) / c.nHeads;
    const oneLayer: Model = {
      ...model,
      config: { ...c, nLayers: 1 },
      weights: {
        ...w,
        rmsAtt: one(w.rmsAtt, c.dim),
        wq: one(w.wq, c.dim * c.dim),
        wk: one(w.wk, kv * c.dim),
        wv: one(w.wv, kv * c.dim),
        wo: one(w.wo, c.dim * c.dim),
        rmsFfn: one(w.rmsFfn, c.dim),
        w1: one(w.w1, c.hiddenDim * c.dim),
        w2: one(w.w2, c.dim * c.hiddenDim),
        w3: one(w.w3!, c.hiddenDim * c.dim),
      },
    };
    const a = [1, 417, 455, 317, 296, 452];
    const permuted = [296, 317, 1, 455, 417, 452];
    const last = (toks: number[], rope: boolean) =>
      createCpuBackend(oneLayer, { ...d, rope })
        .forwardPromptSync(toks, 0)
        .logits.slice();
    // The sums over positions run in another order: equal up to float32 rounding.
    expect(maxAbsDiff(last(a, false), last(permuted, false))).toBeLessThan(1e-5);
    expect(maxAbsDiff(last(a, true), last(permuted, true))).toBeGreaterThan(1e-3);
  });
});

describe('rope scaling', () => {
  it("'linear' factor f: q and k at position f*m are those of position m unscaled", () => {
    const f = 4;
    const toks = new Array<number>(4 * 5 + 1).fill(300);
    toks[0] = 1;
    // Layer 0's q and k depend only on the token, so equal tokens give equal pre-rotation values.
    const scaled = traceWith(
      { ropeScaling: 'linear', ropeFactor: f },
      ['L0.attn.q_rot', 'L0.attn.k_rot'],
      toks,
    );
    const plain = traceWith({}, ['L0.attn.q_rot', 'L0.attn.k_rot'], toks);
    for (const tap of ['L0.attn.q_rot', 'L0.attn.k_rot']) {
      const w = scaled.get(tap)!.shape[1];
      for (const m of [1, 2, 5]) {
        const a = scaled.get(tap)!.data.subarray(f * m * w, (f * m + 1) * w);
        const b = plain.get(tap)!.data.subarray(m * w, (m + 1) * w);
        expect(Array.from(a)).toEqual(Array.from(b));
      }
      // and not at other positions (the rotation really is slowed down)
      const a3 = scaled.get(tap)!.data.subarray(3 * w, 4 * w);
      const b3 = plain.get(tap)!.data.subarray(3 * w, 4 * w);
      expect(maxAbsDiff(a3, b3)).toBeGreaterThan(1e-3);
    }
    expect(maxAbsDiff(logitsWith({ ropeScaling: 'linear', ropeFactor: f }), base)).toBeGreaterThan(
      1e-3,
    );
  });

  it("'ntk' factor s: base * s^(hs/(hs-2)); the slowest pair turns s times slower, the fastest not at all", () => {
    const s = 4;
    const nb = effectiveRopeBase({ ...d, ropeScaling: 'ntk', ropeFactor: s }, hs);
    expect(nb).toBeCloseTo(10000 * Math.pow(s, hs / (hs - 2)), 6);
    expect(ropeFreq(nb, 0, hs)).toBe(ropeFreq(10000, 0, hs));
    const slow = ropeFreq(nb, hs - 2, hs) / ropeFreq(10000, hs - 2, hs);
    expect(slow).toBeCloseTo(1 / s, 6);
    const taps = ['L0.attn.q_rot', 'L2.attn.k_rot'];
    const ntk = traceWith({ ropeScaling: 'ntk', ropeFactor: s }, taps);
    const manual = traceWith({ ropeBase: nb }, taps);
    for (const tap of taps) expect(ntk.get(tap)!.data).toEqual(manual.get(tap)!.data);
    expect(maxAbsDiff(logitsWith({ ropeScaling: 'ntk', ropeFactor: s }), base)).toBeGreaterThan(
      1e-3,
    );
  });

  it('factor 1 is the identity for both kinds, and the base knob moves the logits', () => {
    expect(maxAbsDiff(logitsWith({ ropeScaling: 'linear', ropeFactor: 1 }), base)).toBe(0);
    expect(maxAbsDiff(logitsWith({ ropeScaling: 'ntk', ropeFactor: 1 }), base)).toBe(0);
    expect(maxAbsDiff(logitsWith({ ropeBase: 100 }), base)).toBeGreaterThan(1e-3);
  });
});

describe('norm kind and eps', () => {
  it("'layernorm' normalises every row to zero mean and unit variance before the gain", () => {
    const t = traceWith({ norm: 'layernorm' }, ['L1.attn_norm.in', 'L1.attn_norm.out']);
    const x = t.get('L1.attn_norm.in')!.data;
    const y = t.get('L1.attn_norm.out')!.data;
    const g = model.weights.rmsAtt.subarray(c.dim, 2 * c.dim);
    const ref: number[] = [];
    for (let r = 0; r < prompt.length; r++) {
      const row = Array.from(x.subarray(r * c.dim, (r + 1) * c.dim));
      const mean = row.reduce((a, b) => a + b, 0) / c.dim;
      const v = row.reduce((a, b) => a + (b - mean) ** 2, 0) / c.dim;
      for (let j = 0; j < c.dim; j++) ref.push((g[j] * (row[j] - mean)) / Math.sqrt(v + 1e-5));
    }
    expect(maxAbsDiff(y, ref)).toBeLessThan(1e-5);
    expect(maxAbsDiff(logitsWith({ norm: 'layernorm' }), base)).toBeGreaterThan(1e-3);
  });

  it('a larger eps moves the logits further from the trained model', () => {
    const dist = [1e-3, 1e-1, 10].map((normEps) => maxAbsDiff(logitsWith({ normEps }), base));
    expect(dist[0]).toBeGreaterThan(0);
    expect(dist[1]).toBeGreaterThan(dist[0]);
    expect(dist[2]).toBeGreaterThan(dist[1]);
  });
});

describe('activation', () => {
  const taps = ['L2.ffn.gate', 'L2.ffn.act'];

  it("'gelu' and 'relu' apply x Phi(x) and max(x, 0) to the gate, and change the output", () => {
    for (const [act, fn] of [
      ['gelu', (x: number) => x * 0.5 * (1 + erfRef(x / Math.SQRT2))],
      ['relu', (x: number) => Math.max(0, x)],
    ] as const) {
      const t = traceWith({ activation: act }, taps);
      const gate = t.get('L2.ffn.gate')!.data;
      expect(maxAbsDiff(t.get('L2.ffn.act')!.data, Array.from(gate, fn))).toBeLessThan(1e-6);
      expect(maxAbsDiff(logitsWith({ activation: act }), base)).toBeGreaterThan(1e-3);
    }
    expect(
      maxAbsDiff(logitsWith({ activation: 'gelu' }), logitsWith({ activation: 'relu' })),
    ).toBeGreaterThan(1e-3);
  });

  it("'custom' runs the function it is given and needs one first", () => {
    const b = createCpuBackend(model);
    expect(() => b.setKnobs({ ...d, activation: 'custom' })).toThrow(/setCustomActivation/);
    b.setCustomActivation((x) => (x > 0 ? x : 0));
    b.setKnobs({ ...d, activation: 'custom' });
    const custom = b.forwardPromptSync(prompt, 0, { allLogits: true }).allLogits!;
    expect(maxAbsDiff(custom, logitsWith({ activation: 'relu' }))).toBe(0);
    expect(() => b.setCustomActivation(null)).toThrow(/custom/);
  });
});

describe("FFN 'mlp' (no W3) and position 'none' models", () => {
  const mlp: Model = {
    ...model,
    config: { ...c, ffn: 'mlp', position: 'none' },
    weights: { ...model.weights, w3: null },
  };

  it('computes W2 act(W1 x), has no up tap, and starts with RoPE off', () => {
    const b = createCpuBackend(mlp);
    expect(b.getKnobs().rope).toBe(false);
    const t = b.forwardPromptSync(prompt, 0, {
      trace: [
        'L0.ffn.act',
        'L0.ffn.up',
        'L0.ffn.hidden',
        'L0.ffn.out',
        'L0.attn.q',
        'L0.attn.q_rot',
      ],
    }).trace!;
    expect(t.has('L0.ffn.up')).toBe(false);
    expect(t.get('L0.ffn.hidden')!.data).toEqual(t.get('L0.ffn.act')!.data);
    expect(t.get('L0.attn.q_rot')!.data).toEqual(t.get('L0.attn.q')!.data);
    const h = t.get('L0.ffn.hidden')!.data;
    const out = t.get('L0.ffn.out')!.data;
    const w2 = model.weights.w2;
    for (const r of [0, prompt.length - 1]) {
      for (const i of [0, 17, c.dim - 1]) {
        let s = 0;
        for (let j = 0; j < c.hiddenDim; j++) s += w2[i * c.hiddenDim + j] * h[r * c.hiddenDim + j];
        expect(out[r * c.dim + i]).toBeCloseTo(s, 5);
      }
    }
  });

  it('refuses a SwiGLU config without W3 weights', () => {
    expect(() => createCpuBackend({ ...mlp, config: { ...c } })).toThrow(/needs w3/);
  });
});

/** erf in float64 by its Maclaurin series (fine for the |x| < 4 of these gates). */
function erfRef(x: number): number {
  if (Math.abs(x) > 4) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
