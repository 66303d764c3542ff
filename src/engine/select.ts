// Choosing the backend, and keeping a session alive when the GPU goes away.
//
// createBackend(model, { prefer, gpu }) returns WebGPU when an adapter exists and a start-up
// self-test passes (a tiny forward pass compared with the CPU engine), else the CPU engine, and
// says why in words. The returned backend is a wrapper that remembers the tokens fed so far: if
// the GPU device is lost (device.lost, a failed submission or read-back), it replays them into a
// fresh CPU backend with one prompt pass and carries on with the call at hand, so a generation in
// progress continues with the same numbers; listeners hear about the switch.
//
// The wrapper also owns the move for activation 'custom' (a reader's formula, which WebGPU cannot
// run), in both directions: setting the knob moves it to a CPU engine with the formula, and
// switching it off again makes it try WebGPU again (adapter, self-test) when that was the choice
// it was created with, between calls. CUSTOM_ON_CPU is the one sentence that says why.
import { createCpuBackend, type CpuBackend } from './cpu/backend.ts';
import { CUSTOM_ON_CPU } from './errors.ts';
import { cause, reasonText, type BackendReason, type Cause } from './backend-reason.ts';
import { defaultKnobs } from './knobs.ts';
import type { Backend, BackendKind, ForwardResult, Knobs, Model, TraceRequest } from './types.ts';
import {
  WebGpuError,
  createWebGpuBackend,
  debugLoseDevice as loseWebGpuDevice,
  type AdapterDescription,
  type WebGpuBackend,
  type WebGpuFailure,
} from './webgpu/backend.ts';

export type BackendPreference = 'auto' | 'cpu' | 'webgpu';

export { CUSTOM_ON_CPU };
export type { BackendReason };

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
  /** The formula behind activation 'custom' (needed when `knobs` already use it). */
  customActivation?: ((x: number) => number) | null;
}

export interface BackendSwitch {
  from: BackendKind;
  to: BackendKind;
  /** Why it left WebGPU, or 'restored': back on WebGPU once 'custom' was switched off. */
  code: WebGpuFailure | 'restored';
  /** In words (English). */
  reason: string;
  /** The same as codes, for the page to word in the reader's language. */
  why: BackendReason;
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
  why: BackendReason;
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
  /** Why the current engine runs, in words (English). */
  readonly reason: string;
  /** The same as codes, for the page to word in the reader's language. */
  readonly why: BackendReason;
  /** Listen for switches; returns a function that stops listening. */
  onSwitch(listener: (event: BackendSwitch) => void): () => void;
  /** The formula behind activation 'custom'. Runs on the CPU engine: setting the 'custom'
   * knob while on WebGPU switches to CPU (and says so); switching it off goes back to WebGPU. */
  setCustomActivation(fn: ((x: number) => number) | null): void;
  /** Resolves once switches queued between calls (the way back to WebGPU) are done. */
  settled(): Promise<void>;
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

/** The adapter's name (vendor and architecture), or '' when it gives none. */
function adapterName(a: AdapterDescription): string {
  return [a.vendor, a.architecture].filter(Boolean).join(' ');
}

/** Running on WebGPU: on which adapter (named or not, software or not) and the self-test's margin. */
function onGpuCause(a: AdapterDescription, diff: string): Cause {
  const adapter = adapterName(a);
  const soft = a.isFallbackAdapter;
  if (!adapter) return cause(soft ? 'gpu_on_unnamed_software' : 'gpu_on_unnamed', { diff });
  return cause(soft ? 'gpu_on_software' : 'gpu_on', { adapter, diff });
}

/** A reason with the CPU engine running. */
function cpuReason(why: Cause, asked: boolean, replayed = 0): BackendReason {
  return { cause: why, onCpu: true, asked, replayed };
}

type GpuAttempt =
  | { ok: true; gpu: WebGpuBackend; why: BackendReason; selfTest: SelfTestResult }
  | {
      ok: false;
      why: BackendReason;
      code: WebGpuFailure;
      adapter?: AdapterDescription;
      selfTest?: SelfTestResult;
    };

/** Choose and create the backend for `model`; never throws for WebGPU trouble (CPU instead). */
export async function createBackend(
  model: Model,
  options: CreateBackendOptions = {},
): Promise<SelectedBackend> {
  const prefer = options.prefer ?? 'auto';
  const knobs = options.knobs ?? defaultKnobs(model.config);
  const maxPositions = options.maxPositions ?? model.config.seqLen;
  const asked = prefer === 'webgpu';

  /** WebGPU under `k` if an adapter exists, it is wanted and its self-test passes. */
  const tryGpu = async (k: Knobs): Promise<GpuAttempt> => {
    let gpu: WebGpuBackend;
    try {
      gpu = await createWebGpuBackend(model, options.gpu, k, { maxPositions });
    } catch (err) {
      if (err instanceof WebGpuError) {
        return { ok: false, why: cpuReason(err.why, asked), code: err.code };
      }
      const detail = err instanceof Error ? err.message : String(err);
      return { ok: false, why: cpuReason(cause('gpu_failed', {}, detail), asked), code: 'device' };
    }
    const adapter = gpu.adapter;
    if (prefer === 'auto' && adapter.isFallbackAdapter) {
      // A software adapter (SwiftShader, lavapipe) computes correctly but runs the kernels on the
      // CPU, far slower than the CPU engine's SIMD kernels: 'auto' means "fastest that works".
      gpu.dispose();
      const name = adapterName(adapter);
      const why = name
        ? cause('gpu_software_only', { adapter: name })
        : cause('gpu_software_only_unnamed');
      return { ok: false, code: 'software-adapter', adapter, why: cpuReason(why, false) };
    }
    let test: SelfTestResult;
    try {
      test = await selfTest(gpu, model, k);
    } catch (err) {
      gpu.dispose();
      const detail = err instanceof Error ? err.message : String(err);
      const why = cause('gpu_self_test_failed', {}, detail);
      return { ok: false, code: 'self-test', why: cpuReason(why, asked) };
    }
    if (!test.passed) {
      gpu.dispose();
      return {
        ok: false,
        code: 'self-test',
        adapter,
        selfTest: test,
        why: cpuReason(
          cause('gpu_self_test_disagreed', {
            diff: test.maxAbsDiff.toPrecision(3),
            allowed: test.tolerance.toPrecision(3),
          }),
          asked,
        ),
      };
    }
    const why = onGpuCause(adapter, test.maxAbsDiff.toExponential(1));
    return {
      ok: true,
      gpu,
      why: { cause: why, onCpu: false, asked: false, replayed: 0 },
      selfTest: test,
    };
  };

  const make = (inner: Backend, gpu: WebGpuBackend | null, why: BackendReason, parked: boolean) => {
    const backend = new Switching(model, inner, gpu, why, maxPositions, {
      regain: prefer === 'cpu' ? null : tryGpu,
      parked,
      custom: options.customActivation ?? null,
    });
    if (options.onSwitch) backend.onSwitch(options.onSwitch);
    return backend;
  };
  const onCpu = (
    why: BackendReason,
    code: SelectedBackend['code'],
    parked = false,
  ): SelectedBackend => {
    const cpu = createCpuBackend(model, undefined, { maxPositions });
    if (options.customActivation) cpu.setCustomActivation(options.customActivation);
    cpu.setKnobs(knobs);
    const reason = reasonText(why);
    return { backend: make(cpu, null, why, parked), kind: 'cpu', reason, why, code };
  };

  if (prefer === 'cpu') {
    const why = { cause: cause('backend_cpu_chosen'), onCpu: false, asked: false, replayed: 0 };
    return onCpu(why, 'preference');
  }
  if (knobs.activation === 'custom') {
    // WebGPU is tried once 'custom' is switched off (the wrapper remembers it is parked here).
    return onCpu(cpuReason(cause('gpu_custom'), asked), 'custom-activation', true);
  }
  const r = await tryGpu(knobs);
  if (!r.ok) {
    const c = onCpu(r.why, r.code);
    return { ...c, adapter: r.adapter, selfTest: r.selfTest };
  }
  const backend = make(r.gpu, r.gpu, r.why, false);
  return {
    backend,
    kind: 'webgpu',
    reason: reasonText(r.why),
    why: r.why,
    adapter: r.gpu.adapter,
    selfTest: r.selfTest,
  };
}

/**
 * For tests: destroy the GPU device under `backend` as a driver reset would (no effect on the CPU
 * engine); the backend goes on on the CPU. A free function so that bundles without tests drop it.
 */
export function debugLoseDevice(backend: SwitchingBackend): void {
  const gpu = backend instanceof Switching ? backend['gpu'] : null;
  if (gpu) loseWebGpuDevice(gpu);
}

/** The wrapper behind SwitchingBackend. */
class Switching implements SwitchingBackend {
  readonly config;
  private inner: Backend;
  private gpu: WebGpuBackend | null;
  private cpu: CpuBackend | null;
  private because: BackendReason;
  private knobs: Knobs;
  private custom: ((x: number) => number) | null;
  /** Tries WebGPU again (null: the CPU engine was chosen, never leave it for 'custom''s sake). */
  private readonly regain: ((knobs: Knobs) => Promise<GpuAttempt>) | null;
  /** On the CPU engine only because 'custom' is on: WebGPU is tried again when it goes off. */
  private parked: boolean;
  /** Token fed at each cache position, 0 .. cache length - 1 (what a replay must feed). */
  private history: number[] = [];
  private readonly listeners = new Set<(e: BackendSwitch) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly model: Model,
    inner: Backend,
    gpu: WebGpuBackend | null,
    why: BackendReason,
    readonly maxPositions: number,
    how: {
      regain: ((knobs: Knobs) => Promise<GpuAttempt>) | null;
      parked: boolean;
      custom: ((x: number) => number) | null;
    },
  ) {
    this.config = model.config;
    this.inner = inner;
    this.gpu = gpu;
    this.cpu = gpu ? null : (inner as CpuBackend);
    this.because = why;
    this.knobs = inner.getKnobs();
    this.regain = how.regain;
    this.parked = how.parked && how.regain !== null;
    this.custom = how.custom;
    if (gpu) this.watch(gpu);
  }

  /** Switch as soon as a loss is known, between calls, so the page can say so at once. */
  private watch(gpu: WebGpuBackend): void {
    void gpu.lost.then((why) =>
      this.serial(async () => {
        if (this.gpu === gpu) await this.fallBack('lost', why);
      }),
    );
  }

  get kind(): BackendKind {
    return this.inner.kind;
  }

  get reason(): string {
    return reasonText(this.because);
  }

  get why(): BackendReason {
    return this.because;
  }

  onSwitch(listener: (event: BackendSwitch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  settled(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private emit(event: BackendSwitch): void {
    for (const l of this.listeners) l(event);
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
    detail: Cause,
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
    this.because = cpuReason(detail, false, this.history.length);
    this.emit({ from: 'webgpu', to: 'cpu', code, reason: this.reason, why: this.because });
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
        await this.fallBack('lost', err.why, startPos);
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
      // WebGPU cannot run a reader's formula: move to the CPU engine (the cache empties anyway),
      // and come back when 'custom' is switched off.
      this.switchToCpu(knobs, 'custom-activation', cpuReason(cause('gpu_custom'), false));
      this.parked = this.regain !== null;
    } else {
      try {
        this.inner.setKnobs(knobs);
      } catch (err) {
        if (!(this.gpu && err instanceof WebGpuError && err.code === 'lost')) throw err;
        // A knob change empties the cache: nothing to replay, just move to the CPU engine.
        this.switchToCpu(knobs, 'lost', cpuReason(err.why, false));
      }
      if (this.parked && knobs.activation !== 'custom') {
        // 'custom' is off: WebGPU again, before the next call (adapter and self-test anew).
        this.parked = false;
        void this.serial(() => this.backToGpu());
      }
    }
    this.knobs = { ...knobs };
    this.history = [];
  }

  private customOn(): boolean {
    return this.knobs.activation === 'custom';
  }

  /** Leave the CPU engine for WebGPU under the current knobs, replaying the tokens fed so far;
   * stays on the CPU (with WebGPU's reason) when WebGPU cannot run. */
  private async backToGpu(): Promise<void> {
    if (this.disposed || this.gpu || !this.regain || this.knobs.activation === 'custom') return;
    const knobs = this.knobs;
    const r = await this.regain(knobs);
    if (!r.ok) {
      this.because = r.why;
      return;
    }
    if (this.disposed || this.knobs !== knobs) {
      // disposed, or the knobs changed while WebGPU started: try again for the new ones
      r.gpu.dispose();
      // (a method call: TypeScript would keep `this.knobs` narrowed across the await)
      if (this.disposed) return;
      if (this.customOn()) this.parked = true;
      else return this.backToGpu();
      return;
    }
    if (this.history.length > 0) await r.gpu.forwardPrompt(this.history, 0);
    const cpu = this.cpu;
    this.gpu = r.gpu;
    this.inner = r.gpu;
    this.cpu = null;
    cpu?.dispose();
    this.because = r.why;
    this.watch(r.gpu);
    this.emit({ from: 'cpu', to: 'webgpu', code: 'restored', reason: this.reason, why: r.why });
  }

  /** Leave WebGPU for a fresh CPU backend under `knobs` (an empty cache); throws, staying, if
   * the CPU engine refuses the knobs. */
  private switchToCpu(knobs: Knobs, code: WebGpuFailure, why: BackendReason): void {
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
    this.because = why;
    this.emit({ from: 'webgpu', to: 'cpu', code, reason: this.reason, why });
  }

  getKnobs(): Knobs {
    return this.inner.getKnobs();
  }

  setCustomActivation(fn: ((x: number) => number) | null): void {
    if (this.cpu && this.inner === this.cpu) this.cpu.setCustomActivation(fn);
    this.custom = fn;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.gpu?.dispose();
    this.cpu?.dispose();
    this.listeners.clear();
  }
}
