// run.c's xorshift64* generator, exact, without BigInt on the hot path: the 64-bit state is two
// uint32 halves (hi, lo) and every shift, xor and the multiply by 0x2545F4914F6CDD1D is done on
// them. BigInt appears only at the edges (seeding, reading the state).
//
//   s ^= s >> 12; s ^= s << 25; s ^= s >> 27; u32 = (s * 0x2545F4914F6CDD1D) >> 32
//   random_f32 = (u32 >> 8) / 16777216.0f

import { SettingsError } from './errors.ts';

const M_HI = 0x2545f491;
const M_LO = 0x4f6cdd1d;

/** High 32 bits of the 64-bit product of two uint32s, from 16-bit limbs (all exact in doubles). */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const lo = a0 * b0;
  const m1 = a1 * b0;
  const m2 = a0 * b1;
  const mid = (lo >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  return (a1 * b1 + (m1 >>> 16) + (m2 >>> 16) + (mid >>> 16)) >>> 0;
}

export class XorShift64Star {
  #hi: number;
  #lo: number;

  /**
   * `seed` is run.c's `-s` value as an unsigned 64-bit integer (a negative seed wraps, as atoi's
   * int does when sign-extended into an unsigned long long). Seed 0 is refused: xorshift would
   * emit zeros forever, and run.c replaces 0 by the clock, which nobody can reproduce.
   */
  constructor(seed: bigint) {
    const s = BigInt.asUintN(64, seed);
    if (s === 0n) {
      throw new SettingsError('sampler_seed_zero', {});
    }
    this.#hi = Number(s >> 32n);
    this.#lo = Number(s & 0xffffffffn);
  }

  /** The current 64-bit state (to save and restore a sampling session). */
  get state(): bigint {
    return (BigInt(this.#hi) << 32n) | BigInt(this.#lo);
  }

  /** run.c's random_u32. */
  nextU32(): number {
    let hi = this.#hi;
    let lo = this.#lo;
    // s ^= s >> 12
    lo = (lo ^ ((lo >>> 12) | (hi << 20))) >>> 0;
    hi = (hi ^ (hi >>> 12)) >>> 0;
    // s ^= s << 25
    hi = (hi ^ ((hi << 25) | (lo >>> 7))) >>> 0;
    lo = (lo ^ (lo << 25)) >>> 0;
    // s ^= s >> 27
    lo = (lo ^ ((lo >>> 27) | (hi << 5))) >>> 0;
    hi = (hi ^ (hi >>> 27)) >>> 0;
    this.#hi = hi;
    this.#lo = lo;
    // high word of (s * M) mod 2^64 = hi(lo*M_LO) + lo*M_HI + hi*M_LO  (mod 2^32)
    return (mulHi32(lo, M_LO) + Math.imul(lo, M_HI) + Math.imul(hi, M_LO)) >>> 0;
  }

  /** run.c's random_f32: a float32 in [0, 1) with 24 random bits (exact, no rounding). */
  nextF32(): number {
    return (this.nextU32() >>> 8) / 16777216;
  }
}
