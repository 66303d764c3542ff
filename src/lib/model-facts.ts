// The loaded model's architecture in words, for prose that must follow the model (a lab that
// says "trained with grouped-query attention" next to a multi-head model would be wrong).
import type { Config } from '../engine/types.ts';

export interface Architecture {
  /** 'RMSNorm' or 'LayerNorm'. */
  norm: string;
  /** 'SwiGLU', 'GeGLU', 'ReGLU' (gated) or 'a GELU MLP' etc. */
  ffn: string;
  /** The gate's (or the MLP's) nonlinearity: 'SiLU', 'GELU', 'ReLU'. */
  activation: string;
  /** 'RoPE' or 'no position encoding (NoPE)'. */
  position: string;
  /** 'multi-head attention', 'multi-query attention' or 'grouped-query attention'. */
  attention: string;
  /** The heads in numbers: '8 query heads sharing 2 K/V heads'. */
  heads: string;
  nHeads: number;
  nKvHeads: number;
}

const ACT: Record<string, string> = { silu: 'SiLU', gelu: 'GELU', relu: 'ReLU', custom: 'custom' };
const GATED: Record<string, string> = { silu: 'SwiGLU', gelu: 'GeGLU', relu: 'ReGLU' };

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export function architecture(c: Config): Architecture {
  const activation = ACT[c.activation] ?? c.activation;
  const ffn =
    c.ffn === 'swiglu'
      ? (GATED[c.activation] ?? `a gated ${activation} FFN`)
      : `a ${activation} MLP`;
  let attention: string;
  let heads: string;
  if (c.nKvHeads === c.nHeads) {
    attention = 'multi-head attention';
    heads = `${plural(c.nHeads, 'head')}, each with its own keys and values`;
  } else if (c.nKvHeads === 1) {
    attention = 'multi-query attention';
    heads = `${plural(c.nHeads, 'query head')} sharing one K/V head`;
  } else {
    attention = 'grouped-query attention';
    heads = `${plural(c.nHeads, 'query head')} sharing ${plural(c.nKvHeads, 'K/V head')}`;
  }
  return {
    norm: c.norm === 'rmsnorm' ? 'RMSNorm' : 'LayerNorm',
    ffn,
    activation,
    position: c.position === 'rope' ? 'RoPE' : 'no position encoding (NoPE)',
    attention,
    heads,
    nHeads: c.nHeads,
    nKvHeads: c.nKvHeads,
  };
}
