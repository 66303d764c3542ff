// The address is written when the page is next idle (src/lib/url-write.ts): writes coalesce, the
// last one always lands, and every point where the address is read or left flushes it first.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  dropUrlWrite,
  flushUrl,
  listenForUrlFlushes,
  scheduleUrlWrite,
  urlWritePending,
} from '$lib/url-write.ts';

let idle: (() => void)[] = [];
beforeEach(() => {
  idle = [];
  vi.stubGlobal('requestIdleCallback', (cb: () => void, opts?: { timeout?: number }) => {
    // a bounded wait: a busy page still gets its address written
    expect(opts?.timeout).toBeGreaterThan(0);
    idle.push(cb);
    return idle.length;
  });
});
afterEach(() => {
  dropUrlWrite();
  vi.unstubAllGlobals();
});
const runIdle = () => idle.splice(0).forEach((cb) => cb());

describe('deferred address writes', () => {
  it('writes nothing in the change itself, then the latest value once when idle', () => {
    let address = 'eps=1e-5';
    const values: string[] = [];
    for (const v of ['1e-4', '1e-3', '1e-2']) {
      values.push(v);
      scheduleUrlWrite(() => (address = `eps=${values.at(-1)}`));
    }
    expect(address).toBe('eps=1e-5');
    expect(urlWritePending()).toBe(true);
    expect(idle).toHaveLength(1); // one idle callback for the whole burst
    runIdle();
    expect(address).toBe('eps=1e-2');
    expect(urlWritePending()).toBe(false);
  });

  it('a change after the idle write schedules a new one; the last value is never dropped', () => {
    const writes: number[] = [];
    scheduleUrlWrite(() => writes.push(1));
    runIdle();
    scheduleUrlWrite(() => writes.push(2));
    scheduleUrlWrite(() => writes.push(3));
    expect(idle).toHaveLength(1);
    runIdle();
    expect(writes).toEqual([1, 3]);
  });

  it('flushUrl writes at once and only once', () => {
    const writes: string[] = [];
    scheduleUrlWrite(() => writes.push('a'));
    flushUrl();
    expect(writes).toEqual(['a']);
    runIdle(); // the idle callback finds nothing left
    flushUrl();
    expect(writes).toEqual(['a']);
  });

  it('flushes on click (capture), pagehide and a hidden tab; drops on navigation', () => {
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    listenForUrlFlushes(win, doc);
    const writes: string[] = [];
    for (const [target, type, written] of [
      [win, 'click', true],
      [win, 'pagehide', true],
      [doc, 'visibilitychange', false], // still visible: nothing to do
      [win, 'hashchange', false],
      [win, 'popstate', false],
    ] as const) {
      writes.length = 0;
      scheduleUrlWrite(() => writes.push(type));
      target.dispatchEvent(new Event(type));
      expect(writes, type).toEqual(written ? [type] : []);
      runIdle();
      // a navigation dropped the write: the idle callback does not bring it back
      if (type === 'hashchange' || type === 'popstate') expect(writes).toEqual([]);
      dropUrlWrite();
    }
    doc.visibilityState = 'hidden';
    scheduleUrlWrite(() => writes.push('hidden'));
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(writes).toEqual(['hidden']);
  });
});
