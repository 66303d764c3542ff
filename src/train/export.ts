// A trained model as the three llama2.c files the notebook, run.c and `npm run llama` load:
// the legacy (v0) checkpoint, the tokenizer.bin and the model.json sidecar. No file system: the
// CLI writes these bytes to disk (outputs.ts), the page keeps them in IndexedDB and offers them
// as downloads.

import { sidecarOf, writeCheckpoint } from '../engine/checkpoint-write.ts';
import { countParams } from '../engine/config.ts';
import { createCpuBackend } from '../engine/cpu/backend.ts';
import { encodePrompt, generateAll } from '../engine/generate.ts';
import { parseTokenizer, writeTokenizer, type Tokenizer } from '../engine/tokenizer.ts';
import type { Config, Model } from '../engine/types.ts';
import type { Vocab } from './bpe.ts';
import { weightsOf, type Layout } from './layout.ts';

export interface TrainedState {
  config: Config;
  layout: Layout;
  params: Float32Array;
  vocab: Vocab;
}

export interface ModelFiles {
  /** model.bin: llama2.c v0 checkpoint. */
  model: ArrayBuffer;
  /** tokenizer.bin in run.c's format. */
  tokenizer: ArrayBuffer;
  /** model.json: what the llama2.c header cannot hold (norm, ffn, activation, position, eps, base). */
  sidecar: Record<string, unknown>;
}

/** The engine's Model over a copy of the parameters. */
export function modelOf(r: TrainedState): Model {
  return {
    config: r.config,
    weights: weightsOf(r.layout, Float32Array.from(r.params)),
    fileVersion: 0,
    nParams: countParams(r.config),
  };
}

export function tokenizerOf(vocab: Vocab): Tokenizer {
  return parseTokenizer(writeTokenizer(vocab.pieces, vocab.scores), vocab.pieces.length);
}

export function modelFiles(r: TrainedState): ModelFiles {
  return {
    model: writeCheckpoint(modelOf(r), 0),
    tokenizer: writeTokenizer(r.vocab.pieces, r.vocab.scores),
    sidecar: sidecarOf(r.config) as unknown as Record<string, unknown>,
  };
}

/**
 * A sample from BOS by the inference engine's CPU backend and run.c's sampler (what the page
 * shows every few hundred steps while a model trains).
 */
export async function sampleText(
  r: TrainedState,
  tok: Tokenizer,
  opts: { steps: number; temperature: number; topP: number; seed: number },
): Promise<string> {
  const backend = createCpuBackend(modelOf(r));
  try {
    const out = await generateAll(backend, {
      promptIds: encodePrompt(tok, ''),
      steps: Math.min(opts.steps, r.config.seqLen - 1),
      sampler: { temperature: opts.temperature, topP: opts.topP, topK: 0, seed: BigInt(opts.seed) },
      tokenizer: tok,
    });
    return out.text;
  } finally {
    backend.dispose();
  }
}
