// The checks every backend makes before feeding tokens, with one set of messages: the CPU and
// WebGPU engines must refuse the same inputs in the same words.
import { SettingsError, TokenizerError } from './errors.ts';
import type { Config } from './types.ts';

/**
 * Throw a clear error for tokens or positions that cannot be fed: no tokens, a bad or skipping
 * position, a run past the KV cache (`maxPositions`), or a token id outside the vocabulary.
 * `cacheLength` is how many positions are filled now.
 */
export function checkFeed(
  config: Config,
  tokens: ArrayLike<number>,
  startPos: number,
  cacheLength: number,
  maxPositions: number,
): void {
  const T = tokens.length;
  if (T === 0) throw new SettingsError('feed_empty', {});
  if (!Number.isInteger(startPos) || startPos < 0) {
    throw new SettingsError('feed_position', { got: startPos });
  }
  if (startPos > cacheLength) {
    throw cacheLength === 0
      ? new SettingsError('feed_skips_empty', { pos: startPos })
      : new SettingsError('feed_skips', { pos: startPos, last: cacheLength - 1 });
  }
  if (startPos + T > maxPositions) {
    throw new SettingsError('feed_past_cache', {
      pos: startPos + T - 1,
      max: maxPositions,
      seqLen: config.seqLen,
    });
  }
  for (let i = 0; i < T; i++) {
    const t = tokens[i];
    if (!Number.isInteger(t) || t < 0 || t >= config.vocabSize) {
      throw new TokenizerError('tok_id_not_in_vocab', { id: t, last: config.vocabSize - 1 });
    }
  }
}
