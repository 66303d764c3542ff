// Gradient computation for one optimiser step, either in this thread or data-parallel over
// worker threads. With W workers the batch of B sequences is split into W slices of B/W; each
// worker runs the forward and backward pass of its slice on its own model instance (its buffers
// in its own WebAssembly memory), reading the parameters from one SharedArrayBuffer and writing
// its gradient into its own shared slot. The main thread then adds the slots in worker order (a fixed reduction order, so a run
// is deterministic for a given seed and worker count) and applies AdamW.

import { Worker } from 'node:worker_threads';
import type { Config } from '../engine/types.ts';
import { makeLayout } from './layout.ts';
import { TrainModel } from './model.ts';
import { kernelsFor, type KernelKind } from './kernels.ts';

export interface GradEngine {
  /** Parameters (float32, layout order), shared with the workers: update them in place. */
  readonly params: Float32Array;
  /** The summed gradient of the last `computeGradients` call. */
  readonly grads: Float32Array;
  /** Rows of the batch: B sequences of T tokens, filled by the caller before each call. */
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  readonly B: number;
  readonly T: number;
  /** Gradient of (summed loss * gradScale) into `grads`; returns the summed loss in nats. */
  computeGradients(gradScale: number): Promise<number>;
  /** Forward only; fills rowLoss (B*T) with the loss of every position (0 where target < 0). */
  evaluate(rowLoss: Float64Array): Promise<void>;
  close(): Promise<void>;
}

export interface EngineOptions {
  config: Config;
  B: number;
  T: number;
  workers: number;
  kernels: KernelKind;
}

/** In-thread engine (workers = 1). */
class LocalEngine implements GradEngine {
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  private readonly model: TrainModel;

  constructor(
    o: EngineOptions,
    readonly B = o.B,
    readonly T = o.T,
  ) {
    this.model = new TrainModel(o.config, o.B, o.T, kernelsFor(o.kernels));
    this.params = this.model.params as Float32Array;
    this.grads = this.model.grads as Float32Array;
    this.inputs = new Int32Array(o.B * o.T);
    this.targets = new Int32Array(o.B * o.T);
  }

  async computeGradients(gradScale: number): Promise<number> {
    return this.model.step(this.inputs, this.targets, true, gradScale);
  }

  async evaluate(rowLoss: Float64Array): Promise<void> {
    this.model.step(this.inputs, this.targets, false, 1, rowLoss);
  }

  async close(): Promise<void> {}
}

export interface WorkerInit {
  config: Config;
  B: number;
  T: number;
  index: number;
  kernels: KernelKind;
  params: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  inputs: SharedArrayBuffer;
  targets: SharedArrayBuffer;
  rowLoss: SharedArrayBuffer;
}

export type WorkerRequest = { kind: 'grads'; gradScale: number } | { kind: 'eval' };
export type WorkerReply = { ok: true; loss: number } | { ok: false; error: string };

class PoolEngine implements GradEngine {
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  private readonly slots: Float32Array[] = [];
  private readonly rowLoss: Float64Array;
  private readonly workers: Worker[] = [];
  private readonly pending: (((r: WorkerReply) => void) | undefined)[] = [];

  constructor(
    private readonly o: EngineOptions,
    readonly B = o.B,
    readonly T = o.T,
  ) {
    const total = makeLayout(o.config).total;
    const paramsSab = new SharedArrayBuffer(total * 4);
    const inputsSab = new SharedArrayBuffer(o.B * o.T * 4);
    const targetsSab = new SharedArrayBuffer(o.B * o.T * 4);
    const rowLossSab = new SharedArrayBuffer(o.B * o.T * 8);
    this.params = new Float32Array(paramsSab);
    this.grads = new Float32Array(total);
    this.inputs = new Int32Array(inputsSab);
    this.targets = new Int32Array(targetsSab);
    this.rowLoss = new Float64Array(rowLossSab);
    const Bw = o.B / o.workers;
    for (let w = 0; w < o.workers; w++) {
      const gradsSab = new SharedArrayBuffer(total * 4);
      this.slots.push(new Float32Array(gradsSab));
      const init: WorkerInit = {
        config: o.config,
        B: Bw,
        T: o.T,
        index: w,
        kernels: o.kernels,
        params: paramsSab,
        grads: gradsSab,
        inputs: inputsSab,
        targets: targetsSab,
        rowLoss: rowLossSab,
      };
      // The worker is TypeScript: a two-line bootstrap loads it through tsx's ESM API (tsx is a
      // dev dependency and is also what runs `npm run train`).
      const url = new URL('./worker.ts', import.meta.url).href;
      const boot = `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(url)}, ${JSON.stringify(import.meta.url)}))`;
      const worker = new Worker(boot, { eval: true, workerData: init });
      worker.on('message', (r: WorkerReply) => {
        const resolve = this.pending[w];
        this.pending[w] = undefined;
        if (resolve) resolve(r);
      });
      worker.on('error', (e) => this.fail(w, e instanceof Error ? e.message : String(e)));
      // a worker that dies without an error event (killed, out of memory) must not hang the run
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(w, `the worker thread exited (code ${code})`);
      });
      this.workers.push(worker);
    }
  }

  private closing = false;

  private readonly dead: (string | undefined)[] = [];

  private fail(w: number, error: string): void {
    this.dead[w] ??= error;
    const resolve = this.pending[w];
    this.pending[w] = undefined;
    if (resolve) resolve({ ok: false, error });
  }

  private async all(req: WorkerRequest): Promise<number[]> {
    const replies = await Promise.all(
      this.workers.map(
        (worker, w) =>
          new Promise<WorkerReply>((resolve) => {
            const dead = this.dead[w];
            if (dead !== undefined) return resolve({ ok: false, error: dead });
            this.pending[w] = resolve;
            worker.postMessage(req);
          }),
      ),
    );
    return replies.map((r, w) => {
      if (!r.ok) throw new Error(`training worker ${w} failed: ${r.error}`);
      return r.loss;
    });
  }

  async computeGradients(gradScale: number): Promise<number> {
    const losses = await this.all({ kind: 'grads', gradScale });
    const g = this.grads;
    g.set(this.slots[0]);
    for (let w = 1; w < this.slots.length; w++) {
      const s = this.slots[w];
      for (let i = 0; i < g.length; i++) g[i] += s[i];
    }
    return losses.reduce((a, b) => a + b, 0);
  }

  async evaluate(rowLoss: Float64Array): Promise<void> {
    await this.all({ kind: 'eval' });
    rowLoss.set(this.rowLoss);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export function createEngine(o: EngineOptions): GradEngine {
  if (o.B % o.workers !== 0)
    throw new Error(`batch size ${o.B} is not a multiple of the worker count ${o.workers}`);
  return o.workers <= 1 ? new LocalEngine(o) : new PoolEngine(o);
}
