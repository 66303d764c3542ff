// The CPU backend: the `Backend` contract (types.ts) around CpuForward, plus synchronous methods
// for tests, benchmarks and the trainer's checks, which need no event loop round trip.
import type { Backend, ForwardResult, Knobs, Model, TraceRequest } from '../types.ts';
import { CpuForward, type CpuOptions, type RunResult } from './forward.ts';
import type { PagedSequences } from '../paged/sequences.ts';

export type { CpuOptions } from './forward.ts';

export interface CpuBackend extends Backend {
  readonly kind: 'cpu';
  /** Matrix kernels in use: 'simd' (WebAssembly SIMD) or 'js' (where SIMD is unavailable or not asked for). */
  readonly kernels: 'simd' | 'js';
  /** KV-cache length in positions (CpuOptions.maxPositions, default seqLen). */
  readonly maxPositions: number;
  /** Rows per matrix-matrix pass: the most sequences decodeBatch takes at once. */
  readonly maxBatch: number;
  /** Positions 0 .. cacheLength-1 of the KV cache are filled under the current knobs. */
  readonly cacheLength: number;
  /** forward() without a Promise. */
  forwardSync(token: number, pos: number, trace?: TraceRequest): ForwardResult;
  /** forwardPrompt() without a Promise. */
  forwardPromptSync(
    tokens: readonly number[],
    startPos: number,
    options?: { trace?: TraceRequest; allLogits?: boolean },
  ): ForwardResult;
  /** Fastest decode: no trace, no result object; the returned logits array is reused. */
  decode(token: number, pos: number): Float32Array;
  /** The formula behind activation 'custom' (compiled above the engine); null clears it. */
  setCustomActivation(fn: ((x: number) => number) | null): void;
  /** Bytes held by the K and V caches under the current kvGroups knob. */
  kvCacheBytes(): number;
  /** Empty the KV cache. */
  reset(): void;
  /**
   * The paged KV cache's sequences (create, fork, free, stats), when the backend was created
   * with options.paged; else null.
   */
  readonly paged: PagedSequences | null;
  /** Feed tokens to a paged sequence from startPos (see CpuForward.runPaged). */
  runPaged(
    seq: number,
    tokens: readonly number[],
    startPos: number,
    options?: { allLogits?: boolean },
  ): RunResult;
  /** One decode step of several paged sequences in one batch; logits (B, vocab), reused. */
  decodeBatch(seqs: ArrayLike<number>, tokens: ArrayLike<number>): Float32Array;
  /** Bytes of K and V in one block of the paged cache under the current knobs. */
  pagedBlockBytes(): number;
}

/**
 * Create the CPU backend for a model: allocates the run state and KV cache once.
 * `knobs` defaults to defaultKnobs(model.config), the model exactly as trained.
 */
export function createCpuBackend(model: Model, knobs?: Knobs, options?: CpuOptions): CpuBackend {
  let fwd: CpuForward | null = new CpuForward(model, knobs, options);
  const live = (): CpuForward => {
    if (fwd === null) throw new Error('this CPU backend has been disposed');
    return fwd;
  };
  const forwardSync = (token: number, pos: number, trace?: TraceRequest): ForwardResult => {
    if (!trace) return { logits: live().decode(token, pos) };
    return live().run([token], pos, { trace });
  };
  const forwardPromptSync = (
    tokens: readonly number[],
    startPos: number,
    options?: { trace?: TraceRequest; allLogits?: boolean },
  ): ForwardResult => live().run(tokens, startPos, options);

  return {
    kind: 'cpu',
    config: model.config,
    kernels: live().kernels,
    get maxPositions() {
      return live().maxPositions;
    },
    get maxBatch() {
      return live().maxBatch;
    },
    get cacheLength() {
      return live().cacheLength;
    },
    setKnobs: (k) => live().setKnobs(k),
    getKnobs: () => live().getKnobs(),
    forward: async (token, pos, trace) => forwardSync(token, pos, trace),
    forwardPrompt: async (tokens, startPos, opts) => forwardPromptSync(tokens, startPos, opts),
    forwardSync,
    forwardPromptSync,
    decode: (token, pos) => live().decode(token, pos),
    setCustomActivation: (fn) => live().setCustomActivation(fn),
    kvCacheBytes: () => live().kvCacheBytes(),
    reset: () => live().reset(),
    get paged() {
      return live().paged;
    },
    runPaged: (seq, tokens, startPos, opts) => live().runPaged(seq, tokens, startPos, opts),
    decodeBatch: (seqs, tokens) => live().decodeBatch(seqs, tokens),
    pagedBlockBytes: () => live().pagedBlockBytes(),
    dispose: () => {
      fwd = null;
    },
  };
}
