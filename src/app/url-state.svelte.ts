// Reactive URL state of one page: parsed once from the hash query, then every control writes
// back through `set`, which rewrites the hash with history.replaceState (no reload, no new
// history entry per slider step). Values equal to their defaults are left out of the link.
// The values change at once; the address is written when the page is next idle
// (../lib/url-write.ts), so a knob change does not pay for Chromium's same-document navigation
// before its figures update. `href` and `hrefWith` read the values, never the address bar.
import {
  formatNumber,
  parseParams,
  serializeParams,
  type ParamSpec,
  type ParamValue,
  type ParamValues,
} from '../lib/params.ts';
import { fitToModel } from '../lib/model-fit.ts';
import type { Config } from '../engine/types.ts';
import { scheduleUrlWrite } from '../lib/url-write.ts';

export class UrlState {
  values = $state<ParamValues>({});
  notices = $state<string[]>([]);
  readonly #path: string;
  readonly #specs: readonly ParamSpec[];
  readonly #defaults: ParamValues;

  constructor(path: string, specs: readonly ParamSpec[], defaults: ParamValues, query: string) {
    this.#path = path;
    this.#specs = specs;
    this.#defaults = defaults;
    this.load(query);
  }

  /** Re-read a query (initial load, or the reader edited the address bar). */
  load(query: string): void {
    const { values, notices } = parseParams(query, this.#specs);
    this.values = { ...this.#defaults, ...values };
    this.notices = notices;
  }

  get defaults(): Readonly<ParamValues> {
    return this.#defaults;
  }

  get query(): string {
    return serializeParams(this.values, this.#specs, this.#defaults);
  }

  /** The shareable address of the current view. */
  get href(): string {
    const q = this.query;
    // Everything before the hash, as is: also right for file:// pages, whose origin is "null".
    const page = location.href.split('#')[0];
    return `${page}#/${this.#path}${q ? `?${q}` : ''}`;
  }

  /** The address of this view with some parameters changed (a figure's own link). */
  hrefWith(patch: Record<string, ParamValue | undefined>): string {
    const values: ParamValues = { ...this.values };
    for (const [k, v] of Object.entries(patch)) {
      if (v !== undefined) values[k] = v;
      else if (k in this.#defaults) values[k] = this.#defaults[k];
      else delete values[k];
    }
    const q = serializeParams(values, this.#specs, this.#defaults);
    const page = location.href.split('#')[0];
    return `${page}#/${this.#path}${q ? `?${q}` : ''}`;
  }

  set(patch: Record<string, ParamValue | undefined>): void {
    const next: ParamValues = { ...this.values };
    for (const [k, v] of Object.entries(patch)) {
      const spec = this.#specs.find((s) => s.key === k);
      if (!spec) continue;
      if (v === undefined) {
        if (k in this.#defaults) next[k] = this.#defaults[k];
        else delete next[k];
      } else if (typeof v === 'number' && spec.kind === 'number') {
        // Store exactly what the URL will hold, so a copied link restores the same numbers.
        next[k] = Number(formatNumber(v));
      } else {
        next[k] = v;
      }
    }
    this.values = next;
    scheduleUrlWrite(() => this.#write());
  }

  /** The address for the current values (run by url-write.ts, with the values of that moment). */
  #write(): void {
    const q = this.query;
    const hash = `#/${this.#path}${q ? `?${q}` : ''}`;
    if (location.hash !== hash) history.replaceState(history.state, '', hash);
  }

  /** Drop the given keys (back to their defaults). */
  reset(keys: readonly string[]): void {
    this.set(Object.fromEntries(keys.map((k) => [k, undefined])));
  }

  /**
   * Bring the settings that depend on the model's shape inside the loaded model (a link's layer 7
   * of a 6-layer model becomes 5), with the same notice as any other link adjustment. Called
   * whenever a model finishes loading and whenever the values change.
   */
  fit(config: Config, modelName: string): void {
    const { patch, notices } = fitToModel(this.values, this.#specs, config, modelName);
    if (Object.keys(patch).length === 0) return;
    this.notices = [...this.notices, ...notices.filter((n) => !this.notices.includes(n))];
    this.set(patch);
  }

  dismissNotices(): void {
    this.notices = [];
  }
}
