// The serving simulator (chapters/07-serving/simulator.ts): deterministic for a seed, every
// requested token served exactly once, memory never over the budget, and the waste bounds the
// chapter states (paged: at most one partly filled block per sequence, no external holes).
import { describe, expect, it } from 'vitest';
import {
  POLICIES,
  checkConfig,
  makeRequests,
  simulate,
  simulateAll,
  type SimConfig,
} from '../../../chapters/07-serving/simulator.ts';

const base: SimConfig = {
  seed: 7,
  duration: 200,
  rate: 0.4,
  promptMean: 120,
  outputMean: 150,
  spread: 0.8,
  maxLen: 1024,
  maxOutput: 512,
  memory: 8000,
  blockSize: 16,
  maxBatch: 64,
};
const configs: SimConfig[] = [
  base,
  { ...base, seed: 11, blockSize: 1, rate: 1.5, memory: 3000 },
  { ...base, seed: 3, blockSize: 64, spread: 0, maxBatch: 4 },
  { ...base, seed: 5, rate: 2, memory: 2048, maxLen: 512, maxOutput: 400, blockSize: 7 },
];

describe('serving simulator', () => {
  it('is deterministic for a seed, and another seed gives other requests', () => {
    expect(simulateAll(base)).toEqual(simulateAll(base));
    expect(makeRequests({ ...base, seed: 8 })).not.toEqual(makeRequests(base));
    const reqs = makeRequests(base);
    expect(reqs.length).toBeGreaterThan(40);
    for (const r of reqs) {
      expect(r.prompt + r.output).toBeLessThanOrEqual(base.maxLen);
      expect(r.output).toBeLessThanOrEqual(base.maxOutput);
      expect(r.output).toBeGreaterThanOrEqual(1);
    }
  });

  describe.each(configs.map((c, i) => [i, c] as const))('config %i', (_, cfg) => {
    const requests = makeRequests(cfg);
    const outputs = requests.reduce((a, r) => a + r.output, 0);
    const prompts = requests.reduce((a, r) => a + r.prompt, 0);

    it.each(POLICIES)('%s: tokens in = tokens served, and every request finishes', (policy) => {
      const r = simulate(cfg, policy, requests);
      expect(r.finished).toBe(requests.length);
      expect(r.generatedTokens).toBe(outputs);
      expect(r.series.reduce((a, s) => a + s.generated, 0)).toBe(outputs);
      if (r.preemptions === 0) expect(r.prefillTokens).toBe(prompts);
      else expect(r.prefillTokens).toBeGreaterThan(prompts);
    });

    it.each(POLICIES)('%s: memory never over the budget, and the waste bounds hold', (policy) => {
      const r = simulate(cfg, policy, requests);
      // Plain checks per iteration (thousands of them), one assertion on the list of failures.
      const bad: string[] = [];
      const check = (ok: boolean, what: string, t: number) => {
        if (!ok && bad.length < 5) bad.push(`t=${t}: ${what}`);
      };
      for (const s of r.series) {
        const allocated = s.used + s.reserved + s.internal;
        check(allocated + s.free === cfg.memory, 'allocated + free = budget', s.t);
        check(s.free >= 0, 'free >= 0', s.t);
        check(Math.min(s.used, s.reserved, s.internal, s.external) >= 0, 'no negative', s.t);
        check(s.external <= s.free, 'external <= free', s.t);
        check(s.running <= cfg.maxBatch, 'running <= maxBatch', s.t);
        if (policy === 'paged') {
          // At most one partly filled block per sequence; nothing reserved ahead; no holes.
          check(s.internal <= (cfg.blockSize - 1) * s.running, 'internal <= (B-1) n', s.t);
          check(s.reserved === 0 && s.external === 0, 'no reservation, no holes', s.t);
          check(allocated % cfg.blockSize === 0, 'whole blocks', s.t);
        }
      }
      expect(bad).toEqual([]);
      expect(r.series.length).toBe(r.steps);
    });
  });

  it('under load paged serves more at once and wastes less than contiguous, which beats static', () => {
    const { results } = simulateAll({ ...base, rate: 1, duration: 300 });
    const [st, cont, paged] = results;
    expect(st.policy).toBe('static');
    expect(cont.throughput).toBeGreaterThan(st.throughput);
    expect(paged.throughput).toBeGreaterThan(2 * cont.throughput);
    expect(paged.meanRunning).toBeGreaterThan(cont.meanRunning);
    expect(cont.wasteFraction).toBeGreaterThan(0.5);
    expect(paged.wasteFraction).toBeLessThan(0.04);
  });

  it('clamps absurd settings and says so', () => {
    const { config, notes } = checkConfig({
      ...base,
      rate: NaN,
      memory: 10,
      blockSize: 0,
      spread: 5,
    });
    expect(config.rate).toBe(0);
    expect(config.blockSize).toBe(1);
    expect(config.memory).toBe(base.maxLen);
    expect(config.spread).toBe(1);
    expect(notes).toContainEqual({
      field: 'memory',
      given: 10,
      lo: base.maxLen,
      hi: 2 ** 30,
      used: base.maxLen,
    });
    expect(notes).toContainEqual({ field: 'blockSize', given: 0, lo: 1, hi: 1024, used: 1 });
    expect(notes).toContainEqual({ field: 'rate', given: NaN, lo: 0, hi: 64, used: 0 });
    const r = simulate({ ...base, rate: 0 }, 'paged');
    expect(r.requests).toBe(0);
    expect(r.throughput).toBe(0);
  });
});
