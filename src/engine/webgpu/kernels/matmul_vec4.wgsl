// matmul (decode), vec4 loads: out[t, i] = sum_j W[i, j] * x[t, j] for i < d rows, j < n
// columns, when n is a multiple of 4 (every llama2.c model so far). W is (d, n) row-major,
// llama2.c's (out_features, in_features) layout, read as vec4: each thread loads 16 bytes per
// row per step and neighbouring threads neighbouring 16 bytes (the widest coalesced access), a
// quarter of the load instructions of matmul.wgsl, which handles any n.
//
// A workgroup of WG threads computes ROWS consecutive output rows. Its threads stride over the
// columns together, so at each step neighbouring threads read neighbouring floats of a weight
// row (coalesced) and each loaded x[j] is reused for all ROWS rows from a register. Each thread
// then holds ROWS partial dot products; after one barrier, thread r sums the WG partials of row r
// from workgroup memory. Workgroup id y extends x when the row blocks exceed the per-dimension
// dispatch limit (a 32000-row classifier); z is the token row t (1 when decoding). K and V
// projections write straight into their KV-cache rows (out_off, out_at_pos).
override WG: u32 = 64; // threads per workgroup; at least ROWS
const ROWS: u32 = 8u; // output rows per workgroup (fixed: two vec4 accumulators)
// true: out += W x, the residual connection fused into the projection (Wo, W2), saving the
// separate `add` dispatch; the sum is rounded to float32 before the add, as add would see it.
override ACCUMULATE: bool = false;

struct Params {
  d: u32, // rows of W = output width
  n: u32, // columns of W = input width
  w_off: u32, // first element of this layer's block inside W
  out_off: u32, // first element of the output block (a layer of the KV cache)
  out_at_pos: u32, // 1: output row t goes to row start_pos + t (K/V straight into the cache)
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
@group(0) @binding(2) var<storage, read> w: array<vec4f>;
@group(0) @binding(3) var<storage, read> x: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

var<workgroup> partial: array<f32, ROWS * WG>; // (ROWS, WG)

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let row0 = (wid.x + wid.y * nwg.x) * ROWS;
  let t = wid.z;
  let n4 = p.n / 4u;
  let xrow = t * n4;
  // Rows past d (the last, partial block) are clamped for reading and never written. The eight
  // accumulators are two vec4 registers (no dynamically indexed private array).
  var b: array<u32, ROWS>;
  for (var r = 0u; r < ROWS; r++) {
    b[r] = (p.w_off + min(row0 + r, p.d - 1u) * p.n) / 4u;
  }
  let b0 = b[0]; let b1 = b[1]; let b2 = b[2]; let b3 = b[3];
  let b4 = b[4]; let b5 = b[5]; let b6 = b[6]; let b7 = b[7];
  var lo = vec4f(0.0);
  var hi = vec4f(0.0);
  for (var j = lid; j < n4; j += WG) {
    let xj = x[xrow + j];
    lo += vec4f(dot(w[b0 + j], xj), dot(w[b1 + j], xj), dot(w[b2 + j], xj), dot(w[b3 + j], xj));
    hi += vec4f(dot(w[b4 + j], xj), dot(w[b5 + j], xj), dot(w[b6 + j], xj), dot(w[b7 + j], xj));
  }
  for (var r = 0u; r < 4u; r++) {
    partial[r * WG + lid] = lo[r];
    partial[(r + 4u) * WG + lid] = hi[r];
  }
  workgroupBarrier();
  if (lid < ROWS && row0 + lid < p.d) {
    var sum = 0.0;
    for (var i = 0u; i < WG; i++) {
      sum += partial[lid * WG + i];
    }
    let o = p.out_off + (t + select(0u, step.start_pos, p.out_at_pos == 1u)) * p.d + row0 + lid;
    if (ACCUMULATE) {
      out[o] = out[o] + sum;
    } else {
      out[o] = sum;
    }
  }
}
