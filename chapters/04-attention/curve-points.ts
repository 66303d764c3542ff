// Training-curve points from a curve.json, whichever shape the trainer wrote. The shared reader
// (src/lib/curves.ts) takes rows, columns or { points }; the trainer also writes one column block
// per split, { train: { step: [...], loss: [...] }, val: { step: [...], loss: [...] } }, which is
// read here so this chapter's chart does not depend on which of the two lands first.
import { parseCurve, type CurvePoint } from '../../src/lib/curves.ts';

function split(block: unknown, name: 'train' | 'val'): CurvePoint[] {
  if (!block || typeof block !== 'object') return [];
  const o = block as Record<string, unknown>;
  const steps = o.step ?? o.steps;
  const loss = o.loss;
  if (!Array.isArray(steps) || !Array.isArray(loss)) return [];
  const out: CurvePoint[] = [];
  steps.forEach((s, i) => {
    const l = loss[i] as unknown;
    if (
      typeof s === 'number' &&
      Number.isFinite(s) &&
      typeof l === 'number' &&
      Number.isFinite(l)
    ) {
      out.push({ step: s, split: name, loss: l });
    }
  });
  return out;
}

export function curvePoints(json: unknown): { points: CurvePoint[]; error?: string } {
  const shared = parseCurve(json);
  if (shared.points.length > 0) return shared;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    const points = [...split(o.train, 'train'), ...split(o.val, 'val')];
    if (points.length > 0) return { points: points.slice(0, 100_000) };
  }
  return shared;
}
