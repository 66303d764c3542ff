// Trains the live tokenizer figure's BPE (src/train/bpe.ts, the trainer's own tokenizer) off the
// main thread, and measures characters per token on the text it learned from.
import { trainBpe } from '$train/bpe.ts';
import { charsPerToken } from '../tokenizer.ts';

self.onmessage = (e: MessageEvent<{ text: string; vocabSize: number }>) => {
  try {
    const t0 = performance.now();
    const vocab = trainBpe(e.data.text, { vocabSize: e.data.vocabSize });
    const ms = performance.now() - t0;
    self.postMessage({ ok: true, vocab, ms, charsPerToken: charsPerToken(vocab, e.data.text) });
  } catch (err) {
    self.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
