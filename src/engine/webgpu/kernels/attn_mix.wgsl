// attn_mix: out[t, h*hs + i] = sum_{s <= start_pos+t} att[t, h, s] * v_cache[s, h / kv_mul, i].
// One thread per output element: neighbouring threads read neighbouring elements of each cache
// row (coalesced) and walk the positions in order, as run.c accumulates them.
override WG: u32 = 64;

struct Params {
  n_heads: u32,
  head_size: u32,
  kv_dim: u32,
  kv_mul: u32,
  seq_len: u32,
  kv_off: u32,
  _pad0: u32,
  _pad1: u32,
}

struct Step {
  start_pos: u32,
  n_tokens: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> att: array<f32>;
@group(0) @binding(3) var<storage, read> v_cache: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let e = gid.x; // h*hs + i
  let t = gid.y;
  let width = p.n_heads * p.head_size;
  if (e >= width || t >= step.n_tokens) {
    return;
  }
  let h = e / p.head_size;
  let i = e % p.head_size;
  let a = (t * p.n_heads + h) * p.seq_len;
  let v = p.kv_off + (h / p.kv_mul) * p.head_size + i;
  let len = step.start_pos + t + 1u;
  var acc = 0.0;
  for (var s = 0u; s < len; s++) {
    acc += att[a + s] * v_cache[v + s * p.kv_dim];
  }
  out[t * width + e] = acc;
}
