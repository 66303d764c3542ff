// Pearson's chi-square goodness-of-fit test, for the chapter's histograms and for the statistical
// tests of the samplers: categories whose expected count is below `minExpected` are pooled into one
// (the usual rule so the chi-square approximation holds), and the p-value comes from the
// regularised upper incomplete gamma function Q(df/2, x/2) (series / continued fraction,
// Numerical Recipes 6.2).

export interface ChiSquare {
  statistic: number;
  df: number;
  pValue: number;
  /** Categories after pooling. */
  bins: number;
}

/** Chi-square test of `counts` against probabilities `expectedP` (summing to 1). */
export function chiSquareTest(
  counts: ArrayLike<number>,
  expectedP: ArrayLike<number>,
  minExpected = 5,
): ChiSquare {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  let stat = 0;
  let bins = 0;
  let poolObs = 0;
  let poolExp = 0;
  for (let i = 0; i < expectedP.length; i++) {
    const e = n * expectedP[i];
    if (e >= minExpected) {
      stat += (counts[i] - e) ** 2 / e;
      bins++;
    } else {
      poolObs += counts[i];
      poolExp += e;
    }
  }
  if (poolExp > 0 || poolObs > 0) {
    // an observation where nothing was expected makes the fit impossible: infinite statistic
    stat += poolExp > 0 ? (poolObs - poolExp) ** 2 / poolExp : Infinity;
    bins++;
  }
  const df = Math.max(bins - 1, 1);
  return { statistic: stat, df, pValue: chiSquareSurvival(stat, df), bins };
}

/** P(X >= x) for X ~ chi-square(df). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(x > 0)) return 1;
  if (!Number.isFinite(x)) return 0;
  return gammaQ(df / 2, x / 2);
}

function lnGamma(z: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for z > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  z -= 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised upper incomplete gamma Q(a, x). */
function gammaQ(a: number, x: number): number {
  const gln = lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let del = sum;
    let ap = a;
    for (let n = 0; n < 1000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(-x + a * Math.log(x) - gln));
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - gln) * h;
}
