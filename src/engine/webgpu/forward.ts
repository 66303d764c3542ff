// The WebGPU forward pass: the same computation as the CPU engine (cpu/forward.ts), as a
// sequence of WGSL dispatches recorded into one command encoder per call (per token when
// decoding). Everything is allocated once per model (state.ts: weights, run state, KV cache,
// staging; graph.ts: every dispatch site with its parameter slot and bind groups). A call writes
// the 16-byte step uniform, records, submits and maps the logits staging buffer back.
// kv_dim is the width in use under the kvGroups knob (pooled K/V weights are uploaded over the
// model's own and every stride follows), as in the CPU engine.
import { headSize, kvDim } from '../config.ts';
import { checkFeed } from '../feed-check.ts';
import { poolKvWeights } from '../math.ts';
import { fillRopeTable } from '../rope-scaling.ts';
import { SettingsError } from '../errors.ts';
import { lostCause, type Cause } from '../backend-reason.ts';
import { defaultKnobs, validateKnobs } from '../knobs.ts';
import { Tracer, layerTapNames, type LayerTap, type LayerTapNames } from '../trace.ts';
import type { Config, Knobs, Model, Trace, TraceRequest } from '../types.ts';
import { MAP_MODE_READ, USAGE } from './constants.ts';
import { WebGpuError } from './device.ts';
import { ForwardGraph } from './graph.ts';
import {
  DEFAULT_WORKGROUP_SIZES,
  Kernels,
  allKernels,
  type ActivationName,
  type WorkgroupSizes,
} from './kernels.ts';
import type { GpuEnv } from './ops.ts';
import { ParamArena, StepUniform } from './params.ts';
import { F32, GpuState, largestBufferBytes, writeF32 } from './state.ts';

export interface WebGpuOptions {
  /** KV-cache length in positions (default config.seqLen), as CpuOptions.maxPositions. */
  maxPositions?: number;
  /** Rows per prompt chunk (default 64, as the CPU engine). */
  maxBatch?: number;
  /** Workgroup sizes of the kernels (WGSL override constants); default by adapter class. */
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

/** One tap copied into the trace staging buffer during a chunk. */
interface TapCopy {
  name: string;
  byteOffset: number;
  /** 'rows': (rows, width) row-major; 'attn': att layout (rows, heads, maxPositions). */
  kind: 'rows' | 'attn';
  width: number;
}

/** Bytes of the largest buffer `config` needs under `options` (for the device's limits). */
export function largestBuffer(config: Config, options: WebGpuOptions = {}): number {
  return largestBufferBytes(config, options.maxPositions ?? config.seqLen, options.maxBatch ?? 64);
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
  private readonly state: GpuState;
  private readonly graph: ForwardGraph;
  private readonly names: LayerTapNames[];
  private knobs: Knobs;
  private cacheLen = 0;
  private kvDim: number;
  private failure: Cause | null = null;
  private disposed = false;
  private pooledWk: Float32Array | null = null;
  private pooledWv: Float32Array | null = null;
  private readonly cosTable: Float32Array;
  private readonly sinTable: Float32Array;
  private readonly logits: Float32Array;
  private allStaging: GPUBuffer | null = null;
  private traceStaging: GPUBuffer | null = null;

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
    this.headSize = headSize(c);
    const P = options.maxPositions ?? c.seqLen;
    const B = options.maxBatch ?? 64;
    if (!Number.isInteger(P) || P < 1) {
      throw new SettingsError('backend_max_positions', { got: P });
    }
    if (!Number.isInteger(B) || B < 1) {
      throw new SettingsError('backend_max_batch', { got: B });
    }
    if (c.ffn === 'swiglu' && model.weights.w3 === null) {
      throw new SettingsError('backend_no_w3', {});
    }
    this.maxPositions = P;
    this.maxBatch = Math.min(B, P);
    this.names = layerTapNames(c.nLayers);
    this.knobs = defaultKnobs(c);
    this.kvDim = kvDim(c);
    this.cosTable = new Float32Array((P * this.headSize) / 2);
    this.sinTable = new Float32Array((P * this.headSize) / 2);
    this.logits = new Float32Array(c.vocabSize);

    device.addEventListener('uncapturederror', (e) => {
      const detail = (e as GPUUncapturedErrorEvent).error.message;
      this.failure ??= { code: 'gpu_command_failed', params: {}, detail };
    });
    this.kernels = new Kernels(device, options.workgroups ?? DEFAULT_WORKGROUP_SIZES);
    this.state = new GpuState(device, model, P, this.maxBatch);
    this.env = {
      device,
      kernels: this.kernels,
      params: new ParamArena(device),
      step: new StepUniform(device),
    };
    this.graph = new ForwardGraph(this.env, this.state, c, P);
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
      throw new WebGpuError('custom-activation', { code: 'gpu_custom_not_here', params: {} });
    }
    const k = { ...knobs };
    const c = this.config;
    const q = this.device.queue;
    fillRopeTable(
      this.cosTable,
      this.sinTable,
      this.maxPositions,
      this.headSize,
      k,
      this.config.seqLen,
    );
    writeF32(q, this.state.ropeCos, this.cosTable);
    writeF32(q, this.state.ropeSin, this.sinTable);

    const g = k.kvGroups;
    const w = this.model.weights;
    const gw = this.state.weights;
    if (g === c.nKvHeads) {
      writeF32(q, gw.wk, w.wk);
      writeF32(q, gw.wv, w.wv);
    } else {
      this.pooledWk ??= new Float32Array(w.wk.length);
      this.pooledWv ??= new Float32Array(w.wv.length);
      const args = [c.nLayers, c.nKvHeads, g, this.headSize, c.dim] as const;
      poolKvWeights(w.wk, this.pooledWk, ...args);
      poolKvWeights(w.wv, this.pooledWv, ...args);
      writeF32(q, gw.wk, this.pooledWk);
      writeF32(q, gw.wv, this.pooledWv);
    }
    this.kvDim = g * this.headSize;
    this.graph.configure(this.kvDim, k.normEps);
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
  get failed(): Cause | null {
    return this.failure;
  }

  /** Record why the device can no longer be used (device.lost, a failed submission). */
  markFailed(reason: Cause): void {
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
    checkFeed(this.config, tokens, startPos, this.cacheLen, this.maxPositions);
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
    const st = this.state;
    const gr = this.graph;
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
      enc.copyBufferToBuffer(
        st.weights.tokenEmbedding,
        t * dim * F32,
        st.x,
        r * dim * F32,
        dim * F32,
      );
    }
    let pass = enc.beginComputePass();
    // Copy a requested tap into the trace staging buffer: copies go between compute passes.
    const tap = (
      name: string,
      buf: GPUBuffer,
      width: number,
      kind: 'rows' | 'attn' = 'rows',
      srcOffset = 0,
    ) => {
      if (!tr?.wants(name)) return;
      pass.end();
      const bytes = B * width * F32;
      enc.copyBufferToBuffer(buf, srcOffset, this.traceStaging!, traceUsed, bytes);
      taps.push({ name, byteOffset: traceUsed, kind, width });
      traceUsed += bytes;
      pass = enc.beginComputePass();
    };
    tap('embed', st.x, dim);

    for (let l = 0; l < c.nLayers; l++) {
      const ops = gr.layers[l];
      const nm = this.names[l];
      tap(nm['attn_norm.in'], st.x, dim);
      ops.attnNorm.encode(pass, B, norm);
      tap(nm['attn_norm.out'], st.xb, dim);
      // q = Wq xb; k = Wk xb and v = Wv xb go straight to their cache rows: the cache layout
      // is (layer, position, kv_dim), so this chunk's rows are one contiguous block.
      ops.wq.encode(pass, B, batched);
      ops.wk.encode(pass, B, batched);
      ops.wv.encode(pass, B, batched);
      const cacheAt = (l * P + p0) * kvDim * F32;
      tap(nm['attn.q'], st.q, dim);
      tap(nm['attn.k'], st.keyCache, kvDim, 'rows', cacheAt);
      tap(nm['attn.v'], st.valueCache, kvDim, 'rows', cacheAt);
      if (kn.rope) {
        gr.ropeQ.encode(pass, B);
        ops.ropeK.encode(pass, B);
      }
      tap(nm['attn.q_rot'], st.q, dim);
      tap(nm['attn.k_rot'], st.keyCache, kvDim, 'rows', cacheAt);
      ops.scores.encode(pass, B, p0 + B);
      tap(nm['attn.scores'], st.att, nHeads * P, 'attn');
      gr.softmax.encode(pass, B);
      tap(nm['attn.probs'], st.att, nHeads * P, 'attn');
      ops.mix.encode(pass, B);
      tap(nm['attn.heads'], st.xb, dim);
      // x += Wo heads: fused into the projection unless the tap wants Wo heads on its own.
      if (tr?.wants(nm['attn.out'])) {
        ops.wo.encode(pass, B, batched);
        tap(nm['attn.out'], st.xb2, dim);
        gr.residual.encode(pass, B);
      } else {
        ops.wo.encode(pass, B, batched, true);
      }

      tap(nm['ffn_norm.in'], st.x, dim);
      ops.ffnNorm.encode(pass, B, norm);
      tap(nm['ffn_norm.out'], st.xb, dim);
      ops.w1.encode(pass, B, batched);
      tap(nm['ffn.gate'], st.hb, c.hiddenDim);
      if (tr?.wants(nm['ffn.act'])) {
        pass.end();
        enc.copyBufferToBuffer(st.hb, 0, st.hbTap, 0, B * c.hiddenDim * F32);
        pass = enc.beginComputePass();
        gr.ffnActTap.encode(pass, B, { activation, gated: false });
        tap(nm['ffn.act'], st.hbTap, c.hiddenDim);
      }
      if (ops.w3) {
        ops.w3.encode(pass, B, batched);
        tap(nm['ffn.up'], st.hb2, c.hiddenDim);
      }
      gr.ffnAct.encode(pass, B, { activation, gated });
      tap(nm['ffn.hidden'], st.hb, c.hiddenDim);
      if (tr?.wants(nm['ffn.out'])) {
        ops.w2.encode(pass, B, batched);
        tap(nm['ffn.out'], st.xb2, dim);
        gr.residual.encode(pass, B);
      } else {
        ops.w2.encode(pass, B, batched, true);
      }
      tap(nm.resid, st.x, dim);
    }

    gr.finalNorm.encode(pass, B, norm);
    tap('final.norm', st.xb, dim);
    const V = c.vocabSize;
    if (allLogits) {
      gr.classifier.encode(pass, B, batched);
      pass.end();
      this.allStaging ??= st.staging('all-logits staging', this.maxBatch * V * F32);
      enc.copyBufferToBuffer(st.logits, 0, this.allStaging, 0, B * V * F32);
    } else if (last) {
      pass.end();
      enc.copyBufferToBuffer(st.xb, (B - 1) * dim * F32, st.xLast, 0, dim * F32);
      pass = enc.beginComputePass();
      gr.classifierLast.encode(pass, 1);
      pass.end();
      enc.copyBufferToBuffer(st.logits, 0, st.logitsStaging, 0, V * F32);
    } else {
      pass.end();
    }
    device.queue.submit([enc.finish()]);

    const maps: Promise<void>[] = [];
    const readLogits = !allLogits && last;
    if (readLogits) maps.push(st.logitsStaging.mapAsync(MAP_MODE_READ));
    if (allLogits) maps.push(this.allStaging!.mapAsync(MAP_MODE_READ, 0, B * V * F32));
    if (traceUsed > 0) maps.push(this.traceStaging!.mapAsync(MAP_MODE_READ, 0, traceUsed));
    if (maps.length === 0) return;
    try {
      await Promise.all(maps);
    } catch (err) {
      // A read-back fails with an AbortError when the device is lost (the only other cause, a
      // staging buffer destroyed under it, is dispose()). Then the device's own account of the
      // loss (device.lost) is certain to come: wait for it rather than for a timer, and prefer
      // it to the read-back's generic message. Any other failure is reported as it is.
      const lost =
        !this.disposed && isAbortError(err) ? await this.device.lost.then(lostCause) : null;
      const detail = err instanceof Error ? err.message : String(err);
      this.markFailed(lost ?? { code: 'gpu_read_failed', params: {}, detail });
      for (const b of [st.logitsStaging, this.allStaging, this.traceStaging]) {
        if (b?.mapState === 'mapped') b.unmap();
      }
      this.live();
      throw err;
    }
    this.live(); // a validation error during this call means the numbers cannot be trusted
    if (readLogits) {
      this.logits.set(new Float32Array(st.logitsStaging.getMappedRange(0, V * F32)));
      st.logitsStaging.unmap();
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
    this.state?.destroy();
    this.traceStaging?.destroy();
    this.env?.params.destroy();
    this.env?.step.destroy();
  }
}

/** mapAsync rejects with an AbortError (a DOMException) when the device is lost. */
function isAbortError(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError'
  );
}
