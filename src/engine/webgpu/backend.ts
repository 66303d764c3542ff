// The WebGPU backend: the `Backend` contract (types.ts) around GpuForward, on a device of its
// own taken from an injected GPU object (navigator.gpu in the browser, the `webgpu` package's
// create([]) in Node; the engine never looks for one). Calls are queued so a forward never
// overlaps another. Device loss is reported through `lost` and makes later calls throw a
// WebGpuError with code 'lost'; select.ts turns that into a switch to the CPU engine.
import type { Backend, ForwardResult, Knobs, Model, TraceRequest } from '../types.ts';
import { lostCause, type Cause } from '../backend-reason.ts';
import { acquireDevice, type AdapterDescription } from './device.ts';
import { GpuForward, largestBuffer, type WebGpuOptions } from './forward.ts';
import { workgroupSizesFor } from './kernels.ts';

export type { WebGpuOptions } from './forward.ts';
export { WebGpuError, type WebGpuFailure, type AdapterDescription } from './device.ts';

export interface WebGpuBackend extends Backend {
  readonly kind: 'webgpu';
  /** What the adapter says it is (a software adapter reports isFallbackAdapter). */
  readonly adapter: AdapterDescription;
  /** KV-cache length in positions. */
  readonly maxPositions: number;
  /** Positions 0 .. cacheLength-1 of the KV cache are filled under the current knobs. */
  readonly cacheLength: number;
  /** Resolves (never rejects) with the cause once the device is lost or a submission fails. */
  readonly lost: Promise<Cause>;
  /** Empty the KV cache. */
  reset(): void;
  /** Bytes held by the K and V caches under the current kvGroups knob. */
  kvCacheBytes(): number;
  /** Test hook: run with a forced matmul kernel choice ('matvec' or 'tiled'). */
  forwardPromptWith(
    tokens: readonly number[],
    startPos: number,
    options: { trace?: TraceRequest; allLogits?: boolean; matmul: 'matvec' | 'tiled' },
  ): Promise<ForwardResult>;
}

/**
 * Create the WebGPU backend for a model: takes an adapter and device from `gpu`, uploads the
 * weights, allocates every buffer and compiles every kernel once. Throws a WebGpuError (with a
 * `code` and a sentence) when WebGPU cannot be used.
 */
export async function createWebGpuBackend(
  model: Model,
  gpu: GPU | null | undefined,
  knobs?: Knobs,
  options: WebGpuOptions = {},
): Promise<WebGpuBackend> {
  const { device, adapter } = await acquireDevice(gpu, largestBuffer(model.config, options));
  let disposed = false;
  let resolveLost!: (reason: Cause) => void;
  const lost = new Promise<Cause>((r) => (resolveLost = r));
  let fwd: GpuForward;
  try {
    const workgroups = options.workgroups ?? workgroupSizesFor(adapter);
    fwd = await GpuForward.create(device, model, knobs, { ...options, workgroups });
  } catch (err) {
    device.destroy();
    throw err;
  }
  const fail = (reason: Cause) => {
    fwd.markFailed(reason);
    resolveLost(reason);
  };
  void device.lost.then((info) => {
    if (!disposed) fail(lostCause(info));
  });

  // One call at a time: each waits for the previous one, whatever its outcome.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };
  const guarded = async <T>(job: () => Promise<T>): Promise<T> => {
    try {
      return await job();
    } catch (err) {
      // A rejected mapAsync or an uncaptured validation error poisons the device: report it.
      if (!disposed && fwd.failed) resolveLost(fwd.failed);
      throw err;
    }
  };

  const backend: WebGpuBackend = {
    kind: 'webgpu',
    config: model.config,
    adapter,
    lost,
    get maxPositions() {
      return fwd.maxPositions;
    },
    get cacheLength() {
      return fwd.cacheLength;
    },
    setKnobs: (k) => fwd.setKnobs(k),
    getKnobs: () => fwd.getKnobs(),
    forward: (token: number, pos: number, trace?: TraceRequest) =>
      serial(() => guarded(() => fwd.run([token], pos, { trace }))),
    forwardPrompt: (tokens, startPos, opts) =>
      serial(() => guarded(() => fwd.run(tokens, startPos, opts ?? {}))),
    forwardPromptWith: (tokens, startPos, opts) =>
      serial(() => guarded(() => fwd.run(tokens, startPos, opts))),
    reset: () => fwd.reset(),
    kvCacheBytes: () => fwd.kvCacheBytes(),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      fwd.dispose();
      device.destroy();
    },
  };
  devices.set(backend, device);
  return backend;
}

/** Each backend's device, for `debugLoseDevice` (tests only; nothing else reaches it). */
const devices = new WeakMap<WebGpuBackend, GPUDevice>();

/**
 * For tests: destroy the backend's device, as a driver reset or a GPU process crash would. A free
 * function, not a method, so that a bundle that does not import it does not carry it.
 */
export function debugLoseDevice(backend: WebGpuBackend): void {
  devices.get(backend)?.destroy();
}
