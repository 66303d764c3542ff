// The WGSL kernels, one per file (imported as text with Vite's `?raw`), and the compute
// pipelines built from them. Pipelines are built lazily, once per (kernel, overrides) pair, and
// cached for the device's lifetime: choosing a norm kind or an activation never compiles twice.
//
// Every kernel's bind group layout is declared here explicitly (not 'auto'), so kernels that
// share a binding shape (rmsnorm/layernorm, the three activations of ffn_act) share one layout
// and a bind group made once works with whichever pipeline the knobs select.
import { SHADER_STAGE_COMPUTE } from './constants.ts';
import addSrc from './kernels/add.wgsl?raw';
import attnMixSrc from './kernels/attn_mix.wgsl?raw';
import attnScoresSrc from './kernels/attn_scores.wgsl?raw';
import ffnActSrc from './kernels/ffn_act.wgsl?raw';
import geluSrc from './kernels/gelu.wgsl?raw';
import layernormSrc from './kernels/layernorm.wgsl?raw';
import matmulSrc from './kernels/matmul.wgsl?raw';
import matmulBatchedSrc from './kernels/matmul_batched.wgsl?raw';
import matmulVec4Src from './kernels/matmul_vec4.wgsl?raw';
import reluSrc from './kernels/relu.wgsl?raw';
import rmsnormSrc from './kernels/rmsnorm.wgsl?raw';
import ropeSrc from './kernels/rope.wgsl?raw';
import siluSrc from './kernels/silu.wgsl?raw';
import softmaxSrc from './kernels/softmax.wgsl?raw';

/** How a kernel sees each binding, in binding order. */
type BindingKind = 'uniform' | 'read' | 'write';

/** Binding shapes; kernels with the same shape share a bind group layout. */
const SHAPES = {
  /** params, W, x, out (rmsnorm, layernorm) */
  uwxo: ['uniform', 'read', 'read', 'write'],
  /** params, step, A, B, out (matmul, matmul_batched, rope, attn_scores, attn_mix) */
  usrro: ['uniform', 'uniform', 'read', 'read', 'write'],
  /** params, step, inout (softmax) */
  uso: ['uniform', 'uniform', 'write'],
  /** params, step, inout, other (add, ffn_act) */
  usor: ['uniform', 'uniform', 'write', 'read'],
} as const satisfies Record<string, readonly BindingKind[]>;

export type ShapeName = keyof typeof SHAPES;

export type KernelName =
  | 'matmul'
  | 'matmul_vec4'
  | 'matmul_batched'
  | 'rmsnorm'
  | 'layernorm'
  | 'rope'
  | 'attn_scores'
  | 'softmax'
  | 'attn_mix'
  | 'ffn_act'
  | 'add';

export type ActivationName = 'silu' | 'gelu' | 'relu';

/** Which build of a kernel: ffn_act's activation and gating. */
export interface KernelVariant {
  activation?: ActivationName;
  gated?: boolean;
  /** matmul, matmul_batched: add into the output (fused residual). */
  accumulate?: boolean;
}

/** Every kernel the forward pass can use, for Kernels.prepare. */
export function allKernels(gated: boolean): [KernelName, KernelVariant?][] {
  return [
    ['matmul'],
    ['matmul', { accumulate: true }],
    ['matmul_vec4'],
    ['matmul_vec4', { accumulate: true }],
    ['matmul_batched'],
    ['matmul_batched', { accumulate: true }],
    ['rmsnorm'],
    ['layernorm'],
    ['rope'],
    ['attn_scores'],
    ['softmax'],
    ['attn_mix'],
    ['add'],
    ...(['silu', 'gelu', 'relu'] as const).map((activation): [KernelName, KernelVariant] => [
      'ffn_act',
      { activation, gated },
    ]),
  ];
}

const KERNELS: Record<KernelName, { source: string; shape: ShapeName }> = {
  matmul: { source: matmulSrc, shape: 'usrro' },
  matmul_vec4: { source: matmulVec4Src, shape: 'usrro' },
  matmul_batched: { source: matmulBatchedSrc, shape: 'usrro' },
  rmsnorm: { source: rmsnormSrc, shape: 'uwxo' },
  layernorm: { source: layernormSrc, shape: 'uwxo' },
  rope: { source: ropeSrc, shape: 'usrro' },
  attn_scores: { source: attnScoresSrc, shape: 'usrro' },
  softmax: { source: softmaxSrc, shape: 'uso' },
  attn_mix: { source: attnMixSrc, shape: 'usrro' },
  ffn_act: { source: ffnActSrc, shape: 'usor' },
  add: { source: addSrc, shape: 'usor' },
};

/** Activation functions spliced in front of ffn_act.wgsl (each defines `fn activation`). */
const ACTIVATIONS: Record<ActivationName, string> = { silu: siluSrc, gelu: geluSrc, relu: reluSrc };

/**
 * Workgroup sizes, the single source of the WGSL `override` constants. 64 threads per workgroup
 * is a multiple of every vendor's SIMD width (32 or 64) and within WebGPU's guaranteed 256.
 */
export interface WorkgroupSizes {
  /** Threads per row for the reductions (matmul, norms, softmax); a power of two, >= 8. */
  row: number;
  /** Threads per workgroup of the elementwise kernels. */
  flat: number;
  /** matmul_batched: threads along weight rows, along token rows, and K columns per slab. */
  tileX: number;
  tileY: number;
  tileK: number;
}

/** For GPUs: enough threads per workgroup to hide memory latency, coalesced 256-byte rows. */
export const DEFAULT_WORKGROUP_SIZES: WorkgroupSizes = {
  row: 64,
  flat: 64,
  tileX: 8,
  tileY: 8,
  tileK: 16,
};

/**
 * For software adapters (SwiftShader, lavapipe: `isFallbackAdapter`), which run each invocation
 * as a CPU fiber: scheduling an invocation (and switching it at every barrier) costs more than
 * the arithmetic it does, so fewer, fatter invocations win. Measured on SwiftShader, decoding
 * the fixture model with these sizes is about 10 times faster than with the GPU defaults. Same
 * kernels, only the launch shape differs; the GPU defaults stay what a real GPU gets.
 */
export const SOFTWARE_WORKGROUP_SIZES: WorkgroupSizes = {
  row: 8,
  flat: 16,
  tileX: 4,
  tileY: 4,
  tileK: 16,
};

/** Output rows of one decode matmul workgroup (`ROWS` in matmul.wgsl). */
export const MATVEC_ROWS = 8;

/** The sizes for an adapter: the GPU defaults, or the software ones for a fallback adapter. */
export function workgroupSizesFor(adapter: { isFallbackAdapter: boolean }): WorkgroupSizes {
  return adapter.isFallbackAdapter ? SOFTWARE_WORKGROUP_SIZES : DEFAULT_WORKGROUP_SIZES;
}

/** Output rows computed by one matmul_batched workgroup along each axis (register block 4). */
export const TILE_BLOCK = 4;

export class Kernels {
  private readonly layouts = new Map<ShapeName, GPUBindGroupLayout>();
  private readonly pipelineLayouts = new Map<ShapeName, GPUPipelineLayout>();
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  constructor(
    readonly device: GPUDevice,
    readonly sizes: WorkgroupSizes = DEFAULT_WORKGROUP_SIZES,
  ) {
    const { row, flat, tileX, tileY } = sizes;
    for (const v of [row, flat]) {
      if (!Number.isInteger(Math.log2(v)))
        throw new Error(`workgroup size ${v} is not a power of two`);
    }
    // matmul.wgsl: thread r < ROWS sums row r's partials, so a row workgroup needs ROWS threads.
    if (row < MATVEC_ROWS) throw new Error(`row workgroups need at least ${MATVEC_ROWS} threads`);
    const limit = device.limits.maxComputeInvocationsPerWorkgroup;
    if (Math.max(row, flat, tileX * tileY) > limit) {
      throw new Error(`workgroup sizes exceed this device's ${limit} invocations per workgroup`);
    }
  }

  layout(shape: ShapeName): GPUBindGroupLayout {
    let l = this.layouts.get(shape);
    if (!l) {
      l = this.device.createBindGroupLayout({
        label: `layout ${shape}`,
        entries: SHAPES[shape].map((kind, binding) => ({
          binding,
          visibility: SHADER_STAGE_COMPUTE,
          buffer: {
            type:
              kind === 'uniform' ? 'uniform' : kind === 'read' ? 'read-only-storage' : 'storage',
          },
        })),
      });
      this.layouts.set(shape, l);
    }
    return l;
  }

  shapeOf(kernel: KernelName): ShapeName {
    return KERNELS[kernel].shape;
  }

  /**
   * Build pipelines ahead of use with createComputePipelineAsync, so a kernel that fails to
   * compile on this device rejects here (with the compiler's messages) instead of invalidating
   * a command buffer later.
   */
  async prepare(list: readonly [KernelName, KernelVariant?][]): Promise<void> {
    for (const [kernel, variant = {}] of list) {
      const key = this.key(kernel, variant);
      if (this.pipelines.has(key)) continue;
      const desc = this.descriptor(kernel, variant);
      try {
        this.pipelines.set(key, await this.device.createComputePipelineAsync(desc));
      } catch (err) {
        const info = await desc.compute.module.getCompilationInfo();
        const msgs = info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
        const why = err instanceof Error ? err.message : String(err);
        throw new Error(`WGSL kernel ${kernel} failed to build: ${msgs || why}`, { cause: err });
      }
    }
  }

  private key(kernel: KernelName, variant: KernelVariant): string {
    return `${kernel}/${variant.activation ?? ''}/${variant.gated ?? ''}/${variant.accumulate ?? false}`;
  }

  /** The pipeline of `kernel` (ffn_act: with `activation` spliced in and GATED set). */
  pipeline(kernel: KernelName, variant: KernelVariant = {}): GPUComputePipeline {
    const key = this.key(kernel, variant);
    let p = this.pipelines.get(key);
    if (!p) {
      p = this.device.createComputePipeline(this.descriptor(kernel, variant));
      this.pipelines.set(key, p);
    }
    return p;
  }

  private descriptor(
    kernel: KernelName,
    variant: KernelVariant,
  ): GPUComputePipelineDescriptor & { compute: { module: GPUShaderModule } } {
    const key = this.key(kernel, variant);
    const { source, shape } = KERNELS[kernel];
    let code = source;
    const constants: Record<string, number> = {};
    const s = this.sizes;
    switch (kernel) {
      case 'matmul_batched':
        Object.assign(constants, { TX: s.tileX, TY: s.tileY, TK: s.tileK });
        constants.ACCUMULATE = variant.accumulate ? 1 : 0;
        break;
      case 'matmul':
      case 'matmul_vec4':
        constants.WG = s.row;
        constants.ACCUMULATE = variant.accumulate ? 1 : 0;
        break;
      case 'rmsnorm':
      case 'layernorm':
      case 'softmax':
        constants.WG = s.row;
        break;
      case 'ffn_act':
        code = ACTIVATIONS[variant.activation ?? 'silu'] + '\n' + source;
        constants.WG = s.flat;
        constants.GATED = variant.gated === false ? 0 : 1;
        break;
      default:
        constants.WG = s.flat;
    }
    let module = this.modules.get(code);
    if (!module) {
      module = this.device.createShaderModule({ label: kernel, code });
      this.modules.set(code, module);
    }
    let pl = this.pipelineLayouts.get(shape);
    if (!pl) {
      pl = this.device.createPipelineLayout({ bindGroupLayouts: [this.layout(shape)] });
      this.pipelineLayouts.set(shape, pl);
    }
    return { label: key, layout: pl, compute: { module, entryPoint: 'main', constants } };
  }
}
