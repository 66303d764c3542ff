// The typed interface between the page and the engine worker (called through comlink).
// Everything here crosses a structured clone: plain data and typed arrays only.
import type {
  BackendKind,
  Config,
  Knobs,
  SamplerSettings,
  TraceEntry,
  TraceRequest,
} from '../../engine/types.ts';

import type { BackendPreference } from '../../engine/select.ts';

export type { BackendPreference };

/** A reader's own files, or one of the models shipped in assets/models. */
export type ModelSource =
  | { kind: 'builtin'; name: string }
  | { kind: 'files'; name: string; model: ArrayBuffer; tokenizer: ArrayBuffer; sidecar?: unknown };

export interface BackendStatus {
  kind: BackendKind;
  /** Why this backend is active, in words (e.g. "no WebGPU adapter", "forced by setting"). */
  reason: string;
}

export interface ModelInfo {
  name: string;
  config: Config;
  nParams: number;
  fileBytes: number;
  backend: BackendStatus;
  defaultKnobs: Knobs;
  /** Largest position the KV cache holds (seqLen, or more for long-context experiments). */
  maxPositions: number;
}

export interface TokenView {
  id: number;
  /** The token's text as a reader should see it (byte-fallback pieces joined into UTF-8). */
  text: string;
}

export interface TopToken extends TokenView {
  prob: number;
}

export interface PredictOptions {
  trace?: TraceRequest;
  /** How many of the most likely next tokens to return (default 10). */
  topN?: number;
  /** Also return the full next-token distribution (vocab floats). */
  fullDistribution?: boolean;
}

export interface Prediction {
  tokens: TokenView[];
  top: TopToken[];
  /** KL(trained || current) of the next-token distribution, in nats; 0 with default knobs. */
  klFromTrained: number;
  distribution?: Float32Array;
  trace: TraceEntry[];
  /** Wall time of the forward passes in the worker, ms. */
  ms: number;
}

export interface GenerateRequest {
  prompt: string;
  /** Tokens to generate after the prompt. */
  steps: number;
  sampler: SamplerSettings;
}

export interface GenerateEvent {
  token: TokenView;
  pos: number;
  tokensPerSecond: number;
}

export interface GenerateResult {
  promptTokens: TokenView[];
  tokens: TokenView[];
  text: string;
  tokensPerSecond: number;
  stoppedBy: 'steps' | 'bos' | 'context' | 'cancelled';
  backend: BackendStatus;
}

export interface Evaluation {
  nTokens: number;
  nChars: number;
  meanNll: number;
  perplexity: number;
  bitsPerChar: number;
  /** NLL (nats) of each predicted token, by position. */
  nllByPosition: Float32Array;
}

export interface EngineApi {
  load(source: ModelSource, prefer: BackendPreference): Promise<ModelInfo>;
  setBackend(prefer: BackendPreference): Promise<BackendStatus>;
  setKnobs(knobs: Knobs): Promise<void>;
  /**
   * The reader's activation formula (text, compiled in the worker by src/lib/formula) used while
   * the activation knob is 'custom'; null forgets it. Rejects with a message in words when the
   * formula is refused. The WebGPU backend cannot run it: while 'custom' is on, the worker runs
   * the model on the CPU engine and says so in the backend status.
   */
  setCustomActivation(formula: string | null): Promise<void>;
  predict(prompt: string, options: PredictOptions): Promise<Prediction>;
  generate(
    request: GenerateRequest,
    onEvent: (event: GenerateEvent) => void,
  ): Promise<GenerateResult>;
  cancel(): void;
  evaluate(text: string): Promise<Evaluation>;
  /** The active backend now (it can change under a generation when a GPU device is lost). */
  backendStatus(): Promise<BackendStatus>;
  /** Test hook: lose the GPU device now (as a driver reset would). No effect on the CPU engine. */
  debugLoseDevice(): Promise<void>;
}
