// Keeps the audience's slides window and the presenter window of one chapter in step, both ways,
// over a BroadcastChannel (same origin, no server). Two kinds of news travel:
// - `step`: a next/previous press (keys, clicker, buttons). The other window takes the same step,
//   so a derivation's build advances in both, but only if it was on the same slide (`at`);
// - `state`: the page's settings (slide, knobs, prompt, figure controls) as a query string without
//   `view`, sent whenever they change locally; the other window adopts them.
// plus `hello` (a window opened: tell me your state) and `status` (the audience's live model).
// A window remembers the last state it sent or adopted and never re-sends it, so nothing echoes.

export interface ModelSummary {
  status: string;
  name: string;
  backend: string;
  tokensPerSecond: number;
  error: string;
}

export type SyncMessage =
  | { type: 'hello'; from: string }
  | { type: 'state'; from: string; query: string }
  | { type: 'step'; from: string; dir: 1 | -1; at: number }
  | { type: 'status'; from: string; model: ModelSummary };

export type SyncRole = 'audience' | 'presenter';

export function channelName(slug: string): string {
  return `llama-lab:slides:${slug}`;
}

/** The settings part of a page query: everything but `view` (each window has its own). */
export function syncQuery(query: string): string {
  const p = new URLSearchParams(query);
  p.delete('view');
  p.sort();
  return p.toString();
}

function isMessage(m: unknown): m is SyncMessage {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  if (typeof r.from !== 'string') return false;
  switch (r.type) {
    case 'hello':
      return true;
    case 'state':
      return typeof r.query === 'string' && r.query.length <= 16_384;
    case 'step':
      return (r.dir === 1 || r.dir === -1) && Number.isInteger(r.at);
    case 'status':
      return typeof r.model === 'object' && r.model !== null;
    default:
      return false;
  }
}

export interface SyncHandlers {
  /** Adopt another window's settings (a query without `view`). */
  applyState: (query: string) => void;
  /** Take the same step as the other window, which was on slide `at`. */
  applyStep: (dir: 1 | -1, at: number) => void;
  /** The settings to announce now (a query without `view`). */
  currentState: () => string;
  onStatus?: (model: ModelSummary) => void;
  /** The audience answers a `hello` with its model's status too. */
  currentStatus?: () => ModelSummary | null;
}

export class SlideSync {
  readonly id = Math.random().toString(36).slice(2);
  #channel: BroadcastChannel | null;
  #last = '';
  #handlers: SyncHandlers;

  constructor(slug: string, handlers: SyncHandlers) {
    this.#handlers = handlers;
    this.#channel =
      typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(channelName(slug));
    this.#last = handlers.currentState();
    this.#channel?.addEventListener('message', (e: MessageEvent) => this.#receive(e.data));
  }

  get available(): boolean {
    return this.#channel !== null;
  }

  #post(m: SyncMessage): void {
    this.#channel?.postMessage(m);
  }

  #receive(data: unknown): void {
    if (!isMessage(data) || data.from === this.id) return;
    switch (data.type) {
      case 'hello':
        this.#post({ type: 'state', from: this.id, query: this.#handlers.currentState() });
        {
          const s = this.#handlers.currentStatus?.();
          if (s) this.#post({ type: 'status', from: this.id, model: s });
        }
        break;
      case 'state':
        if (data.query !== this.#handlers.currentState()) this.#handlers.applyState(data.query);
        this.#last = this.#handlers.currentState();
        break;
      case 'step':
        this.#handlers.applyStep(data.dir, data.at);
        this.#last = this.#handlers.currentState();
        break;
      case 'status':
        this.#handlers.onStatus?.(data.model);
        break;
    }
  }

  /** Ask the other window for its state (a presenter window just opened). */
  hello(): void {
    this.#post({ type: 'hello', from: this.id });
  }

  /** Tell the other window about a local next/previous press taken on slide `at`. */
  step(dir: 1 | -1, at: number): void {
    this.#post({ type: 'step', from: this.id, dir, at });
  }

  /** Call when the local settings may have changed: sends them unless the other side has them. */
  stateChanged(): void {
    const q = this.#handlers.currentState();
    if (q === this.#last) return;
    this.#last = q;
    this.#post({ type: 'state', from: this.id, query: q });
  }

  status(model: ModelSummary): void {
    this.#post({ type: 'status', from: this.id, model });
  }

  close(): void {
    this.#channel?.close();
    this.#channel = null;
  }
}
