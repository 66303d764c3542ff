// Well-mixed, fixed seeds for statistical tests: splitmix64 of 1, 2, 3, ... (consecutive small
// seeds give xorshift64* nearly linear first outputs, which a chi-square test would notice).
export function mixedSeeds(n: number, start = 1n): bigint[] {
  const out: bigint[] = [];
  const M = (1n << 64n) - 1n;
  for (let i = 0n; i < BigInt(n); i++) {
    let z = ((start + i) * 0x9e3779b97f4a7c15n) & M;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    z ^= z >> 31n;
    out.push(z === 0n ? 1n : z);
  }
  return out;
}
