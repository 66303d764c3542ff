// Writes chapters/06-decoding/unigram.json: how often each token of the main model's tokenizer
// occurs in the training part of assets/data/tinyshakespeare.txt (the trainer's split and
// encoder). Chapter 6 uses it as a proposal distribution; a unit test recomputes it.
//   npx tsx scripts/unigram-counts.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { parseTokenizer, pieceText } from '../src/engine/tokenizer.ts';
import { CorpusEncoder } from '../src/train/bpe.ts';
import { splitText } from '../src/train/data.ts';

export function unigramCounts(
  corpus: string,
  tokenizerBin: Uint8Array,
  vocabSize: number,
): number[] {
  const tok = parseTokenizer(tokenizerBin, vocabSize);
  const vocab = {
    pieces: tok.keys.map((k) => Buffer.from(k, 'latin1').toString('utf8')),
    scores: Array.from(tok.scores),
  };
  const ids = new CorpusEncoder(vocab).encode(splitText(corpus).train);
  const counts = new Array<number>(vocabSize).fill(0);
  for (const id of ids) counts[id]++;
  return counts;
}

if (process.argv[1]?.endsWith('unigram-counts.ts')) {
  const counts = unigramCounts(
    readFileSync('assets/data/tinyshakespeare.txt', 'utf8'),
    readFileSync('assets/models/main/tokenizer.bin'),
    512,
  );
  const tok = parseTokenizer(readFileSync('assets/models/main/tokenizer.bin'), 512);
  const out = {
    tokenizer: 'assets/models/main/tokenizer.bin',
    text: 'tinyshakespeare.txt, training part',
    // the pieces, so the page can tell whether the loaded model has this tokenizer
    pieces: Array.from({ length: 512 }, (_, i) => pieceText(tok, i)),
    counts,
  };
  writeFileSync('chapters/06-decoding/unigram.json', JSON.stringify(out) + '\n');
  console.log(
    `wrote chapters/06-decoding/unigram.json: ${counts.reduce((a, b) => a + b, 0)} tokens`,
  );
}
