// The CPU engine's kernels: small loops with the output argument first, as in llama2.c's run.c.
// They are the numerical reference every other backend (WGSL on WebGPU) is tested against.
//
// Op names are stable: the WGSL kernels and the trace taps use the same words.
//
// | op               | what it computes                                              | shapes                      |
// | ---------------- | ------------------------------------------------------------- | --------------------------- |
// | embed            | out[r] = table[token[r]]                                      | (T, dim)                    |
// | rmsnorm          | out = w * x / sqrt(mean(x^2) + eps)                           | (T, n), w (n)               |
// | layernorm        | out = w * (x - mean) / sqrt(var + eps)   (gain only, no bias) | (T, n), w (n)               |
// | matmul           | out = W @ x                                                   | W (d, n), x (n), out (d)    |
// | matmul_batched   | out = X @ W^T (every row of X through W)                      | X (T, n), W (d, n), out (T, d) |
// | rope_table       | cos/sin of pos * 1/base^(2j/hs), float32 as run.c             | (positions, hs/2)           |
// | rope             | rotate interleaved pairs (x[2j], x[2j+1]) of every head       | (width) at one position     |
// | attn_scores      | s[t] = q_h . k_{t,g} / sqrt(hs), t = 0..pos                   | (pos+1)                     |
// | softmax          | p = exp(s - max s) / sum                                      | (n), in place               |
// | attn_mix         | out_h = sum_t p[t] v_{t,g}                                    | (hs)                        |
// | silu, gelu, relu | elementwise activation, in place                              | (n)                         |
// | mul, add         | elementwise out = a * b, out = a + b                          | (n)                         |
//
// matmul, matmul_batched, attn_scores, softmax, attn_mix and silu also exist as WebAssembly SIMD
// kernels (simd-kernels.wat, the CPU backend's default): float32 sums in 4 lanes, like run.c,
// tested against the functions here.
//
// Arithmetic: inputs and outputs are float32 (Float32Array). Sums are accumulated in float64
// (JavaScript's number) and rounded to float32 when stored. run.c accumulates in float32, so the
// two differ by run.c's own rounding error, about 1e-6 relative: far inside the 1e-4 the fixtures
// are checked to. Where run.c's exact float32 order matters for the result (RoPE angles, which
// grow with the position), it is reproduced with Math.fround.
//
// Every matrix is row-major (out_features, in_features), the llama2.c layout. `wOff` is the start
// of the layer's block inside the all-layers array, so no subarray view (an allocation) is made
// on the hot path.

import { erf } from '../math.ts';

// Defined once in ../math.ts (shared with the WebGPU engine, the trainer and the chapters).
export { erf, ropeFreq, ropeTable } from '../math.ts';

/** out[r*dim ..] = table[tokens[tokOff + r]*dim ..] for r < T (ids already checked). */
export function embed(
  out: Float32Array,
  table: Float32Array,
  tokens: ArrayLike<number>,
  tokOff: number,
  T: number,
  dim: number,
): void {
  for (let r = 0; r < T; r++) {
    const src = tokens[tokOff + r] * dim;
    const dst = r * dim;
    for (let j = 0; j < dim; j++) out[dst + j] = table[src + j];
  }
}

/**
 * RMSNorm of T rows of width n: out = w * (x * (1 / sqrt(sum(x^2)/n + eps))), run.c's order.
 * out may alias x.
 */
export function rmsnorm(
  out: Float32Array,
  x: Float32Array,
  w: Float32Array,
  wOff: number,
  T: number,
  n: number,
  eps: number,
): void {
  for (let r = 0; r < T; r++) {
    const o = r * n;
    let ss = 0;
    for (let j = 0; j < n; j++) ss += x[o + j] * x[o + j];
    const scale = 1 / Math.sqrt(ss / n + eps);
    for (let j = 0; j < n; j++) out[o + j] = w[wOff + j] * (scale * x[o + j]);
  }
}

/**
 * LayerNorm without bias (the llama2.c format stores only a gain) of T rows of width n:
 * out = w * (x - mean) / sqrt(var + eps), with the population variance mean((x - mean)^2).
 * On a zero-mean row this is exactly rmsnorm with the same eps. out may alias x.
 */
export function layernorm(
  out: Float32Array,
  x: Float32Array,
  w: Float32Array,
  wOff: number,
  T: number,
  n: number,
  eps: number,
): void {
  for (let r = 0; r < T; r++) {
    const o = r * n;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += x[o + j];
    const mean = sum / n;
    let ss = 0;
    for (let j = 0; j < n; j++) {
      const c = x[o + j] - mean;
      ss += c * c;
    }
    const scale = 1 / Math.sqrt(ss / n + eps);
    for (let j = 0; j < n; j++) out[o + j] = w[wOff + j] * ((x[o + j] - mean) * scale);
  }
}

/**
 * Matrix-vector product: out[outOff + i] = sum_j W[wOff + i*n + j] * x[xOff + j], i < d.
 * W is (d, n) row-major. Four rows at a time share each load of x[j]; every row keeps its own
 * float64 accumulator summed in j order, which is exactly the order matmulBatched uses, so the
 * prompt pass and single-token decode give bit-identical numbers.
 */
export function matmul(
  out: Float32Array,
  outOff: number,
  x: Float32Array,
  xOff: number,
  w: Float32Array,
  wOff: number,
  n: number,
  d: number,
): void {
  let i = 0;
  for (; i + 4 <= d; i += 4) {
    const r0 = wOff + i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < n; j++) {
      const xj = x[xOff + j];
      s0 += w[r0 + j] * xj;
      s1 += w[r1 + j] * xj;
      s2 += w[r2 + j] * xj;
      s3 += w[r3 + j] * xj;
    }
    out[outOff + i] = s0;
    out[outOff + i + 1] = s1;
    out[outOff + i + 2] = s2;
    out[outOff + i + 3] = s3;
  }
  for (; i < d; i++) {
    const r0 = wOff + i * n;
    let s0 = 0;
    for (let j = 0; j < n; j++) s0 += w[r0 + j] * x[xOff + j];
    out[outOff + i] = s0;
  }
}

/**
 * Matrix-matrix product for the prompt pass: out (T, d) = X (T, n) @ W^T, W (d, n) row-major.
 * Tiles of 4 weight rows x 2 input rows: each loaded weight is used twice and each loaded x
 * four times (a loop of matmul would stream all of W once per row). Each output element is one
 * float64 sum in j order, the same as matmul, so the results are bit-identical to it.
 */
export function matmulBatched(
  out: Float32Array,
  x: Float32Array,
  w: Float32Array,
  wOff: number,
  T: number,
  n: number,
  d: number,
): void {
  if (T === 1) {
    matmul(out, 0, x, 0, w, wOff, n, d);
    return;
  }
  let t = 0;
  for (; t + 2 <= T; t += 2) {
    const xa = t * n;
    const xb = xa + n;
    const oa = t * d;
    const ob = oa + d;
    let i = 0;
    for (; i + 4 <= d; i += 4) {
      const r0 = wOff + i * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let j = 0; j < n; j++) {
        const xaj = x[xa + j];
        const xbj = x[xb + j];
        const w0 = w[r0 + j];
        const w1 = w[r1 + j];
        const w2 = w[r2 + j];
        const w3 = w[r3 + j];
        a0 += w0 * xaj;
        a1 += w1 * xaj;
        a2 += w2 * xaj;
        a3 += w3 * xaj;
        b0 += w0 * xbj;
        b1 += w1 * xbj;
        b2 += w2 * xbj;
        b3 += w3 * xbj;
      }
      out[oa + i] = a0;
      out[oa + i + 1] = a1;
      out[oa + i + 2] = a2;
      out[oa + i + 3] = a3;
      out[ob + i] = b0;
      out[ob + i + 1] = b1;
      out[ob + i + 2] = b2;
      out[ob + i + 3] = b3;
    }
    for (; i < d; i++) {
      const r0 = wOff + i * n;
      let a0 = 0;
      let b0 = 0;
      for (let j = 0; j < n; j++) {
        a0 += w[r0 + j] * x[xa + j];
        b0 += w[r0 + j] * x[xb + j];
      }
      out[oa + i] = a0;
      out[ob + i] = b0;
    }
  }
  for (; t < T; t++) matmul(out, t * d, x, t * n, w, wOff, n, d);
}

/**
 * Rotate the interleaved pairs (x[i], x[i+1]) of every head in x[off .. off+width) by the
 * angles of position `pos`: (x0*c - x1*s, x0*s + x1*c), each product and difference rounded to
 * float32 as run.c does. width is n_heads*hs for q and kv_heads*hs for k.
 */
export function rope(
  x: Float32Array,
  off: number,
  width: number,
  headSize: number,
  cos: Float32Array,
  sin: Float32Array,
  pos: number,
): void {
  const f = Math.fround;
  const half = headSize >> 1;
  const t = pos * half;
  for (let h = off; h < off + width; h += headSize) {
    for (let j = 0; j < half; j++) {
      const c = cos[t + j];
      const s = sin[t + j];
      const i = h + 2 * j;
      const x0 = x[i];
      const x1 = x[i + 1];
      x[i] = f(x0 * c) - f(x1 * s);
      x[i + 1] = f(x0 * s) + f(x1 * c);
    }
  }
}

/**
 * Attention scores of one query head against cache positions 0..nPos-1:
 * att[attOff + t] = (q[qOff..+hs] . kCache[kOff + t*kvStride ..+hs]) / sqrt(hs).
 */
export function attnScores(
  att: Float32Array,
  attOff: number,
  q: Float32Array,
  qOff: number,
  kCache: Float32Array,
  kOff: number,
  kvStride: number,
  headSize: number,
  nPos: number,
): void {
  const scale = Math.fround(Math.sqrt(headSize));
  for (let t = 0; t < nPos; t++) {
    const k = kOff + t * kvStride;
    let s = 0;
    for (let i = 0; i < headSize; i++) s += q[qOff + i] * kCache[k + i];
    att[attOff + t] = Math.fround(s) / scale;
  }
}

/** In-place softmax of x[off .. off+n): max-subtracted, exp, divided by the sum (run.c). */
export function softmax(x: Float32Array, off: number, n: number): void {
  let max = x[off];
  for (let i = 1; i < n; i++) if (x[off + i] > max) max = x[off + i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.fround(Math.exp(x[off + i] - max));
    x[off + i] = e;
    sum += e;
  }
  const fsum = Math.fround(sum);
  for (let i = 0; i < n; i++) x[off + i] /= fsum;
}

/** Float64 accumulators for attnMix, grown to the largest head size seen (never per call). */
let mixAcc = new Float64Array(64);

/**
 * out[outOff..+hs] = sum_t att[attOff+t] * vCache[vOff + t*kvStride ..+hs], t < nPos.
 * Each element is a float64 sum in t order (run.c: xb += a_t * v_t, t in order); the loop runs
 * over t outside and the head's hs contiguous values inside, so the cache is read in order.
 */
export function attnMix(
  out: Float32Array,
  outOff: number,
  att: Float32Array,
  attOff: number,
  vCache: Float32Array,
  vOff: number,
  kvStride: number,
  headSize: number,
  nPos: number,
): void {
  if (mixAcc.length < headSize) mixAcc = new Float64Array(headSize);
  const acc = mixAcc;
  for (let i = 0; i < headSize; i++) acc[i] = 0;
  for (let t = 0; t < nPos; t++) {
    const a = att[attOff + t];
    const v = vOff + t * kvStride;
    for (let i = 0; i < headSize; i++) acc[i] += a * vCache[v + i];
  }
  for (let i = 0; i < headSize; i++) out[outOff + i] = acc[i];
}

/**
 * attnScores over a paged KV cache: position t's key is at
 * kPool[kOff + table[floor(t / blockSize)] * blockStride + (t % blockSize) * kvStride ..+hs].
 * Each score is the same float32 sum as attnScores makes, so the numbers are identical.
 */
export function attnScoresPaged(
  att: Float32Array,
  attOff: number,
  q: Float32Array,
  qOff: number,
  kPool: Float32Array,
  kOff: number,
  table: Int32Array,
  blockStride: number,
  blockSize: number,
  kvStride: number,
  headSize: number,
  nPos: number,
): void {
  for (let b = 0, t = 0; t < nPos; b++, t += blockSize) {
    const n = Math.min(blockSize, nPos - t);
    attnScores(
      att,
      attOff + t,
      q,
      qOff,
      kPool,
      kOff + table[b] * blockStride,
      kvStride,
      headSize,
      n,
    );
  }
}

/**
 * attnMix over a paged KV cache (addresses as in attnScoresPaged): one float64 sum per element
 * in t order across the blocks, exactly attnMix's sum over a contiguous cache.
 */
export function attnMixPaged(
  out: Float32Array,
  outOff: number,
  att: Float32Array,
  attOff: number,
  vPool: Float32Array,
  vOff: number,
  table: Int32Array,
  blockStride: number,
  blockSize: number,
  kvStride: number,
  headSize: number,
  nPos: number,
): void {
  if (mixAcc.length < headSize) mixAcc = new Float64Array(headSize);
  const acc = mixAcc;
  for (let i = 0; i < headSize; i++) acc[i] = 0;
  for (let b = 0, t = 0; t < nPos; b++) {
    const end = Math.min(t + blockSize, nPos);
    for (let v = vOff + table[b] * blockStride; t < end; t++, v += kvStride) {
      const a = att[attOff + t];
      for (let i = 0; i < headSize; i++) acc[i] += a * vPool[v + i];
    }
  }
  for (let i = 0; i < headSize; i++) out[outOff + i] = acc[i];
}

/** SiLU (swish) in place: x * sigmoid(x) = x / (1 + exp(-x)). */
export function silu(x: Float32Array, off: number, n: number): void {
  for (let i = off; i < off + n; i++) {
    const v = x[i];
    x[i] = v / (1 + Math.exp(-v));
  }
}

/** ReLU in place: max(x, 0). */
export function relu(x: Float32Array, off: number, n: number): void {
  for (let i = off; i < off + n; i++) if (x[i] < 0) x[i] = 0;
}

/** GELU, the exact form x * Phi(x) = x * (1 + erf(x / sqrt 2)) / 2 (not the tanh approximation). */
export function gelu(x: Float32Array, off: number, n: number): void {
  for (let i = off; i < off + n; i++) {
    const v = x[i];
    x[i] = 0.5 * v * (1 + erf(v * Math.SQRT1_2));
  }
}

/** A user formula (compiled above the engine) applied in place. */
export function mapInPlace(
  x: Float32Array,
  off: number,
  n: number,
  fn: (v: number) => number,
): void {
  for (let i = off; i < off + n; i++) x[i] = fn(x[i]);
}

/** out[i] = a[i] * b[i] for i < n (out may alias a or b). */
export function mul(out: Float32Array, a: Float32Array, b: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
}

/** out[i] = a[i] + b[i] for i < n (out may alias a or b): the residual connection. */
export function add(out: Float32Array, a: Float32Array, b: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
}
