// The CPU forward pass, structured like llama2.c's run.c: read-only weights (the Model), a run
// state and KV cache allocated once, and a forward function that reads top to bottom like the
// paper. One code path serves both single-token decode (T = 1, matrix-vector products) and the
// prompt pass (T rows at once, matrix-matrix products); the kernels sum every dot product in
// the same order either way, so the two give bit-identical numbers.
import { headSize, kvDim } from '../config.ts';
import { checkFeed } from '../feed-check.ts';
import { fillRopeTable } from '../rope-scaling.ts';
import { poolKvWeights } from '../math.ts';
import { defaultKnobs, validateKnobs } from '../knobs.ts';
import { Tracer, layerTapNames, type LayerTapNames } from '../trace.ts';
import { SettingsError } from '../errors.ts';
import type { Config, Knobs, Model, Trace, TraceRequest } from '../types.ts';
import { JS_KERNELS, createSimdKernels, type CpuKernels } from './simd-kernels.ts';
import { MAX_BLOCK_SIZE, PagedKv, blocksFor, type PagedOptions } from './paged-kv.ts';
import type { PagedSequences } from '../paged/sequences.ts';
import { KvCacheFullError } from '../paged/block-pool.ts';
import { add, embed, gelu, layernorm, mapInPlace, mul, relu, rmsnorm, rope } from './ops.ts';

export interface CpuOptions {
  /**
   * KV-cache length in positions (default config.seqLen). Ask for more (e.g. 4 * seqLen) to run
   * long-context experiments with RoPE scaling; positions past it are refused with an Error.
   */
  maxPositions?: number;
  /** Rows per matrix-matrix chunk of a prompt pass (default 64). Longer prompts run in chunks. */
  maxBatch?: number;
  /**
   * Kernels for matmul, matmul_batched, attn_scores, softmax, attn_mix and silu: 'simd'
   * (default) runs them as WebAssembly SIMD (simd-kernels.wat, float32 sums like run.c) and
   * falls back to 'js' where that is unavailable; 'js' uses ops.ts only (float64 sums).
   */
  kernels?: 'simd' | 'js';
  /**
   * Also allocate a paged KV cache (a pool of blocks of `blockSize` positions, a block table per
   * sequence) for runPaged/decodeBatch: many sequences side by side, forks sharing blocks.
   * The contiguous cache of run/decode is unaffected.
   */
  paged?: PagedOptions;
}

/** The weight matrices the matmul kernels read (inside the SIMD memory when kernels = 'simd'). */
interface MatmulWeights {
  wq: Float32Array;
  wk: Float32Array;
  wv: Float32Array;
  wo: Float32Array;
  w1: Float32Array;
  w2: Float32Array;
  w3: Float32Array | null;
  wcls: Float32Array;
}

export interface RunOptions {
  trace?: TraceRequest;
  /** Return the logits of every fed row (T x vocab, a fresh array) as well as the last. */
  allLogits?: boolean;
}

export interface RunResult {
  /** Logits of the last fed row (vocab). Reused by the next call. */
  logits: Float32Array;
  allLogits?: Float32Array;
  trace?: Trace;
}

/** Largest cache we agree to allocate, in floats (1 GiB of K and V together). */
const MAX_CACHE_FLOATS = 2 ** 28;

export class CpuForward {
  readonly config: Config;
  readonly headSize: number;
  readonly maxPositions: number;
  readonly maxBatch: number;
  private readonly model: Model;
  /** Which matrix kernels run: 'simd' or 'js' (CpuOptions.kernels, after fallback). */
  readonly kernels: 'simd' | 'js';
  private readonly mm: CpuKernels;
  private readonly mw: MatmulWeights;
  private knobs: Knobs;
  private customActivation: ((x: number) => number) | null = null;
  private readonly names: LayerTapNames[];

  // Run state, (maxBatch, width) each, as run.c's RunState but with a row per fed token.
  private readonly x: Float32Array; // residual stream (B, dim)
  private readonly xb: Float32Array; // normed input / attention heads (B, dim)
  private readonly xb2: Float32Array; // a block's output before the residual add (B, dim)
  private readonly q: Float32Array; // (B, dim)
  private readonly k: Float32Array; // (B, kvDim)
  private readonly v: Float32Array; // (B, kvDim)
  private readonly hb: Float32Array; // FFN hidden (B, hidden)
  private readonly hb2: Float32Array; // FFN up projection (B, hidden)
  private readonly att: Float32Array; // scores/probs of one row (n_heads, maxPositions)
  private readonly logits: Float32Array; // (vocab)
  private batchLogits: Float32Array | null = null; // (B, vocab), made on the first allLogits call
  private readonly keyCache: Float32Array; // (layer, maxPositions, kvDim)
  private readonly valueCache: Float32Array; // (layer, maxPositions, kvDim)
  private readonly ropeCos: Float32Array; // (maxPositions, hs/2)
  private readonly ropeSin: Float32Array; // (maxPositions, hs/2)

  // K/V projections in use: the model's own, or mean-pooled copies for kvGroups < nKvHeads.
  private wk: Float32Array;
  private wv: Float32Array;
  private pooledWk: Float32Array | null = null;
  private pooledWv: Float32Array | null = null;
  private poolScratch: Float32Array | null = null;
  /** kv heads actually used (= knobs.kvGroups) and their width. */
  private nKv: number;
  private kvDim: number;
  /** How many positions of the KV cache hold values computed under the current knobs. */
  private cacheLen = 0;
  private readonly oneToken = new Int32Array(1);
  /** The paged KV cache (CpuOptions.paged), or null. */
  private readonly pagedKv: PagedKv | null = null;
  /** True while a chunk's rows go through the paged cache (their slots are in pagedKv). */
  private pagedRows = false;
  private batchOut: Float32Array | null = null; // (maxBatch, vocab), decodeBatch's result

  constructor(model: Model, knobs?: Knobs, options: CpuOptions = {}) {
    const c = model.config;
    this.model = model;
    this.config = c;
    this.headSize = headSize(c);
    if (!Number.isInteger(this.headSize) || this.headSize % 2 !== 0 || c.nHeads % c.nKvHeads) {
      // The loader refuses such files; a hand-built Model could still get here.
      throw new SettingsError('backend_heads', {
        dim: c.dim,
        heads: c.nHeads,
        kvHeads: c.nKvHeads,
      });
    }
    const maxPositions = options.maxPositions ?? c.seqLen;
    const maxBatch = options.maxBatch ?? 64;
    if (!Number.isInteger(maxPositions) || maxPositions < 1) {
      throw new SettingsError('backend_max_positions', { got: maxPositions });
    }
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new SettingsError('backend_max_batch', { got: maxBatch });
    }
    const kvDimFull = kvDim(c);
    const paged = options.paged && checkPaged(options.paged, maxPositions);
    const poolFloats = paged ? PagedKv.poolFloats(c.nLayers, kvDimFull, paged) : 0;
    if (paged && 2 * poolFloats > MAX_CACHE_FLOATS) {
      throw new SettingsError('paged_too_large', {
        blocks: paged.numBlocks,
        blockSize: paged.blockSize,
        mib: (8 * poolFloats) / 2 ** 20,
      });
    }
    if (2 * c.nLayers * maxPositions * kvDimFull > MAX_CACHE_FLOATS) {
      throw new SettingsError('backend_kv_too_large', {
        positions: maxPositions,
        mib: (8 * c.nLayers * maxPositions * kvDimFull) / 2 ** 20,
      });
    }
    if (c.ffn === 'swiglu' && model.weights.w3 === null) {
      throw new Error('a SwiGLU FFN needs w3 weights, but the model has none');
    }
    this.maxPositions = maxPositions;
    this.maxBatch = Math.min(maxBatch, maxPositions);
    this.names = layerTapNames(c.nLayers);
    const B = this.maxBatch;
    const w = model.weights;

    // Everything a matmul touches lives in one place: the SIMD kernels' memory, sized here once.
    const cacheFloats = c.nLayers * maxPositions * kvDimFull;
    const stateFloats =
      B * (4 * c.dim + 2 * kvDimFull + 2 * c.hiddenDim) +
      c.vocabSize +
      B * c.vocabSize +
      c.nHeads * maxPositions +
      2 * cacheFloats +
      2 * poolFloats;
    const matrices = [w.wq, w.wk, w.wv, w.wo, w.w1, w.w2, w.w3, w.wcls];
    const weightFloats = matrices.reduce((a, m) => a + (m?.length ?? 0), 0);
    const pooledFloats = c.nKvHeads > 1 ? w.wk.length + w.wv.length : 0;
    const simd =
      (options.kernels ?? 'simd') === 'simd'
        ? createSimdKernels(stateFloats + weightFloats + pooledFloats)
        : null;
    const mm = simd ?? JS_KERNELS;
    this.mm = mm;
    this.kernels = mm.kind;
    const L = c.nLayers;
    this.mw = {
      wq: mm.place(w.wq, L, c.dim, c.dim),
      wk: mm.place(w.wk, L, kvDimFull, c.dim),
      wv: mm.place(w.wv, L, kvDimFull, c.dim),
      wo: mm.place(w.wo, L, c.dim, c.dim),
      w1: mm.place(w.w1, L, c.hiddenDim, c.dim),
      w2: mm.place(w.w2, L, c.dim, c.hiddenDim),
      w3: w.w3 && mm.place(w.w3, L, c.hiddenDim, c.dim),
      wcls: mm.place(w.wcls, 1, c.vocabSize, c.dim),
    };

    this.x = mm.alloc(B * c.dim);
    this.xb = mm.alloc(B * c.dim);
    this.xb2 = mm.alloc(B * c.dim);
    this.q = mm.alloc(B * c.dim);
    this.k = mm.alloc(B * kvDimFull);
    this.v = mm.alloc(B * kvDimFull);
    this.hb = mm.alloc(B * c.hiddenDim);
    this.hb2 = mm.alloc(B * c.hiddenDim);
    this.att = mm.alloc(c.nHeads * maxPositions);
    this.logits = mm.alloc(c.vocabSize);
    this.keyCache = mm.alloc(cacheFloats);
    this.valueCache = mm.alloc(cacheFloats);
    if (paged) this.pagedKv = new PagedKv(mm, L, kvDimFull, paged, maxPositions, B);
    this.ropeCos = new Float32Array((maxPositions * this.headSize) / 2);
    this.ropeSin = new Float32Array((maxPositions * this.headSize) / 2);
    this.wk = this.mw.wk;
    this.wv = this.mw.wv;
    this.nKv = c.nKvHeads;
    this.kvDim = kvDimFull;
    this.knobs = defaultKnobs(c);
    this.applyKnobs(knobs ?? this.knobs);
  }

  getKnobs(): Knobs {
    return { ...this.knobs };
  }

  /**
   * Validate and apply knobs. Everything a knob changes is prepared here, once: the RoPE
   * cos/sin table and the pooled K/V weights. The KV cache is invalidated (its values were
   * computed under the old knobs), so the next call must start at position 0.
   */
  setKnobs(knobs: Knobs): void {
    this.applyKnobs(knobs);
  }

  private applyKnobs(knobs: Knobs): void {
    validateKnobs(knobs, this.config);
    if (knobs.activation === 'custom' && this.customActivation === null) {
      throw new SettingsError('backend_custom_needs_formula', {});
    }
    const k = { ...knobs };
    fillRopeTable(
      this.ropeCos,
      this.ropeSin,
      this.maxPositions,
      this.headSize,
      k,
      this.config.seqLen,
    );
    this.poolKv(k.kvGroups);
    this.knobs = k;
    this.cacheLen = 0;
    this.pagedKv?.setKvDim(this.kvDim);
  }

  /**
   * Mean-pool the K and V projections of each group of nKvHeads/g consecutive kv heads (the
   * GQA paper's checkpoint conversion). Pooling the weight rows is the same as pooling the
   * heads' K/V outputs, because k_h = Wk_h x is linear in Wk_h: mean_h(Wk_h x) = (mean_h Wk_h) x.
   * RoPE rotates every head of a position by the same angles (also linear), so pooled-then-rotated
   * keys equal rotated-then-pooled ones. Doing it once per knob change keeps decoding at full
   * speed, and it shrinks the KV cache as a real GQA model's would.
   */
  private poolKv(g: number): void {
    const c = this.config;
    const w = this.model.weights;
    this.nKv = g;
    this.kvDim = g * this.headSize;
    if (g === c.nKvHeads) {
      this.wk = this.mw.wk;
      this.wv = this.mw.wv;
      return;
    }
    const hs = this.headSize;
    const kvDimFull = kvDim(c);
    const n = c.dim;
    const size = c.nLayers * kvDimFull * n;
    this.pooledWk ??= this.mm.alloc(size);
    this.pooledWv ??= this.mm.alloc(size);
    // Pool row-major into a scratch array, then hand it to the kernels in their layout.
    this.poolScratch ??= new Float32Array(size);
    const tmp = this.poolScratch;
    for (const [src, dst] of [
      [w.wk, this.pooledWk],
      [w.wv, this.pooledWv],
    ] as const) {
      poolKvWeights(src, tmp, c.nLayers, c.nKvHeads, g, hs, n);
      this.mm.placeInto(dst, tmp, c.nLayers, this.kvDim, n);
    }
    this.wk = this.pooledWk;
    this.wv = this.pooledWv;
  }

  /** Use `fn` for activation 'custom' (a formula compiled above the engine); null to clear. */
  setCustomActivation(fn: ((x: number) => number) | null): void {
    if (fn === null && this.knobs.activation === 'custom') {
      throw new SettingsError('backend_custom_clear', {});
    }
    this.customActivation = fn;
    if (this.knobs.activation === 'custom') {
      this.cacheLen = 0;
      this.pagedKv?.seqs.clear();
    }
  }

  /** Bytes of K and V cache in use under the current knobs (all layers, maxPositions). */
  kvCacheBytes(): number {
    return 2 * 4 * this.config.nLayers * this.maxPositions * this.kvDim;
  }

  /** Positions 0 .. cacheLength-1 of the KV cache hold values under the current knobs. */
  get cacheLength(): number {
    return this.cacheLen;
  }

  /** Forget the KV cache (the next call must start at position 0). */
  reset(): void {
    this.cacheLen = 0;
  }

  /**
   * Feed tokens at positions startPos .. startPos+T-1 and return the logits of the last one.
   * The positions before startPos must already be in the cache.
   */
  run(tokens: ArrayLike<number>, startPos: number, options: RunOptions = {}): RunResult {
    const c = this.config;
    const T = tokens.length;
    this.check(tokens, startPos);
    const tracer = options.trace ? new Tracer(options.trace, c.nLayers, T, startPos + T) : null;
    const wantAll = options.allLogits === true || (tracer?.wants('final.logits') ?? false);
    const allLogits = wantAll ? new Float32Array(T * c.vocabSize) : undefined;
    this.feed(tokens, startPos, tracer, allLogits);
    if (allLogits) {
      tracer?.rows('final.logits', allLogits, 0, T, c.vocabSize);
      this.logits.set(allLogits.subarray((T - 1) * c.vocabSize));
    }
    const result: RunResult = { logits: this.logits };
    if (options.allLogits) result.allLogits = allLogits;
    if (tracer) result.trace = tracer.trace;
    return result;
  }

  /**
   * The hot path of generation: feed one token at `pos`, return the logits (vocab; the array is
   * reused by the next call). Allocates nothing.
   */
  decode(token: number, pos: number): Float32Array {
    this.oneToken[0] = token;
    this.check(this.oneToken, pos);
    this.feed(this.oneToken, pos, null, undefined);
    return this.logits;
  }

  /** The paged cache's sequences (create, fork, free, stats); null without CpuOptions.paged. */
  get paged(): PagedSequences | null {
    return this.pagedKv?.seqs ?? null;
  }

  /** Bytes of K and V one block of the paged cache holds under the current knobs. */
  pagedBlockBytes(): number {
    return this.requirePaged().blockBytes();
  }

  /**
   * Feed tokens to paged sequence `seq` at positions startPos.. (startPos at most its length;
   * positions from startPos on are forgotten first) in matrix-matrix chunks, and return the
   * logits of the last row (every row too with allLogits). The same numbers as run() on the
   * contiguous cache with the same tokens.
   */
  runPaged(
    seq: number,
    tokens: ArrayLike<number>,
    startPos: number,
    options: { allLogits?: boolean } = {},
  ): RunResult {
    const kv = this.requirePaged();
    const c = this.config;
    const T = tokens.length;
    checkFeed(c, tokens, startPos, kv.seqs.length(seq), this.maxPositions);
    const need = kv.seqs.blocksNeeded(seq, startPos, T);
    if (need > kv.seqs.pool.free) {
      throw new KvCacheFullError('paged_full_positions', {
        free: kv.seqs.pool.free,
        blocks: kv.numBlocks,
        positions: T,
        seq,
        need,
      });
    }
    const allLogits = options.allLogits ? new Float32Array(T * c.vocabSize) : undefined;
    this.pagedRows = true;
    try {
      for (let r0 = 0; r0 < T; r0 += this.maxBatch) {
        const rows = Math.min(this.maxBatch, T - r0);
        kv.seqs.reserve(seq, startPos + r0, rows, kv.slot);
        const table = kv.seqs.table(seq);
        for (let r = 0; r < rows; r++) {
          kv.pos[r] = startPos + r0 + r;
          kv.tables[r] = table;
        }
        this.chunk(tokens, r0, rows, startPos + r0, null, allLogits);
      }
    } finally {
      this.pagedRows = false;
    }
    if (allLogits) this.logits.set(allLogits.subarray((T - 1) * c.vocabSize));
    const result: RunResult = { logits: this.logits };
    if (allLogits) result.allLogits = allLogits;
    return result;
  }

  /**
   * One decode step of several paged sequences side by side, in one batch: tokens[i] goes to
   * sequence seqs[i] at the next position (its length). Returns the logits, (B, vocab) row i
   * for seqs[i]; the array is reused by the next call. Each row's numbers are the same as
   * decode() on the contiguous cache would give for that sequence alone.
   */
  decodeBatch(seqs: ArrayLike<number>, tokens: ArrayLike<number>): Float32Array {
    const kv = this.requirePaged();
    const c = this.config;
    const B = seqs.length;
    if (B === 0 || tokens.length !== B) {
      throw new SettingsError('paged_batch_tokens', { seqs: B, tokens: tokens.length });
    }
    if (B > this.maxBatch) {
      throw new SettingsError('paged_batch_too_large', { max: this.maxBatch, got: B });
    }
    let need = 0;
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < i; j++) {
        if (seqs[j] === seqs[i]) throw new SettingsError('paged_batch_twice', { seq: seqs[i] });
      }
      const len = kv.seqs.length(seqs[i]);
      this.oneToken[0] = tokens[i];
      checkFeed(c, this.oneToken, len, len, this.maxPositions);
      need += kv.seqs.blocksNeeded(seqs[i], len, 1);
    }
    if (need > kv.seqs.pool.free) {
      throw new KvCacheFullError('paged_full_batch', {
        free: kv.seqs.pool.free,
        blocks: kv.numBlocks,
        need,
        batch: B,
      });
    }
    for (let r = 0; r < B; r++) {
      const len = kv.seqs.length(seqs[r]);
      kv.seqs.reserve(seqs[r], len, 1, kv.slot, r);
      kv.pos[r] = len;
      kv.tables[r] = kv.seqs.table(seqs[r]);
    }
    this.batchOut ??= new Float32Array(this.maxBatch * c.vocabSize);
    this.pagedRows = true;
    try {
      this.chunk(tokens, 0, B, 0, null, this.batchOut);
    } finally {
      this.pagedRows = false;
    }
    return this.batchOut.subarray(0, B * c.vocabSize);
  }

  private requirePaged(): PagedKv {
    if (this.pagedKv === null) {
      throw new SettingsError('paged_no_cache', {});
    }
    return this.pagedKv;
  }

  /** Throw a clear Error for tokens or positions that cannot be fed. */
  private check(tokens: ArrayLike<number>, startPos: number): void {
    checkFeed(this.config, tokens, startPos, this.cacheLen, this.maxPositions);
  }

  /** Run already-checked tokens through the model, in chunks of at most maxBatch rows. */
  private feed(
    tokens: ArrayLike<number>,
    startPos: number,
    tracer: Tracer | null,
    allLogits: Float32Array | undefined,
  ): void {
    const T = tokens.length;
    // Positions from startPos on are overwritten: only once every chunk has run do they count.
    this.cacheLen = Math.min(this.cacheLen, startPos);
    for (let r0 = 0; r0 < T; r0 += this.maxBatch) {
      const rows = Math.min(this.maxBatch, T - r0);
      this.chunk(tokens, r0, rows, startPos + r0, tracer, allLogits);
    }
    this.cacheLen = startPos + T;
  }

  /**
   * One matrix-matrix chunk: B rows, tokens[row0 ..], at positions p0 .. p0+B-1 (row0 is also
   * the chunk's first row in the trace and in allLogits).
   */
  private chunk(
    tokens: ArrayLike<number>,
    row0: number,
    B: number,
    p0: number,
    tr: Tracer | null,
    allLogits: Float32Array | undefined,
  ): void {
    const c = this.config;
    const w = this.model.weights;
    const mw = this.mw;
    const mm = this.mm;
    const kn = this.knobs;
    const { dim, hiddenDim: hidden, nHeads } = c;
    const hs = this.headSize;
    const kvDim = this.kvDim;
    const kvMul = nHeads / this.nKv; // query heads per kv head
    const eps = kn.normEps;
    const norm = kn.norm === 'layernorm' ? layernorm : rmsnorm;
    const maxPos = this.maxPositions;
    const { x, xb, xb2, q, k, v, hb, hb2, att, keyCache, valueCache } = this;
    const paged = this.pagedRows ? this.pagedKv : null;

    embed(x, w.tokenEmbedding, tokens, row0, B, dim);
    tr?.rows('embed', x, row0, B, dim);

    for (let l = 0; l < c.nLayers; l++) {
      const nm = this.names[l];
      // Attention: xb = norm(x); q, k, v = Wq xb, Wk xb, Wv xb
      tr?.rows(nm['attn_norm.in'], x, row0, B, dim);
      norm(xb, x, w.rmsAtt, l * dim, B, dim, eps);
      tr?.rows(nm['attn_norm.out'], xb, row0, B, dim);
      mm.matmulBatched(q, xb, mw.wq, l * dim * dim, B, dim, dim);
      mm.matmulBatched(k, xb, this.wk, l * kvDim * dim, B, dim, kvDim);
      mm.matmulBatched(v, xb, this.wv, l * kvDim * dim, B, dim, kvDim);
      if (tr) {
        tr.rows(nm['attn.q'], q, row0, B, dim);
        tr.rows(nm['attn.k'], k, row0, B, kvDim);
        tr.rows(nm['attn.v'], v, row0, B, kvDim);
      }
      if (kn.rope) {
        for (let r = 0; r < B; r++) {
          const pos = paged ? paged.pos[r] : p0 + r;
          rope(q, r * dim, dim, hs, this.ropeCos, this.ropeSin, pos);
          rope(k, r * kvDim, kvDim, hs, this.ropeCos, this.ropeSin, pos);
        }
      }
      if (tr) {
        tr.rows(nm['attn.q_rot'], q, row0, B, dim);
        tr.rows(nm['attn.k_rot'], k, row0, B, kvDim);
      }
      if (paged) {
        // The paged cache: each row's k, v into its slot, attention through its block table.
        paged.store(l, B, k, v);
        paged.attend(mm, l, B, q, xb, att, maxPos, nHeads, hs, kvMul);
      } else {
        // Store k, v at their positions: cache layout (layer, position, kvDim).
        const lOff = l * maxPos * kvDim;
        for (let i = 0, o = lOff + p0 * kvDim; i < B * kvDim; i++) {
          keyCache[o + i] = k[i];
          valueCache[o + i] = v[i];
        }

        // Multi-head attention, each fed row over cache positions 0..pos (causal).
        for (let r = 0; r < B; r++) {
          const pos = p0 + r;
          for (let h = 0; h < nHeads; h++) {
            const kvOff = lOff + Math.floor(h / kvMul) * hs;
            const a = h * maxPos;
            mm.attnScores(att, a, q, r * dim + h * hs, keyCache, kvOff, kvDim, hs, pos + 1);
            tr?.attnRow(nm['attn.scores'], nHeads, h, row0 + r, att, a, pos + 1);
            mm.softmax(att, a, pos + 1);
            tr?.attnRow(nm['attn.probs'], nHeads, h, row0 + r, att, a, pos + 1);
            mm.attnMix(xb, r * dim + h * hs, att, a, valueCache, kvOff, kvDim, hs, pos + 1);
          }
        }
      }
      tr?.rows(nm['attn.heads'], xb, row0, B, dim);
      mm.matmulBatched(xb2, xb, mw.wo, l * dim * dim, B, dim, dim);
      tr?.rows(nm['attn.out'], xb2, row0, B, dim);
      add(x, x, xb2, B * dim);

      // FFN: x += W2 (act(W1 xb) * W3 xb)   (or W2 act(W1 xb) for a plain MLP)
      tr?.rows(nm['ffn_norm.in'], x, row0, B, dim);
      norm(xb, x, w.rmsFfn, l * dim, B, dim, eps);
      tr?.rows(nm['ffn_norm.out'], xb, row0, B, dim);
      mm.matmulBatched(hb, xb, mw.w1, l * hidden * dim, B, dim, hidden);
      tr?.rows(nm['ffn.gate'], hb, row0, B, hidden);
      this.activate(hb, B * hidden);
      tr?.rows(nm['ffn.act'], hb, row0, B, hidden);
      if (c.ffn === 'swiglu') {
        mm.matmulBatched(hb2, xb, mw.w3!, l * hidden * dim, B, dim, hidden);
        tr?.rows(nm['ffn.up'], hb2, row0, B, hidden);
        mul(hb, hb, hb2, B * hidden);
      }
      tr?.rows(nm['ffn.hidden'], hb, row0, B, hidden);
      mm.matmulBatched(xb2, hb, mw.w2, l * dim * hidden, B, hidden, dim);
      tr?.rows(nm['ffn.out'], xb2, row0, B, dim);
      add(x, x, xb2, B * dim);
      tr?.rows(nm.resid, x, row0, B, dim);
    }

    // Final norm and classifier: every row when asked for, else only the last one.
    norm(xb, x, w.rmsFinal, 0, B, dim, eps);
    tr?.rows('final.norm', xb, row0, B, dim);
    if (allLogits) {
      // One matrix-matrix pass through the classifier (the largest matrix) for all B rows.
      this.batchLogits ??= mm.alloc(this.maxBatch * c.vocabSize);
      mm.matmulBatched(this.batchLogits, xb, mw.wcls, 0, B, dim, c.vocabSize);
      allLogits.set(this.batchLogits.subarray(0, B * c.vocabSize), row0 * c.vocabSize);
    } else {
      mm.matmul(this.logits, 0, xb, (B - 1) * dim, mw.wcls, 0, dim, c.vocabSize);
    }
  }

  private activate(h: Float32Array, n: number): void {
    switch (this.knobs.activation) {
      case 'silu':
        return this.mm.silu(h, 0, n);
      case 'gelu':
        return gelu(h, 0, n);
      case 'relu':
        return relu(h, 0, n);
      case 'custom':
        return mapInPlace(h, 0, n, this.customActivation!);
    }
  }
}

/** Validate CpuOptions.paged and fill in the default pool size. */
function checkPaged(p: PagedOptions, maxPositions: number): Required<PagedOptions> {
  const bs = p.blockSize;
  if (!Number.isInteger(bs) || bs < 1 || bs > MAX_BLOCK_SIZE) {
    throw new SettingsError('paged_block_size_range', { max: MAX_BLOCK_SIZE, got: bs });
  }
  const numBlocks = p.numBlocks ?? 8 * blocksFor(maxPositions, bs);
  if (!Number.isInteger(numBlocks) || numBlocks < 1) {
    throw new SettingsError('paged_blocks', { got: numBlocks });
  }
  return { blockSize: bs, numBlocks };
}
