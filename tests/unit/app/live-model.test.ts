// LiveModel through a scripted engine API (the worker's side of the ModelPort seam): overlapping
// loads keep the newest one that succeeds (the race fixed in be8733d), a failed load keeps the
// model already loaded, and knobs are only recorded once the engine accepted them.
import { describe, expect, it } from 'vitest';
import type * as Comlink from 'comlink';
import { LiveModel } from '$lib/engine/live-model.svelte.ts';
import type { EngineApi, ModelInfo, ModelSource } from '$lib/engine/protocol.ts';

function info(name: string): ModelInfo {
  return {
    name,
    config: {} as ModelInfo['config'],
    nParams: 1,
    fileBytes: 1,
    backend: { kind: 'cpu', reason: 'test' },
    defaultKnobs: { kvGroups: 2 } as ModelInfo['defaultKnobs'],
    maxPositions: 8,
    pieces: [],
  };
}

/** Loads that finish when the test says so, in any order. */
function scripted() {
  const pending = new Map<string, { ok: (i: ModelInfo) => void; no: (e: Error) => void }>();
  const knobs: unknown[] = [];
  const api = {
    load: (source: ModelSource) =>
      new Promise<ModelInfo>((ok, no) => pending.set(source.name, { ok, no })),
    setKnobs: async (k: unknown) => {
      if ((k as { kvGroups: number }).kvGroups === 3) throw new Error('kvGroups must divide 2');
      knobs.push(k);
    },
    backendStatus: async () => ({ kind: 'cpu', reason: 'test' }),
  };
  return { api: api as unknown as Comlink.Remote<EngineApi>, pending, knobs };
}

const flush = () => new Promise((ok) => setImmediate(ok));

describe('LiveModel', () => {
  it('when loads overlap, the newest that succeeds stays; an older one finishing later changes nothing', async () => {
    const { api, pending } = scripted();
    const m = new LiveModel('cpu', api);
    const builtin = m.load({ kind: 'builtin', name: 'main' });
    const dropped = m.load({ kind: 'builtin', name: 'mine' });
    expect(m.status).toBe('loading');
    pending.get('mine')!.ok(info('mine'));
    await dropped;
    expect(m.info?.name).toBe('mine');
    expect(m.status).toBe('ready');
    pending.get('main')!.ok(info('main'));
    await builtin;
    expect(m.info?.name).toBe('mine');
    // an older load failing after a newer one succeeded is no error either
    const old = m.load({ kind: 'builtin', name: 'old' });
    const newer = m.load({ kind: 'builtin', name: 'newer' });
    pending.get('newer')!.ok(info('newer'));
    await newer;
    pending.get('old')!.no(new Error('superseded'));
    await old;
    await flush();
    expect(m.info?.name).toBe('newer');
    expect(m.error).toBe('');
    expect(m.status).toBe('ready');
  });

  it('a failed load keeps the model already loaded and says why', async () => {
    const { api, pending } = scripted();
    const m = new LiveModel('cpu', api);
    const first = m.load({ kind: 'builtin', name: 'main' });
    pending.get('main')!.ok(info('main'));
    await first;
    const bad = m.load({ kind: 'builtin', name: 'broken' });
    pending.get('broken')!.no(new Error('checkpoint is truncated'));
    await expect(bad).rejects.toThrow(/truncated/);
    expect(m.status).toBe('ready');
    expect(m.info?.name).toBe('main');
    expect(m.error).toMatch(/truncated/);
  });

  it('records knobs only once the engine accepted them', async () => {
    const { api, pending, knobs } = scripted();
    const m = new LiveModel('cpu', api);
    await expect(m.setKnobs({ kvGroups: 1 })).rejects.toThrow(/no model/);
    const l = m.load({ kind: 'builtin', name: 'main' });
    pending.get('main')!.ok(info('main'));
    await l;
    await m.setKnobs({ kvGroups: 1 });
    expect(m.knobs?.kvGroups).toBe(1);
    await expect(m.setKnobs({ kvGroups: 3 })).rejects.toThrow(/divide/);
    expect(m.knobs?.kvGroups).toBe(1);
    expect(knobs).toHaveLength(1);
  });
});
