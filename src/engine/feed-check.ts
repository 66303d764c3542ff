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
  if (T === 0) throw new SettingsError('no tokens to feed');
  if (!Number.isInteger(startPos) || startPos < 0) {
    throw new SettingsError(`position must be a whole number >= 0, got ${startPos}`);
  }
  if (startPos > cacheLength) {
    throw new SettingsError(
      `position ${startPos} skips positions never fed: the KV cache holds ` +
        (cacheLength === 0 ? 'nothing yet' : `positions 0..${cacheLength - 1}`) +
        ' (changing a knob empties it)',
    );
  }
  if (startPos + T > maxPositions) {
    throw new SettingsError(
      `position ${startPos + T - 1} is past the KV cache, which holds ${maxPositions} ` +
        `positions (seq_len is ${config.seqLen}); create the backend with a larger maxPositions`,
    );
  }
  for (let i = 0; i < T; i++) {
    const t = tokens[i];
    if (!Number.isInteger(t) || t < 0 || t >= config.vocabSize) {
      throw new TokenizerError(
        `token id ${t} is not in the vocabulary (0..${config.vocabSize - 1})`,
      );
    }
  }
}
