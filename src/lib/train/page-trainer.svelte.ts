// The page's handle on a training run: starts the coordinator worker (coordinator.ts), keeps the
// curve, samples and the latest model snapshot as reactive state, and pauses, resumes and stops
// the run. The main thread only receives batched messages (every ~100 ms) and appends them every 500 ms, so
// training never blocks it. If the workers are lost mid-run, the snapshot from the last
// validation is kept and offered as the result: nothing finished is lost.
import type { TrainConfig } from '../../train/config.ts';
import type { Sharing } from '../../train/pool.ts';
import type {
  FromCoordinator,
  ModelFiles,
  RunSummary,
  StartInfo,
  ToCoordinator,
  TrainPhase,
  TrainPoint,
  ValPoint,
} from './protocol.ts';
import { m as msg } from '../../paraglide/messages.js';
import { errorString } from '../i18n/error-text.ts';

/** How often new steps reach the page's state (and its charts). */
const FLUSH_MS = 500;

export type TrainStatus = 'idle' | 'preparing' | 'training' | 'paused' | 'done' | 'error';

export interface TrainedFiles {
  files: ModelFiles;
  summary: RunSummary;
  /** Stopped early by the reader, or cut short by an error (then the last snapshot). */
  partial: boolean;
}

/** Workers the page uses by default: one per core but one (left to the page), 1 to 4. */
export function defaultWorkerCount(cores = globalThis.navigator?.hardwareConcurrency ?? 2): number {
  return Math.max(1, Math.min(4, Math.floor(cores) - 1));
}

/** Whether gradient workers can share memory here (else they pass messages). */
export function pageSharing(): Sharing {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof SharedArrayBuffer !== 'undefined' && g.crossOriginIsolated === true
    ? 'shared'
    : 'messages';
}

/** One line for the status line: how the page trains and why. */
export function parallelismText(workers: number, sharing: Sharing): string {
  if (workers <= 1) return msg.train_workers_one();
  return sharing === 'shared'
    ? msg.train_workers_shared({ n: workers })
    : msg.train_workers_messages({ n: workers });
}

/** The phase in words, in the page's language. */
export function phaseText(phase: TrainPhase): string {
  switch (phase) {
    case 'starting':
      return msg.train_phase_starting();
    case 'pausing':
      return msg.train_phase_pausing();
    case 'stopping':
      return msg.train_phase_stopping();
    case 'tokenizing':
      return msg.train_phase_tokenizing();
    case '':
      return '';
  }
}

/** The status in words, in the page's language. */
export function statusText(status: TrainStatus): string {
  switch (status) {
    case 'idle':
      return msg.train_status_idle();
    case 'preparing':
      return msg.train_phase_starting();
    case 'training':
      return msg.train_status_training();
    case 'paused':
      return msg.train_status_paused();
    case 'done':
      return msg.train_status_done();
    case 'error':
      return msg.train_status_error();
  }
}

export class PageTrainer {
  status = $state<TrainStatus>('idle');
  phase = $state<TrainPhase>('');
  error = $state('');
  info = $state.raw<StartInfo | null>(null);
  train = $state.raw<TrainPoint[]>([]);
  val = $state.raw<ValPoint[]>([]);
  samples = $state.raw<{ step: number; text: string }[]>([]);
  /** The model after the latest validation (kept if the run fails later). */
  snapshot = $state.raw<TrainedFiles | null>(null);
  /** The finished (or stopped, or rescued) model. */
  result = $state.raw<TrainedFiles | null>(null);
  workers = $state(1);
  sharing = $state<Sharing>('messages');
  totalSteps = $state(0);

  #worker: Worker | null = null;
  #pending: TrainPoint[] = [];
  #flushQueued = false;
  #onFinish: ((r: TrainedFiles) => void) | undefined;

  get running(): boolean {
    return this.status === 'preparing' || this.status === 'training' || this.status === 'paused';
  }

  /** Tokens per second of training so far (0 before the first step). */
  get tokensPerSecond(): number {
    const last = this.train[this.train.length - 1];
    return last && last.timeS > 0 ? last.tokens / last.timeS : 0;
  }

  start(
    config: TrainConfig,
    text: string,
    opts: { sampleEvery?: number; sharing?: Sharing; onFinish?: (r: TrainedFiles) => void } = {},
  ): void {
    this.dispose();
    this.status = 'preparing';
    this.phase = 'starting';
    this.error = '';
    this.info = null;
    this.train = [];
    this.val = [];
    this.samples = [];
    this.snapshot = null;
    this.result = null;
    this.workers = config.train.workers;
    this.sharing = opts.sharing ?? pageSharing();
    this.totalSteps = config.train.steps;
    this.#onFinish = opts.onFinish;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a module URL, not state
    const worker = new Worker(new URL('./coordinator.ts', import.meta.url), {
      type: 'module',
      name: 'llama-lab trainer',
    });
    this.#worker = worker;
    worker.onmessage = (e: MessageEvent<FromCoordinator>) => this.#receive(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#fail(msg.train_err_worker_stopped({ message: e.message || msg.error_unknown() }));
    };
    this.#post({
      kind: 'start',
      config: $state.snapshot(config) as TrainConfig,
      text,
      sampleEvery: opts.sampleEvery ?? 0,
      sharing: this.sharing,
    });
  }

  /**
   * Pause after the step in flight. The status turns 'paused' when the worker says it has
   * parked, so by then every step it ran is in `train` and nothing more arrives until resume.
   */
  pause(): void {
    if (this.status !== 'training') return;
    this.#post({ kind: 'pause' });
    this.phase = 'pausing';
  }

  resume(): void {
    if (this.status !== 'paused') return;
    this.#post({ kind: 'resume' });
    this.status = 'training';
  }

  /** Stop after the current step; the model so far (after a last validation) is the result. */
  stop(): void {
    if (!this.running) return;
    this.#post({ kind: 'stop' });
    this.phase = 'stopping';
  }

  /** Test hook: the page loses a gradient worker mid-run. */
  loseWorker(): void {
    this.#post({ kind: 'lose-worker' });
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
    if (this.running) this.status = 'idle';
  }

  #post(m: ToCoordinator): void {
    this.#worker?.postMessage(m);
  }

  #fail(message: string): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#flush();
    this.error = message;
    this.status = 'error';
    this.phase = '';
    if (this.snapshot) {
      this.result = { ...this.snapshot, partial: true };
      this.#onFinish?.(this.result);
    }
  }

  #flush(): void {
    this.#flushQueued = false;
    if (this.#pending.length === 0) return;
    this.train = [...this.train, ...this.#pending];
    this.#pending = [];
  }

  #receive(m: FromCoordinator): void {
    switch (m.kind) {
      case 'phase':
        this.phase = m.phase;
        break;
      case 'started':
        this.info = m.info;
        this.phase = '';
        if (this.status === 'preparing') this.status = 'training';
        break;
      case 'steps':
        // appended (and the charts redrawn) at most every FLUSH_MS: the main thread stays free
        this.#pending.push(...m.points);
        if (!this.#flushQueued) {
          this.#flushQueued = true;
          setTimeout(() => this.#flush(), FLUSH_MS);
        }
        break;
      case 'val':
        this.#flush();
        this.val = [...this.val, m.point];
        break;
      case 'sample':
        this.samples = [...this.samples, { step: m.step, text: m.text }];
        break;
      case 'paused':
        this.#flush();
        this.phase = '';
        if (this.status === 'training') this.status = 'paused';
        break;
      case 'snapshot':
        this.snapshot = { files: m.files, summary: m.summary, partial: true };
        break;
      case 'done':
        this.#flush();
        this.result = { files: m.files, summary: m.summary, partial: m.stopped };
        this.status = 'done';
        this.phase = '';
        this.#worker?.terminate();
        this.#worker = null;
        this.#onFinish?.(this.result);
        break;
      case 'error':
        // in the reader's language when coded (the message's code and params), else in English
        // after a translated lead-in
        this.#fail(errorString(m));
        break;
    }
  }
}
