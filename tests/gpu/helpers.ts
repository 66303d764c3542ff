// Shared helpers of the GPU parity tests: one `create([])` GPU object for the whole process
// (dawn.node segfaults if it is garbage-collected while a device lives, see
// docs/reference/webgpu-testing.md), buffer upload/readback, seeded random data.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { create, globals } from 'webgpu';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import type { Model } from '$engine/types.ts';
import { Kernels, type WorkgroupSizes } from '$engine/webgpu/kernels.ts';
import { ParamArena, StepUniform } from '$engine/webgpu/params.ts';
import type { GpuEnv } from '$engine/webgpu/ops.ts';

const KEY = Symbol.for('llama-lab.test-gpu');
type Holder = { [KEY]?: GPU };

/** The process-wide GPU object (kept referenced on globalThis until the process exits). */
export function testGpu(): GPU {
  const g = globalThis as Holder;
  if (!g[KEY]) {
    Object.assign(globalThis, globals);
    g[KEY] = create([]);
  }
  return g[KEY];
}

const errors = new WeakMap<GPUDevice, string[]>();

/**
 * A fresh device on the software adapter; fails (never skips) when there is no adapter.
 * Validation errors nobody captured are collected for `takeErrors` (they are otherwise silent).
 */
export async function testDevice(): Promise<GPUDevice> {
  const adapter = await testGpu().requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter: is chromium (SwiftShader) installed?');
  const device = await adapter.requestDevice();
  const list: string[] = [];
  errors.set(device, list);
  device.addEventListener('uncapturederror', (e) => {
    list.push((e as GPUUncapturedErrorEvent).error.message);
  });
  return device;
}

/** Uncaptured GPU errors since the last call (after the queue has drained). */
export async function takeErrors(device: GPUDevice): Promise<string[]> {
  await device.queue.onSubmittedWorkDone();
  const list = errors.get(device) ?? [];
  return list.splice(0, list.length);
}

export function makeEnv(device: GPUDevice, slots = 64, sizes?: WorkgroupSizes): GpuEnv {
  return {
    device,
    kernels: new Kernels(device, sizes),
    params: new ParamArena(device, slots),
    step: new StepUniform(device),
  };
}

export function upload(device: GPUDevice, data: Float32Array, minFloats = 0): GPUBuffer {
  const size = Math.max(data.length, minFloats, 4) * 4;
  const buf = device.createBuffer({
    size,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buf, 0, data as Float32Array<ArrayBuffer>);
  return buf;
}

export async function readBack(
  device: GPUDevice,
  buf: GPUBuffer,
  floats: number,
): Promise<Float32Array> {
  const staging = device.createBuffer({
    size: floats * 4,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buf, 0, staging, 0, floats * 4);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return out;
}

/** Run `record` in one compute pass after flushing the params and writing the step uniform. */
export function runPass(
  env: GpuEnv,
  startPos: number,
  T: number,
  record: (pass: GPUComputePassEncoder) => void,
): void {
  env.params.flush();
  env.step.write(startPos, T);
  const enc = env.device.createCommandEncoder();
  const pass = enc.beginComputePass();
  record(pass);
  pass.end();
  env.device.queue.submit([enc.finish()]);
}

/** Deterministic uniform values in [lo, hi) (mulberry32). */
export function random(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = lo + (hi - lo) * u;
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

// ---- fixtures (read from ../shared at test time, never copied) ----

const fixtureDir = fileURLToPath(new URL('../fixtures/llama2c/', import.meta.url));

/** random-s.bin (dim 64, 5 layers, 8 heads, 4 KV heads, vocab 512) through the real loader. */
export function loadRandomS(): Model {
  return parseCheckpoint(readFileSync(fixtureDir + 'random-s.bin'));
}

export interface Greedy {
  prompt_ids: number[];
  gen_ids: number[];
  fed_ids: number[];
}

export function loadGreedy(): Greedy {
  return JSON.parse(readFileSync(fixtureDir + 'greedy.json', 'utf8')) as Greedy;
}

export function argmax(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}
