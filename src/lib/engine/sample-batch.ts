// The worker's side of EngineApi.sampleBatch: K samples of one prompt decoding together through
// a paged KV cache on the CPU engine (src/engine/generate-samples.ts), under the session's
// current knobs, recording the block tables after every step for the chapter-7 figure. The
// paged backend is kept between runs for the same model and block size (it allocates its pool
// once, and is replaced only when a run needs a larger pool).
import { createCpuBackend, type CpuBackend } from '../../engine/cpu/backend.ts';
import { blocksFor, MAX_BLOCK_SIZE } from '../../engine/cpu/paged-kv.ts';
import { SettingsError } from '../../engine/errors.ts';
import { positionsNeeded } from '../../engine/generate.ts';
import { sampleBatch } from '../../engine/generate-samples.ts';
import type { Session } from '../../engine/session.ts';
import { encode } from '../../engine/tokenizer.ts';
import type { Model } from '../../engine/types.ts';
import type { SampleBatchFrame, SampleBatchRequest, SampleBatchResult } from './protocol.ts';

export const MAX_SAMPLES = 16;

let cached: { model: Model; blockSize: number; numBlocks: number; backend: CpuBackend } | null =
  null;

/**
 * A CPU backend with a paged cache of at least `numBlocks` blocks of `blockSize` (enough for the
 * run's samples without any sharing, so a run can never fill the pool), kept for the next run.
 */
function pagedBackend(model: Model, blockSize: number, numBlocks: number): CpuBackend {
  if (cached?.model !== model || cached.blockSize !== blockSize || cached.numBlocks < numBlocks) {
    cached?.backend.dispose();
    cached = null;
    const backend = createCpuBackend(model, undefined, {
      paged: { blockSize, numBlocks },
      maxBatch: MAX_SAMPLES,
    });
    cached = { model, blockSize, numBlocks, backend };
  }
  return cached.backend;
}

export function runSampleBatch(
  session: Session,
  customFn: ((x: number) => number) | null,
  req: SampleBatchRequest,
): SampleBatchResult {
  const { samples, steps, blockSize } = req;
  if (!Number.isInteger(samples) || samples < 1 || samples > MAX_SAMPLES) {
    throw new SettingsError('samples_count', { max: MAX_SAMPLES, got: samples });
  }
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
    throw new SettingsError('paged_block_size_range', { max: MAX_BLOCK_SIZE, got: blockSize });
  }
  const model = session.model;
  const tok = session.tokenizer;
  const promptIds = encode(tok, req.prompt, true, false);
  const fits = model.config.seqLen - promptIds.length + 1;
  if (positionsNeeded(promptIds.length, steps) > model.config.seqLen) {
    throw new SettingsError('samples_fit', {
      prompt: promptIds.length,
      steps,
      seqLen: model.config.seqLen,
      most: Math.max(fits, 0),
    });
  }
  const positions = Math.max(1, positionsNeeded(promptIds.length, steps));
  const backend = pagedBackend(model, blockSize, samples * blocksFor(positions, blockSize));
  const knobs = session.backend.getKnobs();
  if (knobs.activation === 'custom') backend.setCustomActivation(customFn);
  backend.setKnobs(knobs);

  const t0 = performance.now();
  const it = sampleBatch(backend, { promptIds, steps, samples, sampler: req.sampler });
  const frames: SampleBatchFrame[] = [];
  let r = it.next();
  for (; !r.done; r = it.next()) {
    const st = r.value.stats;
    frames.push({
      step: r.value.step,
      tokens: [...r.value.tokens],
      sequences: st.sequences.map((q) => ({ length: q.length, blocks: q.blocks })),
      usedBlocks: st.usedBlocks,
      sharedBlocks: st.sharedBlocks,
      copiedBlocks: st.copiedBlocks,
    });
  }
  const ms = performance.now() - t0;
  const res = r.value;
  const generated = res.samples.reduce((a, s) => a + s.ids.length, 0);
  const views = session.tokenViews(promptIds);
  return {
    promptTokens: views,
    samples: res.samples.map((s) => {
      const all = session.tokenViews([...promptIds, ...s.ids]).slice(promptIds.length);
      return {
        seed: String(s.seed),
        tokens: all,
        text: all.map((t) => t.text).join(''),
      };
    }),
    frames,
    blockSize,
    totalBlocks: res.stats.totalBlocks,
    blockBytes: res.blockBytes,
    separateBlocks: res.separateBlocks,
    tokensPerSecond: ms > 0 ? (generated * 1000) / ms : 0,
  };
}
