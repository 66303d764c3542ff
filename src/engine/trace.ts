// Trace: named taps of the values inside a forward pass, for the chapters to show.
//
// A call feeds T tokens at positions startPos .. startPos+T-1 (T = 1 for a single-token forward);
// P = startPos + T is the number of cache positions the last token attends to. Every tap has the
// fed rows as its leading dimension, in feeding order. kvDim = kvGroups * headSize (the K/V width
// actually used, after the kvGroups knob), hidden = config.hiddenDim.
//
// | tap                  | shape          | value                                                   |
// | -------------------- | -------------- | ------------------------------------------------------- |
// | embed                | (T, dim)       | token embedding rows                                    |
// | L{l}.attn_norm.in    | (T, dim)       | residual stream entering block l                        |
// | L{l}.attn_norm.out   | (T, dim)       | after the attention norm                                |
// | L{l}.attn.q          | (T, dim)       | Wq x (all heads, head h at columns h*hs ..)             |
// | L{l}.attn.k          | (T, kvDim)     | Wk x                                                    |
// | L{l}.attn.v          | (T, kvDim)     | Wv x                                                    |
// | L{l}.attn.q_rot      | (T, dim)       | q after RoPE (equal to q when RoPE is off)              |
// | L{l}.attn.k_rot      | (T, kvDim)     | k after RoPE                                            |
// | L{l}.attn.scores     | (heads, T, P)  | q.k / sqrt(hs) for every cache position; masked = 0     |
// | L{l}.attn.probs      | (heads, T, P)  | softmax of the scores; each row sums to 1; masked = 0   |
// | L{l}.attn.heads      | (T, dim)       | sum_t probs * v, the heads side by side (before Wo)     |
// | L{l}.attn.out        | (T, dim)       | Wo heads: what attention adds to the residual           |
// | L{l}.ffn_norm.in     | (T, dim)       | residual after attention                                |
// | L{l}.ffn_norm.out    | (T, dim)       | after the FFN norm                                      |
// | L{l}.ffn.gate        | (T, hidden)    | W1 x, before the activation                             |
// | L{l}.ffn.act         | (T, hidden)    | act(W1 x)                                               |
// | L{l}.ffn.up          | (T, hidden)    | W3 x (SwiGLU only; never captured for an 'mlp' FFN)     |
// | L{l}.ffn.hidden      | (T, hidden)    | act(W1 x) * W3 x (SwiGLU) or act(W1 x) (MLP)            |
// | L{l}.ffn.out         | (T, dim)       | W2 hidden: what the FFN adds to the residual            |
// | L{l}.resid           | (T, dim)       | residual stream leaving block l                         |
// | final.norm           | (T, dim)       | after the final norm                                    |
// | final.logits         | (T, vocab)     | classifier output for every fed row                     |
//
// `*` in place of a layer index matches every layer (`L*.attn.probs`). Unknown names throw.
// Cost: with no request the forward pass never builds a Tracer, so it allocates and copies
// nothing; with a request each captured tap costs one copy into its own fresh array.
import { SettingsError } from './errors.ts';
import type { Trace, TraceEntry, TraceRequest } from './types.ts';

/** Per-layer tap suffixes, in the order they happen. */
export const LAYER_TAPS = [
  'attn_norm.in',
  'attn_norm.out',
  'attn.q',
  'attn.k',
  'attn.v',
  'attn.q_rot',
  'attn.k_rot',
  'attn.scores',
  'attn.probs',
  'attn.heads',
  'attn.out',
  'ffn_norm.in',
  'ffn_norm.out',
  'ffn.gate',
  'ffn.act',
  'ffn.up',
  'ffn.hidden',
  'ffn.out',
  'resid',
] as const;
export type LayerTap = (typeof LAYER_TAPS)[number];

/** Taps outside the layers. */
export const GLOBAL_TAPS = ['embed', 'final.norm', 'final.logits'] as const;

/** The tap names of one layer, built once per model so the hot path builds no strings. */
export type LayerTapNames = Record<LayerTap, string>;

export function layerTapNames(nLayers: number): LayerTapNames[] {
  const out: LayerTapNames[] = [];
  for (let l = 0; l < nLayers; l++) {
    const names = {} as LayerTapNames;
    for (const t of LAYER_TAPS) names[t] = `L${l}.${t}`;
    out.push(names);
  }
  return out;
}

/** Expand `*` and check every name; throws an Error naming the first bad entry. */
export function expandTraceRequest(request: TraceRequest, nLayers: number): Set<string> {
  const out = new Set<string>();
  for (const name of request) {
    if ((GLOBAL_TAPS as readonly string[]).includes(name)) {
      out.add(name);
      continue;
    }
    const m = /^L(\*|\d+)\.(.+)$/.exec(name);
    if (!m || !(LAYER_TAPS as readonly string[]).includes(m[2])) {
      throw new SettingsError('trace_unknown_tap', {
        tap: name,
        global: GLOBAL_TAPS.join(', '),
        layer: LAYER_TAPS.join(', '),
      });
    }
    if (m[1] === '*') {
      for (let l = 0; l < nLayers; l++) out.add(`L${l}.${m[2]}`);
    } else {
      const l = Number(m[1]);
      if (l >= nLayers) {
        throw new SettingsError('trace_no_layer', { tap: name, layer: l, layers: nLayers });
      }
      out.add(`L${l}.${m[2]}`);
    }
  }
  return out;
}

/**
 * Collects the requested taps of one call. The forward pass may run in chunks of rows; each
 * copy says at which fed row it starts.
 */
export class Tracer {
  readonly trace: Trace = new Map();
  private readonly wanted: Set<string>;

  /**
   * @param request tap names (validated here)
   * @param nLayers model depth, for `*`
   * @param T rows fed by this call
   * @param P cache positions after the call (startPos + T)
   */
  constructor(
    request: TraceRequest,
    nLayers: number,
    readonly T: number,
    readonly P: number,
  ) {
    this.wanted = expandTraceRequest(request, nLayers);
  }

  wants(name: string): boolean {
    return this.wanted.has(name);
  }

  private entry(name: string, shape: number[]): TraceEntry {
    let e = this.trace.get(name);
    if (!e) {
      e = { name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
      this.trace.set(name, e);
    }
    return e;
  }

  /** Copy `rows` rows of `width` from src (starting at row 0) into tap rows row0 ... */
  rows(name: string, src: Float32Array, row0: number, rows: number, width: number): void {
    if (!this.wanted.has(name)) return;
    const e = this.entry(name, [this.T, width]);
    e.data.set(src.subarray(0, rows * width), row0 * width);
  }

  /** Copy one attention row (head h, fed row t, positions 0..n-1) into a (heads, T, P) tap. */
  attnRow(
    name: string,
    heads: number,
    h: number,
    t: number,
    src: Float32Array,
    srcOff: number,
    n: number,
  ): void {
    if (!this.wanted.has(name)) return;
    const e = this.entry(name, [heads, this.T, this.P]);
    e.data.set(src.subarray(srcOff, srcOff + n), (h * this.T + t) * this.P);
  }
}
