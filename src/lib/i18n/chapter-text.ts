// A chapter's block text in another locale: an overlay on the English chapter.ts, keyed by block
// id. English stays the source of truth (chapter.ts); `chapters/NN-slug/text/<locale>.ts` exports
// `text: ChapterText` with every reader-facing field of every block. localizeChapter applies it;
// tests/unit/i18n/chapter-text.test.ts checks that nothing is missing or left over.
import type { Architecture } from '../model-facts.ts';
import type { Block, BlockComponent, ChapterDef, Reference } from '../chapter.ts';

interface BlockTextBase {
  title: string;
  notes: string;
}

export interface ProseText extends BlockTextBase {
  /** The prose (or misconception) component written in this locale. */
  component: BlockComponent;
}

export interface DerivationText extends BlockTextBase {
  intro?: string;
  /** One per English step, same order; `tex` only where the English TeX holds words. */
  steps: readonly { why: string; tex?: string }[];
}

export interface FigureText extends BlockTextBase {
  alt: string;
}

export interface LabText extends BlockTextBase {
  intro?: string | ((model: Architecture | null) => string);
}

export interface QuizText extends BlockTextBase {
  questions: Readonly<
    Record<string, { prompt: string; choices: readonly string[]; explain: string }>
  >;
}

export interface ReferencesText extends BlockTextBase {
  /** One per English reference, same order; null where the English has no note. */
  refNotes?: readonly (string | null)[];
}

export type BlockText =
  ProseText | DerivationText | FigureText | LabText | QuizText | ReferencesText | BlockTextBase;

/** A chapter's title and summary in a locale: chapters/NN-slug/text/<locale>.meta.ts (eager). */
export interface ChapterMetaText {
  title: string;
  summary: string;
}

export interface ChapterText {
  blocks: Readonly<Record<string, BlockText>>;
}

/** Thrown (and shown) when an overlay does not fit its chapter: a test catches these first. */
export class ChapterTextError extends Error {}

function need<T>(value: T | undefined, where: string): T {
  if (value === undefined) throw new ChapterTextError(`missing translation: ${where}`);
  return value;
}

function localizeBlock(block: Block, t: BlockText | undefined, where: string): Block {
  const text = need(t, where);
  const base = { title: text.title, notes: text.notes };
  switch (block.kind) {
    case 'prose':
    case 'misconception':
      return {
        ...block,
        ...base,
        component: need((text as ProseText).component, `${where}.component`),
      };
    case 'derivation': {
      const steps = need((text as DerivationText).steps, `${where}.steps`);
      if (steps.length !== block.steps.length) {
        throw new ChapterTextError(`${where}.steps: ${steps.length} for ${block.steps.length}`);
      }
      return {
        ...block,
        ...base,
        intro:
          block.intro === undefined
            ? undefined
            : need((text as DerivationText).intro, `${where}.intro`),
        steps: block.steps.map((s, i) => ({ tex: steps[i]!.tex ?? s.tex, why: steps[i]!.why })),
      };
    }
    case 'figure':
      return { ...block, ...base, alt: need((text as FigureText).alt, `${where}.alt`) };
    case 'lab':
      return {
        ...block,
        ...base,
        intro:
          block.intro === undefined ? undefined : need((text as LabText).intro, `${where}.intro`),
      };
    case 'quiz': {
      const qs = need((text as QuizText).questions, `${where}.questions`);
      return {
        ...block,
        ...base,
        questions: block.questions.map((q) => {
          const tq = need(qs[q.id], `${where}.questions.${q.id}`);
          if (tq.choices.length !== q.choices.length) {
            throw new ChapterTextError(`${where}.questions.${q.id}.choices: count differs`);
          }
          return { ...q, prompt: tq.prompt, choices: tq.choices, explain: tq.explain };
        }),
      };
    }
    case 'references': {
      const notes = (text as ReferencesText).refNotes;
      const refs: Reference[] = block.refs.map((r, i) => {
        if (r.note === undefined) return r;
        return { ...r, note: need(notes?.[i] ?? undefined, `${where}.refNotes[${i}]`) };
      });
      return { ...block, ...base, refs };
    }
  }
}

/** The chapter with every block's text taken from the overlay (throws on a missing field). */
export function localizeChapter(def: ChapterDef, text: ChapterText): ChapterDef {
  const slug = def.meta.slug;
  return {
    ...def,
    blocks: def.blocks.map((b) => localizeBlock(b, text.blocks[b.id], `${slug}.${b.id}`)),
  };
}
