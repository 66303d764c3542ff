// Chapter 1: RMSNorm vs LayerNorm. The order of the blocks is the order of the page and of the
// slides. Prose is in ./prose, figures in ./figures, formulas in ./math.ts.
import type { ChapterDef } from '$lib/chapter.ts';
import { meta } from './meta.ts';
import Intro from './prose/Intro.svelte';
import Cost from './prose/Cost.svelte';
import PreNorm from './prose/PreNorm.svelte';
import Eps from './prose/Eps.svelte';
import Misconception from './prose/Misconception.svelte';
import VectorNorms from './figures/VectorNorms.svelte';
import Geometry from './figures/Geometry.svelte';
import HiddenState from './figures/HiddenState.svelte';
import TrainingCurves from './figures/TrainingCurves.svelte';
import { chapterParams, chapterParamDefaults } from './params.ts';

const R = String.raw;

export const chapter: ChapterDef = {
  meta,
  knobs: ['norm', 'eps'],
  params: chapterParams,
  paramDefaults: chapterParamDefaults,
  blocks: [
    { id: 'why', kind: 'prose', title: 'Why normalise at all', component: Intro },
    {
      id: 'derive',
      kind: 'derivation',
      title: 'From LayerNorm to RMSNorm, step by step',
      intro:
        'Take one token’s vector x with d entries, a learned gain g and (for LayerNorm) a learned bias b, both of width d.',
      steps: [
        {
          tex: R`\mu = \frac{1}{d}\sum_{i=1}^{d} x_i`,
          why: 'LayerNorm first takes the mean of the entries of this one vector.',
        },
        {
          tex: R`\sigma^2 = \frac{1}{d}\sum_{i=1}^{d} (x_i - \mu)^2`,
          why: 'Then the variance around that mean: a second pass over the vector, since it needs μ first.',
        },
        {
          tex: R`\operatorname{LayerNorm}(x)_i = g_i\,\frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}} + b_i`,
          why: 'Subtract the mean, divide by the standard deviation, then let the learned gain and bias set whatever scale and offset the next layer prefers.',
        },
        {
          tex: R`\operatorname{RMS}(x) = \sqrt{\frac{1}{d}\sum_{i=1}^{d} x_i^2}`,
          why: 'RMSNorm keeps only one statistic: the root mean square, the typical size of an entry. It is ‖x‖ / √d.',
        },
        {
          tex: R`\operatorname{RMSNorm}(x)_i = g_i\,\frac{x_i}{\sqrt{\operatorname{RMS}(x)^2 + \epsilon}}`,
          why: 'Divide by it and apply the gain. No mean is subtracted and there is no bias.',
        },
        {
          tex: R`\mu = 0 \;\Rightarrow\; \sigma^2 = \operatorname{RMS}(x)^2 \;\Rightarrow\; \operatorname{LayerNorm}(x) = \operatorname{RMSNorm}(x) + b`,
          why: 'For a vector whose mean is already zero the two agree (up to the bias): RMSNorm is LayerNorm without the re-centering step. In general LayerNorm(x) = RMSNorm(x − μ1) + b.',
        },
      ],
    },
    {
      id: 'vector',
      kind: 'figure',
      title: 'Both norms on a vector you can edit',
      component: VectorNorms,
      alt: 'Three bar charts side by side: the entries of an editable six-entry vector, its LayerNorm and its RMSNorm (unit gain, zero bias), with the mean, variance, RMS and length of each listed below. Shift and scale sliders transform the input so that the invariances can be seen.',
    },
    {
      id: 'invariance',
      kind: 'derivation',
      title: 'What each norm ignores',
      intro: 'Let ε → 0 and ask which changes of the input leave the output unchanged.',
      steps: [
        {
          tex: R`\operatorname{RMS}(a x) = |a|\operatorname{RMS}(x) \;\Rightarrow\; \operatorname{RMSNorm}(a x) = \operatorname{RMSNorm}(x) \quad (a > 0)`,
          why: 'Re-scaling invariance: multiplying the whole vector by a positive number changes nothing. LayerNorm has it too, since μ and σ scale with a in the same way.',
        },
        {
          tex: R`\mu(x + c\mathbf{1}) = \mu(x) + c \;\Rightarrow\; \operatorname{LayerNorm}(x + c\mathbf{1}) = \operatorname{LayerNorm}(x)`,
          why: 'Re-centering invariance: adding the same constant c to every entry shifts the mean by c and leaves x − μ1 unchanged. Only LayerNorm has this.',
        },
        {
          tex: R`\operatorname{RMS}(x + c\mathbf{1})^2 = \operatorname{RMS}(x)^2 + 2c\mu + c^2 \ne \operatorname{RMS}(x)^2`,
          why: 'RMSNorm does not: a shift changes the RMS, so the output moves. The RMSNorm paper’s bet is that re-centering invariance is not what makes normalisation help.',
        },
        {
          tex: R`\big\lVert \operatorname{RMSNorm}(x) \big\rVert_2 = \sqrt{d}\,\frac{\operatorname{RMS}(x)}{\sqrt{\operatorname{RMS}(x)^2 + \epsilon}} \approx \sqrt{d} \quad (g = \mathbf{1})`,
          why: 'Geometry: before the gain, RMSNorm puts every vector on the sphere of radius √d. The gain then stretches each axis by g_i.',
        },
        {
          tex: R`\mathbf{1}^{\top}\big(\operatorname{LayerNorm}(x) - b\big) = 0, \qquad \big\lVert \operatorname{LayerNorm}(x) - b \big\rVert_2 \approx \sqrt{d} \quad (g = \mathbf{1})`,
          why: 'LayerNorm lands on the same sphere but also removes the component along the all-ones direction: its outputs live on a (d−1)-dimensional slice of it.',
        },
      ],
    },
    {
      id: 'geometry',
      kind: 'figure',
      title: 'The geometry in two dimensions',
      component: Geometry,
      alt: 'A plane with a draggable point x. RMSNorm(x) is drawn on the circle of radius √2 along the ray through x; LayerNorm(x) is drawn on that circle where it meets the line x1 + x2 = 0, so it can only be one of two points. Moving x close to the origin shows eps pulling RMSNorm(x) inside the circle.',
    },
    { id: 'cost', kind: 'prose', title: 'What RMSNorm saves', component: Cost },
    { id: 'prenorm', kind: 'prose', title: 'Where LLaMA puts the norm', component: PreNorm },
    { id: 'eps', kind: 'prose', title: 'Why eps is there', component: Eps },
    {
      id: 'lab',
      kind: 'lab',
      title: 'Swap the norm in the live model',
      intro:
        'The model below was trained with RMSNorm. Switch every norm layer to LayerNorm (gain only, since the file has no bias) or move eps, and see how far the next-token distribution moves (KL divergence from the trained model), what the model writes and how well it predicts a held-out passage.',
      knobs: ['norm', 'eps'],
      trace: [
        'L{layer}.attn_norm.in',
        'L{layer}.attn_norm.out',
        'L{layer}.ffn_norm.in',
        'L{layer}.ffn_norm.out',
      ],
      perplexity: true,
      view: HiddenState,
    },
    {
      id: 'curves',
      kind: 'figure',
      title: 'Training with each norm',
      component: TrainingCurves,
      alt: 'Training and validation loss against training step for the built-in model trained with RMSNorm and a copy trained with LayerNorm, when both training runs are available.',
    },
    {
      id: 'misconception',
      kind: 'misconception',
      title: '“RMSNorm gives more stable gradients”',
      component: Misconception,
    },
    {
      id: 'check',
      kind: 'quiz',
      title: 'Check yourself',
      questions: [
        {
          id: 'shift',
          prompt: 'You add 3 to every entry of x. Which output stays exactly the same (ε → 0)?',
          choices: ['RMSNorm(x) only', 'LayerNorm(x) only', 'Both', 'Neither'],
          answer: 1,
          explain:
            'Adding c1 moves the mean by c and leaves x − μ1 unchanged, so LayerNorm ignores it; the RMS changes, so RMSNorm’s output moves.',
        },
        {
          id: 'scale',
          prompt: 'You multiply x by 10. Which output stays the same (ε → 0)?',
          choices: ['RMSNorm(x) only', 'LayerNorm(x) only', 'Both', 'Neither'],
          answer: 2,
          explain:
            'Both divide by a statistic that scales with |a| (the RMS, or the standard deviation), so a positive factor cancels: both are re-scaling invariant.',
        },
        {
          id: 'length',
          prompt:
            'With unit gain and tiny ε, what is the length of RMSNorm(x) for a vector of width d = 64?',
          choices: ['1', '8', '64', 'It depends on x'],
          answer: 1,
          explain:
            'Each entry is x_i / RMS(x), so the squared length is d · RMS² / RMS² = d: the length is √64 = 8.',
        },
      ],
    },
    {
      id: 'refs',
      kind: 'references',
      title: 'References',
      refs: [
        {
          authors: 'Zhang, Sennrich',
          title: 'Root Mean Square Layer Normalization',
          year: 2019,
          arxiv: '1910.07467',
        },
        {
          authors: 'Ba, Kiros, Hinton',
          title: 'Layer Normalization',
          year: 2016,
          arxiv: '1607.06450',
        },
        {
          authors: 'Touvron et al.',
          title: 'LLaMA: Open and Efficient Foundation Language Models',
          year: 2023,
          arxiv: '2302.13971',
          note: 'Section 2.2: pre-normalization, with the RMSNorm function.',
        },
        {
          authors: 'Touvron et al.',
          title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models',
          year: 2023,
          arxiv: '2307.09288',
        },
      ],
    },
  ],
};
