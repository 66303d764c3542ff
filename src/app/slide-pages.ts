// Where the pages of a long block break: its parts (in order) in `pages` runs of about equal
// height, so that the tallest page is as short as it can be. Pure, for slide-fit.ts.

/**
 * The page (0-based) of each part: contiguous runs, at most `pages` of them, none empty while
 * there are parts enough, minimising the tallest run.
 */
export function partitionHeights(heights: readonly number[], pages: number): number[] {
  const n = heights.length;
  const k = Math.max(1, Math.min(pages, n));
  if (n === 0) return [];
  const prefix = [0];
  for (const h of heights) prefix.push(prefix[prefix.length - 1] + Math.max(0, h));
  const sum = (a: number, b: number) => prefix[b] - prefix[a];
  // best[j][i]: the tallest page when the first i parts make j pages; cut[j][i]: where the last
  // of those pages starts
  const best = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(Infinity));
  const cut = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(0));
  best[0][0] = 0;
  for (let j = 1; j <= k; j++) {
    for (let i = j; i <= n; i++) {
      for (let s = j - 1; s < i; s++) {
        const v = Math.max(best[j - 1][s], sum(s, i));
        if (v < best[j][i]) {
          best[j][i] = v;
          cut[j][i] = s;
        }
      }
    }
  }
  const page = new Array<number>(n).fill(0);
  let i = n;
  for (let j = k; j >= 1; j--) {
    const s = cut[j][i];
    for (let t = s; t < i; t++) page[t] = j - 1;
    i = s;
  }
  return page;
}
