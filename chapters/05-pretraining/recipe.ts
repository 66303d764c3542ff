// The training lab's recipe: what the reader sets (data aside), the two presets, the check
// against the page's memory budget, and the TrainConfig handed to the trainer. The trainer's own
// parser (src/train/config.ts) validates every field, so the page and `npm run train` refuse the
// same things with the same words.
import type { Config } from '$engine/types.ts';
import { parseTrainConfig, type TrainConfig } from '$train/config.ts';
import { trainMemory } from '$train/memory.ts';
import mainRecipe from '../../scripts/train/main.json';
import { m as msg } from '$paraglide/messages.js';
import { formatDecimal } from '$lib/i18n/format.ts';

export interface Recipe {
  dim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  hiddenDim: number;
  norm: 'rmsnorm' | 'layernorm';
  ffn: 'swiglu' | 'mlp';
  position: 'rope' | 'none';
  seqLen: number;
  vocabSize: number;
  steps: number;
  batchSize: number;
  lr: number;
  warmupSteps: number;
  evalInterval: number;
  seed: number;
}

const m = mainRecipe.model;
const t = mainRecipe.train;

/** The shipped main model's recipe (scripts/train/main.json), as `npm run train` used it. */
export const MAIN_RECIPE: Recipe = {
  dim: m.dim,
  nLayers: m.n_layers,
  nHeads: m.n_heads,
  nKvHeads: m.n_kv_heads,
  hiddenDim: m.hidden_dim,
  norm: 'rmsnorm',
  ffn: 'swiglu',
  position: 'rope',
  seqLen: m.seq_len,
  vocabSize: mainRecipe.vocab_size,
  steps: t.steps,
  batchSize: t.batch_size,
  lr: t.lr,
  warmupSteps: t.warmup_steps,
  evalInterval: t.eval_interval,
  seed: t.seed,
};

/** About two minutes on a laptop core: the main shape, shorter sequences, 600 steps. */
export const TWO_MINUTES: Recipe = {
  ...MAIN_RECIPE,
  nLayers: 4,
  seqLen: 128,
  vocabSize: 384,
  steps: 600,
  warmupSteps: 30,
  evalInterval: 100,
};

export const PRESETS = [
  { id: 'two-minutes', label: msg.ch05_preset_two_minutes, recipe: TWO_MINUTES },
  { id: 'main', label: msg.ch05_preset_main, recipe: MAIN_RECIPE },
] as const;

/** The trainer's config for a recipe and worker count; throws the parser's words on a bad field. */
export function trainConfigOf(r: Recipe, workers: number): TrainConfig {
  return parseTrainConfig({
    model: {
      dim: r.dim,
      hidden_dim: r.hiddenDim,
      n_layers: r.nLayers,
      n_heads: r.nHeads,
      n_kv_heads: r.nKvHeads,
      seq_len: r.seqLen,
      norm: r.norm,
      ffn: r.ffn,
      position: r.position,
    },
    vocab_size: r.vocabSize,
    train: {
      batch_size: r.batchSize,
      steps: r.steps,
      lr: r.lr,
      warmup_steps: r.warmupSteps,
      eval_interval: r.evalInterval,
      seed: r.seed,
      workers,
    },
  });
}

/** What the page lets one run hold: 1 GiB in all, 512 MiB in any one worker's memory. */
export const MEMORY_BUDGET = { totalBytes: 2 ** 30, perWorkerBytes: 2 ** 29 };

function configOf(tc: TrainConfig): Config {
  return { ...tc.model, vocabSize: tc.vocabSize };
}

export type MemoryCheck =
  { ok: true; bytes: number } | { ok: false; bytes: number; message: string };

const mib = (b: number) => `${formatDecimal(Math.round(b / 2 ** 20))} MiB`;

/** Whether a run fits the budget; if not, says what would (the largest batch, else sequence length). */
export function checkMemory(tc: TrainConfig, budget = MEMORY_BUDGET): MemoryCheck {
  const W = tc.train.workers;
  const fits = (B: number, T: number) => {
    const e = trainMemory({ ...configOf(tc), seqLen: T }, B, T, W);
    return e.totalBytes <= budget.totalBytes && e.perWorkerBytes <= budget.perWorkerBytes;
  };
  const T = tc.model.seqLen;
  const B = tc.train.batchSize;
  const bytes = trainMemory(configOf(tc), B, T, W).totalBytes;
  if (fits(B, T)) return { ok: true, bytes };
  let bestB = 0;
  for (let b = W; b < B; b += W) if (fits(b, T)) bestB = b;
  // no batch fits: the widest model (dim a multiple of 2 x heads, FFN scaled alike) that does
  const { dim, hiddenDim, nHeads } = tc.model;
  let bestDim = 0;
  for (let d = dim - 2 * nHeads; d >= 2 * nHeads && bestDim === 0; d -= 2 * nHeads) {
    const h = Math.max(1, Math.round((hiddenDim * d) / dim));
    const e = trainMemory({ ...configOf(tc), dim: d, hiddenDim: h }, B, T, W);
    if (e.totalBytes <= budget.totalBytes && e.perWorkerBytes <= budget.perWorkerBytes) bestDim = d;
  }
  const bestHidden = Math.max(1, Math.round((hiddenDim * bestDim) / dim));
  const what =
    bestB > 0
      ? msg.ch05_mem_batch_fits({ batch: bestB })
      : bestDim > 0
        ? msg.ch05_mem_dim_fits({ dim: bestDim, hidden: bestHidden })
        : msg.ch05_mem_nothing_fits();
  return {
    ok: false,
    bytes,
    message: msg.ch05_mem_too_much({
      need: mib(bytes),
      total: mib(budget.totalBytes),
      perWorker: mib(budget.perWorkerBytes),
      what,
    }),
  };
}
