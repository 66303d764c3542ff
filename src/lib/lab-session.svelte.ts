// One page's conversation with the live model. Controls describe what they want (knob overrides,
// the custom activation's formula, prompt, sampler, trace taps); the session coalesces bursts (a
// slider drag sends many requests, only the latest runs next), then predicts, evaluates held-out
// perplexity and generates text. The slow parts (perplexity, generation) wait while the reader
// holds a control (`hold` on pointer down, `release` on pointer up): an event, not a timer, so a
// drag keeps the worker free for the next prediction and the last value is always shown.
// Results are `$state.raw`: big arrays replaced whole, never deep-proxied.
//
// After each prediction is on screen the session bumps `seq`, sets <html data-lab-seq> and a
// performance mark `lab-updated-<seq>`: the UI benchmark times knob change -> updated figures
// with it.
import { tick } from 'svelte';
import type { Knobs, SamplerSettings } from '../engine/types.ts';
import type { Evaluation, GenerateResult, Prediction, TokenView } from './engine/protocol.ts';
import type { ModelPort } from './model-port.ts';
import { errorString } from './i18n/error-text.ts';

export interface LabRequest {
  /** Knobs the reader changed; everything else stays as trained. */
  knobs: Partial<Knobs>;
  prompt: string;
  sampler: SamplerSettings;
  steps: number;
  /** Regenerate text after every change (chapters) or only on demand (playground). */
  autoGenerate: boolean;
  /** Held-out text to score (perplexity) after every change; '' = skip. */
  heldOut: string;
  /** The formula behind activation 'custom' (sent to the worker before the knobs that use it). */
  formula?: string;
}

function requestKey(r: LabRequest, taps: readonly string[]): string {
  return JSON.stringify({ ...r, sampler: { ...r.sampler, seed: r.sampler.seed.toString() }, taps });
}

/** Completed updates across every session of the tab: monotonic, so tests and the benchmark can wait for "the next one". */
let updatesInTab = 0;

/** In the reader's language (an engine error by its code; another one in English, after a lead-in). */
function message(e: unknown): string {
  return errorString(e);
}

export class LabSession {
  readonly model: ModelPort;
  prediction = $state.raw<Prediction | null>(null);
  evaluation = $state.raw<Evaluation | null>(null);
  /** Perplexity of the unmodified model on the same text, for comparison. */
  baseline = $state.raw<Evaluation | null>(null);
  generation = $state.raw<GenerateResult | null>(null);
  /** Tokens of the generation in progress (prompt excluded). */
  streaming = $state.raw<TokenView[]>([]);
  generating = $state(false);
  busy = $state(false);
  error = $state('');
  seq = $state(0);

  // Plain Map on purpose: tap requests are bookkeeping, not something the UI renders.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #taps = new Map<string, readonly string[]>();
  #last: LabRequest | null = null;
  #lastKey = '';
  #pending: LabRequest | null = null;
  #running = false;
  #baselineFor = '';
  #autoGenerating = false;
  #formulaSent: string | null = null;
  /** True while the reader holds a control (a slider drag): the slow parts wait. */
  #held = false;
  /** The request whose slow parts wait for `release`. */
  #slowWaiting: LabRequest | null = null;

  constructor(model: ModelPort) {
    this.model = model;
  }

  /** Every tap any component on the page asked for, de-duplicated. */
  get taps(): string[] {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    return [...new Set([...this.#taps.values()].flat())];
  }

  /** A component asks for trace taps; returns the function that withdraws the request. */
  want(owner: string, taps: readonly string[]): () => void {
    const before = this.#taps.get(owner);
    this.#taps.set(owner, taps);
    const changed =
      !before || before.length !== taps.length || before.some((t, i) => t !== taps[i]);
    if (changed && this.#last) this.request(this.#last, true);
    return () => {
      this.#taps.delete(owner);
    };
  }

  /**
   * Record the taps an owner needs without running anything (the lab does this right before its
   * own request, so taps and settings go out together). `forget` withdraws them.
   */
  declareTaps(owner: string, taps: readonly string[]): void {
    this.#taps.set(owner, taps);
  }

  forget(owner: string): void {
    this.#taps.delete(owner);
  }

  /** Ask for a run with these settings. Identical consecutive requests are ignored. */
  request(req: LabRequest, force = false): void {
    const key = `${this.model.info?.name ?? ''}|${requestKey(req, this.taps)}`;
    if (!force && key === this.#lastKey) return;
    this.#lastKey = key;
    performance.mark('lab-request');
    this.#last = req;
    this.#pending = req;
    // A text being generated for older settings is stale: stop it so the new settings run now.
    if (this.#autoGenerating) this.model.cancel();
    if (!this.#running) void this.#loop();
  }

  /** The reader grabbed a control (pointer down): hold back perplexity and generation. */
  hold(): void {
    this.#held = true;
  }

  /** The reader let go: run the slow parts of the last prediction if they were held back. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    const req = this.#slowWaiting;
    this.#slowWaiting = null;
    if (req && !this.#pending && !this.#running) void this.#loop(() => this.#slow(req));
  }

  /** Run the last request again (after the model changed, or on "try again"). */
  refresh(): void {
    if (this.#last) this.request(this.#last, true);
  }

  async #loop(first?: () => Promise<void>): Promise<void> {
    this.#running = true;
    this.busy = true;
    try {
      if (first) {
        try {
          await first();
          this.error = '';
        } catch (e) {
          this.error = message(e);
        }
      }
      while (this.#pending) {
        const req = this.#pending;
        this.#pending = null;
        if (this.model.status !== 'ready') {
          // Not loaded yet: forget the key so the same request runs once the model is ready.
          this.#lastKey = '';
          break;
        }
        try {
          await this.#run(req);
          this.error = '';
        } catch (e) {
          this.error = message(e);
        }
      }
    } finally {
      this.#running = false;
      this.busy = false;
    }
  }

  async #run(req: LabRequest): Promise<void> {
    const info = this.model.info;
    if (!info) return;
    const taps = this.taps;
    if (req.heldOut && this.#baselineFor !== `${info.name}|${req.heldOut}`) {
      await this.model.setKnobs({ ...info.defaultKnobs });
      this.baseline = await this.model.evaluate(req.heldOut);
      this.#baselineFor = `${info.name}|${req.heldOut}`;
    }
    // Knobs and prediction go out back to back: the worker handles messages in order, so the
    // prediction sees the new knobs without a round trip in between (the main thread may be busy
    // redrawing figures meanwhile). A custom activation may make the worker switch backends
    // first, so that case waits.
    const knobs = { ...info.defaultKnobs, ...req.knobs };
    if (knobs.activation === 'custom' && req.formula !== undefined) {
      if (req.formula !== this.#formulaSent) {
        this.#formulaSent = null;
        await this.model.setCustomActivation(req.formula);
        this.#formulaSent = req.formula;
      }
    }
    const knobsSet = this.model.setKnobs(knobs);
    if (knobs.activation === 'custom') await knobsSet;
    const predicted = this.model.predict(req.prompt, { trace: taps, topN: 10, logits: true });
    predicted.catch(() => {}); // if the knobs were refused, that error is the one to report
    await knobsSet;
    performance.mark('lab-knobs-set');
    const prediction = await predicted;
    // For the UI benchmark's breakdown: worker time ends here, rendering starts.
    performance.mark('lab-predicted', { detail: { workerMs: prediction.ms } });
    this.prediction = prediction;
    this.seq += 1;
    updatesInTab += 1;
    await tick();
    if (typeof document !== 'undefined')
      document.documentElement.dataset.labSeq = String(updatesInTab);
    performance.mark(`lab-updated-${updatesInTab}`);
    if (this.#pending) return; // a newer request is waiting: skip the slow parts
    // While the reader holds a control, the slow parts wait for `release`: the worker stays
    // free for the next prediction of the drag.
    if (this.#held) {
      this.#slowWaiting = req;
      return;
    }
    await this.#slow(req);
  }

  /** Held-out perplexity, then the auto-generated text, unless a newer request arrives. */
  async #slow(req: LabRequest): Promise<void> {
    if (req.heldOut) {
      this.evaluation = await this.model.evaluate(req.heldOut);
      if (this.#pending) return;
    } else {
      this.evaluation = null;
    }
    if (req.autoGenerate) {
      this.#autoGenerating = true;
      try {
        await this.#generate(req);
      } finally {
        this.#autoGenerating = false;
      }
    }
  }

  async #generate(req: LabRequest): Promise<void> {
    this.generating = true;
    this.streaming = [];
    const acc: TokenView[] = [];
    try {
      this.generation = await this.model.generate(
        { prompt: req.prompt, steps: req.steps, sampler: req.sampler },
        (e) => {
          acc.push(e.token);
          // Show progress every few tokens, not every one: fewer re-renders while decoding.
          if (acc.length % 4 === 0) this.streaming = [...acc];
        },
      );
      this.streaming = [];
    } finally {
      this.generating = false;
    }
  }

  /** Generate now with the last settings (the playground's button). */
  async generateNow(req: LabRequest): Promise<void> {
    if (this.model.status !== 'ready' || this.generating) return;
    try {
      await this.model.setKnobs({ ...(this.model.info?.defaultKnobs ?? {}), ...req.knobs });
      await this.#generate(req);
      this.error = '';
    } catch (e) {
      this.error = message(e);
    }
  }
}
