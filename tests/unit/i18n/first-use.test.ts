// The first-use rule of the zh-TW edition (I18N.md section 4; scope in src/lib/i18n/glossary.ts's
// header): on every chapter page and on the home page, the first use of each covered glossary
// term in the reading text has the English beside it, 「均方根歸一化（RMSNorm）」. The pages' text is
// put together here in page order, as ChapterPage and Home show it: headings (title, summary,
// block titles) and reading text (prose rendered with svelte/server, derivation intros and
// steps, figure captions, lab intros, quizzes, reference notes, the symbols list).
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { Component } from 'svelte';
import type { BlockContext, ChapterDef, ChapterSymbol } from '$lib/chapter.ts';
import { localizeChapter, type ChapterMetaText, type ChapterText } from '$lib/i18n/chapter-text.ts';
import { glossary } from '$lib/i18n/glossary.ts';
import { firstUseMisses, firstUseWords, type Segment } from '$lib/i18n/first-use.ts';
import { m } from '$paraglide/messages.js';
import { makeConfig, validateSidecar } from '$engine/config.ts';
import { architecture, type Architecture } from '$lib/model-facts.ts';
import { getLocale, setLocale } from '$paraglide/runtime.js';

const defs = import.meta.glob<ChapterDef>('/chapters/*/chapter.ts', {
  eager: true,
  import: 'chapter',
});
const texts = import.meta.glob<ChapterText>('/chapters/*/text/zh-TW.ts', {
  eager: true,
  import: 'text',
});
const metas = import.meta.glob<ChapterMetaText>('/chapters/*/text/zh-TW.meta.ts', {
  eager: true,
  import: 'meta',
});
const symbolLists = import.meta.glob<readonly ChapterSymbol[]>('/chapters/*/symbols.ts', {
  eager: true,
  import: 'symbols',
});

const VOID = new Set(['br', 'img', 'input', 'hr', 'meta', 'wbr', 'link', 'source', 'col']);
const BREAK =
  /^(p|div|li|ol|ul|dl|dt|dd|tr|th|td|table|caption|thead|tbody|h[1-6]|section|figure|figcaption|blockquote|br|fieldset|legend|label)$/;
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/**
 * The words a reader reads in server-rendered HTML: no KaTeX (.tex, .katex), code, pre, SVG or
 * intentionally English element (lang="en"); block elements end a line.
 */
export function readingText(html: string): string {
  let out = '';
  let skip: { tag: string; depth: number } | null = null;
  const token = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)/g;
  for (const t of html.matchAll(token)) {
    const [, close, rawTag, attrs = '', words] = t;
    if (words !== undefined) {
      if (!skip) out += words.replace(/\s+/g, ' ');
      continue;
    }
    if (!rawTag) continue;
    const tag = rawTag.toLowerCase();
    const selfClosing = VOID.has(tag) || attrs.trimEnd().endsWith('/');
    if (skip) {
      if (tag === skip.tag && !selfClosing) skip.depth += close ? -1 : 1;
      if (skip.depth === 0) skip = null;
      continue;
    }
    if (!close && !selfClosing) {
      const hidden =
        /^(code|pre|svg|script|style|math)$/.test(tag) ||
        /\blang=["']?en\b/.test(attrs) ||
        /\bclass=["'][^"']*\b(tex|katex)\b/.test(attrs);
      if (hidden) {
        skip = { tag, depth: 1 };
        continue;
      }
    }
    if (BREAK.test(tag)) out += '\n';
  }
  return out
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (e, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X'))
        return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name] ?? e;
    })
    .replace(/ *\n\s*/g, '\n')
    .trim();
}

const ctx: BlockContext = { params: {}, setParams: () => {}, slides: false };

/** A chapter page in zh-TW, in the order the reading view shows it. */
export function chapterSegments(
  def: ChapterDef,
  text: ChapterText,
  meta: ChapterMetaText,
  symbols?: readonly ChapterSymbol[],
  model: Architecture | null = null,
): Segment[] {
  const zh = localizeChapter(def, text);
  const out: Segment[] = [
    { text: meta.title, heading: true, where: 'meta.title' },
    { text: meta.summary, heading: true, where: 'meta.summary' },
  ];
  const read = (t: string | undefined, where: string) => {
    if (t) out.push({ text: t, where });
  };
  for (const b of zh.blocks) {
    out.push({ text: b.title, heading: true, where: `${b.id}.title` });
    switch (b.kind) {
      case 'prose':
      case 'misconception':
        read(
          readingText(render(b.component as Component<BlockContext>, { props: ctx }).body),
          `${b.id} (prose)`,
        );
        break;
      case 'derivation':
        read(b.intro, `${b.id}.intro`);
        b.steps.forEach((s, i) => read(s.why, `${b.id}.steps[${i}]`));
        break;
      case 'figure':
        read(b.alt, `${b.id}.alt`);
        break;
      case 'lab':
        read(typeof b.intro === 'function' ? b.intro(model) : b.intro, `${b.id}.intro`);
        break;
      case 'quiz':
        for (const q of b.questions) {
          read(q.prompt, `${b.id}.${q.id}.prompt`);
          q.choices.forEach((c, i) => read(c, `${b.id}.${q.id}.choices[${i}]`));
          read(q.explain, `${b.id}.${q.id}.explain`);
        }
        break;
      case 'references':
        b.refs.forEach((r, i) => read(r.note, `${b.id}.refNotes[${i}]`));
        break;
    }
  }
  if (symbols?.length) {
    out.push({ text: m.symbols_heading(), heading: true, where: 'symbols.heading' });
    read(m.symbols_intro(), 'symbols.intro');
    symbols.forEach((s) => read(s.meaning['zh-TW'], `symbols.${s.tex}`));
  }
  return out;
}

/**
 * The home page in zh-TW, as Home.svelte shows it: the lead and the sections' text are reading
 * text, the section headings are headings. The chapter list is navigation (the chapters' titles
 * and summaries, which are their pages' headings), like a chapter page's contents; the block map
 * and the family table are figures.
 */
export function homeSegments(): Segment[] {
  return [
    { text: m.home_lead(), where: 'home_lead' },
    { text: m.home_what(), heading: true, where: 'home_what' },
    { text: m.home_what_body(), where: 'home_what_body' },
    { text: m.home_chapters(), heading: true, where: 'home_chapters' },
    { text: m.home_map(), heading: true, where: 'home_map' },
    { text: m.home_family(), heading: true, where: 'home_family' },
    { text: m.home_corrections(), where: 'home_corrections' },
    { text: m.home_play(), heading: true, where: 'home_play' },
    { text: m.home_play_body(), where: 'home_play_body' },
  ];
}

/** The shipped models' architectures: a lab's intro names the loaded model's (null: none yet). */
function shippedModels(): [string, Architecture | null][] {
  const out: [string, Architecture | null][] = [['no model', null]];
  for (const name of readdirSync('assets/models').sort()) {
    const dir = `assets/models/${name}`;
    if (!existsSync(`${dir}/model.bin`) || !existsSync(`${dir}/model.json`)) continue;
    const header = new Int32Array(7);
    const fd = openSync(`${dir}/model.bin`, 'r');
    readSync(fd, new Uint8Array(header.buffer), 0, 28, 0);
    closeSync(fd);
    const [dim, hiddenDim, nLayers, nHeads, nKvHeads, vocab, seqLen] = [...header] as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const sidecar = validateSidecar(JSON.parse(readFileSync(`${dir}/model.json`, 'utf8')));
    const config = makeConfig(
      { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize: Math.abs(vocab), seqLen },
      vocab > 0,
      sidecar,
    );
    out.push([name, architecture(config)]);
  }
  return out;
}

const words = glossary.flatMap(firstUseWords);
const start = getLocale();
beforeAll(() => setLocale('zh-TW', { reload: false }));
afterAll(() => setLocale(start, { reload: false }));

const show = (segs: readonly Segment[]) =>
  firstUseMisses(segs, words).map((x) => `${x.word} [${x.term}] @${x.where}: …${x.context}…`);

describe('the first-use check', () => {
  const rms = words.filter((w) => w.term === 'RMSNorm');
  const read = (...texts: string[]): Segment[] => texts.map((text, i) => ({ text, where: `${i}` }));

  it('covers the technical terms and not the notebook’s words', () => {
    const covered = new Set(words.flatMap((w) => w.zh));
    for (const z of [
      '均方根歸一化',
      '旋轉位置編碼',
      '分組查詢注意力',
      'KV 快取',
      '拒絕採樣',
      '分頁注意力',
      '核採樣',
    ])
      expect(covered.has(z), z).toBe(true);
    for (const z of ['實驗', '圖', '自我檢測', '常見誤解', '推導', '即時模型', '位置', '步'])
      expect(covered.has(z), z).toBe(false);
  });

  it('passes the English after, before, or beside in one parenthesis', () => {
    for (const t of [
      '均方根歸一化（RMSNorm）很簡單。均方根歸一化只用一個統計量。',
      '均方根歸一化 (RMSNorm) 很簡單。',
      'LLaMA 用 RMSNorm（均方根歸一化）。',
      '它只保留一個統計量（均方根歸一化，RMSNorm）。',
      '它只保留一個統計量（RMSNorm，均方根歸一化）。',
    ])
      expect(firstUseMisses(read(t), rms), t).toEqual([]);
  });

  it('fails a first use without the English, or with it only later or in another sentence', () => {
    for (const t of [
      '均方根歸一化很簡單。均方根歸一化（RMSNorm）只用一個統計量。',
      '均方根歸一化 RMSNorm 很簡單。',
      '均方根歸一化。（RMSNorm）',
      '均方根歸一化（均方根）很簡單，RMSNorm。',
      '均方根歸一化，RMSNorm。',
    ])
      expect(firstUseMisses(read(t), rms), t).toHaveLength(1);
    expect(firstUseMisses(read('第一段。', '均方根歸一化。'), rms)[0]?.where).toBe('1');
  });

  it('skips headings unless the page names the term only there', () => {
    const heading = { text: '均方根歸一化', heading: true, where: 'title' };
    expect(
      firstUseMisses([heading, ...read('均方根歸一化（RMSNorm）只用一個統計量。')], rms),
    ).toEqual([]);
    expect(firstUseMisses([heading, ...read('它只用一個統計量。')], rms)).toHaveLength(1);
    expect(
      firstUseMisses(
        [{ ...heading, text: '均方根歸一化（RMSNorm）' }, ...read('它只用一個統計量。')],
        rms,
      ),
    ).toEqual([]);
  });

  it('does not take a longer term for a shorter one (多頭注意力 is not a use of 注意力)', () => {
    const attention = words.filter((w) => w.zh.includes('注意力'));
    expect(attention).toHaveLength(1);
    const all = words.filter((w) => w.term === 'attention' || w.term.startsWith('multi-head'));
    expect(firstUseMisses(read('多頭注意力（MHA）之後，注意力（attention）。'), all)).toEqual([]);
    expect(show(read('多頭注意力（MHA）之後，注意力是什麼？'))).toEqual([
      expect.stringContaining('注意力 [attention]'),
    ]);
  });

  it('reads rendered HTML without KaTeX, code or intentionally English spans', () => {
    expect(
      readingText(
        '<div class="prose"><p>均方根<span class="tex"><span class="katex">x</span></span>歸一化 <code>rms</code><cite lang="en">Root Mean Square Layer Normalization</cite>&amp;<!---->好</p><p>下一段</p></div>',
      ),
    ).toBe('均方根歸一化 &好\n下一段');
  });
});

describe('first use of a term on a page', () => {
  it('home: the first use of each term shows the English', () => {
    expect(show(homeSegments())).toEqual([]);
  });

  const models = shippedModels();
  it('reads the shipped models for the labs’ intros', () => {
    expect(models.map(([name]) => name)).toEqual(expect.arrayContaining(['main', 'mha', 'nope']));
  });

  for (const [path, def] of Object.entries(defs)) {
    const dir = path.replace(/\/chapter\.ts$/, '');
    const slug = dir.split('/').at(-1)!;
    it(`${slug}: the first use of each term shows the English (before and with each model)`, () => {
      const text = texts[`${dir}/text/zh-TW.ts`];
      const meta = metas[`${dir}/text/zh-TW.meta.ts`];
      expect(text && meta, `${dir}/text/zh-TW.ts and .meta.ts`).toBeTruthy();
      const misses = models.flatMap(([name, model]) =>
        show(chapterSegments(def, text!, meta!, symbolLists[`${dir}/symbols.ts`], model)).map(
          (x) => `${name}: ${x}`,
        ),
      );
      expect([...new Set(misses)]).toEqual([]);
    });
  }
});
