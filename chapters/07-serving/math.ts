// Every number chapter 7 shows, as small pure functions (float64). The KV-cache size and the
// cost of a decoding step are chapter 4's (../04-attention/math.ts), reused, not repeated.
// tests/unit/chapters/07-serving.test.ts checks these against the engine's paged cache.
import {
  BYTES_PER_VALUE,
  LLAMA_CONFIGS,
  decodeCost,
  kvBytesPerToken,
  kvShape,
  paramCount,
  type LlamaConfig,
} from '../04-attention/math.ts';

export { BYTES_PER_VALUE, LLAMA_CONFIGS, decodeCost, kvBytesPerToken, kvShape, paramCount };
export type { LlamaConfig };

export const GIB = 2 ** 30;
/** GPU memory sizes the reader can pick, in GiB (common data-centre and workstation cards). */
export const GPU_SIZES = [16, 24, 40, 48, 80] as const;

/** The context each model was released with (Llama 3.1's 128K for the Llama 3 rows). */
export interface KvBudgetRow {
  id: string;
  name: string;
  context: number;
  /** fp16 bytes. */
  perToken: number;
  perSequence: number;
  weights: number;
  /** GPU memory left for the KV cache after the weights (negative: the weights do not fit). */
  room: number;
  /** Positions of KV cache that fit in the room. */
  tokensThatFit: number;
  /** Whole sequences at full context that fit (0 when not even one does). */
  sequencesThatFit: number;
}

/** KV cache against a GPU of `gpuBytes`, for one model in fp16 (weights and cache). */
export function kvBudget(c: LlamaConfig, gpuBytes: number): KvBudgetRow {
  const b = BYTES_PER_VALUE.fp16;
  const perToken = kvBytesPerToken(kvShape(c), b);
  const weights = paramCount(c) * b;
  const room = gpuBytes - weights;
  const tokensThatFit = room > 0 ? Math.floor(room / perToken) : 0;
  return {
    id: c.id,
    name: c.name,
    context: c.context,
    perToken,
    perSequence: perToken * c.context,
    weights,
    room,
    tokensThatFit,
    sequencesThatFit: Math.floor(tokensThatFit / c.context),
  };
}

/** Blocks a sequence of n positions takes with blocks of B positions: ceil(n / B). */
export function blocksPerSequence(n: number, B: number): number {
  return Math.ceil(n / B);
}

/** Empty slots in a sequence's blocks: ceil(n / B) B - n, always at most B - 1. */
export function pagedWaste(n: number, B: number): number {
  return blocksPerSequence(n, B) * B - n;
}

/** Empty slots of a contiguous region reserved for the maximum length: Lmax - n. */
export function contiguousWaste(n: number, maxLen: number): number {
  return maxLen - n;
}

/**
 * Blocks K samples of one P-token prompt take when each has fed g_i more positions: shared,
 * the floor(P / B) full prompt blocks once, plus each sample's own blocks from there on (a
 * partly filled last prompt block is copied on write by all but one sample, so each ends up
 * with its own); separate, each sample in its own cache.
 */
export function sampleBlocks(
  P: number,
  fed: readonly number[],
  B: number,
): { shared: number; separate: number; fullPromptBlocks: number; copies: number } {
  const full = Math.floor(P / B);
  const own = fed.map((g) => blocksPerSequence(P + g, B) - full);
  const partial = P % B !== 0;
  // Copies happen only for samples that write past the prompt while the block is shared.
  const writers = fed.filter((g) => g > 0).length;
  return {
    shared: full + own.reduce((a, n) => a + n, 0),
    separate: fed.reduce((a, g) => a + blocksPerSequence(P + g, B), 0),
    fullPromptBlocks: full,
    copies: partial && fed.length > 1 ? Math.min(writers, fed.length - 1) : 0,
  };
}

/** The vLLM paper's headline numbers (docs/reference/llama-facts.md, PagedAttention). */
export const VLLM_PAPER = {
  /** Share of KV memory wasted by contiguous pre-allocation in earlier systems. */
  contiguousWaste: [0.6, 0.8],
  /** Waste with paging: under 4%. */
  pagedWaste: 0.04,
  /** Throughput against those systems. */
  throughput: [2, 4],
  defaultBlockSize: 16,
} as const;

/** A percentage for the page: 0.0432 -> "4.3%". */
export function percent(x: number): string {
  if (!Number.isFinite(x)) return 'not a number';
  return `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
}
