import { describe, expect, it } from 'vitest';
import { create, globals } from 'webgpu';

describe('software WebGPU adapter', () => {
  it('exists in CI: a missing adapter is a failure, not a skip', async () => {
    Object.assign(globalThis, globals);
    const gpu = create([]);
    const adapter = await gpu.requestAdapter();
    expect(adapter, 'no WebGPU adapter: is chromium (SwiftShader) installed?').not.toBeNull();
    const device = await adapter!.requestDevice();
    expect(device.limits.maxComputeWorkgroupSizeX).toBeGreaterThanOrEqual(64);
    device.destroy();
    // keep `gpu` referenced until the device is gone (dawn.node segfaults otherwise)
    expect(gpu).toBeTruthy();
  });
});
