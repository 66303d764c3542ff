// What the live batched run's figure draws, computed from the worker's frames (pure, tested).
import type { SampleBatchResult } from '$lib/engine/protocol.ts';

export interface BlockCell {
  /** Physical block id. */
  physical: number;
  /** Positions of this logical block the sample has filled. */
  filled: number;
  /** More than one sample's table points at this physical block. */
  shared: boolean;
  /** The sample holds a copy of a block it shared after the prompt pass (copy-on-write). */
  copied: boolean;
}

/** One row of cells per sample, one cell per logical block, at frame `i`. */
export function blockCells(r: SampleBatchResult, i: number): BlockCell[][] {
  const f = r.frames[Math.min(i, r.frames.length - 1)];
  const first = r.frames[0];
  const refs = new Map<number, number>();
  for (const q of f.sequences) for (const b of q.blocks) refs.set(b, (refs.get(b) ?? 0) + 1);
  const B = r.blockSize;
  return f.sequences.map((q, s) =>
    q.blocks.map((physical, j) => {
      const before = first.sequences[s]?.blocks[j];
      return {
        physical,
        filled: Math.max(0, Math.min(B, q.length - j * B)),
        shared: (refs.get(physical) ?? 0) > 1,
        copied: before !== undefined && before !== physical,
      };
    }),
  );
}

/** KV bytes at frame `i`: shared paged blocks, separate paged caches, contiguous caches. */
export function frameMemory(
  r: SampleBatchResult,
  i: number,
  seqLen: number,
): { paged: number; separateBlocks: number; separate: number; contiguous: number } {
  const f = r.frames[Math.min(i, r.frames.length - 1)];
  const B = r.blockSize;
  const separateBlocks = f.sequences.reduce((a, q) => a + Math.ceil(q.length / B), 0);
  const perPosition = r.blockBytes / B;
  return {
    paged: f.usedBlocks * r.blockBytes,
    separateBlocks,
    separate: separateBlocks * r.blockBytes,
    contiguous: f.sequences.length * seqLen * perPosition,
  };
}
