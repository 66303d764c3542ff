// Best-of-K statistics. Given N scored samples of one prompt, the reward a best-of-K selection
// expects is the mean, over every K-subset of the N samples, of the subset's best reward. With
// the rewards sorted ascending r_(1) <= ... <= r_(N), the i-th smallest is a subset's best exactly
// when the subset holds it and K-1 of the i-1 below it:
//   E[max of K] = sum_i r_(i) * C(i-1, K-1) / C(N, K)            (K = 1: the mean; K = N: the max)
// It never decreases with K (a bigger subset's best is at least the best of any of its parts).

/** C(n, k) / C(N, K) ratios are formed in log space, so large N cannot overflow. */
function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/** Expected best reward of K samples drawn without replacement from `rewards` (1 <= K <= N). */
export function expectedBestOfK(rewards: readonly number[], K: number): number {
  const N = rewards.length;
  if (!Number.isInteger(K) || K < 1 || K > N)
    throw new Error(`K must be a whole number from 1 to ${N}, got ${K}`);
  const r = [...rewards].sort((a, b) => a - b);
  const total = logChoose(N, K);
  let e = 0;
  for (let i = K; i <= N; i++) e += r[i - 1] * Math.exp(logChoose(i - 1, K - 1) - total);
  return e;
}

/** The curve K -> E[best of K], K = 1..N, averaged over prompts (each with the same N). */
export function bestOfKCurve(perPrompt: readonly (readonly number[])[]): number[] {
  if (perPrompt.length === 0) return [];
  const N = Math.min(...perPrompt.map((r) => r.length));
  const out: number[] = [];
  for (let K = 1; K <= N; K++) {
    let s = 0;
    for (const r of perPrompt) s += expectedBestOfK(r.slice(0, N), K);
    out.push(s / perPrompt.length);
  }
  return out;
}

/** Index of the best and of the worst sample (first one on ties). */
export function bestAndWorst(rewards: readonly number[]): { best: number; worst: number } {
  if (rewards.length === 0) throw new Error('no samples to choose from');
  let best = 0;
  let worst = 0;
  for (let i = 1; i < rewards.length; i++) {
    if (rewards[i] > rewards[best]) best = i;
    if (rewards[i] < rewards[worst]) worst = i;
  }
  return { best, worst };
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}
