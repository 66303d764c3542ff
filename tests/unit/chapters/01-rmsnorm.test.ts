// Chapter 1's formulas (chapters/01-rmsnorm/math.ts, float64) against the engine: its float32
// kernels, a real forward pass's trace on the llama2.c fixture model, and the session's KL and
// perplexity. If the page showed a formula the engine does not compute, these fail.
import { describe, expect, it } from 'vitest';
import * as M from '../../../chapters/01-rmsnorm/math.ts';
import { parseVector } from '../../../chapters/01-rmsnorm/params.ts';
import { layernorm as opLayernorm, rmsnorm as opRmsnorm } from '$engine/cpu/ops.ts';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { defaultKnobs } from '$engine/knobs.ts';
import { Session } from '$engine/session.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import type { Trace } from '$engine/types.ts';
import { FIXTURE_PROMPT, fixtureBytes, fixtureModel } from '../../helpers/fixtures.ts';
import { testRandom } from '../../helpers/random-model.ts';

const rand = testRandom(7);
function randomVec(d: number, scale = 2, offset = 0): Float32Array {
  return Float32Array.from({ length: d }, () => offset + scale * (rand() * 2 - 1));
}
function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++)
    m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return m;
}

describe('the formulas against the engine kernels', () => {
  it.each([
    [8, 1e-5],
    [64, 1e-5],
    [288, 1e-6],
    [64, 0.5],
  ])('RMSNorm(x) = g x / sqrt(mean x² + eps) matches ops.rmsnorm (d=%i, eps=%f)', (d, eps) => {
    const x = randomVec(d, 3, 0.4);
    const g = randomVec(d, 0.5, 1);
    const out = new Float32Array(d);
    opRmsnorm(out, x, g, 0, 1, d, eps);
    expect(maxRelErr(M.rmsNorm(x, eps, g), out)).toBeLessThan(1e-6);
  });

  it.each([
    [8, 1e-5],
    [64, 1e-5],
    [64, 1e-2],
  ])('LayerNorm (gain, no bias) matches ops.layernorm (d=%i, eps=%f)', (d, eps) => {
    const x = randomVec(d, 3, 1.5);
    const g = randomVec(d, 0.5, 1);
    const out = new Float32Array(d);
    opLayernorm(out, x, g, 0, 1, d, eps);
    expect(maxRelErr(M.layerNorm(x, eps, g), out)).toBeLessThan(1e-6);
  });

  it('LayerNorm(x) = RMSNorm(x − μ1) + b, the identity of derivation step 6', () => {
    const x = randomVec(16, 2, 3);
    const g = randomVec(16, 0.3, 1);
    const b = randomVec(16, 0.3, 0);
    const lhs = M.layerNorm(x, 1e-5, g, b);
    const rhs = M.rmsNorm(M.center(x), 1e-5, g).map((v, i) => v + b[i]);
    expect(maxRelErr(lhs, rhs)).toBeLessThan(1e-12);
    // and on a zero-mean vector the engine's two kernels agree
    const c = Float32Array.from(M.center(x));
    const a = new Float32Array(16);
    const r = new Float32Array(16);
    opLayernorm(a, c, g, 0, 1, 16, 1e-5);
    opRmsnorm(r, c, g, 0, 1, 16, 1e-5);
    expect(maxRelErr(a, r)).toBeLessThan(1e-5);
  });
});

describe('the invariances and the geometry', () => {
  const x = [1.5, -0.5, 2, 0.25, -1, 3];
  it('both norms are re-scaling invariant; only LayerNorm is re-centering invariant', () => {
    const eps = 1e-12;
    expect(maxRelErr(M.rmsNorm(M.affine(x, 7.5, 0), eps), M.rmsNorm(x, eps))).toBeLessThan(1e-9);
    expect(maxRelErr(M.layerNorm(M.affine(x, 0.02, 0), eps), M.layerNorm(x, eps))).toBeLessThan(
      1e-9,
    );
    expect(maxRelErr(M.layerNorm(M.affine(x, 1, 3), eps), M.layerNorm(x, eps))).toBeLessThan(1e-9);
    expect(maxRelErr(M.rmsNorm(M.affine(x, 1, 3), eps), M.rmsNorm(x, eps))).toBeGreaterThan(0.1);
  });

  it('RMS(x + c1)² = RMS(x)² + 2cμ + c²', () => {
    const c = 1.7;
    expect(M.rms(M.affine(x, 1, c)) ** 2).toBeCloseTo(
      M.rms(x) ** 2 + 2 * c * M.mean(x) + c * c,
      12,
    );
  });

  it('RMSNorm lands on the sphere of radius √d; LayerNorm also on the plane 1ᵀy = 0', () => {
    for (const d of [2, 3, 6, 64]) {
      const v = Array.from(randomVec(d, 2, 0.7));
      expect(M.norm2(M.rmsNorm(v, 0))).toBeCloseTo(Math.sqrt(d), 10);
      const ln = M.layerNorm(v, 0);
      expect(M.norm2(ln)).toBeCloseTo(Math.sqrt(d), 10);
      expect(M.mean(ln)).toBeCloseTo(0, 12);
    }
  });

  it('‖RMSNorm(x)‖ = √d RMS / sqrt(RMS² + eps): eps shrinks tiny vectors instead of inflating them', () => {
    const tiny = [1e-4, -2e-4, 3e-4];
    for (const eps of [1e-12, 1e-5, 1e-2, 1]) {
      expect(M.norm2(M.rmsNorm(tiny, eps))).toBeCloseTo(M.rmsNormLength(tiny, eps), 12);
    }
    expect(M.rmsNormLength(tiny, 1e-5)).toBeLessThan(0.2);
    expect(M.rmsNormLength(tiny, 1e-12)).toBeCloseTo(Math.sqrt(3), 3);
  });

  it('in d = 2 LayerNorm can only output ±(1, −1)', () => {
    for (const p of [
      [1.4, 0.5],
      [-2, 1],
      [0.3, -0.1],
    ]) {
      const y = M.layerNorm(p, 0);
      expect(Math.abs(y[0])).toBeCloseTo(1, 12);
      expect(y[1]).toBeCloseTo(-y[0], 12);
    }
  });

  it('counts one reduction for RMSNorm and two for LayerNorm, with d versus 2d parameters', () => {
    const ln = M.normCost('layernorm', 4096);
    const rn = M.normCost('rmsnorm', 4096);
    expect([ln.reductions, rn.reductions]).toEqual([2, 1]);
    expect([ln.params, rn.params]).toEqual([8192, 4096]);
    expect(ln.adds - rn.adds).toBe(3 * 4096);
  });
});

describe('the formulas against a real forward pass (llama2.c fixture model)', () => {
  const model = fixtureModel();
  const { dim, nLayers } = model.config;
  const tok = parseTokenizer(fixtureBytes('tok512.bin'), model.config.vocabSize);
  const taps = ['L*.attn_norm.in', 'L*.attn_norm.out', 'L*.ffn_norm.in', 'L*.ffn_norm.out'];

  function checkTrace(trace: Trace, norm: 'rmsnorm' | 'layernorm', eps: number) {
    let checked = 0;
    for (let l = 0; l < nLayers; l++) {
      for (const [tap, gains] of [
        ['attn_norm', model.weights.rmsAtt],
        ['ffn_norm', model.weights.rmsFfn],
      ] as const) {
        const xin = trace.get(`L${l}.${tap}.in`)!;
        const xout = trace.get(`L${l}.${tap}.out`)!;
        const T = xin.shape[0];
        const g = gains.subarray(l * dim, (l + 1) * dim);
        for (let t = 0; t < T; t++) {
          const row = xin.data.subarray(t * dim, (t + 1) * dim);
          const want = norm === 'rmsnorm' ? M.rmsNorm(row, eps, g) : M.layerNorm(row, eps, g);
          expect(maxRelErr(want, xout.data.subarray(t * dim, (t + 1) * dim))).toBeLessThan(1e-5);
          checked++;
        }
      }
    }
    return checked;
  }

  it('the histogram’s “after” is RMSNorm of its “before” with the layer’s gain', () => {
    const backend = createCpuBackend(model);
    const ids = [1, 72, 101, 108, 108, 111];
    const { trace } = backend.forwardPromptSync(ids, 0, { trace: taps });
    expect(checkTrace(trace!, 'rmsnorm', model.config.normEps)).toBe(nLayers * 2 * ids.length);
  });

  it('with the norm knob on layernorm and eps = 1e-2, the trace follows LayerNorm’s formula', () => {
    const backend = createCpuBackend(model, {
      ...defaultKnobs(model.config),
      norm: 'layernorm',
      normEps: 1e-2,
    });
    const { trace } = backend.forwardPromptSync([1, 50, 60, 70], 0, { trace: taps });
    expect(checkTrace(trace!, 'layernorm', 1e-2)).toBeGreaterThan(0);
  });

  it('the lab’s KL divergence is KL(trained ‖ modified) of the two softmaxed logit vectors', async () => {
    const s = new Session(model, tok, createCpuBackend(model));
    const trained = await s.predict(FIXTURE_PROMPT, { topN: 10 });
    s.setKnobs({ ...defaultKnobs(model.config), norm: 'layernorm' });
    const swapped = await s.predict(FIXTURE_PROMPT, { topN: 10 });
    const p = Array.from(trained.distribution);
    const q = Array.from(swapped.distribution);
    const kl = M.klDivergence(p, q);
    expect(kl).toBeGreaterThan(0);
    expect(swapped.klFromTrained).toBeCloseTo(kl, 9);
    // and the distribution is the softmax of the logits the backend computed
    const logits = createCpuBackend(model).forwardPromptSync(
      trained.tokens.map((t) => t.id),
      0,
    ).logits;
    expect(maxRelErr(M.softmax(logits), p)).toBeLessThan(1e-9);
  });

  it('held-out perplexity is exp(mean NLL)', async () => {
    const s = new Session(model, tok, createCpuBackend(model));
    const ev = await s.evaluate(FIXTURE_PROMPT);
    // nllByPosition is float32: agree to its precision
    expect(Math.abs(ev.perplexity / M.perplexity(ev.nllByPosition) - 1)).toBeLessThan(1e-6);
  });
});

describe('the vector figure’s input', () => {
  it('parses the URL text into at most 8 finite entries and explains what it dropped', () => {
    expect(parseVector('1, 2.5 -3;4')).toEqual({ x: [1, 2.5, -3, 4], note: '' });
    const r = parseVector('1, NaN, 1e400, <b>, 2, 3,4,5,6,7,8,9');
    expect(r.x).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.note).toMatch(/ignored 3 entries/);
    expect(r.note).toMatch(/first 8/);
    expect(parseVector('7').x).toHaveLength(6);
  });

  it('histogram bins count every finite value once', () => {
    const v = [0, 0.1, 0.5, 0.99, 1, -5, NaN, 7];
    const h = M.histogram(v, 4, 0, 1);
    expect(h.reduce((a, b) => a + b, 0)).toBe(7);
    // bins [0, .25) [.25, .5) [.5, .75) [.75, 1]; values outside are clamped to the end bins
    expect(h).toEqual([3, 0, 1, 3]);
  });
});
