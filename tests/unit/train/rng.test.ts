// The trainer's Rng draws from the engine's xorshift64* (one definition): the same stream as the
// generator written out with BigInt, so training runs stay what they were.
import { describe, expect, it } from 'vitest';
import { Rng } from '$train/rng.ts';

function reference(seed: number): () => number {
  let s = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 0x632be59bd9b4e019n);
  s = BigInt.asUintN(64, (s ^ (s >> 30n)) * 0xbf58476d1ce4e5b9n);
  s = BigInt.asUintN(64, (s ^ (s >> 27n)) * 0x94d049bb133111ebn);
  s ^= s >> 31n;
  if (s === 0n) s = 0x2545f4914f6cdd1dn;
  return () => {
    s ^= s >> 12n;
    s = BigInt.asUintN(64, s ^ (s << 25n));
    s ^= s >> 27n;
    return Number(BigInt.asUintN(64, s * 0x2545f4914f6cdd1dn) >> 32n);
  };
}

describe('trainer Rng', () => {
  it.each([0, 1, 2, 1337, 2 ** 40 + 3])(
    'seed %d: the same u32 stream as xorshift64* in BigInt',
    (seed) => {
      const rng = new Rng(seed);
      const ref = reference(seed);
      for (let i = 0; i < 2000; i++) expect(rng.u32()).toBe(ref());
    },
  );
});
