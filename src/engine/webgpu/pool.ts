// Mean-pooling of K/V heads for the kvGroups knob, done on the CPU once per knob change and
// uploaded. It follows the CPU engine's pooling exactly (each group of nKvHeads/g consecutive kv
// heads averaged, sum in float64 over the group, then divided): the pooled weights are
// bit-identical on both backends. Layout of the result: (layer, g*hs, dim), packed.

export function poolKvWeights(
  src: Float32Array,
  dst: Float32Array,
  nLayers: number,
  nKvHeads: number,
  g: number,
  headSize: number,
  dim: number,
): void {
  const per = nKvHeads / g;
  const kvDimFull = nKvHeads * headSize;
  const kvDim = g * headSize;
  for (let l = 0; l < nLayers; l++) {
    const srcL = l * kvDimFull * dim;
    const dstL = l * kvDim * dim;
    for (let grp = 0; grp < g; grp++) {
      for (let r = 0; r < headSize; r++) {
        const dstRow = dstL + (grp * headSize + r) * dim;
        for (let j = 0; j < dim; j++) {
          let s = 0;
          for (let m = 0; m < per; m++) s += src[srcL + ((grp * per + m) * headSize + r) * dim + j];
          dst[dstRow + j] = s / per;
        }
      }
    }
  }
}
