// One registry of models: the ones shipped in assets/models and the reader's own (IndexedDB,
// store.ts). The status line lists both; choosing one makes it the live model of every chapter,
// and the choice is remembered in this browser, so a reload keeps the reader's model.
import { m as tr } from '../../paraglide/messages.js';
import { BUILTIN_MODELS, DEFAULT_MODEL } from '../engine/builtin-models.ts';
import type { ModelPort } from '../model-port.ts';
import { PageError } from '../i18n/error-text.ts';
import {
  deleteModel,
  getModel,
  listModels,
  newModelId,
  putModel,
  type StoredModel,
  type StoredModelMeta,
} from './store.ts';

/** localStorage key of the chosen model: "builtin:<name>" or "stored:<id>". */
export const MODEL_KEY = 'llama-lab:model';

export type ModelRef = { kind: 'builtin'; name: string } | { kind: 'stored'; id: string };

export function refKey(r: ModelRef): string {
  return r.kind === 'builtin' ? `builtin:${r.name}` : `stored:${r.id}`;
}

export function parseRef(s: string | null | undefined): ModelRef | null {
  if (!s) return null;
  const m = /^(builtin|stored):(.{1,200})$/.exec(s);
  if (!m) return null;
  if (m[1] === 'builtin') return BUILTIN_MODELS.has(m[2]) ? { kind: 'builtin', name: m[2] } : null;
  return { kind: 'stored', id: m[2] };
}

function remembered(): ModelRef | null {
  try {
    return parseRef(localStorage.getItem(MODEL_KEY));
  } catch {
    return null;
  }
}

function remember(r: ModelRef): void {
  try {
    localStorage.setItem(MODEL_KEY, refKey(r));
  } catch {
    // no storage (private mode, file://): the choice lasts this visit
  }
}

/**
 * A name for display: the stored model's own name (given in the reader's language when it was
 * kept), prefixed in the reader's language so it is never mistaken for a shipped one.
 */
export function storedLabel(m: StoredModelMeta): string {
  return tr.menu_your_model({ name: m.name });
}

export class ModelRegistry {
  /** The reader's stored models, newest first. */
  stored = $state.raw<StoredModelMeta[]>([]);
  /** The model the reader chose (what the status line's menu shows). */
  current = $state.raw<ModelRef>({ kind: 'builtin', name: DEFAULT_MODEL });
  /**
   * What went wrong in the background, for the status line's menu to say: the remembered model
   * could not be loaded at start (the default is used instead), or the stored models could not
   * be listed (no IndexedDB). Never silent; cleared when the reader chooses a model.
   */
  problem = $state.raw<{ kind: 'load' | 'list'; error: unknown } | null>(null);

  readonly builtin: readonly string[] = [...BUILTIN_MODELS.keys()].sort((a, b) =>
    a === DEFAULT_MODEL ? -1 : b === DEFAULT_MODEL ? 1 : a.localeCompare(b),
  );

  async refresh(): Promise<void> {
    try {
      this.stored = await listModels();
    } catch (e) {
      this.problem = { kind: 'list', error: e };
    }
  }

  /** Keep a model the reader made; returns its id. */
  async add(m: Omit<StoredModel, 'id' | 'createdAt' | 'bytes'>): Promise<string> {
    const id = newModelId();
    const bytes = m.files.model.byteLength + m.files.tokenizer.byteLength;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp, not state
    await putModel({ ...m, id, createdAt: new Date().toISOString(), bytes });
    await this.refresh();
    return id;
  }

  async remove(id: string, model: ModelPort): Promise<void> {
    await deleteModel(id);
    await this.refresh();
    if (this.current.kind === 'stored' && this.current.id === id)
      await this.use({ kind: 'builtin', name: DEFAULT_MODEL }, model);
  }

  async files(id: string): Promise<StoredModel> {
    const m = await getModel(id);
    if (!m) throw new PageError(tr.menu_model_gone());
    return m;
  }

  /** Make `ref` the live model of every chapter (and remember the choice). */
  async use(ref: ModelRef, model: ModelPort): Promise<void> {
    if (ref.kind === 'builtin') {
      await model.load({ kind: 'builtin', name: ref.name });
    } else {
      const m = await this.files(ref.id);
      // the engine worker takes the buffers: give it copies so the stored record stays whole
      await model.load({
        kind: 'files',
        name: storedLabel(m),
        model: m.files.model.slice(0),
        tokenizer: m.files.tokenizer.slice(0),
        sidecar: m.files.sidecar,
      });
    }
    this.current = ref;
    remember(ref);
  }

  #started: Promise<void> | null = null;

  /** On first use: the remembered model, else the default (a deleted one falls back). */
  start(model: ModelPort): Promise<void> {
    this.#started ??= this.#start(model);
    return this.#started;
  }

  async #start(model: ModelPort): Promise<void> {
    const ref = remembered();
    void this.refresh();
    if (ref?.kind === 'stored') {
      try {
        await this.use(ref, model);
        return;
      } catch (e) {
        this.problem = { kind: 'load', error: e };
      }
    }
    // a stored model that failed above is not tried again: the default takes its place
    await this.use(ref?.kind === 'builtin' ? ref : { kind: 'builtin', name: DEFAULT_MODEL }, model);
  }
}

let shared: ModelRegistry | null = null;

export function getRegistry(): ModelRegistry {
  shared ??= new ModelRegistry();
  return shared;
}
