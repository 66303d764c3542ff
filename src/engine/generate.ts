// The generation loop of run.c's generate(), over any Backend: the prompt goes through one batched
// pass (forwardPrompt), then one forward() per generated token; the sampler picks each token;
// generation stops early when the model samples BOS (run.c's rule; EOS does not stop it).
//
// Positions: a P-token prompt fills positions 0..P-1; generated token i (0-based) sits at
// position P+i and is fed there only if another token follows, so `steps` generated tokens need
// P + steps - 1 positions (run.c counts its -n the same way: all positions, prompt included).

import { SettingsError } from './errors.ts';
import { Sampler } from './sampler.ts';
import { BOS, decode, encode, StreamingDecoder, type Tokenizer } from './tokenizer.ts';
import type { Backend, SamplerSettings } from './types.ts';

export interface GenerateOptions {
  /** Prompt token ids, BOS included (see `encodePrompt`); at least one. */
  promptIds: readonly number[];
  /** Number of tokens to generate after the prompt (fewer if BOS is sampled or aborted). */
  steps: number;
  /** Sampler settings, or a Sampler to continue (its rng state carries over). */
  sampler: SamplerSettings | Sampler;
  /** Needed for `text`/`bytes` of each token; without it they are empty. */
  tokenizer?: Tokenizer;
  /** Also yield the prompt tokens (prompt: true) before the generated ones. Default false. */
  includePrompt?: boolean;
  /** Stop between tokens when aborted (the UI's stop button). */
  signal?: AbortSignal;
}

export interface GeneratedToken {
  id: number;
  /** Position of this token in the sequence (the prompt's BOS is at 0). */
  pos: number;
  /** True for prompt tokens (only with includePrompt). */
  prompt: boolean;
  /** run.c's decode(prev, id): raw bytes (a byte-fallback token is one byte). */
  bytes: Uint8Array;
  /** Text for people: byte-fallback tokens joined into real UTF-8; '' while a character is incomplete. */
  text: string;
}

export type StopReason = 'steps' | 'bos' | 'aborted';

export interface GenerateResult {
  promptIds: number[];
  /** Generated ids (the BOS that stopped generation is not included). */
  ids: number[];
  /** Text of the generated tokens (the prompt's too with includePrompt). */
  text: string;
  stopReason: StopReason;
}

/** run.c's prompt encoding: BOS, then the text (with its dummy-prefix space), no EOS. */
export function encodePrompt(tok: Tokenizer, text: string): number[] {
  return encode(tok, text, true, false);
}

/** Positions a run needs: P prompt tokens, then steps-1 fed generated tokens. */
export function positionsNeeded(promptLength: number, steps: number): number {
  return promptLength + Math.max(steps - 1, 0);
}

/** Positions the backend's KV cache holds (a backend may hold more than seq_len, e.g. for RoPE scaling). */
export function maxPositions(backend: Backend): number {
  const m = (backend as { maxPositions?: number }).maxPositions;
  return typeof m === 'number' && m > 0 ? m : backend.config.seqLen;
}

function check(backend: Backend, opts: GenerateOptions): void {
  const { vocabSize, seqLen } = backend.config;
  const p = opts.promptIds;
  if (p.length === 0) {
    throw new SettingsError('gen_prompt_empty', {});
  }
  p.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new SettingsError('gen_prompt_token', { index: i, id, vocab: vocabSize });
    }
  });
  if (!Number.isInteger(opts.steps) || opts.steps < 0) {
    throw new SettingsError('gen_steps', { got: opts.steps });
  }
  const need = positionsNeeded(p.length, opts.steps);
  const max = maxPositions(backend);
  if (need > max) {
    const params = {
      prompt: p.length,
      steps: opts.steps,
      need,
      most: Math.max(max - p.length + 1, 0),
    };
    throw max === seqLen
      ? new SettingsError('gen_positions_seq_len', { ...params, seqLen })
      : new SettingsError('gen_positions_backend', { ...params, max });
  }
}

/**
 * Generate token by token. Yields each token (prompt tokens first with includePrompt) and returns
 * the summary. Throws a SettingsError before any work on a bad prompt, steps or sampler settings.
 */
export async function* generate(
  backend: Backend,
  opts: GenerateOptions,
): AsyncGenerator<GeneratedToken, GenerateResult, void> {
  check(backend, opts);
  const sampler =
    opts.sampler instanceof Sampler
      ? opts.sampler
      : new Sampler(backend.config.vocabSize, opts.sampler);
  if (sampler.vocabSize !== backend.config.vocabSize) {
    throw new SettingsError('gen_sampler_vocab', {
      sampler: sampler.vocabSize,
      model: backend.config.vocabSize,
    });
  }
  const tok = opts.tokenizer;
  const stream = tok ? new StreamingDecoder(tok) : null;
  const piece = (prev: number, id: number) => ({
    bytes: tok ? decode(tok, prev, id) : new Uint8Array(0),
    text: stream ? stream.push(prev, id) : '',
  });
  const promptIds = [...opts.promptIds];
  const ids: number[] = [];
  let text = '';
  const result = (stopReason: StopReason): GenerateResult => {
    const rest = stream ? stream.flush() : '';
    text += rest;
    return { promptIds, ids, text, stopReason };
  };

  if (opts.includePrompt) {
    for (let i = 1; i < promptIds.length; i++) {
      const t = {
        id: promptIds[i],
        pos: i,
        prompt: true,
        ...piece(promptIds[i - 1], promptIds[i]),
      };
      text += t.text;
      yield t;
    }
  }
  if (opts.steps === 0) return result('steps');
  if (opts.signal?.aborted) return result('aborted');

  let logits = (await backend.forwardPrompt(promptIds, 0)).logits;
  let prev = promptIds[promptIds.length - 1];
  for (let i = 0; i < opts.steps; i++) {
    const pos = promptIds.length + i;
    const id = sampler.sample(logits);
    if (id === BOS) return result('bos');
    ids.push(id);
    const t = { id, pos, prompt: false, ...piece(prev, id) };
    text += t.text;
    yield t;
    prev = id;
    if (i + 1 === opts.steps) break;
    if (opts.signal?.aborted) return result('aborted');
    logits = (await backend.forward(id, pos)).logits;
  }
  return result('steps');
}

/** Run `generate` to the end, calling `onToken` for each token; returns the summary. */
export async function generateAll(
  backend: Backend,
  opts: GenerateOptions,
  onToken?: (t: GeneratedToken) => void,
): Promise<GenerateResult> {
  const it = generate(backend, opts);
  for (;;) {
    const r = await it.next();
    if (r.done) return r.value;
    onToken?.(r.value);
  }
}
