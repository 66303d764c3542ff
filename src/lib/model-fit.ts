// Settings that follow the loaded model. A link (or a value kept from the previous model) may ask
// for layer 7 of a 6-layer model, 8 K/V groups of a model with 4 K/V heads, or top-k beyond the
// vocabulary: every setting whose range depends on the model's shape is brought inside it, with a
// sentence for the page's notice bar, exactly like the adjustments made when a link is read.
// Pure, so a test can check every case; UrlState.fit applies it (again whenever a model loads).
import {
  KNOB_ROWS,
  boundMax,
  type KnobId,
  type ModelBound,
  type NumberRow,
} from '../engine/knob-table.ts';
import type { Config } from '../engine/types.ts';
import { m } from '../paraglide/messages.js';
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

/** The model's shape that bounds a setting, in the page's language ("6 layers, numbered 0 to 5"). */
export function shapeWords(bound: ModelBound, c: Config): string {
  const count = (n: number, many: typeof m.notice_fit_layers, one: () => string) =>
    n === 1 ? one() : many({ n, last: n - 1 });
  switch (bound) {
    case 'layer':
      return count(c.nLayers, m.notice_fit_layers, m.notice_fit_layers_one);
    case 'head':
      return count(c.nHeads, m.notice_fit_query_heads, m.notice_fit_query_heads_one);
    case 'kvHead':
      return count(c.nKvHeads, m.notice_fit_kv_heads, m.notice_fit_kv_heads_one);
    case 'position':
      return m.notice_fit_positions({ n: c.seqLen, last: c.seqLen - 1 });
    case 'vocab':
      return m.notice_fit_vocab({ n: c.vocabSize });
  }
}

/**
 * The rule of a setting whose values the model restricts, by the row's id, in the page's
 * language (the knob table's `says` is the engine's English); a row not listed: "one of …".
 */
export const CHOICE_RULES: Readonly<Partial<Record<KnobId, (c: Config) => string>>> = {
  kvGroups: (c) => m.notice_fit_rule_kv_groups({ kvHeads: c.nKvHeads }),
};

export function choiceRule(row: NumberRow, c: Config, choices: readonly number[]): string {
  const rule = CHOICE_RULES[row.id as KnobId];
  return rule ? rule(c) : m.notice_fit_rule_one_of({ choices: choices.join(', ') });
}

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
  const model = modelName ? m.notice_fit_model_named({ name: modelName }) : m.notice_fit_model();
  for (const spec of specs) {
    const v = values[spec.key];
    if (typeof v !== 'number' || spec.kind !== 'int') continue;
    const name = `${paramLabel(spec)} (${spec.key})`;
    const value = formatNumber(v);
    const row = choiceRows.get(spec.key);
    if (row?.choices) {
      const choices = row.choices(config);
      if (!choices.includes(v)) {
        const used = nearest(v, choices);
        patch[spec.key] = used;
        notices.push(
          m.notice_fit_not_choice({
            name,
            value,
            model,
            rule: choiceRule(row, config, choices),
            choices: choices.join(', '),
            used,
          }),
        );
      }
    } else if (spec.bound) {
      const max = boundMax(spec.bound, config);
      if (v > max) {
        patch[spec.key] = max;
        notices.push(
          m.notice_fit_beyond({
            name,
            value,
            model,
            shape: shapeWords(spec.bound, config),
            used: max,
          }),
        );
      }
    }
  }
  return { patch, notices };
}
