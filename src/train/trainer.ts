// The training loop: tokenizer, data, initialisation, AdamW steps with periodic validation, and
// the files a trained model is shipped as (see writeOutputs in outputs.ts).

import type { Config } from '../engine/types.ts';
import { AdamW, learningRate } from './adamw.ts';
import { trainBpe, type Vocab } from './bpe.ts';
import { fullConfig, type TrainConfig } from './config.ts';
import { Dataset, splitText } from './data.ts';
import type { KernelKind } from './kernels.ts';
import { makeLayout, type Layout } from './layout.ts';
import type { Sharing, SpawnWorker } from './pool.ts';
import { createEngine, type GradEngine } from './replica.ts';
import { Rng } from './rng.ts';
import { TrainError } from './errors.ts';

export interface CurvePoint {
  step: number;
  tokens: number;
  timeS: number;
  loss: number;
}

export interface Curve {
  /** Training loss (mean nats/token of the step's batch) after each step, 1-based steps. */
  train: (CurvePoint & { lr: number; gradNorm: number })[];
  /** Validation loss (nats/token over the whole validation text) and bits per character. */
  val: (CurvePoint & { bitsPerChar: number })[];
}

export interface TrainResult {
  config: Config;
  vocab: Vocab;
  layout: Layout;
  params: Float32Array;
  curve: Curve;
  tokensSeen: number;
  trainTimeS: number;
  valNatsPerToken: number;
  valBitsPerChar: number;
  valTokens: number;
  valChars: number;
  trainTokens: number;
  /** Steps actually taken (fewer than train.steps when the run was stopped). */
  steps: number;
}

export interface TrainOptions {
  kernels?: KernelKind;
  log?: (line: string) => void;
  /** Called after every validation with the parameters so far (e.g. to write a checkpoint). */
  onEval?: (r: TrainResult) => void | Promise<void>;
  /** How to start gradient workers when train.workers > 1 (nodeSpawn, browserSpawn). */
  spawn?: SpawnWorker;
  /** Shared memory or messages (pool.ts); default: shared where allowed. */
  sharing?: Sharing;
  /** Once the tokenizer is trained and the data encoded, before step 1. */
  onStart?: (info: StartInfo) => void | Promise<void>;
  /**
   * After every optimiser step. The loop waits for a returned promise (a paused run in the page
   * waits here) and stops after this step, with a last validation, when shouldStop() is true.
   */
  onStep?: (p: TrainPoint) => void | Promise<void>;
  shouldStop?: () => boolean;
  /** Test hook: receives the gradient engine once it exists (e.g. to lose a worker). */
  onEngine?: (engine: GradEngine) => void;
  /** Use this vocabulary instead of training one (e.g. another model's tokenizer.bin). */
  vocab?: Vocab;
}

export type TrainPoint = Curve['train'][number];

export interface StartInfo {
  config: Config;
  vocabSize: number;
  nParams: number;
  trainTokens: number;
  valTokens: number;
  trainChars: number;
  valChars: number;
  sharing: Sharing | 'in-thread';
}

/** Normal(0, std) matrices, norm gains 1; the output projections wo and w2 get std/sqrt(2L) (GPT-2, llama2.c). */
export function initParams(
  layout: Layout,
  config: Config,
  params: Float32Array,
  seed: number,
  std: number,
): void {
  const rng = new Rng(seed);
  for (const t of layout.tensors) {
    const view = params.subarray(t.offset, t.offset + t.size);
    if (!t.decay) {
      view.fill(1);
      continue;
    }
    const s = t.name === 'wo' || t.name === 'w2' ? std / Math.sqrt(2 * config.nLayers) : std;
    for (let i = 0; i < view.length; i++) view[i] = rng.normal() * s;
  }
}

/** Mean validation loss: every validation token predicted once, windows of T after a BOS. */
export async function evaluate(
  engine: GradEngine,
  data: Dataset,
): Promise<{ nats: number; tokens: number }> {
  const { B, T } = engine;
  const rowLoss = new Float64Array(B * T);
  let nats = 0;
  let tokens = 0;
  for (let w0 = 0; w0 < data.valWindows; w0 += B) {
    for (let r = 0; r < B; r++) {
      if (w0 + r < data.valWindows)
        tokens += data.valWindow(w0 + r, r, engine.inputs, engine.targets);
      else data.valWindow(data.valWindows, r, engine.inputs, engine.targets); // all padding
    }
    await engine.evaluate(rowLoss);
    // summed in window order, position order: independent of the worker count
    for (let i = 0; i < B * T; i++) nats += rowLoss[i];
  }
  return { nats, tokens };
}

export async function train(
  tc: TrainConfig,
  text: string,
  opts: TrainOptions = {},
): Promise<TrainResult> {
  const log = opts.log ?? (() => {});
  const s = tc.train;
  const t0 = performance.now();
  const split = splitText(text);
  if (split.val.length === 0 || split.train.length === 0)
    throw new TrainError('train_text_unsplittable', {});
  const vocab = opts.vocab ?? trainBpe(split.train, { vocabSize: tc.vocabSize });
  const config = fullConfig(tc, vocab.pieces.length);
  const T = config.seqLen;
  const data = new Dataset(split, vocab, T);
  log(
    `tokenizer: ${vocab.pieces.length} pieces; train ${data.trainTokens.length} tokens (${data.trainChars} chars), val ${data.valTokens.length} tokens (${data.valChars} chars); ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const layout = makeLayout(config);
  const engine = createEngine({
    config,
    B: s.batchSize,
    T,
    workers: s.workers,
    kernels: opts.kernels ?? 'wasm',
    spawn: opts.spawn,
    sharing: opts.sharing,
  });
  opts.onEngine?.(engine);
  try {
    await opts.onStart?.({
      config,
      vocabSize: vocab.pieces.length,
      nParams: layout.total,
      trainTokens: data.trainTokens.length,
      valTokens: data.valTokens.length,
      trainChars: data.trainChars,
      valChars: data.valChars,
      sharing: s.workers > 1 ? (engine.sharing ?? 'shared') : 'in-thread',
    });
    initParams(layout, config, engine.params, s.seed, s.initStd);
    const opt = new AdamW(layout, s);
    const rng = new Rng(s.seed + 1);
    const curve: Curve = { train: [], val: [] };
    const nTok = s.batchSize * T;
    let tokensSeen = 0;
    let trainMs = 0;
    const result = (): TrainResult => {
      const last = curve.val[curve.val.length - 1];
      return {
        config,
        vocab,
        layout,
        params: engine.params,
        curve,
        tokensSeen,
        trainTimeS: trainMs / 1000,
        valNatsPerToken: last?.loss ?? NaN,
        valBitsPerChar: last?.bitsPerChar ?? NaN,
        valTokens: data.valTokens.length,
        valChars: data.valChars,
        trainTokens: data.trainTokens.length,
        steps: curve.train.length,
      };
    };
    const validate = async (step: number) => {
      const e0 = performance.now();
      const { nats, tokens } = await evaluate(engine, data);
      const loss = nats / tokens;
      const bitsPerChar = nats / Math.LN2 / data.valChars;
      curve.val.push({ step, tokens: tokensSeen, timeS: trainMs / 1000, loss, bitsPerChar });
      log(
        `step ${step}: val ${loss.toFixed(4)} nats/token, ${bitsPerChar.toFixed(4)} bits/char (eval ${((performance.now() - e0) / 1000).toFixed(1)} s)`,
      );
      await opts.onEval?.(result());
    };
    await validate(0);
    for (let it = 0; it < s.steps; it++) {
      const a = performance.now();
      data.sample(rng, s.batchSize, engine.inputs, engine.targets);
      const loss = (await engine.computeGradients(1 / nTok)) / nTok;
      const lr = learningRate(s, it);
      const gradNorm = opt.step(engine.params, engine.grads, lr);
      trainMs += performance.now() - a;
      tokensSeen += nTok;
      const point = { step: it + 1, tokens: tokensSeen, timeS: trainMs / 1000, loss, lr, gradNorm };
      curve.train.push(point);
      await opts.onStep?.(point);
      const stop = opts.shouldStop?.() === true;
      if ((it + 1) % 10 === 0 || it === 0) {
        log(
          `step ${it + 1}/${s.steps}: loss ${loss.toFixed(4)} lr ${lr.toExponential(2)} |g| ${gradNorm.toFixed(3)} ${Math.round(tokensSeen / (trainMs / 1000))} tok/s`,
        );
      }
      if ((it + 1) % s.evalInterval === 0 || it + 1 === s.steps || stop) await validate(it + 1);
      if (stop) break;
    }
    return result();
  } finally {
    await engine.close();
  }
}
