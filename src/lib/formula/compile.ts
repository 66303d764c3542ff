// A reader's activation formula, from text to a plain JS function of x, safely: the sandbox core
// (src/engine/formula/expression.ts: text checks, mathjs parse, whitelist walk, never eval) with
// the one variable x, then the closure is tried on a grid of x values: a formula that is not
// finite there is refused.
import { compileExpression, FormulaError } from '../../engine/formula/expression.ts';
import type { ErrorCode, ErrorParams } from '../../engine/error-text.ts';

export { FormulaError, MAX_DEPTH, MAX_FORMULA_LENGTH } from '../../engine/formula/expression.ts';

/** The grid the compiled formula must be finite on: x = -20, -19.95, ..., 20. */
export const CHECK_GRID: readonly number[] = Array.from({ length: 801 }, (_, i) => -20 + i * 0.05);

export type Activation = (x: number) => number;

export interface CompiledFormula {
  /** The text as the reader typed it, trimmed. */
  source: string;
  fn: Activation;
}

/** A refusal: `error` in English, and the code and parameters to say it in the reader's language. */
export type FormulaResult =
  | { ok: true; formula: CompiledFormula }
  | { ok: false; error: string; code?: ErrorCode; params?: ErrorParams };

const SPEC = { variables: ['x'], example: 'x * sigmoid(x)' } as const;

/** Parse and compile, throwing FormulaError with a reader-facing message. */
export function compileFormulaOrThrow(source: string): CompiledFormula {
  const expr = compileExpression(source, SPEC);
  const text = source.trim();
  const arg = [0];
  const fn: Activation = (x) => {
    arg[0] = x;
    return expr(arg);
  };
  for (const x of CHECK_GRID) {
    const y = fn(x);
    if (!Number.isFinite(y)) {
      throw new FormulaError('formula_not_finite', { x: Number(x.toFixed(2)), y: String(y) });
    }
  }
  return { source: text, fn };
}

/** Parse and compile; never throws. */
export function compileFormula(source: string): FormulaResult {
  try {
    return { ok: true, formula: compileFormulaOrThrow(source) };
  } catch (err) {
    if (err instanceof FormulaError) {
      const { code, params } = err;
      return code
        ? { ok: false, error: err.message, code, params }
        : { ok: false, error: err.message };
    }
    // A bug or a stack overflow in the parser: still refuse, in words.
    return { ok: false, error: `The formula could not be read (${String(err)}).` };
  }
}
