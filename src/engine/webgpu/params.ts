// Kernel parameters live in uniform buffers: each dispatch site owns a 256-byte slot (WebGPU's
// largest minUniformBufferOffsetAlignment) holding its Params struct, bound with an offset. Slots are written on the CPU side and uploaded in one writeBuffer when something
// changed (model creation, a knob change), never per token. The per-call values (start_pos,
// n_tokens) live in the separate, tiny `step` uniform written once per forward call.
import { USAGE } from './constants.ts';

export const SLOT_BYTES = 256;
/** Bytes bound per slot: the largest Params struct (8 x 4 bytes). */
export const PARAMS_BYTES = 32;

/**
 * The `struct Params` of each kernel family, field by field in WGSL order (every field 4 bytes,
 * so field i sits at byte 4 i), with its WGSL type. Slots are written by field name through
 * these; a unit test parses every kernel's `struct Params` and checks it against this table, so
 * the TypeScript side and the kernel source cannot drift apart.
 */
export const PARAM_STRUCTS = {
  matmul: { d: 'u32', n: 'u32', w_off: 'u32', out_off: 'u32', out_at_pos: 'u32' },
  norm: { n: 'u32', w_off: 'u32', eps: 'f32' },
  rope: { width: 'u32', head_size: 'u32', x_off: 'u32', x_at_pos: 'u32' },
  attn: {
    n_heads: 'u32',
    head_size: 'u32',
    kv_dim: 'u32',
    kv_mul: 'u32',
    seq_len: 'u32',
    kv_off: 'u32',
  },
  softmax: { n_heads: 'u32', seq_len: 'u32' },
  elementwise: { width: 'u32' },
} as const satisfies Record<string, Record<string, 'u32' | 'f32'>>;

export type ParamStruct = keyof typeof PARAM_STRUCTS;

/** Which Params struct each kernel file declares (kernels without parameters are absent). */
export const KERNEL_PARAMS = {
  matmul: 'matmul',
  matmul_vec4: 'matmul',
  matmul_batched: 'matmul',
  rmsnorm: 'norm',
  layernorm: 'norm',
  rope: 'rope',
  attn_scores: 'attn',
  attn_mix: 'attn',
  softmax: 'softmax',
  add: 'elementwise',
  ffn_act: 'elementwise',
} as const satisfies Record<string, ParamStruct>;

/** Byte offset of each field of each struct, from PARAM_STRUCTS. */
const OFFSETS = Object.fromEntries(
  Object.entries(PARAM_STRUCTS).map(([name, fields]) => [
    name,
    Object.fromEntries(Object.keys(fields).map((f, i) => [f, 4 * i])),
  ]),
) as { [S in ParamStruct]: { [F in keyof (typeof PARAM_STRUCTS)[S]]: number } };

/** One dispatch site's Params, written by field name. */
export class ParamSlot<S extends ParamStruct = ParamStruct> {
  constructor(
    private readonly chunk: ParamChunk,
    /** Byte offset of the slot inside its buffer. */
    readonly offset: number,
    readonly struct: S,
  ) {}

  set(field: keyof (typeof PARAM_STRUCTS)[S] & string, value: number): this {
    const at = this.offset + (OFFSETS[this.struct] as Record<string, number>)[field];
    const type = (PARAM_STRUCTS[this.struct] as Record<string, 'u32' | 'f32'>)[field];
    if (type === 'f32') this.chunk.view.setFloat32(at, value, true);
    else this.chunk.view.setUint32(at, value, true);
    this.chunk.dirty = true;
    return this;
  }

  get buffer(): GPUBuffer {
    return this.chunk.buffer;
  }
}

interface ParamChunk {
  buffer: GPUBuffer;
  view: DataView;
  used: number;
  dirty: boolean;
}

/**
 * Every kernel's parameters, in uniform buffers of `slotsPerBuffer` 256-byte slots: a new buffer
 * is added when one is full, so nobody has to count the slots a graph will need beforehand;
 * `slots` counts them as they are allocated.
 */
export class ParamArena {
  private readonly chunks: ParamChunk[] = [];
  private count = 0;

  constructor(
    private readonly device: GPUDevice,
    readonly slotsPerBuffer = 64,
  ) {}

  /** Slots allocated so far. */
  get slots(): number {
    return this.count;
  }

  alloc<S extends ParamStruct>(struct: S): ParamSlot<S> {
    let chunk = this.chunks.at(-1);
    if (!chunk || chunk.used === this.slotsPerBuffer) {
      const bytes = this.slotsPerBuffer * SLOT_BYTES;
      chunk = {
        buffer: this.device.createBuffer({
          label: `kernel params ${this.chunks.length}`,
          size: bytes,
          usage: USAGE.UNIFORM | USAGE.COPY_DST,
        }),
        view: new DataView(new ArrayBuffer(bytes)),
        used: 0,
        dirty: false,
      };
      this.chunks.push(chunk);
    }
    this.count++;
    return new ParamSlot(chunk, SLOT_BYTES * chunk.used++, struct);
  }

  /** Upload the buffers whose slots changed since the last flush. */
  flush(): void {
    for (const c of this.chunks) {
      if (!c.dirty) continue;
      this.device.queue.writeBuffer(c.buffer, 0, c.view.buffer, 0, c.used * SLOT_BYTES);
      c.dirty = false;
    }
  }

  destroy(): void {
    for (const c of this.chunks) c.buffer.destroy();
  }
}

/** The per-call uniform: where this pass's tokens sit. */
export class StepUniform {
  readonly buffer: GPUBuffer;
  private readonly data = new Uint32Array(4);

  constructor(private readonly device: GPUDevice) {
    this.buffer = device.createBuffer({
      label: 'step',
      size: 16,
      usage: USAGE.UNIFORM | USAGE.COPY_DST,
    });
  }

  write(startPos: number, nTokens: number): void {
    this.data[0] = startPos;
    this.data[1] = nTokens;
    this.device.queue.writeBuffer(this.buffer, 0, this.data);
  }

  destroy(): void {
    this.buffer.destroy();
  }
}
