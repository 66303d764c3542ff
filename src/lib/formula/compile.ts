// A reader's activation formula, from text to a plain JS function of x, safely:
//   1. cheap checks on the raw text (length, characters that can only mean strings, matrices,
//      objects, assignments or property access), so the usual mistakes get a precise message;
//   2. mathjs' parser turns the text into a syntax tree (parsing evaluates nothing);
//   3. a whitelist walk accepts only numbers, x, pi, e, + - * / ^, unary minus/plus, parentheses
//      and the functions of ./functions.ts, with bounded depth, and builds a closure per node;
//   4. the closure is tried on a grid of x values: a formula that is not finite there is refused.
// mathjs' evaluate/compile are never called on the reader's text, and the mathjs instance made
// here has no functions at all: only the parser and its node classes.
import { create, parseDependencies, type MathNode } from 'mathjs/number';
import { CONSTANTS, FUNCTIONS, FUNCTION_NAMES, VARIABLE } from './functions.ts';

export const MAX_FORMULA_LENGTH = 200;
/** Deepest syntax tree accepted (each parenthesis, operator or call is one level). */
export const MAX_DEPTH = 24;
/** The grid the compiled formula must be finite on: x = -20, -19.95, ..., 20. */
export const CHECK_GRID: readonly number[] = Array.from({ length: 801 }, (_, i) => -20 + i * 0.05);

export type Activation = (x: number) => number;

export interface CompiledFormula {
  /** The text as the reader typed it, trimmed. */
  source: string;
  fn: Activation;
}

export type FormulaResult = { ok: true; formula: CompiledFormula } | { ok: false; error: string };

/** A formula the whitelist refuses; the message is meant for the reader. */
export class FormulaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormulaError';
  }
}

const math = create({ parseDependencies }, {});

const ALLOWED_HELP = `Use x, numbers, + − * / ^, parentheses, pi, e and the functions ${FUNCTION_NAMES.join(', ')}.`;

const BINARY: ReadonlyMap<string, (a: number, b: number) => number> = new Map([
  ['add', (a: number, b: number) => a + b],
  ['subtract', (a: number, b: number) => a - b],
  ['multiply', (a: number, b: number) => a * b],
  ['divide', (a: number, b: number) => a / b],
  ['pow', (a: number, b: number) => a ** b],
]);

/** Quote a piece of the reader's text in a message: short, no control characters. */
function quote(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return `“${clean.length > 24 ? `${clean.slice(0, 24)}…` : clean}”`;
}

/** Character-level refusals with a precise reason (before mathjs sees the text). */
function checkText(text: string): void {
  if (text.length === 0) throw new FormulaError('The formula is empty. ' + ALLOWED_HELP);
  if (text.length > MAX_FORMULA_LENGTH) {
    throw new FormulaError(
      `The formula is ${text.length} characters long; the limit is ${MAX_FORMULA_LENGTH}.`,
    );
  }
  if (/["'`]/.test(text))
    throw new FormulaError('Quotes and strings are not allowed. ' + ALLOWED_HELP);
  if (/[[\]]/.test(text)) {
    throw new FormulaError('Square brackets (matrices, indexing) are not allowed. ' + ALLOWED_HELP);
  }
  if (/[{}]/.test(text))
    throw new FormulaError('Braces (objects) are not allowed. ' + ALLOWED_HELP);
  if (/[=<>!]/.test(text)) {
    throw new FormulaError(
      'Assignments, definitions and comparisons (=, <, >, !) are not allowed: type only the right-hand side, e.g. x * sigmoid(x).',
    );
  }
  if (/[;\n\r]/.test(text)) throw new FormulaError('Type a single expression (no ; or new lines).');
  if (/\.\s*[A-Za-z_$]/.test(text)) {
    throw new FormulaError('Property access (a dot before a name) is not allowed. ' + ALLOWED_HELP);
  }
  const bad = /[^0-9A-Za-z_\s.+\-*/^(),]/.exec(text);
  if (bad) throw new FormulaError(`The character ${quote(bad[0])} is not allowed. ` + ALLOWED_HELP);
}

/** Walk the tree, refusing anything outside the whitelist, and build the closure. */
function build(node: MathNode, depth: number): Activation {
  if (depth > MAX_DEPTH) {
    throw new FormulaError(`The formula is nested too deeply (more than ${MAX_DEPTH} levels).`);
  }
  switch (node.type) {
    case 'ConstantNode': {
      const v = (node as unknown as { value: unknown }).value;
      if (typeof v !== 'number') {
        throw new FormulaError(`Only numbers are allowed as constants, not ${quote(String(v))}.`);
      }
      if (!Number.isFinite(v)) throw new FormulaError('A number in the formula is too large.');
      return () => v;
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      if (name === VARIABLE) return (x) => x;
      const c = CONSTANTS.get(name);
      if (c !== undefined) return () => c;
      if (FUNCTIONS.has(name)) {
        throw new FormulaError(`${quote(name)} is a function: call it, e.g. ${name}(x).`);
      }
      throw new FormulaError(
        `Unknown name ${quote(name)}: the only variable is x, the constants are pi and e. ` +
          ALLOWED_HELP,
      );
    }
    case 'ParenthesisNode':
      return build((node as unknown as { content: MathNode }).content, depth + 1);
    case 'OperatorNode': {
      const op = node as unknown as { fn: string; op: string; args: MathNode[] };
      if (op.args.length === 1 && (op.fn === 'unaryMinus' || op.fn === 'unaryPlus')) {
        const a = build(op.args[0], depth + 1);
        return op.fn === 'unaryMinus' ? (x) => -a(x) : a;
      }
      const f = BINARY.get(op.fn);
      if (f && op.args.length === 2) {
        const a = build(op.args[0], depth + 1);
        const b = build(op.args[1], depth + 1);
        return (x) => f(a(x), b(x));
      }
      throw new FormulaError(`The operator ${quote(op.op)} is not allowed. ` + ALLOWED_HELP);
    }
    case 'FunctionNode': {
      const call = node as unknown as { fn: MathNode; args: MathNode[] };
      if (call.fn.type !== 'SymbolNode') {
        throw new FormulaError('Only the listed functions can be called. ' + ALLOWED_HELP);
      }
      const name = (call.fn as unknown as { name: string }).name;
      const spec = FUNCTIONS.get(name);
      if (name === VARIABLE) {
        throw new FormulaError('x(…) reads as calling x: write x * (…) to multiply.');
      }
      if (!spec) {
        throw new FormulaError(`The function ${quote(name)} is not allowed. ` + ALLOWED_HELP);
      }
      const n = call.args.length;
      if (n < spec.minArgs || n > spec.maxArgs) {
        const want =
          spec.minArgs === spec.maxArgs
            ? `${spec.minArgs} argument${spec.minArgs === 1 ? '' : 's'}`
            : `${spec.minArgs} to ${spec.maxArgs} arguments`;
        throw new FormulaError(`${name} takes ${want}, not ${n}.`);
      }
      const args = call.args.map((a) => build(a, depth + 1));
      if (args.length === 1) {
        const a = args[0];
        return (x) => spec.apply([a(x)]);
      }
      return (x) => spec.apply(args.map((a) => a(x)));
    }
    case 'AssignmentNode':
    case 'FunctionAssignmentNode':
      throw new FormulaError(
        'Assignments and definitions are not allowed: type only an expression of x.',
      );
    case 'AccessorNode':
    case 'IndexNode':
      throw new FormulaError('Property access and indexing are not allowed. ' + ALLOWED_HELP);
    case 'ArrayNode':
    case 'ObjectNode':
      throw new FormulaError('Matrices and objects are not allowed. ' + ALLOWED_HELP);
    default:
      throw new FormulaError(
        `This kind of expression (${node.type}) is not allowed. ` + ALLOWED_HELP,
      );
  }
}

/** Parse and compile, throwing FormulaError with a reader-facing message. */
export function compileFormulaOrThrow(source: string): CompiledFormula {
  if (typeof source !== 'string') throw new FormulaError('The formula must be text.');
  const text = source.trim();
  checkText(text);
  let tree: MathNode;
  try {
    tree = math.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new FormulaError(`The formula could not be read: ${why}.`);
  }
  const fn = build(tree, 0);
  for (const x of CHECK_GRID) {
    const y = fn(x);
    if (!Number.isFinite(y)) {
      throw new FormulaError(
        `The formula is not a finite number at x = ${Number(x.toFixed(2))} (it gives ${String(y)}); an activation must be finite for every input between −20 and 20.`,
      );
    }
  }
  return { source: text, fn };
}

/** Parse and compile; never throws. */
export function compileFormula(source: string): FormulaResult {
  try {
    return { ok: true, formula: compileFormulaOrThrow(source) };
  } catch (err) {
    if (err instanceof FormulaError) return { ok: false, error: err.message };
    // A bug or a stack overflow in the parser: still refuse, in words.
    return { ok: false, error: `The formula could not be read (${String(err)}).` };
  }
}
