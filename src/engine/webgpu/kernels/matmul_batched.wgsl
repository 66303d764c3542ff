// matmul_batched (prompt pass): out (T, d) = X (T, n) @ W^T, W (d, n) row-major.
//
// Tiled and register-blocked: a workgroup of TX x TY threads computes a (TY*4) x (TX*4) tile of
// out (token rows x weight rows), each thread a 4 x 4 block held in registers. The K dimension
// is walked in slabs of TK columns: the workgroup first copies the X slab (TY*4 x TK) and the W
// slab (TX*4 x TK) into workgroup memory, reading along rows so neighbouring threads load
// neighbouring floats (coalesced), then every thread does 4 x 4 multiply-adds per column from
// workgroup memory. Each weight loaded from global memory is reused by TY*4 token rows.
override TX: u32 = 8; // threads along the weight rows (output columns)
override TY: u32 = 8; // threads along the token rows
override TK: u32 = 16; // columns of K per slab

// true: out += X W^T, the residual connection fused into the projection (Wo, W2).
override ACCUMULATE: bool = false;

const R: u32 = 4u; // register block: 4 token rows x 4 weight rows per thread

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

// Written once per forward call: the tokens of this pass sit at positions start_pos.. .
struct Step {
  start_pos: u32,
  n_tokens: u32, // T: token rows in X and out
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

var<workgroup> xs: array<f32, TY * R * TK>; // (TY*4, TK)
var<workgroup> ws: array<f32, TX * R * TK>; // (TX*4, TK)

@compute @workgroup_size(TX, TY)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid3: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let row0 = wid.y * TY * R; // first token row of the tile
  let col0 = wid.x * TX * R; // first weight row of the tile
  let nthreads = TX * TY;
  // The 4 x 4 block in four vec4 registers: acc_i holds token row i, weight rows 0..3.
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  let xa = lid3.y * R * TK; // this thread's first token row in xs
  let wa = lid3.x * R * TK; // this thread's first weight row in ws
  for (var k0 = 0u; k0 < p.n; k0 += TK) {
    // Cooperative, coalesced loads of both slabs; out-of-range elements are zero.
    for (var e = lid; e < TY * R * TK; e += nthreads) {
      let r = row0 + e / TK;
      let k = k0 + e % TK;
      var v = 0.0;
      if (r < step.n_tokens && k < p.n) {
        v = x[r * p.n + k];
      }
      xs[e] = v;
    }
    for (var e = lid; e < TX * R * TK; e += nthreads) {
      let c = col0 + e / TK;
      let k = k0 + e % TK;
      var v = 0.0;
      if (c < p.d && k < p.n) {
        v = w[p.w_off + c * p.n + k];
      }
      ws[e] = v;
    }
    workgroupBarrier();
    for (var k = 0u; k < TK; k++) {
      let a = vec4f(xs[xa + k], xs[xa + TK + k], xs[xa + 2u * TK + k], xs[xa + 3u * TK + k]);
      let b = vec4f(ws[wa + k], ws[wa + TK + k], ws[wa + 2u * TK + k], ws[wa + 3u * TK + k]);
      acc0 += a.x * b;
      acc1 += a.y * b;
      acc2 += a.z * b;
      acc3 += a.w * b;
    }
    workgroupBarrier();
  }
  let acc = array<vec4f, 4>(acc0, acc1, acc2, acc3);
  let out_row0 = select(0u, step.start_pos, p.out_at_pos == 1u);
  for (var i = 0u; i < R; i++) {
    let r = row0 + lid3.y * R + i;
    if (r < step.n_tokens) {
      for (var j = 0u; j < R; j++) {
        let c = col0 + lid3.x * R + j;
        if (c < p.d) {
          let o = p.out_off + (out_row0 + r) * p.d + c;
          if (ACCUMULATE) {
            out[o] = out[o] + acc[i][j];
          } else {
            out[o] = acc[i][j];
          }
        }
      }
    }
  }
}
