// Charts off screen are not redrawn while the reader works elsewhere on the page (a knob of the
// lab also feeds figures far above it): PlotView asks `watchOnScreen` whether its chart is near the
// viewport and, when it is not, registers its redraw with `drawLater` instead of running it. The
// chart redraws when it comes near the view again, and at once when every chart must be current:
// before printing (beforeprint, or print media emulated), and before a figure is exported
// (`drawPending(node)`).

/** How far outside the viewport a chart still counts as on screen: it is drawn before it shows. */
const MARGIN = '50% 0px';

type Listener = (onScreen: boolean) => void;
const listeners = new WeakMap<Element, Listener>();
let observer: IntersectionObserver | null = null;

/**
 * Call `listener` with whether `el` is on (or near) the screen, now and on every change; returns
 * the function that stops watching. Without IntersectionObserver every element counts as on screen.
 */
export function watchOnScreen(el: Element, listener: Listener): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    listener(true);
    return () => {};
  }
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) listeners.get(e.target)?.(e.isIntersecting);
    },
    { rootMargin: MARGIN },
  );
  listeners.set(el, listener);
  observer.observe(el);
  return () => {
    listeners.delete(el);
    observer?.unobserve(el);
  };
}

/** Redraws put off, by the element that holds each chart. */
const pending = new Map<Element, () => void>();

/**
 * Put off the redraw of the chart in `host` until it is needed; returns the function that
 * withdraws it (the chart redrew, or was removed). The redraw stays registered after it runs
 * for a print or an export: until withdrawn it redraws again on every such request.
 */
export function drawLater(host: Element, draw: () => void): () => void {
  pending.set(host, draw);
  return () => {
    if (pending.get(host) === draw) pending.delete(host);
  };
}

/** Run the redraws put off for charts inside `within` (all of them by default), now. */
export function drawPending(within?: Node): void {
  for (const [host, draw] of [...pending]) if (!within || within.contains(host)) draw();
}

const printMedia = typeof window !== 'undefined' ? (window.matchMedia?.('print') ?? null) : null;

/**
 * The page is laid out for print: every chart is drawn at once, wherever it is (a chart that only
 * gets its width from the print layout, such as a slide's print copy, cannot wait for a scroll).
 */
export function printing(): boolean {
  return printMedia?.matches ?? false;
}

if (typeof window !== 'undefined') {
  window.addEventListener('beforeprint', () => drawPending());
  // Print styles without the print dialog (a test or a PDF tool emulating print media).
  printMedia?.addEventListener?.('change', (e) => {
    if (e.matches) drawPending();
  });
}
