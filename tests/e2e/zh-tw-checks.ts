// What the zh-TW walks check on a page (zh-tw.test.ts, zh-tw-layout.test.ts, zh-tw-runs.test.ts):
// English left in what the reader sees or hears, a page drawn and settled, and the layout on a
// phone and on paper.
//
// What the English check skips (it is meant to stay English): KaTeX, code/pre/kbd/samp, and
// anything inside an element with lang="en" — paper titles, quoted Shakespeare, and every token
// string and model output (the model writes English: TopTokens, generated text and samples carry
// lang="en").
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import {
  englishRun,
  halfWidthAfterChinese,
  hasChinese,
  readsTranslated,
} from '$lib/i18n/untranslated.ts';
import { frames } from './helpers.ts';

/** The chapters' slugs, read from chapters/. */
export const CHAPTERS = readdirSync(fileURLToPath(new URL('../../chapters/', import.meta.url)))
  .filter((d) => /^\d\d-/.test(d))
  .sort();

/** Every page of the notebook: home, the chapters, the glossary. */
export const PAGES = [
  { name: 'home', hash: '#/' },
  ...CHAPTERS.map((slug) => ({ name: slug, hash: `#/${slug}` })),
  { name: 'glossary', hash: '#/glossary' },
];

/** English left in the interface of the page on screen (empty: none). */
export async function englishLeft(page: Page): Promise<string[]> {
  return untranslated(await interfaceText(page));
}

/** A piece of text the reader sees or hears, and where it sits (for the failure message). */
interface Unit {
  text: string;
  where: string;
}

/**
 * Every piece of interface text on the page, one per box: the text of a block (or an inline-block,
 * an SVG <text>, an <option>) with its inline children joined, so a sentence split over <em> or
 * <strong> is read whole; plus the names a screen reader speaks (aria-label, title, alt,
 * placeholder, SVG <title>) and the document title. Hidden (display: none) parts are left out.
 */
export async function interfaceText(page: Page): Promise<Unit[]> {
  return page.evaluate(() => {
    const SKIP = '.katex, code, pre, kbd, samp, script, style, noscript, template, [lang="en"]';
    // Names a screen reader speaks (not inside aria-hidden), and tooltips anyone sees.
    const SPOKEN = ['aria-label', 'aria-roledescription', 'alt'];
    const SHOWN = ['title', 'placeholder'];
    const units: { text: string; where: string }[] = [{ text: document.title, where: 'title' }];
    const where = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && parts.length < 3; e = e.parentElement) {
        const id = e.id ? `#${e.id}` : '';
        const tid = e.getAttribute('data-testid');
        parts.unshift(`${e.tagName.toLowerCase()}${id}${tid ? `[${tid}]` : ''}`);
        if (e.id.startsWith('block-')) break;
      }
      const block = el.closest('[id^="block-"]');
      return `${block && !parts[0]!.includes(block.id) ? `#${block.id} … ` : ''}${parts.join(' > ')}`;
    };
    const isBox = (el: Element): boolean => {
      if (el instanceof SVGElement)
        return ['svg', 'text', 'title', 'foreignObject'].includes(el.tagName);
      if (el.tagName === 'OPTION') return true;
      const d = getComputedStyle(el).display;
      return d !== 'inline' && d !== 'contents';
    };
    const hidden = (el: Element): boolean =>
      el.hasAttribute('hidden') ||
      (!(el instanceof SVGTitleElement) && getComputedStyle(el).display === 'none');
    const visit = (box: Element): void => {
      let text = '';
      const walk = (node: Node): void => {
        for (const child of node.childNodes) {
          if (child.nodeType === Node.TEXT_NODE) {
            text += child.textContent ?? '';
            continue;
          }
          if (!(child instanceof Element)) continue;
          if (child.matches(SKIP) || hidden(child)) {
            text += ' ';
            continue;
          }
          const silent = child.closest('[aria-hidden="true"]') !== null;
          for (const a of silent ? SHOWN : [...SPOKEN, ...SHOWN]) {
            const v = child.getAttribute(a);
            if (v) units.push({ text: v, where: `${where(child)} @${a}` });
          }
          if (isBox(child)) {
            text += ' ';
            visit(child);
          } else walk(child);
        }
      };
      walk(box);
      const t = text.replace(/\s+/g, ' ').trim();
      if (t) units.push({ text: t, where: where(box) });
    };
    visit(document.body);
    return units;
  });
}

/**
 * Capitalised words that are names, the same in every edition (a label with no Chinese may be
 * one: "Llama 2 70B", "Swish"); any other capitalised word alone is English ("Print").
 */
const NAMES = new Set(['Llama', 'Chat', 'Transformer', 'Swish', 'Mish', 'Bilinear', 'Meta']);

/** Words that make an English aside a sentence, not a term. */
const FUNCTION_WORDS = new Set(
  'the a an is are was were be been not no but or this that these it its has have will can does do when which'.split(
    ' ',
  ),
);

/**
 * English sentences in parentheses: untranslated.ts lets an English term beside its Chinese one
 * pass ("基於人類回饋的強化學習（reinforcement learning from human feedback, RLHF）"), but an
 * English sentence in parentheses is untranslated text ("0 nats (the trained model exactly)").
 * Any parenthesised part, nested or not, with no Chinese, three or more words and a function word.
 */
function englishAside(text: string): string | null {
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '（') open.push(i);
    else if ((c === ')' || c === '）') && open.length) {
      const inner = text.slice(open.pop()! + 1, i);
      const words = inner.match(/\b[A-Za-z]{1,}\b/g) ?? [];
      if (
        !hasChinese(inner) &&
        words.length >= 3 &&
        words.some((w) => FUNCTION_WORDS.has(w.toLowerCase()))
      )
        return inner;
    }
  }
  return null;
}

/**
 * What reads as English in the interface: a run of English words, or a word in a label with no
 * Chinese; and half-width punctuation right after a Chinese character.
 */
export function untranslated(units: Unit[]): string[] {
  const found: string[] = [];
  for (const u of units) {
    const run = englishRun(u.text) ?? englishAside(u.text);
    // English beside Chinese may stay in parentheses; a label with no Chinese may not hide a word
    // there ("ReLU (baseline)")
    const bare =
      !hasChinese(u.text) &&
      (/\b[a-z]{4,}\b/.test(u.text) ||
        (u.text.match(/\b[A-Z][a-z]{3,}\b/g) ?? []).some((w) => !NAMES.has(w)));
    if (run !== null || bare || !readsTranslated(u.text)) {
      found.push(`${u.where}: "${run ?? u.text.slice(0, 80)}"`);
    }
    // and Chinese punctuated in half-width (a component's markup around a message: "時: ")
    const mark = halfWidthAfterChinese(u.text);
    if (mark !== null) found.push(`${u.where}: half-width punctuation "${mark}"`);
  }
  return [...new Set(found)];
}

/** Wait for a page to be drawn: chapter loaded, fonts and charts in, the model's answers in. */
export async function settle(page: Page): Promise<void> {
  await page
    .locator(
      '[data-testid=chapter], [data-testid=playground], [data-testid=slides], [data-testid=glossary]',
    )
    .first()
    .waitFor();
  await page.waitForFunction(
    () =>
      document.fonts.status === 'loaded' &&
      !document.querySelector('[aria-busy=true], [data-status=loading]') &&
      // charts on screen are drawn (a chart on a hidden slide has no width and waits)
      [...document.querySelectorAll<HTMLElement>('[data-chart=waiting]')].every(
        (el) => el.clientWidth === 0,
      ) &&
      [...document.querySelectorAll('[data-testid=lab] .outputs')].every(
        (el) => el.getAttribute('aria-busy') === 'false',
      ),
    undefined,
    { timeout: 120_000 },
  );
  await frames(page, 2);
}

/**
 * What does not fit the screen (a phone): the page scrolling sideways, an element past the
 * screen's edge that is not inside a box of its own that scrolls or clips (a wide table in a
 * .table-scroll box is fine), and Chinese standing one character a line (a text in a box so narrow
 * that each line holds at most one character: "搶/占/次/數"). Visually hidden parts (a 1 px box, a
 * skip link off screen) do not count.
 */
export async function phoneProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const over = document.documentElement.scrollWidth - vw;
    if (over > 0) out.push(`the page scrolls sideways by ${over} px`);
    const name = (el: Element): string => {
      const block = el.closest('[id^="block-"]');
      const cls =
        typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
      return `${block ? `#${block.id} ` : ''}${el.tagName.toLowerCase()}${cls}`;
    };
    const hidden = (el: Element): boolean => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const r = e.getBoundingClientRect();
        if (r.width <= 2 || r.right <= 0) return true;
      }
      return false;
    };
    const inOwnBox = (el: Element): boolean => {
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(e).overflowX)) return true;
      }
      return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || (r.right <= vw + 1 && r.left >= -1)) continue;
      if (getComputedStyle(el).position === 'fixed' || inOwnBox(el) || hidden(el)) continue;
      out.push(
        `wider than the screen: ${name(el)} (${Math.round(r.left)} to ${Math.round(r.right)} px)`,
      );
    }
    const cjk = /[\u3400-\u9fff]/g;
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = texts.nextNode(); n; n = texts.nextNode()) {
      const host = n.parentElement!;
      if ((n.textContent?.match(cjk) ?? []).length < 2 || hidden(host)) continue;
      const em = parseFloat(getComputedStyle(host).fontSize);
      const range = document.createRange();
      range.selectNodeContents(n);
      const lines = [...range.getClientRects()];
      const tops = new Set(lines.map((l) => Math.round(l.top)));
      if (tops.size >= 2 && Math.max(...lines.map((l) => l.width)) <= 1.3 * em) {
        out.push(`one character a line: ${name(host)} "${n.textContent!.trim().slice(0, 20)}"`);
      }
    }
    return [...new Set(out)];
  });
}

/**
 * What paper would cut (the page laid out for print): an element past the page's right edge, or
 * past the edge of a box that clips or scrolls it (paper cannot scroll). KaTeX's MathML copy and
 * visually hidden text are not drawn and do not count. One line per box that cuts, with the most
 * it cuts.
 */
export async function cutOnPaper(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const name = (el: Element): string => {
      const block = el.closest('[id^="block-"]');
      const cls =
        typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
      return `${block ? `#${block.id} ` : ''}${el.tagName.toLowerCase()}${cls}`;
    };
    const worst = new Map<string, number>();
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= 0) continue;
      if (el.closest('.katex-mathml, .visually-hidden')) continue;
      let edge = vw;
      let by = 'the page';
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        if (!/(auto|scroll|hidden|clip)/.test(getComputedStyle(e).overflowX)) continue;
        const box = e.getBoundingClientRect();
        // a visually hidden box; KaTeX's own clipped parts (a stretchy SVG 400em wide in a box)
        if (box.width <= 2 || e.closest('.katex')) edge = Infinity;
        else if (box.right < edge) [edge, by] = [box.right, name(e)];
        break;
      }
      if (r.right > edge + 1)
        worst.set(by, Math.max(worst.get(by) ?? 0, Math.round(r.right - edge)));
    }
    return [...worst].map(([by, px]) => `cut by ${by}: ${px} px`);
  });
}
