// The engine's contracts: what a model is, what can be changed at inference time, what can be
// observed, and what a backend must do. Every backend (cpu, webgpu) and every layer above the
// engine speaks these types. Names mirror llama2.c's run.c where it has one.

/** Kinds of normalisation layer. The llama2.c format always means 'rmsnorm'. */
export type NormKind = 'rmsnorm' | 'layernorm';
/** Feed-forward block: LLaMA's gated SwiGLU W2(act(W1 x) * W3 x), or a plain MLP W2 act(W1 x). */
export type FfnKind = 'swiglu' | 'mlp';
/** Position encoding: rotary (RoPE, interleaved pairs as in Meta's code and llama2.c) or none (NoPE). */
export type PositionKind = 'rope' | 'none';
/** Activation inside the FFN. 'custom' is a reader's formula compiled above the engine. */
export type ActivationKind = 'silu' | 'gelu' | 'relu' | 'custom';
/** How RoPE positions are stretched to run past the trained context. */
export type RopeScaling = 'none' | 'linear' | 'ntk' | 'llama3' | 'yarn';

/**
 * Model hyper-parameters. The first seven come from the llama2.c header; the rest come from the
 * JSON sidecar (`model.json` beside `model.bin`), with defaults that match run.c.
 */
export interface Config {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  seqLen: number;
  /** true when the classifier is the token embedding table (header vocab_size > 0). */
  sharedClassifier: boolean;
  /** Sidecar: norm epsilon (run.c: 1e-5). */
  normEps: number;
  /** Sidecar: RoPE base theta (run.c: 10000). */
  ropeBase: number;
  /** Sidecar: architecture the weights were trained with (run.c: rmsnorm, swiglu, silu, rope). */
  norm: NormKind;
  ffn: FfnKind;
  activation: Exclude<ActivationKind, 'custom'>;
  position: PositionKind;
}

/** The sidecar file, as stored on disk (snake_case, every field optional). */
export interface Sidecar {
  norm_eps?: number;
  rope_base?: number;
  norm?: NormKind;
  ffn?: FfnKind;
  activation?: Exclude<ActivationKind, 'custom'>;
  position?: PositionKind;
}

/**
 * Read-only weights: typed-array views into one ArrayBuffer, the way run.c maps its file.
 * Per-layer tensors hold all layers back to back (layer 0, then 1, ...), each row-major
 * (out_features, in_features).
 */
export interface Weights {
  tokenEmbedding: Float32Array; // (vocab, dim)
  rmsAtt: Float32Array; // (layer, dim)
  wq: Float32Array; // (layer, dim, dim)          out = n_heads*head_size
  wk: Float32Array; // (layer, kv_dim, dim)
  wv: Float32Array; // (layer, kv_dim, dim)
  wo: Float32Array; // (layer, dim, dim)
  rmsFfn: Float32Array; // (layer, dim)
  w1: Float32Array; // (layer, hidden, dim)       gate (or the MLP's up projection)
  w2: Float32Array; // (layer, dim, hidden)       down
  w3: Float32Array | null; // (layer, hidden, dim) up; null for an 'mlp' FFN
  rmsFinal: Float32Array; // (dim)
  wcls: Float32Array; // (vocab, dim); the same view as tokenEmbedding when shared
}

export interface Model {
  config: Config;
  weights: Weights;
  /** Which file layout it came from: llama2.c legacy (0) or export.py version 1. */
  fileVersion: 0 | 1;
  /** Total parameter count (shared classifier counted once). */
  nParams: number;
}

/**
 * Inference-time what-ifs that need no retraining. `defaultKnobs(config)` leaves the model
 * exactly as trained.
 */
export interface Knobs {
  norm: NormKind;
  normEps: number;
  activation: ActivationKind;
  rope: boolean;
  ropeBase: number;
  ropeScaling: RopeScaling;
  /**
   * Stretch factor s for 'linear' (positions divided by it), 'ntk' (base scaled), 'llama3' and
   * 'yarn' (slow pairs' frequencies divided by it, see rope-scaling.ts); 1 = none.
   */
  ropeFactor: number;
  /** Number of K/V head groups, made by mean-pooling K/V heads; must divide config.nKvHeads. */
  kvGroups: number;
}

export interface SamplerSettings {
  /** 0 = greedy (argmax). */
  temperature: number;
  /** 0 = off. */
  topK: number;
  /** run.c semantics: <= 0 or >= 1 = off (plain multinomial). */
  topP: number;
  /**
   * Min-p (not in run.c; 0 or absent = off): after the softmax, drop every token whose probability
   * is below minP times the largest one, renormalise, then apply top-p.
   */
  minP?: number;
  /** xorshift64* seed, as run.c's -s (use a nonzero seed for reproducibility). */
  seed: bigint;
}

/** One captured value: a named tap of the forward pass. */
export interface TraceEntry {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * Which taps to capture. Names mirror the math, e.g. `L2.attn.probs` (heads x T x T),
 * `L0.attn.q_rot`, `L1.ffn.gate`, `L3.resid`, `final.logits`. `*` matches a layer index
 * (`L*.ffn.gate`). An absent request means nothing is captured and nothing is paid.
 */
export type TraceRequest = readonly string[];

/** Captured values, keyed by tap name. */
export type Trace = Map<string, TraceEntry>;

export type BackendKind = 'cpu' | 'webgpu';

/**
 * A backend runs the forward pass of one model with one KV cache. Allocation happens once at
 * creation; `forward` allocates nothing on the hot path.
 */
export interface Backend {
  readonly kind: BackendKind;
  readonly config: Config;
  /**
   * Positions the KV cache holds: config.seqLen unless the backend was created with more for
   * long-context experiments (RoPE scaling). Absent means seqLen.
   */
  readonly maxPositions?: number;
  /**
   * Replace the knobs (validated; throws a clear Error on absurd values). The KV cache holds
   * values computed under the old knobs, so it is emptied: the next call starts at position 0.
   */
  setKnobs(knobs: Knobs): void;
  getKnobs(): Knobs;
  /** Feed one token at `pos` and return the logits (vocab). The array may be reused by the next call. */
  forward(token: number, pos: number, trace?: TraceRequest): Promise<ForwardResult>;
  /**
   * Feed tokens at positions startPos.. as one matrix-matrix pass; returns the logits of the last
   * position (and, with `allLogits`, every row: tokens.length x vocab). Same numbers as a loop of forward().
   */
  forwardPrompt(
    tokens: readonly number[],
    startPos: number,
    options?: { trace?: TraceRequest; allLogits?: boolean },
  ): Promise<ForwardResult>;
  dispose(): void;
}

export interface ForwardResult {
  logits: Float32Array;
  allLogits?: Float32Array;
  trace?: Trace;
}
