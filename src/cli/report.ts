// The line `npm run llama -- generate --draft ... --speculate G` prints to stderr.
import { expectedTokensPerPass, type SpecStats } from '../engine/speculative.ts';

/** Acceptance rate, tokens per main-model pass and the formula's prediction, in one line. */
export function speculationReport(s: SpecStats, gamma: number, ms: number): string {
  const alpha = s.judged > 0 ? s.accepted / s.judged : NaN;
  const perPass = s.mainPasses > 0 ? s.generated / s.mainPasses : NaN;
  const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  return (
    `speculative decoding, gamma ${gamma}: acceptance rate ${fmt(alpha)} ` +
    `(${s.accepted} of ${s.judged} judged proposals), ` +
    `${fmt(perPass)} tokens per main-model pass (${s.generated} tokens, ${s.mainPasses} passes; ` +
    `(1 - a^(g+1)) / (1 - a) = ${fmt(Number.isFinite(alpha) ? expectedTokensPerPass(alpha, gamma) : NaN)}), ` +
    `${s.draftPasses} draft passes, ${fmt(ms / 1000, 2)} s`
  );
}
