// layernorm without bias (the llama2.c format stores only a gain), for each of the T rows of
// width n: out = w * (x - mean) / sqrt(var + eps), population variance mean((x - mean)^2),
// computed in two passes like the CPU op (mean first, then the centred squares) so a large mean
// does not cancel the variance away. One workgroup per row, tree reductions in workgroup memory.
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

// Sum of `v` over the workgroup; every thread gets the result.
fn workgroup_sum(lid: u32, v: f32) -> f32 {
  partial[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partial[lid] += partial[lid + s];
    }
    workgroupBarrier();
  }
  let total = partial[0];
  // Everyone has read partial[0] before the next reduction may overwrite it.
  workgroupBarrier();
  return total;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let base = wid.x * p.n;
  var sum = 0.0;
  for (var j = lid; j < p.n; j += WG) {
    sum += x[base + j];
  }
  let mean = workgroup_sum(lid, sum) / f32(p.n);
  var ss = 0.0;
  for (var j = lid; j < p.n; j += WG) {
    let c = x[base + j] - mean;
    ss += c * c;
  }
  let scale = 1.0 / sqrt(workgroup_sum(lid, ss) / f32(p.n) + p.eps);
  for (var j = lid; j < p.n; j += WG) {
    out[base + j] = w[p.w_off + j] * ((x[base + j] - mean) * scale);
  }
}
