// relu: max(x, 0). Spliced into ffn_act.wgsl as `activation`.
fn activation(x: f32) -> f32 {
  return max(x, 0.0);
}
