// Saving a figure as a file: the figure's element is drawn as SVG by html-to-image (the browser's
// own rendering, HTML inside a foreignObject, with computed styles and the fonts it uses inlined),
// then framed with its title, caption and the link back to its exact state as real SVG text
// (plus <title>/<desc>). The PNG is that SVG drawn at projector width (1920 px) with the same
// text in iTXt chunks. Buttons are left out; sliders and menus stay, showing their values.
import { toSvg } from 'html-to-image';
import { withPngText } from './png-text.ts';

export interface FigureMeta {
  title: string;
  caption: string;
  /** The page address that reopens this figure in the same state. */
  link: string;
  /** 'light' draws the figure with the light theme's colours whatever the page shows (print). */
  theme: 'current' | 'light';
}

export const PNG_WIDTH = 1920;
/** Browsers refuse canvases much taller than this: a very tall lab is saved narrower. */
const MAX_PNG_HEIGHT = 16_000;

/** Left out of a saved figure: buttons (they do nothing on paper) and what is marked so. */
const SKIP = 'button, details.sampling, .no-print, .no-export';
const SVG_NS = 'http://www.w3.org/2000/svg';
const PAD = 20;

/** SVG paint properties that a component's stylesheet may set through classes. */
const SVG_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'opacity',
  'color',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'visibility',
];

/**
 * html-to-image copies an <svg> element as it is (attributes only), so shapes styled by a
 * component's stylesheet would lose their colours in the file. Write their computed paint into
 * their style attribute for the capture; the returned function puts the attributes back.
 */
function inlineSvgPaint(node: HTMLElement): () => void {
  const saved: [Element, string | null][] = [];
  for (const e of node.querySelectorAll<SVGElement>('svg *')) {
    const cs = getComputedStyle(e);
    saved.push([e, e.getAttribute('style')]);
    for (const p of SVG_PROPS) e.style.setProperty(p, cs.getPropertyValue(p));
  }
  return () => {
    for (const [e, style] of saved) {
      if (style === null) e.removeAttribute('style');
      else e.setAttribute('style', style);
    }
  };
}

function wrap(text: string, maxWidth: number, font: string, breakAnywhere = false): string[] {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return [text];
  ctx.font = font;
  const words = breakAnywhere ? [...text] : text.split(/\s+/).filter(Boolean);
  const sep = breakAnywhere ? '' : ' ';
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const next = line ? line + sep + w : w;
    if (line && ctx.measureText(next).width > maxWidth) {
      lines.push(line);
      line = w;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The figure as a standalone SVG document (a string), framed with title, caption and link. */
export async function figureSvg(
  node: HTMLElement,
  meta: FigureMeta,
): Promise<{ svg: string; width: number; height: number }> {
  const light = meta.theme === 'light';
  if (light) node.dataset.exportTheme = 'light';
  const restore = inlineSvgPaint(node);
  try {
    const style = getComputedStyle(node);
    const color = (name: string, fallback: string) =>
      style.getPropertyValue(name).trim() || fallback;
    const bg = color('--bg', '#ffffff');
    const fg = color('--fg', '#000000');
    const soft = color('--fg-soft', fg);
    const accent = color('--accent', fg);
    const family = style.fontFamily || 'sans-serif';
    const w = Math.ceil(node.getBoundingClientRect().width);
    const h = Math.ceil(node.getBoundingClientRect().height);
    const uri = await toSvg(node, {
      backgroundColor: bg,
      preferredFontFormat: 'woff2',
      filter: (n) => !(n instanceof Element && n.matches(SKIP)),
    });
    const inner = new DOMParser().parseFromString(
      decodeURIComponent(uri.slice(uri.indexOf(',') + 1)),
      'image/svg+xml',
    ).documentElement;
    if (inner.nodeName !== 'svg') throw new Error('the figure could not be drawn as SVG');

    const width = w + 2 * PAD;
    const text = width - 2 * PAD;
    const titleFont = `700 22px ${family}`;
    const captionFont = `15px ${family}`;
    const linkFont = `12px ${family}`;
    const titleLines = wrap(meta.title, text, titleFont);
    const captionLines = meta.caption ? wrap(meta.caption, text, captionFont) : [];
    const linkLines = wrap(meta.link, text, linkFont, true);

    const root = el('svg', { xmlns: SVG_NS, version: '1.1' });
    root.append(el('title', {}, meta.title));
    root.append(el('desc', {}, `${meta.caption ? `${meta.caption}\n` : ''}${meta.link}`));
    const bgRect = el('rect', { x: 0, y: 0, width: '100%', height: '100%', fill: bg });
    root.append(bgRect);
    let y = PAD;
    const lines = (ls: string[], size: number, lead: number, attrs: Record<string, string>) => {
      const t = el('text', { 'font-family': family, 'font-size': size, ...attrs });
      for (const l of ls) {
        y += size * lead;
        t.append(el('tspan', { x: PAD, y: Math.round(y * 10) / 10 }, l));
      }
      return t;
    };
    root.append(lines(titleLines, 22, 1.25, { 'font-weight': '700', fill: fg }));
    y += 12;
    inner.setAttribute('x', String(PAD));
    inner.setAttribute('y', String(Math.round(y)));
    root.append(document.importNode(inner, true));
    y = Math.round(y) + h + 6;
    if (captionLines.length) root.append(lines(captionLines, 15, 1.4, { fill: soft }));
    y += 4;
    const a = el('a', { href: meta.link });
    a.setAttributeNS('http://www.w3.org/1999/xlink', 'xlink:href', meta.link);
    a.append(lines(linkLines, 12, 1.4, { fill: accent }));
    root.append(a);
    const height = Math.ceil(y + PAD);
    root.setAttribute('width', String(width));
    root.setAttribute('height', String(height));
    root.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
    return { svg, width, height };
  } finally {
    restore();
    if (light) delete node.dataset.exportTheme;
  }
}

/**
 * The figure as a PNG `PNG_WIDTH` pixels wide (narrower only if it would be taller than
 * `MAX_PNG_HEIGHT`), with title, caption and link as text chunks.
 */
export async function figurePng(node: HTMLElement, meta: FigureMeta): Promise<Blob> {
  const { svg, width, height } = await figureSvg(node, meta);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  const scale = Math.min(PNG_WIDTH / width, MAX_PNG_HEIGHT / height);
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw into a canvas');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, 'image/png'));
  if (!blob) throw new Error('the figure is too large to save as PNG');
  const bytes = withPngText(new Uint8Array(await blob.arrayBuffer()), {
    Title: meta.title,
    Description: meta.caption,
    Source: meta.link,
  });
  return new Blob([bytes as BlobPart], { type: 'image/png' });
}

/** Hand a file to the browser's downloads. */
export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
