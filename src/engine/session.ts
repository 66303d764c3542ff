// A session is what a page talks to: one model, its tokenizer, the backend running it under the
// reader's knobs, and a CPU reference running it exactly as trained (for "how far did my change
// move the output?"). It turns text into the numbers the chapters show: the next-token
// distribution, its divergence from the trained model, trace taps, and held-out perplexity.
// Pure engine code: it runs in the worker and in Node tests alike.
import { klDivergence, softmax64 } from './math.ts';
import { createCpuBackend, type CpuBackend } from './cpu/backend.ts';
import { SettingsError } from './errors.ts';
import { generate, type StopReason } from './generate.ts';
import { defaultKnobs } from './knobs.ts';
import { BOS, StreamingDecoder, encode, pieceText, type Tokenizer } from './tokenizer.ts';
import type { Backend, Knobs, Model, SamplerSettings, TraceEntry, TraceRequest } from './types.ts';

export interface SessionToken {
  id: number;
  /** Text for people: byte-fallback tokens joined into UTF-8 ('' while a character is incomplete). */
  text: string;
}

export interface SessionTop extends SessionToken {
  prob: number;
}

export interface SessionPrediction {
  tokens: SessionToken[];
  top: SessionTop[];
  /** KL(trained || current) of the next-token distribution, in nats (0 with default knobs). */
  klFromTrained: number;
  /** Next-token probabilities (vocab), float64 softmax of the last row's logits. */
  distribution: Float64Array;
  /** The last position's logits (a copy). */
  logits: Float32Array;
  trace: TraceEntry[];
}

export interface SessionGenerateEvent {
  token: SessionToken;
  pos: number;
  tokensPerSecond: number;
}

/** Why a generation ended: its step count, the end-of-text token, the model's context, or a cancel. */
export type StoppedBy = 'steps' | 'bos' | 'context' | 'cancelled';

/**
 * The reader-facing reason for a run's stop: `steps` is what the run was allowed after cutting the
 * request to the positions left, `requested` what was asked.
 */
export function stoppedBy(reason: StopReason, steps: number, requested: number): StoppedBy {
  if (reason === 'aborted') return 'cancelled';
  if (reason === 'bos') return 'bos';
  return steps < requested ? 'context' : 'steps';
}

export interface SessionGeneration {
  promptTokens: SessionToken[];
  tokens: SessionToken[];
  text: string;
  tokensPerSecond: number;
  stoppedBy: StoppedBy;
}

export interface SessionEvaluation {
  nTokens: number;
  nChars: number;
  meanNll: number;
  perplexity: number;
  bitsPerChar: number;
  nllByPosition: Float32Array;
}

// Defined once in math.ts (also used by the chapters).
export { klDivergence, softmax64 } from './math.ts';

function knobsEqual(a: Knobs, b: Knobs): boolean {
  return (Object.keys(a) as (keyof Knobs)[]).every((k) => a[k] === b[k]);
}

export class Session {
  readonly model: Model;
  readonly tokenizer: Tokenizer;
  #backend: Backend;
  readonly #reference: CpuBackend;
  #referenceCache: { key: string; distribution: Float64Array } | null = null;

  /** `backend` runs under the reader's knobs; a CPU reference with default knobs is made here. */
  constructor(model: Model, tokenizer: Tokenizer, backend: Backend) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.#backend = backend;
    this.#reference = createCpuBackend(model, defaultKnobs(model.config));
  }

  get backend(): Backend {
    return this.#backend;
  }

  /** Swap the backend (e.g. after a device loss); the knobs carry over. */
  replaceBackend(next: Backend): void {
    next.setKnobs(this.#backend.getKnobs());
    this.#backend = next;
  }

  get maxPositions(): number {
    return this.#backend.maxPositions ?? this.model.config.seqLen;
  }

  setKnobs(knobs: Knobs): void {
    this.#backend.setKnobs(knobs);
  }

  /**
   * Hand the backend the function behind activation 'custom' (compiled above the engine); null
   * clears it. Only a backend with `setCustomActivation` (the CPU engine) can run one.
   */
  setCustomActivation(fn: ((x: number) => number) | null): void {
    const b = this.#backend as Backend & { setCustomActivation?: (f: typeof fn) => void };
    if (typeof b.setCustomActivation !== 'function') {
      throw new SettingsError('backend_custom_unsupported', { backend: b.kind });
    }
    b.setCustomActivation(fn);
  }

  /** Prompt ids as run.c's generate() makes them: BOS, dummy prefix, merged pieces. */
  encodePrompt(prompt: string): number[] {
    const ids = encode(this.tokenizer, prompt, true, false);
    if (ids.length > this.maxPositions) {
      throw new SettingsError('gen_prompt_too_long', {
        tokens: ids.length,
        max: this.maxPositions,
      });
    }
    return ids;
  }

  /** Token ids as readable text, one entry per token. */
  tokenViews(ids: readonly number[]): SessionToken[] {
    const dec = new StreamingDecoder(this.tokenizer);
    return ids.map((id, i) => ({
      id,
      text: i === 0 && id === BOS ? '' : dec.push(i === 0 ? BOS : ids[i - 1], id),
    }));
  }

  /** The next-token distribution after `prompt`, with trace taps and divergence from the trained model. */
  async predict(
    prompt: string,
    options: { trace?: TraceRequest; topN?: number } = {},
  ): Promise<SessionPrediction> {
    const ids = this.encodePrompt(prompt);
    const result = await this.#backend.forwardPrompt(ids, 0, { trace: options.trace });
    const distribution = softmax64(result.logits);
    const klFromTrained = knobsEqual(this.#backend.getKnobs(), defaultKnobs(this.model.config))
      ? 0
      : klDivergence(this.#trainedDistribution(ids), distribution);
    return {
      tokens: this.tokenViews(ids),
      top: this.topTokens(distribution, options.topN ?? 10),
      klFromTrained,
      distribution,
      logits: Float32Array.from(result.logits),
      trace: result.trace ? [...result.trace.values()] : [],
    };
  }

  /** The `n` most likely tokens of a distribution, most likely first (ties: lower id first). */
  topTokens(distribution: Float64Array, n: number): SessionTop[] {
    const order = Array.from(distribution.keys()).sort(
      (a, b) => distribution[b] - distribution[a] || a - b,
    );
    return order.slice(0, Math.max(0, n)).map((id) => ({
      id,
      text: pieceText(this.tokenizer, id),
      prob: distribution[id],
    }));
  }

  /**
   * Generate up to `steps` tokens after the prompt. Steps past the positions the model holds are
   * cut (stoppedBy 'context'). `onToken` returning false stops the run between tokens.
   */
  async generate(
    request: { prompt: string; steps: number; sampler: SamplerSettings },
    onToken: (event: SessionGenerateEvent) => boolean | Promise<boolean>,
  ): Promise<SessionGeneration> {
    const promptIds = this.encodePrompt(request.prompt);
    const room = this.maxPositions - promptIds.length + 1;
    const steps = Math.max(0, Math.min(request.steps, room));
    const abort = new AbortController();
    const tokens: SessionToken[] = [];
    const t0 = performance.now();
    let tokensPerSecond = 0;
    const run = generate(this.#backend, {
      promptIds,
      steps,
      sampler: request.sampler,
      tokenizer: this.tokenizer,
      signal: abort.signal,
    });
    for (;;) {
      const next = await run.next();
      if (next.done) {
        const r = next.value;
        return {
          promptTokens: this.tokenViews(promptIds),
          tokens,
          text: r.text,
          tokensPerSecond,
          stoppedBy: stoppedBy(r.stopReason, steps, request.steps),
        };
      }
      const token = { id: next.value.id, text: next.value.text };
      tokens.push(token);
      const seconds = (performance.now() - t0) / 1000;
      tokensPerSecond = seconds > 0 ? tokens.length / seconds : 0;
      const keepGoing = await onToken({ token, pos: next.value.pos, tokensPerSecond });
      if (!keepGoing) abort.abort();
    }
  }

  /**
   * Held-out quality: feed `text` (BOS first) in one prompt pass and score every next token.
   * bits/char = total NLL / ln 2 / characters predicted (the dummy-prefix space is not a character).
   */
  async evaluate(text: string): Promise<SessionEvaluation> {
    const all = encode(this.tokenizer, text, true, false);
    const ids = all.slice(0, Math.min(all.length, this.maxPositions));
    if (ids.length < 2) throw new SettingsError('gen_heldout_empty', {});
    const result = await this.#backend.forwardPrompt(ids.slice(0, -1), 0, { allLogits: true });
    const rows = result.allLogits;
    if (!rows) throw new Error('backend returned no per-row logits');
    const vocab = this.model.config.vocabSize;
    const nll = new Float32Array(ids.length - 1);
    let total = 0;
    for (let r = 0; r < ids.length - 1; r++) {
      const row = rows.subarray(r * vocab, (r + 1) * vocab);
      let max = -Infinity;
      for (let i = 0; i < vocab; i++) if (row[i] > max) max = row[i];
      let sum = 0;
      for (let i = 0; i < vocab; i++) sum += Math.exp(row[i] - max);
      const v = Math.log(sum) + max - row[ids[r + 1]];
      nll[r] = v;
      total += v;
    }
    const nChars = [
      ...this.tokenViews(ids)
        .map((t) => t.text)
        .join(''),
    ].length;
    const meanNll = total / nll.length;
    return {
      nTokens: nll.length,
      nChars,
      meanNll,
      perplexity: Math.exp(meanNll),
      bitsPerChar: total / Math.LN2 / Math.max(1, nChars),
      nllByPosition: nll,
    };
  }

  dispose(): void {
    this.#backend.dispose();
    this.#reference.dispose();
  }

  #trainedDistribution(ids: readonly number[]): Float64Array {
    const key = ids.join(',');
    if (this.#referenceCache?.key === key) return this.#referenceCache.distribution;
    const { logits } = this.#reference.forwardPromptSync(ids, 0);
    const distribution = softmax64(logits);
    this.#referenceCache = { key, distribution };
    return distribution;
  }
}
