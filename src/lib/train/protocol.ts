// Messages between the page and the training coordinator worker (coordinator.ts). The
// coordinator runs src/train's train() (the code behind `npm run train`) and, for more than one
// worker, starts the gradient workers itself (browser-spawn.ts). Plain data only.
import type { TrainConfig } from '../../train/config.ts';
import type { ModelFiles } from '../../train/export.ts';
import type { Sharing } from '../../train/pool.ts';
import type { Curve, StartInfo, TrainPoint } from '../../train/trainer.ts';
import type { ErrorCode, ErrorParams } from '../../engine/error-text.ts';

export type { ModelFiles, StartInfo, TrainPoint };
export type ValPoint = Curve['val'][number];

export interface StartRequest {
  kind: 'start';
  config: TrainConfig;
  text: string;
  /** A sample from the model after every validation whose step is a multiple of this (0: none). */
  sampleEvery: number;
  /** Force a sharing mode (tests); default: shared memory where the page allows it. */
  sharing?: Sharing;
}

export type ToCoordinator =
  | StartRequest
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'stop' }
  /** Test hook: the host loses gradient worker 0 (as a tab under memory pressure can). */
  | { kind: 'lose-worker' };

export interface RunSummary {
  steps: number;
  tokensSeen: number;
  trainTimeS: number;
  valNatsPerToken: number;
  valBitsPerChar: number;
  nParams: number;
}

/** What the run is doing before its first step (or between steps): said in words by the page. */
export type TrainPhase = '' | 'starting' | 'pausing' | 'stopping' | 'tokenizing';

export type FromCoordinator =
  | { kind: 'phase'; phase: TrainPhase }
  | { kind: 'started'; info: StartInfo }
  | { kind: 'steps'; points: TrainPoint[] }
  | { kind: 'val'; point: ValPoint }
  | { kind: 'sample'; step: number; text: string }
  /** The worker has parked between steps (every step done so far was sent before this). */
  | { kind: 'paused' }
  /** The model after a validation: kept by the page so a run that fails later loses nothing. */
  | { kind: 'snapshot'; step: number; files: ModelFiles; summary: RunSummary }
  | { kind: 'done'; files: ModelFiles; summary: RunSummary; stopped: boolean }
  /**
   * The run failed: the English message, and for a coded error (the trainer's TrainError, an
   * engine error) its code and parameters, so the page says it in the reader's language.
   */
  | { kind: 'error'; message: string; code?: ErrorCode; params?: ErrorParams };
