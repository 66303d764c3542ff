// The address bar is written after the work a change causes, not during it. Rewriting the hash
// (history.replaceState) costs Chromium a same-document navigation, 3-6 ms of main thread per
// change: done in the input's own task it delayed the lab's request, the worker's reply and the
// updated figures (issue 11). So a change records its write here and the write runs when the
// page is next idle (requestIdleCallback; a timeout bounds the wait while a drag keeps the page
// busy). Writes coalesce: a drag of 30 steps rewrites the address once or twice, always with the
// latest values (the writer reads the state when it runs, so the last value is never dropped).
//
// What the reader sees stays the same: anything that reads or leaves the address first writes
// the pending one (`flushUrl`): a click (capture phase, before a link navigates or a button
// copies the link), the tab going hidden, the page being left (pagehide), a language switch. A
// real navigation (hashchange, popstate: the reader edited the address or went back) drops the
// pending write, so an older state never overwrites the address the reader went to.
//
// End-to-end tests wait for `globalThis.__llamaUrlPending()` to be false (e2e build only) before
// they read page.url().

type Write = () => void;

let pending: Write | null = null;
let scheduled = false;

/** Longest wait for an idle moment (ms): a drag that keeps the page busy still updates the address. */
const IDLE_TIMEOUT = 300;

function whenIdle(run: () => void): void {
  if (typeof globalThis.requestIdleCallback === 'function')
    globalThis.requestIdleCallback(run, { timeout: IDLE_TIMEOUT });
  else setTimeout(run, 0);
}

/** Record the address write of a change; it replaces any write still pending. */
export function scheduleUrlWrite(write: Write): void {
  pending = write;
  if (scheduled) return;
  scheduled = true;
  whenIdle(() => {
    scheduled = false;
    flushUrl();
  });
}

/** Write the pending address now (before anything reads or leaves it). */
export function flushUrl(): void {
  const w = pending;
  pending = null;
  w?.();
}

/** Forget the pending write: a navigation moved the address on. */
export function dropUrlWrite(): void {
  pending = null;
}

export function urlWritePending(): boolean {
  return pending !== null;
}

/** The page's flush and drop points (exported for the unit test, which passes stand-ins). */
export function listenForUrlFlushes(
  win: EventTarget,
  doc: EventTarget & { visibilityState: string },
): void {
  win.addEventListener('click', flushUrl, true);
  win.addEventListener('pagehide', flushUrl);
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'hidden') flushUrl();
  });
  win.addEventListener('hashchange', dropUrlWrite, true);
  win.addEventListener('popstate', dropUrlWrite, true);
}

if (typeof window !== 'undefined' && typeof document !== 'undefined') {
  listenForUrlFlushes(window, document);
  if (import.meta.env.MODE === 'e2e')
    (globalThis as { __llamaUrlPending?: () => boolean }).__llamaUrlPending = urlWritePending;
}
