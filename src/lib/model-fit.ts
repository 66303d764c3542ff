// Settings that follow the loaded model. A link (or a value kept from the previous model) may ask
// for layer 7 of a 6-layer model, 8 K/V groups of a model with 4 K/V heads, or top-k beyond the
// vocabulary: every setting whose range depends on the model's shape is brought inside it, with a
// sentence for the page's notice bar, exactly like the adjustments made when a link is read.
// Pure, so a test can check every case; UrlState.fit applies it (again whenever a model loads).
import { KNOB_ROWS, boundMax, boundWords, type NumberRow } from '../engine/knob-table.ts';
import type { Config } from '../engine/types.ts';
import { paramLabel } from './i18n/param-label.ts';
import { formatNumber, type ParamSpec, type ParamValue, type ParamValues } from './params.ts';

export interface ModelFit {
  /** New values for the settings that did not fit (empty when everything fits). */
  patch: Record<string, ParamValue>;
  notices: string[];
}

const choiceRows = new Map<string, NumberRow>(
  KNOB_ROWS.filter((r) => r.kind === 'int' && 'choices' in r).map((r) => [r.urlKey, r]),
);

function nearest(x: number, choices: readonly number[]): number {
  return choices.reduce((a, b) => (Math.abs(b - x) < Math.abs(a - x) ? b : a));
}

/** Bring every shape-dependent setting of `values` inside the model; say what changed and why. */
export function fitToModel(
  values: Readonly<ParamValues>,
  specs: readonly ParamSpec[],
  config: Config,
  modelName: string,
): ModelFit {
  const patch: Record<string, ParamValue> = {};
  const notices: string[] = [];
  const model = modelName ? `the loaded model (“${modelName}”)` : 'the loaded model';
  for (const spec of specs) {
    const v = values[spec.key];
    if (typeof v !== 'number' || spec.kind !== 'int') continue;
    const name = `${paramLabel(spec)} (${spec.key})`;
    const row = choiceRows.get(spec.key);
    if (row?.choices) {
      const choices = row.choices(config);
      if (!choices.includes(v)) {
        const c = nearest(v, choices);
        patch[spec.key] = c;
        const rule = row.says ? row.says(config) : `one of ${choices.join(', ')}`;
        notices.push(
          `${name} = ${formatNumber(v)} does not fit ${model}: it must be ${rule} (${choices.join(', ')}). Set to ${c}.`,
        );
      }
    } else if (spec.bound) {
      const max = boundMax(spec.bound, config);
      if (v > max) {
        patch[spec.key] = max;
        notices.push(
          `${name} = ${formatNumber(v)} is beyond ${model}, which has ${boundWords(spec.bound, config)}: set to ${max}.`,
        );
      }
    }
  }
  return { patch, notices };
}
