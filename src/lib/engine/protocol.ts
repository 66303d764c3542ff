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

import type { BackendPreference, BackendReason } from '../../engine/select.ts';
import type { StoppedBy } from '../../engine/session.ts';

export type { BackendPreference };

/** A reader's own files, or one of the models shipped in assets/models. */
export type ModelSource =
  | { kind: 'builtin'; name: string }
  | { kind: 'files'; name: string; model: ArrayBuffer; tokenizer: ArrayBuffer; sidecar?: unknown };

export interface BackendStatus {
  kind: BackendKind;
  /** Why this backend is active, in English words (e.g. "no WebGPU adapter", "forced by setting"). */
  reason: string;
  /** The same as codes, worded on the page in the reader's language (lib/i18n/backend-reason.ts). */
  why?: BackendReason;
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
  /** Every token's text (pieceText), by id: for labels of distributions. */
  pieces: string[];
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
  /** Also return the last position's logits (vocab floats), for the sampler's own transforms. */
  logits?: boolean;
}

export interface Prediction {
  tokens: TokenView[];
  top: TopToken[];
  /** KL(trained || current) of the next-token distribution, in nats; 0 with default knobs. */
  klFromTrained: number;
  distribution?: Float32Array;
  logits?: Float32Array;
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
  stoppedBy: StoppedBy;
  backend: BackendStatus;
}

/** K samples of one prompt decoding together through a paged KV cache (chapter 7). */
export interface SampleBatchRequest {
  prompt: string;
  /** 1 .. 16. */
  samples: number;
  /** Tokens to generate per sample. */
  steps: number;
  /** Positions per block, 1 .. 64. */
  blockSize: number;
  /** Sample 0 uses sampler.seed; the others derive theirs from it. */
  sampler: SamplerSettings;
}

/** The paged cache after the prompt pass (step 0) and after each decode step. */
export interface SampleBatchFrame {
  step: number;
  /** Token each sample took this step (null: none, it had stopped). */
  tokens: (number | null)[];
  /** Each sample's stored positions and physical blocks, in order. */
  sequences: { length: number; blocks: number[] }[];
  usedBlocks: number;
  sharedBlocks: number;
  copiedBlocks: number;
}

export interface SampleBatchResult {
  promptTokens: TokenView[];
  samples: { seed: string; tokens: TokenView[]; text: string }[];
  frames: SampleBatchFrame[];
  blockSize: number;
  totalBlocks: number;
  /** Bytes of K and V in one block (float32, all layers). */
  blockBytes: number;
  /** Blocks the samples would take in separate caches (each with its own prompt copy). */
  separateBlocks: number;
  /** Generated tokens per second of the batched run (all samples together). */
  tokensPerSecond: number;
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

/** The small model loaded beside the main one for speculative decoding (chapter 6). */
export interface DraftInfo {
  name: string;
  config: Config;
  nParams: number;
  backend: BackendStatus;
}

export interface SpeculateRequest extends GenerateRequest {
  /** Draft tokens proposed per main-model pass. */
  gamma: number;
}

export interface SpeculateRound {
  proposals: { token: TokenView; p: number; q: number; accepted: boolean }[];
  extra: { token: TokenView; kind: 'replacement' | 'bonus' };
  /** Tokens this round added (kept proposals, then the extra), cut at the step budget. */
  tokens: TokenView[];
}

export interface SpeculateResult {
  tokens: TokenView[];
  text: string;
  stats: {
    rounds: number;
    mainPasses: number;
    draftPasses: number;
    proposed: number;
    judged: number;
    accepted: number;
    generated: number;
  };
  /** Wall time of the whole run in the worker, ms. */
  ms: number;
  stoppedBy: StoppedBy;
  backend: BackendStatus;
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
  /**
   * Load a built-in model as the draft beside the main one (same preference of engine). Rejects in
   * words when its vocabulary or tokenizer differs from the main model's.
   */
  loadDraft(name: string): Promise<DraftInfo>;
  /** The draft model's next-token logits after the prompt (as trained, no knobs). */
  draftLogits(prompt: string): Promise<Float32Array>;
  /** Speculative decoding with the draft; one event per main-model pass. Cancel as generate. */
  speculate(
    request: SpeculateRequest,
    onRound: (round: SpeculateRound) => void,
  ): Promise<SpeculateResult>;
  /**
   * K samples of one prompt in one batch through a paged KV cache on the CPU engine (under the
   * current knobs), with the block tables after every step.
   */
  sampleBatch(request: SampleBatchRequest): Promise<SampleBatchResult>;
  /** The active backend now (it can change under a generation when a GPU device is lost). */
  backendStatus(): Promise<BackendStatus>;
}
