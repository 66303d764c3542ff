// Chapter 3: rotary position embeddings. The order of the blocks is the order of the page and of
// the slides. Prose is in ./prose, figures in ./figures, formulas in ./math.ts.
import type { ChapterDef } from '$lib/chapter.ts';
import heldOutLong from '../../assets/text/heldout-long.txt?raw';
import { meta } from './meta.ts';
import Intro from './prose/en/Intro.svelte';
import AbsoluteRelative from './prose/en/AbsoluteRelative.svelte';
import Frequencies from './prose/en/Frequencies.svelte';
import LongContext from './prose/en/LongContext.svelte';
import MisconceptionAdded from './prose/en/MisconceptionAdded.svelte';
import MisconceptionDecay from './prose/en/MisconceptionDecay.svelte';
import RotationPair from './figures/RotationPair.svelte';
import Spectrum from './figures/Spectrum.svelte';
import Decay from './figures/Decay.svelte';
import RopeView from './figures/RopeView.svelte';
import TrainingCurves from './figures/TrainingCurves.svelte';
import Stretch from './figures/Stretch.svelte';
import Alternatives from './prose/en/Alternatives.svelte';
import { chapterParams, chapterParamDefaults } from './params.ts';

const R = String.raw;

export const chapter: ChapterDef = {
  meta,
  knobs: ['rope', 'ropeBase', 'ropeScaling', 'ropeFactor'],
  params: chapterParams,
  paramDefaults: chapterParamDefaults,
  blocks: [
    {
      id: 'why',
      kind: 'prose',
      title: 'Attention cannot see order',
      notes:
        'Say: attention compares queries with keys by dot products; nothing in it looks at where a token sits, so shuffling the input only shuffles the output. LLaMA puts the position signal in one place: it rotates the query and the key of every head in every layer. Ask: dog bites man, man bites dog: what would a model without positions see?',
      component: Intro,
    },
    {
      id: 'equivariance',
      kind: 'derivation',
      title: 'Why: attention is permutation-equivariant',
      notes:
        'Reveal the three lines: the projections act row by row, a permutation reorders the rows and the columns of the scores alike, and a row-wise softmax does not care about order. Conclusion: each token gets the same output wherever it stands. Ask: which part of LLaMA already breaks this symmetry a little? (The causal mask.)',
      intro:
        'Take one head without a mask. X holds the T token vectors as rows; P is any T × T permutation matrix (it reorders rows); dₖ is the width of one head’s queries and keys (the RoPE formulas below call it d).',
      steps: [
        {
          tex: R`Q = XW_q,\quad K = XW_k,\quad V = XW_v,\qquad \operatorname{Attn}(X) = \operatorname{softmax}\!\Big(\frac{QK^{\top}}{\sqrt{d_k}}\Big) V`,
          why: 'The projections act on each row separately, and the softmax is taken along each row.',
        },
        {
          tex: R`X \to PX \;\Rightarrow\; QK^{\top} \to (PQ)(PK)^{\top} = P\,QK^{\top} P^{\top}`,
          why: 'Reordering the tokens reorders the rows and the columns of the score matrix in the same way.',
        },
        {
          tex: R`S = \frac{QK^{\top}}{\sqrt{d_k}}:\qquad \operatorname{softmax}(P S P^{\top}) = P \operatorname{softmax}(S)\, P^{\top}`,
          why: 'A row-wise softmax does not care in which order the entries of a row come.',
        },
        {
          tex: R`\operatorname{Attn}(PX) = P \operatorname{softmax}(S)\, P^{\top} P V = P \operatorname{Attn}(X)`,
          why: 'Since PᵀP = I: shuffling the input only shuffles the output. Each token’s result is the same wherever it stands, so the order of the words is invisible.',
        },
      ],
    },
    {
      id: 'relative',
      kind: 'prose',
      title: 'Absolute or relative positions',
      notes:
        'Say: adding a position vector mixes contents with absolute positions in four terms, and a learned table stops at its last trained position. What we want is a score that depends on the two contents and their distance only. Ask the class to guess which simple operation on a vector could do that before you move on.',
      component: AbsoluteRelative,
    },
    {
      id: 'derive',
      kind: 'derivation',
      title: 'RoPE: turn each pair by m·θᵢ',
      notes:
        'Reveal step by step. The key step is the one where R(m)ᵀR(n) = R(n − m): the score depends on the positions only through their distance. Say that the complex-number view and the rotation-matrix view are the same computation, and that llama2.c’s run.c does the matrix one on adjacent pairs. Ask: what happens to a vector’s length under RoPE?',
      intro:
        'Split a query q of one head (d entries, d even) into d/2 pairs. Do the same with a key k. The query sits at position m, the key at n.',
      steps: [
        {
          tex: R`\tilde q_i = q_{2i} + \mathrm{i}\, q_{2i+1}, \qquad i = 0, \dots, \tfrac{d}{2} - 1`,
          why: 'The complex-number view: read each pair as one complex number.',
        },
        {
          tex: R`f(q, m)_i = \tilde q_i\, e^{\mathrm{i} m \theta_i}`,
          why: 'RoPE multiplies pair i by a unit complex number: a rotation by the angle m θᵢ. Its length does not change.',
        },
        {
          tex: R`\begin{pmatrix} q'_{2i} \\ q'_{2i+1} \end{pmatrix} = \begin{pmatrix} \cos m\theta_i & -\sin m\theta_i \\ \sin m\theta_i & \cos m\theta_i \end{pmatrix} \begin{pmatrix} q_{2i} \\ q_{2i+1} \end{pmatrix}`,
          why: 'The same thing as a 2 × 2 rotation matrix. Stacking the d/2 blocks on the diagonal gives one orthogonal d × d matrix R(m); q′ = R(m) q. This is what Meta’s code and llama2.c’s run.c compute.',
        },
        {
          tex: R`R(m)^{\top} R(n) = R(-m) R(n) = R(n - m)`,
          why: 'Rotations of a plane compose by adding angles, and the inverse (the transpose) of a rotation by a is the rotation by −a. Every block does this with its own θᵢ.',
        },
        {
          tex: R`\langle R(m)\,q,\; R(n)\,k \rangle = q^{\top} R(m)^{\top} R(n)\, k = \langle q,\; R(n - m)\, k \rangle`,
          why: 'The score depends on the positions only through n − m: exactly the relative form asked for. Shift both tokens by the same amount and the score does not move.',
        },
        {
          tex: R`\langle R(m)\,q,\; R(n)\,k \rangle = \operatorname{Re} \sum_{i=0}^{d/2-1} \tilde q_i\, \overline{\tilde k_i}\; e^{\mathrm{i}(m - n)\theta_i}`,
          why: 'The complex view of the same score: each pair contributes its content product q̃ᵢ k̃ᵢ* turned by the distance times θᵢ.',
        },
        {
          tex: R`\theta_i = \text{base}^{-2i/d}, \qquad \text{base} = 10{,}000 \text{ (LLaMA 1, 2)},\; 500{,}000 \text{ (Llama 3)}`,
          why: 'Each pair gets its own speed, from 1 radian per position (i = 0) down to about 1/base radians per position (the last pair).',
        },
      ],
    },
    {
      id: 'rotation',
      kind: 'figure',
      title: 'One pair of a query and a key, turning',
      notes:
        'Move the query position m and the key position n: both arrows turn and the score changes. Then move the shift slider, or start the animation that moves both positions together: the arrows turn, the angle between them does not, and the score stays the same. Ask the class to predict the score before you press play. Change the pair index to show a slower pair.',
      component: RotationPair,
      alt: 'A plane with a query pair (blue arrow) and a key pair (orange arrow), each turned by its position times θ. Faded arrows show the pairs before rotation. An arc marks the angle between the arrows, and the score is printed beside it. Sliders set the query position m, the key position n, a shift applied to both, the pair index and the vectors; an animation moves both positions together, and the score stays the same.',
    },
    {
      id: 'frequencies',
      kind: 'prose',
      title: 'Many clocks: the frequencies',
      notes:
        'Say: each pair turns at its own speed, from one radian per token for pair 0 down to about 1/base for the last one, like a clock with many hands. Llama 1 and 2 use base 10,000; Llama 3 uses 500,000. Ask: which pair tells the model the order of neighbouring words, and which tells roughly where in a long text it is?',
      component: Frequencies,
    },
    {
      id: 'spectrum',
      kind: 'figure',
      title: 'Wavelengths for base 10,000 and 500,000',
      notes:
        'Point at the two curves: the wavelength grows geometrically with the pair index, and base 500,000 stretches every wavelength except pair 0’s. The horizontal lines are context lengths. Ask: for base 10,000, how many pairs complete at least one full turn within 4,096 tokens? Read it off the chart together.',
      component: Spectrum,
      alt: 'Log-scale chart of the wavelength 2π/θᵢ of every pair i of one head, for base 10,000 and for base 500,000, and for the page’s own base and scaling when they differ, with horizontal lines at context lengths (the live model’s seq_len, 4,096, 8,192 and 128K).',
    },
    {
      id: 'decay-derive',
      kind: 'derivation',
      title: 'The long-range decay',
      notes:
        'Reveal step by step, but keep the message simple: summation by parts turns the score into a bound that depends on the contents times a factor that depends only on the distance. Say clearly that it is a bound, not the score itself. Ask: why do the partial sums cancel when the tokens are far apart?',
      intro:
        'RoFormer bounds the score as the distance grows. Write hᵢ for the content product of pair i and Cⱼ for a partial sum of the rotations.',
      steps: [
        {
          tex: R`h_i = \tilde q_i\, \overline{\tilde k_i}, \quad h_{d/2} = 0, \qquad C_j = \sum_{i=0}^{j-1} e^{\mathrm{i}(m-n)\theta_i}, \quad C_0 = 0`,
          why: 'The score is the real part of Σᵢ hᵢ times the rotation of pair i, and that rotation is the difference of two partial sums, Cᵢ₊₁ − Cᵢ.',
        },
        {
          tex: R`\sum_{i=0}^{d/2-1} h_i\, (C_{i+1} - C_i) = \sum_{i=0}^{d/2-1} (h_i - h_{i+1})\, C_{i+1}`,
          why: 'Summation by parts (Abel’s transformation): the same sum, regrouped, using C₀ = 0 and a zero h after the last pair.',
        },
        {
          tex: R`\big|\langle R(m)q, R(n)k\rangle\big| \le \Big(\max_i \lvert h_{i+1} - h_i \rvert\Big) \sum_{j=1}^{d/2} \lvert C_j \rvert`,
          why: 'The triangle inequality. The first factor depends only on the contents; the second only on the distance and the frequencies.',
        },
        {
          tex: R`\frac{1}{d/2} \sum_{j=1}^{d/2} \lvert C_j \rvert \text{ shrinks (on average) as } \lvert m - n \rvert \text{ grows}`,
          why: 'At distance 0 every rotation is 1 and the Cⱼ add up; far apart, the turns of the different pairs point every which way and the partial sums partly cancel. The chart below draws this relative bound.',
        },
      ],
    },
    {
      id: 'decay',
      kind: 'figure',
      title: 'Score against distance',
      notes:
        'Show the bound falling from 1 with ripples as the distance grows, and the score of two constant vectors oscillating under it. Switch to base 500,000 and ask the class to predict the change: the bound falls much more slowly because the slow pairs barely turn.',
      component: Decay,
      alt: 'Line chart against distance: RoFormer’s relative upper bound, which falls from 1 and then decays slowly with ripples, and the score of two constant vectors, which oscillates and decays, both relative to their value at distance 0, for the page’s base and the chosen head size.',
    },
    {
      id: 'pairing',
      kind: 'derivation',
      title: 'Two ways to pick the pairs, one model',
      notes:
        'Say: Meta and llama2.c rotate adjacent entries, Hugging Face rotates entry i with entry i + d/2. Both are RoPE, and a fixed permutation of the rows of Wq and Wk per head turns one into the other, which is what Hugging Face’s conversion script does. Ask: why can Wv and Wo be left alone?',
      intro:
        'Meta’s reference code and llama2.c turn adjacent entries (2i, 2i+1) together. Hugging Face’s transformers turns entry i with entry i + d/2 (its rotate_half function). Both are RoPE; they differ by a fixed reordering of each head’s entries.',
      steps: [
        {
          tex: R`\text{interleaved: } \big(q_{2i},\, q_{2i+1}\big) \mapsto R(m\theta_i)\big(q_{2i},\, q_{2i+1}\big)`,
          why: 'The layout of this chapter, of the live model and of Meta’s checkpoints.',
        },
        {
          tex: R`\begin{aligned} \text{rotate-half: } q' &= q \odot \cos + \operatorname{rotate\_half}(q) \odot \sin \\ \operatorname{rotate\_half}(q) &= \big(-q_{d/2:d},\; q_{0:d/2}\big) \end{aligned}`,
          why: 'Here cos and sin hold the d/2 angles twice. Entry i and entry i + d/2 form the pair that turns by m θᵢ.',
        },
        {
          tex: R`(\Pi q)_{c\,d/2 + i} = q_{2i+c}, \quad c \in \{0, 1\} \;\Rightarrow\; \operatorname{RoPE}_{\text{half}}(\Pi q, m) = \Pi\, \operatorname{RoPE}_{\text{interleaved}}(q, m)`,
          why: 'Move the even entries to the first half and the odd ones to the second. Each interleaved pair lands exactly on a rotate-half pair with the same θᵢ.',
        },
        {
          tex: R`\langle \Pi R(m) q,\; \Pi R(n) k \rangle = \langle R(m) q,\; R(n) k \rangle \quad (\Pi^{\top}\Pi = I)`,
          why: 'Scores are unchanged. Since q = Wq·x, permuting q is permuting the rows of Wq (per head), and likewise Wk. That is what Hugging Face’s conversion script does to Meta’s weights: the converted model computes the same function. Wv and Wo are left alone.',
        },
      ],
    },
    {
      id: 'long',
      kind: 'prose',
      title: 'Running past the trained context',
      notes:
        'Say: a model trained on N tokens has only seen angles up to N θᵢ; past that the slow pairs reach angles it never saw. The remedies change only the angles: linear interpolation squeezes every position; NTK-aware scaling raises the base, which keeps the fastest pair and slows every other one, more the slower it is; NTK-by-parts, YaRN and Llama 3.1 keep the fast pairs exactly and stretch only the slow ones; and long-context training with a large base. Ask the class which one they expect to hurt local word order.',
      component: LongContext,
    },
    {
      id: 'long-derive',
      kind: 'derivation',
      title: 'Four ways to slow the pairs down',
      intro:
        'Each scaling replaces θᵢ = base^(−2i/d) by a smaller θ′ᵢ, with a factor s (the knob “RoPE factor”) and the trained context L. The wavelength λᵢ = 2π/θᵢ is the number of positions for one turn.',
      notes:
        'Reveal step by step. After the NTK step, ask: which pair keeps its speed? (Only pair 0.) At the ramp, ask what r = L/λ counts (turns within the trained context). The punch line: Llama 3.1’s scaling and YaRN are the same formula with different α and β; YaRN adds a temperature.',
      steps: [
        {
          tex: R`\text{linear (position interpolation):}\quad \theta'_i = \theta_i / s \;\iff\; m \to m/s`,
          why: 'Chen et al., 2023: every pair is slowed s times, the fast ones too.',
        },
        {
          tex: R`\text{NTK-aware:}\quad \text{base}' = \text{base}\cdot s^{d/(d-2)} \;\Rightarrow\; \theta'_i = \theta_i\, s^{-2i/(d-2)}`,
          why: 'Pair 0 keeps θ₀; the last pair, i = d/2 − 1, is slowed exactly s times; every pair in between is slowed, by a factor that grows smoothly with i.',
        },
        {
          tex: R`r_i = \frac{L}{\lambda_i} = \frac{L\,\theta_i}{2\pi}`,
          why: 'How many full turns pair i makes within the trained context. A pair with r > 1 has seen every angle in training; one with r < 1 has not.',
        },
        {
          tex: R`\gamma(r) = \begin{cases} 0 & r < \alpha \ \dfrac{r - \alpha}{\beta - \alpha} & \alpha \le r \le \beta \ 1 & r > \beta \end{cases}, \qquad \theta'_i = \big(1 - \gamma(r_i)\big)\,\frac{\theta_i}{s} + \gamma(r_i)\,\theta_i`,
          why: 'NTK-by-parts (YaRN paper, section 3.2): pairs that turn more than β times keep their speed, pairs that turn less than α times are interpolated, and a linear ramp blends the rest.',
        },
        {
          tex: R`\text{Llama 3.1:}\quad \alpha = 1,\ \beta = 4,\ s = 8,\ L = 8192`,
          why: 'Meta’s apply_scaling writes the same thing with wavelengths: keep θ when λ < L/4, use θ/s when λ > L, and blend with (L/λ − 1)/(4 − 1) in between (low_freq_factor 1, high_freq_factor 4).',
        },
        {
          tex: R`\text{YaRN:}\quad \alpha = 1,\ \beta = 32, \qquad \operatorname{softmax}\!\Big(\frac{q'^{\top} k'}{t\,\sqrt{d_k}}\Big), \quad \sqrt{1/t} = 0.1\,\ln s + 1`,
          why: 'YaRN (Peng et al., 2023) uses NTK-by-parts with the values it recommends for LLaMA and sharpens attention with a temperature t, applied by multiplying both q and k by √(1/t). In the live model, “yarn” does both; “llama3” is the ramp alone.',
        },
      ],
    },
    {
      id: 'stretch',
      kind: 'figure',
      title: 'How much each pair is slowed',
      component: Stretch,
      alt: 'Line chart with one point per pair: its trained wavelength on a log scale against how many times slower it turns under linear interpolation (flat at s), NTK-aware scaling (rising smoothly from 1 to s), Llama 3.1’s scaling and YaRN (1 for fast pairs, s for pairs slower than the trained context, blended between), with a dashed line at the trained context. A control switches between Llama 3.1 8B’s setting and the live model’s.',
      notes:
        'Start on Llama 3.1 8B: the flat line is linear interpolation, the smooth curve NTK-aware, the two steps are Llama 3.1 and YaRN. Point at the dashed line: pairs to its right never completed a turn in training. Then switch to the live model and move the RoPE factor in the lab: the chart follows. Ask: which scaling disturbs local word order least?',
    },
    {
      id: 'lab',
      kind: 'lab',
      title: 'RoPE in the live model',
      notes:
        'First show the loss per position on the long held-out passage: past the dashed line at the trained seq_len the loss climbs. Then try the scaling presets: linear interpolation, NTK-aware, the Llama 3.1-style ramp and YaRN each change the loss past the line (and inside it). Then turn RoPE off: the attention maps change and the text degrades. Ask before each change what will happen to the loss past the dashed line.',
      intro: (m) =>
        `${m ? `The model below was trained with ${m.position} on short sequences (its seq_len is marked in the loss chart). ` : ''}${m && m.position !== 'RoPE' ? 'Turn RoPE on to rotate queries and keys it never saw rotated' : 'Turn RoPE off'}, change the base, or stretch the positions (linear interpolation, NTK-aware, Llama 3.1’s scaling or YaRN, each with the RoPE factor) and see the real queries and keys, the attention maps, the next token, the generated text and the loss on each position of a held-out passage several times longer than the trained context. For generation past the trained context, give a long prompt and raise the tokens to generate in the sampling settings.`,
      knobs: ['rope', 'ropeBase', 'ropeScaling', 'ropeFactor'],
      trace: [
        'L{layer}.attn.q',
        'L{layer}.attn.q_rot',
        'L{layer}.attn.k',
        'L{layer}.attn.k_rot',
        'L{layer}.attn.probs',
      ],
      perplexity: true,
      heldOut: heldOutLong,
      view: RopeView,
    },
    {
      id: 'alternatives',
      kind: 'prose',
      title: 'The KV cache, long-context training, ALiBi and NoPE',
      component: Alternatives,
      notes:
        'Three points. The cache stores keys already turned, so any RoPE change invalidates it. Published long-context models are trained long (Llama 3: six stages from 8K to 128K, about 800B tokens). ALiBi and NoPE are the alternatives; the NoPE twin of the live model is in the next chart. Ask: if NoPE generalises to longer inputs in some papers, why does the NoPE twin do worse here?',
    },
    {
      id: 'curves',
      kind: 'figure',
      title: 'Training with and without RoPE',
      notes:
        'If both runs are loaded, compare the RoPE model with its twin trained with no position encoding at all (NoPE). Ask: how close does NoPE get, and what could it still use to tell positions apart? (The causal mask.) If the runs are missing, skip this slide.',
      component: TrainingCurves,
      alt: 'Training and validation loss against training step for the built-in model (RoPE) and its twin trained with no position encoding (NoPE), when both training runs are available.',
    },
    {
      id: 'misconception-added',
      kind: 'misconception',
      title: '“RoPE adds a position vector to each token”',
      notes:
        'Read the claim and ask who has heard RoPE called a position embedding that is added. Then correct it: RoPE multiplies, it rotates q and k after their projections, and leaves the embeddings, the values and the residual stream alone. Lengths do not change; only the angles between queries and keys do.',
      component: MisconceptionAdded,
    },
    {
      id: 'misconception-decay',
      kind: 'misconception',
      title: '“With RoPE, distant tokens are ignored”',
      notes:
        'Read the claim. Then say that the decay is of an upper bound, not of every score: a head can learn queries and keys whose slow pairs line up and attend far back. Ask the class to look in the lab’s attention maps for a head whose weight stays on the first tokens.',
      component: MisconceptionDecay,
    },
    {
      id: 'check',
      kind: 'quiz',
      title: 'Check yourself',
      notes:
        'One minute per question, a show of hands, then click to check. The first question is the relative property (only n − m matters), the second is pair 0’s wavelength of 2π whatever the base, the third separates linear interpolation from NTK-aware scaling.',
      questions: [
        {
          id: 'shift',
          prompt:
            'A query at position 10 and a key at position 3 give score s. The same two vectors at positions 110 and 103 give…',
          choices: [
            's',
            's turned by 100 θ',
            'a smaller score, because they are further from the start',
            'it depends on the base',
          ],
          answer: 0,
          explain:
            '⟨R(m)q, R(n)k⟩ = ⟨q, R(n − m)k⟩ depends only on n − m, which is −7 in both cases.',
        },
        {
          id: 'fastest',
          prompt:
            'With base 10,000 and head size 128, how many positions does pair i = 0 need for one full turn?',
          choices: ['2π ≈ 6.3', '128', '10,000', '2π · 10,000'],
          answer: 0,
          explain: 'θ₀ = base⁰ = 1 radian per position whatever the base, so its wavelength is 2π.',
        },
        {
          id: 'interp',
          prompt:
            'Linear position interpolation with factor 4: the token at position 1,000 gets the angles an unscaled model uses at position…',
          choices: ['250', '1,000', '4,000', '1,000 for the fast pairs, 250 for the slow ones'],
          answer: 0,
          explain:
            'Interpolation divides every position by the factor, for every pair alike. Keeping the fast pairs exactly and stretching only the slow ones is what NTK-by-parts, YaRN and Llama 3.1’s scaling do. NTK-aware scaling is in between: it slows every pair except the fastest, smoothly more for slower ones.',
        },
      ],
    },
    {
      id: 'refs',
      kind: 'references',
      title: 'References',
      notes:
        'Point to RoFormer (Su et al.) for the rotation and the decay bound, the position-interpolation paper, and the Llama 3 paper for base 500,000. Nothing to demonstrate here.',
      refs: [
        {
          authors: 'Su, Lu, Pan, Murtadha, Wen, Liu',
          title: 'RoFormer: Enhanced Transformer with Rotary Position Embedding',
          year: 2021,
          arxiv: '2104.09864',
          note: 'The rotation, its relative property and the long-term decay bound.',
        },
        {
          authors: 'Chen, Wong, Chen, Tian',
          title: 'Extending Context Window of Large Language Models via Positional Interpolation',
          year: 2023,
          arxiv: '2306.15595',
        },
        {
          authors: 'bloc97',
          title:
            'NTK-Aware Scaled RoPE allows LLaMA models to have extended (8k+) context size without any fine-tuning and minimal perplexity degradation (r/LocalLLaMA post)',
          year: 2023,
          note: 'Where NTK-aware scaling was proposed.',
        },
        {
          authors: 'Peng, Quesnelle, Fan, Shippole',
          title: 'YaRN: Efficient Context Window Extension of Large Language Models',
          year: 2023,
          arxiv: '2309.00071',
          note: 'Section 3: NTK-aware, NTK-by-parts (the ramp with α = 1, β = 32 for LLaMA) and the attention temperature √(1/t) = 0.1 ln s + 1.',
        },
        {
          authors: 'Meta',
          title:
            'llama-models reference implementation, function apply_scaling (github.com/meta-llama/llama-models)',
          year: 2024,
          note: 'Llama 3.1’s RoPE scaling: factor 8, low_freq_factor 1, high_freq_factor 4, original context 8,192.',
        },
        {
          authors: 'Xiong et al.',
          title: 'Effective Long-Context Scaling of Foundation Models',
          year: 2023,
          arxiv: '2309.16039',
        },
        {
          authors: 'Llama Team, AI @ Meta',
          title: 'The Llama 3 Herd of Models',
          year: 2024,
          arxiv: '2407.21783',
          note: 'RoPE base 500,000; context extended to 128K tokens in six stages for Llama 3.1 (section 3.4.2).',
        },
        {
          authors: 'Press, Smith, Lewis',
          title:
            'Train Short, Test Long: Attention with Linear Biases Enables Input Length Extrapolation',
          year: 2021,
          arxiv: '2108.12409',
          note: 'ALiBi.',
        },
        {
          authors: 'Kazemnejad, Padhi, Natesan Ramamurthy, Das, Reddy',
          title: 'The Impact of Positional Encoding on Length Generalization in Transformers',
          year: 2023,
          arxiv: '2305.19466',
          note: 'NoPE: decoder-only Transformers without position encoding.',
        },
        {
          authors: 'Touvron et al.',
          title: 'LLaMA: Open and Efficient Foundation Language Models',
          year: 2023,
          arxiv: '2302.13971',
          note: 'Section 2.2: rotary embeddings replace absolute position embeddings.',
        },
      ],
    },
  ],
};
