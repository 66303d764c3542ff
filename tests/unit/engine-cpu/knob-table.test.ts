// The setting table is the single source of every knob's limits: the controls and links offer
// only what the engine accepts, and everything derived from it (validation, clamping, the URL
// specs, knobs <-> URL values) agrees with it.
import { describe, expect, it } from 'vitest';
import {
  KNOB_ROWS,
  SAMPLER_ROWS,
  checkValue,
  clampValue,
  controlRange,
  type SettingRow,
} from '$engine/knob-table.ts';
import { clampKnobs, defaultKnobs, validateKnobs } from '$engine/knobs.ts';
import { validateSamplerSettings } from '$engine/sampler.ts';
import type { Config } from '$engine/types.ts';
import {
  KNOB_IDS,
  knobRows,
  knobSpecFor,
  knobSpecs,
  knobValue,
  knobsFromParams,
  samplerDefaults,
  samplerFromParams,
  samplerSpecFor,
  samplerSpecs,
} from '$lib/knobs.ts';
import { parseParams } from '$lib/params.ts';
import { loadRandomS } from './fixture.ts';

const c = loadRandomS().config;
// Shapes of the shipped models and of other llama2.c checkpoints a reader may drop.
const shapes: Config[] = [
  c,
  { ...c, nHeads: 8, nKvHeads: 8 },
  { ...c, nHeads: 8, nKvHeads: 1 },
  { ...c, nHeads: 12, nKvHeads: 6, norm: 'layernorm', activation: 'gelu', position: 'none' },
];
const rows: readonly SettingRow[] = [...KNOB_ROWS, ...SAMPLER_ROWS];

function accepted(row: SettingRow, v: unknown, config: Config = c): boolean {
  return checkValue(row, v, config) === null;
}

describe('setting table', () => {
  it('has unique ids, fields and URL keys, and every Knobs field has a row', () => {
    for (const key of ['id', 'field', 'urlKey'] as const) {
      expect(new Set(rows.map((r) => r[key])).size).toBe(rows.length);
    }
    expect(KNOB_ROWS.map((r) => r.field).sort()).toEqual(Object.keys(defaultKnobs(c)).sort());
  });

  it('every control range lies inside what the engine accepts, for every model shape', () => {
    for (const row of rows) {
      if (row.kind !== 'number' && row.kind !== 'int') continue;
      const { min, max } = controlRange(row);
      expect(min, row.id).toBeLessThan(max);
      if (row.scale === 'log')
        expect(min, `${row.id}: log slider needs min > 0`).toBeGreaterThan(0);
      for (const config of shapes) {
        const top = row.choices ? Math.max(...row.choices(config)) : max;
        // both ends of the control, and a sweep across it (in the slider's own scale)
        const ends = [min, Math.min(max, top)];
        for (let i = 0; i <= 50; i++) {
          const t = i / 50;
          let v =
            row.scale === 'log'
              ? 10 ** (Math.log10(min) + t * Math.log10(max / min))
              : min + t * (max - min);
          if (row.kind === 'int') v = Math.round(v);
          if (row.choices)
            v = row.choices(config).reduce((a, b) => (Math.abs(b - v) < Math.abs(a - v) ? b : a));
          ends.push(Math.min(v, max));
        }
        for (const v of ends) expect(accepted(row, v, config), `${row.id} = ${v}`).toBe(true);
      }
    }
  });

  it('the URL specs are the control ranges, and the loaded model narrows shape-bound knobs', () => {
    for (const row of KNOB_ROWS) {
      const spec = knobSpecs[row.id];
      expect(spec.key).toBe(row.urlKey);
      expect(spec.label).toBe(row.label);
      if (row.kind === 'number' || row.kind === 'int')
        expect(spec).toMatchObject(controlRange(row));
    }
    expect(knobSpecs.eps).toMatchObject({ min: 1e-12, max: 1, scale: 'log' });
    for (const config of shapes) {
      expect(knobSpecFor('kvGroups', config)).toMatchObject({ min: 1, max: config.nKvHeads });
      expect(knobSpecFor('eps', config)).toEqual(knobSpecs.eps);
    }
    expect(samplerSpecs.temp).toMatchObject({ key: 'temp', min: 0, max: 2 });
    // top-k stops at the loaded model's vocabulary (512 for the built-in model, not 1000)
    for (const config of shapes) {
      expect(samplerSpecFor('topk', config)).toMatchObject({
        min: 0,
        max: Math.min(1000, config.vocabSize),
      });
      expect(samplerSpecFor('temp', config)).toEqual(samplerSpecs.temp);
      expect(samplerSpecFor('seed', config)).toEqual(samplerSpecs.seed);
    }
    expect(samplerSpecFor('topk', undefined)).toEqual(samplerSpecs.topk);
    expect(samplerDefaults).toMatchObject({ temp: 0.8, topk: 0, topp: 0.9 });
  });

  it('every default is accepted for every model shape, and is the model as trained', () => {
    for (const config of shapes) {
      expect(() => validateKnobs(defaultKnobs(config), config)).not.toThrow();
      for (const row of rows) expect(accepted(row, row.default(config), config), row.id).toBe(true);
    }
    expect(defaultKnobs(shapes[3])).toMatchObject({
      norm: 'layernorm',
      activation: 'gelu',
      rope: false,
      kvGroups: 6,
    });
  });

  it('whatever a link holds, parsing then clamping gives values the engine runs', () => {
    const allSpecs = [...Object.values(knobSpecs), ...Object.values(samplerSpecs)];
    const links = [
      'eps=5&ropeBase=1&ropeFactor=1e9&kvGroups=256&temp=9&topk=-1&topp=2',
      'eps=-1&ropeBase=-5&ropeFactor=0&kvGroups=0&temp=-1&topk=1e3&topp=-0.5',
      'eps=1e-300&ropeBase=1e300&kvGroups=3&norm=layernorm&act=custom&rope=off',
      'ropeScaling=yarn&act=tanh&norm=<b>&rope=maybe&kvGroups=x',
    ];
    for (const config of shapes) {
      for (const link of links) {
        const { values } = parseParams(link, allSpecs);
        const raw = knobsFromParams(values, KNOB_IDS);
        const knobs = clampKnobs(raw, config);
        expect(() => validateKnobs(knobs, config), link).not.toThrow();
        // values the link set within the control range survive clamping unchanged
        for (const id of KNOB_IDS) {
          const row = knobRows[id];
          const v = values[row.urlKey];
          if (v !== undefined && accepted(row, v, config)) expect(knobValue(knobs, id)).toBe(v);
        }
        expect(() => validateSamplerSettings(samplerFromParams(values))).not.toThrow();
      }
    }
  });

  it('clamps into the control range, rounds whole numbers and snaps to allowed values', () => {
    const kv = knobRows.kvGroups;
    expect(clampValue(kv, '3', c)).toBe(2); // divisors of 4: 1, 2, 4; first of equals
    expect(clampValue(kv, 1000, c)).toBe(4);
    expect(clampValue(kv, 1000, shapes[2])).toBe(1);
    expect(clampValue(knobRows.eps, 5, c)).toBe(1);
    expect(clampValue(knobRows.eps, 'NaN', c)).toBe(c.normEps);
    expect(clampValue(knobRows.rope, 'off', c)).toBe(false);
    expect(clampValue(SAMPLER_ROWS[1], 2.6, c)).toBe(3);
  });

  it('error messages name the setting and the rule, from the table', () => {
    expect(checkValue(knobRows.eps, 0, c)).toBe(
      'knob "normEps" must be a number greater than 0 and at most 10, got 0',
    );
    expect(checkValue(knobRows.ropeFactor, 65, c)).toBe(
      'knob "ropeFactor" must be a number from 1 to 64, got 65',
    );
    expect(checkValue(knobRows.kvGroups, 3, shapes[1])).toBe(
      'knob "kvGroups" must be a whole number dividing the 8 K/V heads (one of 1, 2, 4, 8), got 3',
    );
    expect(checkValue(SAMPLER_ROWS[2], 1.5)).toMatch(/^top-p must be a number in \[0, 1\]/);
  });
});
