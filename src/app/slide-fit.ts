// Fits one slide to the screen. A block that takes several slides (slide-plan.ts) shows one page
// of its content on each: its parts (a lab's output groups, a quiz's questions, a long figure's
// sections) are split into that many runs of about equal height, the lab's knobs and the block's
// title staying on every page. What still does not fit (a paragraph too many at 1024x768, a wide
// formula) is scaled down, never below MIN_ZOOM. The page count is fixed by the plan; only where
// the pages break follows the window, so the presenter window shows the same slides.
import { partitionHeights } from './slide-pages.ts';

/** The smallest scale a slide is shown at (the slides' text is 21.5 px at 1024x768: 15 px here). */
export const MIN_ZOOM = 0.7;

export interface FitOptions {
  page: number;
  pages: number;
  /** Where the slide must end on screen (the bottom of the stage's content box), in px; null:
   * anywhere (the slide is paged but not scaled). */
  bottom: () => number | null;
}

const HIDDEN = 'data-slide-hidden';
const ATOMIC = new Set(['SVG', 'svg', 'TABLE', 'PRE', 'CANVAS', 'IMG', 'P', 'LI']);

function visibleChildren(el: Element): HTMLElement[] {
  return [...el.children].filter(
    (c): c is HTMLElement =>
      c instanceof HTMLElement &&
      !c.classList.contains('visually-hidden') &&
      c.getBoundingClientRect().height > 0,
  );
}

/** The parts a block's page is made of: its children, opening wrappers and tall containers. */
export function partsOf(root: Element, tall: number, depth = 0): HTMLElement[] {
  let kids = visibleChildren(root).filter((c) => c.tagName !== 'H2');
  // a single wrapper (the figure, the component's root): its children are the parts
  while (kids.length === 1 && depth < 6 && visibleChildren(kids[0]).length > 0) {
    kids = visibleChildren(kids[0]);
    depth++;
  }
  const out: HTMLElement[] = [];
  for (const k of kids) {
    const inner = visibleChildren(k);
    if (
      depth < 4 &&
      !ATOMIC.has(k.tagName) &&
      !k.classList.contains('plot') &&
      inner.length > 1 &&
      k.getBoundingClientRect().height > tall
    )
      out.push(...partsOf(k, tall, depth + 1));
    else out.push(k);
  }
  return out;
}

/** Whether a formula, table or code box is cut off at the side (it scrolls sideways). */
function cutOff(frame: HTMLElement): boolean {
  if (frame.scrollWidth > frame.clientWidth + 1) return true;
  for (const el of frame.querySelectorAll<HTMLElement>(
    '.tex, .katex-display, .table-scroll, pre',
  )) {
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) return true;
  }
  return false;
}

const SIZED = 'data-slide-text';

/**
 * Text of hand-drawn SVG figures grows to the slides' size: 20 px at 1080p (root font 33 px), as
 * drawn, that is after the slide's zoom (so this runs once the zoom is known). `all`: every text
 * again (the zoom changed); otherwise only texts not sized yet (a figure added some).
 */
function scaleSvgText(frame: HTMLElement, all: boolean): void {
  const root = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const want = (20 * root) / 32.9;
  for (const t of frame.querySelectorAll<SVGTextElement>('svg text')) {
    if (t.closest('.plot') || (!all && t.hasAttribute(SIZED))) continue;
    t.setAttribute(SIZED, '');
    t.style.fontSize = '';
    const m = t.getScreenCTM();
    if (!m) continue;
    const scale = Math.hypot(m.a, m.b);
    const size = parseFloat(getComputedStyle(t).fontSize);
    if (scale > 0 && size > 0 && size * scale < want)
      t.style.fontSize = `${Math.min(size * 2, want / scale)}px`;
  }
}

export function fitSlide(frame: HTMLElement, initial: FitOptions) {
  let opts = initial;
  let queued = 0;
  let lastSize = '';

  const size = () => {
    const r = frame.getBoundingClientRect();
    return `${Math.round(r.width)}x${Math.round(r.height)}`;
  };

  let zoom = 1;

  /**
   * `fresh`: start again from full size. Otherwise the scale only goes down: charts redraw for
   * the width they are given, so a scale that keeps growing back can make them redraw, and the
   * slide refit, without end. Content arriving refits fresh unless that happened often lately.
   */
  function layout(fresh: boolean) {
    queued = 0;
    // no bottom (a thumbnail): paged, not scaled
    const bottom = opts.bottom();
    if (fresh) zoom = 1;
    // measuring: no transitions (a zoom that transitions, even for 0.01 ms, reads as the old one)
    frame.setAttribute('data-measuring', '');
    frame.style.zoom = zoom === 1 ? '' : String(zoom);
    const box = {
      height: bottom === null ? Infinity : bottom - frame.getBoundingClientRect().top,
    };
    if (box.height <= 0) {
      frame.removeAttribute('data-measuring');
      return;
    }
    // measure with every part in place and every derivation step shown (builds add steps; the
    // slide is sized for the whole derivation so it does not shrink as the steps arrive)
    for (const el of frame.querySelectorAll(`[${HIDDEN}]`)) el.removeAttribute(HIDDEN);
    if (opts.pages > 1) {
      const root = frame.querySelector('.lab .outputs') ?? frame.querySelector('.block') ?? frame;
      // a heading stays with what it introduces, a note with what it describes
      const parts: HTMLElement[][] = [];
      let heading: HTMLElement[] = [];
      for (const p of partsOf(root, Math.min(box.height, window.innerHeight) * 0.5)) {
        if (/^H[3-6]$/.test(p.tagName)) heading.push(p);
        // a figure's note (a muted paragraph right after it) stays with the figure
        else if (p.matches('p.muted') && parts.length && !heading.length)
          parts[parts.length - 1].push(p);
        else {
          parts.push([...heading, p]);
          heading = [];
        }
      }
      if (heading.length) parts.push(heading);
      const tops = parts.map((p) => p[0].getBoundingClientRect().top);
      const heights = parts.map((p, i) =>
        i + 1 < parts.length
          ? Math.max(0, tops[i + 1] - tops[i])
          : p[p.length - 1].getBoundingClientRect().bottom - tops[i],
      );
      const pages = partitionHeights(heights, opts.pages);
      // more slides than parts (content not there yet): the extra slides show the last part
      const page = Math.min(opts.page, Math.max(0, ...pages));
      parts.forEach((els, i) => {
        if (pages[i] !== page) for (const el of els) el.setAttribute(HIDDEN, '');
      });
    }
    const fits = () => frame.getBoundingClientRect().height <= box.height + 1 && !cutOff(frame);
    if (!fits() && zoom > MIN_ZOOM) {
      // the largest scale that fits (zoom reflows the text, so search rather than divide)
      let lo = MIN_ZOOM;
      let hi = zoom;
      frame.style.zoom = String(lo);
      if (fits()) {
        for (let i = 0; i < 6; i++) {
          const mid = (lo + hi) / 2;
          frame.style.zoom = String(mid);
          if (fits()) lo = mid;
          else hi = mid;
        }
      }
      zoom = Math.floor(lo * 1000) / 1000;
    }
    frame.style.zoom = zoom === 1 ? '' : String(zoom);
    frame.dataset.fitZoom = String(zoom);
    // SVG text does not change the size of its drawing: sizing it cannot undo the fit
    if (bottom !== null) scaleSvgText(frame, true);
    frame.getBoundingClientRect();
    frame.removeAttribute('data-measuring');
    lastSize = size();
  }

  let recent: number[] = [];
  function queue() {
    if (queued) return;
    const now = performance.now();
    recent = [...recent.filter((t) => now - t < 2000), now];
    queued = requestAnimationFrame(() => layout(recent.length <= 4));
  }

  // Content arriving (charts, formulas, model output: the frame changes size) or the window
  // changing: fit again. A resize this fit caused itself (same size as it left) is ignored.
  const ro = new ResizeObserver(() => {
    if (size() !== lastSize) queue();
  });
  ro.observe(frame);
  // A figure drawing new SVG text without changing size (a knob moved): size that text too.
  let textQueued = 0;
  const mo = new MutationObserver(() => {
    if (textQueued) return;
    textQueued = requestAnimationFrame(() => {
      textQueued = 0;
      if (opts.bottom() !== null) scaleSvgText(frame, false);
    });
  });
  mo.observe(frame, { childList: true, subtree: true });
  const resized = () => requestAnimationFrame(() => layout(true));
  window.addEventListener('resize', resized);
  layout(true);

  return {
    update(next: FitOptions) {
      const fresh = next.page !== opts.page || next.pages !== opts.pages;
      opts = next;
      layout(fresh);
    },
    destroy() {
      ro.disconnect();
      mo.disconnect();
      if (textQueued) cancelAnimationFrame(textQueued);
      window.removeEventListener('resize', resized);
      if (queued) cancelAnimationFrame(queued);
    },
  };
}
