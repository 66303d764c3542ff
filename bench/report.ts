// Shared helpers for benchmark modules: a row type and a median over repeated runs.

export interface BenchRow {
  name: string;
  /** The median over the runs (or a single measured size). */
  median: number;
  unit: string;
  note?: string;
}

export type Report = (row: BenchRow) => void;

export interface BenchModule {
  default: (report: Report) => Promise<void>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

/** Round to a few significant digits for display. */
export function round(x: number, digits = 3): number {
  return Number(x.toPrecision(digits));
}
