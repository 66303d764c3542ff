// The CPU engine's paged KV cache: the key and value pools (one physical block = `blockSize`
// positions of every layer, laid out (block, layer, slot, kvDim)), the block tables
// (../paged/sequences.ts) and the two steps of a layer that touch the cache: storing the fed
// rows' keys and values in their slots, and attention reading them back through each row's
// table. Rows of one chunk may belong to different sequences at different positions (a batch
// of sequences decoding side by side) or to one sequence (a prompt).
//
// Parity with the contiguous cache is exact: a block holds its positions with the same stride
// (kvDim) as the contiguous cache, the scores are per position, and the value mix adds the
// blocks in position order into one accumulator (attnMixPaged), so every sum is the same.
import { BlockPool } from '../paged/block-pool.ts';
import { PagedSequences } from '../paged/sequences.ts';
import type { CpuKernels } from './simd-kernels.ts';

export interface PagedOptions {
  /** Positions per block, 1..64 (vLLM's default is 16). */
  blockSize: number;
  /** Blocks in the pool (default: enough for 8 sequences of maxPositions each). */
  numBlocks?: number;
}

export const MAX_BLOCK_SIZE = 64;

/** Blocks that hold `positions` positions: ceil(positions / blockSize). */
export function blocksFor(positions: number, blockSize: number): number {
  return Math.ceil(positions / blockSize);
}

export class PagedKv {
  readonly seqs: PagedSequences;
  readonly blockSize: number;
  readonly numBlocks: number;
  private readonly nLayers: number;
  private readonly kPool: Float32Array;
  private readonly vPool: Float32Array;
  /** Width of a cached row under the current kvGroups knob. */
  private kvDim: number;
  /** Per row of the chunk being fed: its slot (block * blockSize + offset), position, table. */
  readonly slot: Int32Array;
  readonly pos: Int32Array;
  readonly tables: Int32Array[];

  constructor(
    mm: CpuKernels,
    nLayers: number,
    kvDimFull: number,
    opts: Required<PagedOptions>,
    maxPositions: number,
    maxBatch: number,
  ) {
    this.blockSize = opts.blockSize;
    this.numBlocks = opts.numBlocks;
    this.nLayers = nLayers;
    this.kvDim = kvDimFull;
    const floats = opts.numBlocks * nLayers * opts.blockSize * kvDimFull;
    this.kPool = mm.alloc(floats);
    this.vPool = mm.alloc(floats);
    this.seqs = new PagedSequences(
      new BlockPool(opts.numBlocks),
      opts.blockSize,
      maxPositions,
      (src, dst, slots) => this.copyBlock(src, dst, slots),
    );
    this.slot = new Int32Array(maxBatch);
    this.pos = new Int32Array(maxBatch);
    this.tables = new Array<Int32Array>(maxBatch);
  }

  /** Floats of K/V pool each (for sizing the kernels' memory). */
  static poolFloats(nLayers: number, kvDimFull: number, opts: Required<PagedOptions>): number {
    return opts.numBlocks * nLayers * opts.blockSize * kvDimFull;
  }

  /** The kv width changed (kvGroups knob): every stored value is stale, drop every sequence. */
  setKvDim(kvDim: number): void {
    this.kvDim = kvDim;
    this.seqs.clear();
  }

  /** Bytes of K and V one block holds under the current knobs (float32). */
  blockBytes(): number {
    return 2 * 4 * this.nLayers * this.blockSize * this.kvDim;
  }

  private get blockStride(): number {
    return this.nLayers * this.blockSize * this.kvDim;
  }

  private copyBlock(src: number, dst: number, slots: number): void {
    const bs = this.blockSize;
    const kvDim = this.kvDim;
    const stride = this.blockStride;
    for (let l = 0; l < this.nLayers; l++) {
      const s = src * stride + l * bs * kvDim;
      const d = dst * stride + l * bs * kvDim;
      this.kPool.copyWithin(d, s, s + slots * kvDim);
      this.vPool.copyWithin(d, s, s + slots * kvDim);
    }
  }

  /** Store rows 0..B-1 of k and v (B, kvDim) of layer l in their slots. */
  store(l: number, B: number, k: Float32Array, v: Float32Array): void {
    const bs = this.blockSize;
    const kvDim = this.kvDim;
    const stride = this.blockStride;
    const { kPool, vPool } = this;
    for (let r = 0; r < B; r++) {
      const s = this.slot[r];
      const b = Math.floor(s / bs);
      const o = b * stride + (l * bs + (s - b * bs)) * kvDim;
      const src = r * kvDim;
      for (let i = 0; i < kvDim; i++) {
        kPool[o + i] = k[src + i];
        vPool[o + i] = v[src + i];
      }
    }
  }

  /**
   * Multi-head attention of rows 0..B-1 at layer l, each over its own sequence's positions
   * 0..pos (causal), read through its block table: xb[r, head h] = softmax(q k^T / sqrt(hs)) V.
   */
  attend(
    mm: CpuKernels,
    l: number,
    B: number,
    q: Float32Array,
    xb: Float32Array,
    att: Float32Array,
    attStride: number,
    nHeads: number,
    hs: number,
    kvMul: number,
  ): void {
    const bs = this.blockSize;
    const kvDim = this.kvDim;
    const stride = this.blockStride;
    const dim = nHeads * hs;
    const lOff = l * bs * kvDim;
    for (let r = 0; r < B; r++) {
      const nPos = this.pos[r] + 1;
      const table = this.tables[r];
      for (let h = 0; h < nHeads; h++) {
        const off = lOff + Math.floor(h / kvMul) * hs;
        const a = h * attStride;
        const qOff = r * dim + h * hs;
        mm.attnScoresPaged(att, a, q, qOff, this.kPool, off, table, stride, bs, kvDim, hs, nPos);
        mm.softmax(att, a, nPos);
        mm.attnMixPaged(xb, qOff, att, a, this.vPool, off, table, stride, bs, kvDim, hs, nPos);
      }
    }
  }
}
