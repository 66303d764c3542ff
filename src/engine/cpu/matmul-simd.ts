// The WebAssembly SIMD matmul kernels (matmul-simd.wat) behind the same signatures as ops.ts's
// matmul and matmulBatched. WebAssembly can only read its own linear memory, so every array
// handed to these functions must be a view into `memory.buffer` (the CPU forward pass allocates
// its run state and a copy of the weight matrices there, once). The memory never grows, so the
// views stay valid for the backend's lifetime.
import { WASM_BASE64 } from './matmul-simd.wasm.ts';

export interface MatmulKernels {
  /** out[outOff + i] = sum_j W[wOff + i*n + j] * x[xOff + j], i < d (see ops.ts). */
  matmul(
    out: Float32Array,
    outOff: number,
    x: Float32Array,
    xOff: number,
    w: Float32Array,
    wOff: number,
    n: number,
    d: number,
  ): void;
  /** out (T, d) = X (T, n) @ W^T (see ops.ts). */
  matmulBatched(
    out: Float32Array,
    x: Float32Array,
    w: Float32Array,
    wOff: number,
    T: number,
    n: number,
    d: number,
  ): void;
}

export interface SimdKernels extends MatmulKernels {
  readonly memory: WebAssembly.Memory;
  /** A zeroed float32 array of n elements inside the kernels' memory. */
  alloc(n: number): Float32Array;
}

interface Exports {
  matmul(out: number, x: number, w: number, n: number, d: number): void;
  matmul_batched(out: number, x: number, w: number, T: number, n: number, d: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The compiled module, or null where WebAssembly SIMD is unavailable. Compiled once. */
export function simdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = decodeBase64(WASM_BASE64);
    compiled =
      typeof WebAssembly === 'object' && WebAssembly.validate(bytes)
        ? new WebAssembly.Module(bytes)
        : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Largest memory we ask for: 2 GiB (wasm32 allows 4 GiB; browsers often refuse more). */
export const MAX_SIMD_BYTES = 2 ** 31;

/**
 * Kernels with a memory of `floats` float32 slots, handed out in order by alloc(). Returns null
 * where WebAssembly SIMD is unavailable or the memory would be too large.
 */
export function createSimdKernels(floats: number): SimdKernels | null {
  const mod = simdModule();
  const bytes = floats * 4 + 64;
  if (!mod || bytes > MAX_SIMD_BYTES) return null;
  const pages = Math.ceil(bytes / 65536);
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch {
    return null; // the host refused that much memory
  }
  const ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Exports;
  const buffer = memory.buffer;
  let next = 0;
  const ptr = (a: Float32Array, off: number): number => {
    if (a.buffer !== buffer) throw new Error('SIMD kernels need arrays inside their own memory');
    return a.byteOffset + off * 4;
  };
  return {
    memory,
    alloc(n: number): Float32Array {
      if (next + n > floats) throw new Error(`SIMD memory exhausted (${floats} floats)`);
      const a = new Float32Array(buffer, next * 4, n);
      next += n;
      return a;
    },
    matmul(out, outOff, x, xOff, w, wOff, n, d) {
      ex.matmul(ptr(out, outOff), ptr(x, xOff), ptr(w, wOff), n, d);
    },
    matmulBatched(out, x, w, wOff, T, n, d) {
      ex.matmul_batched(ptr(out, 0), ptr(x, 0), ptr(w, wOff), T, n, d);
    },
  };
}
