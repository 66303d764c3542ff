// The WebGPU forward pass: the same computation as the CPU engine (cpu/forward.ts), as a
// sequence of WGSL dispatches recorded into one command encoder per call (per token when
// decoding). Everything is allocated once per model: weights, run state and KV cache, the
// parameter slots and bind groups of every dispatch, the logits staging buffer. A call writes
// the 16-byte step uniform, records, submits and maps the staging buffer back.
//
// Buffers mirror the CPU run state, with B = maxBatch rows (one per fed token of a chunk):
//   x, xb, xb2 (B, dim)  q (B, dim)  k, v (B, kv_dim)  hb, hb2 (B, hidden)
//   att (B, n_heads, maxPositions)  logits (B, vocab)
//   key/value cache (layer, maxPositions, kv_dim), rope cos/sin (maxPositions, hs/2)
// kv_dim is the width in use under the kvGroups knob (pooled K/V weights are uploaded over the
// model's own and every stride follows), as in the CPU engine.
import { ropeTable } from '../cpu/ops.ts';
import { SettingsError, TokenizerError } from '../errors.ts';
import {
  defaultKnobs,
  effectivePositionScale,
  effectiveRopeBase,
  validateKnobs,
} from '../knobs.ts';
import { Tracer, layerTapNames, type LayerTap, type LayerTapNames } from '../trace.ts';
import type { Config, Knobs, Model, Trace, TraceRequest } from '../types.ts';
import { MAP_MODE_READ, USAGE } from './constants.ts';
import { WebGpuError } from './device.ts';
import {
  DEFAULT_WORKGROUP_SIZES,
  Kernels,
  allKernels,
  type ActivationName,
  type WorkgroupSizes,
} from './kernels.ts';
import {
  AttnMixOp,
  AttnScoresOp,
  ElementwiseOp,
  MatmulOp,
  NormOp,
  RopeOp,
  SoftmaxOp,
  type AttnShape,
  type GpuEnv,
} from './ops.ts';
import { ParamArena, StepUniform } from './params.ts';
import { poolKvWeights } from './pool.ts';

export interface WebGpuOptions {
  /** KV-cache length in positions (default config.seqLen), as CpuOptions.maxPositions. */
  maxPositions?: number;
  /** Rows per prompt chunk (default 64, as the CPU engine). */
  maxBatch?: number;
  /** Workgroup sizes of the kernels (WGSL override constants). */
  workgroups?: WorkgroupSizes;
}

export interface RunOptions {
  trace?: TraceRequest;
  allLogits?: boolean;
  /** Force the matmul kernel choice: 'matvec' for every row count, or 'tiled' (tests). */
  matmul?: 'auto' | 'matvec' | 'tiled';
}

export interface RunResult {
  logits: Float32Array;
  allLogits?: Float32Array;
  trace?: Trace;
}

interface LayerOps {
  attnNorm: NormOp;
  wq: MatmulOp;
  wk: MatmulOp;
  wv: MatmulOp;
  scores: AttnScoresOp;
  mix: AttnMixOp;
  wo: MatmulOp;
  ffnNorm: NormOp;
  w1: MatmulOp;
  w3: MatmulOp | null;
  w2: MatmulOp;
}

/** One tap copied into the trace staging buffer during a chunk. */
interface TapCopy {
  name: string;
  byteOffset: number;
  /** 'rows': (rows, width) row-major; 'attn': att layout (rows, heads, maxPositions). */
  kind: 'rows' | 'attn';
  width: number;
}

const F32 = 4;

/** queue.writeBuffer of a Float32Array view (weights are views into the checkpoint's buffer). */
function writeF32(queue: GPUQueue, buffer: GPUBuffer, data: Float32Array): void {
  queue.writeBuffer(buffer, 0, data as Float32Array<ArrayBuffer>);
}

/** Upper bound of the bytes of every buffer the model needs at once (for the device check). */
export function largestBufferBytes(config: Config, options: WebGpuOptions = {}): number {
  const c = config;
  const P = options.maxPositions ?? c.seqLen;
  const B = Math.min(options.maxBatch ?? 64, P);
  const kvDim = (c.dim * c.nKvHeads) / c.nHeads;
  return (
    F32 *
    Math.max(
      c.vocabSize * c.dim,
      c.nLayers * c.dim * c.dim,
      c.nLayers * c.hiddenDim * c.dim,
      c.nLayers * P * kvDim,
      B * c.nHeads * P,
      B * c.vocabSize,
    )
  );
}

export class GpuForward {
  readonly config: Config;
  readonly headSize: number;
  readonly maxPositions: number;
  readonly maxBatch: number;
  readonly kernels: Kernels;
  private readonly device: GPUDevice;
  private readonly model: Model;
  private readonly env: GpuEnv;
  private readonly buffers: GPUBuffer[] = [];
  private readonly names: LayerTapNames[];
  private knobs: Knobs;
  private cacheLen = 0;
  private kvDim: number;
  private failure: string | null = null;
  private disposed = false;

  // Weights
  private readonly emb: GPUBuffer;
  private readonly wk: GPUBuffer;
  private readonly wv: GPUBuffer;
  private pooledWk: Float32Array | null = null;
  private pooledWv: Float32Array | null = null;
  // Run state
  private readonly x: GPUBuffer;
  private readonly xb: GPUBuffer;
  private readonly xb2: GPUBuffer;
  private readonly xLast: GPUBuffer;
  private readonly q: GPUBuffer;
  private readonly k: GPUBuffer;
  private readonly v: GPUBuffer;
  private readonly hb: GPUBuffer;
  private readonly hb2: GPUBuffer;
  private readonly hbTap: GPUBuffer;
  private readonly att: GPUBuffer;
  private readonly logitsBuf: GPUBuffer;
  private readonly keyCache: GPUBuffer;
  private readonly valueCache: GPUBuffer;
  private readonly ropeCos: GPUBuffer;
  private readonly ropeSin: GPUBuffer;
  private readonly cosTable: Float32Array;
  private readonly sinTable: Float32Array;
  // Readback
  private readonly logitsStaging: GPUBuffer;
  private allStaging: GPUBuffer | null = null;
  private traceStaging: GPUBuffer | null = null;
  private readonly logits: Float32Array;
  // Ops
  private readonly layers: LayerOps[] = [];
  private readonly ropeQ: RopeOp;
  private readonly ropeK: RopeOp;
  private readonly softmax: SoftmaxOp;
  private readonly residual: ElementwiseOp;
  private readonly ffnAct: ElementwiseOp;
  private readonly ffnActTap: ElementwiseOp;
  private readonly finalNorm: NormOp;
  private readonly classifier: MatmulOp;
  private readonly classifierLast: MatmulOp;

  /** Build everything for `model` on `device`, compile every kernel, apply the knobs. */
  static async create(
    device: GPUDevice,
    model: Model,
    knobs?: Knobs,
    options: WebGpuOptions = {},
  ): Promise<GpuForward> {
    const f = new GpuForward(device, model, options);
    try {
      await f.kernels.prepare(allKernels(model.config.ffn === 'swiglu'));
      f.setKnobs(knobs ?? defaultKnobs(model.config));
    } catch (err) {
      f.dispose();
      throw err;
    }
    return f;
  }

  private constructor(device: GPUDevice, model: Model, options: WebGpuOptions) {
    const c = model.config;
    this.device = device;
    this.model = model;
    this.config = c;
    this.headSize = c.dim / c.nHeads;
    const P = options.maxPositions ?? c.seqLen;
    const B = options.maxBatch ?? 64;
    if (!Number.isInteger(P) || P < 1) {
      throw new SettingsError(`maxPositions must be a positive whole number, got ${P}`);
    }
    if (!Number.isInteger(B) || B < 1) {
      throw new SettingsError(`maxBatch must be a positive whole number, got ${B}`);
    }
    if (c.ffn === 'swiglu' && model.weights.w3 === null) {
      throw new SettingsError('a SwiGLU FFN needs w3 weights, but the model has none');
    }
    this.maxPositions = P;
    this.maxBatch = Math.min(B, P);
    this.names = layerTapNames(c.nLayers);
    this.knobs = defaultKnobs(c);
    this.kvDim = (c.dim * c.nKvHeads) / c.nHeads;
    const kvDimFull = this.kvDim;
    const { dim, hiddenDim: hidden, nLayers: L, vocabSize: V, nHeads } = c;
    const hs = this.headSize;
    const bt = this.maxBatch;

    device.addEventListener('uncapturederror', (e) => {
      this.failure ??= `a GPU command failed: ${(e as GPUUncapturedErrorEvent).error.message}`;
    });

    const w = model.weights;
    const weight = (label: string, data: Float32Array, extra = 0): GPUBuffer => {
      const b = this.buffer(label, data.length, extra);
      writeF32(device.queue, b, data);
      return b;
    };
    this.emb = weight('tokenEmbedding', w.tokenEmbedding, USAGE.COPY_SRC);
    const rmsAtt = weight('rmsAtt', w.rmsAtt);
    const wq = weight('wq', w.wq);
    this.wk = weight('wk', w.wk);
    this.wv = weight('wv', w.wv);
    const wo = weight('wo', w.wo);
    const rmsFfn = weight('rmsFfn', w.rmsFfn);
    const w1 = weight('w1', w.w1);
    const w2 = weight('w2', w.w2);
    const w3 = c.ffn === 'swiglu' ? weight('w3', w.w3!) : null;
    const rmsFinal = weight('rmsFinal', w.rmsFinal);
    const wcls = w.wcls === w.tokenEmbedding ? this.emb : weight('wcls', w.wcls);

    this.x = this.buffer('x', bt * dim, USAGE.COPY_SRC);
    this.xb = this.buffer('xb', bt * dim, USAGE.COPY_SRC);
    this.xb2 = this.buffer('xb2', bt * dim, USAGE.COPY_SRC);
    this.xLast = this.buffer('xLast', dim);
    this.q = this.buffer('q', bt * dim, USAGE.COPY_SRC);
    this.k = this.buffer('k', bt * kvDimFull, USAGE.COPY_SRC);
    this.v = this.buffer('v', bt * kvDimFull, USAGE.COPY_SRC);
    this.hb = this.buffer('hb', bt * hidden, USAGE.COPY_SRC);
    this.hb2 = this.buffer('hb2', c.ffn === 'swiglu' ? bt * hidden : 1, USAGE.COPY_SRC);
    this.hbTap = this.buffer('hbTap', bt * hidden, USAGE.COPY_SRC);
    this.att = this.buffer('att', bt * nHeads * P, USAGE.COPY_SRC);
    this.logitsBuf = this.buffer('logits', bt * V, USAGE.COPY_SRC);
    this.keyCache = this.buffer('keyCache', L * P * kvDimFull);
    this.valueCache = this.buffer('valueCache', L * P * kvDimFull);
    this.cosTable = new Float32Array((P * hs) / 2);
    this.sinTable = new Float32Array((P * hs) / 2);
    this.ropeCos = this.buffer('ropeCos', this.cosTable.length);
    this.ropeSin = this.buffer('ropeSin', this.sinTable.length);
    this.logitsStaging = this.staging('logits staging', V * F32);
    this.logits = new Float32Array(V);

    this.kernels = new Kernels(device, options.workgroups ?? DEFAULT_WORKGROUP_SIZES);
    const params = new ParamArena(device, 12 * L + 16);
    const step = new StepUniform(device);
    this.env = { device, kernels: this.kernels, params, step };
    const env = this.env;

    for (let l = 0; l < L; l++) {
      const lbl = (s: string) => `L${l}.${s}`;
      const shape = this.attnShape(l);
      this.layers.push({
        attnNorm: new NormOp(env, {
          w: rmsAtt,
          wOff: l * dim,
          x: this.x,
          out: this.xb,
          n: dim,
          label: lbl('attn_norm'),
        }),
        wq: new MatmulOp(env, {
          w: wq,
          wOff: l * dim * dim,
          x: this.xb,
          out: this.q,
          d: dim,
          n: dim,
          label: lbl('wq'),
        }),
        wk: new MatmulOp(env, {
          w: this.wk,
          x: this.xb,
          out: this.k,
          d: 1,
          n: dim,
          label: lbl('wk'),
        }),
        wv: new MatmulOp(env, {
          w: this.wv,
          x: this.xb,
          out: this.v,
          d: 1,
          n: dim,
          label: lbl('wv'),
        }),
        scores: new AttnScoresOp(env, {
          q: this.q,
          kCache: this.keyCache,
          att: this.att,
          shape,
          label: lbl('attn_scores'),
        }),
        mix: new AttnMixOp(env, {
          att: this.att,
          vCache: this.valueCache,
          out: this.xb,
          shape,
          label: lbl('attn_mix'),
        }),
        wo: new MatmulOp(env, {
          w: wo,
          wOff: l * dim * dim,
          x: this.xb,
          out: this.xb2,
          residual: this.x,
          d: dim,
          n: dim,
          label: lbl('wo'),
        }),
        ffnNorm: new NormOp(env, {
          w: rmsFfn,
          wOff: l * dim,
          x: this.x,
          out: this.xb,
          n: dim,
          label: lbl('ffn_norm'),
        }),
        w1: new MatmulOp(env, {
          w: w1,
          wOff: l * hidden * dim,
          x: this.xb,
          out: this.hb,
          d: hidden,
          n: dim,
          label: lbl('w1'),
        }),
        w3: w3
          ? new MatmulOp(env, {
              w: w3,
              wOff: l * hidden * dim,
              x: this.xb,
              out: this.hb2,
              d: hidden,
              n: dim,
              label: lbl('w3'),
            })
          : null,
        w2: new MatmulOp(env, {
          w: w2,
          wOff: l * dim * hidden,
          x: this.hb,
          out: this.xb2,
          residual: this.x,
          d: dim,
          n: hidden,
          label: lbl('w2'),
        }),
      });
    }
    const rope = (x: GPUBuffer, width: number, label: string) =>
      new RopeOp(env, { cos: this.ropeCos, sin: this.ropeSin, x, width, headSize: hs, label });
    this.ropeQ = rope(this.q, dim, 'rope q');
    this.ropeK = rope(this.k, kvDimFull, 'rope k');
    this.softmax = new SoftmaxOp(env, { att: this.att, nHeads, seqLen: P, label: 'softmax' });
    this.residual = new ElementwiseOp(env, 'add', {
      inout: this.x,
      other: this.xb2,
      width: dim,
      label: 'residual',
    });
    this.ffnAct = new ElementwiseOp(env, 'ffn_act', {
      inout: this.hb,
      other: this.hb2,
      width: hidden,
      label: 'ffn_act',
    });
    // For the `ffn.act` tap only: act(W1 x) without the gate's product, into a scratch copy.
    this.ffnActTap = new ElementwiseOp(env, 'ffn_act', {
      inout: this.hbTap,
      other: this.hb2,
      width: hidden,
      label: 'ffn_act tap',
    });
    this.finalNorm = new NormOp(env, {
      w: rmsFinal,
      x: this.x,
      out: this.xb,
      n: dim,
      label: 'final_norm',
    });
    this.classifier = new MatmulOp(env, {
      w: wcls,
      x: this.xb,
      out: this.logitsBuf,
      d: V,
      n: dim,
      label: 'classifier',
    });
    this.classifierLast = new MatmulOp(env, {
      w: wcls,
      x: this.xLast,
      out: this.logitsBuf,
      d: V,
      n: dim,
      label: 'classifier last row',
    });
  }

  private buffer(label: string, floats: number, extraUsage = 0): GPUBuffer {
    const b = this.device.createBuffer({
      label,
      size: Math.max(floats, 4) * F32,
      usage: USAGE.STORAGE | USAGE.COPY_DST | extraUsage,
    });
    this.buffers.push(b);
    return b;
  }

  private staging(label: string, bytes: number): GPUBuffer {
    const b = this.device.createBuffer({
      label,
      size: bytes,
      usage: USAGE.MAP_READ | USAGE.COPY_DST,
    });
    this.buffers.push(b);
    return b;
  }

  private attnShape(l: number): AttnShape {
    return {
      nHeads: this.config.nHeads,
      headSize: this.headSize,
      kvDim: this.kvDim,
      seqLen: this.maxPositions,
      kvOff: l * this.maxPositions * this.kvDim,
    };
  }

  getKnobs(): Knobs {
    return { ...this.knobs };
  }

  /**
   * Validate and apply knobs, preparing everything they change once: the RoPE tables (computed
   * with the CPU engine's rope_table, so both backends rotate by the same float32 angles), the
   * pooled K/V weights and every stride that depends on kv_dim, the norm eps. The KV cache is
   * invalidated, as in the CPU engine.
   */
  setKnobs(knobs: Knobs): void {
    this.live();
    validateKnobs(knobs, this.config);
    if (knobs.activation === 'custom') {
      throw new WebGpuError(
        'custom-activation',
        'a custom activation formula runs on the CPU engine only, not on WebGPU',
      );
    }
    const k = { ...knobs };
    const c = this.config;
    const q = this.device.queue;
    ropeTable(
      this.cosTable,
      this.sinTable,
      this.maxPositions,
      this.headSize,
      effectiveRopeBase(k, this.headSize),
      effectivePositionScale(k),
    );
    writeF32(q, this.ropeCos, this.cosTable);
    writeF32(q, this.ropeSin, this.sinTable);

    const g = k.kvGroups;
    const w = this.model.weights;
    if (g === c.nKvHeads) {
      writeF32(q, this.wk, w.wk);
      writeF32(q, this.wv, w.wv);
    } else {
      this.pooledWk ??= new Float32Array(w.wk.length);
      this.pooledWv ??= new Float32Array(w.wv.length);
      const args = [c.nLayers, c.nKvHeads, g, this.headSize, c.dim] as const;
      poolKvWeights(w.wk, this.pooledWk, ...args);
      poolKvWeights(w.wv, this.pooledWv, ...args);
      writeF32(q, this.wk, this.pooledWk);
      writeF32(q, this.wv, this.pooledWv);
    }
    this.kvDim = g * this.headSize;
    const kvDim = this.kvDim;
    this.layers.forEach((ops, l) => {
      ops.wk.setRows(kvDim, l * kvDim * c.dim);
      ops.wv.setRows(kvDim, l * kvDim * c.dim);
      ops.scores.setShape(this.attnShape(l));
      ops.mix.setShape(this.attnShape(l));
      ops.attnNorm.setEps(k.normEps);
      ops.ffnNorm.setEps(k.normEps);
    });
    this.ropeK.setWidth(kvDim);
    this.finalNorm.setEps(k.normEps);
    this.env.params.flush();
    this.knobs = k;
    this.cacheLen = 0;
  }

  get cacheLength(): number {
    return this.cacheLen;
  }

  reset(): void {
    this.cacheLen = 0;
  }

  kvCacheBytes(): number {
    return 2 * F32 * this.config.nLayers * this.maxPositions * this.kvDim;
  }

  /** Why the device can no longer be used, or null while it works. */
  get failed(): string | null {
    return this.failure;
  }

  /** Record why the device can no longer be used (device.lost, a failed submission), in words. */
  markFailed(reason: string): void {
    this.failure ??= reason;
  }

  private live(): void {
    if (this.disposed) throw new Error('this WebGPU backend has been disposed');
    if (this.failure !== null) {
      throw new WebGpuError('lost', this.failure);
    }
  }

  /** The same checks and messages as the CPU engine. */
  private check(tokens: ArrayLike<number>, startPos: number): void {
    const c = this.config;
    const T = tokens.length;
    if (T === 0) throw new SettingsError('no tokens to feed');
    if (!Number.isInteger(startPos) || startPos < 0) {
      throw new SettingsError(`position must be a whole number >= 0, got ${startPos}`);
    }
    if (startPos > this.cacheLen) {
      throw new SettingsError(
        `position ${startPos} skips positions never fed: the KV cache holds ` +
          (this.cacheLen === 0 ? 'nothing yet' : `positions 0..${this.cacheLen - 1}`) +
          ' (changing a knob empties it)',
      );
    }
    if (startPos + T > this.maxPositions) {
      throw new SettingsError(
        `position ${startPos + T - 1} is past the KV cache, which holds ${this.maxPositions} ` +
          `positions (seq_len is ${c.seqLen}); create the backend with a larger maxPositions`,
      );
    }
    for (let i = 0; i < T; i++) {
      const t = tokens[i];
      if (!Number.isInteger(t) || t < 0 || t >= c.vocabSize) {
        throw new TokenizerError(`token id ${t} is not in the vocabulary (0..${c.vocabSize - 1})`);
      }
    }
  }

  /**
   * Feed tokens at positions startPos .. startPos+T-1 (in chunks of maxBatch rows) and return
   * the logits of the last one; `logits` is reused by the next call.
   */
  async run(
    tokens: ArrayLike<number>,
    startPos: number,
    options: RunOptions = {},
  ): Promise<RunResult> {
    this.live();
    const c = this.config;
    const T = tokens.length;
    this.check(tokens, startPos);
    const tracer = options.trace ? new Tracer(options.trace, c.nLayers, T, startPos + T) : null;
    const wantAll = options.allLogits === true || (tracer?.wants('final.logits') ?? false);
    const allLogits = wantAll ? new Float32Array(T * c.vocabSize) : undefined;
    this.cacheLen = Math.min(this.cacheLen, startPos);
    for (let r0 = 0; r0 < T; r0 += this.maxBatch) {
      const rows = Math.min(this.maxBatch, T - r0);
      await this.chunk(
        tokens,
        r0,
        rows,
        startPos + r0,
        tracer,
        allLogits,
        r0 + rows === T,
        options,
      );
    }
    this.cacheLen = startPos + T;
    if (allLogits) {
      tracer?.rows('final.logits', allLogits, 0, T, c.vocabSize);
      this.logits.set(allLogits.subarray((T - 1) * c.vocabSize));
    }
    const result: RunResult = { logits: this.logits };
    if (options.allLogits) result.allLogits = allLogits;
    if (tracer) result.trace = tracer.trace;
    return result;
  }

  /** Floats per fed row of a tap (the attention taps: heads x maxPositions, the att layout). */
  private tapWidth(tap: LayerTap): number {
    const c = this.config;
    switch (tap) {
      case 'attn.k':
      case 'attn.v':
      case 'attn.k_rot':
        return this.kvDim;
      case 'attn.scores':
      case 'attn.probs':
        return c.nHeads * this.maxPositions;
      case 'ffn.gate':
      case 'ffn.act':
      case 'ffn.up':
      case 'ffn.hidden':
        return c.hiddenDim;
      default:
        return c.dim;
    }
  }

  /** Bytes of trace staging a chunk of B rows needs for the taps `tracer` wants. */
  private traceBytes(tracer: Tracer, B: number): number {
    const c = this.config;
    let floats = 0;
    for (const g of ['embed', 'final.norm'] as const) if (tracer.wants(g)) floats += B * c.dim;
    for (const nm of this.names) {
      for (const tap of Object.keys(nm) as LayerTap[]) {
        if (tracer.wants(nm[tap])) floats += B * this.tapWidth(tap);
      }
    }
    return floats * F32;
  }

  private async chunk(
    tokens: ArrayLike<number>,
    row0: number,
    B: number,
    p0: number,
    tr: Tracer | null,
    allLogits: Float32Array | undefined,
    last: boolean,
    options: RunOptions,
  ): Promise<void> {
    const c = this.config;
    const { dim, nHeads } = c;
    const kn = this.knobs;
    const kvDim = this.kvDim;
    const P = this.maxPositions;
    const device = this.device;
    const batched = options.matmul === 'tiled' ? true : options.matmul === 'matvec' ? false : B > 1;
    const norm = kn.norm;
    const activation = kn.activation as ActivationName;
    const gated = c.ffn === 'swiglu';

    // Trace staging: grown (never shrunk) to the largest request seen.
    const taps: TapCopy[] = [];
    let traceUsed = 0;
    if (tr) {
      const need = this.traceBytes(tr, B);
      if (need > 0 && (this.traceStaging === null || this.traceStaging.size < need)) {
        this.traceStaging?.destroy();
        this.traceStaging = device.createBuffer({
          label: 'trace staging',
          size: need,
          usage: USAGE.MAP_READ | USAGE.COPY_DST,
        });
      }
    }

    this.env.params.flush();
    this.env.step.write(p0, B);
    const enc = device.createCommandEncoder({ label: `forward ${p0}..${p0 + B - 1}` });
    for (let r = 0; r < B; r++) {
      const t = tokens[row0 + r];
      enc.copyBufferToBuffer(this.emb, t * dim * F32, this.x, r * dim * F32, dim * F32);
    }
    let pass = enc.beginComputePass();
    // Copy a requested tap into the trace staging buffer: copies go between compute passes.
    const tap = (name: string, buf: GPUBuffer, width: number, kind: 'rows' | 'attn' = 'rows') => {
      if (!tr?.wants(name)) return;
      pass.end();
      const bytes = B * width * F32;
      enc.copyBufferToBuffer(buf, 0, this.traceStaging!, traceUsed, bytes);
      taps.push({ name, byteOffset: traceUsed, kind, width });
      traceUsed += bytes;
      pass = enc.beginComputePass();
    };
    tap('embed', this.x, dim);

    for (let l = 0; l < c.nLayers; l++) {
      const ops = this.layers[l];
      const nm = this.names[l];
      tap(nm['attn_norm.in'], this.x, dim);
      ops.attnNorm.encode(pass, B, norm);
      tap(nm['attn_norm.out'], this.xb, dim);
      ops.wq.encode(pass, B, batched);
      ops.wk.encode(pass, B, batched);
      ops.wv.encode(pass, B, batched);
      tap(nm['attn.q'], this.q, dim);
      tap(nm['attn.k'], this.k, kvDim);
      tap(nm['attn.v'], this.v, kvDim);
      if (kn.rope) {
        this.ropeQ.encode(pass, B);
        this.ropeK.encode(pass, B);
      }
      tap(nm['attn.q_rot'], this.q, dim);
      tap(nm['attn.k_rot'], this.k, kvDim);
      // Store k, v at their positions: cache layout (layer, position, kv_dim).
      pass.end();
      const cacheAt = (l * P + p0) * kvDim * F32;
      enc.copyBufferToBuffer(this.k, 0, this.keyCache, cacheAt, B * kvDim * F32);
      enc.copyBufferToBuffer(this.v, 0, this.valueCache, cacheAt, B * kvDim * F32);
      pass = enc.beginComputePass();
      ops.scores.encode(pass, B, p0 + B);
      tap(nm['attn.scores'], this.att, nHeads * P, 'attn');
      this.softmax.encode(pass, B);
      tap(nm['attn.probs'], this.att, nHeads * P, 'attn');
      ops.mix.encode(pass, B);
      tap(nm['attn.heads'], this.xb, dim);
      // x += Wo heads: fused into the projection unless the tap wants Wo heads on its own.
      if (tr?.wants(nm['attn.out'])) {
        ops.wo.encode(pass, B, batched);
        tap(nm['attn.out'], this.xb2, dim);
        this.residual.encode(pass, B);
      } else {
        ops.wo.encode(pass, B, batched, true);
      }

      tap(nm['ffn_norm.in'], this.x, dim);
      ops.ffnNorm.encode(pass, B, norm);
      tap(nm['ffn_norm.out'], this.xb, dim);
      ops.w1.encode(pass, B, batched);
      tap(nm['ffn.gate'], this.hb, c.hiddenDim);
      if (tr?.wants(nm['ffn.act'])) {
        pass.end();
        enc.copyBufferToBuffer(this.hb, 0, this.hbTap, 0, B * c.hiddenDim * F32);
        pass = enc.beginComputePass();
        this.ffnActTap.encode(pass, B, { activation, gated: false });
        tap(nm['ffn.act'], this.hbTap, c.hiddenDim);
      }
      if (ops.w3) {
        ops.w3.encode(pass, B, batched);
        tap(nm['ffn.up'], this.hb2, c.hiddenDim);
      }
      this.ffnAct.encode(pass, B, { activation, gated });
      tap(nm['ffn.hidden'], this.hb, c.hiddenDim);
      if (tr?.wants(nm['ffn.out'])) {
        ops.w2.encode(pass, B, batched);
        tap(nm['ffn.out'], this.xb2, dim);
        this.residual.encode(pass, B);
      } else {
        ops.w2.encode(pass, B, batched, true);
      }
      tap(nm.resid, this.x, dim);
    }

    this.finalNorm.encode(pass, B, norm);
    tap('final.norm', this.xb, dim);
    const V = c.vocabSize;
    if (allLogits) {
      this.classifier.encode(pass, B, batched);
      pass.end();
      this.allStaging ??= this.staging('all-logits staging', this.maxBatch * V * F32);
      enc.copyBufferToBuffer(this.logitsBuf, 0, this.allStaging, 0, B * V * F32);
    } else if (last) {
      pass.end();
      enc.copyBufferToBuffer(this.xb, (B - 1) * dim * F32, this.xLast, 0, dim * F32);
      pass = enc.beginComputePass();
      this.classifierLast.encode(pass, 1);
      pass.end();
      enc.copyBufferToBuffer(this.logitsBuf, 0, this.logitsStaging, 0, V * F32);
    } else {
      pass.end();
    }
    device.queue.submit([enc.finish()]);

    const maps: Promise<void>[] = [];
    const readLogits = !allLogits && last;
    if (readLogits) maps.push(this.logitsStaging.mapAsync(MAP_MODE_READ));
    if (allLogits) maps.push(this.allStaging!.mapAsync(MAP_MODE_READ, 0, B * V * F32));
    if (traceUsed > 0) maps.push(this.traceStaging!.mapAsync(MAP_MODE_READ, 0, traceUsed));
    if (maps.length === 0) return;
    try {
      await Promise.all(maps);
    } catch (err) {
      // A read-back fails when the device is gone: prefer the device's own account of the loss,
      // which arrives separately (device.lost), over the read-back's generic message.
      const lost = await Promise.race([
        this.device.lost.then((i) => `the GPU device was lost (${i.reason}): ${i.message}`),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 250)),
      ]);
      this.markFailed(lost ?? (err instanceof Error ? err.message : String(err)));
      for (const b of [this.logitsStaging, this.allStaging, this.traceStaging]) {
        if (b?.mapState === 'mapped') b.unmap();
      }
      this.live();
      throw err;
    }
    this.live(); // a validation error during this call means the numbers cannot be trusted
    if (readLogits) {
      this.logits.set(new Float32Array(this.logitsStaging.getMappedRange(0, V * F32)));
      this.logitsStaging.unmap();
    }
    if (allLogits) {
      const rows = new Float32Array(this.allStaging!.getMappedRange(0, B * V * F32));
      allLogits.set(rows, row0 * V);
      this.allStaging!.unmap();
    }
    if (traceUsed > 0) {
      const mapped = this.traceStaging!.getMappedRange(0, traceUsed);
      for (const t of taps) {
        const data = new Float32Array(mapped, t.byteOffset, B * t.width);
        if (t.kind === 'rows') {
          tr!.rows(t.name, data, row0, B, t.width);
        } else {
          for (let r = 0; r < B; r++) {
            for (let h = 0; h < nHeads; h++) {
              tr!.attnRow(t.name, nHeads, h, row0 + r, data, (r * nHeads + h) * P, p0 + r + 1);
            }
          }
        }
      }
      this.traceStaging!.unmap();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.buffers) b.destroy();
    this.traceStaging?.destroy();
    this.env?.params.destroy();
    this.env?.step.destroy();
  }
}
