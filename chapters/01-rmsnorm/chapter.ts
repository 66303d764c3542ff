// Chapter 1: RMSNorm vs LayerNorm. The order of the blocks is the order of the page and of the
// slides. Prose is in ./prose, figures in ./figures, formulas in ./math.ts.
import type { ChapterDef } from '$lib/chapter.ts';
import { meta } from './meta.ts';
import Intro from './prose/en/Intro.svelte';
import Cost from './prose/en/Cost.svelte';
import PreNorm from './prose/en/PreNorm.svelte';
import Eps from './prose/en/Eps.svelte';
import Misconception from './prose/en/Misconception.svelte';
import Precision from './prose/en/Precision.svelte';
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
    {
      id: 'why',
      kind: 'prose',
      title: 'Why normalise at all',
      notes:
        'Say: every block reads one vector per token from the residual stream and writes an update back; over many blocks those vectors drift in size, and a norm layer puts each one back on a standard scale before a sub-layer reads it. Stress that the statistics are over the d features of one token, never across the batch. Ask the class: why would a statistic across the batch be a problem for a model that generates one token at a time?',
      component: Intro,
    },
    {
      id: 'derive',
      kind: 'derivation',
      title: 'From LayerNorm to RMSNorm, step by step',
      notes:
        'Reveal one step at a time and let the class say what comes next. Point out that LayerNorm needs two statistics (μ and σ²) while RMSNorm needs one; ask whether LayerNorm really needs two passes over the vector (no: σ² = mean(x²) − μ², so Σx and Σx² can be summed in the same pass). The last step is the punch line: for a vector whose mean is already zero the two agree up to the bias, so RMSNorm is LayerNorm without the re-centering. Ask: when would the mean of a hidden vector be close to zero?',
      intro:
        'Take one token’s vector x with d entries, a learned gain g and (for LayerNorm) a learned bias b, both of width d.',
      steps: [
        {
          tex: R`\mu = \frac{1}{d}\sum_{i=1}^{d} x_i`,
          why: 'LayerNorm first takes the mean of the entries of this one vector.',
        },
        {
          tex: R`\sigma^2 = \frac{1}{d}\sum_{i=1}^{d} (x_i - \mu)^2`,
          why: 'Then the variance around that mean. Written like this it seems to need μ first, but σ² = mean(x²) − μ², so one pass can accumulate Σxᵢ and Σxᵢ² together (fused kernels do, often with Welford’s running update, which loses less precision).',
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
      notes:
        'Edit one bar of the input, then move the shift slider: the LayerNorm output does not move at all, the RMSNorm output does. Then move the scale slider: neither output moves. Ask the class to predict each before you touch the slider. Point at the readouts below the bars: the RMS of the RMSNorm output stays at 1.',
      component: VectorNorms,
      alt: 'Three bar charts side by side: the entries of an editable six-entry vector, its LayerNorm and its RMSNorm (unit gain, zero bias), with the mean, variance, RMS and length of each listed below. Shift and scale sliders transform the input so that the invariances can be seen.',
    },
    {
      id: 'invariance',
      kind: 'derivation',
      title: 'What each norm ignores',
      notes:
        'This turns what the class just saw on the vector into equations: both norms ignore a positive scale, only LayerNorm ignores a shift. Then the geometry: before the gain, RMSNorm puts every vector on the sphere of radius √d; LayerNorm puts it on the same sphere and also removes the all-ones direction. Ask: how many free dimensions does a LayerNorm output keep?',
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
          tex: R`\operatorname{RMS}(x + c\mathbf{1})^2 = \operatorname{RMS}(x)^2 + c\,(2\mu + c)`,
          why: 'RMSNorm does not have it. The output (x + c1)/RMS(x + c1) equals x/RMS(x) only if x + c1 is a positive multiple of x: for c ≠ 0 that happens only when x itself is a constant vector a1 (and a + c keeps the sign of a). Even the shift c = −2μ, which leaves the RMS unchanged, moves the output, because the vector moved. The RMSNorm paper’s bet is that re-centering invariance is not what makes normalisation help.',
        },
        {
          tex: R`\big\lVert \operatorname{RMSNorm}(x) \big\rVert_2 = \sqrt{d}\,\frac{\operatorname{RMS}(x)}{\sqrt{\operatorname{RMS}(x)^2 + \epsilon}} \approx \sqrt{d} \quad (g = \mathbf{1})`,
          why: 'Geometry: before the gain, RMSNorm puts every vector on the sphere of radius √d. The gain then stretches each axis by g_i.',
        },
        {
          tex: R`\mathbf{1}^{\top}\big(\operatorname{LayerNorm}(x) - b\big) = 0, \qquad \big\lVert \operatorname{LayerNorm}(x) - b \big\rVert_2 \approx \sqrt{d} \quad (g = \mathbf{1})`,
          why: 'LayerNorm lands on the same sphere but also removes the component along the all-ones direction: its outputs lie on the intersection of that sphere with the hyperplane 1ᵀy = 0, a (d − 2)-sphere (two points when d = 2, a circle when d = 3), as the figure below shows.',
        },
      ],
    },
    {
      id: 'geometry',
      kind: 'figure',
      title: 'The geometry in two dimensions',
      notes:
        'Drag the point x around the plane: RMSNorm(x) slides along the circle of radius √2 on the ray through x, while LayerNorm(x) can only be one of two points where the circle meets the line x1 + x2 = 0. Then drag x very close to the origin and show eps pulling RMSNorm(x) inside the circle. Ask: which of the two LayerNorm points do you get, and what decides it?',
      component: Geometry,
      alt: 'A plane with a draggable point x. RMSNorm(x) is drawn on the circle of radius √2 along the ray through x; LayerNorm(x) is drawn on that circle where it meets the line x1 + x2 = 0, so it can only be one of two points. Moving x close to the origin shows eps pulling RMSNorm(x) inside the circle.',
    },
    {
      id: 'cost',
      kind: 'prose',
      title: 'What RMSNorm saves',
      notes:
        'Say: LayerNorm needs two sums across the vector, RMSNorm one; a fused kernel computes both of LayerNorm’s in one pass, so the saving is one reduction, the mean subtraction and the bias, not a pass over memory. Be honest about scale: next to the matrix multiplications the norm is a small cost; the RMSNorm paper’s 7% to 64% saving is for whole models where normalisation mattered more. Ask: where in a large Transformer does the time really go?',
      component: Cost,
    },
    {
      id: 'prenorm',
      kind: 'prose',
      title: 'Where LLaMA puts the norm',
      notes:
        'Say: the original Transformer normalised after the residual addition (post-norm); LLaMA normalises the input of each sub-layer and never touches the residual stream (pre-norm), with two norms per block and one before the classifier. Ask: if the residual stream is never normalised, what happens to its size with depth? The lab’s histograms will answer it.',
      component: PreNorm,
    },
    {
      id: 'eps',
      kind: 'prose',
      title: 'Why eps is there',
      notes:
        'Say: eps keeps the division finite for an all-zero vector and sets the size below which a vector counts as noise. LLaMA 1 uses 10⁻⁶, Llama 2 and 3 use 10⁻⁵. Ask the class to guess at which eps the model will start to change, then check it in the lab on the next slide.',
      component: Eps,
    },
    {
      id: 'precision',
      kind: 'prose',
      title: 'Float32 for the norm, and its gradient',
      component: Precision,
      notes:
        'Ask the class: what is 4,096 × 4²? (65,536.) Then say the largest float16 is 65,504: a sum of squares overflows as soon as entries reach size 4. bfloat16 does not overflow but rounds: 4,096 ones added one by one come to 256. That is why Meta’s code normalises in float32. Then announce the backward pass: every training step needs it.',
    },
    {
      id: 'backward',
      kind: 'derivation',
      title: 'RMSNorm’s backward pass',
      notes:
        'Reveal step by step. The key line is the third: the gradient flows through scaled by 1/r, minus its part along x̂. Ask before the last step: if scaling x does not change the output, what must the gradient along x be? (Zero.) The chapter’s tests check this formula against finite differences and against the trainer’s own code.',
      intro:
        'One token’s vector x of width d, gain g, r = √(RMS(x)² + ε), x̂ = x / r and y = g ⊙ x̂. The layer above hands back u = ∂L/∂y.',
      steps: [
        {
          tex: R`\frac{\partial r}{\partial x_j} = \frac{x_j}{d\, r}`,
          why: 'Differentiate r² = (1/d) Σᵢ xᵢ² + ε: 2r ∂r/∂xⱼ = 2xⱼ/d.',
        },
        {
          tex: R`\frac{\partial y_i}{\partial x_j} = g_i \Big( \frac{[i = j]}{r} - \frac{x_i\, x_j}{d\, r^3} \Big)`,
          why: 'Quotient rule on yᵢ = gᵢ xᵢ / r (the bracket [i = j] is 1 when i = j, else 0). Every output depends on every input, through r.',
        },
        {
          tex: R`\frac{\partial L}{\partial x} = \frac{1}{r}\Big( u \odot g - \hat x \, \frac{1}{d}\sum_{i=1}^{d} u_i\, g_i\, \hat x_i \Big), \qquad \frac{\partial L}{\partial g} = u \odot \hat x`,
          why: 'Chain rule: ∂L/∂xⱼ = Σᵢ uᵢ ∂yᵢ/∂xⱼ. The gradient passes straight through, scaled by 1/r, minus its component along x̂ (exactly that when ε = 0, where Σᵢ x̂ᵢ² = d). For a whole sequence ∂L/∂g adds up over the tokens.',
        },
        {
          tex: R`\epsilon = 0 \;\Rightarrow\; x^{\top} \frac{\partial L}{\partial x} = \frac{1}{r}\Big(\sum_i u_i g_i \hat x_i\Big)\Big(r - \frac{r}{d} \sum_i \hat x_i^2\Big) = 0`,
          why: 'With ε = 0, Σᵢ x̂ᵢ² = d. The gradient is orthogonal to x: scaling x does not change y, so the loss has no slope in that direction (the re-scaling invariance, seen from the backward side). LayerNorm’s backward pass has one more term, for the mean it subtracts.',
        },
      ],
    },
    {
      id: 'lab',
      kind: 'lab',
      title: 'Swap the norm in the live model',
      notes:
        'Move the eps knob up by orders of magnitude: the KL from the trained model stays near zero for a long way, then rises once eps approaches the squared RMS of the hidden vectors. Then switch the norm to LayerNorm and watch the KL, the generated text and the held-out perplexity move. Ask before each change: a big change or a small one? Use the histograms to show how large the residual stream really is.',
      intro: (m) =>
        `${m ? `The model below was trained with ${m.norm}. ` : ''}Switch every norm layer to ${m?.norm === 'LayerNorm' ? 'RMSNorm' : 'LayerNorm (gain only, since the file has no bias)'} or move eps, and see how far the next-token distribution moves (KL divergence from the trained model), what the model writes and how well it predicts a held-out passage.`,
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
      notes:
        'If both training runs are loaded, compare the RMSNorm and LayerNorm loss curves: ask the class whether the two reach a similar loss, and remind them that the paper’s claim is comparable quality at lower cost, not better quality. If the figure says the runs are missing, skip this slide.',
      component: TrainingCurves,
      alt: 'Training and validation loss against training step for the built-in model trained with RMSNorm and a copy trained with LayerNorm, when both training runs are available.',
    },
    {
      id: 'misconception',
      kind: 'misconception',
      title: '“RMSNorm gives more stable gradients”',
      notes:
        'Read the claim aloud and ask who has heard it. Then say what the RMSNorm paper actually claims: re-scaling invariance is the part of LayerNorm that matters, and dropping re-centering reaches comparable quality at lower cost. The LLaMA paper cites it for the stability of pre-norm as a whole, not for a gradient property of RMSNorm.',
      component: Misconception,
    },
    {
      id: 'check',
      kind: 'quiz',
      title: 'Check yourself',
      notes:
        'Give the class a minute per question, take a show of hands for each choice, then click to check. The first two questions are the two invariances; the third is the √d length: for d = 64 it is 8.',
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
      notes:
        'Point to the RMSNorm paper (Zhang and Sennrich, 2019) and section 2.2 of the LLaMA paper for anyone who wants the source. Nothing to demonstrate here.',
      refs: [
        {
          authors: 'Zhang, Sennrich',
          title: 'Root Mean Square Layer Normalization',
          year: 2019,
          arxiv: '1910.07467',
        },
        {
          authors: 'Xiong, Yang, He, Zheng, Zheng, Xing, Zhang, Lan, Wang, Liu',
          title: 'On Layer Normalization in the Transformer Architecture',
          year: 2020,
          arxiv: '2002.04745',
          note: 'Gradients of post-norm and pre-norm Transformers at initialisation; pre-norm trained without warm-up in their experiments.',
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
          note: 'Section 2.2: pre-normalization, with the RMSNorm function; section 2.3: 2,000 warm-up steps.',
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
