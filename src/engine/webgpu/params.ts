// Kernel parameters live in one preallocated uniform buffer: each dispatch site owns a 256-byte
// slot (WebGPU's largest minUniformBufferOffsetAlignment) holding its Params struct, bound with
// an offset. Slots are written on the CPU side and uploaded in one writeBuffer when something
// changed (model creation, a knob change), never per token. The per-call values (start_pos,
// n_tokens) live in the separate, tiny `step` uniform written once per forward call.
import { USAGE } from './constants.ts';

export const SLOT_BYTES = 256;
/** Bytes of a Params struct as bound (the largest kernel struct is 8 x u32). */
export const PARAMS_BYTES = 32;

export class ParamSlot {
  constructor(
    private readonly arena: ParamArena,
    readonly offset: number,
  ) {}
  u32(index: number, value: number): this {
    this.arena.view.setUint32(this.offset + 4 * index, value, true);
    this.arena.dirty = true;
    return this;
  }
  f32(index: number, value: number): this {
    this.arena.view.setFloat32(this.offset + 4 * index, value, true);
    this.arena.dirty = true;
    return this;
  }
  get buffer(): GPUBuffer {
    return this.arena.buffer;
  }
}

export class ParamArena {
  readonly buffer: GPUBuffer;
  readonly view: DataView;
  dirty = false;
  private used = 0;

  constructor(
    private readonly device: GPUDevice,
    readonly capacity: number,
  ) {
    this.buffer = device.createBuffer({
      label: 'kernel params',
      size: capacity * SLOT_BYTES,
      usage: USAGE.UNIFORM | USAGE.COPY_DST,
    });
    this.view = new DataView(new ArrayBuffer(capacity * SLOT_BYTES));
  }

  alloc(): ParamSlot {
    if (this.used >= this.capacity) {
      throw new Error(`kernel parameter arena is full (${this.capacity} slots)`);
    }
    return new ParamSlot(this, SLOT_BYTES * this.used++);
  }

  /** Upload the slots if any changed since the last flush. */
  flush(): void {
    if (!this.dirty) return;
    this.device.queue.writeBuffer(this.buffer, 0, this.view.buffer, 0, this.used * SLOT_BYTES);
    this.dirty = false;
  }

  destroy(): void {
    this.buffer.destroy();
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
