// Chapter 2's live-model path without the worker: a reader's formula, compiled by
// src/lib/formula, plugged into the CPU engine through Session.setCustomActivation, on the
// llama2.c fixture model. A formula equal to a built-in activation must give the same output.
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { defaultKnobs } from '$engine/knobs.ts';
import { Session } from '$engine/session.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import type { ActivationKind, Backend } from '$engine/types.ts';
import { compileFormulaOrThrow } from '$lib/formula/compile.ts';
import { fractionNegative } from '../../../chapters/02-activations/math.ts';
import { FIXTURE_PROMPT, fixtureBytes, fixtureModel } from '../../helpers/fixtures.ts';

function makeSession(): Session {
  const model = fixtureModel();
  const tok = parseTokenizer(fixtureBytes('tok512.bin'), model.config.vocabSize);
  return new Session(model, tok, createCpuBackend(model));
}

async function distributionWith(
  s: Session,
  activation: ActivationKind,
  formula?: string,
): Promise<{ dist: Float64Array; kl: number }> {
  if (formula) s.setCustomActivation(compileFormulaOrThrow(formula).fn);
  s.setKnobs({ ...defaultKnobs(s.model.config), activation });
  const p = await s.predict(FIXTURE_PROMPT);
  return { dist: p.distribution, kl: p.klFromTrained };
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('a typed formula in the live model', () => {
  it('x * sigmoid(x) reproduces the trained SiLU model', async () => {
    const s = makeSession();
    const trained = await distributionWith(s, 'silu');
    const custom = await distributionWith(s, 'custom', 'x * sigmoid(x)');
    expect(custom.kl).toBeLessThan(1e-9);
    expect(maxAbsDiff(trained.dist, custom.dist)).toBeLessThan(1e-6);
  });

  it('max(x, 0) reproduces the relu knob, and the GELU formula the gelu knob', async () => {
    const s = makeSession();
    const relu = await distributionWith(s, 'relu');
    const reluF = await distributionWith(s, 'custom', 'max(x, 0)');
    expect(maxAbsDiff(relu.dist, reluF.dist)).toBeLessThan(1e-7);
    const gelu = await distributionWith(s, 'gelu');
    const geluF = await distributionWith(s, 'custom', 'x / 2 * (1 + erf(x / sqrt(2)))');
    expect(maxAbsDiff(gelu.dist, geluF.dist)).toBeLessThan(1e-5);
    // ...and those are real changes from the trained model.
    expect(relu.kl).toBeGreaterThan(1e-4);
    expect(gelu.kl).toBeGreaterThan(1e-6);
  });

  it('a different formula changes the output; changing the formula under "custom" takes effect', async () => {
    const s = makeSession();
    const a = await distributionWith(s, 'custom', 'x');
    expect(a.kl).toBeGreaterThan(1e-3);
    s.setCustomActivation(compileFormulaOrThrow('tanh(x)').fn);
    const b = (await s.predict(FIXTURE_PROMPT)).distribution;
    expect(maxAbsDiff(a.dist, b)).toBeGreaterThan(1e-4);
  });

  it('a backend without custom activations refuses with a message', () => {
    const s = makeSession();
    const fake = {
      ...s.backend,
      kind: 'webgpu',
      setCustomActivation: undefined,
    } as unknown as Backend;
    s.replaceBackend(fake);
    expect(() => s.setCustomActivation((x) => x)).toThrow(/webgpu backend cannot run a custom/);
  });
});

describe('the FFN taps the lab shows', () => {
  it('L0.ffn.gate and L0.ffn.up are (T, hidden), with some of the gate below zero', async () => {
    const s = makeSession();
    const p = await s.predict(FIXTURE_PROMPT, { trace: ['L0.ffn.gate', 'L0.ffn.up'] });
    const gate = p.trace.find((t) => t.name === 'L0.ffn.gate')!;
    const up = p.trace.find((t) => t.name === 'L0.ffn.up')!;
    expect(gate.shape).toEqual([p.tokens.length, s.model.config.hiddenDim]);
    expect(up.shape).toEqual(gate.shape);
    const neg = fractionNegative(gate.data);
    expect(neg).toBeGreaterThan(0.05);
    expect(neg).toBeLessThan(0.95);
  });
});
