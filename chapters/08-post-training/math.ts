// The formulas chapter 8 shows, on a toy problem small enough to compute exactly: one prompt, a
// handful of possible responses y_1..y_n, a reference policy pi_ref (a probability vector) and a
// reward r (a number per response). Every step of the derivation from the RLHF objective to the
// DPO loss is a function here, and tests/unit/chapters/08-post-training.test.ts checks each.

/** log sigmoid(z), stable for large |z|. */
export function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

export function sigmoid(z: number): number {
  return Math.exp(logSigmoid(z));
}

/** KL(p || q) = sum p log(p / q) (terms with p = 0 count 0). */
export function kl(p: readonly number[], q: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) s += p[i] * Math.log(p[i] / q[i]);
  return s;
}

/** The RLHF objective E_{y~pi}[r(y)] - beta KL(pi || pi_ref). */
export function rlhfObjective(
  pi: readonly number[],
  piRef: readonly number[],
  r: readonly number[],
  beta: number,
): number {
  let e = 0;
  for (let i = 0; i < pi.length; i++) e += pi[i] * r[i];
  return e - beta * kl(pi, piRef);
}

/** Z = sum_y pi_ref(y) exp(r(y) / beta). */
export function partition(piRef: readonly number[], r: readonly number[], beta: number): number {
  let z = 0;
  for (let i = 0; i < r.length; i++) z += piRef[i] * Math.exp(r[i] / beta);
  return z;
}

/** The maximiser of the RLHF objective: pi*(y) = pi_ref(y) exp(r(y) / beta) / Z. */
export function optimalPolicy(
  piRef: readonly number[],
  r: readonly number[],
  beta: number,
): number[] {
  // exp(r / beta) with the largest r taken out, so a small beta cannot overflow
  const top = Math.max(...r);
  const w = piRef.map((p, i) => p * Math.exp((r[i] - top) / beta));
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}

/** The implicit reward of a policy: beta log(pi(y) / pi_ref(y)). */
export function implicitReward(
  pi: readonly number[],
  piRef: readonly number[],
  beta: number,
): number[] {
  return pi.map((p, i) => beta * Math.log(p / piRef[i]));
}

/** Bradley-Terry: P(y_i preferred to y_j) = sigmoid(r_i - r_j). */
export function bradleyTerry(ri: number, rj: number): number {
  return sigmoid(ri - rj);
}

/** The reward model's loss on one comparison: -log sigmoid(r(y_w) - r(y_l)). */
export function rewardModelLoss(rw: number, rl: number): number {
  return -logSigmoid(rw - rl);
}

/** The DPO loss of one pair from the four log-probabilities. */
export function dpoLoss(
  logpW: number,
  logpL: number,
  refW: number,
  refL: number,
  beta: number,
): number {
  return -logSigmoid(beta * (logpW - refW - (logpL - refL)));
}

/** softmax of logits. */
export function softmax(logits: readonly number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/**
 * The DPO loss over every ordered pair of a tabular policy pi = softmax(theta), each pair (i, j)
 * weighted by pi_ref(i) pi_ref(j) and labelled by Bradley-Terry with the true reward:
 *   L(theta) = - sum_{i,j} w_ij [ p_ij log s(h_i - h_j) + (1 - p_ij) log s(h_j - h_i) ],
 * h = beta log(pi / pi_ref), p_ij = sigmoid(r_i - r_j). Returns the loss and dL/dtheta.
 */
export function tabularDpo(
  theta: readonly number[],
  piRef: readonly number[],
  r: readonly number[],
  beta: number,
): { loss: number; grad: number[] } {
  const pi = softmax(theta);
  const h = implicitReward(pi, piRef, beta);
  const n = theta.length;
  let loss = 0;
  const dh = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const w = piRef[i] * piRef[j];
      const p = bradleyTerry(r[i], r[j]);
      const d = h[i] - h[j];
      loss -= w * (p * logSigmoid(d) + (1 - p) * logSigmoid(-d));
      // d/dd of -[p log s(d) + (1-p) log s(-d)] = s(d) - p
      const g = w * (sigmoid(d) - p);
      dh[i] += g;
      dh[j] -= g;
    }
  }
  // h_i = beta (log pi_i - log pi_ref_i), d log pi_i / d theta_k = [i = k] - pi_k
  const sum = dh.reduce((a, b) => a + b, 0);
  const grad = pi.map((p, k) => beta * (dh[k] - p * sum));
  return { loss, grad };
}

/** PPO's clipped surrogate for one action: min(rho A, clip(rho, 1 - eps, 1 + eps) A). */
export function ppoClipped(rho: number, advantage: number, eps: number): number {
  const clipped = Math.min(Math.max(rho, 1 - eps), 1 + eps);
  return Math.min(rho * advantage, clipped * advantage);
}

/** The per-sequence reward PPO maximises in RLHF: r(x, y) - beta log(pi(y|x) / pi_ref(y|x)). */
export function klShapedReward(r: number, logpi: number, logpRef: number, beta: number): number {
  return r - beta * (logpi - logpRef);
}
