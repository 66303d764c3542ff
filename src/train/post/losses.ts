// Post-training losses of the trainer: supervised fine-tuning with the prompt masked, sequence
// log-probabilities, and DPO against a frozen reference. They reuse TrainModel's forward and its
// hand-written backward; only the gradient that enters the classifier changes.
//
// A row of the batch is one sequence: inputs [BOS, x_1 .. x_P, y_1 .. y_R, pad], targets the next
// token at each position, with target -1 where no loss is taken (the prompt, padding). So
//   log pi(y | x) = sum over positions t with target >= 0 of log softmax(logits_t)[target_t].
//
// SFT:  L = - (1 / #response tokens) * sum_rows log pi(y | x)        (prompt masked by target -1)
// DPO:  rows 2i (chosen y_w) and 2i+1 (rejected y_l) share a prompt; with the reference's
//       log-probabilities r_w, r_l fixed,
//         z_i = beta * [(log pi(y_w) - r_w) - (log pi(y_l) - r_l)],   L = sum_i -log sigmoid(z_i)
//       dL/d log pi(y_w) = -beta * sigmoid(-z_i),  dL/d log pi(y_l) = +beta * sigmoid(-z_i).
// Since d log pi(y)/d logits_t = onehot(target_t) - softmax(logits_t), the gradient entering the
// classifier at a position of a row with weight c = dL/d log pi(row) is c * (onehot - softmax):
// the cross-entropy gradient (softmax - onehot) scaled by -c.

import type { TrainModel } from '../model.ts';
import type { Arr } from '../ops.ts';
import { TrainError } from '../errors.ts';

/** log sigmoid(z), stable for large |z|. */
export function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export interface DpoPair {
  /** -log sigmoid(z). */
  loss: number;
  /** z = beta * (log-ratio chosen - log-ratio rejected): the implicit reward margin. */
  margin: number;
  /** dL / d log pi(y_w) and dL / d log pi(y_l). */
  gChosen: number;
  gRejected: number;
}

/** The DPO loss of one pair from the four sequence log-probabilities. */
export function dpoPair(
  logpChosen: number,
  logpRejected: number,
  refChosen: number,
  refRejected: number,
  beta: number,
): DpoPair {
  const margin = beta * (logpChosen - refChosen - (logpRejected - refRejected));
  const s = sigmoid(-margin);
  return { loss: -logSigmoid(margin), margin, gChosen: -beta * s, gRejected: beta * s };
}

/** Number of positions that carry a loss (target >= 0) in each of the B rows. */
export function tokensPerRow(targets: Int32Array, B: number, T: number): Int32Array {
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) if (targets[b * T + t] >= 0) out[b]++;
  return out;
}

/**
 * Turn `logits` (N, V), holding softmax probabilities, into d(loss)/d(logits) for per-row weights
 * c_b = dL/d log pi(row b): at a position with a target, -c_b * (softmax - onehot); elsewhere 0.
 * Returns the per-row sums of log-probabilities (float64).
 */
function rowLogProbsAndGrad(
  logits: Arr,
  targets: Int32Array,
  B: number,
  T: number,
  V: number,
  weights: Float64Array | null,
  logp: Float64Array,
): void {
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let t = 0; t < T; t++) {
      const n = b * T + t;
      const tgt = targets[n];
      if (tgt < 0) continue;
      // as in crossEntropy: probabilities underflow only 87 nats below the row's best logit
      s += Math.log(Math.max(logits[n * V + tgt], 1e-38));
    }
    logp[b] = s;
  }
  if (!weights) return;
  for (let b = 0; b < B; b++) {
    const c = weights[b];
    for (let t = 0; t < T; t++) {
      const n = b * T + t;
      const o = n * V;
      const tgt = targets[n];
      if (tgt < 0 || c === 0) {
        logits.fill(0, o, o + V);
        continue;
      }
      for (let i = 0; i < V; i++) logits[o + i] *= -c;
      logits[o + tgt] += c;
    }
  }
}

/** Sequence log-probabilities log pi(row) of the B rows under the model's current parameters. */
export function sequenceLogProbs(
  m: TrainModel,
  inputs: Int32Array,
  targets: Int32Array,
  out = new Float64Array(m.B),
): Float64Array {
  m.forward(inputs);
  const V = m.config.vocabSize;
  m.kernels.softmaxRows(m.logits, 0, m.N, V, 1);
  rowLogProbsAndGrad(m.logits, targets, m.B, m.T, V, null, out);
  return out;
}

export interface SftResult {
  /** Mean negative log-likelihood per response token (nats). */
  loss: number;
  /** Response tokens in the batch. */
  tokens: number;
}

/**
 * Supervised fine-tuning step: mean cross-entropy over the positions whose target is >= 0 (the
 * response; the prompt carries target -1). With `backward`, `m.grads` holds its gradient.
 */
export function sftStep(
  m: TrainModel,
  inputs: Int32Array,
  targets: Int32Array,
  backward: boolean,
): SftResult {
  let tokens = 0;
  for (let n = 0; n < m.N; n++) if (targets[n] >= 0) tokens++;
  if (tokens === 0) throw new TrainError('post_no_response_tokens', {});
  const sum = m.step(inputs, targets, backward, 1 / tokens);
  return { loss: sum / tokens, tokens };
}

export interface DpoStepResult {
  /** Mean DPO loss over the pairs. */
  loss: number;
  /** Fraction of pairs whose implicit reward margin is > 0. */
  accuracy: number;
  /** Mean implicit reward margin beta * (log-ratio chosen - log-ratio rejected). */
  margin: number;
  /** Policy sequence log-probabilities per row (chosen, rejected, chosen, ...). */
  logp: Float64Array;
  pairs: DpoPair[];
}

/**
 * DPO step over B = 2P rows (row 2i chosen, 2i+1 rejected) with the reference model's sequence
 * log-probabilities `ref` (B). Loss and gradient are the mean over the P pairs.
 */
export function dpoStep(
  m: TrainModel,
  inputs: Int32Array,
  targets: Int32Array,
  ref: Float64Array,
  beta: number,
  backward: boolean,
): DpoStepResult {
  const B = m.B;
  if (B % 2 !== 0) throw new Error(`DPO needs rows in pairs, got ${B} rows`);
  if (ref.length !== B) throw new Error(`expected ${B} reference log-probabilities`);
  if (!(beta > 0) || !Number.isFinite(beta)) throw new Error(`beta must be > 0, got ${beta}`);
  const P = B / 2;
  const V = m.config.vocabSize;
  m.forward(inputs);
  m.kernels.softmaxRows(m.logits, 0, m.N, V, 1);
  const logp = new Float64Array(B);
  rowLogProbsAndGrad(m.logits, targets, B, m.T, V, null, logp);
  const pairs: DpoPair[] = [];
  const weights = new Float64Array(B);
  let loss = 0;
  let correct = 0;
  let margin = 0;
  for (let i = 0; i < P; i++) {
    const p = dpoPair(logp[2 * i], logp[2 * i + 1], ref[2 * i], ref[2 * i + 1], beta);
    pairs.push(p);
    loss += p.loss;
    margin += p.margin;
    if (p.margin > 0) correct++;
    weights[2 * i] = p.gChosen / P;
    weights[2 * i + 1] = p.gRejected / P;
  }
  if (backward) {
    rowLogProbsAndGrad(m.logits, targets, B, m.T, V, weights, new Float64Array(B));
    m.backward(inputs);
  }
  return { loss: loss / P, accuracy: correct / P, margin: margin / P, logp, pairs };
}
