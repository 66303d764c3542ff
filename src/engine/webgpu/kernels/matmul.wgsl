// matmul (decode): out[t, i] = sum_j W[i, j] * x[t, j] for i < d rows, j < n columns.
// W is (d, n) row-major, llama2.c's (out_features, in_features) layout.
//
// One workgroup per output row: its WG threads stride over the row together, so neighbouring
// threads read neighbouring weights (coalesced), then a tree reduction in workgroup memory sums
// the partial dot products. Workgroup id y extends x when d exceeds the per-dimension dispatch
// limit (a 32000-row classifier); z is the token row t (1 when decoding).
override WG: u32 = 64; // threads per row; a power of two

struct Params {
  d: u32, // rows of W = output width
  n: u32, // columns of W = input width
  w_off: u32, // first element of this layer's block inside W
  _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * nwg.x;
  let t = wid.z;
  // `row` is the same for the whole workgroup, so this early exit keeps barriers uniform.
  if (row >= p.d) {
    return;
  }
  let wrow = p.w_off + row * p.n;
  let xrow = t * p.n;
  var acc = 0.0;
  for (var j = lid; j < p.n; j += WG) {
    acc += w[wrow + j] * x[xrow + j];
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partial[lid] += partial[lid + s];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    out[t * p.d + row] = partial[0];
  }
}
