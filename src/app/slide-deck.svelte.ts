// The slide position of a chapter shown as slides, shared by the audience's slides window and the
// presenter view: which slide is current, next/previous with per-slide builds (a derivation
// reveals one step per press before the slide changes), and the link to the other window.
import { untrack } from 'svelte';
import type { UrlState } from './url-state.svelte.ts';
import type { BuildStep } from '../lib/slide-builds.ts';
import { parseParams, type ParamSpec, type ParamValue } from '../lib/params.ts';
import { SlideSync, syncQuery, type ModelSummary } from './slide-sync.ts';

export class SlideDeck {
  // Not reactive on purpose: slides register and call their build steps, nothing renders them.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly builds = new Map<number, BuildStep>();
  /** The page's URL state (a getter: the chapter page may replace it when the hash changes). */
  readonly #urlOf: () => UrlState;
  readonly #specs: readonly ParamSpec[];
  readonly total: number;
  sync = $state.raw<SlideSync | null>(null);
  /** The audience's live model, as last reported (presenter window). */
  remoteModel = $state<ModelSummary | null>(null);

  constructor(url: () => UrlState, specs: readonly ParamSpec[], total: number) {
    this.#urlOf = url;
    this.#specs = specs;
    this.total = total;
  }

  get current(): number {
    return Math.min(this.total, Math.max(1, Number(this.#urlOf().values.slide) || 1));
  }

  /** Next or previous: a build on the slide takes it first. `remote`: the other window's press. */
  step(dir: 1 | -1, remote = false): void {
    const at = this.current;
    if (!this.builds.get(at)?.(dir)) this.go(at + dir);
    if (!remote) this.sync?.step(dir, at);
  }

  go(n: number): void {
    const s = Math.min(this.total, Math.max(1, n));
    if (s !== this.current) this.#urlOf().set({ slide: s });
  }

  /** Open the channel to the other window of this chapter (call from an effect; returns cleanup). */
  connect(slug: string, currentStatus?: () => ModelSummary | null): () => void {
    // Reading the current state here must not make the calling effect reconnect on every change.
    return untrack(() => this.#connect(slug, currentStatus));
  }

  #connect(slug: string, currentStatus?: () => ModelSummary | null): () => void {
    const sync = new SlideSync(slug, {
      currentState: () => syncQuery(this.#urlOf().query),
      applyState: (q) => this.#adopt(q),
      applyStep: (dir, at) => {
        if (at === this.current) this.step(dir, true);
      },
      onStatus: (m) => (this.remoteModel = m),
      currentStatus,
    });
    this.sync = sync;
    return () => {
      sync.close();
      if (this.sync === sync) this.sync = null;
    };
  }

  #adopt(query: string): void {
    const { values } = parseParams(query, this.#specs);
    const patch: Record<string, ParamValue | undefined> = {};
    for (const s of this.#specs) if (s.key !== 'view') patch[s.key] = values[s.key];
    this.#urlOf().set(patch);
  }
}
