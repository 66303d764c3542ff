// silu (swish): x * sigmoid(x) = x / (1 + exp(-x)). For very negative x, exp(-x) overflows to
// +inf and the quotient is -0, the right limit. Spliced into ffn_act.wgsl as `activation`.
fn activation(x: f32) -> f32 {
  return x / (1.0 + exp(-x));
}
