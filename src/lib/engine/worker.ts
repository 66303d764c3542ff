// The engine's Web Worker: owns the model, its tokenizer and the backend, so the page never
// freezes. The page calls it through comlink with the typed EngineApi (protocol.ts).
import * as Comlink from 'comlink';
import { parseCheckpoint, validateSidecar } from '../../engine/checkpoint.ts';
import { errorMessage } from '../../engine/errors.ts';
import { defaultKnobs } from '../../engine/knobs.ts';
import { Session } from '../../engine/session.ts';
import { maxPositions } from '../../engine/generate.ts';
import { speculate } from '../../engine/speculative.ts';
import { parseTokenizer, pieceText } from '../../engine/tokenizer.ts';
import { compileFormulaOrThrow, type Activation } from '../formula/compile.ts';
import type { Knobs, Model } from '../../engine/types.ts';
import { BUILTIN_MODELS } from './builtin-models.ts';
import { makeBackend } from './backend-choice.ts';
import { runSampleBatch } from './sample-batch.ts';
import type { SwitchingBackend } from '../../engine/select.ts';
import type {
  BackendPreference,
  BackendStatus,
  DraftInfo,
  EngineApi,
  GenerateEvent,
  ModelSource,
} from './protocol.ts';

let session: Session | null = null;
/** The running backend (it can switch itself to the CPU engine when the GPU device is lost). */
let running: SwitchingBackend | null = null;
let status: BackendStatus = { kind: 'cpu', reason: 'no model loaded' };
let cancelRequested = false;
/** The draft model for speculative decoding, tied to the main model it was checked against. */
let draft: { name: string; forModel: Model; backend: SwitchingBackend; info: DraftInfo } | null =
  null;
/** Loads started so far, and the number of the one whose model is installed. */
let loadsStarted = 0;
let loadInstalled = 0;
/** The reader's formula for activation 'custom', compiled here from text (src/lib/formula). */
let customFn: Activation | null = null;
/** The backend the page asked for; 'custom' overrides it with the CPU engine while it is on. */
let preference: BackendPreference = 'auto';
/** True while the CPU engine runs only because 'custom' is on (WebGPU cannot run a formula). */
let cpuForCustom = false;
const CUSTOM_ON_CPU = 'a custom activation formula runs on the CPU engine only';

function dropDraft(): void {
  draft?.backend.dispose();
  draft = null;
}

function live(): Session {
  if (!session) throw new Error('no model is loaded yet');
  return session;
}

async function fetchBytes(url: string, what: string): Promise<ArrayBuffer> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`could not download the ${what}: ${errorMessage(err)}`, { cause: err });
  }
  if (!res.ok) throw new Error(`could not download the ${what}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

async function readSource(
  source: ModelSource,
): Promise<{ model: ArrayBuffer; tokenizer: ArrayBuffer; sidecar: unknown }> {
  if (source.kind === 'files') {
    return { model: source.model, tokenizer: source.tokenizer, sidecar: source.sidecar };
  }
  const urls = BUILTIN_MODELS.get(source.name);
  if (!urls) {
    const known = [...BUILTIN_MODELS.keys()].join(', ') || 'none';
    throw new Error(`there is no built-in model called "${source.name}" (available: ${known})`);
  }
  const [model, tokenizer, sidecarText] = await Promise.all([
    fetchBytes(urls.model, 'checkpoint'),
    fetchBytes(urls.tokenizer, 'tokenizer'),
    urls.sidecar ? fetchBytes(urls.sidecar, 'model settings') : Promise.resolve(null),
  ]);
  const sidecar = sidecarText ? JSON.parse(new TextDecoder().decode(sidecarText)) : undefined;
  return { model, tokenizer, sidecar };
}

/** Let queued messages (a cancel) run between tokens, without setTimeout's 4 ms clamp. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

async function switchBackend(model: Model, prefer: BackendPreference, knobs: Knobs): Promise<void> {
  const chosen = await makeBackend(model, prefer, knobs, (next, reason) => {
    // Device lost mid-session: the wrapper already continues on CPU; record why.
    status = { kind: next, reason };
  });
  status = { kind: chosen.kind, reason: chosen.reason };
  if (!session) throw new Error('internal: switchBackend before a session exists');
  const old = session.backend;
  session.replaceBackend(chosen.backend);
  running = chosen.backend;
  old.dispose();
}

const api: EngineApi = {
  async load(source, prefer) {
    // Loads can overlap (a reader drops a file while the built-in model still downloads): the
    // most recently started load that succeeds is the one that stays.
    const generation = ++loadsStarted;
    const files = await readSource(source);
    const sidecar = files.sidecar === undefined ? undefined : validateSidecar(files.sidecar);
    const model = parseCheckpoint(files.model, sidecar);
    const tokenizer = parseTokenizer(files.tokenizer, model.config.vocabSize);
    const knobs = defaultKnobs(model.config);
    const chosen = await makeBackend(model, prefer, knobs, (next, reason) => {
      status = { kind: next, reason };
    });
    if (generation < loadInstalled) {
      chosen.backend.dispose();
      throw new Error(`loading "${source.name}" was superseded by a newer model`);
    }
    loadInstalled = generation;
    session?.dispose();
    dropDraft();
    session = new Session(model, tokenizer, chosen.backend);
    running = chosen.backend;
    status = { kind: chosen.kind, reason: chosen.reason };
    preference = prefer;
    cpuForCustom = false;
    return {
      name: source.name,
      config: model.config,
      nParams: model.nParams,
      fileBytes: files.model.byteLength,
      backend: status,
      defaultKnobs: knobs,
      maxPositions: session.maxPositions,
      pieces: Array.from({ length: model.config.vocabSize }, (_, i) => pieceText(tokenizer, i)),
    };
  },

  async setBackend(prefer) {
    const s = live();
    preference = prefer;
    dropDraft(); // loaded again, on the new engine, by the next loadDraft
    if (s.backend.getKnobs().activation === 'custom') {
      // Stay on the CPU engine until 'custom' is switched off, then honour the preference.
      cpuForCustom = prefer !== 'cpu';
      if (cpuForCustom) status = { kind: 'cpu', reason: CUSTOM_ON_CPU };
      return status;
    }
    await switchBackend(s.model, prefer, s.backend.getKnobs());
    return status;
  },

  async setKnobs(knobs) {
    const s = live();
    if (knobs.activation === 'custom') {
      if (!customFn) {
        throw new Error('the custom activation has no formula yet: type one in the formula cell');
      }
      // The switching backend moves itself from WebGPU to the CPU engine for a formula (its
      // onSwitch listener records why); remember to go back when 'custom' is switched off.
      if (s.backend.kind !== 'cpu') cpuForCustom = true;
      s.setCustomActivation(customFn);
    } else if (cpuForCustom) {
      // Leave 'custom' on the CPU engine first (the GPU backend cannot take it), then go back.
      s.setKnobs(knobs);
      cpuForCustom = false;
      await switchBackend(s.model, preference, knobs);
      return;
    }
    s.setKnobs(knobs);
  },

  async setCustomActivation(formula) {
    const active = session?.backend.getKnobs().activation === 'custom';
    if (formula === null) {
      if (active)
        throw new Error('switch the activation away from custom before clearing its formula');
      customFn = null;
      return;
    }
    // Throws FormulaError with a message for the reader; the previous formula stays in force.
    const { fn } = compileFormulaOrThrow(formula);
    customFn = fn;
    if (session && active) session.setCustomActivation(fn);
  },

  async predict(prompt, options) {
    const t0 = performance.now();
    const p = await live().predict(prompt, options);
    return {
      tokens: p.tokens,
      top: p.top,
      klFromTrained: p.klFromTrained,
      distribution: options.fullDistribution ? Float32Array.from(p.distribution) : undefined,
      logits: options.logits ? p.logits : undefined,
      trace: p.trace,
      ms: performance.now() - t0,
    };
  },

  async generate(request, onEvent) {
    cancelRequested = false;
    const s = live();
    let lastYield = performance.now();
    const result = await s.generate(request, async (event: GenerateEvent) => {
      onEvent(event);
      if (performance.now() - lastYield > 12) {
        await yieldToEvents();
        lastYield = performance.now();
      }
      return !cancelRequested;
    });
    return { ...result, backend: status };
  },

  cancel() {
    cancelRequested = true;
  },

  async evaluate(text) {
    return live().evaluate(text);
  },

  async loadDraft(name) {
    const s = live();
    if (draft?.name === name && draft.forModel === s.model) return draft.info;
    const files = await readSource({ kind: 'builtin', name });
    const sidecar = files.sidecar === undefined ? undefined : validateSidecar(files.sidecar);
    const model = parseCheckpoint(files.model, sidecar);
    if (model.config.vocabSize !== s.model.config.vocabSize) {
      throw new Error(
        `the draft "${name}" has a vocabulary of ${model.config.vocabSize} tokens and the loaded model ${s.model.config.vocabSize}: speculative decoding needs the same tokenizer`,
      );
    }
    const tok = parseTokenizer(files.tokenizer, model.config.vocabSize);
    if (tok.keys.some((k, i) => k !== s.tokenizer.keys[i])) {
      throw new Error(
        `the draft "${name}" has another tokenizer than the loaded model: its token ids mean other text`,
      );
    }
    const chosen = await makeBackend(
      model,
      preference,
      defaultKnobs(model.config),
      (next, reason) => {
        if (draft) draft.info = { ...draft.info, backend: { kind: next, reason } };
      },
    );
    draft?.backend.dispose();
    const info = {
      name,
      config: model.config,
      nParams: model.nParams,
      backend: { kind: chosen.kind, reason: chosen.reason },
    };
    draft = { name, forModel: s.model, backend: chosen.backend, info };
    return info;
  },

  async draftLogits(prompt) {
    const s = live();
    if (!draft || draft.forModel !== s.model) throw new Error('no draft model is loaded');
    const ids = s.encodePrompt(prompt);
    const r = await draft.backend.forwardPrompt(ids, 0);
    return Float32Array.from(r.logits);
  },

  async speculate(request, onRound) {
    cancelRequested = false;
    const s = live();
    if (!draft || draft.forModel !== s.model) throw new Error('no draft model is loaded');
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
          stoppedBy:
            r.stopReason === 'aborted'
              ? 'cancelled'
              : r.stopReason === 'bos'
                ? 'bos'
                : steps < request.steps
                  ? 'context'
                  : 'steps',
          backend: status,
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
      if (performance.now() - lastYield > 12) {
        await yieldToEvents();
        lastYield = performance.now();
      }
      if (cancelRequested) abort.abort();
    }
  },

  async sampleBatch(request) {
    return runSampleBatch(live(), customFn, request);
  },

  async backendStatus() {
    return status;
  },

  async debugLoseDevice() {
    // Test hook: destroys the GPU device as a driver reset would; the backend goes on on the CPU.
    running?.debugLoseDevice();
  },
};

Comlink.expose(api);
