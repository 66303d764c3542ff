// Trace taps: shapes as documented in src/engine/trace.ts, values consistent with the math, and
// no effect on the numbers.
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { GLOBAL_TAPS, LAYER_TAPS, expandTraceRequest } from '$engine/trace.ts';
import { loadGreedy, loadRandomS, maxAbsDiff } from './fixture.ts';

const model = loadRandomS();
const c = model.config;
const hs = c.dim / c.nHeads;
const kvDim = c.nKvHeads * hs;
const { greedy } = loadGreedy();
const toks = greedy.fed_ids.slice(0, 12);
const all = [...GLOBAL_TAPS, ...LAYER_TAPS.map((t) => `L*.${t}`)];

describe('trace', () => {
  it('does not change the logits (prompt pass and decode)', () => {
    const plain = createCpuBackend(model).forwardPromptSync(toks, 0, { allLogits: true });
    const traced = createCpuBackend(model).forwardPromptSync(toks, 0, {
      allLogits: true,
      trace: all,
    });
    expect(maxAbsDiff(traced.allLogits!, plain.allLogits!)).toBe(0);
    const a = createCpuBackend(model);
    const b = createCpuBackend(model);
    for (let p = 0; p < toks.length; p++) {
      const x = a.forwardSync(toks[p], p).logits.slice();
      const y = b.forwardSync(toks[p], p, all).logits;
      expect(maxAbsDiff(x, y)).toBe(0);
    }
  });

  it('every tap has the documented shape (prompt pass after a prefix, chunked)', () => {
    const b = createCpuBackend(model, undefined, { maxBatch: 5 });
    b.forwardPromptSync(toks.slice(0, 3), 0);
    const T = toks.length - 3;
    const P = toks.length;
    const t = b.forwardPromptSync(toks.slice(3), 3, { trace: all }).trace!;
    const width: Record<string, number[]> = {
      'attn_norm.in': [T, c.dim],
      'attn_norm.out': [T, c.dim],
      'attn.q': [T, c.dim],
      'attn.k': [T, kvDim],
      'attn.v': [T, kvDim],
      'attn.q_rot': [T, c.dim],
      'attn.k_rot': [T, kvDim],
      'attn.scores': [c.nHeads, T, P],
      'attn.probs': [c.nHeads, T, P],
      'attn.heads': [T, c.dim],
      'attn.out': [T, c.dim],
      'ffn_norm.in': [T, c.dim],
      'ffn_norm.out': [T, c.dim],
      'ffn.gate': [T, c.hiddenDim],
      'ffn.act': [T, c.hiddenDim],
      'ffn.up': [T, c.hiddenDim],
      'ffn.hidden': [T, c.hiddenDim],
      'ffn.out': [T, c.dim],
      resid: [T, c.dim],
    };
    expect(Object.keys(width).sort()).toEqual([...LAYER_TAPS].sort());
    for (let l = 0; l < c.nLayers; l++) {
      for (const [tap, shape] of Object.entries(width)) {
        const e = t.get(`L${l}.${tap}`)!;
        expect(e.name).toBe(`L${l}.${tap}`);
        expect(e.shape).toEqual(shape);
        expect(e.data.length).toBe(shape.reduce((x, y) => x * y, 1));
      }
    }
    expect(t.get('embed')!.shape).toEqual([T, c.dim]);
    expect(t.get('final.norm')!.shape).toEqual([T, c.dim]);
    expect(t.get('final.logits')!.shape).toEqual([T, c.vocabSize]);
    expect(t.size).toBe(3 + c.nLayers * LAYER_TAPS.length);
  });

  it('probs: rows sum to 1 over positions 0..pos, masked (future) positions are 0', () => {
    const b = createCpuBackend(model, undefined, { maxBatch: 4 });
    const T = toks.length;
    const t = b.forwardPromptSync(toks, 0, { trace: ['L*.attn.probs', 'L4.attn.scores'] }).trace!;
    for (let l = 0; l < c.nLayers; l++) {
      const p = t.get(`L${l}.attn.probs`)!.data;
      for (let h = 0; h < c.nHeads; h++) {
        for (let r = 0; r < T; r++) {
          const row = p.subarray((h * T + r) * T, (h * T + r + 1) * T);
          let s = 0;
          for (let k = 0; k <= r; k++) s += row[k];
          expect(Math.abs(s - 1)).toBeLessThan(1e-6);
          for (let k = r + 1; k < T; k++) expect(row[k]).toBe(0);
        }
      }
    }
    // probs = softmax(scores) row by row
    const sc = t.get('L4.attn.scores')!.data;
    const pr = t.get('L4.attn.probs')!.data;
    const h = 3;
    const r = 7;
    const row = Array.from(sc.subarray((h * T + r) * T, (h * T + r) * T + r + 1));
    const mx = Math.max(...row);
    const den = row.reduce((a, v) => a + Math.exp(v - mx), 0);
    const want = row.map((v) => Math.exp(v - mx) / den);
    expect(maxAbsDiff(pr.subarray((h * T + r) * T, (h * T + r) * T + r + 1), want)).toBeLessThan(
      1e-6,
    );
  });

  it('taps chain as the math says: resid = ffn_norm.in + ffn.out, next block starts from it', () => {
    const t = createCpuBackend(model).forwardPromptSync(toks, 0, {
      trace: [
        'L1.ffn_norm.in',
        'L1.ffn.out',
        'L1.resid',
        'L2.attn_norm.in',
        'L1.attn_norm.in',
        'L1.attn.out',
        'embed',
        'L0.attn_norm.in',
      ],
    }).trace!;
    const sum = (a: string, b: string) =>
      Array.from(t.get(a)!.data, (v, i) => Math.fround(v + t.get(b)!.data[i]));
    expect(Array.from(t.get('L1.resid')!.data)).toEqual(sum('L1.ffn_norm.in', 'L1.ffn.out'));
    expect(Array.from(t.get('L1.ffn_norm.in')!.data)).toEqual(
      sum('L1.attn_norm.in', 'L1.attn.out'),
    );
    expect(t.get('L2.attn_norm.in')!.data).toEqual(t.get('L1.resid')!.data);
    expect(t.get('L0.attn_norm.in')!.data).toEqual(t.get('embed')!.data);
  });

  it('a single-token forward gives rows of 1 and probs over pos + 1 positions', () => {
    const b = createCpuBackend(model);
    b.forwardPromptSync(toks.slice(0, 4), 0);
    const t = b.forwardSync(toks[4], 4, ['L0.attn.probs', 'final.logits', 'L2.ffn.gate']).trace!;
    expect(t.get('L0.attn.probs')!.shape).toEqual([c.nHeads, 1, 5]);
    expect(t.get('final.logits')!.shape).toEqual([1, c.vocabSize]);
    expect(t.get('L2.ffn.gate')!.shape).toEqual([1, c.hiddenDim]);
  });

  it('expands * and refuses unknown names and layers in words', () => {
    expect([...expandTraceRequest(['L*.resid'], 3)]).toEqual(['L0.resid', 'L1.resid', 'L2.resid']);
    expect(() => expandTraceRequest(['L0.attn.qq'], 5)).toThrow(/unknown trace tap "L0.attn.qq"/);
    expect(() => expandTraceRequest(['logits'], 5)).toThrow(/unknown trace tap "logits"/);
    expect(() => expandTraceRequest(['L5.resid'], 5)).toThrow(
      /layer 5 does not exist \(the model has 5\)/,
    );
    const b = createCpuBackend(model);
    expect(() => b.forwardSync(1, 0, ['nope'])).toThrow(/unknown trace tap/);
    expect(b.forwardSync(1, 0).logits.length).toBe(c.vocabSize); // and the backend still works
  });

  it('an untraced call returns no trace', () => {
    const b = createCpuBackend(model);
    expect(b.forwardSync(1, 0).trace).toBeUndefined();
    expect(b.forwardPromptSync([1, 2], 0).trace).toBeUndefined();
  });
});
