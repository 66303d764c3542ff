// Gradient computation for one optimiser step, either in this thread or data-parallel over
// workers (Node worker_threads or the page's Web Workers, started through the seam in pool.ts).
// With W workers the batch of B sequences is split into W slices of B/W; each worker runs the
// forward and backward pass of its slice on its own model instance (its buffers in its own
// WebAssembly memory), reading the parameters and writing its gradient into its own slot (shared
// memory, or copies carried by messages). This thread then adds the slots in worker order (a fixed
// reduction order, so a run is deterministic for a given seed and worker count) and applies AdamW.

import type { Config } from '../engine/types.ts';
import { makeLayout } from './layout.ts';
import { TrainModel } from './model.ts';
import { kernelsFor, type KernelKind } from './kernels.ts';
import {
  defaultSharing,
  type Sharing,
  type SliceData,
  type SpawnWorker,
  type TrainWorker,
  type WorkerInit,
  type WorkerReply,
} from './pool.ts';
import { TrainError } from './errors.ts';

/** Why a worker the host stopped (loseWorker) failed; said as the code train_worker_lost. */
const LOST = 'the worker was stopped by the host';

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
  /** How the pool shares data with its workers (undefined in-thread). */
  readonly sharing?: Sharing;
  /** Test hook (pool only): the host loses worker w. */
  loseWorker?(w: number): void;
}

export interface EngineOptions {
  config: Config;
  B: number;
  T: number;
  workers: number;
  kernels: KernelKind;
  /** How to start the gradient workers (needed when workers > 1): nodeSpawn or browserSpawn. */
  spawn?: SpawnWorker;
  /** Default: 'shared' where SharedArrayBuffer may be used, else 'messages'. */
  sharing?: Sharing;
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

class PoolEngine implements GradEngine {
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  readonly sharing: Sharing;
  private readonly slots: Float32Array[] = [];
  private readonly rowLoss: Float64Array;
  private readonly workers: TrainWorker[] = [];
  private readonly pending: (((r: WorkerReply) => void) | undefined)[] = [];
  private readonly rows: number;

  constructor(
    o: EngineOptions & { spawn: SpawnWorker },
    readonly B = o.B,
    readonly T = o.T,
  ) {
    this.sharing = o.sharing ?? defaultSharing();
    const shared = this.sharing === 'shared';
    const Buf = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const total = makeLayout(o.config).total;
    const paramsBuf = Buf(total * 4);
    const inputsBuf = Buf(o.B * o.T * 4);
    const targetsBuf = Buf(o.B * o.T * 4);
    const rowLossBuf = Buf(o.B * o.T * 8);
    this.params = new Float32Array(paramsBuf);
    this.grads = new Float32Array(total);
    this.inputs = new Int32Array(inputsBuf);
    this.targets = new Int32Array(targetsBuf);
    this.rowLoss = new Float64Array(rowLossBuf);
    const Bw = o.B / o.workers;
    this.rows = Bw * o.T;
    for (let w = 0; w < o.workers; w++) {
      const gradsBuf = Buf(total * 4);
      this.slots.push(new Float32Array(gradsBuf));
      const init: WorkerInit = {
        config: o.config,
        B: Bw,
        T: o.T,
        index: w,
        kernels: o.kernels,
        shared: shared
          ? {
              params: paramsBuf as SharedArrayBuffer,
              grads: gradsBuf as SharedArrayBuffer,
              inputs: inputsBuf as SharedArrayBuffer,
              targets: targetsBuf as SharedArrayBuffer,
              rowLoss: rowLossBuf as SharedArrayBuffer,
            }
          : null,
      };
      this.workers.push(
        o.spawn(init, {
          message: (r) => {
            const resolve = this.pending[w];
            this.pending[w] = undefined;
            if (resolve) resolve(r);
          },
          failure: (error) => {
            if (!this.closing) this.fail(w, error);
          },
        }),
      );
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

  /** Test hook: the host loses worker w (as a browser tab can); the next step fails in words. */
  loseWorker(w: number): void {
    void this.workers[w]?.terminate();
    this.fail(w, LOST);
  }

  private async all(kind: 'grads' | 'eval', gradScale = 1): Promise<WorkerReply[]> {
    const replies = await Promise.all(
      this.workers.map(
        (worker, w) =>
          new Promise<WorkerReply>((resolve) => {
            const dead = this.dead[w];
            if (dead !== undefined) return resolve({ ok: false, error: dead });
            this.pending[w] = resolve;
            let data: SliceData | undefined;
            const transfer: ArrayBuffer[] = [];
            if (this.sharing === 'messages') {
              const a = w * this.rows;
              const params = Float32Array.from(this.params);
              const inputs = Int32Array.from(this.inputs.subarray(a, a + this.rows));
              const targets = Int32Array.from(this.targets.subarray(a, a + this.rows));
              data = { params, inputs, targets };
              transfer.push(params.buffer, inputs.buffer, targets.buffer);
            }
            worker.post(kind === 'grads' ? { kind, gradScale, data } : { kind, data }, transfer);
          }),
      ),
    );
    return replies.map((r, w) => {
      if (!r.ok)
        throw r.error === LOST
          ? new TrainError('train_worker_lost', { worker: w })
          : new Error(`training worker ${w} failed: ${r.error}`);
      return r;
    });
  }

  async computeGradients(gradScale: number): Promise<number> {
    const replies = await this.all('grads', gradScale);
    replies.forEach((r, w) => {
      if (r.ok && r.grads) this.slots[w].set(r.grads);
    });
    const g = this.grads;
    g.set(this.slots[0]);
    for (let w = 1; w < this.slots.length; w++) {
      const s = this.slots[w];
      for (let i = 0; i < g.length; i++) g[i] += s[i];
    }
    return replies.reduce((a, r) => a + (r.ok ? r.loss : 0), 0);
  }

  async evaluate(rowLoss: Float64Array): Promise<void> {
    const replies = await this.all('eval');
    replies.forEach((r, w) => {
      if (r.ok && r.rowLoss) this.rowLoss.set(r.rowLoss, w * this.rows);
    });
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
  if (o.workers <= 1) return new LocalEngine(o);
  if (!o.spawn)
    throw new Error(
      'internal: more than one worker needs a way to start them (EngineOptions.spawn: nodeSpawn or browserSpawn)',
    );
  return new PoolEngine({ ...o, spawn: o.spawn });
}
