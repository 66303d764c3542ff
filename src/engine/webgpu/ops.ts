// GPU ops: each one a dispatch site of a WGSL kernel with its bind groups and parameter slot,
// made once when the model is loaded. `encode(pass, T, ...)` only records a dispatch for T token
// rows: no buffer, bind group or pipeline is created on the hot path. Op names follow the CPU
// ops (src/engine/cpu/ops.ts); one op may pick between kernels (matmul: the workgroup-reduction
// matvec for one row, the tiled matmul_batched for a prompt).
import {
  MATVEC_ROWS,
  TILE_BLOCK,
  type ActivationName,
  type Kernels,
  type ShapeName,
} from './kernels.ts';
import { PARAMS_BYTES, type ParamArena, type ParamSlot, type StepUniform } from './params.ts';

export interface GpuEnv {
  device: GPUDevice;
  kernels: Kernels;
  params: ParamArena;
  step: StepUniform;
}

/** A buffer to bind whole, or a range of it. */
export type Binding = GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number };

function bindGroup(
  env: GpuEnv,
  shape: ShapeName,
  slot: ParamSlot,
  withStep: boolean,
  buffers: Binding[],
  label: string,
): GPUBindGroup {
  const all: Binding[] = [{ buffer: slot.buffer, offset: slot.offset, size: PARAMS_BYTES }];
  if (withStep) all.push({ buffer: env.step.buffer, offset: 0, size: 16 });
  all.push(...buffers);
  return env.device.createBindGroup({
    label,
    layout: env.kernels.layout(shape),
    entries: all.map((b, binding) => ({
      binding,
      // A GPUBuffer has no `buffer` property; a range does.
      resource: 'buffer' in b ? b : { buffer: b },
    })),
  });
}

/** Workgroup counts for `n` workgroups, split over x and y when x alone cannot hold them. */
function grid(env: GpuEnv, n: number): [number, number] {
  const maxX = env.device.limits.maxComputeWorkgroupsPerDimension;
  return n <= maxX ? [Math.max(n, 1), 1] : [maxX, Math.ceil(n / maxX)];
}

/**
 * matmul: out (T, d) = x (T, n) @ W^T, W (d, n) starting at element wOff. T = 1 uses the
 * matvec kernel (workgroup reduction); more rows use matmul_batched (tiled, register-blocked),
 * unless `batched` forces a choice. The matvec reads vec4s (matmul_vec4) when n is a multiple
 * of 4. The kernels share one binding shape, so one bind group serves them all. Options:
 * - `residual`: encode(..., true) adds the product into that buffer instead (x += W xb: the
 *   residual connection fused into the projection);
 * - `outAtPosition`: output row t is written at row start_pos + t of the block starting at
 *   `outOffset` (setRows), so K and V go straight into their KV-cache rows.
 */
export class MatmulOp {
  private readonly slot: ParamSlot<'matmul'>;
  private readonly group: GPUBindGroup;
  private readonly residualGroup: GPUBindGroup | null = null;
  private readonly matvec: 'matmul' | 'matmul_vec4';
  private d = 0;

  constructor(
    private readonly env: GpuEnv,
    o: {
      w: Binding;
      x: Binding;
      out: Binding;
      residual?: Binding;
      d: number;
      n: number;
      wOff?: number;
      outOffset?: number;
      outAtPosition?: boolean;
      /** Use the vec4 matvec (default: when n is a multiple of 4; every offset then is too). */
      vec4?: boolean;
      label: string;
    },
  ) {
    if (o.vec4 && o.n % 4 !== 0) throw new Error(`vec4 matmul needs n % 4 == 0, got n = ${o.n}`);
    this.matvec = (o.vec4 ?? o.n % 4 === 0) ? 'matmul_vec4' : 'matmul';
    this.slot = env.params.alloc('matmul');
    this.slot.set('n', o.n).set('out_at_pos', o.outAtPosition ? 1 : 0);
    this.setRows(o.d, o.wOff ?? 0, o.outOffset ?? 0);
    this.group = bindGroup(env, 'usrro', this.slot, true, [o.w, o.x, o.out], o.label);
    if (o.residual) {
      const b = [o.w, o.x, o.residual];
      this.residualGroup = bindGroup(env, 'usrro', this.slot, true, b, `${o.label} + residual`);
    }
  }

  /**
   * Set the number of output rows, where this layer's weights start and where its output block
   * starts (the K/V width and cache layout under the kvGroups knob).
   */
  setRows(d: number, wOff?: number, outOffset?: number): void {
    this.d = d;
    this.slot.set('d', d);
    if (wOff !== undefined) this.slot.set('w_off', wOff);
    if (outOffset !== undefined) this.slot.set('out_off', outOffset);
  }

  encode(pass: GPUComputePassEncoder, T: number, batched = T > 1, intoResidual = false): void {
    const k = this.env.kernels;
    if (intoResidual && !this.residualGroup) throw new Error('this matmul has no residual target');
    const accumulate = intoResidual;
    pass.setBindGroup(0, intoResidual ? this.residualGroup! : this.group);
    if (!batched) {
      const [x, y] = grid(this.env, Math.ceil(this.d / MATVEC_ROWS));
      pass.setPipeline(k.pipeline(this.matvec, { accumulate }));
      pass.dispatchWorkgroups(x, y, T);
    } else {
      const s = k.sizes;
      pass.setPipeline(k.pipeline('matmul_batched', { accumulate }));
      pass.dispatchWorkgroups(
        Math.ceil(this.d / (s.tileX * TILE_BLOCK)),
        Math.ceil(T / (s.tileY * TILE_BLOCK)),
      );
    }
  }
}

/** rmsnorm or layernorm (chosen per call from the norm knob) of T rows of width n. */
export class NormOp {
  private readonly slot: ParamSlot<'norm'>;
  private readonly group: GPUBindGroup;

  constructor(
    private readonly env: GpuEnv,
    o: { w: Binding; x: Binding; out: Binding; n: number; wOff?: number; label: string },
  ) {
    this.slot = env.params.alloc('norm');
    this.slot.set('n', o.n).set('w_off', o.wOff ?? 0);
    this.group = bindGroup(env, 'uwxo', this.slot, false, [o.w, o.x, o.out], o.label);
  }

  setEps(eps: number): void {
    this.slot.set('eps', eps);
  }

  encode(pass: GPUComputePassEncoder, T: number, kind: 'rmsnorm' | 'layernorm'): void {
    pass.setPipeline(this.env.kernels.pipeline(kind));
    pass.setBindGroup(0, this.group);
    pass.dispatchWorkgroups(T);
  }
}

/**
 * rope: rotate the interleaved pairs of T rows of width `width` at positions start_pos + t.
 * With `atPosition`, the rows are rows start_pos.. of the block at `offset` (keys in the cache).
 */
export class RopeOp {
  private readonly slot: ParamSlot<'rope'>;
  private readonly group: GPUBindGroup;
  private width = 0;

  constructor(
    private readonly env: GpuEnv,
    o: {
      cos: Binding;
      sin: Binding;
      x: Binding;
      width: number;
      headSize: number;
      offset?: number;
      atPosition?: boolean;
      label: string;
    },
  ) {
    this.slot = env.params.alloc('rope');
    this.slot.set('head_size', o.headSize).set('x_at_pos', o.atPosition ? 1 : 0);
    this.setWidth(o.width, o.offset ?? 0);
    this.group = bindGroup(env, 'usrro', this.slot, true, [o.cos, o.sin, o.x], o.label);
  }

  setWidth(width: number, offset?: number): void {
    this.width = width;
    this.slot.set('width', width);
    if (offset !== undefined) this.slot.set('x_off', offset);
  }

  encode(pass: GPUComputePassEncoder, T: number): void {
    pass.setPipeline(this.env.kernels.pipeline('rope'));
    pass.setBindGroup(0, this.group);
    pass.dispatchWorkgroups(Math.ceil(this.width / 2 / this.env.kernels.sizes.flat), T);
  }
}

export interface AttnShape {
  nHeads: number;
  headSize: number;
  /** Row stride of the cache: kv heads in use * headSize. */
  kvDim: number;
  /** Row stride of att (positions held by the cache). */
  seqLen: number;
  /** First element of this layer in the K and V caches. */
  kvOff: number;
}

function writeAttnShape(slot: ParamSlot<'attn'>, a: AttnShape): void {
  slot
    .set('n_heads', a.nHeads)
    .set('head_size', a.headSize)
    .set('kv_dim', a.kvDim)
    .set('kv_mul', a.nHeads / (a.kvDim / a.headSize))
    .set('seq_len', a.seqLen)
    .set('kv_off', a.kvOff);
}

/** attn_scores: att (T, heads, seqLen) = q . k_cache / sqrt(hs), causal, GQA (h / kv_mul). */
export class AttnScoresOp {
  private readonly slot: ParamSlot<'attn'>;
  private readonly group: GPUBindGroup;
  private nHeads = 0;

  constructor(
    private readonly env: GpuEnv,
    o: { q: Binding; kCache: Binding; att: Binding; shape: AttnShape; label: string },
  ) {
    this.slot = env.params.alloc('attn');
    this.setShape(o.shape);
    this.group = bindGroup(env, 'usrro', this.slot, true, [o.q, o.kCache, o.att], o.label);
  }

  setShape(a: AttnShape): void {
    this.nHeads = a.nHeads;
    writeAttnShape(this.slot, a);
  }

  /** `positions` = startPos + T: the causal length of the last row. */
  encode(pass: GPUComputePassEncoder, T: number, positions: number): void {
    pass.setPipeline(this.env.kernels.pipeline('attn_scores'));
    pass.setBindGroup(0, this.group);
    pass.dispatchWorkgroups(Math.ceil(positions / this.env.kernels.sizes.flat), this.nHeads, T);
  }
}

/** softmax of every causal (t, h) row of att, in place. */
export class SoftmaxOp {
  private readonly slot: ParamSlot<'softmax'>;
  private readonly group: GPUBindGroup;

  constructor(
    private readonly env: GpuEnv,
    o: { att: Binding; nHeads: number; seqLen: number; label: string },
  ) {
    this.slot = env.params.alloc('softmax');
    this.slot.set('n_heads', o.nHeads).set('seq_len', o.seqLen);
    this.group = bindGroup(env, 'uso', this.slot, true, [o.att], o.label);
    this.nHeads = o.nHeads;
  }
  private readonly nHeads: number;

  encode(pass: GPUComputePassEncoder, T: number): void {
    pass.setPipeline(this.env.kernels.pipeline('softmax'));
    pass.setBindGroup(0, this.group);
    pass.dispatchWorkgroups(this.nHeads, T);
  }
}

/** attn_mix: out (T, heads*hs) = sum_s att[t, h, s] * v_cache[s, h / kv_mul]. */
export class AttnMixOp {
  private readonly slot: ParamSlot<'attn'>;
  private readonly group: GPUBindGroup;
  private width = 0;

  constructor(
    private readonly env: GpuEnv,
    o: { att: Binding; vCache: Binding; out: Binding; shape: AttnShape; label: string },
  ) {
    this.slot = env.params.alloc('attn');
    this.setShape(o.shape);
    this.group = bindGroup(env, 'usrro', this.slot, true, [o.att, o.vCache, o.out], o.label);
  }

  setShape(a: AttnShape): void {
    this.width = a.nHeads * a.headSize;
    writeAttnShape(this.slot, a);
  }

  encode(pass: GPUComputePassEncoder, T: number): void {
    pass.setPipeline(this.env.kernels.pipeline('attn_mix'));
    pass.setBindGroup(0, this.group);
    pass.dispatchWorkgroups(Math.ceil(this.width / this.env.kernels.sizes.flat), T);
  }
}

/** Elementwise ops over T rows of `width`: add (x += y) and ffn_act (gate = act(gate) [* up]). */
export class ElementwiseOp {
  private readonly slot: ParamSlot<'elementwise'>;
  private readonly group: GPUBindGroup;

  constructor(
    private readonly env: GpuEnv,
    private readonly kernel: 'add' | 'ffn_act',
    o: { inout: Binding; other: Binding; width: number; label: string },
  ) {
    this.slot = env.params.alloc('elementwise');
    this.slot.set('width', o.width);
    this.width = o.width;
    this.group = bindGroup(env, 'usor', this.slot, true, [o.inout, o.other], o.label);
  }
  private readonly width: number;

  encode(
    pass: GPUComputePassEncoder,
    T: number,
    variant: { activation?: ActivationName; gated?: boolean } = {},
  ): void {
    pass.setPipeline(this.env.kernels.pipeline(this.kernel, variant));
    pass.setBindGroup(0, this.group);
    const [x, y] = grid(this.env, Math.ceil((T * this.width) / this.env.kernels.sizes.flat));
    pass.dispatchWorkgroups(x, y);
  }
}
