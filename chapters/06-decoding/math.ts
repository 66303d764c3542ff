// Chapter 6's numbers, as pure functions the unit tests check: the sampler's transforms shown
// before/after (the engine's own samplingDistribution does the work), repetition in generated
// text, rejection sampling (the Monte Carlo method) and speculative decoding's expected speed.

import { entropyBits, samplingDistribution, support } from '$engine/distribution.ts';
import type { XorShift64Star } from '$engine/rng.ts';
import { Sampler } from '$engine/sampler.ts';
import { m } from '$paraglide/messages.js';
import type { SamplerSettings } from '$engine/types.ts';

export { expectedTokensPerPass, expectedAcceptance } from '$engine/speculative.ts';

export interface DistributionSummary {
  dist: Float64Array;
  entropy: number;
  left: number;
}

/** The distribution the engine's sampler draws from under `s`, with its entropy (bits) and support. */
export function sampled(
  logits: Float32Array,
  s: Omit<SamplerSettings, 'seed'>,
): DistributionSummary {
  const dist = samplingDistribution(new Sampler(logits.length, { ...s, seed: 1n }), logits);
  return { dist, entropy: entropyBits(dist), left: support(dist) };
}

/** The model's own distribution: softmax of the logits (temperature 1, nothing cut). */
export function raw(logits: Float32Array): DistributionSummary {
  return sampled(logits, { temperature: 1, topK: 0, topP: 0 });
}

/** Fraction of the n-grams of `ids` that already occurred earlier in it (0 = no repetition). */
export function repeatedNgramFraction(ids: readonly number[], n = 4): number {
  if (ids.length < n) return 0;
  const seen = new Set<string>();
  let repeated = 0;
  let total = 0;
  for (let i = 0; i + n <= ids.length; i++) {
    const key = ids.slice(i, i + n).join(',');
    if (seen.has(key)) repeated++;
    seen.add(key);
    total++;
  }
  return repeated / total;
}

/** The smallest envelope constant with p <= M q everywhere: max p(x) / q(x) (Infinity if q misses p). */
export function minimalEnvelope(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] <= 0) continue;
    if (q[i] <= 0) return Infinity;
    m = Math.max(m, p[i] / q[i]);
  }
  return m;
}

export interface Draw {
  /** The proposed token, x ~ q. */
  x: number;
  /** The height u * M * q(x) with u ~ U[0, 1): accepted when below p(x). */
  y: number;
  accepted: boolean;
}

/**
 * Rejection sampling: draw x ~ q, u ~ U[0,1), accept when u < p(x) / (M q(x)). Every accepted x is
 * distributed as p when p <= M q; the acceptance rate is then 1/M. `rng` is run.c's xorshift64*.
 */
export function rejectionDraws(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  M: number,
  n: number,
  rng: XorShift64Star,
): Draw[] {
  const cdf = new Float64Array(q.length);
  let c = 0;
  for (let i = 0; i < q.length; i++) cdf[i] = c += q[i];
  const out: Draw[] = [];
  for (let k = 0; k < n; k++) {
    const r = rng.nextF32() * c;
    // binary search: first i with r < cdf[i]
    let lo = 0;
    let hi = q.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r < cdf[mid]) hi = mid;
      else lo = mid + 1;
    }
    while (q[lo] <= 0 && lo > 0) lo--; // never a zero-probability proposal
    const u = rng.nextF32();
    const y = u * M * q[lo];
    out.push({ x: lo, y, accepted: y < p[lo] });
  }
  return out;
}

/** Counts of accepted draws per token. */
export function acceptedCounts(draws: readonly Draw[], V: number): number[] {
  const counts = new Array<number>(V).fill(0);
  for (const d of draws) if (d.accepted) counts[d.x]++;
  return counts;
}

/** Uniform distribution over V tokens. */
export function uniform(V: number): Float64Array {
  return new Float64Array(V).fill(1 / V);
}

/** Unigram distribution from token counts, with add-one smoothing so every token has q > 0. */
export function unigram(counts: readonly number[]): Float64Array {
  const total = counts.reduce((s, c) => s + c + 1, 0);
  return Float64Array.from(counts, (c) => (c + 1) / total);
}

/** Wall-clock speed-up of speculative decoding: plain ms / speculative ms for the same tokens. */
export function speedUp(
  plainMs: number,
  plainTokens: number,
  specMs: number,
  specTokens: number,
): number {
  if (!(plainMs > 0 && specMs > 0 && plainTokens > 0 && specTokens > 0)) return NaN;
  return plainMs / plainTokens / (specMs / specTokens);
}

/** Which positions of `ids` end an n-gram that already occurred earlier (every token of it marked). */
export function repeatedMask(ids: readonly number[], n = 4): boolean[] {
  const mask = new Array<boolean>(ids.length).fill(false);
  const seen = new Set<string>();
  for (let i = 0; i + n <= ids.length; i++) {
    const key = ids.slice(i, i + n).join(',');
    if (seen.has(key)) for (let k = i; k < i + n; k++) mask[k] = true;
    seen.add(key);
  }
  return mask;
}

/** A token's text for an axis or a chip: quoted, spaces as ␣, newlines as ↵. */
export function pieceLabel(text: string | undefined, id: number): string {
  if (text === undefined || text === '') return `#${id}`;
  return text.replace(/ /g, '␣').replace(/\n/g, '↵');
}

/** Token ids ordered by probability, most likely first (ties: lower id first). */
export function rankByP(p: ArrayLike<number>): number[] {
  return Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
}

/** Accepted share vs target for the `n` most likely tokens, then everything else as "other". */
export function histogramBars(
  counts: readonly number[],
  p: ArrayLike<number>,
  ranks: readonly number[],
  n: number,
  label: (id: number) => string,
): { label: string; observed: number; expected: number }[] {
  const total = counts.reduce((s, c) => s + c, 0) || 1;
  const top = ranks.slice(0, n);
  const bars = top.map((id) => ({
    label: label(id),
    observed: counts[id] / total,
    expected: p[id],
  }));
  const obsTop = bars.reduce((s, b) => s + b.observed, 0);
  const expTop = bars.reduce((s, b) => s + b.expected, 0);
  bars.push({
    label: m.ch06_other(),
    observed: Math.max(0, 1 - obsTop),
    expected: Math.max(0, 1 - expTop),
  });
  return bars;
}

/** Quote text for a POSIX shell: inside single quotes, with ' written as '\''. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The `npm run llama` command that generates what the lab generates, on a shipped model. */
export function cliCommand(
  model: string,
  prompt: string,
  s: SamplerSettings,
  steps: number,
): string {
  const dir = `assets/models/${model}`;
  const parts = [
    'npm run llama -- generate',
    `--model ${dir}/model.bin --tokenizer ${dir}/tokenizer.bin`,
    `--prompt ${shellQuote(prompt)}`,
    `--steps ${steps}`,
    `--temperature ${s.temperature}`,
    `--topp ${s.topP}`,
  ];
  if (s.topK > 0) parts.push(`--topk ${s.topK}`);
  if ((s.minP ?? 0) > 0) parts.push(`--minp ${s.minP}`);
  parts.push(`--seed ${s.seed}`);
  return parts.join(' ');
}
