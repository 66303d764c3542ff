// The whole training model: the gradient of the batch loss with respect to every parameter
// against central finite differences (float64), for each architecture variant the shipped
// models use; and the SIMD (wasm) float32 kernels against the float64 reference.
import { describe, expect, it } from 'vitest';
import type { Config } from '$engine/types.ts';
import { kernelsFor } from '$train/kernels.ts';
import { TrainModel } from '$train/model.ts';
import { Rng } from '$train/rng.ts';
import { maxRelErr, tiny } from './gradcheck.ts';

const variants: [string, Partial<Config>][] = [
  ['main: GQA, RMSNorm, SwiGLU, RoPE, shared classifier', {}],
  ['layernorm', { norm: 'layernorm' }],
  [
    'gelu-mlp, separate classifier',
    { ffn: 'mlp', activation: 'gelu', hiddenDim: 18, sharedClassifier: false },
  ],
  ['mha', { nKvHeads: 4 }],
  ['mqa', { nKvHeads: 1 }],
  ['nope', { position: 'none' }],
];

function randomise(m: TrainModel, seed: number): { inputs: Int32Array; targets: Int32Array } {
  const rng = new Rng(seed);
  // weights large enough that every op is far from linear; gains around 1
  for (const t of m.layout.tensors) {
    for (let i = 0; i < t.size; i++)
      m.params[t.offset + i] = t.decay ? 0.4 * rng.normal() : 1 + 0.3 * rng.normal();
  }
  const V = m.config.vocabSize;
  return {
    inputs: Int32Array.from({ length: m.N }, () => rng.int(V)),
    targets: Int32Array.from({ length: m.N }, () => rng.int(V)),
  };
}

describe('whole-model gradient vs finite differences', () => {
  for (const [name, over] of variants) {
    it(name, () => {
      const m = new TrainModel(tiny(over), 2, 5, kernelsFor('f64'));
      const { inputs, targets } = randomise(m, 7);
      m.step(inputs, targets, true, 0.1);
      const analytic = Float64Array.from(m.grads);
      const params = m.params as Float64Array;
      const err = maxRelErr(params, analytic, () => 0.1 * m.step(inputs, targets, false));
      expect(err).toBeLessThan(1e-6);
      // and the gradient is not trivially zero
      expect(analytic.some((g) => Math.abs(g) > 1e-3)).toBe(true);
    });
  }
});

describe('SIMD kernels agree with the float64 reference', () => {
  for (const [T, V, hidden, kv] of [
    [16, 64, 24, 2], // every dimension a multiple of 4
    [13, 37, 18, 1], // odd sequence length and vocabulary: edge blocks and scalar columns
  ]) {
    it(`loss and gradient, T=${T} vocab=${V}`, () => {
      const cfg = tiny({
        dim: 16,
        hiddenDim: hidden,
        nHeads: 4,
        nKvHeads: kv,
        vocabSize: V,
        seqLen: 16,
      });
      const ref = new TrainModel(cfg, 3, T, kernelsFor('f64'));
      const simd = new TrainModel(cfg, 3, T, kernelsFor('wasm'));
      const { inputs, targets } = randomise(ref, 3);
      simd.params.set(ref.params);
      const scale = 1 / (3 * T);
      const l1 = ref.step(inputs, targets, true, scale);
      const l2 = simd.step(inputs, targets, true, scale);
      expect(Math.abs(l1 - l2) / l1).toBeLessThan(1e-5);
      let gmax = 0;
      let diff = 0;
      for (let i = 0; i < ref.grads.length; i++) {
        gmax = Math.max(gmax, Math.abs(ref.grads[i]));
        diff = Math.max(diff, Math.abs(ref.grads[i] - simd.grads[i]));
      }
      expect(diff / gmax).toBeLessThan(1e-4);
    });
  }
});
