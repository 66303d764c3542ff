// A small seeded PRNG so that a training run is a pure function of its seed: the engine's
// xorshift64* (run.c's sampler generator, src/engine/rng.ts, the one definition of it), seeded
// through a splitmix-style scramble, with uniform, integer and normal draws on top.
import { XorShift64Star } from '../engine/rng.ts';

export class Rng {
  private readonly core: XorShift64Star;
  private spare: number | null = null;

  constructor(seed: number | bigint) {
    // splitmix-style scramble so that small seeds (1, 2, 3) give unrelated streams; never zero.
    let s = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 0x632be59bd9b4e019n);
    s = BigInt.asUintN(64, (s ^ (s >> 30n)) * 0xbf58476d1ce4e5b9n);
    s = BigInt.asUintN(64, (s ^ (s >> 27n)) * 0x94d049bb133111ebn);
    s ^= s >> 31n;
    this.core = new XorShift64Star(s === 0n ? 0x2545f4914f6cdd1dn : s);
  }

  /** Next 32 random bits (run.c's random_u32). */
  u32(): number {
    return this.core.nextU32();
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = this.uniform();
    while (u <= 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}
