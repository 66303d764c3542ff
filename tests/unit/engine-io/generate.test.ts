// End-to-end against run.c's fixtures: the forward pass is the CPU backend (src/engine/cpu),
// the loop, sampler, tokenizer and printing are what this file tests.
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { SettingsError } from '$engine/errors.ts';
import { encodePrompt, generate, generateAll, type GeneratedToken } from '$engine/generate.ts';
import { Sampler } from '$engine/sampler.ts';
import { parseTokenizer, safePiece } from '$engine/tokenizer.ts';
import type { Backend, ForwardResult } from '$engine/types.ts';
import {
  encodeCases,
  fixtureBytes,
  fixtureModel,
  fixtureText,
  FIXTURE_PROMPT,
  greedyRun,
  sampledRun,
  type RunFixture,
} from '../../helpers/fixtures.ts';

const model = fixtureModel();
const tok = parseTokenizer(fixtureBytes('tok512.bin'), model.config.vocabSize);

/** What run.c prints: safe_printf of every token after the first, then "\n". */
function printed(tokens: GeneratedToken[]): Buffer {
  return Buffer.concat([...tokens.map((t) => Buffer.from(safePiece(t.bytes))), Buffer.from('\n')]);
}

/** A backend that records calls and delegates to the CPU backend. */
function spy(inner: Backend) {
  const calls: string[] = [];
  const backend: Backend = {
    kind: inner.kind,
    config: inner.config,
    setKnobs: (k) => inner.setKnobs(k),
    getKnobs: () => inner.getKnobs(),
    forward: (token, pos, trace) => {
      calls.push(`forward ${token}@${pos}`);
      return inner.forward(token, pos, trace);
    },
    forwardPrompt: (tokens, startPos, options) => {
      calls.push(`forwardPrompt ${tokens.length}@${startPos}`);
      return inner.forwardPrompt(tokens, startPos, options);
    },
    dispose: () => inner.dispose(),
  };
  return { backend, calls };
}

async function reproduce(run: RunFixture, fixtureTxt: string) {
  const promptIds = encodePrompt(tok, FIXTURE_PROMPT);
  expect(promptIds).toEqual(run.prompt_ids);
  const { backend, calls } = spy(createCpuBackend(model));
  const tokens: GeneratedToken[] = [];
  const result = await generateAll(
    backend,
    {
      promptIds,
      steps: run.gen_ids.length,
      sampler: { temperature: run.temperature, topP: run.topp, topK: 0, seed: BigInt(run.seed) },
      tokenizer: tok,
      includePrompt: true,
    },
    (t) => tokens.push(t),
  );
  expect(result.ids).toEqual(run.gen_ids);
  expect(result.stopReason).toBe('steps');
  expect(printed(tokens).equals(Buffer.from(fixtureText(fixtureTxt)))).toBe(true);
  // one batched prompt pass, then one forward per generated token except the last
  expect(calls[0]).toBe(`forwardPrompt ${promptIds.length}@0`);
  expect(calls.length).toBe(1 + run.gen_ids.length - 1);
  expect(calls[1]).toBe(`forward ${run.gen_ids[0]}@${promptIds.length}`);
  expect(tokens.filter((t) => t.prompt).map((t) => t.id)).toEqual(promptIds.slice(1));
  expect(tokens.filter((t) => !t.prompt).map((t) => t.pos)).toEqual(
    run.gen_ids.map((_, i) => promptIds.length + i),
  );
}

describe('generate against run.c', () => {
  it('greedy: same prompt ids, same 100 ids, greedy.txt byte for byte', async () => {
    await reproduce(greedyRun(), 'greedy.txt');
  });

  it('sampled T=1 topp 0.9 seed 42: same 150 ids and sample-t1-p09-s42.txt byte for byte', async () => {
    await reproduce(sampledRun(), 'sample-t1-p09-s42.txt');
  });

  it('a Sampler passed in carries its rng over: two halves equal one whole run', async () => {
    const run = sampledRun();
    const sampler = new Sampler(512, { temperature: 1, topP: 0.9, topK: 0, seed: 42n });
    const backend = createCpuBackend(model);
    const first = await generateAll(backend, { promptIds: run.prompt_ids, steps: 20, sampler });
    const second = await generateAll(backend, {
      promptIds: [...run.prompt_ids, ...first.ids],
      steps: 30,
      sampler,
    });
    expect([...first.ids, ...second.ids]).toEqual(run.gen_ids.slice(0, 50));
  });
});

/** A backend whose logits are scripted: step i's argmax is script[i] (for the loop's own rules). */
function scripted(script: number[], vocab = 8, seqLen = 16): Backend & { fed: string[] } {
  const fed: string[] = [];
  let step = 0;
  const result = (): ForwardResult => {
    const logits = new Float32Array(vocab);
    logits[script[Math.min(step++, script.length - 1)]] = 5;
    return { logits };
  };
  const config = { ...model.config, vocabSize: vocab, seqLen };
  return {
    kind: 'cpu',
    config,
    fed,
    setKnobs: () => {},
    getKnobs: () => {
      throw new Error('unused');
    },
    forward: async (token, pos) => {
      fed.push(`${token}@${pos}`);
      return result();
    },
    forwardPrompt: async (tokens, start) => {
      fed.push(`[${tokens.join(',')}]@${start}`);
      return result();
    },
    dispose: () => {},
  };
}

const greedy = { temperature: 0, topP: 0, topK: 0, seed: 1n };

describe('generation loop rules', () => {
  it('stops when BOS is sampled (run.c), not at EOS; BOS is not in the ids', async () => {
    const b = scripted([4, 2, 5, 1, 6]);
    const r = await generateAll(b, { promptIds: [1, 3], steps: 10, sampler: greedy });
    expect(r.ids).toEqual([4, 2, 5]);
    expect(r.stopReason).toBe('bos');
    expect(b.fed).toEqual(['[1,3]@0', '4@2', '2@3', '5@4']);
  });

  it('steps 0 runs nothing; the last generated token is never fed', async () => {
    const b = scripted([4]);
    expect((await generateAll(b, { promptIds: [1], steps: 0, sampler: greedy })).ids).toEqual([]);
    expect(b.fed).toEqual([]);
    const c = scripted([4, 5]);
    expect((await generateAll(c, { promptIds: [1], steps: 2, sampler: greedy })).ids).toEqual([
      4, 5,
    ]);
    expect(c.fed).toEqual(['[1]@0', '4@1']);
  });

  it('fills seq_len exactly, and refuses one step more', async () => {
    const b = scripted([4], 8, 6);
    const r = await generateAll(b, { promptIds: [1, 3], steps: 5, sampler: greedy });
    expect(r.ids).toHaveLength(5);
    expect(b.fed.at(-1)).toBe('4@5');
    await expect(generateAll(b, { promptIds: [1, 3], steps: 6, sampler: greedy })).rejects.toThrow(
      "2 prompt tokens + 6 steps need 7 positions, but the model's seq_len is 6 (at most 5 steps for this prompt)",
    );
  });

  it('a backend holding more positions than seq_len (maxPositions) allows a longer run', async () => {
    const b = Object.assign(scripted([4], 8, 6), { maxPositions: 10 });
    const r = await generateAll(b, { promptIds: [1, 3], steps: 9, sampler: greedy });
    expect(r.ids).toHaveLength(9);
    await expect(generateAll(b, { promptIds: [1, 3], steps: 10, sampler: greedy })).rejects.toThrow(
      'but the backend holds 10 positions (at most 9 steps for this prompt)',
    );
  });

  it('rejects bad prompts, steps and settings before any forward pass', async () => {
    const b = scripted([4]);
    const bad = [
      { promptIds: [], steps: 1, sampler: greedy },
      { promptIds: [1, 8], steps: 1, sampler: greedy },
      { promptIds: [1], steps: -1, sampler: greedy },
      { promptIds: [1], steps: 1.5, sampler: greedy },
      { promptIds: [1], steps: 1, sampler: { ...greedy, temperature: NaN } },
    ];
    for (const opts of bad) await expect(generateAll(b, opts)).rejects.toThrow(SettingsError);
    expect(b.fed).toEqual([]);
  });

  it('an abort signal stops between tokens', async () => {
    const b = scripted([4, 5, 6, 7]);
    const ctl = new AbortController();
    const seen: number[] = [];
    const r = await generateAll(
      b,
      { promptIds: [1], steps: 4, sampler: greedy, signal: ctl.signal },
      (t) => {
        seen.push(t.id);
        if (seen.length === 2) ctl.abort();
      },
    );
    expect(r.ids).toEqual([4, 5]);
    expect(r.stopReason).toBe('aborted');
  });

  it('yields real UTF-8 text (emoji included) as the tokens stream', async () => {
    const emoji = encodeCases().find((c) => c.text.includes('😀'))!;
    const it = generate(createCpuBackend(model), {
      promptIds: emoji.ids,
      steps: 0,
      sampler: greedy,
      tokenizer: tok,
      includePrompt: true,
    });
    const pieces: string[] = [];
    let r = await it.next();
    while (!r.done) {
      pieces.push(r.value.text);
      r = await it.next();
    }
    expect(r.value.text).toBe(emoji.text);
    expect(pieces.join('')).toBe(emoji.text);
    expect(pieces).toContain(''); // the emoji's first three byte tokens complete nothing yet
  });
});
