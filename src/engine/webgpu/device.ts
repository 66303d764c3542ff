// Getting a device from an injected GPU object (the browser's navigator.gpu, or in Node the
// `webgpu` package's create([])): the engine never looks for one itself. Failures carry a
// machine-readable `code` and a sentence for the UI.

export type WebGpuFailure =
  | 'no-api' // no GPU object at all
  | 'no-adapter' // requestAdapter() gave null
  | 'device' // requestDevice() failed
  | 'too-large' // the model needs bigger buffers than the device allows
  | 'kernel' // a WGSL kernel failed to build
  | 'self-test' // the start-up comparison with the CPU engine failed
  | 'lost' // the device was lost or a submission failed
  | 'custom-activation' // a reader's formula, which runs on the CPU engine only
  | 'software-adapter'; // 'auto' found only a software adapter, slower than the CPU engine

export class WebGpuError extends Error {
  constructor(
    readonly code: WebGpuFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WebGpuError';
  }
}

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  description: string;
  /** A software adapter (SwiftShader, lavapipe): correct but slow. */
  isFallbackAdapter: boolean;
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapter: AdapterDescription;
}

/**
 * Ask `gpu` for a high-performance adapter and a device whose storage-buffer limits are the
 * adapter's own maxima (the defaults, 128 MiB per binding, are too small for a 32000 x 768
 * classifier in some models). `largestBuffer` is checked against them before anything is made.
 */
export async function acquireDevice(
  gpu: GPU | undefined | null,
  largestBuffer: number,
): Promise<AcquiredDevice> {
  if (!gpu || typeof gpu.requestAdapter !== 'function') {
    throw new WebGpuError('no-api', 'this browser has no WebGPU API (navigator.gpu is missing)');
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    throw new WebGpuError('no-adapter', `requesting a WebGPU adapter failed: ${String(err)}`, {
      cause: err,
    });
  }
  if (!adapter) {
    throw new WebGpuError(
      'no-adapter',
      'WebGPU is present but offers no adapter (no usable GPU, or WebGPU is disabled)',
    );
  }
  const limits = adapter.limits;
  const maxBinding = limits.maxStorageBufferBindingSize;
  const maxBuffer = limits.maxBufferSize;
  if (largestBuffer > Math.min(maxBinding, maxBuffer)) {
    throw new WebGpuError(
      'too-large',
      `the model needs a ${(largestBuffer / 2 ** 20).toFixed(1)} MiB GPU buffer, but this GPU ` +
        `allows at most ${(Math.min(maxBinding, maxBuffer) / 2 ** 20).toFixed(1)} MiB`,
    );
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      label: 'llama-lab',
      requiredLimits: { maxStorageBufferBindingSize: maxBinding, maxBufferSize: maxBuffer },
    });
  } catch (err) {
    throw new WebGpuError('device', `the WebGPU adapter refused a device: ${String(err)}`, {
      cause: err,
    });
  }
  const info = adapter.info;
  return {
    device,
    adapter: {
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      description: info?.description ?? '',
      isFallbackAdapter: info?.isFallbackAdapter ?? false,
    },
  };
}
