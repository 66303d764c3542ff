// ffn_act: the nonlinearity of the feed-forward block, in place on the gate rows (T, hidden):
//   GATED (swiglu and its GLU cousins): gate = activation(gate) * up    (run.c: silu(w1 x) * w3 x)
//   not GATED (plain mlp):              gate = activation(gate)
// `activation` comes from silu.wgsl, gelu.wgsl or relu.wgsl, prepended to this source when the
// pipeline is built, so each activation lives in one file named like the CPU op.
override WG: u32 = 64;
override GATED: bool = true;

struct Params {
  width: u32, // elements per token row (hidden)
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
@group(0) @binding(2) var<storage, read_write> gate: array<f32>;
@group(0) @binding(3) var<storage, read> up: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= step.n_tokens * p.width) {
    return;
  }
  var v = activation(gate[i]);
  if (GATED) {
    v = v * up[i];
  }
  gate[i] = v;
}
