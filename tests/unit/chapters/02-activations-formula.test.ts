// The formula cell's parser (src/lib/formula): hostile input is refused with a message in words,
// and valid formulas compute the right values.
import { describe, expect, it } from 'vitest';
import {
  CHECK_GRID,
  MAX_FORMULA_LENGTH,
  compileFormula,
  compileFormulaOrThrow,
  FormulaError,
} from '$lib/formula/compile.ts';
import { sigmoid } from '$lib/formula/functions.ts';
import { erf } from '$engine/cpu/ops.ts';

const hostile: [string, RegExp][] = [
  ['import({}, {override:true})', /not allowed/i],
  ['import(x)', /function “import” is not allowed/],
  ['evaluate("1")', /strings are not allowed/i],
  ['evaluate(x)', /function “evaluate” is not allowed/],
  ['parse(x)', /function “parse” is not allowed/],
  ['compile(x)', /not allowed/],
  ['createUnit("x")', /not allowed/i],
  ['createUnit(x)', /“createUnit” is not allowed/],
  ['x.constructor', /property access/i],
  ['x . constructor', /property access/i],
  ['sigmoid.constructor(x)', /property access/i],
  ['f(x)=1', /assignment|definition/i],
  ['x=1', /assignment|definition/i],
  ['"a"', /strings are not allowed/i],
  ["'a'", /strings are not allowed/i],
  ['[1,2]', /matrices/i],
  ['x[1]', /indexing/i],
  ['{a: 1}', /objects/i],
  ['__proto__', /unknown name “__proto__”/i],
  ['constructor', /unknown name/i],
  ['toString(x)', /“toString” is not allowed/],
  ['hasOwnProperty(x)', /not allowed/],
  ['y', /unknown name “y”/i],
  ['x + y', /unknown name “y”/i],
  ['5 cm', /unknown name “cm”/i],
  ['sin', /is a function: call it/],
  ['exp(x, 2)', /exp takes 1 argument, not 2/],
  ['max(x)', /max takes 2 to 8 arguments, not 1/],
  ['x mod 2', /unknown name|not allowed|could not be read/i],
  ['x!', /not allowed/i],
  ['x < 1', /not allowed/i],
  ['x ? 1 : 2', /not allowed/i],
  ['1:3', /not allowed/i],
  ['x; 1', /single expression/i],
  ['x\n1', /single expression/i],
  ['x & 1', /character “&” is not allowed/],
  ['x | 1', /character “\|” is not allowed/],
  ['x # comment', /character “#” is not allowed/],
  ['x @ 1', /not allowed/],
  ['x \u202e 1', /not allowed/],
  ['x(x + 1)', /write x \* \(…\)/],
  ['pi(x)', /“pi” is not allowed/],
  ['x + ' + '1 + '.repeat(60) + '1', /characters long; the limit is 200/],
  ['('.repeat(40) + 'x' + ')'.repeat(40), /nested too deeply/],
  ['-'.repeat(60) + 'x', /nested too deeply/],
  ['1/0', /not a finite number at x = -20.*Infinity/],
  ['x/x', /not a finite number at x = 0 .*NaN/],
  ['log(x)', /not a finite number at x = -20/],
  ['sqrt(x)', /not a finite number/],
  ['exp(exp(x))', /not a finite number at x = /],
  ['1e400 * x', /too large/],
  ['', /empty/],
  ['   ', /empty/],
  ['x +', /could not be read/],
  ['sin(x', /could not be read/],
];

describe('formula cell: hostile and invalid input is refused with a message', () => {
  for (const [input, message] of hostile) {
    it(`refuses ${JSON.stringify(input.length > 50 ? input.slice(0, 50) + '…' : input)}`, () => {
      const r = compileFormula(input);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.length).toBeGreaterThan(10);
      expect(r.error).toMatch(message);
      expect(() => compileFormulaOrThrow(input)).toThrow(FormulaError);
    });
  }

  it('refuses non-string input without throwing from compileFormula', () => {
    const r = compileFormula(42 as unknown as string);
    expect(r.ok).toBe(false);
  });

  it('never touches Object.prototype (no pollution after hostile input)', () => {
    for (const [input] of hostile) compileFormula(input);
    expect(({} as Record<string, unknown>).override).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('accepts trailing whitespace beyond the limit once trimmed', () => {
    const r = compileFormula('x'.padEnd(MAX_FORMULA_LENGTH + 5, ' '));
    expect(r.ok).toBe(true);
  });
});

const xs = [-7.5, -3, -1, -0.25, 0, 0.3, 1, 2.5, 6];

describe('formula cell: valid formulas compute the right values', () => {
  const cases: [string, (x: number) => number][] = [
    ['x', (x) => x],
    ['2x + 1', (x) => 2 * x + 1],
    ['-x^2', (x) => -(x ** 2)],
    ['2^-x', (x) => 2 ** -x],
    ['2^3^2 + 0 * x', () => 512], // ^ is right-associative
    ['(x)(x)', (x) => x * x], // implicit multiplication
    ['max(x, 0)', (x) => Math.max(x, 0)],
    ['min(x, 0, -1)', (x) => Math.min(x, 0, -1)],
    ['x * sigmoid(x)', (x) => x / (1 + Math.exp(-x))],
    ['x * logistic(1.702 x)', (x) => x / (1 + Math.exp(-1.702 * x))],
    ['x / (1 + exp(-x))', (x) => x / (1 + Math.exp(-x))],
    ['0.5 x * (1 + erf(x / sqrt(2)))', (x) => 0.5 * x * (1 + erf(x / Math.SQRT2))],
    [
      '0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x^3)))',
      (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
    ],
    ['x * tanh(log(1 + exp(x)))', (x) => x * Math.tanh(Math.log(1 + Math.exp(x)))],
    ['abs(x) + sin(x) * cos(x) - e', (x) => Math.abs(x) + Math.sin(x) * Math.cos(x) - Math.E],
    ['+x', (x) => x],
    ['((((x))))', (x) => x],
  ];
  for (const [text, expected] of cases) {
    it(`${text}`, () => {
      const r = compileFormula(text);
      if (!r.ok) throw new Error(r.error);
      for (const x of xs) expect(r.formula.fn(x)).toBeCloseTo(expected(x), 12);
    });
  }

  it('is finite over the whole check grid when accepted', () => {
    const r = compileFormula('x * sigmoid(x)');
    expect(r.ok).toBe(true);
    if (r.ok) for (const x of CHECK_GRID) expect(Number.isFinite(r.formula.fn(x))).toBe(true);
  });

  it('the sigmoid it defines does not overflow for large |x|', () => {
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(-2)).toBeCloseTo(1 / (1 + Math.exp(2)), 15);
  });

  it('keeps the trimmed source', () => {
    const r = compileFormula('  x*sigmoid(x)  ');
    expect(r.ok && r.formula.source).toBe('x*sigmoid(x)');
  });
});
