// Reuse an existing tokenizer.bin as the trainer's vocabulary (`npm run train -- --tokenizer FILE`),
// so a new model (a draft for speculative decoding, say) shares token ids with an existing one.
// The trainer's data pipeline assumes the layout trainBpe produces: <unk>, BOS, EOS at 0..2,
// byte-fallback pieces <0x00>..<0xFF> at 3..258, then UTF-8 pieces; anything else is refused
// in words.

import { parseTokenizer } from '../engine/tokenizer.ts';
import { BYTE_OFFSET, type Vocab } from './bpe.ts';
import { TrainError } from './errors.ts';

/** The vocabulary held in a tokenizer.bin of `vocabSize` pieces, checked against trainBpe's layout. */
export function vocabFromTokenizerFile(data: Uint8Array, vocabSize: number): Vocab {
  const tok = parseTokenizer(data, vocabSize);
  if (tok.trailingBytes > 0) throw new TrainError('train_vocab_too_many', { vocab: vocabSize });
  const dec = new TextDecoder('utf-8', { fatal: true });
  const pieces = tok.pieces.map((b, id) => {
    try {
      return dec.decode(b);
    } catch {
      throw new TrainError('train_vocab_not_utf8', { id });
    }
  });
  for (let b = 0; b < 256; b++) {
    const want = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
    if (pieces[BYTE_OFFSET + b] !== want) {
      throw new TrainError('train_vocab_not_byte_piece', {
        id: BYTE_OFFSET + b,
        got: JSON.stringify(pieces[BYTE_OFFSET + b]),
        want,
      });
    }
  }
  if (!pieces.includes(' ')) throw new TrainError('train_vocab_no_space', {});
  if (new Set(pieces).size !== pieces.length) throw new TrainError('train_vocab_duplicate', {});
  return { pieces, scores: Array.from(tok.scores) };
}
