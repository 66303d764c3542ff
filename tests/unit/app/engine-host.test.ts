// The engine worker's state machine (src/lib/engine/engine-host.ts), driven in-process: the call
// queue (a prediction sent during a generation no longer refills the KV cache under it; the
// result equals running the two calls one after the other), cancel (the running and the waiting
// generations, not later ones), overlapping loads, the custom formula's rules, and LiveModel on
// top of it as the page's ModelPort.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineHost, type SourceFiles } from '$lib/engine/engine-host.ts';
import { LiveModel } from '$lib/engine/live-model.svelte.ts';
import type { EngineApi, GenerateRequest, ModelSource } from '$lib/engine/protocol.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function filesOf(name: string): SourceFiles {
  const dir = join(ROOT, 'assets/models', name);
  const buf = (f: string) => {
    const b = readFileSync(join(dir, f));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };
  return {
    model: buf('model.bin'),
    tokenizer: buf('tokenizer.bin'),
    sidecar: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')),
  };
}

/** Built-in models read from assets/models; yields between every token (the worst case). */
function host(read?: (source: ModelSource) => Promise<SourceFiles>): EngineHost {
  const h = new EngineHost({
    readSource: read ?? (async (s) => filesOf(s.name)),
    yieldToEvents: () => new Promise((ok) => setImmediate(ok)),
    yieldEveryMs: -1,
  });
  hosts.push(h);
  return h;
}
const hosts: EngineHost[] = [];
afterEach(() => {
  hosts.splice(0).forEach((h) => h.dispose());
});

const greedy = (prompt: string, steps = 24): GenerateRequest => ({
  prompt,
  steps,
  sampler: { temperature: 0, topK: 0, topP: 0.9, minP: 0, seed: 42n },
});

describe('EngineHost: one call at a time', () => {
  it('a prediction sent during a generation gives the same results as the two calls in sequence', async () => {
    // in sequence
    const seq = host();
    await seq.load({ kind: 'builtin', name: 'main' }, 'cpu');
    const genAlone = await seq.generate(greedy('Once upon a time'), () => {});
    const predAlone = await seq.predict('The little dog', { topN: 5, logits: true });

    // interleaved: the prediction is sent while the generation is at its third token
    const h = host();
    await h.load({ kind: 'builtin', name: 'main' }, 'cpu');
    let sent: ReturnType<EngineHost['predict']> | null = null;
    const order: string[] = [];
    let n = 0;
    const gen = h.generate(greedy('Once upon a time'), () => {
      if (++n === 3) {
        sent = h.predict('The little dog', { topN: 5, logits: true });
        void sent.then(() => order.push('predicted'));
      }
    });
    const genMixed = await gen;
    order.push('generated');
    expect(sent).not.toBeNull();
    const predMixed = await sent!;
    expect(genMixed.tokens.map((t) => t.id)).toEqual(genAlone.tokens.map((t) => t.id));
    expect(genMixed.tokens).toHaveLength(24);
    expect(predMixed.top).toEqual(predAlone.top);
    expect(Array.from(predMixed.logits!)).toEqual(Array.from(predAlone.logits!));
    // the prediction waited for the generation (it was sent during it)
    expect(order).toEqual(['generated', 'predicted']);
  });

  it('knobs sent during a generation apply after it: the generation runs under the old ones', async () => {
    const seq = host();
    await seq.load({ kind: 'builtin', name: 'main' }, 'cpu');
    const info = await seq.load({ kind: 'builtin', name: 'main' }, 'cpu');
    const alone = await seq.generate(greedy('Once upon a time'), () => {});
    await seq.setKnobs({ ...info.defaultKnobs, normEps: 0.5 });
    const afterAlone = await seq.predict('Once upon a time', { topN: 3 });

    const h = host();
    await h.load({ kind: 'builtin', name: 'main' }, 'cpu');
    let knobsSent: Promise<void> | null = null;
    let n = 0;
    const mixed = await h.generate(greedy('Once upon a time'), () => {
      if (++n === 3) knobsSent = h.setKnobs({ ...info.defaultKnobs, normEps: 0.5 });
    });
    await knobsSent;
    expect(mixed.tokens.map((t) => t.id)).toEqual(alone.tokens.map((t) => t.id));
    const after = await h.predict('Once upon a time', { topN: 3 });
    expect(after.top).toEqual(afterAlone.top);
    expect(after.klFromTrained).toBeGreaterThan(0);
  });

  it('cancel stops the running and the waiting generations, not one asked for afterwards', async () => {
    const h = host();
    await h.load({ kind: 'builtin', name: 'main' }, 'cpu');
    const long = greedy('Once upon a time', 200);
    let first = 0;
    const a = h.generate(long, () => {
      first++;
      if (first === 3) h.cancel();
    });
    const b = h.generate(long, () => {}); // waits behind a; made before the cancel
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.stoppedBy).toBe('cancelled');
    expect(ra.tokens.length).toBeLessThan(10);
    expect(rb.stoppedBy).toBe('cancelled');
    expect(rb.tokens.length).toBeLessThanOrEqual(1);
    const c = await h.generate(greedy('Once upon a time', 12), () => {});
    expect(c.stoppedBy).toBe('steps');
    expect(c.tokens).toHaveLength(12);
  });
});

describe('EngineHost: state', () => {
  it('overlapping loads: the newest that succeeds stays, an older one finishing later is refused', async () => {
    const gates = new Map<string, () => void>();
    const h = host(
      (s) =>
        new Promise((ok) => {
          gates.set(s.name, () => ok(filesOf(s.name)));
        }),
    );
    const older = h.load({ kind: 'builtin', name: 'main' }, 'cpu');
    const newer = h.load({ kind: 'builtin', name: 'mha' }, 'cpu');
    await new Promise((ok) => setImmediate(ok));
    gates.get('mha')!();
    expect((await newer).name).toBe('mha');
    gates.get('main')!();
    await expect(older).rejects.toThrow(/loading "main" was superseded by a newer model/);
    const p = await h.predict('Once', { topN: 1 });
    const mha = host();
    await mha.load({ kind: 'builtin', name: 'mha' }, 'cpu');
    expect(p.top).toEqual((await mha.predict('Once', { topN: 1 })).top);
  });

  it("the 'custom' activation needs a formula, refuses a bad one in words and keeps the last good one", async () => {
    const h = host();
    const info = await h.load({ kind: 'builtin', name: 'main' }, 'auto');
    // no WebGPU in Node: the CPU engine, with the reason
    expect(await h.backendStatus()).toMatchObject({ kind: 'cpu' });
    const custom = { ...info.defaultKnobs, activation: 'custom' as const };
    await expect(h.setKnobs(custom)).rejects.toThrow(/has no formula yet/);
    await expect(h.setCustomActivation('x *')).rejects.toThrow();
    await h.setCustomActivation('x * sigmoid(x)'); // SiLU written out
    await h.setKnobs(custom);
    const asSilu = await h.predict('Once upon a time', { topN: 5 });
    await expect(h.setCustomActivation(null)).rejects.toThrow(/switch the activation away/);
    await expect(h.setCustomActivation('x +')).rejects.toThrow();
    expect((await h.predict('Once upon a time', { topN: 5 })).top).toEqual(asSilu.top);
    await h.setKnobs(info.defaultKnobs);
    const trained = await h.predict('Once upon a time', { topN: 5 });
    expect(trained.top.map((t) => t.id)).toEqual(asSilu.top.map((t) => t.id));
    expect(trained.top[0].prob).toBeCloseTo(asSilu.top[0].prob, 4);
    await h.setCustomActivation(null);
  });

  it('calls before any model say so in words', async () => {
    const h = host();
    await expect(h.predict('x', {})).rejects.toThrow(/no model is loaded yet/);
    // with a code, so the page words it in the reader's language (err_host_no_model)
    await expect(h.predict('x', {})).rejects.toMatchObject({ code: 'host_no_model' });
    expect(await h.backendStatus()).toEqual({ kind: 'cpu', reason: 'no model loaded' });
  });
});

describe('LiveModel over EngineHost (the ModelPort seam, no worker)', () => {
  it('loads, changes knobs, predicts, and keeps its knobs when the engine refuses a setting', async () => {
    const m = new LiveModel('cpu', host() as unknown as Comlink.Remote<EngineApi>);
    await m.load({ kind: 'builtin', name: 'main' });
    expect(m.status).toBe('ready');
    expect(m.info?.config.vocabSize).toBe(512);
    const trained = await m.predict('Once upon a time', { topN: 3 });
    expect(trained.klFromTrained).toBe(0);
    await m.setKnobs({ normEps: 0.5 });
    expect(m.knobs?.normEps).toBe(0.5);
    const changed = await m.predict('Once upon a time', { topN: 3 });
    expect(changed.klFromTrained).toBeGreaterThan(0);
    await expect(m.setKnobs({ kvGroups: 3 })).rejects.toThrow(/kvGroups/);
    expect(m.knobs?.kvGroups).toBe(m.info!.defaultKnobs.kvGroups);
    // the streamed tokens reach the page and the backend is reported with the result
    const seen: number[] = [];
    const g = await m.generate(greedy('Once upon a time', 8), (e) => seen.push(e.token.id));
    expect(seen).toEqual(g.tokens.map((t) => t.id));
    expect(g.backend.kind).toBe('cpu');
  });
});
