// Chapter 8's derivation from the RLHF objective to the DPO loss, step by step, on toy problems
// computed exactly (chapters/08-post-training/math.ts).
import { describe, expect, it } from 'vitest';
import {
  bradleyTerry,
  dpoLoss,
  implicitReward,
  kl,
  klShapedReward,
  optimalPolicy,
  partition,
  ppoClipped,
  rewardModelLoss,
  rlhfObjective,
  sigmoid,
  softmax,
  tabularDpo,
} from '../../../chapters/08-post-training/math.ts';
import { Rng } from '$train/rng.ts';

const rng = new Rng(8);
function simplex(n: number): number[] {
  return softmax(Array.from({ length: n }, () => rng.normal()));
}
const piRef = simplex(6);
const r = Array.from({ length: 6 }, () => rng.normal());
const beta = 0.5;

describe('step 1-3: the RLHF objective and its optimum pi* = pi_ref exp(r/beta) / Z', () => {
  it('pi* is a distribution and beats every nearby and every random policy', () => {
    const star = optimalPolicy(piRef, r, beta);
    expect(star.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    const best = rlhfObjective(star, piRef, r, beta);
    for (let t = 0; t < 200; t++) {
      const other =
        t < 100 ? simplex(6) : softmax(star.map((p) => Math.log(p) + 0.05 * rng.normal()));
      expect(rlhfObjective(other, piRef, r, beta)).toBeLessThan(best + 1e-12);
    }
  });

  it('the objective equals -beta KL(pi || pi*) + beta log Z, so its maximum is beta log Z', () => {
    const star = optimalPolicy(piRef, r, beta);
    const Z = partition(piRef, r, beta);
    for (let t = 0; t < 20; t++) {
      const pi = simplex(6);
      expect(rlhfObjective(pi, piRef, r, beta)).toBeCloseTo(
        -beta * kl(pi, star) + beta * Math.log(Z),
        12,
      );
    }
    expect(rlhfObjective(star, piRef, r, beta)).toBeCloseTo(beta * Math.log(Z), 12);
  });

  it('a large beta keeps pi* at pi_ref; a small beta puts it on the best response', () => {
    const near = optimalPolicy(piRef, r, 1e6);
    near.forEach((p, i) => expect(p).toBeCloseTo(piRef[i], 4));
    const sharp = optimalPolicy(piRef, r, 1e-3);
    const argmax = r.indexOf(Math.max(...r));
    expect(sharp[argmax]).toBeGreaterThan(0.999);
  });
});

describe('step 4: the reward through the optimal policy', () => {
  it('r(y) = beta log(pi*(y) / pi_ref(y)) + beta log Z: implicit and true reward differ by a constant', () => {
    const star = optimalPolicy(piRef, r, beta);
    const h = implicitReward(star, piRef, beta);
    const Z = partition(piRef, r, beta);
    h.forEach((hi, i) => expect(hi + beta * Math.log(Z)).toBeCloseTo(r[i], 12));
    // differences, which are all a comparison sees, are exactly the true reward's
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) expect(h[i] - h[j]).toBeCloseTo(r[i] - r[j], 12);
  });
});

describe('step 5-6: Bradley-Terry, and Z cancels', () => {
  it('P(y_w > y_l) from the true reward equals sigmoid of the implicit reward margin of pi*', () => {
    const star = optimalPolicy(piRef, r, beta);
    const h = implicitReward(star, piRef, beta);
    expect(bradleyTerry(r[0], r[1]) + bradleyTerry(r[1], r[0])).toBeCloseTo(1, 14);
    expect(bradleyTerry(r[2], r[4])).toBeCloseTo(sigmoid(h[2] - h[4]), 12);
    // and the reward model's loss on that comparison is DPO's loss at pi*
    const lp = star.map(Math.log);
    const lr = piRef.map(Math.log);
    expect(rewardModelLoss(r[2], r[4])).toBeCloseTo(dpoLoss(lp[2], lp[4], lr[2], lr[4], beta), 12);
  });
});

describe('step 7-8: the DPO loss, minimised over a tabular policy, recovers the reward', () => {
  it('the tabular DPO gradient matches finite differences', () => {
    const theta = Array.from({ length: 6 }, () => rng.normal());
    const { grad } = tabularDpo(theta, piRef, r, beta);
    const h = 1e-6;
    for (let k = 0; k < 6; k++) {
      const up = [...theta];
      up[k] += h;
      const dn = [...theta];
      dn[k] -= h;
      const num =
        (tabularDpo(up, piRef, r, beta).loss - tabularDpo(dn, piRef, r, beta).loss) / (2 * h);
      expect(Math.abs(grad[k] - num)).toBeLessThan(1e-8);
    }
  });

  it('gradient descent on the DPO loss from pi_ref converges to pi* = pi_ref exp(r/beta)/Z', () => {
    let theta = piRef.map(Math.log);
    for (let it = 0; it < 20000; it++) {
      const { grad } = tabularDpo(theta, piRef, r, beta);
      theta = theta.map((t, k) => t - 2 * grad[k]);
    }
    const pi = softmax(theta);
    const star = optimalPolicy(piRef, r, beta);
    pi.forEach((p, i) => expect(p).toBeCloseTo(star[i], 4));
    // so its implicit reward margins are the true reward margins
    const hh = implicitReward(pi, piRef, beta);
    expect(hh[0] - hh[5]).toBeCloseTo(r[0] - r[5], 3);
  });
});

describe('PPO and the KL penalty', () => {
  it('the clipped objective stops rewarding a ratio beyond 1 + eps (A > 0) or below 1 - eps (A < 0)', () => {
    expect(ppoClipped(1.1, 2, 0.2)).toBeCloseTo(2.2, 14);
    expect(ppoClipped(1.5, 2, 0.2)).toBeCloseTo(2.4, 14);
    expect(ppoClipped(3, 2, 0.2)).toBeCloseTo(2.4, 14);
    expect(ppoClipped(0.5, -1, 0.2)).toBeCloseTo(-0.8, 14);
    expect(ppoClipped(0.1, -1, 0.2)).toBeCloseTo(-0.8, 14);
    // but a move in the bad direction is never clipped: the pessimistic minimum
    expect(ppoClipped(0.5, 2, 0.2)).toBeCloseTo(1, 14);
    expect(ppoClipped(2, -1, 0.2)).toBeCloseTo(-2, 14);
  });

  it('the KL-shaped reward averages to E[r] - beta KL over samples of pi', () => {
    const pi = simplex(6);
    let s = 0;
    for (let i = 0; i < 6; i++)
      s += pi[i] * klShapedReward(r[i], Math.log(pi[i]), Math.log(piRef[i]), beta);
    expect(s).toBeCloseTo(rlhfObjective(pi, piRef, r, beta), 12);
  });
});

describe('the SFT lab’s pairs and the page’s reward', () => {
  it('pairs round-trip through the text box, bad lines are named', async () => {
    const { formatPairs, parsePairs } = await import('../../../chapters/08-post-training/pairs.ts');
    const { SFT_PAIRS } = await import('$train/post/data.ts');
    const back = parsePairs(formatPairs(SFT_PAIRS));
    expect(back.ok && back.pairs).toEqual(SFT_PAIRS);
    expect(parsePairs('')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/at least one/),
    });
    expect(parsePairs('a => b\nno arrow')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Line 2/),
    });
    expect(parsePairs('x => ' + 'y'.repeat(200))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/longer/),
    });
  });

  it('the URL’s reward: preset, with the reader’s formula, word and speaker over it', async () => {
    const { rewardSpecFrom } = await import('../../../chapters/08-post-training/params.ts');
    expect(rewardSpecFrom({ reward: 'word' })).toEqual({
      formula: 'min(word, 3)',
      word: 'love',
      speaker: 'ROMEO',
    });
    expect(rewardSpecFrom({ reward: 'word', rf: 'word - 1', word: 'king' })).toMatchObject({
      formula: 'word - 1',
      word: 'king',
    });
    expect(rewardSpecFrom({ reward: 'nonsense' }).formula).toBe('-abs(lineWords - 4)');
  });
});
