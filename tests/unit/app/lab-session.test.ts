// LabSession through the ModelPort seam, with a scripted model: bursts are coalesced (only the
// newest request runs next), a stale generation is cancelled, the slow parts wait while a
// control is held (an event, not a timer), the custom formula travels with the request, and a
// refused setting ends in an error, never in an endless wait.
import { describe, expect, it } from 'vitest';
import { LabSession, type LabRequest } from '$lib/lab-session.svelte.ts';
import type { ModelPort } from '$lib/model-port.ts';
import type { Knobs } from '$engine/types.ts';
import type { Evaluation, GenerateResult, ModelInfo, Prediction } from '$lib/engine/protocol.ts';

const defaults: Knobs = {
  norm: 'rmsnorm',
  normEps: 1e-5,
  activation: 'silu',
  rope: true,
  ropeBase: 10000,
  ropeScaling: 'none',
  ropeFactor: 1,
  kvGroups: 2,
};

interface Call {
  op: string;
  arg?: unknown;
  done: (v?: unknown) => void;
  fail: (e: unknown) => void;
}

/** A model whose every call waits until the test settles it (or settles itself with `auto`). */
class ScriptedModel implements ModelPort {
  status = 'ready' as const;
  error = '';
  info = { name: 'fake', defaultKnobs: defaults } as unknown as ModelInfo;
  knobs: Knobs | null = defaults;
  tokensPerSecond = 0;
  preference = 'auto' as const;
  calls: Call[] = [];
  cancels = 0;
  /** Operations answered at once (the rest wait for the test). */
  auto = new Set(['setKnobs', 'setCustomActivation', 'evaluate']);
  refuse: ((op: string, arg: unknown) => string | null) | null = null;

  #call<T>(op: string, arg: unknown, value: T): Promise<T> {
    return new Promise<T>((ok, no) => {
      const why = this.refuse?.(op, arg);
      if (why) return no(new Error(why));
      const call = { op, arg, done: (v?: unknown) => ok((v ?? value) as T), fail: no };
      this.calls.push(call);
      if (this.auto.has(op)) call.done();
    });
  }
  ops(op: string): Call[] {
    return this.calls.filter((c) => c.op === op);
  }
  async setBackend(): Promise<void> {}
  async load(): Promise<void> {}
  setKnobs(k: Partial<Knobs>) {
    return this.#call('setKnobs', k, undefined);
  }
  setCustomActivation(f: string | null) {
    return this.#call('setCustomActivation', f, undefined);
  }
  predict(prompt: string) {
    const p = { tokens: [], top: [], klFromTrained: 0, trace: [], ms: 1 } as unknown as Prediction;
    return this.#call('predict', prompt, p);
  }
  generate() {
    const r = {
      tokens: [],
      promptTokens: [],
      text: '',
      stoppedBy: 'steps',
    } as unknown as GenerateResult;
    return this.#call('generate', null, r);
  }
  sampleBatch(): Promise<never> {
    return Promise.reject(new Error('not used by the lab session'));
  }
  evaluate(text: string) {
    return this.#call('evaluate', text, { perplexity: 3 } as Evaluation);
  }
  cancel(): void {
    this.cancels++;
    for (const c of this.ops('generate')) c.done({ stoppedBy: 'cancelled' });
  }
}

const settle = () => new Promise((ok) => setImmediate(ok));

function req(prompt: string, extra: Partial<LabRequest> = {}): LabRequest {
  return {
    knobs: {},
    prompt,
    sampler: { temperature: 0, topK: 0, topP: 0.9, seed: 42n },
    steps: 8,
    autoGenerate: true,
    heldOut: '',
    ...extra,
  };
}

describe('LabSession', () => {
  it('coalesces a burst: while one prediction runs, only the newest request runs next', async () => {
    const m = new ScriptedModel();
    const s = new LabSession(m);
    s.hold(); // a drag: no slow parts in between
    s.request(req('a'));
    await settle();
    for (const p of ['b', 'c', 'd']) s.request(req(p));
    m.ops('predict')[0].done();
    await settle();
    expect(m.ops('predict').map((c) => c.arg)).toEqual(['a', 'd']);
    m.ops('predict')[1].done();
    await settle();
    expect(s.busy).toBe(false);
    expect(s.seq).toBe(2);
    // identical consecutive requests are ignored
    s.request(req('d'));
    await settle();
    expect(m.ops('predict')).toHaveLength(2);
  });

  it('holds perplexity and generation while a control is held, runs them on release', async () => {
    const m = new ScriptedModel();
    m.auto.add('predict');
    const s = new LabSession(m);
    s.hold();
    s.request(req('a', { heldOut: 'text' }));
    await settle();
    expect(m.ops('predict')).toHaveLength(1);
    expect(m.ops('evaluate')).toHaveLength(1); // the trained model's baseline only
    expect(m.ops('generate')).toHaveLength(0);
    s.release();
    await settle();
    expect(m.ops('evaluate')).toHaveLength(2);
    expect(m.ops('generate')).toHaveLength(1);
    expect(s.evaluation?.perplexity).toBe(3);
  });

  it('cancels a generation for older settings when new settings arrive', async () => {
    const m = new ScriptedModel();
    m.auto.add('predict');
    const s = new LabSession(m);
    s.request(req('a'));
    await settle();
    expect(m.ops('generate')).toHaveLength(1);
    expect(s.generating).toBe(true);
    s.request(req('b'));
    expect(m.cancels).toBe(1);
    await settle();
    expect(m.ops('predict').map((c) => c.arg)).toEqual(['a', 'b']);
  });

  it('sends the custom formula before the knobs that use it, once per formula', async () => {
    const m = new ScriptedModel();
    m.auto.add('predict');
    m.auto.add('generate');
    const s = new LabSession(m);
    const custom = (f: string) => req('a', { knobs: { activation: 'custom' }, formula: f });
    s.request(custom('x * 2'));
    await settle();
    s.request({ ...custom('x * 2'), steps: 9 });
    await settle();
    s.request(custom('max(x, 0)'));
    await settle();
    const order = m.calls.map((c) => c.op).filter((o) => o !== 'generate');
    expect(order.slice(0, 3)).toEqual(['setCustomActivation', 'setKnobs', 'predict']);
    expect(m.ops('setCustomActivation').map((c) => c.arg)).toEqual(['x * 2', 'max(x, 0)']);
    // a formula is not sent for a model that does not use it
    s.request(req('b', { formula: 'x * 3' }));
    await settle();
    expect(m.ops('setCustomActivation')).toHaveLength(2);
  });

  it('a refused setting is an error message, and the next good request clears it', async () => {
    const m = new ScriptedModel();
    m.auto.add('predict');
    m.auto.add('generate');
    m.refuse = (op, arg) =>
      op === 'setKnobs' && (arg as Knobs).kvGroups === 3 ? 'knob "kvGroups" must divide 2' : null;
    const s = new LabSession(m);
    s.request(req('a', { knobs: { kvGroups: 3 } }));
    await settle();
    expect(s.error).toMatch(/kvGroups/);
    expect(s.busy).toBe(false);
    s.request(req('a', { knobs: { kvGroups: 1 } }));
    await settle();
    expect(s.error).toBe('');
    expect(s.prediction).not.toBeNull();
  });
});
