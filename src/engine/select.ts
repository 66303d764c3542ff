// Choosing the backend, and keeping a session alive when the GPU goes away.
//
// createBackend(model, { prefer, gpu }) returns WebGPU when an adapter exists and a start-up
// self-test passes (a tiny forward pass compared with the CPU engine), else the CPU engine, and
// says why in words. The returned backend is a wrapper that remembers the tokens fed so far: if
// the GPU device is lost (device.lost, a failed submission or read-back), it replays them into a
// fresh CPU backend with one prompt pass and carries on with the call at hand, so a generation in
// progress continues with the same numbers; listeners hear about the switch.
import { createCpuBackend, type CpuBackend } from './cpu/backend.ts';
import { defaultKnobs } from './knobs.ts';
import type { Backend, BackendKind, ForwardResult, Knobs, Model, TraceRequest } from './types.ts';
import {
  WebGpuError,
  createWebGpuBackend,
  type AdapterDescription,
  type WebGpuBackend,
  type WebGpuFailure,
} from './webgpu/backend.ts';

export type BackendPreference = 'auto' | 'cpu' | 'webgpu';

export interface CreateBackendOptions {
  /** 'auto' (default): WebGPU on a hardware adapter if it works, else CPU. 'cpu' forces the CPU engine. 'webgpu' asks
   * for WebGPU, still falling back to the CPU engine (with the reason) when it cannot run. */
  prefer?: BackendPreference;
  /** The WebGPU entry point (navigator.gpu in a browser or worker); absent means none. */
  gpu?: GPU | null;
  /** Initial knobs (default: the model as trained). */
  knobs?: Knobs;
  /** KV-cache length in positions for either backend (default config.seqLen). */
  maxPositions?: number;
  /** Called whenever the running backend changes after creation (device lost, custom formula). */
  onSwitch?: (event: BackendSwitch) => void;
}

export interface BackendSwitch {
  from: BackendKind;
  to: BackendKind;
  code: WebGpuFailure;
  /** In words, for the page. */
  reason: string;
}

/** The start-up comparison of WebGPU with the CPU engine. */
export interface SelfTestResult {
  passed: boolean;
  /** Largest |GPU logit - CPU logit| over the rows compared. */
  maxAbsDiff: number;
  /** The bound it must stay under: 1e-3 * max(1, largest |CPU logit|). */
  tolerance: number;
  rows: number;
}

export interface SelectedBackend {
  backend: SwitchingBackend;
  kind: BackendKind;
  reason: string;
  /** Why WebGPU is not in use, when it is not (machine-readable). */
  code?: WebGpuFailure | 'preference';
  adapter?: AdapterDescription;
  selfTest?: SelfTestResult;
}

/** The Backend the page holds: whichever engine runs now, switching to CPU when it must. */
export interface SwitchingBackend extends Backend {
  /** 'webgpu' or 'cpu', as of now (it changes when the GPU is lost). */
  readonly kind: BackendKind;
  readonly maxPositions: number;
  /** Why the current engine runs, in words. */
  readonly reason: string;
  /** Listen for switches; returns a function that stops listening. */
  onSwitch(listener: (event: BackendSwitch) => void): () => void;
  /** The formula behind activation 'custom'. Runs on the CPU engine: setting the 'custom'
   * knob while on WebGPU switches to CPU (and says so). */
  setCustomActivation(fn: ((x: number) => number) | null): void;
  /** Test hook: destroy the GPU device as a driver reset would (no-op on CPU). */
  debugLoseDevice(): void;
}

/** Tolerance of the self-test, relative to the logits' scale. */
export const SELF_TEST_TOLERANCE = 1e-3;

/**
 * A tiny forward pass on both engines: a 4-token prompt pass (the tiled matmul path) and one
 * decode step (the matvec path), every row's logits compared. Leaves the GPU cache empty.
 */
export async function selfTest(
  gpu: WebGpuBackend,
  model: Model,
  knobs: Knobs,
): Promise<SelfTestResult> {
  const c = model.config;
  const n = Math.max(1, Math.min(4, gpu.maxPositions - 1));
  const tokens = Array.from({ length: n + 1 }, (_, i) => (1 + i * 7919) % c.vocabSize);
  const cpu = createCpuBackend(model, knobs, { maxPositions: n + 1 });
  try {
    const want: Float32Array[] = [];
    const got: Float32Array[] = [];
    const a = cpu.forwardPromptSync(tokens.slice(0, n), 0, { allLogits: true }).allLogits!;
    want.push(a);
    got.push((await gpu.forwardPrompt(tokens.slice(0, n), 0, { allLogits: true })).allLogits!);
    want.push(cpu.forwardSync(tokens[n], n).logits.slice());
    got.push((await gpu.forward(tokens[n], n)).logits.slice());
    let diff = 0;
    let scale = 1;
    for (let r = 0; r < want.length; r++) {
      for (let i = 0; i < want[r].length; i++) {
        const d = Math.abs(got[r][i] - want[r][i]);
        diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
        scale = Math.max(scale, Math.abs(want[r][i]));
      }
    }
    const tolerance = SELF_TEST_TOLERANCE * scale;
    return { passed: diff <= tolerance, maxAbsDiff: diff, tolerance, rows: n + 1 };
  } finally {
    cpu.dispose();
    gpu.reset();
  }
}

function describeAdapter(a: AdapterDescription): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'an unnamed adapter';
  return a.isFallbackAdapter ? `${name} (a software adapter: correct but slow)` : name;
}

/** Choose and create the backend for `model`; never throws for WebGPU trouble (CPU instead). */
export async function createBackend(
  model: Model,
  options: CreateBackendOptions = {},
): Promise<SelectedBackend> {
  const prefer = options.prefer ?? 'auto';
  const knobs = options.knobs ?? defaultKnobs(model.config);
  const maxPositions = options.maxPositions ?? model.config.seqLen;
  const cpuBackend = () => createCpuBackend(model, knobs, { maxPositions });
  const onCpu = (reason: string, code: SelectedBackend['code']): SelectedBackend => {
    const backend = new Switching(model, cpuBackend(), null, reason, maxPositions);
    if (options.onSwitch) backend.onSwitch(options.onSwitch);
    return { backend, kind: 'cpu', reason, code };
  };

  if (prefer === 'cpu') return onCpu('CPU engine, chosen in the settings', 'preference');
  const asked = prefer === 'webgpu' ? 'WebGPU was chosen in the settings, but ' : '';
  if (knobs.activation === 'custom') {
    return onCpu(
      `CPU engine: ${asked}a custom activation formula runs on the CPU engine only`,
      'custom-activation',
    );
  }
  let gpu: WebGpuBackend;
  try {
    gpu = await createWebGpuBackend(model, options.gpu, knobs, { maxPositions });
  } catch (err) {
    const code: WebGpuFailure = err instanceof WebGpuError ? err.code : 'device';
    const why = err instanceof Error ? err.message : String(err);
    return onCpu(`CPU engine: ${asked}${why}`, code);
  }
  if (prefer === 'auto' && gpu.adapter.isFallbackAdapter) {
    // A software adapter (SwiftShader, lavapipe) computes correctly but runs the kernels on the
    // CPU, far slower than the CPU engine's SIMD kernels: 'auto' means "fastest that works".
    const name = describeAdapter(gpu.adapter);
    gpu.dispose();
    const r = onCpu(
      `CPU engine: the only WebGPU adapter is ${name}, slower than the CPU engine ` +
        `(choose WebGPU in the engine setting to use it anyway)`,
      'software-adapter',
    );
    return { ...r, adapter: gpu.adapter };
  }
  let test: SelfTestResult;
  try {
    test = await selfTest(gpu, model, knobs);
  } catch (err) {
    gpu.dispose();
    const why = err instanceof Error ? err.message : String(err);
    return onCpu(`CPU engine: ${asked}the WebGPU self-test could not run (${why})`, 'self-test');
  }
  if (!test.passed) {
    gpu.dispose();
    const r = onCpu(
      `CPU engine: ${asked}the WebGPU self-test disagreed with the CPU engine ` +
        `(largest logit difference ${test.maxAbsDiff.toPrecision(3)}, allowed ${test.tolerance.toPrecision(3)})`,
      'self-test',
    );
    return { ...r, selfTest: test, adapter: gpu.adapter };
  }
  const reason =
    `WebGPU on ${describeAdapter(gpu.adapter)}; self-test matched the CPU engine ` +
    `(largest logit difference ${test.maxAbsDiff.toExponential(1)})`;
  const backend = new Switching(model, gpu, gpu, reason, maxPositions);
  if (options.onSwitch) backend.onSwitch(options.onSwitch);
  return { backend, kind: 'webgpu', reason, adapter: gpu.adapter, selfTest: test };
}

/** The wrapper behind SwitchingBackend. */
class Switching implements SwitchingBackend {
  readonly config;
  private inner: Backend;
  private gpu: WebGpuBackend | null;
  private cpu: CpuBackend | null;
  private why: string;
  private knobs: Knobs;
  private custom: ((x: number) => number) | null = null;
  /** Token fed at each cache position, 0 .. cache length - 1 (what a replay must feed). */
  private history: number[] = [];
  private readonly listeners = new Set<(e: BackendSwitch) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly model: Model,
    inner: Backend,
    gpu: WebGpuBackend | null,
    reason: string,
    readonly maxPositions: number,
  ) {
    this.config = model.config;
    this.inner = inner;
    this.gpu = gpu;
    this.cpu = gpu ? null : (inner as CpuBackend);
    this.why = reason;
    this.knobs = inner.getKnobs();
    if (gpu) {
      // Switch as soon as the loss is known, between calls, so the page can say so at once.
      void gpu.lost.then((why) => this.serial(() => this.fallBack('lost', why)));
    }
  }

  get kind(): BackendKind {
    return this.inner.kind;
  }

  get reason(): string {
    return this.why;
  }

  onSwitch(listener: (event: BackendSwitch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Leave WebGPU for the CPU engine: a fresh CPU backend under the same knobs gets the tokens
   * fed so far (one prompt pass) and becomes the inner backend. Idempotent.
   */
  private async fallBack(
    code: WebGpuFailure,
    detail: string,
    keep = this.history.length,
  ): Promise<void> {
    if (this.disposed || !this.gpu) return;
    const gpu = this.gpu;
    const cpu = createCpuBackend(this.model, undefined, { maxPositions: this.maxPositions });
    if (this.custom) cpu.setCustomActivation(this.custom);
    cpu.setKnobs(this.knobs);
    this.history.length = Math.min(this.history.length, keep);
    if (this.history.length > 0) await cpu.forwardPrompt(this.history, 0);
    this.gpu = null;
    this.cpu = cpu;
    this.inner = cpu;
    gpu.dispose();
    const replayed =
      this.history.length > 0 ? `; its ${this.history.length} tokens were replayed on the CPU` : '';
    this.why = `CPU engine: ${detail}${replayed}`;
    const event: BackendSwitch = { from: 'webgpu', to: 'cpu', code, reason: this.why };
    for (const l of this.listeners) l(event);
  }

  /** Run `call` on the current backend; on a GPU failure, fall back and run it on the CPU. */
  private run(
    startPos: number,
    fed: readonly number[],
    call: (b: Backend) => Promise<ForwardResult>,
  ): Promise<ForwardResult> {
    return this.serial(async () => {
      if (this.disposed) throw new Error('this backend has been disposed');
      let result: ForwardResult;
      try {
        result = await call(this.inner);
      } catch (err) {
        if (!(this.gpu && err instanceof WebGpuError && err.code === 'lost')) throw err;
        await this.fallBack('lost', err.message, startPos);
        result = await call(this.inner);
      }
      this.history.length = Math.min(this.history.length, startPos);
      this.history.push(...fed);
      return result;
    });
  }

  forward(token: number, pos: number, trace?: TraceRequest): Promise<ForwardResult> {
    return this.run(pos, [token], (b) => b.forward(token, pos, trace));
  }

  forwardPrompt(
    tokens: readonly number[],
    startPos: number,
    options?: { trace?: TraceRequest; allLogits?: boolean },
  ): Promise<ForwardResult> {
    return this.run(startPos, tokens, (b) => b.forwardPrompt(tokens, startPos, options));
  }

  setKnobs(knobs: Knobs): void {
    if (knobs.activation === 'custom' && this.gpu) {
      // WebGPU cannot run a reader's formula: move to the CPU engine (the cache empties anyway).
      this.switchToCpu(
        knobs,
        'custom-activation',
        'CPU engine: a custom activation formula runs on the CPU engine only',
      );
    } else {
      try {
        this.inner.setKnobs(knobs);
      } catch (err) {
        if (!(this.gpu && err instanceof WebGpuError && err.code === 'lost')) throw err;
        // A knob change empties the cache: nothing to replay, just move to the CPU engine.
        this.switchToCpu(knobs, 'lost', `CPU engine: ${err.message}`);
      }
    }
    this.knobs = { ...knobs };
    this.history = [];
  }

  /** Leave WebGPU for a fresh CPU backend under `knobs` (an empty cache); throws, staying, if
   * the CPU engine refuses the knobs. */
  private switchToCpu(knobs: Knobs, code: WebGpuFailure, reason: string): void {
    const cpu = createCpuBackend(this.model, undefined, { maxPositions: this.maxPositions });
    try {
      if (this.custom) cpu.setCustomActivation(this.custom);
      cpu.setKnobs(knobs);
    } catch (err) {
      cpu.dispose();
      throw err;
    }
    this.gpu?.dispose();
    this.gpu = null;
    this.cpu = cpu;
    this.inner = cpu;
    this.why = reason;
    const event: BackendSwitch = { from: 'webgpu', to: 'cpu', code, reason };
    for (const l of this.listeners) l(event);
  }

  getKnobs(): Knobs {
    return this.inner.getKnobs();
  }

  setCustomActivation(fn: ((x: number) => number) | null): void {
    if (this.cpu && this.inner === this.cpu) this.cpu.setCustomActivation(fn);
    this.custom = fn;
  }

  debugLoseDevice(): void {
    this.gpu?.debugLoseDevice();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.gpu?.dispose();
    this.cpu?.dispose();
    this.listeners.clear();
  }
}
