// softmax over the causal scores of every (t, h) row of att, in place: positions
// 0..start_pos+t, p = exp(s - max s) / sum (max-subtracted as run.c). One workgroup per row,
// threads stride over the positions (coalesced), tree reductions for the max and the sum.
override WG: u32 = 64; // a power of two

struct Params {
  n_heads: u32,
  seq_len: u32, // row stride of att
  _pad0: u32,
  _pad1: u32,
}

struct Step {
  start_pos: u32,
  n_tokens: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read_write> att: array<f32>;

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let h = wid.x;
  let t = wid.y;
  let len = step.start_pos + t + 1u; // causal: this row sees positions 0..start_pos+t
  let base = (t * p.n_heads + h) * p.seq_len;

  var m = att[base]; // every row has at least position 0
  for (var s = lid; s < len; s += WG) {
    m = max(m, att[base + s]);
  }
  partial[lid] = m;
  workgroupBarrier();
  for (var r = WG / 2u; r > 0u; r >>= 1u) {
    if (lid < r) {
      partial[lid] = max(partial[lid], partial[lid + r]);
    }
    workgroupBarrier();
  }
  let row_max = partial[0];
  workgroupBarrier();

  var sum = 0.0;
  for (var s = lid; s < len; s += WG) {
    let e = exp(att[base + s] - row_max);
    att[base + s] = e;
    sum += e;
  }
  partial[lid] = sum;
  workgroupBarrier();
  for (var r = WG / 2u; r > 0u; r >>= 1u) {
    if (lid < r) {
      partial[lid] += partial[lid + r];
    }
    workgroupBarrier();
  }
  let total = partial[0];
  for (var s = lid; s < len; s += WG) {
    att[base + s] = att[base + s] / total;
  }
}
