// Speculative decoding (Leviathan et al. 2023; Chen et al. 2023) over any two Backends that share
// a vocabulary: a small draft model proposes gamma tokens, the main model scores all of them in
// one batched pass, and a rejection-sampling rule keeps exactly the main model's distribution.
//
// One round, with the committed sequence x (prompt + generated so far):
//   draft:  q_j = dist_draft(x, d_1..d_{j-1}), d_j ~ q_j            for j = 1..gamma
//   main:   one forwardPrompt of [tokens of x not yet in its cache, d_1..d_gamma] with every row's
//           logits -> p_1..p_{gamma+1}
//   accept: for j = 1..gamma, with u ~ U[0,1): keep d_j if u < min(1, p_j(d_j) / q_j(d_j));
//           at the first rejection draw the replacement from norm(max(0, p_j - q_j)) and stop;
//           if all gamma are kept, draw a bonus token from p_{gamma+1}.
// Each round emits between 1 and gamma+1 tokens for one main-model pass.
//
// Distributions are the samplers' whole distributions (samplingDistribution: temperature, top-k,
// min-p, top-p), the same settings for both models. At temperature 0 both are one-hot, so a draft
// token is kept exactly when it is the main model's argmax and the replacement is that argmax:
// the output is the main model's greedy decoding.
//
// KV caches: a cache entry is valid while the token fed at that position is still in x. After a
// round the main model's cache is valid up to the last kept draft token (the replacement or bonus
// token is fed at the start of the next round), the draft's up to the last kept token it was fed.
// Positions past that are simply overwritten by the next round's feed (the backends' forward at
// an earlier position rolls their cache back).
//
// Randomness: one xorshift64* stream (run.c's generator, from the sampler seed) gives the draft's
// draws, the acceptance coins and the replacement draws, in that order, so a seed reproduces a run.

import { drawFrom, samplingDistribution } from './distribution.ts';
import { SettingsError } from './errors.ts';
import { maxPositions, positionsNeeded } from './generate.ts';
import { Sampler } from './sampler.ts';
import { BOS, StreamingDecoder, type Tokenizer } from './tokenizer.ts';
import type { Backend, SamplerSettings } from './types.ts';

export interface SpeculativeOptions {
  /** Prompt ids, BOS first; at least one. */
  promptIds: readonly number[];
  /** Tokens to generate (fewer if BOS is drawn or aborted). */
  steps: number;
  /** Draft tokens proposed per round (1..16). */
  gamma: number;
  sampler: SamplerSettings;
  tokenizer?: Tokenizer;
  signal?: AbortSignal;
}

export interface Proposal {
  id: number;
  /** Draft probability q(id) and main probability p(id) of the proposed token. */
  q: number;
  p: number;
  accepted: boolean;
}

export interface SpecRound {
  /** The draft's proposals in order; the ones after the first rejection are not shown (dropped). */
  proposals: Proposal[];
  /** The token drawn after the proposals: a replacement at a rejection, or the bonus token. */
  extra: { id: number; kind: 'replacement' | 'bonus' };
  /** The tokens this round adds to the output (kept proposals, then the extra), cut at steps/BOS. */
  ids: number[];
  /** Their text (empty without a tokenizer). */
  text: string;
}

export interface SpecStats {
  rounds: number;
  /** Main-model passes (one per round). */
  mainPasses: number;
  /** Draft-model forward calls. */
  draftPasses: number;
  /** Draft tokens proposed. */
  proposed: number;
  /** Proposals that were judged (up to and including the first rejection of each round). */
  judged: number;
  /** Proposals kept; accepted / judged estimates the acceptance rate alpha. */
  accepted: number;
  generated: number;
}

export interface SpecResult {
  promptIds: number[];
  ids: number[];
  text: string;
  stopReason: 'steps' | 'bos' | 'aborted';
  stats: SpecStats;
}

export const MAX_GAMMA = 16;

/** Check that a draft fits a main model and a run fits both caches; throws SettingsError in words. */
export function checkSpeculative(main: Backend, draft: Backend, opts: SpeculativeOptions): void {
  const V = main.config.vocabSize;
  if (draft.config.vocabSize !== V) {
    throw new SettingsError('spec_vocab', { draft: draft.config.vocabSize, main: V });
  }
  if (!Number.isInteger(opts.gamma) || opts.gamma < 1 || opts.gamma > MAX_GAMMA) {
    throw new SettingsError('spec_gamma', { max: MAX_GAMMA, got: opts.gamma });
  }
  if (!Number.isInteger(opts.steps) || opts.steps < 0) {
    throw new SettingsError('gen_steps', { got: opts.steps });
  }
  const P = opts.promptIds.length;
  if (P === 0) throw new SettingsError('gen_prompt_empty', {});
  const need = positionsNeeded(P, opts.steps);
  for (const [code, b] of [
    ['spec_positions_main', main],
    ['spec_positions_draft', draft],
  ] as const) {
    if (need > maxPositions(b)) {
      throw new SettingsError(code, { prompt: P, steps: opts.steps, need, max: maxPositions(b) });
    }
  }
}

/** min(1, p/q) acceptance, as a number (q > 0 for any proposed token). */
export function acceptanceProbability(p: number, q: number): number {
  return q <= 0 ? 1 : Math.min(1, p / q);
}

/** norm(max(0, p - q)), the distribution of the replacement token after a rejection. */
export function residual(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  const r = out ?? new Float64Array(p.length);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const v = Math.max(0, p[i] - q[i]);
    r[i] = v;
    sum += v;
  }
  // Only rounding can leave no mass (p == q everywhere would never reject): fall back to p.
  if (!(sum > 0)) for (let i = 0; i < p.length; i++) r[i] = p[i];
  else for (let i = 0; i < p.length; i++) r[i] /= sum;
  return r;
}

/**
 * Generate with speculative decoding; yields one SpecRound per main-model pass and returns the
 * whole run. The two backends' caches are used from position 0 (their previous contents are
 * overwritten).
 */
export async function* speculate(
  main: Backend,
  draft: Backend,
  opts: SpeculativeOptions,
): AsyncGenerator<SpecRound, SpecResult, void> {
  checkSpeculative(main, draft, opts);
  const V = main.config.vocabSize;
  const mainSampler = new Sampler(V, opts.sampler);
  const draftSampler = new Sampler(V, opts.sampler);
  const rng = mainSampler.rng; // the one random stream of the run
  const gamma = opts.gamma;
  const qs = Array.from({ length: gamma }, () => new Float64Array(V));
  const ps = Array.from({ length: gamma + 1 }, () => new Float64Array(V));
  const res = new Float64Array(V);
  const stream = opts.tokenizer ? new StreamingDecoder(opts.tokenizer) : null;

  const seq = [...opts.promptIds];
  const P = seq.length;
  const ids: number[] = [];
  let text = '';
  let mainLen = 0; // positions 0..mainLen-1 of the main cache hold seq[0..mainLen-1]
  let draftLen = 0;
  const stats: SpecStats = {
    rounds: 0,
    mainPasses: 0,
    draftPasses: 0,
    proposed: 0,
    judged: 0,
    accepted: 0,
    generated: 0,
  };
  const done = (stopReason: SpecResult['stopReason']): SpecResult => {
    if (stream) text += stream.flush();
    return { promptIds: seq.slice(0, P), ids, text, stopReason, stats };
  };

  while (ids.length < opts.steps) {
    if (opts.signal?.aborted) return done('aborted');
    const left = opts.steps - ids.length;
    const g = Math.min(gamma, left - 1); // the last round's extra token makes up the rest
    // 1. the draft proposes g tokens
    const drafts: number[] = [];
    if (g > 0) {
      let logits = (await draft.forwardPrompt(seq.slice(draftLen), draftLen)).logits;
      stats.draftPasses++;
      draftLen = seq.length;
      for (let j = 0; j < g; j++) {
        samplingDistribution(draftSampler, logits, qs[j]);
        const d = drawFrom(qs[j], rng.nextF32());
        drafts.push(d);
        if (j + 1 < g) {
          logits = (await draft.forward(d, seq.length + j)).logits;
          stats.draftPasses++;
        }
      }
    }
    // 2. the main model scores the unfed tail of seq and every proposal in one pass
    const feed = [...seq.slice(mainLen), ...drafts];
    const out = await main.forwardPrompt(feed, mainLen, { allLogits: true });
    stats.mainPasses++;
    const all = out.allLogits!;
    const row0 = feed.length - g - 1;
    for (let j = 0; j <= g; j++) {
      const r = row0 + j;
      samplingDistribution(mainSampler, all.subarray(r * V, (r + 1) * V), ps[j]);
    }
    // 3. accept or reject, left to right
    const proposals: Proposal[] = [];
    let extra: SpecRound['extra'] | null = null;
    for (let j = 0; j < g; j++) {
      const d = drafts[j];
      const p = ps[j][d];
      const q = qs[j][d];
      const accepted = rng.nextF32() < acceptanceProbability(p, q);
      proposals.push({ id: d, p, q, accepted });
      if (!accepted) {
        extra = { id: drawFrom(residual(ps[j], qs[j], res), rng.nextF32()), kind: 'replacement' };
        break;
      }
    }
    const kept = extra === null ? g : proposals.length - 1;
    extra ??= { id: drawFrom(ps[g], rng.nextF32()), kind: 'bonus' };
    stats.rounds++;
    stats.proposed += g;
    stats.judged += proposals.length;
    stats.accepted += kept;
    // caches: valid through the last kept proposal
    mainLen = seq.length + kept;
    draftLen = Math.min(draftLen + Math.max(0, Math.min(kept, g - 1)), seq.length + kept);
    // 4. emit, stopping at BOS (run.c's rule) or the step budget
    const newIds = [...drafts.slice(0, kept), extra.id];
    const round: SpecRound = { proposals, extra, ids: [], text: '' };
    let stop: SpecResult['stopReason'] | null = null;
    for (const id of newIds) {
      if (id === BOS) {
        stop = 'bos';
        break;
      }
      const prev = seq[seq.length - 1];
      seq.push(id);
      ids.push(id);
      round.ids.push(id);
      if (stream) round.text += stream.push(prev, id);
      if (ids.length === opts.steps) break;
    }
    text += round.text;
    stats.generated = ids.length;
    yield round;
    if (stop) return done(stop);
  }
  return done('steps');
}

/** Run `speculate` to the end, calling `onRound` for each round. */
export async function speculateAll(
  main: Backend,
  draft: Backend,
  opts: SpeculativeOptions,
  onRound?: (r: SpecRound) => void,
): Promise<SpecResult> {
  const it = speculate(main, draft, opts);
  for (;;) {
    const r = await it.next();
    if (r.done) return r.value;
    onRound?.(r.value);
  }
}

/** Expected tokens per main-model pass for acceptance rate alpha and gamma proposals (Leviathan et al., eq. 1). */
export function expectedTokensPerPass(alpha: number, gamma: number): number {
  if (alpha >= 1) return gamma + 1;
  return (1 - alpha ** (gamma + 1)) / (1 - alpha);
}

/** Expected acceptance rate of one proposal: sum_x min(p(x), q(x)) = 1 - total variation distance. */
export function expectedAcceptance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let a = 0;
  for (let i = 0; i < p.length; i++) a += Math.min(p[i], q[i]);
  return a;
}
