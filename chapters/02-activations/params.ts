// Chapter 2's own URL parameters (besides the activation knob and the sampler): β and the x range
// of the curves figure, the GLU variant of the gate-surface figure, the bias of the dead-ReLU
// figure, the reader's formula, and which layer the lab's histograms look at.
import type { ParamSpec } from '$lib/params.ts';
import { m } from '$paraglide/messages.js';

/** What the formula cell starts with: Mish, x · tanh(softplus(x)), a smooth cousin of SiLU. */
export const DEFAULT_FORMULA = 'x * tanh(log(1 + exp(x)))';

export const chapterParams: ParamSpec[] = [
  {
    key: 'beta',
    kind: 'number',
    label: 'Swish β',
    message: m.ch02_param_beta,
    min: 0.1,
    max: 10,
    scale: 'log',
  },
  {
    key: 'range',
    kind: 'number',
    label: 'x range ±',
    message: m.ch02_param_range,
    min: 1,
    max: 10,
  },
  {
    key: 'glu',
    kind: 'enum',
    label: 'Gate',
    message: m.ch02_param_glu,
    options: ['glu', 'reglu', 'geglu', 'swiglu'],
    optionLabels: {
      glu: m.ch02_option_glu,
      reglu: m.ch02_option_reglu,
      geglu: m.ch02_option_geglu,
      swiglu: m.ch02_option_swiglu,
    },
  },
  {
    key: 'bias',
    kind: 'number',
    label: 'Bias b',
    message: m.ch02_param_bias,
    min: -4,
    max: 3,
  },
  {
    key: 'f',
    kind: 'text',
    label: 'Formula',
    message: m.ch02_param_f,
    maxLength: 200,
  },
  {
    key: 'layer',
    kind: 'int',
    label: 'Layer',
    message: m.ch02_param_layer,
    min: 0,
    max: 63,
    bound: 'layer',
  },
];

export const chapterParamDefaults = {
  beta: 1,
  range: 5,
  glu: 'swiglu',
  bias: 0,
  f: DEFAULT_FORMULA,
  layer: 0,
};

/** Labels for the GLU variants, in the GLU-variants paper's names. */
export const GLU_LABELS: Record<string, string> = {
  glu: 'GLU: σ(a) · b',
  reglu: 'ReGLU: ReLU(a) · b',
  geglu: 'GeGLU: GELU(a) · b',
  swiglu: 'SwiGLU: SiLU(a) · b',
};
