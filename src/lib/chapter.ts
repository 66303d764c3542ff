// What a chapter is: metadata (cheap, loaded eagerly for the table of contents and the home map)
// and an ordered list of blocks (loaded lazily when the chapter opens). A reader scrolls through
// the blocks; slides mode shows one block per slide. Prose lives in Svelte components inside the
// chapter folder; everything else is data the shared block components render.
import type { Component } from 'svelte';
import type { KnobId } from './knobs.ts';
import type { ParamSpec } from './params.ts';
import type { Architecture } from './model-facts.ts';

/** Parts of a LLaMA block drawn on the home page map; a chapter claims the parts it explains. */
export type BlockPart =
  'embed' | 'norm' | 'attention' | 'rope' | 'kvcache' | 'ffn' | 'residual' | 'head';

export interface ChapterMeta {
  /** Folder name, e.g. '01-rmsnorm': also the route (#/01-rmsnorm). */
  slug: string;
  number: number;
  title: string;
  /** One sentence for the table of contents and the home page. */
  summary: string;
  parts: readonly BlockPart[];
}

/** A derivation step: one numbered TeX display plus a sentence saying why it follows. */
export interface DerivationStep {
  tex: string;
  why: string;
}

export interface QuizQuestion {
  id: string;
  prompt: string;
  choices: readonly string[];
  /** Index into choices. */
  answer: number;
  /** Shown after an answer is given, right or wrong. */
  explain: string;
}

export interface Reference {
  authors: string;
  title: string;
  year: number;
  arxiv?: string;
  note?: string;
}

/** Props every figure and prose component receives, so they can read/write the shared state. */
export interface BlockContext {
  /** Values of the page's URL parameters (knobs, prompt, chapter-specific controls). */
  params: Record<string, string | number | boolean>;
  /** Change some parameters (the shell updates the URL and the live model). */
  setParams: (patch: Record<string, string | number | boolean | undefined>) => void;
  /** True in slides mode (components may use larger type or fewer details). */
  slides: boolean;
}

/**
 * A chapter's prose or figure component. Prose components usually take no props; figures take
 * the BlockContext. Both kinds are given the context at run time.
 */
export type BlockComponent = Component<BlockContext> | Component<Record<string, never>>;

interface BlockBase {
  /** Stable id: anchor (#/01-rmsnorm?slide=N uses the index; ids are for progress and tests). */
  id: string;
  title: string;
  /**
   * Speaker notes for a teacher presenting the block as a slide: what to say, what to ask the
   * class, which knob to move and what will happen. Shown in the presenter view only. Optional in
   * the type so a chapter in progress still builds; tests/unit/app/speaker-notes.test.ts requires
   * them on every block of every chapter.
   */
  notes?: string;
}

export type Block =
  | (BlockBase & { kind: 'prose'; component: BlockComponent })
  | (BlockBase & { kind: 'derivation'; intro?: string; steps: readonly DerivationStep[] })
  | (BlockBase & {
      kind: 'figure';
      component: BlockComponent;
      /** Text alternative: what the figure shows, for screen readers and print. */
      alt: string;
    })
  | (BlockBase & {
      kind: 'lab';
      /** Which knobs the lab shows (all of them are still applied from the URL). */
      knobs: readonly KnobId[];
      /** Trace taps to request; `{layer}` is replaced with the chosen layer. */
      trace?: readonly string[];
      /** Extra chapter-specific view of the trace, shown inside the lab. */
      view?: Component<BlockContext & { trace: LabTrace | null }>;
      /** The URL parameter holding the formula of activation 'custom' (sent with the request). */
      formula?: string;
      /** Whether to evaluate held-out perplexity after each change. */
      perplexity?: boolean;
      /** Held-out text to score instead of assets/text/heldout.txt (e.g. one longer than seq_len). */
      heldOut?: string;
      /**
       * A sentence above the lab. A function of the loaded model's architecture when it names
       * what the model was trained with (null while no model is loaded).
       */
      intro?: string | ((model: Architecture | null) => string);
    })
  | (BlockBase & { kind: 'misconception'; component: BlockComponent })
  | (BlockBase & { kind: 'quiz'; questions: readonly QuizQuestion[] })
  | (BlockBase & { kind: 'references'; refs: readonly Reference[] });

/** Trace values as the lab hands them to chapter views: plain arrays keyed by tap name. */
export type LabTrace = ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>;

/**
 * One entry of a chapter's glossary of symbols (`chapters/NN-slug/symbols.ts` exports `symbols`):
 * each symbol the chapter's TeX uses, defined once, with the one meaning it has in that chapter.
 * tests/unit/chapters/symbols.test.ts checks that every symbol in the chapter's formulas is here.
 */
export interface ChapterSymbol {
  /** The symbol in TeX as the chapter writes it: `h_{kv}`, `\hat{x}`, `W_1`, `\theta_i`. */
  tex: string;
  /** What it stands for in this chapter, per locale. */
  meaning: { en: string; 'zh-TW': string };
}

/** Chapter-level parameters (besides knobs and sampler), e.g. the layer a figure looks at. */
export interface ChapterDef {
  meta: ChapterMeta;
  blocks: readonly Block[];
  /** Knobs this chapter's URL may carry. */
  knobs: readonly KnobId[];
  /** Extra URL parameters owned by the chapter's figures. */
  params?: readonly ParamSpec[];
  paramDefaults?: Record<string, string | number | boolean>;
  /** The chapter's glossary of symbols (from its symbols.ts, added by the chapter loader). */
  symbols?: readonly ChapterSymbol[];
}
