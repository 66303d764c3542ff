// The block pool of a paged KV cache (vLLM's block allocator): a fixed number of physical
// blocks, each holding the keys and values of `blockSize` consecutive positions of one sequence
// (every layer). A block carries a reference count: how many sequences' block tables point at
// it. Forking a sequence shares its blocks (count + 1); a block goes back to the free list when
// its count reaches 0. Pure bookkeeping: no K/V values live here (the engine stores them).
import { SettingsError } from '../errors.ts';

/** The pool has no free block left for a write (too many sequences or positions at once). */
export class KvCacheFullError extends SettingsError {}

export class BlockPool {
  readonly numBlocks: number;
  /** Reference count of each physical block (0 = free). */
  private readonly refs: Int32Array;
  /** Free block ids, a stack: the most recently freed block is reused first. */
  private readonly freeList: Int32Array;
  private nFree: number;

  constructor(numBlocks: number) {
    if (!Number.isInteger(numBlocks) || numBlocks < 1) {
      throw new SettingsError('paged_blocks', { got: numBlocks });
    }
    this.numBlocks = numBlocks;
    this.refs = new Int32Array(numBlocks);
    this.freeList = new Int32Array(numBlocks);
    this.nFree = numBlocks;
    // Hand out block 0 first, then 1, ...: the stack holds them in reverse.
    for (let i = 0; i < numBlocks; i++) this.freeList[i] = numBlocks - 1 - i;
  }

  /** Blocks not in any sequence's table. */
  get free(): number {
    return this.nFree;
  }

  /** Blocks in at least one sequence's table. */
  get used(): number {
    return this.numBlocks - this.nFree;
  }

  /** Blocks in more than one sequence's table (shared after a fork). */
  get shared(): number {
    let n = 0;
    for (let i = 0; i < this.numBlocks; i++) if (this.refs[i] > 1) n++;
    return n;
  }

  refCount(block: number): number {
    this.checkId(block);
    return this.refs[block];
  }

  /** Take a free block (its count becomes 1). Throws KvCacheFullError when none is left. */
  allocate(): number {
    if (this.nFree === 0) {
      throw new KvCacheFullError('paged_full', { blocks: this.numBlocks });
    }
    const b = this.freeList[--this.nFree];
    this.refs[b] = 1;
    return b;
  }

  /** One more table points at `block`. */
  retain(block: number): void {
    this.checkLive(block);
    this.refs[block]++;
  }

  /** One table fewer points at `block`; at 0 it is free again. */
  release(block: number): void {
    this.checkLive(block);
    if (--this.refs[block] === 0) this.freeList[this.nFree++] = block;
  }

  /** Free every block at once (the engine's knobs changed: every stored value is stale). */
  reset(): void {
    this.refs.fill(0);
    this.nFree = this.numBlocks;
    for (let i = 0; i < this.numBlocks; i++) this.freeList[i] = this.numBlocks - 1 - i;
  }

  private checkId(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block >= this.numBlocks) {
      throw new Error(`block ${block} is not in the pool (0..${this.numBlocks - 1})`);
    }
  }

  private checkLive(block: number): void {
    this.checkId(block);
    if (this.refs[block] === 0) throw new Error(`block ${block} is free`);
  }
}
