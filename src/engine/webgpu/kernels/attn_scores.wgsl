// attn_scores: for every token row t, query head h and cache position s <= start_pos + t
// (causal), att[t, h, s] = (q[t, h] . k_cache[s, h / kv_mul]) / sqrt(hs).
// Consecutive query heads share a K/V head (grouped-query attention, run.c's h / kv_mul).
// One thread per (s, h, t); positions past the causal limit are left untouched (softmax and
// attn_mix never read them). q is (T, n_heads*hs); the cache layer is (seq_len, kv_dim) starting
// at kv_off; att is (T, n_heads, seq_len).
override WG: u32 = 64;

struct Params {
  n_heads: u32,
  head_size: u32,
  kv_dim: u32, // row stride of the cache = kv heads in use * hs
  kv_mul: u32, // query heads per K/V head
  seq_len: u32, // row stride of att
  kv_off: u32, // first element of this layer inside the cache
  _pad0: u32,
  _pad1: u32,
}

struct Step {
  start_pos: u32,
  n_tokens: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> q: array<f32>;
@group(0) @binding(3) var<storage, read> k_cache: array<f32>;
@group(0) @binding(4) var<storage, read_write> att: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let s = gid.x;
  let h = gid.y;
  let t = gid.z;
  if (t >= step.n_tokens || h >= p.n_heads || s > step.start_pos + t) {
    return;
  }
  let qi = t * p.n_heads * p.head_size + h * p.head_size;
  let ki = p.kv_off + s * p.kv_dim + (h / p.kv_mul) * p.head_size;
  var dot = 0.0;
  for (var i = 0u; i < p.head_size; i++) {
    dot += q[qi + i] * k_cache[ki + i];
  }
  att[(t * p.n_heads + h) * p.seq_len + s] = dot / sqrt(f32(p.head_size));
}
