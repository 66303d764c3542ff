// Prompt/response pairs as rows of a training batch, and text as token ids the way the trainer's
// corpus was encoded (BOS, then the text's pieces with no dummy prefix: data.ts).
//
// Row of T positions for prompt ids p (BOS first) and response ids y:
//   inputs  = [p_0 .. p_{P-1}, y_0 .. y_{R-2}, 0 ...]
//   targets = [-1 .. -1, y_0, .. y_{R-1}, -1 ...]      (target of position P-1 is y_0)
// so the loss falls on the response only: the prompt and the padding carry target -1. With
// `maskPrompt` false the prompt's own next tokens count too (plain language-model loss).

import { BOS, CorpusEncoder, type Vocab } from '../bpe.ts';
import { TrainError } from '../errors.ts';

export interface Example {
  /** Prompt ids, BOS first. */
  prompt: readonly number[];
  /** Response ids (at least one). */
  response: readonly number[];
}

/** Fill row `row` of inputs/targets (T each); returns the number of response targets kept. */
export function packExample(
  ex: Example,
  T: number,
  row: number,
  inputs: Int32Array,
  targets: Int32Array,
  maskPrompt = true,
): number {
  const P = ex.prompt.length;
  if (P < 1) throw new Error('a prompt holds at least BOS');
  if (P >= T) throw new TrainError('post_prompt_too_long', { tokens: P, positions: T });
  const seq = [...ex.prompt, ...ex.response];
  const o = row * T;
  let kept = 0;
  for (let t = 0; t < T; t++) {
    const hasNext = t + 1 < seq.length;
    inputs[o + t] = t < seq.length ? seq[t] : 0;
    if (!hasNext) targets[o + t] = -1;
    else if (t + 1 < P) targets[o + t] = maskPrompt ? -1 : seq[t + 1];
    else {
      targets[o + t] = seq[t + 1];
      kept++;
    }
  }
  return kept;
}

/** Pieces of a tokenizer as text (byte-fallback ids 3..258 are matched by id, not by text). */
export function vocabOf(pieces: readonly Uint8Array[], scores: ArrayLike<number>): Vocab {
  const dec = new TextDecoder('utf-8');
  return { pieces: pieces.map((p) => dec.decode(p)), scores: Array.from(scores) };
}

/** Encodes prompts and responses as the training corpus was: BOS + pieces, no dummy prefix. */
export class TextCodec {
  private readonly enc: CorpusEncoder;
  constructor(vocab: Vocab) {
    this.enc = new CorpusEncoder(vocab);
  }
  prompt(text: string): number[] {
    return [BOS, ...this.enc.encode(text)];
  }
  response(text: string): number[] {
    return Array.from(this.enc.encode(text));
  }
}
