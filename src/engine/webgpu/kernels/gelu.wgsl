// gelu, the exact form x * Phi(x) = x * (1 + erf(x / sqrt 2)) / 2, with erf by Abramowitz &
// Stegun 7.1.26 term by term as the CPU op computes it (absolute error below 1.5e-7). WGSL has
// no erf, and the tanh approximation would differ from the CPU engine by about 1e-3.
// Spliced into ffn_act.wgsl as `activation`.
fn erf_as(x: f32) -> f32 {
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t +
    0.254829592) * t;
  let y = 1.0 - poly * exp(-a * a);
  return select(y, -y, x < 0.0);
}

fn activation(x: f32) -> f32 {
  return 0.5 * x * (1.0 + erf_as(x * 0.70710678118654752));
}
