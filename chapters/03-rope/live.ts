// What the live view reads out of a trace: the pairs of one head at one token, before (attn.q,
// attn.k) and after (attn.q_rot, attn.k_rot) RoPE, with the angle each query pair turned by and
// the angle the page's formula predicts. Shapes as src/engine/trace.ts: q taps (T, dim), k taps
// (T, kvDim); head h occupies columns h*hs .. (h+1)*hs; query head h reads KV head
// floor(h * kvHeads / nHeads) (grouped-query attention).
import { qkScale, scaledAngle } from './math.ts';
import type { RopeView } from './page-knobs.ts';

export interface Tap {
  shape: readonly number[];
  data: Float32Array;
}

export interface PairRow {
  i: number;
  q: [number, number];
  qr: [number, number];
  k: [number, number];
  kr: [number, number];
  /** m * theta'_i under the knobs (0 with RoPE off), wrapped to (-pi, pi]. */
  expected: number;
  /** The length q_rot's pair should have: lenBefore, times YaRN's 0.1 ln s + 1 under 'yarn'. */
  expectedLen: number;
  /** Angle from q's pair to q_rot's pair, wrapped to (-pi, pi]. */
  measured: number;
  lenBefore: number;
  lenAfter: number;
}

/** a wrapped to (-pi, pi]. */
export function wrapAngle(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

/** The KV head query head `head` reads, with kvHeads K/V heads shared by nHeads query heads. */
export function kvHeadOf(head: number, nHeads: number, kvHeads: number): number {
  return Math.floor((head * kvHeads) / nHeads);
}

/**
 * Pairs of query head `head` (and the KV head it reads) at row `tok` of the taps, which was fed at
 * position `tok` (a prompt pass from 0). `trainedLen` is the model's seq_len (the L of the
 * llama3 and yarn scalings).
 */
export function headPairs(
  taps: { q: Tap; qRot: Tap; k: Tap; kRot: Tap },
  head: number,
  tok: number,
  hs: number,
  nHeads: number,
  view: RopeView,
  trainedLen: number,
): PairRow[] {
  const scale = view.rope ? qkScale(view.scaling, view.factor) : 1;
  const { q, qRot, k, kRot } = taps;
  const dimQ = q.shape[1];
  const kvWidth = k.shape[1];
  const kvHead = kvHeadOf(head, nHeads, Math.max(1, Math.round(kvWidth / hs)));
  const qo = tok * dimQ + head * hs;
  const ko = tok * kvWidth + kvHead * hs;
  const rows: PairRow[] = [];
  for (let i = 0; i < hs / 2; i++) {
    const a: [number, number] = [q.data[qo + 2 * i], q.data[qo + 2 * i + 1]];
    const b: [number, number] = [qRot.data[qo + 2 * i], qRot.data[qo + 2 * i + 1]];
    rows.push({
      i,
      q: a,
      qr: b,
      k: [k.data[ko + 2 * i], k.data[ko + 2 * i + 1]],
      kr: [kRot.data[ko + 2 * i], kRot.data[ko + 2 * i + 1]],
      expected: view.rope
        ? wrapAngle(scaledAngle(tok, i, hs, view.base, view.scaling, view.factor, trainedLen))
        : 0,
      expectedLen: scale * Math.hypot(a[0], a[1]),
      measured: wrapAngle(Math.atan2(b[1], b[0]) - Math.atan2(a[1], a[0])),
      lenBefore: Math.hypot(a[0], a[1]),
      lenAfter: Math.hypot(b[0], b[1]),
    });
  }
  return rows;
}

/** Largest |measured - expected| over pairs long enough to have a direction. */
export function maxAngleError(rows: readonly PairRow[]): number {
  let m = 0;
  for (const p of rows) {
    if (p.lenBefore > 1e-6) m = Math.max(m, Math.abs(wrapAngle(p.measured - p.expected)));
  }
  return m;
}

/** Largest gap between a query pair's length and the expected one (a rotation keeps it; YaRN scales it). */
export function maxLengthChange(rows: readonly PairRow[]): number {
  let m = 0;
  for (const p of rows) m = Math.max(m, Math.abs(p.lenAfter - p.expectedLen));
  return m;
}
