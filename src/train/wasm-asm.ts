// A minimal WebAssembly binary writer: just enough to emit the trainer's SIMD kernels (one module,
// an imported shared memory, functions of i32 parameters with i32/v128 locals). Writing the bytes
// from TypeScript keeps the build free of a WebAssembly toolchain; WebAssembly.validate checks the
// result when the module is compiled.

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function str(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** Instruction emitter for one function body; locals are numbered after the parameters. */
export class Code {
  readonly bytes: number[] = [];
  private readonly localTypes: number[] = [];
  constructor(readonly nParams: number) {}

  local(type: number): number {
    this.localTypes.push(type);
    return this.nParams + this.localTypes.length - 1;
  }

  private op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  private simd(code: number, ...rest: number[]): this {
    return this.op(0xfd, ...uleb(code), ...rest);
  }

  get(i: number) {
    return this.op(0x20, ...uleb(i));
  }
  set(i: number) {
    return this.op(0x21, ...uleb(i));
  }
  tee(i: number) {
    return this.op(0x22, ...uleb(i));
  }
  i32(v: number) {
    return this.op(0x41, ...sleb(v | 0));
  }
  f32(v: number) {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    return this.op(0x43, ...b);
  }
  add() {
    return this.op(0x6a);
  }
  sub() {
    return this.op(0x6b);
  }
  mul() {
    return this.op(0x6c);
  }
  and() {
    return this.op(0x71);
  }
  ltS() {
    return this.op(0x48);
  }
  geS() {
    return this.op(0x4e);
  }
  leS() {
    return this.op(0x4c);
  }
  gtS() {
    return this.op(0x4a);
  }
  eqz() {
    return this.op(0x45);
  }
  select() {
    return this.op(0x1b);
  }
  block() {
    return this.op(0x02, 0x40);
  }
  loop() {
    return this.op(0x03, 0x40);
  }
  if_() {
    return this.op(0x04, 0x40);
  }
  else_() {
    return this.op(0x05);
  }
  end() {
    return this.op(0x0b);
  }
  br(depth: number) {
    return this.op(0x0c, ...uleb(depth));
  }
  brIf(depth: number) {
    return this.op(0x0d, ...uleb(depth));
  }
  f32Load(offset = 0) {
    return this.op(0x2a, 0x02, ...uleb(offset));
  }
  f32Store(offset = 0) {
    return this.op(0x38, 0x02, ...uleb(offset));
  }
  f32Add() {
    return this.op(0x92);
  }
  f32Mul() {
    return this.op(0x94);
  }
  v128Load(offset = 0) {
    return this.simd(0x00, 0x04, ...uleb(offset));
  }
  v128Store(offset = 0) {
    return this.simd(0x0b, 0x04, ...uleb(offset));
  }
  /** Load one f32 and broadcast it to the four lanes (one instruction instead of load + splat). */
  v128Load32Splat(offset = 0) {
    return this.simd(0x09, 0x02, ...uleb(offset));
  }
  f32x4Splat() {
    return this.simd(0x13);
  }
  f32x4Add() {
    return this.simd(0xe4);
  }
  f32x4Mul() {
    return this.simd(0xe6);
  }
  f32x4Div() {
    return this.simd(0xe7);
  }
  f32x4Sub() {
    return this.simd(0xe5);
  }
  f32x4Max() {
    return this.simd(0xe9);
  }
  f32x4Min() {
    return this.simd(0xe8);
  }
  f32x4Nearest() {
    return this.simd(0x6a);
  }
  f32x4ExtractLane(lane: number) {
    return this.simd(0x1f, lane);
  }
  i32x4TruncSatF32x4S() {
    return this.simd(0xf8);
  }
  i32x4Splat() {
    return this.simd(0x11);
  }
  i32x4Add() {
    return this.simd(0xae);
  }
  i32x4Shl() {
    return this.simd(0xab);
  }
  f32Sub() {
    return this.op(0x93);
  }
  f32Div() {
    return this.op(0x95);
  }
  f32Max() {
    return this.op(0x97);
  }

  /** Function body bytes: locals (one entry per local) then the code, then end. */
  body(): number[] {
    const locals: number[] = [...uleb(this.localTypes.length)];
    for (const t of this.localTypes) locals.push(1, t);
    const b = [...locals, ...this.bytes, 0x0b];
    return [...uleb(b.length), ...b];
  }
}

export interface FnDef {
  name: string;
  params: number[];
  code: Code;
}

/** A module importing env.memory (shared, maxPages) and exporting the given functions. */
export function buildModule(
  fns: FnDef[],
  minPages: number,
  maxPages: number,
): Uint8Array<ArrayBuffer> {
  const types = fns.flatMap((f) => [0x60, ...uleb(f.params.length), ...f.params, 0]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(fns.length), ...types]),
    ...section(2, [1, ...str('env'), ...str('memory'), 0x02, 0x03, ...uleb(minPages), ...uleb(maxPages)]),
    ...section(3, [...uleb(fns.length), ...fns.flatMap((_, i) => uleb(i))]),
    ...section(7, [...uleb(fns.length), ...fns.flatMap((f, i) => [...str(f.name), 0x00, ...uleb(i)])]),
    ...section(10, [...uleb(fns.length), ...fns.flatMap((f) => f.code.body())]),
  ]; // prettier-ignore
  return Uint8Array.from(bytes);
}
