// Hundreds of randomly corrupted checkpoints (seeded, so every run feeds the same ones): each must
// end in a valid Model or a CheckpointError, never another exception, a hang or an allocation.
import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import { writeCheckpoint } from '$engine/checkpoint-write.ts';
import { CheckpointError } from '$engine/errors.ts';
import type { Model } from '$engine/types.ts';
import { randomModel, testRandom } from '../../helpers/random-model.ts';

const INTERESTING = [
  0,
  1,
  -1,
  2,
  3,
  4,
  7,
  8,
  16,
  17,
  24,
  32,
  64,
  255,
  256,
  1 << 16,
  1 << 20,
  2 ** 31 - 1,
  -(2 ** 31),
  0x616b3432,
];

type Corruption = (buf: ArrayBuffer, rand: () => number) => ArrayBuffer;

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const corruptions: Record<string, Corruption> = {
  flipHeaderBit(buf, rand) {
    const out = buf.slice(0);
    const headerBytes = new DataView(buf).getUint32(0, true) === 0x616b3432 ? 40 : 28;
    const bytes = new Uint8Array(out);
    bytes[Math.floor(rand() * headerBytes)] ^= 1 << Math.floor(rand() * 8);
    return out;
  },
  setHeaderInt(buf, rand) {
    const out = buf.slice(0);
    const v1 = new DataView(buf).getUint32(0, true) === 0x616b3432;
    const field = Math.floor(rand() * (v1 ? 9 : 7));
    new DataView(out).setInt32(4 * field, pick(rand, INTERESTING) | 0, true);
    return out;
  },
  truncate(buf, rand) {
    return buf.slice(0, Math.floor(rand() * buf.byteLength));
  },
  extend(buf, rand) {
    const out = new Uint8Array(buf.byteLength + 1 + Math.floor(rand() * 64));
    out.set(new Uint8Array(buf));
    return out.buffer;
  },
  scribbleBody(buf, rand) {
    const out = buf.slice(0);
    const bytes = new Uint8Array(out);
    for (let k = 0; k < 4; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
    return out;
  },
  randomBytes(_buf, rand) {
    const out = new Uint8Array(Math.floor(rand() * 600));
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
    return out.buffer;
  },
  twoHeaderInts(buf, rand) {
    return corruptions.setHeaderInt(corruptions.setHeaderInt(buf, rand), rand);
  },
};

function checkModel(m: Model, input: ArrayBuffer) {
  // Every weight is a view into the input: nothing was allocated for it.
  for (const t of Object.values(m.weights)) {
    if (t === null) continue;
    expect(t.buffer).toBe(input);
    expect(t.byteOffset + t.byteLength).toBeLessThanOrEqual(input.byteLength);
  }
  expect(m.config.dim % m.config.nHeads).toBe(0);
  expect(m.config.nHeads % m.config.nKvHeads).toBe(0);
}

describe('fuzz: corrupted checkpoints', () => {
  const bases = [
    writeCheckpoint(
      randomModel(
        { dim: 16, hiddenDim: 24, nLayers: 2, nHeads: 4, nKvHeads: 2, vocabSize: 32, seqLen: 8 },
        11,
      ),
      0,
    ),
    writeCheckpoint(
      randomModel(
        {
          dim: 16,
          hiddenDim: 24,
          nLayers: 2,
          nHeads: 4,
          nKvHeads: 4,
          vocabSize: 32,
          seqLen: 8,
          sharedClassifier: false,
        },
        12,
      ),
      0,
    ),
    writeCheckpoint(
      randomModel(
        { dim: 16, hiddenDim: 24, nLayers: 2, nHeads: 2, nKvHeads: 1, vocabSize: 32, seqLen: 8 },
        13,
      ),
      1,
    ),
    writeCheckpoint(
      randomModel(
        {
          dim: 8,
          hiddenDim: 12,
          nLayers: 1,
          nHeads: 2,
          nKvHeads: 2,
          vocabSize: 16,
          seqLen: 4,
          sharedClassifier: false,
        },
        14,
      ),
      1,
    ),
  ];
  const names = Object.keys(corruptions);

  it('800 corruptions each end in a Model or a CheckpointError with a message', () => {
    const rand = testRandom(20261130);
    const outcomes: Record<string, number> = { model: 0, error: 0 };
    const messages = new Set<string>();
    for (let i = 0; i < 800; i++) {
      const name = names[i % names.length];
      const input = corruptions[name](pick(rand, bases), rand);
      let result: Model | undefined;
      try {
        result = parseCheckpoint(input);
      } catch (e) {
        if (!(e instanceof CheckpointError)) {
          throw new Error(`case ${i} (${name}) threw ${String(e)} instead of a CheckpointError`, {
            cause: e,
          });
        }
        expect(e.message.length).toBeGreaterThan(10);
        messages.add(e.message.replace(/\d+/g, 'N').slice(0, 40));
        outcomes.error++;
        continue;
      }
      checkModel(result, input);
      outcomes.model++;
    }
    // The corruptions reach both outcomes and many distinct checks.
    expect(outcomes.model).toBeGreaterThan(20);
    expect(outcomes.error).toBeGreaterThan(400);
    expect(messages.size).toBeGreaterThan(8);
  });
});
