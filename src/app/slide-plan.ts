// Which slides a chapter's blocks become. Most blocks are one slide; a block that holds more than
// one projected screen becomes several, so every slide fits the screen without shrinking its text
// to nothing: a quiz shows one question per slide, a lab keeps its knobs on every one of its
// slides beside a page of its outputs (what the knob changes first, the rest after), and a few
// long blocks (listed below) are paged. The count of slides is a property of the chapter, not of
// the window, so `?slide=N` and the presenter window (another size) always mean the same slide;
// where a page breaks inside the block is decided when it is shown (slide-fit.ts).
import type { Block, ChapterDef } from '../lib/chapter.ts';

export interface SlideRef {
  /** Index of the block in the chapter. */
  block: number;
  /** Page of the block on this slide, 0-based. */
  page: number;
  /** How many slides the block takes. */
  pages: number;
}

/**
 * Pages of blocks that hold more than one screen (at 1024x768 and 1280x720), by
 * `<chapter slug>/<block id>`. Blocks not listed here are one slide, except quizzes and labs.
 */
export const LONG_BLOCKS: Readonly<Record<string, number>> = {
  '02-activations/evidence': 2,
  '03-rope/long': 2,
  '04-attention/calculator': 2,
  '04-attention/why-not-mqa': 2,
  '04-attention/curves': 2,
  '05-pretraining/data': 2,
  '05-pretraining/tokens-per-param': 2,
  '05-pretraining/train-lab': 2,
  '07-serving/kv-budget': 2,
  '07-serving/simulator': 4,
  '07-serving/live': 3,
};

/** Pages of a lab: its outputs over this many slides, the knobs on each (see LONG_BLOCKS). */
export const LAB_PAGES: Readonly<Record<string, number>> = {
  '03-rope/lab': 8,
  '04-attention/lab': 3,
};

/** How many slides a block takes. */
export function pagesOf(slug: string, block: Block): number {
  const key = `${slug}/${block.id}`;
  if (block.kind === 'quiz') return Math.max(1, block.questions.length);
  // next token; perplexity and text; the chapter's view
  if (block.kind === 'lab') return LAB_PAGES[key] ?? (block.view ? 3 : 2);
  return LONG_BLOCKS[key] ?? 1;
}

export function slidePlan(def: Pick<ChapterDef, 'meta' | 'blocks'>): SlideRef[] {
  const plan: SlideRef[] = [];
  def.blocks.forEach((b, block) => {
    const pages = pagesOf(def.meta.slug, b);
    for (let page = 0; page < pages; page++) plan.push({ block, page, pages });
  });
  return plan;
}

/** The first slide (1-based) of a block. */
export function firstSlideOf(plan: readonly SlideRef[], block: number): number {
  const i = plan.findIndex((s) => s.block === block);
  return i < 0 ? 1 : i + 1;
}
