// Getting a device from an injected GPU object (the browser's navigator.gpu, or in Node the
// `webgpu` package's create([])): the engine never looks for one itself. Failures carry a
// machine-readable `code` (the kind of failure) and a `cause` the page words in the reader's
// language (../backend-reason.ts); `message` is its English sentence.
import { causeText, type Cause } from '../backend-reason.ts';

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
    /** Why, as a code, parameters and the driver's own message (if any). */
    readonly why: Cause,
    options?: { cause?: unknown },
  ) {
    super(causeText(why), options);
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
    throw new WebGpuError('no-api', { code: 'gpu_no_api', params: {} });
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    const why = { code: 'gpu_adapter_failed', params: {}, detail: String(err) } as const;
    throw new WebGpuError('no-adapter', why, { cause: err });
  }
  if (!adapter) {
    throw new WebGpuError('no-adapter', { code: 'gpu_no_adapter', params: {} });
  }
  const limits = adapter.limits;
  const maxBinding = limits.maxStorageBufferBindingSize;
  const maxBuffer = limits.maxBufferSize;
  if (largestBuffer > Math.min(maxBinding, maxBuffer)) {
    throw new WebGpuError('too-large', {
      code: 'gpu_too_large',
      params: {
        need: (largestBuffer / 2 ** 20).toFixed(1),
        max: (Math.min(maxBinding, maxBuffer) / 2 ** 20).toFixed(1),
      },
    });
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      label: 'llama-lab',
      requiredLimits: { maxStorageBufferBindingSize: maxBinding, maxBufferSize: maxBuffer },
    });
  } catch (err) {
    const why = { code: 'gpu_device_refused', params: {}, detail: String(err) } as const;
    throw new WebGpuError('device', why, { cause: err });
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
