// The formula sandbox core: a reader's expression over named variables, from text to a plain JS
// function, safely:
//   1. cheap checks on the raw text (length, characters that can only mean strings, matrices,
//      objects, assignments or property access), so the usual mistakes get a precise message;
//   2. mathjs' parser turns the text into a syntax tree (parsing evaluates nothing);
//   3. a whitelist walk accepts only numbers, the given variables, pi, e, + - * / ^, unary
//      minus/plus, parentheses and the functions of ./functions.ts, with bounded depth, and builds
//      a closure per node.
// mathjs' evaluate/compile are never called on the reader's text, and the mathjs instance made
// here has no functions at all: only the parser and its node classes. Used by the activations
// chapter's formula cell (one variable, x: src/lib/formula/compile.ts) and the post-training
// chapter's reward formula (text features: src/train/post/rewards.ts).
import { create, parseDependencies, type MathNode } from 'mathjs/number';
import { CONSTANTS, FUNCTIONS, FUNCTION_NAMES } from './functions.ts';
import {
  ERROR_TEXT,
  fillText,
  isErrorCode,
  type ErrorCode,
  type ErrorParams,
} from '../error-text.ts';

export const MAX_FORMULA_LENGTH = 200;
/** Deepest syntax tree accepted (each parenthesis, operator or call is one level). */
export const MAX_DEPTH = 24;

/** A compiled expression: the variables' values, in the order they were declared, in. */
export type Expression = (vars: readonly number[]) => number;

/**
 * A formula the whitelist refuses; the message is meant for the reader. Coded (../error-text.ts)
 * so the page can say it in the reader's language.
 */
export class FormulaError extends Error {
  readonly code?: ErrorCode;
  readonly params?: ErrorParams;
  constructor(code: ErrorCode, params: ErrorParams);
  constructor(message: string);
  constructor(codeOrMessage: string, params?: ErrorParams) {
    const coded = params !== undefined && isErrorCode(codeOrMessage);
    super(coded ? fillText(ERROR_TEXT[codeOrMessage], params) : codeOrMessage);
    this.name = 'FormulaError';
    if (coded) {
      this.code = codeOrMessage;
      this.params = params;
    }
  }
}

export interface ExpressionSpec {
  /** Variable names, in the order their values are passed. */
  variables: readonly string[];
  /** A valid example, for messages (e.g. "x * sigmoid(x)"). */
  example: string;
}

const math = create({ parseDependencies }, {});

const BINARY: ReadonlyMap<string, (a: number, b: number) => number> = new Map([
  ['add', (a: number, b: number) => a + b],
  ['subtract', (a: number, b: number) => a - b],
  ['multiply', (a: number, b: number) => a * b],
  ['divide', (a: number, b: number) => a / b],
  ['pow', (a: number, b: number) => a ** b],
]);

/** Quote a piece of the reader's text in a message: short, no control characters. */
export function quote(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return `“${clean.length > 24 ? `${clean.slice(0, 24)}…` : clean}”`;
}

function list(names: readonly string[]): string {
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The parameters of the sentence that lists what a formula may use. */
function help(spec: ExpressionSpec): { vars: string; functions: string } {
  return { vars: list(spec.variables), functions: FUNCTION_NAMES.join(', ') };
}

/** Character-level refusals with a precise reason (before mathjs sees the text). */
function checkText(text: string, spec: ExpressionSpec): void {
  const H = help(spec);
  if (text.length === 0) throw new FormulaError('formula_empty', H);
  if (text.length > MAX_FORMULA_LENGTH) {
    throw new FormulaError('formula_too_long', { length: text.length, limit: MAX_FORMULA_LENGTH });
  }
  if (/["'`]/.test(text)) throw new FormulaError('formula_quotes', H);
  if (/[[\]]/.test(text)) {
    throw new FormulaError('formula_brackets', H);
  }
  if (/[{}]/.test(text)) throw new FormulaError('formula_braces', H);
  if (/[=<>!]/.test(text)) {
    throw new FormulaError('formula_comparison', { example: spec.example });
  }
  if (/[;\n\r]/.test(text)) throw new FormulaError('formula_several', {});
  if (/\.\s*[A-Za-z_$]/.test(text)) {
    throw new FormulaError('formula_property', H);
  }
  const bad = /[^0-9A-Za-z_\s.+\-*/^(),]/.exec(text);
  if (bad) throw new FormulaError('formula_character', { ...H, char: quote(bad[0]) });
}

/** Walk the tree, refusing anything outside the whitelist, and build the closure. */
function build(node: MathNode, depth: number, spec: ExpressionSpec): Expression {
  const H = help(spec);
  if (depth > MAX_DEPTH) {
    throw new FormulaError('formula_too_deep', { depth: MAX_DEPTH });
  }
  switch (node.type) {
    case 'ConstantNode': {
      const v = (node as unknown as { value: unknown }).value;
      if (typeof v !== 'number') {
        throw new FormulaError('formula_constant', { value: quote(String(v)) });
      }
      if (!Number.isFinite(v)) throw new FormulaError('formula_number_too_large', {});
      return () => v;
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      const index = spec.variables.indexOf(name);
      if (index >= 0) return (vars) => vars[index];
      const c = CONSTANTS.get(name);
      if (c !== undefined) return () => c;
      if (FUNCTIONS.has(name)) {
        throw new FormulaError('formula_function_name', { name: quote(name), call: name });
      }
      throw spec.variables.length === 1
        ? new FormulaError('formula_unknown_name_one', {
            ...H,
            name: quote(name),
            variable: spec.variables[0],
          })
        : new FormulaError('formula_unknown_name_many', { ...H, name: quote(name) });
    }
    case 'ParenthesisNode':
      return build((node as unknown as { content: MathNode }).content, depth + 1, spec);
    case 'OperatorNode': {
      const op = node as unknown as { fn: string; op: string; args: MathNode[] };
      if (op.args.length === 1 && (op.fn === 'unaryMinus' || op.fn === 'unaryPlus')) {
        const a = build(op.args[0], depth + 1, spec);
        return op.fn === 'unaryMinus' ? (v) => -a(v) : a;
      }
      const f = BINARY.get(op.fn);
      if (f && op.args.length === 2) {
        const a = build(op.args[0], depth + 1, spec);
        const b = build(op.args[1], depth + 1, spec);
        return (v) => f(a(v), b(v));
      }
      throw new FormulaError('formula_operator', { ...H, op: quote(op.op) });
    }
    case 'FunctionNode': {
      const call = node as unknown as { fn: MathNode; args: MathNode[] };
      if (call.fn.type !== 'SymbolNode') {
        throw new FormulaError('formula_call_only_functions', H);
      }
      const name = (call.fn as unknown as { name: string }).name;
      const spec2 = FUNCTIONS.get(name);
      if (spec.variables.includes(name)) {
        throw new FormulaError('formula_implicit_call', { name });
      }
      if (!spec2) {
        throw new FormulaError('formula_function', { ...H, name: quote(name) });
      }
      const n = call.args.length;
      if (n < spec2.minArgs || n > spec2.maxArgs) {
        const got = n;
        throw spec2.minArgs !== spec2.maxArgs
          ? new FormulaError('formula_arity_range', {
              name,
              min: spec2.minArgs,
              max: spec2.maxArgs,
              got,
            })
          : spec2.minArgs === 1
            ? new FormulaError('formula_arity_one', { name, got })
            : new FormulaError('formula_arity_exact', { name, want: spec2.minArgs, got });
      }
      const args = call.args.map((a) => build(a, depth + 1, spec));
      if (args.length === 1) {
        const a = args[0];
        return (v) => spec2.apply([a(v)]);
      }
      return (v) => spec2.apply(args.map((a) => a(v)));
    }
    case 'AssignmentNode':
    case 'FunctionAssignmentNode':
      throw new FormulaError('formula_assignment', { vars: list(spec.variables) });
    case 'AccessorNode':
    case 'IndexNode':
      throw new FormulaError('formula_accessor', H);
    case 'ArrayNode':
    case 'ObjectNode':
      throw new FormulaError('formula_matrix', H);
    default:
      throw new FormulaError('formula_node', { ...H, kind: node.type });
  }
}

/**
 * mathjs's syntax error as a coded one: what went wrong (from its message) and where (its `char`,
 * 1-based), so the page can say it in the reader's language. A message of another form keeps
 * mathjs's words (English).
 */
function unreadable(err: unknown): FormulaError {
  const why = err instanceof Error ? err.message : String(err);
  const at = (err as { char?: unknown }).char;
  if (typeof at !== 'number') return new FormulaError('formula_unreadable', { why });
  if (/^Unexpected end of expression/.test(why))
    return new FormulaError('formula_unreadable_end', { at });
  if (/^Parenthesis \) expected/.test(why))
    return new FormulaError('formula_unreadable_paren', { at });
  if (/^Value expected/.test(why)) return new FormulaError('formula_unreadable_value', { at });
  const odd = /^Unexpected (?:operator (\S+)|part "([^"]*)")/.exec(why);
  if (odd) return new FormulaError('formula_unreadable_symbol', { symbol: odd[1] ?? odd[2], at });
  return new FormulaError('formula_unreadable_at', { at });
}

/**
 * Parse and compile `source` over `spec.variables`, throwing FormulaError with a reader-facing
 * message. Finiteness is the caller's to check (it knows the variables' ranges).
 */
export function compileExpression(source: string, spec: ExpressionSpec): Expression {
  if (typeof source !== 'string') throw new FormulaError('formula_not_text', {});
  const text = source.trim();
  checkText(text, spec);
  let tree: MathNode;
  try {
    tree = math.parse(text);
  } catch (err) {
    throw unreadable(err);
  }
  return build(tree, 0, spec);
}
