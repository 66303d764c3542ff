// Writes a Model back to a llama2.c checkpoint (the trainer's output) and builds empty models.
// Layouts are the ones checkpoint.ts reads; see the comment at its top.

import {
  checkpointBytes,
  checkpointLayout,
  V0_HEADER_BYTES,
  V1_HEADER_BYTES,
  V1_MAGIC,
} from './checkpoint.ts';
import { countParams, headSize, tensorSizes } from './config.ts';
import { CheckpointError } from './errors.ts';
import type { Config, Model, Weights } from './types.ts';

export { sidecarOf } from './config.ts';

/** Check every tensor has the length the config implies (writers trust nothing). */
function checkShapes(model: Model): void {
  const sizes = tensorSizes(model.config);
  for (const [name, floats] of Object.entries(sizes) as [keyof Weights, number][]) {
    const t = model.weights[name];
    if (name === 'wcls' && model.config.sharedClassifier) continue;
    if (name === 'w3' && model.config.ffn === 'mlp') {
      if (t !== null) throw new CheckpointError('an "mlp" FFN model must have w3 = null');
      continue;
    }
    if (t === null || t.length !== floats) {
      throw new CheckpointError(
        `cannot write checkpoint: tensor ${name} has ${t === null ? 'no data' : `${t.length} floats`}, the config needs ${floats}`,
      );
    }
  }
}

/**
 * Serialize a model. Version 0 is what run.c reads: 28-byte header (vocab_size negated when the
 * classifier is separate), tensors, and the 2 x seq_len*hs/2 freq_cis leftover floats holding
 * cos|sin(pos * base^(-2j/hs)) as export.py writes them (current run.c skips them). Version 1 is
 * export.py's fp32 layout with its 256-byte header. An 'mlp' FFN model has no w3 in either.
 */
export function writeCheckpoint(model: Model, version: 0 | 1 = 0): ArrayBuffer {
  checkShapes(model);
  const c = model.config;
  const out = new ArrayBuffer(checkpointBytes(c, version));
  const view = new DataView(out);
  const dims = [c.dim, c.hiddenDim, c.nLayers, c.nHeads, c.nKvHeads, c.vocabSize, c.seqLen];
  let at: number;
  if (version === 0) {
    dims[5] = c.sharedClassifier ? c.vocabSize : -c.vocabSize;
    dims.forEach((d, i) => view.setInt32(4 * i, d, true));
    at = V0_HEADER_BYTES;
  } else {
    view.setUint32(0, V1_MAGIC, true);
    view.setInt32(4, 1, true);
    dims.forEach((d, i) => view.setInt32(8 + 4 * i, d, true));
    view.setUint8(36, c.sharedClassifier ? 1 : 0);
    at = V1_HEADER_BYTES;
  }
  const floats = new Float32Array(out);
  let freqPart = 0;
  for (const entry of checkpointLayout(c, version)) {
    const start = at / 4;
    if (entry.name === null) {
      writeFreqCis(
        floats.subarray(start, start + entry.floats),
        c,
        freqPart++ === 0 ? Math.cos : Math.sin,
      );
    } else {
      floats.set(model.weights[entry.name] as Float32Array, start);
    }
    at += 4 * entry.floats;
  }
  return out;
}

/**
 * freq_cis[pos][j] = fn(pos * base^(-2j/hs)), (seq_len, hs/2), with model.py's float32 rounding
 * of each step (exponent, frequency, angle) so the values match export.py's closely.
 */
function writeFreqCis(dst: Float32Array, c: Config, fn: (x: number) => number): void {
  const f32 = Math.fround;
  const hs = headSize(c);
  const half = hs / 2;
  for (let j = 0; j < half; j++) {
    const freq = f32(1 / f32(Math.pow(c.ropeBase, f32((2 * j) / hs))));
    for (let pos = 0; pos < c.seqLen; pos++) dst[pos * half + j] = fn(f32(pos * freq));
  }
}

/**
 * A model of the given config with all weights zero, in one ArrayBuffer laid out like a v0 file's
 * body (so it can be filled in place, e.g. by the trainer, and written without surprises).
 */
export function allocateModel(config: Config): Model {
  const sizes = tensorSizes(config);
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const all = new Float32Array(total);
  let at = 0;
  const take = (n: number) => {
    const t = all.subarray(at, at + n);
    at += n;
    return t;
  };
  const tokenEmbedding = take(sizes.tokenEmbedding);
  const weights: Weights = {
    tokenEmbedding,
    rmsAtt: take(sizes.rmsAtt),
    wq: take(sizes.wq),
    wk: take(sizes.wk),
    wv: take(sizes.wv),
    wo: take(sizes.wo),
    rmsFfn: take(sizes.rmsFfn),
    w1: take(sizes.w1),
    w2: take(sizes.w2),
    w3: config.ffn === 'swiglu' ? take(sizes.w3) : null,
    rmsFinal: take(sizes.rmsFinal),
    wcls: config.sharedClassifier ? tokenEmbedding : take(sizes.wcls),
  };
  return { config, weights, fileVersion: 0, nParams: countParams(config) };
}
