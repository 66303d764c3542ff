// rmsnorm: out[t] = w * (x[t] * (1 / sqrt(sum(x[t]^2) / n + eps))), run.c's order, for each of
// the T rows of width n. One workgroup per row: threads stride over the row (coalesced) and a
// tree reduction in workgroup memory makes the sum of squares. out may not alias x.
override WG: u32 = 64; // a power of two

struct Params {
  n: u32, // row width
  w_off: u32, // first element of this layer's gain inside w
  eps: f32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let base = wid.x * p.n;
  var ss = 0.0;
  for (var j = lid; j < p.n; j += WG) {
    let v = x[base + j];
    ss += v * v;
  }
  partial[lid] = ss;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partial[lid] += partial[lid + s];
    }
    workgroupBarrier();
  }
  let scale = 1.0 / sqrt(partial[0] / f32(p.n) + p.eps);
  for (var j = lid; j < p.n; j += WG) {
    out[base + j] = w[p.w_off + j] * (scale * x[base + j]);
  }
}
