// Chapter 5: pretraining. The data story, the compute estimate, the tokenizer, then a training
// run in the page, the loss and the optimiser it uses. Numbers are computed in ./math.ts from
// docs/reference/llama-facts.md; the lab runs src/train in Web Workers.
import type { ChapterDef } from '$lib/chapter.ts';
import { meta } from './meta.ts';
import Data from './prose/en/Data.svelte';
import LabIntro from './prose/en/LabIntro.svelte';
import Misconception from './prose/en/Misconception.svelte';
import TrainLab from './figures/TrainLab.svelte';
import TokensPerParam from './figures/TokensPerParam.svelte';
import TokenizerLive from './figures/TokenizerLive.svelte';
import Tokenizer from './prose/en/Tokenizer.svelte';
import { FAMILY, llamaParams, tokensPerParam, trainingFlops } from './math.ts';

const R = String.raw;
const l3 = FAMILY.find((f) => f.name === 'Llama 3.1 405B')!;
const l3Flops = trainingFlops(llamaParams(l3.shape), l3.tokens);
const l1 = FAMILY.find((f) => f.name === 'LLaMA 1 7B')!;
const l1Ratio = Math.round(tokensPerParam(l1.tokens, llamaParams(l1.shape)));
const sci = (x: number) => {
  const e = Math.floor(Math.log10(x));
  return R`${(x / 10 ** e).toFixed(1)} \times 10^{${e}}`;
};

export const chapter: ChapterDef = {
  meta,
  knobs: [],
  blocks: [
    {
      id: 'data',
      kind: 'prose',
      title: 'Trillions of tokens of public text',
      component: Data,
      notes:
        'Open with the table: two thirds web text, and the small clean sources read more than twice. Ask the class why one would read Wikipedia twice but the web once (quality per token). Then the three budgets: 1.4T, 2T, 15T.',
    },
    {
      id: 'compute',
      kind: 'derivation',
      title: 'What a token of training costs: 6ND',
      intro:
        'N parameters, D training tokens. Count the multiply-adds of the matrix products, which hold almost all the work of a decoder whose width is much larger than its context length.',
      notes:
        'Reveal one step at a time. The key fact is that each weight is used once per token in the forward pass (one multiply and one add) and twice in the backward pass. Ask: why twice? (the gradient for the input and the gradient for the weight).',
      steps: [
        {
          tex: R`y = W h, \quad W \in \mathbb{R}^{a \times b}: \quad 2ab \text{ FLOPs per token}`,
          why: 'A matrix-vector product does one multiply and one add per weight. Summed over every weight matrix of the model, the forward pass costs about 2N FLOPs per token.',
        },
        {
          tex: R`\frac{\partial L}{\partial h} = W^{\top} \frac{\partial L}{\partial y}, \qquad \frac{\partial L}{\partial W} = \frac{\partial L}{\partial y}\, h^{\top}: \quad 2 \cdot 2ab`,
          why: 'The backward pass needs two products of the same size per layer: one sends the gradient on to the layer below, one gives the weight its gradient. That is 4N FLOPs per token.',
        },
        {
          tex: R`C \approx (2 + 4)\, N D = 6ND`,
          why: 'Forward plus backward, for every one of the D training tokens (Kaplan et al., 2020). Attention scores add a term that grows with the context length; at LLaMA sizes it is small next to 6N per token.',
        },
        {
          tex: R`C_{\text{405B}} \approx 6 \cdot ${sci(llamaParams(l3.shape))} \cdot ${sci(l3.tokens)} \approx ${sci(l3Flops)} \text{ FLOPs}`,
          why: 'Llama 3.1 405B on 15.6T tokens: the Llama 3 paper reports about 3.8 × 10²⁵ FLOPs, the same figure.',
        },
        {
          tex: R`\frac{D}{N} \approx 20 \;\text{(Chinchilla)} \qquad \text{vs} \qquad \frac{D}{N} \approx ${l1Ratio} \;\text{(LLaMA 1 7B)}`,
          why: 'For a fixed C, Chinchilla’s fits put the lowest loss at about 20 tokens per parameter. LLaMA trains its small models on many times more: more compute than optimal for training, in exchange for a model that is cheaper to run.',
        },
      ],
    },
    {
      id: 'tokens-per-param',
      kind: 'figure',
      title: 'Tokens per parameter across the family',
      component: TokensPerParam,
      alt: 'Tokens per parameter of each LLaMA model on a log scale, against the Chinchilla line at 20: every model is above it, LLaMA 1 65B least (about 20) and Llama 3 8B most (about 1,900).',
      notes:
        'Point at the line at 20 and at the Llama 3 8B dot, almost a hundred times above it. Ask which models are closest to compute-optimal (the largest ones). Hover the dots for the numbers.',
    },
    {
      id: 'tokenizer',
      kind: 'prose',
      title: 'Tokens: a vocabulary learned from the data',
      component: Tokenizer,
      notes:
        'Say what a merge is with one example (“t” + “h” → “th”). Then the trade-off: a bigger vocabulary makes sequences shorter but the embedding and classifier larger; for Llama 3 8B they are about 13% of the parameters.',
    },
    {
      id: 'tokenizer-live',
      kind: 'figure',
      title: 'Train a tokenizer',
      component: TokenizerLive,
      alt: 'A BPE tokenizer trained in the page on a chosen text: the list of learned merges in order, a sentence split into pieces with their ids, and the characters per token at two vocabulary sizes.',
      notes:
        'Train at 300 tokens, then at 1,000: the sentence splits into fewer, longer pieces and characters per token rises. Move the merges slider back to 0 to show the sentence as single characters and bytes.',
    },
    {
      id: 'lab-intro',
      kind: 'prose',
      title: 'Train a tiny LLaMA here',
      component: LabIntro,
      notes:
        'Say that this is the very trainer that made the shipped models, running in the browser tab. Start the 2-minute preset before explaining the controls, so it trains while you talk.',
    },
    {
      id: 'train-lab',
      kind: 'figure',
      title: 'The training lab',
      component: TrainLab,
      alt: 'Controls for data, architecture and training recipe; a live chart of training and validation loss in bits per character, the learning rate and the gradient norm per step; samples from the model; buttons to keep, use and download the trained model.',
      notes:
        'Press Train on the 2-minute preset. Watch the loss fall fast, then slowly; pause and point at the warm-up in the learning-rate chart. Read the samples at step 100 and at the end. Then press “use this model” and open chapter 1: the live model is now the class’s own.',
    },
    {
      id: 'loss',
      kind: 'derivation',
      title: 'The loss: next-token cross-entropy, in bits per character',
      intro:
        'The model maps a context to logits z ∈ ℝᵛ over the V tokens of the vocabulary; the text has tokens x₁ … x_T.',
      notes:
        'The one idea: the loss is how surprised the model is by the real next token. Ask what a loss of ln V means (uniform guessing), and why bits per character and not per token lets two tokenizers be compared.',
      steps: [
        {
          tex: R`p_\theta(j \mid x_{<t}) = \frac{e^{z_j}}{\sum_{u=1}^{V} e^{z_u}}`,
          why: 'Softmax turns the logits into a distribution over the next token.',
        },
        {
          tex: R`\ell_t = -\log p_\theta(x_t \mid x_{<t}) = \log \sum_{u} e^{z_u} - z_{x_t}`,
          why: 'The cross-entropy of one position: the negative log-probability of the token that actually came next, in nats. It is 0 only if the model gave that token probability 1, and ln V for a uniform guess.',
        },
        {
          tex: R`\frac{\partial \ell_t}{\partial z_j} = p_\theta(j \mid x_{<t}) - [j = x_t]`,
          why: 'Its gradient with respect to the logits is the predicted distribution minus the one-hot target: the start of every backward pass in the trainer.',
        },
        {
          tex: R`L = \frac{1}{T} \sum_{t=1}^{T} \ell_t \quad \text{nats/token}`,
          why: 'The training loss is the mean over all positions of the batch.',
        },
        {
          tex: R`\text{bits/char} = \frac{\sum_t \ell_t}{\ln 2 \cdot (\text{characters of the text})}`,
          why: 'Divide the total by ln 2 to count bits, and by characters instead of tokens: a number that does not depend on the tokenizer, so runs with different vocabularies compare fairly.',
        },
      ],
    },
    {
      id: 'adamw',
      kind: 'derivation',
      title: 'AdamW as LLaMA uses it, with warm-up and cosine decay',
      intro:
        'LLaMA 1 and 2 train with AdamW (β₁ = 0.9, β₂ = 0.95, weight decay 0.1), gradient clipping at 1.0, a warm-up of 2,000 steps and a cosine schedule down to 10% of the peak learning rate. The lab uses the same rule with a shorter warm-up.',
      notes:
        'Point out the two LLaMA-specific choices: β₂ = 0.95 (a shorter memory of gradient size than the usual 0.999, steadier for large models) and decay that is decoupled from the gradient. Then show the schedule in the lab’s learning-rate chart.',
      steps: [
        {
          tex: R`m_s = \beta_1 m_{s-1} + (1-\beta_1)\, g_s, \qquad v_s = \beta_2 v_{s-1} + (1-\beta_2)\, g_s^2`,
          why: 'Running averages of the gradient and of its square, per parameter. With β₂ = 0.95 the second moment forgets in about 20 steps.',
        },
        {
          tex: R`\hat m_s = \frac{m_s}{1-\beta_1^s}, \qquad \hat v_s = \frac{v_s}{1-\beta_2^s}`,
          why: 'Both start at zero, so early averages are too small; dividing by 1 − βˢ (at step s) removes that bias.',
        },
        {
          tex: R`\theta_s = \theta_{s-1} - \eta_s \Big( \frac{\hat m_s}{\sqrt{\hat v_s} + \epsilon} + \lambda\, \theta_{s-1} \Big)`,
          why: 'The step is the normalised average gradient plus decoupled weight decay λθ (Loshchilov and Hutter): the decay is not mixed into g, so Adam’s scaling does not weaken it. The trainer decays matrices only, not the norm gains.',
        },
        {
          tex: R`\eta_s = \begin{cases} \eta_{\max} \dfrac{s+1}{w} & s < w \\[4pt] \eta_{\min} + \tfrac{1}{2}(\eta_{\max} - \eta_{\min})\big(1 + \cos \pi \tfrac{s - w}{S - w}\big) & s \ge w \end{cases}`,
          why: 'Linear warm-up over w steps (the moments are noisy at first), then a half cosine from the peak to η_min = 0.1 η_max at the last step S.',
        },
      ],
    },
    {
      id: 'misconception',
      kind: 'misconception',
      title: 'Common misconception: “more than 20 tokens per parameter is wasted”',
      component: Misconception,
      notes:
        'Ask the class first: if you will serve a model to millions of users, would you rather train a big model briefly or a small one for long? Then read the two ratios, 140 and 1,900.',
    },
    {
      id: 'quiz',
      kind: 'quiz',
      title: 'Check yourself',
      notes:
        'One minute each. The first is 6ND (6 × 7e9 × 2e12), the second the meaning of ln V at initialisation, the third the vocabulary share.',
      questions: [
        {
          id: 'flops',
          prompt:
            'About how many FLOPs does it take to pretrain a 7B-parameter model on 2T tokens?',
          choices: ['8.4 × 10¹⁹', '8.4 × 10²²', '1.4 × 10²²', '8.4 × 10²⁵'],
          answer: 1,
          explain: '6 · 7 × 10⁹ · 2 × 10¹² = 8.4 × 10²² FLOPs.',
        },
        {
          id: 'init-loss',
          prompt:
            'A freshly initialised model with a vocabulary of 512 tokens predicts nearly uniformly. What is its loss, in nats per token?',
          choices: ['0', 'about 1', 'about 6.2', '512'],
          answer: 2,
          explain:
            'A uniform guess gives each token probability 1/512, and −ln(1/512) = ln 512 ≈ 6.24 nats: where the lab’s curve starts.',
        },
        {
          id: 'vocab',
          prompt:
            'Llama 3 8B grew the vocabulary from 32,000 to 128,256 tokens. What did that do to the embedding and classifier?',
          choices: [
            'Nothing: their size does not depend on the vocabulary',
            'They grew fourfold, to about 13% of all parameters',
            'They shrank, because sequences got shorter',
            'They were removed',
          ],
          answer: 1,
          explain:
            'Each holds V × d numbers: 2 · 128,256 · 4,096 ≈ 1.05B of about 8.0B parameters. In exchange the same text takes fewer tokens.',
        },
      ],
    },
    {
      id: 'references',
      kind: 'references',
      title: 'References',
      notes:
        'The LLaMA papers for the data and recipe, Kaplan et al. for 6ND, Chinchilla for the 20 tokens per parameter, SentencePiece for the tokenizer.',
      refs: [
        {
          authors: 'Touvron et al.',
          title: 'LLaMA: Open and Efficient Foundation Language Models',
          year: 2023,
          arxiv: '2302.13971',
          note: 'The data mixture (Table 1), CCNet filtering, the AdamW recipe.',
        },
        {
          authors: 'Touvron et al.',
          title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models',
          year: 2023,
          arxiv: '2307.09288',
          note: '2T tokens, the same 32K tokenizer.',
        },
        {
          authors: 'Llama Team, AI @ Meta',
          title: 'The Llama 3 Herd of Models',
          year: 2024,
          arxiv: '2407.21783',
          note: '15.6T tokens, the 128K vocabulary, 3.8 × 10²⁵ FLOPs for 405B.',
        },
        {
          authors: 'Kaplan et al.',
          title: 'Scaling Laws for Neural Language Models',
          year: 2020,
          arxiv: '2001.08361',
          note: 'C ≈ 6ND.',
        },
        {
          authors: 'Hoffmann et al.',
          title: 'Training Compute-Optimal Large Language Models',
          year: 2022,
          arxiv: '2203.15556',
          note: 'Chinchilla: about 20 tokens per parameter.',
        },
        {
          authors: 'Kudo, Richardson',
          title: 'SentencePiece: A simple and language independent subword tokenizer',
          year: 2018,
          arxiv: '1808.06226',
          note: 'The tokenizer library of LLaMA 1 and 2 (BPE with byte fallback).',
        },
        {
          authors: 'Loshchilov, Hutter',
          title: 'Decoupled Weight Decay Regularization',
          year: 2019,
          arxiv: '1711.05101',
          note: 'AdamW.',
        },
      ],
    },
  ],
};
