// rope: rotate the interleaved pairs (x[2j], x[2j+1]) of every head of every token row, in
// place, by the angles of the row's position start_pos + t:
//   (x0, x1) -> (x0*c - x1*s, x0*s + x1*c)
// The cos/sin tables (positions, hs/2) are computed once per knob setting on the CPU with the
// CPU engine's rope_table (float32 angles as run.c), so both backends rotate by identical
// numbers; GPU cos/sin of large angles are far less accurate than that.
// One thread per pair; x is (T, width) row-major, width = heads * head_size, or the rows
// start_pos.. of a (positions, width) block when x_at_pos is set (keys rotated in the cache).
override WG: u32 = 64;

struct Params {
  width: u32, // n_heads*hs for q, kv_heads*hs for k
  head_size: u32,
  x_off: u32, // first element of the block of rows (a layer of the key cache)
  x_at_pos: u32, // 1: token row t is row start_pos + t of the block (keys in the cache)
}

struct Step {
  start_pos: u32,
  n_tokens: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> cos_table: array<f32>;
@group(0) @binding(3) var<storage, read> sin_table: array<f32>;
@group(0) @binding(4) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let pair = gid.x;
  let t = gid.y;
  if (pair >= p.width / 2u || t >= step.n_tokens) {
    return;
  }
  let half = p.head_size / 2u;
  let j = pair % half; // pair index inside the head
  let tab = (step.start_pos + t) * half + j;
  let c = cos_table[tab];
  let s = sin_table[tab];
  let row = t + select(0u, step.start_pos, p.x_at_pos == 1u);
  let i = p.x_off + row * p.width + 2u * pair;
  let x0 = x[i];
  let x1 = x[i + 1u];
  x[i] = x0 * c - x1 * s;
  x[i + 1u] = x0 * s + x1 * c;
}
