// What a reader's formula may name besides its variables: two constants and a short list of
// number functions. Everything here is a plain JS number function; nothing reaches mathjs' own
// function table (the parser only builds a syntax tree, we evaluate it ourselves).
import { erf, sigmoid } from '../math.ts';

/** The logistic sigmoid, the engine's (src/engine/math.ts). */
export { sigmoid };

export interface AllowedFunction {
  /** Fewest and most arguments. */
  minArgs: number;
  maxArgs: number;
  apply: (args: readonly number[]) => number;
  /** Shown in the help text. */
  doc: string;
}

const unary = (f: (x: number) => number, doc: string): AllowedFunction => ({
  minArgs: 1,
  maxArgs: 1,
  apply: (a) => f(a[0]),
  doc,
});

/**
 * The whitelist. A Map, not an object literal, so that names like `constructor`, `toString` or
 * `__proto__` can never be looked up through the prototype chain.
 */
export const FUNCTIONS: ReadonlyMap<string, AllowedFunction> = new Map([
  ['exp', unary(Math.exp, 'e to the power x')],
  ['log', unary(Math.log, 'natural logarithm')],
  ['tanh', unary(Math.tanh, 'hyperbolic tangent')],
  ['sigmoid', unary(sigmoid, 'logistic sigmoid 1/(1+e^−x)')],
  ['logistic', unary(sigmoid, 'same as sigmoid')],
  // The engine's erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7), so that a typed
  // x*(1+erf(x/sqrt(2)))/2 is the same function as the engine's built-in GELU.
  ['erf', unary(erf, 'error function')],
  ['abs', unary(Math.abs, 'absolute value')],
  ['sqrt', unary(Math.sqrt, 'square root')],
  ['sin', unary(Math.sin, 'sine')],
  ['cos', unary(Math.cos, 'cosine')],
  ['max', { minArgs: 2, maxArgs: 8, apply: (a) => Math.max(...a), doc: 'largest argument' }],
  ['min', { minArgs: 2, maxArgs: 8, apply: (a) => Math.min(...a), doc: 'smallest argument' }],
]);

export const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys()];
