// The paged cache's bookkeeping alone: reference counts, block tables, forks and copy-on-write.
import { describe, expect, it } from 'vitest';
import { BlockPool, KvCacheFullError } from '$engine/paged/block-pool.ts';
import { PagedSequences } from '$engine/paged/sequences.ts';

function setup(numBlocks: number, blockSize: number) {
  const copies: [number, number, number][] = [];
  const seqs = new PagedSequences(new BlockPool(numBlocks), blockSize, 64, (s, d, n) =>
    copies.push([s, d, n]),
  );
  const slots = new Int32Array(64);
  return { seqs, copies, slots };
}

describe('BlockPool', () => {
  it('hands out blocks 0, 1, ..., counts references and takes freed blocks back', () => {
    const p = new BlockPool(3);
    expect([p.allocate(), p.allocate()]).toEqual([0, 1]);
    p.retain(1);
    expect(p.shared).toBe(1);
    p.release(1);
    expect(p.refCount(1)).toBe(1);
    p.release(0);
    expect(p.used).toBe(1);
    expect(p.allocate()).toBe(0);
    expect(p.allocate()).toBe(2);
    expect(() => p.allocate()).toThrow(KvCacheFullError);
    expect(() => p.release(5)).toThrow(/not in the pool/);
    expect(() => new BlockPool(0)).toThrow(/whole number of blocks/);
  });
});

describe('PagedSequences', () => {
  it('gives consecutive positions slots block by block', () => {
    const { seqs, slots } = setup(8, 4);
    const a = seqs.create();
    seqs.reserve(a, 0, 10, slots);
    expect(Array.from(slots.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const b = seqs.create();
    seqs.reserve(b, 0, 2, slots);
    expect(Array.from(slots.subarray(0, 2))).toEqual([12, 13]); // block 3
    expect(seqs.stats().usedBlocks).toBe(4);
    // Waste: a holds 10 positions in 3 blocks (2 slots empty), b 2 in 1 (2 empty): at most
    // one partly filled block per sequence.
    expect(seqs.stats().tokens).toBe(12);
  });

  it('a fork shares every block; the first write into the shared partial block copies it', () => {
    const { seqs, copies, slots } = setup(8, 4);
    const a = seqs.create();
    seqs.reserve(a, 0, 6, slots); // blocks 0 (full), 1 (2 of 4)
    const b = seqs.fork(a);
    expect(seqs.stats().sharedBlocks).toBe(2);
    seqs.reserve(b, 6, 1, slots);
    expect(copies).toEqual([[1, 2, 2]]); // block 1's 2 positions into block 2
    expect(slots[0]).toBe(2 * 4 + 2);
    seqs.reserve(a, 6, 1, slots); // a is now the only owner of block 1: no copy
    expect(copies.length).toBe(1);
    expect(slots[0]).toBe(1 * 4 + 2);
    expect(seqs.table(a).subarray(0, 2)).toEqual(Int32Array.of(0, 1));
    expect(seqs.table(b).subarray(0, 2)).toEqual(Int32Array.of(0, 2));
    expect(seqs.copiedBlocks).toBe(1);
    seqs.free(a);
    expect(seqs.pool.refCount(0)).toBe(1);
    seqs.free(b);
    expect(seqs.stats().usedBlocks).toBe(0);
  });

  it('rewinding forgets later positions and frees their blocks; a full pool changes nothing', () => {
    const { seqs, slots } = setup(3, 4);
    const a = seqs.create();
    seqs.reserve(a, 0, 12, slots);
    expect(() => seqs.reserve(a, 12, 1, slots)).toThrow(/0 free blocks of 3/);
    expect(seqs.length(a)).toBe(12);
    seqs.reserve(a, 5, 1, slots);
    expect(seqs.length(a)).toBe(6);
    expect(seqs.stats().usedBlocks).toBe(2);
    expect(() => seqs.reserve(a, 8, 1, slots)).toThrow(/skips positions/);
    expect(() => seqs.fork(99)).toThrow(/no sequence 99/);
  });
});
