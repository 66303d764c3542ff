// What the notebook needs from the live model (implemented by LiveModel in ./engine/). Written as
// an interface so components and the lab session can be tested and built against it alone.
import type { Knobs } from '../engine/types.ts';
import type {
  BackendPreference,
  Evaluation,
  GenerateEvent,
  GenerateRequest,
  GenerateResult,
  ModelInfo,
  ModelSource,
  PredictOptions,
  Prediction,
  SampleBatchRequest,
  SampleBatchResult,
} from './engine/protocol.ts';

export type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelPort {
  readonly status: ModelStatus;
  readonly error: string;
  readonly info: ModelInfo | null;
  readonly knobs: Knobs | null;
  readonly tokensPerSecond: number;
  /** The reader's engine setting: 'auto' (fastest that works), 'webgpu' or 'cpu'. */
  readonly preference: BackendPreference;
  setBackend(preference: BackendPreference): Promise<void>;
  load(source: ModelSource): Promise<void>;
  setKnobs(partial: Partial<Knobs>): Promise<void>;
  /** The formula behind activation 'custom'; rejects with the reader-facing reason if refused. */
  setCustomActivation(formula: string | null): Promise<void>;
  predict(prompt: string, options: PredictOptions): Promise<Prediction>;
  generate(request: GenerateRequest, onEvent?: (e: GenerateEvent) => void): Promise<GenerateResult>;
  evaluate(text: string): Promise<Evaluation>;
  /** K samples of one prompt through a paged KV cache, with the block tables step by step. */
  sampleBatch(request: SampleBatchRequest): Promise<SampleBatchResult>;
  /** Stop a generation in progress between two tokens (its promise resolves, stoppedBy 'cancelled'). */
  cancel(): void;
}
