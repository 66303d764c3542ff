import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { defaultKnobs } from '$engine/knobs.ts';
import { Session, klDivergence, softmax64, stoppedBy } from '$engine/session.ts';
import { parseTokenizer } from '$engine/tokenizer.ts';
import {
  FIXTURE_PROMPT,
  fixtureBytes,
  greedyRun,
  fixtureModel,
  readLogitsBytes,
} from '../../helpers/fixtures.ts';

function makeSession(): Session {
  const model = fixtureModel();
  const tok = parseTokenizer(fixtureBytes('tok512.bin'), model.config.vocabSize);
  return new Session(model, tok, createCpuBackend(model));
}

const greedy = greedyRun();
const logits = readLogitsBytes(fixtureBytes('greedy.logits'));
const row = (r: number) => logits.data.subarray(r * logits.vocab, (r + 1) * logits.vocab);

describe('Session.predict', () => {
  it('gives the trained next-token distribution with zero divergence under default knobs', async () => {
    const s = makeSession();
    const p = await s.predict(FIXTURE_PROMPT, { topN: 5 });
    expect(p.tokens.map((t) => t.id)).toEqual(greedy.prompt_ids);
    expect(p.klFromTrained).toBe(0);
    const sum = p.distribution.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
    // The most likely token is run.c's greedy choice; its probability matches run.c's logits.
    expect(p.top[0].id).toBe(greedy.gen_ids[0]);
    const ref = softmax64(row(greedy.prompt_ids.length - 1));
    for (const t of p.top) expect(Math.abs(t.prob - ref[t.id])).toBeLessThan(1e-4);
    expect(p.top.map((t) => t.prob)).toEqual([...p.top.map((t) => t.prob)].sort((a, b) => b - a));
  });

  it('reports KL divergence from the trained model once a knob moves', async () => {
    const s = makeSession();
    const base = await s.predict(FIXTURE_PROMPT);
    s.setKnobs({ ...defaultKnobs(s.model.config), normEps: 0.5 });
    const moved = await s.predict(FIXTURE_PROMPT);
    expect(moved.klFromTrained).toBeGreaterThan(1e-6);
    expect(moved.klFromTrained).toBeCloseTo(
      klDivergence(base.distribution, moved.distribution),
      12,
    );
  });

  it('returns requested trace taps and none otherwise', async () => {
    const s = makeSession();
    expect((await s.predict('Hi')).trace).toEqual([]);
    const p = await s.predict('Hi', { trace: ['L0.attn.probs'] });
    expect(p.trace.map((t) => t.name)).toEqual(['L0.attn.probs']);
  });

  it('refuses a prompt longer than the context with a message', async () => {
    const s = makeSession();
    await expect(s.predict('a b '.repeat(600))).rejects.toThrow(/positions the model holds/);
  });
});

describe('Session.generate', () => {
  it('reproduces run.c greedy ids and can be stopped between tokens', async () => {
    const s = makeSession();
    const sampler = { temperature: 0, topK: 0, topP: 0.9, seed: 42n };
    const run = await s.generate({ prompt: FIXTURE_PROMPT, steps: 100, sampler }, () => true);
    expect(run.tokens.map((t) => t.id)).toEqual(greedy.gen_ids);
    expect(run.stoppedBy).toBe('steps');
    expect(run.tokensPerSecond).toBeGreaterThan(0);

    let seen = 0;
    const stopped = await s.generate(
      { prompt: FIXTURE_PROMPT, steps: 100, sampler },
      () => ++seen < 5,
    );
    expect(stopped.tokens.map((t) => t.id)).toEqual(greedy.gen_ids.slice(0, 5));
    expect(stopped.stoppedBy).toBe('cancelled');
  });

  it('cuts generation at the context length instead of failing', async () => {
    const s = makeSession();
    const sampler = { temperature: 0, topK: 0, topP: 0, seed: 1n };
    const run = await s.generate({ prompt: 'a', steps: 10_000, sampler }, () => true);
    expect(run.stoppedBy === 'context' || run.stoppedBy === 'bos').toBe(true);
    if (run.stoppedBy === 'context')
      expect(run.tokens.length).toBe(s.maxPositions - run.promptTokens.length + 1);
  });
});

describe('Session.evaluate', () => {
  it('scores held-out text with the same numbers as run.c logits', async () => {
    const s = makeSession();
    const e = await s.evaluate(FIXTURE_PROMPT);
    const ids = greedy.prompt_ids;
    expect(e.nTokens).toBe(ids.length - 1);
    let total = 0;
    for (let r = 0; r < ids.length - 1; r++) {
      const p = softmax64(row(r));
      const nll = -Math.log(p[ids[r + 1]]);
      expect(Math.abs(e.nllByPosition[r] - nll)).toBeLessThan(1e-3);
      total += nll;
    }
    expect(e.meanNll).toBeCloseTo(total / (ids.length - 1), 3);
    expect(e.perplexity).toBeCloseTo(Math.exp(e.meanNll), 9);
    expect(e.nChars).toBe(FIXTURE_PROMPT.length);
    expect(e.bitsPerChar).toBeCloseTo((e.meanNll * e.nTokens) / Math.LN2 / e.nChars, 9);
  });
});

describe('stoppedBy (shared by Session.generate and the worker host speculate)', () => {
  it('a cancel, the end-of-text token, a request cut by the context, or the steps run out', () => {
    expect(stoppedBy('aborted', 5, 10)).toBe('cancelled');
    expect(stoppedBy('bos', 5, 10)).toBe('bos');
    expect(stoppedBy('steps', 5, 10)).toBe('context');
    expect(stoppedBy('steps', 10, 10)).toBe('steps');
  });
});
