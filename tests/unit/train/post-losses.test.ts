// Post-training losses of the trainer (src/train/post/losses.ts) in float64: the masked SFT loss
// and the DPO loss against a direct computation, and their gradients with respect to every
// parameter against central finite differences.
import { describe, expect, it } from 'vitest';
import type { Config } from '$engine/types.ts';
import { kernelsFor } from '$train/kernels.ts';
import { TrainModel } from '$train/model.ts';
import { Rng } from '$train/rng.ts';
import { dpoPair, dpoStep, logSigmoid, sequenceLogProbs, sftStep } from '$train/post/losses.ts';
import { packExample, type Example } from '$train/post/sequences.ts';
import { maxRelErr, tiny } from './gradcheck.ts';

const cfg: Config = tiny();

function model(B: number, T: number, seed: number): TrainModel {
  const m = new TrainModel(cfg, B, T, kernelsFor('f64'));
  const rng = new Rng(seed);
  for (const t of m.layout.tensors)
    for (let i = 0; i < t.size; i++)
      m.params[t.offset + i] = t.decay ? 0.4 * rng.normal() : 1 + 0.3 * rng.normal();
  return m;
}

const examples: Example[] = [
  { prompt: [1, 4, 5], response: [6, 7, 3] },
  { prompt: [1, 4, 5], response: [8, 9] },
  { prompt: [1, 10], response: [3, 3, 4, 5] },
  { prompt: [1, 10], response: [7] },
];

function batch(T: number, maskPrompt = true) {
  const inputs = new Int32Array(examples.length * T);
  const targets = new Int32Array(examples.length * T);
  examples.forEach((ex, r) => packExample(ex, T, r, inputs, targets, maskPrompt));
  return { inputs, targets };
}

/** log p(tokens | prefix) by feeding each prefix on its own (B = 1 forward passes), in float64. */
function directLogProb(m: TrainModel, ex: Example, T: number): number {
  const one = new TrainModel(cfg, 1, T, kernelsFor('f64'));
  one.params.set(m.params);
  const seq = [...ex.prompt, ...ex.response];
  const inputs = new Int32Array(T);
  seq.slice(0, T).forEach((id, i) => (inputs[i] = id));
  one.forward(inputs);
  const V = cfg.vocabSize;
  let s = 0;
  for (let t = ex.prompt.length - 1; t + 1 < seq.length && t < T; t++) {
    const row = Array.from(one.logits.subarray(t * V, (t + 1) * V));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
    s += row[seq[t + 1]] - lse;
  }
  return s;
}

describe('packing prompt/response rows', () => {
  it('the prompt and the padding carry target -1; the response is predicted from the last prompt position on', () => {
    const T = 7;
    const inputs = new Int32Array(T);
    const targets = new Int32Array(T);
    const kept = packExample({ prompt: [1, 4, 5], response: [6, 7, 3] }, T, 0, inputs, targets);
    expect(kept).toBe(3);
    expect(Array.from(inputs)).toEqual([1, 4, 5, 6, 7, 3, 0]);
    expect(Array.from(targets)).toEqual([-1, -1, 6, 7, 3, -1, -1]);
    packExample({ prompt: [1, 4, 5], response: [6, 7, 3] }, T, 0, inputs, targets, false);
    expect(Array.from(targets)).toEqual([4, 5, 6, 7, 3, -1, -1]);
  });

  it('a response longer than the row is cut; a prompt that fills the row is refused', () => {
    const inputs = new Int32Array(4);
    const targets = new Int32Array(4);
    expect(packExample({ prompt: [1, 2], response: [5, 6, 7, 8] }, 4, 0, inputs, targets)).toBe(3);
    expect(Array.from(targets)).toEqual([-1, 5, 6, 7]);
    expect(() =>
      packExample({ prompt: [1, 2, 3, 4], response: [5] }, 4, 0, inputs, targets),
    ).toThrow(/no room/);
  });
});

describe('sequence log-probabilities and the masked SFT loss', () => {
  const T = 7;
  it('log pi(y|x) summed over response positions equals the product of per-prefix probabilities', () => {
    const m = model(examples.length, T, 3);
    const { inputs, targets } = batch(T);
    const lp = sequenceLogProbs(m, inputs, targets);
    examples.forEach((ex, r) => {
      expect(lp[r]).toBeLessThan(0);
      expect(Math.abs(lp[r] - directLogProb(m, ex, T))).toBeLessThan(1e-10);
    });
  });

  it('SFT loss = -(sum of response log-probs) / response tokens; the prompt does not count', () => {
    const m = model(examples.length, T, 4);
    const { inputs, targets } = batch(T);
    const lp = sequenceLogProbs(m, inputs, targets);
    const nResp = examples.reduce((a, e) => a + e.response.length, 0);
    const r = sftStep(m, inputs, targets, false);
    expect(r.tokens).toBe(nResp);
    expect(Math.abs(r.loss + lp.reduce((a, b) => a + b, 0) / nResp)).toBeLessThan(1e-12);
    // unmasked, the prompt's tokens after BOS are predicted too: more tokens, a different loss
    const u = batch(T, false);
    const ru = sftStep(m, u.inputs, u.targets, false);
    expect(ru.tokens).toBe(nResp + examples.reduce((a, e) => a + e.prompt.length - 1, 0));
    expect(Math.abs(ru.loss - r.loss)).toBeGreaterThan(1e-3);
  });

  it('the gradient of the masked SFT loss matches finite differences', () => {
    const m = model(examples.length, T, 5);
    const { inputs, targets } = batch(T);
    sftStep(m, inputs, targets, true);
    const g = Float64Array.from(m.grads);
    const err = maxRelErr(
      m.params as Float64Array,
      g,
      () => sftStep(m, inputs, targets, false).loss,
    );
    expect(err).toBeLessThan(1e-6);
    expect(g.some((x) => Math.abs(x) > 1e-3)).toBe(true);
  });

  it('a batch with no response token is refused in words', () => {
    const m = model(1, 4, 1);
    const t = new Int32Array(4).fill(-1);
    expect(() => sftStep(m, new Int32Array(4), t, true)).toThrow(/no response tokens/);
  });
});

describe('DPO loss', () => {
  const T = 7;
  it('one pair: -log sigmoid(beta * margin of log-ratios), derivatives +-beta sigmoid(-z)', () => {
    const beta = 0.3;
    const p = dpoPair(-4, -6, -5, -5.5, beta);
    const z = beta * (-4 - -5 - (-6 - -5.5));
    expect(p.margin).toBeCloseTo(z, 14);
    expect(p.loss).toBeCloseTo(Math.log(1 + Math.exp(-z)), 14);
    const h = 1e-6;
    const f = (a: number, b: number) => dpoPair(a, b, -5, -5.5, beta).loss;
    expect(p.gChosen).toBeCloseTo((f(-4 + h, -6) - f(-4 - h, -6)) / (2 * h), 8);
    expect(p.gRejected).toBeCloseTo((f(-4, -6 + h) - f(-4, -6 - h)) / (2 * h), 8);
    // equal to the reference: z = 0, loss log 2
    expect(dpoPair(-3, -2, -3, -2, 1).loss).toBeCloseTo(Math.LN2, 14);
    // stable where sigmoid underflows
    expect(logSigmoid(-800)).toBe(-800);
    expect(Number.isFinite(dpoPair(0, -1e4, 0, 0, 1).loss)).toBe(true);
  });

  it('over a batch: the loss from the policy and reference log-probs, its gradient vs finite differences', () => {
    const m = model(examples.length, T, 6);
    const { inputs, targets } = batch(T);
    // a reference that is a different model
    const refModel = model(examples.length, T, 9);
    const ref = sequenceLogProbs(refModel, inputs, targets);
    const beta = 0.5;
    const r = dpoStep(m, inputs, targets, ref, beta, true);
    const g = Float64Array.from(m.grads);
    const lp = sequenceLogProbs(m, inputs, targets);
    const expected =
      (dpoPair(lp[0], lp[1], ref[0], ref[1], beta).loss +
        dpoPair(lp[2], lp[3], ref[2], ref[3], beta).loss) /
      2;
    expect(Math.abs(r.loss - expected)).toBeLessThan(1e-12);
    expect(r.accuracy).toBe(r.pairs.filter((p) => p.margin > 0).length / 2);
    const err = maxRelErr(
      m.params as Float64Array,
      g,
      () => dpoStep(m, inputs, targets, ref, beta, false).loss,
    );
    expect(err).toBeLessThan(1e-6);
    expect(g.some((x) => Math.abs(x) > 1e-4)).toBe(true);
  });

  it('at the reference the loss is log 2 and a gradient step raises the chosen log-prob against the rejected', () => {
    const m = model(examples.length, T, 8);
    const { inputs, targets } = batch(T);
    const ref = sequenceLogProbs(m, inputs, targets);
    const r = dpoStep(m, inputs, targets, ref, 0.2, true);
    expect(r.loss).toBeCloseTo(Math.LN2, 12);
    expect(r.margin).toBeCloseTo(0, 12);
    for (let i = 0; i < m.params.length; i++) m.params[i] -= 0.05 * m.grads[i];
    const after = dpoStep(m, inputs, targets, ref, 0.2, false);
    expect(after.loss).toBeLessThan(Math.LN2);
    expect(after.margin).toBeGreaterThan(0);
  });

  it('refuses odd batches and a non-positive beta', () => {
    const m = model(3, 4, 1);
    expect(() =>
      dpoStep(m, new Int32Array(12), new Int32Array(12), new Float64Array(3), 1, false),
    ).toThrow(/pairs/);
    const m2 = model(2, 4, 1);
    expect(() =>
      dpoStep(m2, new Int32Array(8), new Int32Array(8), new Float64Array(2), 0, false),
    ).toThrow(/beta/);
  });
});
