// The kernels' parameter structs: the TypeScript table that slots are written through
// (PARAM_STRUCTS, by field name) agrees with every kernel's `struct Params`, field by field; and
// the arena counts slots as they are allocated, adding a buffer when one is full.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  KERNEL_PARAMS,
  PARAMS_BYTES,
  PARAM_STRUCTS,
  ParamArena,
  SLOT_BYTES,
} from '$engine/webgpu/params.ts';

const DIR = fileURLToPath(new URL('../../../src/engine/webgpu/kernels/', import.meta.url));

/** The fields (name, type) of a WGSL `struct Params { ... }`, comments removed. */
function paramsStruct(source: string): [string, string][] | null {
  const m = /struct\s+Params\s*\{([^}]*)\}/.exec(source.replace(/\/\/[^\n]*/g, ''));
  if (!m) return null;
  return m[1]
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .map((f) => f.split(':').map((x) => x.trim()) as [string, string]);
}

describe('kernel parameter structs', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.wgsl'));

  it.each(files)('%s: its struct Params is the TypeScript table, in order', (file) => {
    const fields = paramsStruct(readFileSync(`${DIR}${file}`, 'utf8'));
    const kernel = file.replace(/\.wgsl$/, '') as keyof typeof KERNEL_PARAMS;
    if (fields === null) {
      expect(KERNEL_PARAMS[kernel]).toBeUndefined();
      return;
    }
    const table = Object.entries(PARAM_STRUCTS[KERNEL_PARAMS[kernel]]);
    const named = fields.filter(([n]) => !n.startsWith('_'));
    expect(named).toEqual(table);
    // padding only after the named fields; every field 4 bytes, the whole within the binding
    expect(fields.slice(0, table.length)).toEqual(table);
    expect(fields.slice(table.length).every(([n, t]) => n.startsWith('_') && t === 'u32')).toBe(
      true,
    );
    expect(4 * fields.length).toBeLessThanOrEqual(PARAMS_BYTES);
  });
});

describe('parameter arena', () => {
  function fakeDevice() {
    const buffers: { size: number; destroyed: boolean }[] = [];
    const writes: { buffer: unknown; bytes: number; data: ArrayBuffer }[] = [];
    const device = {
      createBuffer: (d: { size: number }) => {
        const b = { size: d.size, destroyed: false, destroy: () => (b.destroyed = true) };
        buffers.push(b);
        return b;
      },
      queue: {
        writeBuffer: (
          buffer: unknown,
          _off: number,
          data: ArrayBuffer,
          _o: number,
          bytes: number,
        ) => writes.push({ buffer, bytes, data }),
      },
    };
    return { device: device as unknown as GPUDevice, buffers, writes };
  }

  it('counts slots as they are allocated and adds a buffer when one is full', () => {
    const { device, buffers, writes } = fakeDevice();
    const arena = new ParamArena(device, 2);
    const a = arena.alloc('matmul');
    const b = arena.alloc('norm');
    expect(buffers).toHaveLength(1);
    const c = arena.alloc('softmax');
    expect(arena.slots).toBe(3);
    expect(buffers).toHaveLength(2);
    expect([a.offset, b.offset, c.offset]).toEqual([0, SLOT_BYTES, 0]);
    expect(a.buffer).toBe(b.buffer);
    expect(c.buffer).not.toBe(a.buffer);

    // fields land at 4 x their index in the struct, with their WGSL type
    a.set('w_off', 7).set('out_at_pos', 1);
    b.set('eps', 1e-5);
    arena.flush();
    expect(writes).toHaveLength(1); // only the buffer that changed
    const view = new DataView(writes[0].data);
    expect(view.getUint32(8, true)).toBe(7);
    expect(view.getUint32(16, true)).toBe(1);
    expect(view.getFloat32(SLOT_BYTES + 8, true)).toBeCloseTo(1e-5, 12);
    arena.flush();
    expect(writes).toHaveLength(1); // nothing changed since
    arena.destroy();
    expect(buffers.every((x) => x.destroyed)).toBe(true);
  });
});
