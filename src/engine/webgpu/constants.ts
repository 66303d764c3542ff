// WebGPU's numeric flags, fixed by the specification. Spelled out here so the engine also runs
// where the GPUBufferUsage / GPUShaderStage / GPUMapMode globals are not installed (Node with the
// `webgpu` package's `create()` alone, a Worker without them).
export const USAGE = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const SHADER_STAGE_COMPUTE = 0x4;
export const MAP_MODE_READ = 0x0001;
