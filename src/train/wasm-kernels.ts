// The trainer's WebAssembly SIMD (f32x4) kernels, emitted by wasm-asm.ts: the matrix product;
// softmax over rows (causal for attention scores, full for the classifier's cross-entropy) and
// the attention softmax's backward; the SwiGLU gate with SiLU and its backward. exp is computed
// in SIMD too (emitExp below). Every kernel is checked against float64 loops in the tests.
//
//   mm(C, A, B, M, N, K, sam, sak, ldb, ldc, flags):
//     C[m*ldc + n] (+)= sum_k A[m*sam + k*sak] * B[k*ldb + n]      for m < M, n < N (N % 4 == 0)
//
// Addresses and strides are in bytes. A is read one scalar at a time (broadcast), so any strides
// work: A row-major (sam = row, sak = 4) or transposed (sam = 4, sak = row). B is read as rows of
// contiguous columns, four per vector. Register block: 4 rows of C by 8 columns (8 f32x4
// accumulators), with 1-row and 4-column edge blocks.
// flags: 1 accumulate into C; 2 causal columns (for row block m0..m0+3 only columns n < m0+4,
//   rounded up to 4, are computed: the lower triangle of a scores matrix); 4 causal k (k < m0+4:
//   A is lower triangular, e.g. attention probabilities); 8 k from m0 (A^T is lower triangular).

import { Code, F32, I32, V128, buildModule, type FnDef } from './wasm-asm.ts';

export const MM_ACC = 1;
export const MM_CAUSAL_N = 2;
export const MM_CAUSAL_K = 4;
export const MM_K_FROM_M = 8;

function mmKernel(): FnDef {
  const P = { C: 0, A: 1, B: 2, M: 3, N: 4, K: 5, sam: 6, sak: 7, ldb: 8, ldc: 9, flags: 10 };
  const c = new Code(11);
  const m0 = c.local(I32);
  const kStart = c.local(I32);
  const kEnd = c.local(I32);
  const nEnd = c.local(I32);
  const n0 = c.local(I32);
  const k = c.local(I32);
  const pA = c.local(I32);
  const pB = c.local(I32);
  const pC = c.local(I32);
  const sam2 = c.local(I32);
  const sam3 = c.local(I32);
  const ldc2 = c.local(I32);
  const ldc3 = c.local(I32);
  const tmp = c.local(I32);
  const acc: number[][] = [0, 1, 2, 3].map(() => [c.local(V128), c.local(V128)]);
  const bv = [c.local(V128), c.local(V128)];
  const va = c.local(V128);

  c.get(P.sam).i32(2).mul().set(sam2);
  c.get(P.sam).i32(3).mul().set(sam3);
  c.get(P.ldc).i32(2).mul().set(ldc2);
  c.get(P.ldc).i32(3).mul().set(ldc3);
  const samOf = [-1, P.sam, sam2, sam3];
  const ldcOf = [-1, P.ldc, ldc2, ldc3];

  const inner = (R: number, W: number) => {
    for (let r = 0; r < R; r++) for (let w = 0; w < W; w++) c.f32(0).f32x4Splat().set(acc[r][w]);
    // pA = A + m0*sam + kStart*sak ; pB = B + kStart*ldb + n0*4
    c.get(P.A).get(m0).get(P.sam).mul().add().get(kStart).get(P.sak).mul().add().set(pA);
    c.get(P.B).get(kStart).get(P.ldb).mul().add().get(n0).i32(4).mul().add().set(pB);
    c.get(kStart).set(k);
    c.block().loop();
    c.get(k).get(kEnd).geS().brIf(1);
    for (let w = 0; w < W; w++)
      c.get(pB)
        .v128Load(16 * w)
        .set(bv[w]);
    for (let r = 0; r < R; r++) {
      if (r === 0) c.get(pA);
      else c.get(pA).get(samOf[r]).add();
      c.v128Load32Splat().set(va);
      for (let w = 0; w < W; w++)
        c.get(acc[r][w]).get(va).get(bv[w]).f32x4Mul().f32x4Add().set(acc[r][w]);
    }
    c.get(pA).get(P.sak).add().set(pA);
    c.get(pB).get(P.ldb).add().set(pB);
    c.get(k).i32(1).add().set(k);
    c.br(0).end().end();
    // store
    c.get(P.C).get(m0).get(P.ldc).mul().add().get(n0).i32(4).mul().add().set(pC);
    c.get(P.flags).i32(1).and().if_();
    for (let r = 0; r < R; r++) {
      for (let w = 0; w < W; w++) {
        if (r === 0) c.get(pC);
        else c.get(pC).get(ldcOf[r]).add();
        c.tee(tmp)
          .get(tmp)
          .v128Load(16 * w)
          .get(acc[r][w])
          .f32x4Add()
          .v128Store(16 * w);
      }
    }
    c.else_();
    for (let r = 0; r < R; r++) {
      for (let w = 0; w < W; w++) {
        if (r === 0) c.get(pC);
        else c.get(pC).get(ldcOf[r]).add();
        c.get(acc[r][w]).v128Store(16 * w);
      }
    }
    c.end();
  };

  const rowBlock = (R: number) => {
    // kStart = flags & 8 ? m0 : 0
    c.get(m0).i32(0).get(P.flags).i32(8).and().select().set(kStart);
    // kEnd = flags & 4 ? min(K, m0 + R) : K
    c.get(m0).i32(R).add().set(tmp);
    c.get(P.K).get(tmp).get(P.K).get(tmp).ltS().select().set(tmp); // min(K, m0+R)
    c.get(tmp).get(P.K).get(P.flags).i32(4).and().select().set(kEnd);
    // nEnd = flags & 2 ? min(N, (m0 + R + 3) & ~3) : N
    c.get(m0)
      .i32(R + 3)
      .add()
      .i32(~3)
      .and()
      .set(tmp);
    c.get(P.N).get(tmp).get(P.N).get(tmp).ltS().select().set(tmp);
    c.get(tmp).get(P.N).get(P.flags).i32(2).and().select().set(nEnd);
    c.i32(0).set(n0);
    c.block().loop();
    c.get(n0).i32(8).add().get(nEnd).gtS().brIf(1);
    inner(R, 2);
    c.get(n0).i32(8).add().set(n0);
    c.br(0).end().end();
    c.get(n0).i32(4).add().get(nEnd).leS().if_();
    inner(R, 1);
    c.end();
  };

  c.i32(0).set(m0);
  c.block().loop();
  c.get(m0).i32(4).add().get(P.M).gtS().brIf(1);
  rowBlock(4);
  c.get(m0).i32(4).add().set(m0);
  c.br(0).end().end();
  c.block().loop();
  c.get(m0).get(P.M).geS().brIf(1);
  rowBlock(1);
  c.get(m0).i32(1).add().set(m0);
  c.br(0).end().end();
  return { name: 'mm', params: new Array<number>(11).fill(I32), code: c };
}

/**
 * exp of a f32x4 on the stack: x clamped to [-87, 88], e^x = 2^n e^f with n = round(x log2 e),
 * f = x - n ln 2 (ln 2 split in two for accuracy), e^f by its degree-6 Taylor polynomial
 * (|f| <= 0.347: relative error below 2e-7), 2^n built in the exponent bits.
 */
function emitExp(c: Code, x: number, n: number, f: number, p: number): void {
  c.set(x);
  c.get(x).f32(-87).f32x4Splat().f32x4Max().f32(88).f32x4Splat().f32x4Min().set(x);
  c.get(x).f32(Math.LOG2E).f32x4Splat().f32x4Mul().f32x4Nearest().set(n);
  c.get(x).get(n).f32(0.693145751953125).f32x4Splat().f32x4Mul().f32x4Sub();
  c.get(n).f32(1.428606765330187e-6).f32x4Splat().f32x4Mul().f32x4Sub().set(f);
  const coef = [1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];
  c.f32(coef[0]).f32x4Splat().set(p);
  for (let i = 1; i < coef.length; i++)
    c.get(p).get(f).f32x4Mul().f32(coef[i]).f32x4Splat().f32x4Add().set(p);
  // 2^n: (n + 127) << 23 reinterpreted as float
  c.get(p)
    .get(n)
    .i32x4TruncSatF32x4S()
    .i32(127)
    .i32x4Splat()
    .i32x4Add()
    .i32(23)
    .i32x4Shl()
    .f32x4Mul();
}

/** Horizontal reduce of a f32x4 local with f32 op (add or max). */
function emitHorizontal(c: Code, v: number, op: 'add' | 'max'): void {
  c.get(v).f32x4ExtractLane(0).get(v).f32x4ExtractLane(1);
  if (op === 'add') c.f32Add();
  else c.f32Max();
  c.get(v).f32x4ExtractLane(2).get(v).f32x4ExtractLane(3);
  if (op === 'add') c.f32Add().f32Add();
  else c.f32Max().f32Max();
}

/**
 * softmax(P, rows, cols, scale, outScale, causal): each row r of a (rows, cols) matrix (cols % 4
 * == 0) becomes outScale * softmax(scale * row). With causal (rows == cols, attention scores), row
 * t covers s <= t only, and the entries t < s < roundup4(t+1) become 0 (the kernels read them).
 */
function softmaxKernel(): FnDef {
  const c = new Code(6); // P, rows, cols, scale(f32), outScale(f32), causal
  const P = 0, rows = 1, cols = 2, scale = 3, outScale = 4, causal = 5; // prettier-ignore
  const t = c.local(I32);
  const row = c.local(I32);
  const L = c.local(I32); // bytes of the row that are computed
  const s = c.local(I32);
  const mx = c.local(F32);
  const inv = c.local(F32);
  const vacc = c.local(V128);
  const vx = c.local(V128);
  const vn = c.local(V128);
  const vf = c.local(V128);
  const vp = c.local(V128);
  const vs = c.local(V128);
  const bandFrom = () => {
    // causal: first byte after the diagonal; otherwise L (no band)
    c.get(t).i32(1).add().i32(4).mul().get(L).get(causal).select().set(s);
  };
  c.get(P).set(row);
  c.i32(0).set(t);
  c.block().loop();
  c.get(t).get(rows).geS().brIf(1);
  c.get(t)
    .i32(4)
    .add()
    .i32(~3)
    .and()
    .i32(4)
    .mul()
    .get(cols)
    .i32(4)
    .mul()
    .get(causal)
    .select()
    .set(L);
  // band -> -inf
  bandFrom();
  c.block().loop().get(s).get(L).geS().brIf(1);
  c.get(row).get(s).add().f32(-Infinity).f32Store();
  c.get(s).i32(4).add().set(s).br(0).end().end();
  // scale and max
  c.get(scale).f32x4Splat().set(vs);
  c.f32(-Infinity).f32x4Splat().set(vacc);
  c.i32(0).set(s);
  c.block().loop().get(s).get(L).geS().brIf(1);
  c.get(row).get(s).add().get(row).get(s).add().v128Load().get(vs).f32x4Mul().tee(vx).v128Store();
  c.get(vacc).get(vx).f32x4Max().set(vacc);
  c.get(s).i32(16).add().set(s).br(0).end().end();
  emitHorizontal(c, vacc, 'max');
  c.set(mx);
  // exp and sum
  c.f32(0).f32x4Splat().set(vacc);
  c.i32(0).set(s);
  c.block().loop().get(s).get(L).geS().brIf(1);
  c.get(row).get(s).add();
  c.get(row).get(s).add().v128Load().get(mx).f32x4Splat().f32x4Sub();
  emitExp(c, vx, vn, vf, vp);
  c.tee(vx).v128Store();
  c.get(vacc).get(vx).f32x4Add().set(vacc);
  c.get(s).i32(16).add().set(s).br(0).end().end();
  c.get(outScale);
  emitHorizontal(c, vacc, 'add');
  c.f32Div().set(inv);
  // normalise
  c.get(inv).f32x4Splat().set(vs);
  c.i32(0).set(s);
  c.block().loop().get(s).get(L).geS().brIf(1);
  c.get(row).get(s).add().get(row).get(s).add().v128Load().get(vs).f32x4Mul().v128Store();
  c.get(s).i32(16).add().set(s).br(0).end().end();
  // band -> 0
  bandFrom();
  c.block().loop().get(s).get(L).geS().brIf(1);
  c.get(row).get(s).add().f32(0).f32Store();
  c.get(s).i32(4).add().set(s).br(0).end().end();
  c.get(row).get(cols).i32(4).mul().add().set(row);
  c.get(t).i32(1).add().set(t);
  c.br(0).end().end();
  return { name: 'softmax', params: [I32, I32, I32, F32, F32, I32], code: c };
}

/**
 * softmaxBack(dS, P, T, scale): per row t, dS = P * (dS - sum_s P dS) * scale over
 * s < roundup4(t+1) (P is 0 after the diagonal there, so dS becomes 0 too).
 */
function softmaxBackKernel(): FnDef {
  const c = new Code(4); // dS, P, T, scale
  const D = 0, P = 1, T = 2, scale = 3; // prettier-ignore
  const t = c.local(I32);
  const rd = c.local(I32);
  const rp = c.local(I32);
  const L = c.local(I32);
  const s = c.local(I32);
  const vacc = c.local(V128);
  const vpdp = c.local(V128);
  const vs = c.local(V128);
  c.get(scale).f32x4Splat().set(vs);
  c.get(D).set(rd);
  c.get(P).set(rp);
  c.i32(0).set(t);
  c.block().loop();
  c.get(t).get(T).geS().brIf(1);
  c.get(t).i32(4).add().i32(~3).and().i32(4).mul().set(L);
  c.f32(0).f32x4Splat().set(vacc);
  c.i32(0).set(s);
  c.block().loop().get(s).get(L).geS().brIf(1);
  c.get(vacc)
    .get(rp)
    .get(s)
    .add()
    .v128Load()
    .get(rd)
    .get(s)
    .add()
    .v128Load()
    .f32x4Mul()
    .f32x4Add()
    .set(vacc);
  c.get(s).i32(16).add().set(s).br(0).end().end();
  emitHorizontal(c, vacc, 'add');
  c.f32x4Splat().set(vpdp);
  c.i32(0).set(s);
  c.block().loop().get(s).get(L).geS().brIf(1);
  c.get(rd).get(s).add();
  c.get(rp).get(s).add().v128Load();
  c.get(rd).get(s).add().v128Load().get(vpdp).f32x4Sub().f32x4Mul().get(vs).f32x4Mul().v128Store();
  c.get(s).i32(16).add().set(s).br(0).end().end();
  c.get(rd).get(T).i32(4).mul().add().set(rd);
  c.get(rp).get(T).i32(4).mul().add().set(rp);
  c.get(t).i32(1).add().set(t);
  c.br(0).end().end();
  return { name: 'softmaxBack', params: [I32, I32, I32, F32], code: c };
}

/** sigmoid of the f32x4 in local z, left on the stack: 1 / (1 + exp(-z)). */
function emitSigmoid(c: Code, z: number, x: number, n: number, f: number, p: number): void {
  c.f32(1).f32x4Splat();
  c.f32(1).f32x4Splat();
  c.f32(0).f32x4Splat().get(z).f32x4Sub();
  emitExp(c, x, n, f, p);
  c.f32x4Add().f32x4Div();
}

/** swiglu(a, h1, h3, n): a = silu(h1) * h3 over n floats (n % 4 == 0). */
function swigluKernel(): FnDef {
  const c = new Code(4);
  const A = 0, H1 = 1, H3 = 2, n = 3; // prettier-ignore
  const i = c.local(I32);
  const end = c.local(I32);
  const z = c.local(V128);
  const x = c.local(V128);
  const vn = c.local(V128);
  const vf = c.local(V128);
  const vp = c.local(V128);
  c.get(n).i32(4).mul().set(end);
  c.i32(0).set(i);
  c.block().loop().get(i).get(end).geS().brIf(1);
  c.get(H1).get(i).add().v128Load().set(z);
  c.get(A).get(i).add();
  c.get(z);
  emitSigmoid(c, z, x, vn, vf, vp);
  c.f32x4Mul().get(H3).get(i).add().v128Load().f32x4Mul().v128Store();
  c.get(i).i32(16).add().set(i).br(0).end().end();
  return { name: 'swiglu', params: [I32, I32, I32, I32], code: c };
}

/**
 * swigluBack(dh1, dh3, da, h1, h3, n): with s = sigmoid(h1),
 * dh1 = da * h3 * s * (1 + h1 * (1 - s)), dh3 = da * h1 * s.
 */
function swigluBackKernel(): FnDef {
  const c = new Code(6);
  const D1 = 0, D3 = 1, DA = 2, H1 = 3, H3 = 4, n = 5; // prettier-ignore
  const i = c.local(I32);
  const end = c.local(I32);
  const z = c.local(V128);
  const sg = c.local(V128);
  const da = c.local(V128);
  const x = c.local(V128);
  const vn = c.local(V128);
  const vf = c.local(V128);
  const vp = c.local(V128);
  c.get(n).i32(4).mul().set(end);
  c.i32(0).set(i);
  c.block().loop().get(i).get(end).geS().brIf(1);
  c.get(H1).get(i).add().v128Load().set(z);
  c.get(DA).get(i).add().v128Load().set(da);
  emitSigmoid(c, z, x, vn, vf, vp);
  c.set(sg);
  // dh3 = da * z * s
  c.get(D3).get(i).add().get(da).get(z).f32x4Mul().get(sg).f32x4Mul().v128Store();
  // dh1 = da * h3 * s * (1 + z * (1 - s))
  c.get(D1).get(i).add();
  c.get(da).get(H3).get(i).add().v128Load().f32x4Mul().get(sg).f32x4Mul();
  c.f32(1).f32x4Splat().get(z).f32(1).f32x4Splat().get(sg).f32x4Sub().f32x4Mul().f32x4Add();
  c.f32x4Mul().v128Store();
  c.get(i).i32(16).add().set(i).br(0).end().end();
  return { name: 'swigluBack', params: [I32, I32, I32, I32, I32, I32], code: c };
}

export const MAX_PAGES = 32768; // 2 GiB of address space reserved for one trainer instance

let cachedBytes: Uint8Array<ArrayBuffer> | null = null;

export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  cachedBytes ??= buildModule(
    [mmKernel(), softmaxKernel(), softmaxBackKernel(), swigluKernel(), swigluBackKernel()],
    1,
    MAX_PAGES,
  );
  return cachedBytes;
}

export type MmFn = (
  C: number,
  A: number,
  B: number,
  M: number,
  N: number,
  K: number,
  sam: number,
  sak: number,
  ldb: number,
  ldc: number,
  flags: number,
) => void;

export interface WasmKernels {
  memory: WebAssembly.Memory;
  mm: MmFn;
  softmax: (
    P: number,
    rows: number,
    cols: number,
    scale: number,
    outScale: number,
    causal: number,
  ) => void;
  softmaxBack: (dS: number, P: number, T: number, scale: number) => void;
  swiglu: (a: number, h1: number, h3: number, n: number) => void;
  swigluBack: (dh1: number, dh3: number, da: number, h1: number, h3: number, n: number) => void;
}

export function instantiateKernels(memory: WebAssembly.Memory): WasmKernels {
  const bytes = kernelModuleBytes();
  if (!WebAssembly.validate(bytes))
    throw new Error('internal: the generated WebAssembly SIMD kernel does not validate');
  const mod = new WebAssembly.Module(bytes);
  const inst = new WebAssembly.Instance(mod, { env: { memory } });
  const ex = inst.exports;
  return {
    memory,
    mm: ex.mm as MmFn,
    softmax: ex.softmax as WasmKernels['softmax'],
    softmaxBack: ex.softmaxBack as WasmKernels['softmaxBack'],
    swiglu: ex.swiglu as WasmKernels['swiglu'],
    swigluBack: ex.swigluBack as WasmKernels['swigluBack'],
  };
}
