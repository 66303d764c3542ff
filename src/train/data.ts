// Training data: the text is split by characters into training (first 90%) and validation (last
// 10%) parts, each tokenized on its own. Training sequences start at a line start (so the model
// learns that BOS begins a line, the way prompts begin), are prefixed with BOS and hold T targets:
//   inputs  = [BOS, tok[i], ..., tok[i+T-2]]      targets = [tok[i], ..., tok[i+T-1]]
// Validation is scored on consecutive windows of T tokens, each with the same BOS prefix, so
// every validation token is predicted exactly once.

import { BOS, CorpusEncoder, type Vocab } from './bpe.ts';
import type { Rng } from './rng.ts';
import { TrainError } from './errors.ts';

export interface Split {
  train: string;
  val: string;
}

/** Split at 90% of the characters (code points); the last 10% is the validation text. */
export function splitText(text: string): Split {
  const cps = Array.from(text);
  const cut = Math.floor(cps.length * 0.9);
  return { train: cps.slice(0, cut).join(''), val: cps.slice(cut).join('') };
}

export class Dataset {
  readonly trainTokens: Int32Array;
  readonly valTokens: Int32Array;
  /** Number of characters (code points) of the validation text, for bits per character. */
  readonly valChars: number;
  readonly trainChars: number;
  private readonly starts: Int32Array;
  readonly T: number;

  constructor(split: Split, vocab: Vocab, T: number) {
    const enc = new CorpusEncoder(vocab);
    this.trainTokens = enc.encode(split.train);
    this.valTokens = enc.encode(split.val);
    this.valChars = Array.from(split.val).length;
    this.trainChars = Array.from(split.train).length;
    this.T = T;
    if (this.trainTokens.length < T + 1) {
      throw new TrainError('train_text_too_short', { tokens: this.trainTokens.length, seqLen: T });
    }
    if (this.valTokens.length < 1) throw new TrainError('train_val_empty', {});
    const starts: number[] = [];
    const last = this.trainTokens.length - T;
    for (let i = 0; i <= last; i++) {
      if (i === 0 || vocab.pieces[this.trainTokens[i - 1]].endsWith('\n')) starts.push(i);
    }
    // A text without line breaks still trains: fall back to every position.
    this.starts =
      starts.length >= 16
        ? Int32Array.from(starts)
        : Int32Array.from({ length: last + 1 }, (_, i) => i);
  }

  /** Fill B sequences (inputs, targets: B*T each) from random line starts. */
  sample(rng: Rng, B: number, inputs: Int32Array, targets: Int32Array): void {
    const T = this.T;
    for (let b = 0; b < B; b++) {
      const s = this.starts[rng.int(this.starts.length)];
      inputs[b * T] = BOS;
      for (let t = 0; t < T; t++) {
        const tok = this.trainTokens[s + t];
        targets[b * T + t] = tok;
        if (t + 1 < T) inputs[b * T + t + 1] = tok;
      }
    }
  }

  get valWindows(): number {
    return Math.ceil(this.valTokens.length / this.T);
  }

  /**
   * Fill window w of the validation set into row `row` of inputs/targets; positions past the end
   * of the text get target -1 (ignored). Returns the number of real targets.
   */
  valWindow(w: number, row: number, inputs: Int32Array, targets: Int32Array): number {
    const T = this.T;
    const start = w * T;
    const n = Math.max(0, Math.min(T, this.valTokens.length - start));
    inputs[row * T] = BOS;
    for (let t = 0; t < T; t++) {
      const tok = t < n ? this.valTokens[start + t] : -1;
      targets[row * T + t] = tok;
      if (t + 1 < T) inputs[row * T + t + 1] = tok < 0 ? 0 : tok;
    }
    return n;
  }
}
