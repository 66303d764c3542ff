// Chapter 2: activations, from ReLU and GELU to Swish, GLU and SwiGLU. The order of the blocks is
// the order of the page and of the slides. Prose is in ./prose, figures in ./figures, formulas in
// ./math.ts, the formula cell's compiler in src/lib/formula.
import type { ChapterDef } from '$lib/chapter.ts';
import { meta } from './meta.ts';
import Intro from './prose/en/Intro.svelte';
import HiddenSize from './prose/en/HiddenSize.svelte';
import Misconception from './prose/en/Misconception.svelte';
import GluResults from './prose/en/GluResults.svelte';
import Curves from './figures/Curves.svelte';
import DeadRelu from './figures/DeadRelu.svelte';
import GateSurface from './figures/GateSurface.svelte';
import FormulaCell from './figures/FormulaCell.svelte';
import FfnView from './figures/FfnView.svelte';
import TrainingCurves from './figures/TrainingCurves.svelte';
import { chapterParams, chapterParamDefaults } from './params.ts';

const R = String.raw;

export const chapter: ChapterDef = {
  meta,
  knobs: ['act'],
  params: chapterParams,
  paramDefaults: chapterParamDefaults,
  blocks: [
    {
      id: 'why',
      kind: 'prose',
      title: 'What the activation is for',
      notes:
        'Say: half of every LLaMA block is the feed-forward network; without a nonlinearity its two matrices would collapse into one and the block would be linear. Then the path of the chapter: ReLU, GELU and Swish, then the gated SwiGLU that LLaMA uses. Ask: what can a nonlinear layer store that a linear map cannot?',
      component: Intro,
    },
    {
      id: 'derive',
      kind: 'derivation',
      title: 'From ReLU to GELU and Swish, step by step',
      notes:
        'Reveal step by step. The frame for the class: every activation here is z times a gate that depends on z. ReLU’s gate is a hard 0/1, GELU’s is Φ(z), Swish’s is σ(βz). Ask after the Swish steps: what does Swish become when β is very large, and when β goes to 0? (ReLU, and z/2.)',
      intro:
        'Take one hidden unit with pre-activation z (one entry of W₁x). Each activation below multiplies z by a gate that depends on z itself.',
      steps: [
        {
          tex: R`\operatorname{ReLU}(z) = \max(z, 0) = z \cdot \mathbb{1}[z > 0], \qquad \operatorname{ReLU}'(z) = \mathbb{1}[z > 0]`,
          why: 'ReLU multiplies its input by a hard 0/1 gate decided by the sign of z. For z < 0 both the output and the gradient are exactly zero.',
        },
        {
          tex: R`\operatorname{GELU}(z) = z \cdot P(Z \le z) = z\,\Phi(z), \qquad Z \sim \mathcal{N}(0, 1)`,
          why: 'GELU softens the gate: instead of keeping z when z > 0, keep it with probability Φ(z), the chance that a standard normal variable falls below z, and take the expected value. Large positive z is almost always kept, large negative z almost never.',
        },
        {
          tex: R`\Phi(z) = \tfrac{1}{2}\Big(1 + \operatorname{erf}\big(z/\sqrt{2}\big)\Big) \;\Rightarrow\; \operatorname{GELU}(z) = \tfrac{z}{2}\Big(1 + \operatorname{erf}\big(z/\sqrt{2}\big)\Big)`,
          why: 'The normal CDF written with the error function. This exact form is what the engine in this page computes for the “gelu” knob.',
        },
        {
          tex: R`\operatorname{GELU}(z) \approx \tfrac{z}{2}\Big(1 + \tanh\!\big(\sqrt{2/\pi}\,(z + 0.044715\,z^3)\big)\Big)`,
          why: 'The GELU paper’s tanh approximation, cheaper where erf is slow. The two never differ by more than 4.8 × 10⁻⁴; the gap peaks near |z| = 2.7 (computed in the chapter’s tests).',
        },
        {
          tex: R`\operatorname{GELU}'(z) = \Phi(z) + z\,\varphi(z), \qquad \varphi(z) = \tfrac{1}{\sqrt{2\pi}} e^{-z^2/2}`,
          why: 'Product rule, with Φ′ = φ. The derivative is negative for z below about −0.75, where GELU has its minimum of −0.17: GELU is not monotonic.',
        },
        {
          tex: R`\operatorname{Swish}_\beta(z) = z\,\sigma(\beta z), \qquad \sigma(t) = \frac{1}{1 + e^{-t}}, \qquad \operatorname{SiLU}(z) = \operatorname{Swish}_1(z)`,
          why: 'Replace Φ by the logistic sigmoid and you get the SiLU, z σ(z), which the GELU paper already proposed (Hendrycks and Gimpel, 2016) and Elfwing, Uchibe and Doya (2017) used in reinforcement learning. Ramachandran, Zoph and Le (2017) found it again by an automated search over activation functions, added the slope β and named it Swish; SiLU is Swish with β = 1. Since σ(1.702 z) ≈ Φ(z), Swish with β = 1.702 stays within 0.021 of GELU.',
        },
        {
          tex: R`\operatorname{Swish}_\beta'(z) = \sigma(\beta z) + \beta z\,\sigma(\beta z)\big(1 - \sigma(\beta z)\big)`,
          why: 'Product rule again, with σ′ = σ(1 − σ). Unlike ReLU’s, it is not zero for z < 0. For SiLU (β = 1) it is positive above z ≈ −1.2785, exactly 0 there (the minimum of SiLU), negative below (lowest, about −0.0998, near z ≈ −2.40) and tends to 0 as z → −∞. So a unit below zero still receives gradient, except exactly at the minimum and, in effect, far below it.',
        },
        {
          tex: R`\beta \to \infty:\; \operatorname{Swish}_\beta(z) \to \operatorname{ReLU}(z), \qquad \beta \to 0:\; \operatorname{Swish}_\beta(z) \to z/2`,
          why: 'A steep sigmoid becomes the 0/1 step, and a flat one is 1/2 everywhere: β slides Swish between ReLU and a linear function. Try it in the chart below.',
        },
      ],
    },
    {
      id: 'curves',
      kind: 'figure',
      title: 'The curves and their slopes',
      notes:
        'Move the β slider: large β makes Swish look like ReLU, small β makes it almost a straight line. Point at the dashed derivatives: ReLU’s jumps from 0 to 1 at zero, GELU’s and Swish’s change smoothly and dip below zero for negative x. Ask: where is GELU not monotonic?',
      component: Curves,
      alt: 'Line chart of ReLU, GELU and Swish with an adjustable β, solid, and their derivatives, dashed, over an adjustable x range. ReLU’s derivative jumps from 0 to 1 at zero; GELU and Swish dip slightly below zero for negative x and their derivatives change smoothly.',
    },
    {
      id: 'dead',
      kind: 'figure',
      title: 'Where dead ReLU units come from',
      notes:
        'Drag the bias slider to the left: the shaded part below zero grows and the share of inputs on which the unit fires drops. Under ReLU the gradient there is exactly zero, so the unit cannot learn its way back; under SiLU it is zero only at z ≈ −1.28, negative below and positive above, fading to 0 far below. Ask: what happens to a unit whose bias is pushed so far that it never fires?',
      component: DeadRelu,
      alt: 'The distribution of one hidden unit’s pre-activation over many inputs, a bell curve shifted by a bias slider, with the part below zero shaded; below it, the gradients of ReLU (zero for negative inputs) and SiLU (zero only at z ≈ −1.28, negative below it, tending to 0 far below). A readout gives the share of inputs on which the unit fires.',
    },
    {
      id: 'glu',
      kind: 'derivation',
      title: 'Gated linear units and LLaMA’s FFN',
      notes:
        'Reveal step by step: add a second projection W₃x and let the activated W₁x gate it entry by entry. The original GLU uses a sigmoid gate; SwiGLU uses SiLU, which is not confined to [0, 1]. Name the matrices as the code does: w1 gate, w3 up, w2 down. The last step: gate and up projection train each other through the product.',
      intro:
        'Now give the FFN a second projection of the same input, W₃x, and let the activated W₁x gate it entry by entry (⊙ is the entrywise product). Biases are dropped, as in the GLU-variants paper and in LLaMA.',
      steps: [
        {
          tex: R`\operatorname{FFN}_{\mathrm{ReLU}}(x) = W_2 \operatorname{ReLU}(W_1 x), \qquad W_1 \in \mathbb{R}^{h \times d},\; W_2 \in \mathbb{R}^{d \times h}`,
          why: 'The plain FFN: expand to h hidden units, apply the activation, project back to d.',
        },
        {
          tex: R`\operatorname{GLU}(x) = \sigma(W_1 x) \odot (W_3 x)`,
          why: 'A gated linear unit (Dauphin, Fan, Auli and Grangier, 2017, for convolutional language models): a sigmoid of one projection, strictly between 0 and 1, decides how much of the other projection passes.',
        },
        {
          tex: R`\operatorname{ReGLU}(x) = \operatorname{ReLU}(W_1 x) \odot W_3 x, \quad \operatorname{GEGLU}(x) = \operatorname{GELU}(W_1 x) \odot W_3 x, \quad \operatorname{SwiGLU}(x) = \operatorname{Swish}_\beta(W_1 x) \odot W_3 x`,
          why: 'The GLU-variants paper swaps the sigmoid for other activations. The gate is then no longer confined to [0, 1].',
        },
        {
          tex: R`\operatorname{FFN}_{\mathrm{SwiGLU}}(x) = W_2\big(\operatorname{SiLU}(W_1 x) \odot W_3 x\big)`,
          why: 'LLaMA’s FFN: SwiGLU with β = 1, then the down projection W₂. In Meta’s code and in llama2.c the three matrices are called w1 (gate), w3 (up) and w2 (down).',
        },
        {
          tex: R`\frac{\partial}{\partial b_i}\big(g(a_i)\, b_i\big) = g(a_i), \qquad \frac{\partial}{\partial a_i}\big(g(a_i)\, b_i\big) = g'(a_i)\, b_i`,
          why: 'With a = W₁x and b = W₃x, each hidden unit is a product, so its gradient reaches the up projection through the gate value and the gate through the up value: the two projections train each other.',
        },
      ],
    },
    {
      id: 'surface',
      kind: 'figure',
      title: 'The gate surface over its two inputs',
      notes:
        'Switch the variant between GLU, ReGLU, GeGLU and SwiGLU and watch the heat map change. On the right-hand chart point at the band from 0 to 1: only the sigmoid stays inside it. Ask the class: can a SwiGLU unit amplify its up value? (Yes: SiLU(a) grows without bound.)',
      component: GateSurface,
      alt: 'A heatmap with contour lines of gate(a) times b for a and b between −4 and 4, for the chosen GLU variant (GLU, ReGLU, GeGLU or SwiGLU); beside it the four gate functions against a, with the band from 0 to 1 shaded: only the sigmoid stays inside it.',
    },
    {
      id: 'params',
      kind: 'derivation',
      title: 'Why the hidden layer is 2/3 of 4d',
      notes:
        'Reveal the weight count: plain FFN 8d², gated FFN 3dh, so equal weights give h = 8d/3, two thirds of 4d. Then LLaMA’s rounding to a multiple of 256: 11,008 for the 7B models. Ask the class to do the arithmetic for d = 4096 before you reveal the last step.',
      intro:
        'A third matrix costs weights. The GLU-variants paper keeps the comparison fair by shrinking the hidden width so that the gated FFN has as many weights as the plain one with h = 4d.',
      steps: [
        {
          tex: R`\text{plain: } 2 \cdot d \cdot 4d = 8d^2`,
          why: 'Two matrices of d × 4d.',
        },
        {
          tex: R`\text{gated: } 3 \cdot d \cdot h`,
          why: 'Three matrices of d × h: W₁ and W₃ in, W₂ out.',
        },
        {
          tex: R`3dh = 8d^2 \;\Rightarrow\; h = \tfrac{8}{3}d = \tfrac{2}{3} \cdot 4d`,
          why: 'Equal weight counts fix h at two thirds of the usual 4d.',
        },
        {
          tex: R`h = m \cdot \left\lceil \lfloor \tfrac{2}{3} \cdot 4d \rfloor \,/\, m \right\rceil \qquad (m = \texttt{multiple\_of})`,
          why: 'LLaMA rounds up to a multiple of m. With d = 4096 and m = 256 this gives 11,008, the hidden size of LLaMA 7B and Llama 2 7B.',
        },
      ],
    },
    {
      id: 'sizes',
      kind: 'prose',
      title: 'The real LLaMA sizes',
      notes:
        'Walk through the table: the 7B models compute ⌊2/3 · 4d⌋ = 10,922 and round up to 11,008; Llama 3 8B multiplies by 1.3 and rounds to a multiple of 1024. Ask: what does the rounding cost in weights compared to the exact 2/3 rule?',
      component: HiddenSize,
    },
    {
      id: 'formula',
      kind: 'figure',
      title: 'Write your own activation',
      notes:
        'Type a formula of your own, for example x * sigmoid(2*x) or max(x, 0.1*x), and watch its curve and derivative next to SiLU. Then press the button that plugs it into the live model and go to the lab. Ask the class for a formula to try; a bad formula gets a clear message, so it is safe to take suggestions.',
      component: FormulaCell,
      alt: 'A text box for an activation formula in x, checked as it is typed, with a line chart of the formula, its derivative (dashed) and SiLU for comparison, and a button that plugs the formula into the live model.',
    },
    {
      id: 'lab',
      kind: 'lab',
      title: 'Swap the activation in the live model',
      notes:
        'Switch the activation from silu to gelu: GELU is close to SiLU, so expect a small KL and text that still reads like the original. Then relu: a bigger shift. Then custom with the class’s formula. Point at the histograms of values entering and leaving the activation in one layer, and ask why the negative values survive under SiLU but not under ReLU.',
      intro: (m) =>
        `${m ? `The model below was trained with ${m.ffn.startsWith('a ') ? m.ffn : `${m.ffn}, that is ${m.activation} as the gate`}. ` : ''}Switch every FFN layer to ${['SiLU', 'GELU', 'ReLU'].filter((a) => a !== m?.activation).join(', ')} or your own formula (custom) and see how far the next-token distribution moves (KL divergence from the trained model), what the model writes and how well it predicts a held-out passage. The histograms show the real values entering and leaving the activation in one layer.`,
      knobs: ['act'],
      formula: 'f',
      trace: ['L{layer}.ffn.gate', 'L{layer}.ffn.act', 'L{layer}.ffn.up'],
      perplexity: true,
      view: FfnView,
    },
    {
      id: 'training',
      kind: 'figure',
      title: 'Training with SwiGLU and with a GELU MLP',
      notes:
        'If both runs are loaded, compare the SwiGLU model with the GELU-MLP twin of the same parameter count. Ask: which reaches the lower validation loss on this small model? Say that the GLU-variants paper found the gated variants better at equal weights. If the runs are missing, skip this slide.',
      component: TrainingCurves,
      alt: 'Training and validation loss against training step for the built-in SwiGLU model and a twin trained with a plain GELU MLP of the same parameter count, when both training runs are available.',
    },
    {
      id: 'evidence',
      kind: 'prose',
      title: 'The evidence for SwiGLU, and the road to LLaMA',
      component: GluResults,
      notes:
        'Show the table: every gated row beats every ungated row, GEGLU and SwiGLU best, by a few hundredths of log-perplexity. Read the paper’s own closing line (no explanation, “divine benevolence”) and say: the case for SwiGLU is empirical. Then PaLM used it at scale and LLaMA took it with the 2/3 width. Ask: where are most of a block’s weights? (In the FFN: about two thirds in LLaMA 7B, more under GQA.)',
    },
    {
      id: 'misconception',
      kind: 'misconception',
      title: '“The SwiGLU gate is a sigmoid between 0 and 1”',
      notes:
        'Read the claim and ask who believes it. Then show it is the original GLU: in SwiGLU the gate is SiLU(a), which grows without bound and is slightly negative for negative a, with a minimum of about −0.28. The sigmoid only appears inside SiLU.',
      component: Misconception,
    },
    {
      id: 'check',
      kind: 'quiz',
      title: 'Check yourself',
      notes:
        'One minute per question, a show of hands, then click to check. Use the explanations to recap the chapter: the gate range, the 2/3 width and dead ReLU units.',
      questions: [
        {
          id: 'range',
          prompt: 'In LLaMA’s FFN, which values can the gate SiLU((W₁x)ᵢ) take?',
          choices: [
            'Only [0, 1]',
            'Only (−1, 1)',
            'About −0.28 up to any positive value',
            'Only [0, ∞)',
          ],
          answer: 2,
          explain:
            'SiLU(a) = a·σ(a) has its minimum of about −0.278 at a ≈ −1.28 and grows like a for large a. Only the original GLU’s sigmoid gate stays in [0, 1].',
        },
        {
          id: 'width',
          prompt:
            'A gated FFN has three d × h matrices. Which h gives it the same number of weights as a plain FFN with hidden width 4d?',
          choices: ['4d', '8d/3', '2d', '16d/3'],
          answer: 1,
          explain:
            '3·d·h = 2·d·4d gives h = 8d/3 = (2/3)·4d; LLaMA then rounds up to a multiple of multiple_of.',
        },
        {
          id: 'dead',
          prompt: 'Why can a ReLU unit “die” during training while a SiLU unit can recover?',
          choices: [
            'ReLU’s gradient is exactly zero for every negative input; SiLU’s is zero at only one point (z ≈ −1.28)',
            'ReLU is not differentiable at 0',
            'SiLU is bounded above',
            'ReLU units have no weights',
          ],
          answer: 0,
          explain:
            'A unit whose pre-activation is negative on every input gets zero gradient through ReLU, so nothing can move it back. SiLU′(z) is zero only at z ≈ −1.28 (negative below it, positive above, and tending to 0 as z → −∞), so a unit whose inputs land at moderate negative values keeps receiving gradient and can move back.',
        },
      ],
    },
    {
      id: 'refs',
      kind: 'references',
      title: 'References',
      notes:
        'Point to Hendrycks and Gimpel (GELU), Ramachandran et al. (Swish) and Shazeer’s GLU-variants paper, which is the source of LLaMA’s FFN. Nothing to demonstrate here.',
      refs: [
        {
          authors: 'Hendrycks, Gimpel',
          title: 'Gaussian Error Linear Units (GELUs)',
          year: 2016,
          arxiv: '1606.08415',
          note: 'GELU, and the SiLU x·σ(x) as a variant.',
        },
        {
          authors: 'Elfwing, Uchibe, Doya',
          title:
            'Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning',
          year: 2017,
          arxiv: '1702.03118',
          note: 'The SiLU, x·σ(x), before Swish.',
        },
        {
          authors: 'Dauphin, Fan, Auli, Grangier',
          title: 'Language Modeling with Gated Convolutional Networks',
          year: 2017,
          arxiv: '1612.08083',
          note: 'The gated linear unit (GLU).',
        },
        {
          authors: 'Ramachandran, Zoph, Le',
          title: 'Searching for Activation Functions',
          year: 2017,
          arxiv: '1710.05941',
          note: 'Swish, x·σ(βx).',
        },
        {
          authors: 'Shazeer',
          title: 'GLU Variants Improve Transformer',
          year: 2020,
          arxiv: '2002.05202',
          note: 'GLU, ReGLU, GEGLU, SwiGLU; the 2/3 hidden width at equal parameter count.',
        },
        {
          authors: 'Chowdhery et al.',
          title: 'PaLM: Scaling Language Modeling with Pathways',
          year: 2022,
          arxiv: '2204.02311',
          note: 'SwiGLU at 540B parameters, with a hidden width of 4d.',
        },
        {
          authors: 'Touvron et al.',
          title: 'LLaMA: Open and Efficient Foundation Language Models',
          year: 2023,
          arxiv: '2302.13971',
          note: 'Section 2.2: the SwiGLU activation with a hidden dimension of 2/3 · 4d.',
        },
        {
          authors: 'Llama Team, AI @ Meta',
          title: 'The Llama 3 Herd of Models',
          year: 2024,
          arxiv: '2407.21783',
          note: 'Llama 3 8B: FFN width 14,336.',
        },
      ],
    },
  ],
};
