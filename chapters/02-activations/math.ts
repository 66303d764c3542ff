// Every formula chapter 2 shows, in float64: the activations and their derivatives, the gated
// linear unit family, the FFN hidden-size rule of Meta's reference code and the parameter counts
// that rule keeps equal. Tested in tests/unit/chapters/02-activations.test.ts.
import { sigmoid } from '$engine/math.ts';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
/** The cubic coefficient of GELU's tanh approximation (Hendrycks & Gimpel, 2016). */
export const GELU_TANH_C = 0.044715;

/**
 * erf(x) to about 1e-15: erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·5···(2n+1)). Every term
 * is positive, so there is no cancellation; |x| ≥ 6 gives ±1 (1 − erf(6) < 3e-17).
 */
export function erf64(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a >= 6) return Math.sign(x);
  let term = a;
  let sum = a;
  for (let n = 1; n < 400; n++) {
    term *= (2 * a * a) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  // Rounding can land a hair above 1 near |x| = 6; erf never does.
  return Math.sign(x) * Math.min(1, TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum);
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF Φ(x) = (1 + erf(x/√2)) / 2. */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf64(x / Math.SQRT2));
}

/** The logistic sigmoid, the engine's one definition (numerically safe on both sides). */
export { sigmoid };

export function relu(x: number): number {
  return x > 0 ? x : 0;
}
/** ReLU'(x): 0 below zero, 1 above (at 0 we use 0, as autograd frameworks do). */
export function reluDeriv(x: number): number {
  return x > 0 ? 1 : 0;
}

/** GELU(x) = x Φ(x). */
export function gelu(x: number): number {
  return x * normalCdf(x);
}
/** GELU'(x) = Φ(x) + x φ(x). */
export function geluDeriv(x: number): number {
  return normalCdf(x) + x * normalPdf(x);
}

/** The tanh approximation: x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³))). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x)));
}
export function geluTanhDeriv(x: number): number {
  const u = SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
  const t = Math.tanh(u);
  const du = SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * x * x);
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du;
}

/** Swish_β(x) = x σ(βx); β = 1 is SiLU. */
export function swish(x: number, beta: number): number {
  return x * sigmoid(beta * x);
}
/** Swish_β'(x) = σ(βx) + βx σ(βx)(1 − σ(βx)). */
export function swishDeriv(x: number, beta: number): number {
  const s = sigmoid(beta * x);
  return s + beta * x * s * (1 - s);
}
export function silu(x: number): number {
  return swish(x, 1);
}
export function siluDeriv(x: number): number {
  return swishDeriv(x, 1);
}

/** Where SiLU is lowest: the root of SiLU'(x) = 0 on x < 0, by Newton's method. */
export function siluMinimum(): { x: number; value: number } {
  let x = -1.3;
  for (let i = 0; i < 50; i++) {
    // d/dx SiLU'(x) = σ(x)(1−σ(x))(2 + x(1 − 2σ(x)))
    const s = sigmoid(x);
    const d2 = s * (1 - s) * (2 + x * (1 - 2 * s));
    const step = siluDeriv(x) / d2;
    x -= step;
    if (Math.abs(step) < 1e-15) break;
  }
  return { x, value: silu(x) };
}

/** Where GELU is lowest: the root of GELU'(x) = 0 on x < 0, by Newton's method. */
export function geluMinimum(): { x: number; value: number } {
  let x = -0.75;
  for (let i = 0; i < 50; i++) {
    // d/dx GELU'(x) = 2φ(x) − x² φ(x)
    const d2 = (2 - x * x) * normalPdf(x);
    const step = geluDeriv(x) / d2;
    x -= step;
    if (Math.abs(step) < 1e-15) break;
  }
  return { x, value: gelu(x) };
}

/** Largest |GELU(x) − tanh approximation| on a grid over [lo, hi], and where it happens. */
export function geluApproxMaxError(lo = -10, hi = 10, n = 20001): { x: number; error: number } {
  let best = { x: lo, error: 0 };
  for (let i = 0; i < n; i++) {
    const x = lo + ((hi - lo) * i) / (n - 1);
    const e = Math.abs(gelu(x) - geluTanh(x));
    if (e > best.error) best = { x, error: e };
  }
  return best;
}

export type ActivationName = 'relu' | 'gelu' | 'gelu_tanh' | 'swish';

/** An activation and its derivative by name (β only matters for swish). */
export function activation(
  name: ActivationName,
  beta = 1,
): { f: (x: number) => number; df: (x: number) => number } {
  switch (name) {
    case 'relu':
      return { f: relu, df: reluDeriv };
    case 'gelu':
      return { f: gelu, df: geluDeriv };
    case 'gelu_tanh':
      return { f: geluTanh, df: geluTanhDeriv };
    case 'swish':
      return { f: (x) => swish(x, beta), df: (x) => swishDeriv(x, beta) };
  }
}

/** The gated linear unit family: gate(a) · b for the two projections a = W1 x, b = W3 x. */
export type GluVariant = 'glu' | 'reglu' | 'geglu' | 'swiglu';
export const GLU_GATES: Record<GluVariant, (a: number) => number> = {
  glu: sigmoid,
  reglu: relu,
  geglu: gelu,
  swiglu: silu,
};
export function gatedUnit(variant: GluVariant, a: number, b: number): number {
  return GLU_GATES[variant](a) * b;
}

/**
 * LLaMA's FFN hidden size, as Meta's reference code (model.py, FeedForward) computes it: start
 * from 4·dim, take int(2·h/3), optionally int(ffn_dim_multiplier · h), then round up to a
 * multiple of `multipleOf`.
 */
export function llamaHiddenDim(dim: number, multipleOf: number, ffnDimMultiplier?: number): number {
  let h = Math.trunc((2 * (4 * dim)) / 3);
  if (ffnDimMultiplier !== undefined) h = Math.trunc(ffnDimMultiplier * h);
  return multipleOf * Math.ceil(h / multipleOf);
}

/** Weights of a plain FFN W2 act(W1 x): two matrices of dim × hidden (biases ignored). */
export function plainFfnParams(dim: number, hidden: number): number {
  return 2 * dim * hidden;
}
/** Weights of a gated FFN W2 (act(W1 x) ⊙ W3 x): three matrices of dim × hidden. */
export function gatedFfnParams(dim: number, hidden: number): number {
  return 3 * dim * hidden;
}

/** Fraction of values below zero (where ReLU's output and gradient are both zero). */
export function fractionNegative(values: ArrayLike<number>): number {
  let n = 0;
  let neg = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n += 1;
    if (v < 0) neg += 1;
  }
  return n === 0 ? NaN : neg / n;
}

/**
 * The dead-ReLU picture: unit i has pre-activation w·x + b_i with w·x ~ N(0, 1) over inputs.
 * The fraction of inputs on which it is active (gets a gradient) is Φ(b). A unit whose bias has
 * been pushed to b is "dead" on a fraction 1 − Φ(b) of the data; far below zero it never fires.
 */
export function activeFraction(bias: number): number {
  return normalCdf(bias);
}

/** n evenly spaced points over [lo, hi]. */
export function grid(lo: number, hi: number, n: number): number[] {
  if (n < 2) return [lo];
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Central finite difference (used by the tests and by the formula cell's derivative curve). */
export function numericDeriv(f: (x: number) => number, x: number, h = 1e-5): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/**
 * The GLU-variants paper's Table 1 (Shazeer, 2020, arXiv:2002.05202): held-out log-perplexity of
 * T5-base-sized models on C4 span filling after 65,536 and 524,288 training steps, one row per FFN
 * variant, all at the same parameter and operation count.
 */
export const GLU_VARIANT_RESULTS: readonly {
  ffn: string;
  gated: boolean;
  steps65k: number;
  steps524k: number;
}[] = [
  { ffn: 'ReLU (baseline)', gated: false, steps65k: 1.997, steps524k: 1.677 },
  { ffn: 'GELU', gated: false, steps65k: 1.983, steps524k: 1.679 },
  { ffn: 'Swish', gated: false, steps65k: 1.994, steps524k: 1.683 },
  { ffn: 'GLU', gated: true, steps65k: 1.982, steps524k: 1.663 },
  { ffn: 'Bilinear', gated: true, steps65k: 1.96, steps524k: 1.648 },
  { ffn: 'GEGLU', gated: true, steps65k: 1.942, steps524k: 1.633 },
  { ffn: 'SwiGLU', gated: true, steps65k: 1.944, steps524k: 1.636 },
  { ffn: 'ReGLU', gated: true, steps65k: 1.953, steps524k: 1.645 },
];

/** Weights of one LLaMA block (no biases): attention Wq, Wk, Wv, Wo; the gated FFN; two norm gains. */
export function blockParams(
  dim: number,
  nHeads: number,
  nKvHeads: number,
  hidden: number,
): { attention: number; ffn: number; norms: number; ffnShare: number } {
  const headDim = dim / nHeads;
  const attention = 2 * dim * dim + 2 * dim * nKvHeads * headDim;
  const ffn = gatedFfnParams(dim, hidden);
  const norms = 2 * dim;
  return { attention, ffn, norms, ffnShare: ffn / (attention + ffn + norms) };
}
