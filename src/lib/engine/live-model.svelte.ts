// The page's handle on the engine worker: reactive status for the UI, and the async calls the
// chapters make. One LiveModel is shared by every page of the notebook (getLiveModel), so the
// model loads once and a reader's own checkpoint stays loaded while they move between chapters.
import * as Comlink from 'comlink';
import { SettingsError } from '../../engine/errors.ts';
import type { Knobs } from '../../engine/types.ts';
import type { ModelPort, ModelStatus } from '../model-port.ts';
import type {
  BackendPreference,
  BackendStatus,
  DraftInfo,
  EngineApi,
  Evaluation,
  GenerateEvent,
  GenerateRequest,
  GenerateResult,
  ModelInfo,
  ModelSource,
  PredictOptions,
  Prediction,
  SpeculateRequest,
  SpeculateResult,
  SpeculateRound,
  SampleBatchRequest,
  SampleBatchResult,
} from './protocol.ts';
import { exposeLiveModel } from './page-test-hooks.ts';
import { errorString } from '../i18n/error-text.ts';

/** localStorage key of the engine setting. */
export const ENGINE_KEY = 'llama-lab:engine';

function storedPreference(): BackendPreference {
  try {
    const v = localStorage.getItem(ENGINE_KEY);
    return v === 'cpu' || v === 'webgpu' || v === 'auto' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

/** In the reader's language (an engine error by its code; another one in English, after a lead-in). */
function message(err: unknown): string {
  return errorString(err);
}

export class LiveModel implements ModelPort {
  status = $state<ModelStatus>('idle');
  error = $state('');
  info = $state.raw<ModelInfo | null>(null);
  knobs = $state.raw<Knobs | null>(null);
  backend = $state.raw<BackendStatus | null>(null);
  tokensPerSecond = $state(0);
  preference = $state<BackendPreference>('auto');
  /** The formula the worker holds for activation 'custom' (null: none). */
  customFormula = $state<string | null>(null);

  #worker: Worker | null = null;
  #loadsStarted = 0;
  #loadApplied = 0;
  #api: Comlink.Remote<EngineApi> | null = null;

  /**
   * `api` replaces the engine worker (unit tests drive LiveModel through a scripted EngineApi);
   * without it the worker starts on first use.
   */
  constructor(preference: BackendPreference = storedPreference(), api?: Comlink.Remote<EngineApi>) {
    this.preference = preference;
    this.#api = api ?? null;
  }

  #remote(): Comlink.Remote<EngineApi> {
    if (!this.#api) {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a module URL, not state
      this.#worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
      this.#worker.addEventListener('error', (e) => {
        this.status = 'error';
        this.error = `the model worker failed: ${e.message || 'unknown error'}`;
      });
      this.#api = Comlink.wrap<EngineApi>(this.#worker);
    }
    return this.#api;
  }

  async load(source: ModelSource): Promise<void> {
    // Loads can overlap (a file dropped while the built-in model still loads): the newest one
    // that succeeds stays, and an older one finishing later changes nothing.
    const generation = ++this.#loadsStarted;
    this.status = 'loading';
    this.error = '';
    try {
      const files =
        source.kind === 'files'
          ? Comlink.transfer(source, [source.model, source.tokenizer])
          : source;
      const info = await this.#remote().load(files, this.preference);
      if (generation < this.#loadApplied) return;
      this.#loadApplied = generation;
      this.info = info;
      this.knobs = info.defaultKnobs;
      this.backend = info.backend;
      this.status = 'ready';
    } catch (err) {
      if (generation < this.#loadApplied) return; // superseded by a newer load
      // A bad file loses nothing: the previous model (if any) stays loaded in the worker.
      this.error = message(err);
      this.status = this.info ? 'ready' : 'error';
      throw err;
    }
  }

  /** The reader's engine setting (auto, WebGPU, CPU): remembered in this browser. */
  async setBackend(preference: BackendPreference): Promise<void> {
    this.preference = preference;
    try {
      localStorage.setItem(ENGINE_KEY, preference);
    } catch {
      // storage can be unavailable (private mode, file://): the setting then lasts this visit
    }
    if (!this.info) return;
    await this.#remote().setBackend(preference);
    await this.#syncBackend();
  }

  async setKnobs(partial: Partial<Knobs>): Promise<void> {
    const base = this.knobs ?? this.info?.defaultKnobs;
    if (!base) throw new SettingsError('host_no_model', {});
    const next = { ...base, ...partial };
    await this.#remote().setKnobs(next);
    this.knobs = next;
    // 'custom' moves the model to the CPU engine (and back): show the backend actually running.
    if (next.activation === 'custom' || base.activation === 'custom') await this.#syncBackend();
  }

  /**
   * The formula behind activation 'custom', compiled in the worker (src/lib/formula). Rejects
   * with the reader-facing reason when the formula is refused; the previous one stays in force.
   */
  async setCustomActivation(formula: string | null): Promise<void> {
    await this.#remote().setCustomActivation(formula);
    this.customFormula = formula;
  }

  async #syncBackend(): Promise<void> {
    const backend = await this.#remote().backendStatus();
    const same = (a: BackendStatus | null | undefined) =>
      a?.kind === backend.kind && a.reason === backend.reason;
    // Replace state only on a real change: pages react to `info`, and a new object would re-run them.
    if (!same(this.backend)) this.backend = backend;
    if (this.info && !same(this.info.backend)) this.info = { ...this.info, backend };
  }

  async resetKnobs(): Promise<void> {
    if (this.info) await this.setKnobs(this.info.defaultKnobs);
  }

  predict(prompt: string, options: PredictOptions): Promise<Prediction> {
    return this.#remote().predict(prompt, options);
  }

  async generate(
    request: GenerateRequest,
    onEvent?: (e: GenerateEvent) => void,
  ): Promise<GenerateResult> {
    const result = await this.#remote().generate(
      request,
      Comlink.proxy((e: GenerateEvent) => {
        this.tokensPerSecond = e.tokensPerSecond;
        onEvent?.(e);
      }),
    );
    this.tokensPerSecond = result.tokensPerSecond;
    // The backend can change under a generation (a lost GPU device): the status line shows
    // `info.backend`, so update both, as #syncBackend does.
    this.backend = result.backend;
    const b = this.info?.backend;
    if (this.info && (b?.kind !== result.backend.kind || b?.reason !== result.backend.reason)) {
      this.info = { ...this.info, backend: result.backend };
    }
    return result;
  }

  /** Load a built-in model as the speculative-decoding draft beside the main one. */
  loadDraft(name: string): Promise<DraftInfo> {
    return this.#remote().loadDraft(name);
  }

  draftLogits(prompt: string): Promise<Float32Array> {
    return this.#remote().draftLogits(prompt);
  }

  speculate(
    request: SpeculateRequest,
    onRound?: (r: SpeculateRound) => void,
  ): Promise<SpeculateResult> {
    return this.#remote().speculate(
      request,
      Comlink.proxy((r: SpeculateRound) => onRound?.(r)),
    );
  }

  cancel(): void {
    void this.#api?.cancel();
  }

  evaluate(text: string): Promise<Evaluation> {
    return this.#remote().evaluate(text);
  }

  sampleBatch(request: SampleBatchRequest): Promise<SampleBatchResult> {
    return this.#remote().sampleBatch(request);
  }

  /** The engine worker's API, started on first use (the e2e build's test hooks reach it here). */
  engine(): Comlink.Remote<EngineApi> {
    return this.#remote();
  }

  async refreshBackend(): Promise<void> {
    if (this.#api && this.info) this.backend = await this.#api.backendStatus();
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#api = null;
  }
}

let shared: LiveModel | null = null;

/** The notebook's one live model. */
export function getLiveModel(): LiveModel {
  if (!shared) {
    shared = new LiveModel();
    // The end-to-end build reaches it as globalThis.__llamaLab; the production build has no hooks.
    if (import.meta.env.MODE === 'e2e') exposeLiveModel(shared);
  }
  return shared;
}
