// Block tables of a paged KV cache: for each sequence, the physical block that holds its
// positions [i * blockSize, (i + 1) * blockSize) is table[i]. A sequence's positions need not sit
// together in memory; attention reads them through the table. Forking copies a table and shares
// every block (nothing is copied); the first write into a shared block copies it first
// (copy-on-write), so sequences that diverge after a shared prompt never see each other's values.
// Pure bookkeeping over a BlockPool: the engine stores the K/V values and does the copies, via
// the `copy` callback.
import { SettingsError } from '../errors.ts';
import { KvCacheFullError, type BlockPool } from './block-pool.ts';

/** Copy the first `slots` positions of block `src` into block `dst` (every layer, K and V). */
export type BlockCopy = (src: number, dst: number, slots: number) => void;

interface Sequence {
  table: Int32Array;
  nBlocks: number;
  length: number;
}

export interface SequenceView {
  id: number;
  /** Positions 0 .. length-1 are stored. */
  length: number;
  /** Physical block of each logical block, in order. */
  blocks: number[];
}

export interface PagedStats {
  blockSize: number;
  totalBlocks: number;
  /** Blocks in at least one table. */
  usedBlocks: number;
  /** Blocks in more than one table. */
  sharedBlocks: number;
  /** Blocks copied on write so far (since creation or the last reset). */
  copiedBlocks: number;
  /** Positions stored, summed over sequences (a shared position counts once per sequence). */
  tokens: number;
  sequences: SequenceView[];
}

export class PagedSequences {
  readonly pool: BlockPool;
  readonly blockSize: number;
  readonly maxBlocksPerSequence: number;
  private readonly copy: BlockCopy;
  private readonly seqs = new Map<number, Sequence>();
  private nextId = 0;
  private copies = 0;

  constructor(pool: BlockPool, blockSize: number, maxPositions: number, copy: BlockCopy) {
    if (!Number.isInteger(blockSize) || blockSize < 1) {
      throw new SettingsError('paged_block_size', { got: blockSize });
    }
    this.pool = pool;
    this.blockSize = blockSize;
    this.maxBlocksPerSequence = Math.ceil(maxPositions / blockSize);
    this.copy = copy;
  }

  /** A new, empty sequence; returns its id. */
  create(): number {
    const id = this.nextId++;
    this.seqs.set(id, { table: new Int32Array(this.maxBlocksPerSequence), nBlocks: 0, length: 0 });
    return id;
  }

  /** A new sequence holding the same positions as `src`, sharing all of its blocks. */
  fork(src: number): number {
    const s = this.get(src);
    const id = this.create();
    const f = this.seqs.get(id)!;
    f.table.set(s.table.subarray(0, s.nBlocks));
    f.nBlocks = s.nBlocks;
    f.length = s.length;
    for (let i = 0; i < s.nBlocks; i++) this.pool.retain(s.table[i]);
    return id;
  }

  /** Drop a sequence: its blocks lose one reference (and are freed when no table holds them). */
  free(id: number): void {
    const s = this.get(id);
    for (let i = 0; i < s.nBlocks; i++) this.pool.release(s.table[i]);
    this.seqs.delete(id);
  }

  /** Drop every sequence and free every block (stale values after a knob change). */
  clear(): void {
    this.seqs.clear();
    this.pool.reset();
    this.copies = 0;
  }

  has(id: number): boolean {
    return this.seqs.has(id);
  }

  length(id: number): number {
    return this.get(id).length;
  }

  /** The sequence's block table (the first ceil(length / blockSize) entries are valid). */
  table(id: number): Int32Array {
    return this.get(id).table;
  }

  /** Blocks copied on write so far. */
  get copiedBlocks(): number {
    return this.copies;
  }

  /**
   * Free blocks that writing positions startPos .. startPos+count-1 of `id` would take: a new
   * block for each block boundary past the table's end, and one copy if the first written block
   * is shared.
   */
  blocksNeeded(id: number, startPos: number, count: number): number {
    const s = this.get(id);
    const bs = this.blockSize;
    const first = Math.floor(startPos / bs);
    const last = Math.floor((startPos + count - 1) / bs);
    // Blocks first..last: those still in the table after truncation to startPos are reused.
    const kept = Math.min(s.nBlocks, Math.ceil(startPos / bs));
    let need = Math.max(0, last + 1 - Math.max(kept, first));
    if (first < kept && this.pool.refCount(s.table[first]) > 1) need++;
    return need;
  }

  /**
   * Make positions startPos .. startPos+count-1 of sequence `id` writable and write their slots
   * (block * blockSize + offset) into `slots` from `slotsOff`. Positions from startPos on are
   * forgotten first (startPos <= length). A shared block about to be written is copied first
   * (its positions before startPos), so no other sequence sees the write. Checks that enough
   * blocks are free before changing anything.
   */
  reserve(id: number, startPos: number, count: number, slots: Int32Array, slotsOff = 0): void {
    const s = this.get(id);
    const bs = this.blockSize;
    if (!Number.isInteger(startPos) || startPos < 0 || startPos > s.length) {
      throw new SettingsError('paged_skips', { pos: startPos, seq: id, length: s.length });
    }
    if (startPos + count > this.maxBlocksPerSequence * bs) {
      throw new SettingsError('paged_past_end', {
        pos: startPos + count - 1,
        max: this.maxBlocksPerSequence * bs,
      });
    }
    const need = this.blocksNeeded(id, startPos, count);
    if (need > this.pool.free) {
      throw new KvCacheFullError('paged_full_need', {
        free: this.pool.free,
        blocks: this.pool.numBlocks,
        seq: id,
        need,
      });
    }
    // Forget positions >= startPos: release whole blocks past the one startPos falls in.
    const keep = Math.ceil(startPos / bs);
    while (s.nBlocks > keep) this.pool.release(s.table[--s.nBlocks]);
    s.length = startPos;
    for (let i = 0; i < count; i++) {
      const pos = startPos + i;
      const b = Math.floor(pos / bs);
      const off = pos - b * bs;
      if (b === s.nBlocks) {
        s.table[s.nBlocks++] = this.pool.allocate();
      } else if (this.pool.refCount(s.table[b]) > 1) {
        // Copy-on-write: only the slots before pos hold this sequence's values.
        const fresh = this.pool.allocate();
        this.copy(s.table[b], fresh, off);
        this.pool.release(s.table[b]);
        s.table[b] = fresh;
        this.copies++;
      }
      slots[slotsOff + i] = s.table[b] * bs + off;
    }
    s.length = startPos + count;
  }

  stats(): PagedStats {
    let tokens = 0;
    const sequences: SequenceView[] = [];
    for (const [id, s] of this.seqs) {
      tokens += s.length;
      sequences.push({ id, length: s.length, blocks: Array.from(s.table.subarray(0, s.nBlocks)) });
    }
    return {
      blockSize: this.blockSize,
      totalBlocks: this.pool.numBlocks,
      usedBlocks: this.pool.used,
      sharedBlocks: this.pool.shared,
      copiedBlocks: this.copies,
      tokens,
      sequences,
    };
  }

  private get(id: number): Sequence {
    const s = this.seqs.get(id);
    if (s === undefined) throw new SettingsError('paged_no_sequence', { seq: id });
    return s;
  }
}
