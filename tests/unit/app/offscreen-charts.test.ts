// Charts put off while off screen: drawLater / drawPending (src/lib/offscreen-charts.ts). The
// browser side (IntersectionObserver, print) is checked by tests/e2e/offscreen-charts.test.ts.
import { describe, expect, it } from 'vitest';
import { drawLater, drawPending, printing, watchOnScreen } from '$lib/offscreen-charts.ts';

/** A stand-in for DOM nodes: `contains` is all drawPending uses. */
class FakeNode {
  constructor(readonly parent: FakeNode | null = null) {}
  contains(other: FakeNode | null): boolean {
    for (let n = other; n; n = n.parent) if (n === this) return true;
    return false;
  }
}
const el = (parent: FakeNode | null = null) => new FakeNode(parent) as unknown as Element;

describe('off-screen charts', () => {
  it('runs the redraws put off inside a node, and only those', () => {
    const page = new FakeNode();
    const figA = new FakeNode(page);
    const figB = new FakeNode(page);
    const a = el(figA);
    const b = el(figB);
    const drawn: string[] = [];
    const stopA = drawLater(a, () => drawn.push('a'));
    const stopB = drawLater(b, () => drawn.push('b'));
    drawPending(figA as unknown as Node);
    expect(drawn).toEqual(['a']);
    drawPending();
    expect(drawn).toEqual(['a', 'a', 'b']);
    stopA();
    stopB();
    drawPending();
    expect(drawn).toEqual(['a', 'a', 'b']);
  });

  it('a newer redraw replaces the older one of the same chart; withdrawing the older keeps it', () => {
    const host = el();
    const drawn: number[] = [];
    const stop1 = drawLater(host, () => drawn.push(1));
    const stop2 = drawLater(host, () => drawn.push(2));
    stop1(); // the effect that registered 1 is cleaned up after 2 was registered
    drawPending();
    expect(drawn).toEqual([2]);
    stop2();
    drawPending();
    expect(drawn).toEqual([2]);
  });

  it('without a window nothing is being printed', () => {
    expect(printing()).toBe(false);
  });

  it('without IntersectionObserver every chart counts as on screen', () => {
    const seen: boolean[] = [];
    const stop = watchOnScreen(el(), (v) => seen.push(v));
    expect(seen).toEqual([true]);
    stop();
  });
});
