// OffScreenHold (src/lib/offscreen-hold.svelte.ts): a hand-drawn figure follows a setting only
// while near the view, catches up when it comes back, and before a print or an export.
import { describe, expect, it, vi } from 'vitest';

type Entry = { target: Element; isIntersecting: boolean };
let report: ((entries: Entry[]) => void) | null = null;
vi.stubGlobal(
  'IntersectionObserver',
  class {
    constructor(cb: (entries: Entry[]) => void) {
      report = cb;
    }
    observe() {}
    unobserve() {}
  },
);
const { OffScreenHold } = await import('$lib/offscreen-hold.svelte.ts');
const { drawPending } = await import('$lib/offscreen-charts.ts');

describe('OffScreenHold', () => {
  it('reads the live value near the view, holds it off screen, catches up on return and export', () => {
    const gate = new OffScreenHold();
    const el = { contains: (n: unknown) => n === el } as unknown as Element;
    const stop = gate.watch(el);
    let v = 1;
    let reads = 0;
    const get = gate.hold(() => {
      reads++;
      return v;
    });
    expect(get()).toBe(1); // the first value is the live one
    v = 2;
    expect(get()).toBe(2);
    report!([{ target: el, isIntersecting: false }]);
    v = 3;
    const before = reads;
    expect(get()).toBe(2); // off screen: the value it showed, without reading the live one
    expect(reads).toBe(before);
    drawPending(el); // an export or a print asks for the current drawing
    expect(get()).toBe(3);
    v = 4;
    expect(get()).toBe(3);
    report!([{ target: el, isIntersecting: true }]);
    expect(get()).toBe(4); // back near the view
    stop();
  });
});
