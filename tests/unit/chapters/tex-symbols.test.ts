// The TeX reader behind the glossary test (tests/helpers/tex-symbols.ts): what it counts as a
// symbol, what it skips, and how subscripts resolve against the glossary.
import { describe, expect, it } from 'vitest';
import { canonicalSymbol, symbolsIn } from '../../helpers/tex-symbols.ts';

const none = new Set<string>();
const sorted = (tex: string, known: ReadonlySet<string> = none) =>
  [...new Set(symbolsIn(tex, known))].sort();

describe('symbolsIn', () => {
  it('reads letters and Greek letters through operators and their arguments', () => {
    expect(sorted(String.raw`\mu = \frac{1}{d}\sum_{i=1}^{d} x_i`)).toEqual([
      '\\mu',
      'd',
      'i',
      'x',
    ]);
    expect(sorted(String.raw`\sqrt{\sigma^2 + \epsilon}`)).toEqual(['\\epsilon', '\\sigma']);
  });

  it('skips words: \\operatorname, \\text, \\mathrm of a word, \\texttt, environment names', () => {
    expect(sorted(String.raw`\operatorname{RMSNorm}(x) = x \text{ per token}`)).toEqual(['x']);
    expect(sorted(String.raw`\begin{cases} 0 & r < \alpha \\ 1 & r > \beta \end{cases}`)).toEqual([
      '\\alpha',
      '\\beta',
      'r',
    ]);
    expect(
      sorted(String.raw`m = \texttt{multiple\_of}, \operatorname{FFN}_{\mathrm{ReLU}}(x)`),
    ).toEqual(['m', 'x']);
    expect(sorted(String.raw`\max(z, 0) \cdot \log \cos \quad \Big( \Big)`)).toEqual(['z']);
  });

  it('keeps decorated letters apart: \\hat{x} is not x, \\mathrm{i} is not i, \\mathbf{1}', () => {
    expect(sorted(String.raw`\hat x_i = x_i / r`)).toEqual(['\\hat{x}', 'i', 'r', 'x']);
    expect(sorted(String.raw`e^{\mathrm{i} m \theta_i}`)).toEqual([
      '\\mathrm{i}',
      '\\theta',
      'e',
      'i',
      'm',
    ]);
    expect(sorted(String.raw`x + c\mathbf{1}, \ \mathbb{R}^d`)).toEqual([
      '\\mathbb{R}',
      '\\mathbf{1}',
      'c',
      'd',
      'x',
    ]);
    // Over an expression a decoration is an operation (a conjugate): its letters count.
    expect(sorted(String.raw`\overline{\tilde k_i}`)).toEqual(['\\tilde{k}', 'i']);
  });

  it('a word subscript names the symbol; other subscripts are indices unless the glossary names them', () => {
    expect(sorted(String.raw`h_{kv} \cdot d_{\text{model}}`)).toEqual([
      'd_{\\text{model}}',
      'h_{kv}',
    ]);
    expect(sorted(String.raw`W_1 x + W_K^{(i)}`)).toEqual(
      ['1', 'K', 'W', 'i', 'x'].filter((s) => s !== '1'),
    );
    const known = new Set(['W_{1}', 'W_{K}', 'd_{k}']);
    expect(sorted(String.raw`W_1 x + W_K^{(i)} / \sqrt{d_k}`, known)).toEqual([
      'W_{1}',
      'W_{K}',
      'd_{k}',
      'i',
      'x',
    ]);
    // Indices with a comma are indices, however many letters.
    expect(sorted(String.raw`M_{t,s}`)).toEqual(['M', 's', 't']);
  });

  it('primes name a symbol when the glossary has it, else fall back to the base', () => {
    expect(sorted(String.raw`\theta'_i = \theta_i / s`)).toEqual(['\\theta', 'i', 's']);
    expect(sorted(String.raw`\theta'_i = \theta_i / s`, new Set(["\\theta'"]))).toEqual([
      '\\theta',
      "\\theta'",
      'i',
      's',
    ]);
  });

  it('reads superscripts as math (powers, head indices) and skips \\top', () => {
    expect(sorted(String.raw`x^{\top} W^{(j)} a^n`)).toEqual(['W', 'a', 'j', 'n', 'x']);
  });
});

describe('canonicalSymbol', () => {
  it('writes a glossary entry the way symbolsIn reports it', () => {
    expect(canonicalSymbol('h_{kv}')).toBe('h_{kv}');
    expect(canonicalSymbol('d_k')).toBe('d_{k}');
    expect(canonicalSymbol('\\hat{x}')).toBe('\\hat{x}');
    expect(canonicalSymbol('\\hat x')).toBe('\\hat{x}');
    expect(canonicalSymbol("x'")).toBe("x'");
    expect(canonicalSymbol('\\overline{W}_K')).toBe('\\overline{W}_{K}');
  });

  it('refuses an entry that is not one symbol', () => {
    expect(() => canonicalSymbol('a + b')).toThrow(/not a single symbol/);
    expect(() => canonicalSymbol('x^2')).toThrow(/not a single symbol/);
  });
});
