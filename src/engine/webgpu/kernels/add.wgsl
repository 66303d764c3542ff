// add: the residual connection, x += y elementwise over n = T * dim values.
override WG: u32 = 64;

struct Params {
  width: u32, // elements per token row (dim)
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

struct Step {
  start_pos: u32,
  n_tokens: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read_write> x: array<f32>;
@group(0) @binding(3) var<storage, read> y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= step.n_tokens * p.width) {
    return;
  }
  x[i] = x[i] + y[i];
}
