// The engine's side of EngineApi as a class: the model, its tokenizer, the backend, the draft
// model and the reader's formula, with one call queue. worker.ts exposes one EngineHost through
// comlink; unit tests drive it in-process (directly, or through LiveModel as the ModelPort).
//
// The call queue: every call that runs the model or changes what it runs (load's install step,
// setBackend, setKnobs, setCustomActivation, predict, generate, evaluate, the draft's calls,
// speculate, sampleBatch) runs alone, in the order the calls arrived. A generation yields between
// tokens so that `cancel` (which does not queue) is heard, and a prediction sent meanwhile waits
// for the generation to end instead of refilling the KV cache under it.
import { parseCheckpoint, validateSidecar } from '../../engine/checkpoint.ts';
import { errorMessage, LlamaInputError, SettingsError } from '../../engine/errors.ts';
import { defaultKnobs } from '../../engine/knobs.ts';
import { Session, stoppedBy } from '../../engine/session.ts';
import { maxPositions } from '../../engine/generate.ts';
import { speculate } from '../../engine/speculative.ts';
import { parseTokenizer, pieceText } from '../../engine/tokenizer.ts';
import type { SwitchingBackend } from '../../engine/select.ts';
import type { Model } from '../../engine/types.ts';
import { compileFormulaOrThrow, type Activation } from '../formula/compile.ts';
import { BUILTIN_MODELS } from './builtin-models.ts';
import { makeBackend } from './backend-choice.ts';
import { runSampleBatch } from './sample-batch.ts';
import type {
  BackendPreference,
  BackendStatus,
  DraftInfo,
  EngineApi,
  GenerateEvent,
  ModelInfo,
  ModelSource,
} from './protocol.ts';

export interface SourceFiles {
  model: ArrayBuffer;
  tokenizer: ArrayBuffer;
  sidecar: unknown;
}

export interface EngineHostOptions {
  /** The bytes of a model source (default: a reader's files as given, built-ins fetched). */
  readSource?: (source: ModelSource) => Promise<SourceFiles>;
  /** Let queued messages (a cancel) run between tokens (default: a MessageChannel round trip). */
  yieldToEvents?: () => Promise<void>;
  /** A generation yields after this many ms of work (default 12). */
  yieldEveryMs?: number;
}

type Download = 'host_download_checkpoint' | 'host_download_tokenizer' | 'host_download_sidecar';

async function fetchBytes(url: string, what: Download): Promise<ArrayBuffer> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    // the browser's own words (e.g. "Failed to fetch") are the detail
    throw new LlamaInputError(what, { detail: errorMessage(err) });
  }
  if (!res.ok) throw new LlamaInputError(what, { detail: `HTTP ${res.status}` });
  return res.arrayBuffer();
}

/** A reader's files as given; a built-in model fetched from assets/models. */
export async function readSource(source: ModelSource): Promise<SourceFiles> {
  if (source.kind === 'files') {
    return { model: source.model, tokenizer: source.tokenizer, sidecar: source.sidecar };
  }
  const urls = BUILTIN_MODELS.get(source.name);
  if (!urls) {
    const known = [...BUILTIN_MODELS.keys()].join(', ') || 'none';
    throw new SettingsError('host_no_builtin', { name: source.name, known });
  }
  const [model, tokenizer, sidecarText] = await Promise.all([
    fetchBytes(urls.model, 'host_download_checkpoint'),
    fetchBytes(urls.tokenizer, 'host_download_tokenizer'),
    urls.sidecar ? fetchBytes(urls.sidecar, 'host_download_sidecar') : Promise.resolve(null),
  ]);
  const sidecar = sidecarText ? JSON.parse(new TextDecoder().decode(sidecarText)) : undefined;
  return { model, tokenizer, sidecar };
}

/** Let queued messages (a cancel) run between tokens, without setTimeout's 4 ms clamp. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

interface Draft {
  name: string;
  forModel: Model;
  backend: SwitchingBackend;
  info: DraftInfo;
}

export class EngineHost implements EngineApi {
  #session: Session | null = null;
  /** The running backend (it moves between WebGPU and the CPU engine by itself). */
  #running: SwitchingBackend | null = null;
  /** The draft model for speculative decoding, tied to the main model it was checked against. */
  #draft: Draft | null = null;
  /** The reader's formula for activation 'custom', compiled here from text (src/lib/formula). */
  #customFn: Activation | null = null;
  /** The backend the page asked for. */
  #preference: BackendPreference = 'auto';
  /** Loads started so far, and the number of the one whose model is installed. */
  #loadsStarted = 0;
  #loadInstalled = 0;
  /** Calls made so far (generate and speculate note theirs), and the last one `cancel` stops. */
  #calls = 0;
  #cancelledUpTo = 0;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #read: (source: ModelSource) => Promise<SourceFiles>;
  readonly #yield: () => Promise<void>;
  readonly #yieldEveryMs: number;

  constructor(options: EngineHostOptions = {}) {
    this.#read = options.readSource ?? readSource;
    this.#yield = options.yieldToEvents ?? yieldToEvents;
    this.#yieldEveryMs = options.yieldEveryMs ?? 12;
  }

  /** Run `job` after every call queued before it, and before any queued after it. */
  #exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job, job);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #live(): Session {
    if (!this.#session) throw new SettingsError('host_no_model', {});
    return this.#session;
  }

  #status(): BackendStatus {
    const b = this.#running;
    // (no model: nothing on the page shows this status)
    return b
      ? { kind: b.kind, reason: b.reason, why: b.why }
      : { kind: 'cpu', reason: 'no model loaded' };
  }

  #dropDraft(): void {
    this.#draft?.backend.dispose();
    this.#draft = null;
  }

  /** True once `cancel` was called after call number `call` was made. */
  #cancelled(call: number): boolean {
    return call <= this.#cancelledUpTo;
  }

  async load(source: ModelSource, prefer: BackendPreference): Promise<ModelInfo> {
    // Loads can overlap (a reader drops a file while the built-in model still downloads): the
    // most recently started load that succeeds is the one that stays. Reading, parsing and
    // starting the backend run beside other calls; installing the model waits its turn.
    const generation = ++this.#loadsStarted;
    const files = await this.#read(source);
    const sidecar = files.sidecar === undefined ? undefined : validateSidecar(files.sidecar);
    const model = parseCheckpoint(files.model, sidecar);
    const tokenizer = parseTokenizer(files.tokenizer, model.config.vocabSize);
    const knobs = defaultKnobs(model.config);
    const chosen = await makeBackend(model, prefer, knobs);
    return this.#exclusive(async () => {
      if (generation < this.#loadInstalled) {
        chosen.backend.dispose();
        throw new Error(`loading "${source.name}" was superseded by a newer model`);
      }
      this.#loadInstalled = generation;
      this.#session?.dispose();
      this.#dropDraft();
      const session = new Session(model, tokenizer, chosen.backend);
      this.#session = session;
      this.#running = chosen.backend;
      this.#preference = prefer;
      return {
        name: source.name,
        config: model.config,
        nParams: model.nParams,
        fileBytes: files.model.byteLength,
        backend: this.#status(),
        defaultKnobs: knobs,
        maxPositions: session.maxPositions,
        pieces: Array.from({ length: model.config.vocabSize }, (_, i) => pieceText(tokenizer, i)),
      };
    });
  }

  setBackend(prefer: BackendPreference): Promise<BackendStatus> {
    return this.#exclusive(async () => {
      const s = this.#live();
      this.#preference = prefer;
      this.#dropDraft(); // loaded again, on the new engine, by the next loadDraft
      // The new backend starts under the current knobs: with 'custom' on, it runs on the CPU
      // engine and tries the preferred one once 'custom' is switched off (select.ts).
      const knobs = s.backend.getKnobs();
      const chosen = await makeBackend(s.model, prefer, knobs, this.#customFn);
      const old = s.backend;
      s.replaceBackend(chosen.backend);
      this.#running = chosen.backend;
      old.dispose();
      return this.#status();
    });
  }

  setKnobs(knobs: Parameters<EngineApi['setKnobs']>[0]): Promise<void> {
    return this.#exclusive(async () => {
      const s = this.#live();
      if (knobs.activation === 'custom') {
        if (!this.#customFn) {
          throw new SettingsError('host_custom_no_formula', {});
        }
        s.setCustomActivation(this.#customFn);
      }
      // The switching backend moves to the CPU engine for 'custom' and back when it goes off.
      s.setKnobs(knobs);
      await this.#running?.settled();
    });
  }

  setCustomActivation(formula: string | null): Promise<void> {
    return this.#exclusive(async () => {
      const active = this.#session?.backend.getKnobs().activation === 'custom';
      if (formula === null) {
        if (active) throw new SettingsError('host_custom_clear', {});
        this.#customFn = null;
        return;
      }
      // Throws FormulaError with a message for the reader; the previous formula stays in force.
      const { fn } = compileFormulaOrThrow(formula);
      this.#customFn = fn;
      this.#session?.setCustomActivation(fn);
    });
  }

  predict(
    ...[prompt, options]: Parameters<EngineApi['predict']>
  ): ReturnType<EngineApi['predict']> {
    return this.#exclusive(async () => {
      const t0 = performance.now();
      const p = await this.#live().predict(prompt, options);
      return {
        tokens: p.tokens,
        top: p.top,
        klFromTrained: p.klFromTrained,
        distribution: options.fullDistribution ? Float32Array.from(p.distribution) : undefined,
        logits: options.logits ? p.logits : undefined,
        trace: p.trace,
        ms: performance.now() - t0,
      };
    });
  }

  generate(
    ...[request, onEvent]: Parameters<EngineApi['generate']>
  ): ReturnType<EngineApi['generate']> {
    const call = ++this.#calls;
    return this.#exclusive(async () => {
      const s = this.#live();
      let lastYield = performance.now();
      const result = await s.generate(request, async (event: GenerateEvent) => {
        onEvent(event);
        if (performance.now() - lastYield > this.#yieldEveryMs) {
          await this.#yield();
          lastYield = performance.now();
        }
        return !this.#cancelled(call);
      });
      return { ...result, backend: this.#status() };
    });
  }

  /** Stop the generation or speculation running now and those waiting (not later ones). */
  cancel(): void {
    this.#cancelledUpTo = this.#calls;
  }

  evaluate(text: string): ReturnType<EngineApi['evaluate']> {
    return this.#exclusive(() => this.#live().evaluate(text));
  }

  loadDraft(name: string): Promise<DraftInfo> {
    return this.#exclusive(async () => {
      const s = this.#live();
      const d = this.#draft;
      if (d?.name === name && d.forModel === s.model) return d.info;
      const files = await this.#read({ kind: 'builtin', name });
      const sidecar = files.sidecar === undefined ? undefined : validateSidecar(files.sidecar);
      const model = parseCheckpoint(files.model, sidecar);
      if (model.config.vocabSize !== s.model.config.vocabSize) {
        throw new SettingsError('host_draft_vocab', {
          name,
          draftVocab: model.config.vocabSize,
          vocab: s.model.config.vocabSize,
        });
      }
      const tok = parseTokenizer(files.tokenizer, model.config.vocabSize);
      if (tok.keys.some((k, i) => k !== s.tokenizer.keys[i])) {
        throw new SettingsError('host_draft_tokenizer', { name });
      }
      const chosen = await makeBackend(model, this.#preference, defaultKnobs(model.config));
      this.#dropDraft();
      const backend = chosen.backend;
      const info: DraftInfo = {
        name,
        config: model.config,
        nParams: model.nParams,
        backend: { kind: chosen.kind, reason: chosen.reason, why: chosen.why },
      };
      const draft: Draft = { name, forModel: s.model, backend, info };
      backend.onSwitch((e) => {
        draft.info = { ...draft.info, backend: { kind: e.to, reason: e.reason, why: e.why } };
      });
      this.#draft = draft;
      return info;
    });
  }

  #liveDraft(s: Session): Draft {
    const d = this.#draft;
    if (!d || d.forModel !== s.model) throw new SettingsError('host_no_draft', {});
    return d;
  }

  draftLogits(prompt: string): Promise<Float32Array> {
    return this.#exclusive(async () => {
      const s = this.#live();
      const draft = this.#liveDraft(s);
      const r = await draft.backend.forwardPrompt(s.encodePrompt(prompt), 0);
      return Float32Array.from(r.logits);
    });
  }

  speculate(
    ...[request, onRound]: Parameters<EngineApi['speculate']>
  ): ReturnType<EngineApi['speculate']> {
    const call = ++this.#calls;
    return this.#exclusive(async () => {
      const s = this.#live();
      const draft = this.#liveDraft(s);
      const promptIds = s.encodePrompt(request.prompt);
      const room = Math.min(s.maxPositions, maxPositions(draft.backend)) - promptIds.length + 1;
      const steps = Math.max(0, Math.min(request.steps, room));
      const abort = new AbortController();
      const view = (id: number) => ({ id, text: pieceText(s.tokenizer, id) });
      const t0 = performance.now();
      let lastYield = t0;
      const it = speculate(s.backend, draft.backend, {
        promptIds,
        steps,
        gamma: request.gamma,
        sampler: request.sampler,
        tokenizer: s.tokenizer,
        signal: abort.signal,
      });
      const tokens: { id: number; text: string }[] = [];
      for (;;) {
        const next = await it.next();
        if (next.done) {
          const r = next.value;
          return {
            tokens,
            text: r.text,
            stats: r.stats,
            ms: performance.now() - t0,
            stoppedBy: stoppedBy(r.stopReason, steps, request.steps),
            backend: this.#status(),
          };
        }
        const round = next.value;
        const added = round.ids.map(view);
        tokens.push(...added);
        onRound({
          proposals: round.proposals.map((p) => ({
            token: view(p.id),
            p: p.p,
            q: p.q,
            accepted: p.accepted,
          })),
          extra: { token: view(round.extra.id), kind: round.extra.kind },
          tokens: added,
        });
        if (performance.now() - lastYield > this.#yieldEveryMs) {
          await this.#yield();
          lastYield = performance.now();
        }
        if (this.#cancelled(call)) abort.abort();
      }
    });
  }

  sampleBatch(
    request: Parameters<EngineApi['sampleBatch']>[0],
  ): ReturnType<EngineApi['sampleBatch']> {
    return this.#exclusive(async () => runSampleBatch(this.#live(), this.#customFn, request));
  }

  async backendStatus(): Promise<BackendStatus> {
    return this.#status();
  }

  /** The backend running the loaded model (null before the first load). */
  get backend(): SwitchingBackend | null {
    return this.#running;
  }

  /** Drop the model and its backends (tests; the worker lives as long as the page). */
  dispose(): void {
    this.#session?.dispose();
    this.#session = null;
    this.#running = null;
    this.#dropDraft();
  }
}
