// Training curves shipped beside each built-in model (assets/models/<name>/curve.json), read
// defensively: the trainer writes them, and a figure must show a clear state, never crash.
// Accepted shapes:
//   { "points": [{ "step": 0, "train": 5.2, "val": 5.3 }, ...] }      (also train_loss / val_loss / loss)
//   [{ "step": 0, "train_loss": 5.2 }, ...]
//   { "step": [0, 100], "train_loss": [5.2, 3.1], "val_loss": [5.3, 3.2] }   (columns; also steps/train/val)
//   { "train": { "step": [...], "loss": [...] }, "val": { "step": [...], "loss": [...] } }   (the trainer's)

export interface CurvePoint {
  step: number;
  split: 'train' | 'val';
  loss: number;
}

const TRAIN_KEYS = ['train', 'train_loss', 'trainLoss', 'loss'];
const VAL_KEYS = ['val', 'val_loss', 'valLoss', 'validation'];

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function fromRows(rows: unknown[]): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (const r of rows) {
    if (!r || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    const step = num(o.step ?? o.iter ?? o.iteration);
    if (step === null) continue;
    for (const k of TRAIN_KEYS) {
      const v = num(o[k]);
      if (v !== null) {
        out.push({ step, split: 'train', loss: v });
        break;
      }
    }
    for (const k of VAL_KEYS) {
      const v = num(o[k]);
      if (v !== null) {
        out.push({ step, split: 'val', loss: v });
        break;
      }
    }
  }
  return out;
}

function fromColumns(o: Record<string, unknown>): CurvePoint[] {
  const steps = (o.step ?? o.steps) as unknown;
  if (!Array.isArray(steps)) return [];
  const out: CurvePoint[] = [];
  const col = (keys: string[]) =>
    keys.map((k) => o[k]).find(Array.isArray) as unknown[] | undefined;
  const train = col(TRAIN_KEYS);
  const val = col(VAL_KEYS);
  steps.forEach((s, i) => {
    const step = num(s);
    if (step === null) return;
    const t = num(train?.[i]);
    const v = num(val?.[i]);
    if (t !== null) out.push({ step, split: 'train', loss: t });
    if (v !== null) out.push({ step, split: 'val', loss: v });
  });
  return out;
}

/** One split's columns, { step: [...], loss: [...] } (also `steps`), or null. */
function splitColumns(v: unknown): { step: unknown[]; loss: unknown[] } | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const step = o.step ?? o.steps;
  return Array.isArray(step) && Array.isArray(o.loss) ? { step, loss: o.loss } : null;
}

/** { train: { step: [...], loss: [...] }, val: { step: [...], loss: [...] } } (the trainer's format). */
function fromSplits(o: Record<string, unknown>): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (const split of ['train', 'val'] as const) {
    const c = splitColumns(o[split]);
    if (!c) continue;
    c.step.forEach((s, i) => {
      const step = num(s);
      const loss = num(c.loss[i]);
      if (step !== null && loss !== null) out.push({ step, split, loss });
    });
  }
  return out;
}

/** Points of a curve file, or an explanation of why there are none. */
export function parseCurve(json: unknown): { points: CurvePoint[]; error?: string } {
  let points: CurvePoint[] = [];
  if (Array.isArray(json)) points = fromRows(json);
  else if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    if (Array.isArray(o.points)) points = fromRows(o.points);
    else if (splitColumns(o.train) || splitColumns(o.val)) points = fromSplits(o);
    else points = fromColumns(o);
  }
  if (points.length === 0) return { points, error: 'the file holds no (step, loss) points' };
  return { points: points.slice(0, 100_000) };
}

/** Trailing moving average of the training loss (validation points pass through unchanged). */
export function smoothTrain(points: readonly CurvePoint[], window: number): CurvePoint[] {
  const out: CurvePoint[] = [];
  const recent: number[] = [];
  let sum = 0;
  for (const p of points) {
    if (p.split !== 'train') {
      out.push(p);
      continue;
    }
    recent.push(p.loss);
    sum += p.loss;
    if (recent.length > window) sum -= recent.shift()!;
    out.push({ ...p, loss: sum / recent.length });
  }
  return out;
}

/** What the figure quotes from a run's meta.json; absent or non-finite fields stay undefined. */
export interface RunSummary {
  valNatsPerToken?: number;
  valBitsPerChar?: number;
  trainTimeS?: number;
  params?: number;
  tokensSeen?: number;
}

export function parseRunSummary(json: unknown): RunSummary {
  const o = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const pick = (k: string) => num(o[k]) ?? undefined;
  return {
    valNatsPerToken: pick('valNatsPerToken'),
    valBitsPerChar: pick('valBitsPerChar'),
    trainTimeS: pick('trainTimeS') ?? pick('wallTimeS'),
    params: pick('params'),
    tokensSeen: pick('tokensSeen'),
  };
}
