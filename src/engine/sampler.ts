// Picks the next token from logits exactly as run.c's sample() does, in float32 arithmetic
// (docs/reference/llama2c-format.md section 7), plus top-k, which run.c lacks:
//
//   T == 0            argmax, first maximum wins, no random number drawn
//   otherwise         logits / T, [top-k mask], softmax, coin = random_f32(), then
//     topp in (0,1)   top-p: keep p >= (1-topp)/(n-1), sort descending, cut where the sum > topp,
//                     draw r = coin * sum over the kept prefix
//     else            multinomial: first i with coin < cdf
//
// Every float operation is rounded to float32 (Math.fround or a Float32Array store) because run.c
// computes in float; doubles would move CDF boundaries and change sampled ids.
//
// Sorting: run.c uses qsort, which is not stable, so the order of exactly equal probabilities is
// unspecified there; here ties keep ascending token order. The fixtures have no such ties that
// matter (tests check the seed-42 run reproduces).
//
// Top-k (0 = off) masks all but the k largest logits to -Infinity before the softmax, so top-p
// then works on the renormalised top-k distribution (its cutoff still divides by the full n-1).
//
// Min-p (0 = off, not in run.c) comes after the softmax: probabilities below minP times the
// largest are set to 0 and the rest renormalised in float32; top-p or the multinomial draw then
// works on that. With min-p off no arithmetic changes, so run.c parity is untouched.

import { NumericalError, SettingsError } from './errors.ts';
import { SAMPLER_ROWS, settingProblem } from './knob-table.ts';
import { XorShift64Star } from './rng.ts';
import type { SamplerSettings } from './types.ts';

const f32 = Math.fround;

/** Check settings; throws a SettingsError naming the bad field. Returns them unchanged. */
export function validateSamplerSettings(s: SamplerSettings): SamplerSettings {
  for (const row of SAMPLER_ROWS) {
    const v = s[row.field];
    if (v === undefined && row.field === 'minP') continue; // optional: absent = off
    const problem = settingProblem(row, v);
    if (problem) throw new SettingsError(problem.code, problem.params);
  }
  if (typeof s.seed !== 'bigint') {
    throw new SettingsError('sampler_seed_type', { type: typeof s.seed });
  }
  return s;
}

/** run.c's argmax: index of the first maximum. */
export function argmax(x: ArrayLike<number>, n: number = x.length): number {
  let best = 0;
  let bestVal = x[0];
  for (let i = 1; i < n; i++) {
    if (x[i] > bestVal) {
      bestVal = x[i];
      best = i;
    }
  }
  return best;
}

/** run.c's softmax in float32, in place over x[0..n). */
export function softmaxF32(x: Float32Array, n: number = x.length): void {
  let max = x[0];
  for (let i = 1; i < n; i++) if (x[i] > max) max = x[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = f32(Math.exp(f32(x[i] - max)));
    x[i] = e;
    sum = f32(sum + e);
  }
  for (let i = 0; i < n; i++) x[i] = x[i] / sum; // the store rounds to float32
}

/** run.c's sample_mult: first i with coin < cdf (float32 running sum), else n-1. */
export function sampleMult(
  probs: ArrayLike<number>,
  coin: number,
  n: number = probs.length,
): number {
  let cdf = 0;
  for (let i = 0; i < n; i++) {
    cdf = f32(cdf + probs[i]);
    if (coin < cdf) return i;
  }
  return n - 1;
}

/**
 * run.c's sample_topp. run.c sorts every candidate (qsort); only the prefix up to the point where
 * the running sum exceeds topp matters, so here candidates go into a max-heap and are popped in
 * descending order until then: the same prefix in the same order, O(n + k log n) instead of
 * O(n log n) (5 ms -> well under 1 ms per token at vocab 32000). `heap` and `sorted` are scratch
 * space of at least n entries (the Sampler allocates them once).
 */
export function sampleTopP(
  probs: Float32Array,
  topp: number,
  coin: number,
  heap: Uint32Array = new Uint32Array(probs.length),
  sorted: Uint32Array = new Uint32Array(probs.length),
  n: number = probs.length,
): number {
  const p = f32(topp);
  if (n === 1) return 0;
  // Candidates below the cutoff cannot be part of the nucleus (run.c's speed-up, kept for parity).
  const cutoff = f32(f32(1 - p) / (n - 1));
  let size = 0;
  for (let i = 0; i < n; i++) if (probs[i] >= cutoff) heap[size++] = i;
  // No candidate at all (only with a tiny vocab and topp < 1/n): run.c would read probindex[-1];
  // the most probable token is the sensible answer.
  if (size === 0) return argmax(probs, n);
  // a before b: higher probability first, lower id first on ties.
  const before = (a: number, b: number) => probs[a] > probs[b] || (probs[a] === probs[b] && a < b);
  const siftDown = (start: number) => {
    let i = start;
    const item = heap[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && before(heap[child + 1], heap[child])) child++;
      if (!before(heap[child], item)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = item;
  };
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);
  let cum = 0;
  let count = 0;
  while (size > 0) {
    const top = heap[0];
    sorted[count++] = top;
    heap[0] = heap[--size];
    siftDown(0);
    cum = f32(cum + probs[top]);
    if (cum > p) break;
  }
  const last = count - 1; // run.c's last_idx: where cum first exceeded topp, else the last candidate
  const r = f32(coin * cum);
  let cdf = 0;
  for (let i = 0; i <= last; i++) {
    cdf = f32(cdf + probs[sorted[i]]);
    if (r < cdf) return sorted[i];
  }
  return sorted[last];
}

/**
 * Min-p in place over float32 probabilities: zero every p_i < minP * max p, renormalise the rest
 * (float32 sum and division, like softmaxF32). The largest always survives. minP <= 0: no change.
 */
export function applyMinP(probs: Float32Array, minP: number, n: number = probs.length): void {
  if (!(minP > 0)) return;
  let max = 0;
  for (let i = 0; i < n; i++) if (probs[i] > max) max = probs[i];
  const floor = f32(f32(minP) * max);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (probs[i] < floor) probs[i] = 0;
    else sum = f32(sum + probs[i]);
  }
  for (let i = 0; i < n; i++) probs[i] = probs[i] / sum;
}

/**
 * Set every logit outside the k largest to -Infinity (ties at the k-th value keep the lower ids),
 * so the softmax that follows gives them probability 0. `scratch` holds a copy for selection.
 */
export function maskTopK(
  logits: Float32Array,
  k: number,
  scratch: Float32Array,
  n = logits.length,
): void {
  if (k <= 0 || k >= n) return;
  scratch.set(logits.subarray(0, n));
  const kth = selectKthLargest(scratch.subarray(0, n), k);
  let above = 0;
  for (let i = 0; i < n; i++) if (logits[i] > kth) above++;
  let ties = k - above; // how many logits equal to the k-th value survive, lowest ids first
  for (let i = 0; i < n; i++) {
    const v = logits[i];
    if (v > kth) continue;
    if (v === kth && ties > 0) {
      ties--;
      continue;
    }
    logits[i] = -Infinity;
  }
}

/** The k-th largest value (k >= 1) of a, by quickselect; reorders a. */
function selectKthLargest(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1; // index in descending order
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}

/** One sampling session: settings, the xorshift64* state, and scratch buffers allocated once. */
export class Sampler {
  readonly vocabSize: number;
  readonly settings: Readonly<SamplerSettings>;
  readonly rng: XorShift64Star;
  /** The distribution of the last sampled step (after temperature, top-k and softmax). */
  readonly probabilities: Float32Array;
  readonly #heap: Uint32Array;
  readonly #sorted: Uint32Array;
  readonly #scratch: Float32Array;

  constructor(vocabSize: number, settings: SamplerSettings) {
    if (!Number.isInteger(vocabSize) || vocabSize <= 0) {
      throw new SettingsError('sampler_vocab_size', { got: vocabSize });
    }
    this.vocabSize = vocabSize;
    this.settings = { ...validateSamplerSettings(settings) };
    this.rng = new XorShift64Star(settings.seed);
    this.probabilities = new Float32Array(vocabSize);
    this.#heap = new Uint32Array(vocabSize);
    this.#sorted = new Uint32Array(vocabSize);
    this.#scratch = new Float32Array(settings.topK > 0 ? vocabSize : 0);
  }

  /** The next token for these logits (first vocabSize entries). Does not modify `logits`. */
  sample(logits: Float32Array): number {
    const { temperature, topP } = this.settings;
    if (temperature === 0) {
      this.checkLogits(logits);
      return argmax(logits, this.vocabSize);
    }
    const probs = this.distributionBeforeTopP(logits);
    const n = this.vocabSize;
    const coin = this.rng.nextF32();
    if (topP <= 0 || topP >= 1) return sampleMult(probs, coin, n);
    return sampleTopP(probs, topP, coin, this.#heap, this.#sorted, n);
  }

  /** Throw a clear error unless the first vocabSize logits are all finite. */
  checkLogits(logits: Float32Array): void {
    const n = this.vocabSize;
    if (logits.length < n) {
      throw new SettingsError('sampler_logit_count', { want: n, got: logits.length });
    }
    for (let i = 0; i < n; i++) {
      const v = logits[i];
      if (v - v !== 0) {
        throw new NumericalError('num_logit_not_finite', { value: String(v), token: i });
      }
    }
  }

  /**
   * `probabilities` for these logits: temperature, top-k, softmax and min-p, in run.c's float32
   * arithmetic; top-p is applied by the draw (see samplingDistribution for the full distribution).
   * Needs temperature > 0. Draws no random number.
   */
  distributionBeforeTopP(logits: Float32Array): Float32Array {
    this.checkLogits(logits);
    const n = this.vocabSize;
    const { temperature, topK, minP } = this.settings;
    if (temperature === 0) throw new SettingsError('sampler_greedy_no_distribution', {});
    const probs = this.probabilities;
    const t = f32(temperature);
    for (let i = 0; i < n; i++) {
      probs[i] = logits[i] / t;
      const v = probs[i]; // as stored: float32, possibly overflowed to Infinity
      if (v - v !== 0) {
        throw new NumericalError('num_temperature_overflow', { temperature });
      }
    }
    maskTopK(probs, topK, this.#scratch, n);
    softmaxF32(probs, n);
    applyMinP(probs, minP ?? 0, n);
    return probs;
  }
}
