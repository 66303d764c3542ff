// Chapter 6: decoding. The live model's next-token distribution and the sampler's knobs,
// the sampler's exact semantics, rejection sampling (the Monte Carlo method) and speculative
// decoding, which is rejection sampling used to decode faster. Formulas are computed in
// ./math.ts and the engine (src/engine/distribution.ts, speculative.ts); tests check them.
import type { ChapterDef } from '$lib/chapter.ts';
import { meta } from './meta.ts';
import Intro from './prose/en/Intro.svelte';
import Semantics from './prose/en/Semantics.svelte';
import RejectionIntro from './prose/en/Rejection.svelte';
import SpeculativeIntro from './prose/en/Speculative.svelte';
import BestOfK from './prose/en/BestOfK.svelte';
import Misconception from './prose/en/Misconception.svelte';
import Sampling from './figures/Sampling.svelte';
import Repetition from './figures/Repetition.svelte';
import SameSeed from './figures/SameSeed.svelte';
import Rejection from './figures/Rejection.svelte';
import Speculative from './figures/Speculative.svelte';
import { chapterParams, chapterParamDefaults } from './params.ts';
import { expectedTokensPerPass } from './math.ts';

const R = String.raw;

export const chapter: ChapterDef = {
  meta,
  knobs: [],
  params: chapterParams,
  paramDefaults: chapterParamDefaults,
  blocks: [
    {
      id: 'why',
      kind: 'prose',
      title: 'From a distribution to text',
      component: Intro,
      notes:
        'Start with the question: the model gives 512 probabilities, so who picks the word? Say that everything in this chapter happens after the last layer, and that the model itself never changes here.',
    },
    {
      id: 'distribution',
      kind: 'figure',
      title: 'The next-token distribution, before and after the sampler',
      component: Sampling,
      alt: 'Bar chart of the live model’s most likely next tokens for the prompt, with the probabilities before the sampler (temperature 1, nothing cut) and after temperature, top-k, min-p and top-p, and the entropy and number of tokens left.',
      notes:
        'Lower the temperature to 0.3: the tallest bar grows, the entropy falls. Raise it to 1.5: the bars flatten. Then set top-p to 0.5 and ask the class how many tokens will be left before showing it; min-p 0.1 does something similar relative to the top token.',
    },
    {
      id: 'derive-sampling',
      kind: 'derivation',
      title: 'Temperature, top-k, top-p and min-p',
      intro:
        'Let z be the logits (one per token of a vocabulary of n), p the probabilities the sampler draws from.',
      steps: [
        {
          tex: R`p_i(T) = \frac{e^{z_i / T}}{\sum_{j=1}^{n} e^{z_j / T}}`,
          why: 'Temperature divides the logits before the softmax. T = 1 is the model as trained.',
        },
        {
          tex: R`T \to 0:\ p \to \mathbb{1}[i = \arg\max_j z_j], \qquad T \to \infty:\ p_i \to \tfrac{1}{n}`,
          why: 'A low temperature concentrates the mass on the most likely token (greedy decoding in the limit); a high one spreads it towards uniform. The entropy H = −Σ pᵢ log₂ pᵢ rises with T, from 0 bits to log₂ n.',
        },
        {
          tex: R`\text{top-}k:\ z_i \leftarrow -\infty \ \text{unless}\ z_i \text{ is among the } k \text{ largest}`,
          why: 'At most k tokens keep a probability, whatever their shares.',
        },
        {
          tex: R`\text{min-}p:\ p_i \leftarrow 0 \ \text{if}\ p_i < m \cdot \max_j p_j, \ \text{then renormalise}`,
          why: 'The cut follows the model’s confidence: when one token dominates, little else survives; when the distribution is flat, many tokens do.',
        },
        {
          tex: R`\text{top-}p:\ \text{keep the most probable tokens up to the first } k^{\ast} \text{ with } \sum_{i \le k^{\ast}} p_{(i)} > P`,
          why: 'The nucleus (Holtzman et al., 2019): the smallest set of most likely tokens whose mass exceeds P, renormalised. The figure’s “tokens left” counts what survives all of these.',
        },
      ],
      notes:
        'Walk through the five lines with the figure beside you. For the top-p line, point at the bars: add them from the left until the sum passes P; everything to the right is cut.',
    },
    {
      id: 'semantics',
      kind: 'prose',
      title: 'Exactly what the engine does',
      component: Semantics,
      notes:
        'The point of this slide is reproducibility: the same seed gives the same text in the page and in the terminal. If there is a terminal at hand, run the command shown two slides later.',
    },
    {
      id: 'lab',
      kind: 'lab',
      title: 'Generate, and watch repetition at low temperature',
      intro:
        'The lab generates with the sampling settings above (open “Sampling settings” for the seed and the length). Repeated runs of four tokens are marked: lower the temperature towards 0 and the text starts to loop.',
      knobs: [],
      view: Repetition,
      notes:
        'Set the temperature to 0: greedy text from this small model falls into a loop within a few lines, and the repeated share jumps. Then 0.8 with top-p 0.9. Ask why a deterministic decoder repeats: once a phrase recurs, the context that produced it recurs too.',
    },
    {
      id: 'same-seed',
      kind: 'figure',
      title: 'The same text from the command line',
      component: SameSeed,
      alt: 'The npm run llama command with the lab’s prompt, temperature, top-p, top-k, min-p, seed and number of steps, and the text the lab generated, which the command prints.',
      notes:
        'Copy the command into a terminal in the repository: it prints the lab’s text. Change the seed in the lab and the command changes with it.',
    },
    {
      id: 'rejection-intro',
      kind: 'prose',
      title: 'Rejection sampling, the Monte Carlo method',
      component: RejectionIntro,
      notes:
        'Draw the roof picture on the board: M·q above p, points thrown uniformly under the roof, the ones under p kept. Ask: what fraction is kept? (Area under p over area under the roof: 1/M.)',
    },
    {
      id: 'derive-rejection',
      kind: 'derivation',
      title: 'Why the kept draws are distributed as p',
      intro:
        'Draw x ∼ q and u ∼ U[0, 1); keep x when u < p(x) / (M q(x)), where p ≤ M q everywhere.',
      steps: [
        {
          tex: R`\Pr(x \text{ drawn and kept}) = q(x) \cdot \frac{p(x)}{M\,q(x)} = \frac{p(x)}{M}`,
          why: 'The acceptance probability p(x)/(M q(x)) is at most 1 exactly because p ≤ M q.',
        },
        {
          tex: R`\Pr(\text{kept}) = \sum_x \frac{p(x)}{M} = \frac{1}{M}`,
          why: 'The acceptance rate is 1/M, whatever p and q are, as long as the envelope holds. The smallest valid M is M* = maxₓ p(x)/q(x).',
        },
        {
          tex: R`\Pr(x \mid \text{kept}) = \frac{p(x)/M}{1/M} = p(x)`,
          why: 'Conditioned on being kept, a draw is distributed exactly as p. The number of tries per kept sample is geometric with mean M.',
        },
        {
          tex: R`M < \max_x \frac{p(x)}{q(x)} \;\Rightarrow\; \Pr(x \mid \text{kept}) \propto \min\bigl(p(x),\, M\,q(x)\bigr) \ne p(x)`,
          why: 'With too small an envelope the acceptance probability is capped at 1 where p > M q, and those tokens come out too rarely: the histogram no longer converges to p.',
        },
      ],
      notes:
        'Each line is one short computation; do them aloud. The last line is the one to test in the figure: set M below M* and watch the chi-square statistic grow with every batch.',
    },
    {
      id: 'rejection',
      kind: 'figure',
      title: 'Rejection sampling from the live model’s distribution',
      component: Rejection,
      alt: 'Scatter of draws from the proposal q under the envelope M·q, over the tokens ranked by p, coloured accepted (below p) or rejected; the acceptance rate against 1/M; a histogram of accepted draws against p with a chi-square test.',
      notes:
        'With the uniform proposal M* is in the hundreds and almost every draw is rejected: the acceptance rate sits near 1/M. Switch to the draft model: M* drops and most draws are kept. Then set M well below M* and draw several batches: the chi-square p-value collapses.',
    },
    {
      id: 'speculative-intro',
      kind: 'prose',
      title: 'Speculative decoding',
      component: SpeculativeIntro,
      notes:
        'Connect back to chapter 4: one decoding step reads all the weights, so scoring several tokens at once is almost free. Ask: how can a wrong guess by the small model not change the output? The next slide answers.',
    },
    {
      id: 'derive-speculative',
      kind: 'derivation',
      title: 'Proof: every emitted token is distributed as p',
      intro:
        'One position, draft distribution q, target p. Keep the proposal x ∼ q with probability min(1, p(x)/q(x)); otherwise draw from p̃ = norm(max(0, p − q)).',
      steps: [
        {
          tex: R`\Pr(\text{propose } x \text{ and keep it}) = q(x)\,\min\Bigl(1, \frac{p(x)}{q(x)}\Bigr) = \min\bigl(p(x), q(x)\bigr)`,
          why: 'The same step as in rejection sampling, with an envelope of 1 capped where p < q.',
        },
        {
          tex: R`\alpha = \sum_x \min\bigl(p(x), q(x)\bigr) = 1 - \tfrac{1}{2} \sum_x \lvert p(x) - q(x) \rvert`,
          why: 'The probability that a proposal is kept: one minus the total variation distance between the two models’ distributions.',
        },
        {
          tex: R`\sum_x \max\bigl(0, p(x) - q(x)\bigr) = \sum_x p(x) - \sum_x \min\bigl(p(x), q(x)\bigr) = 1 - \alpha`,
          why: 'Because max(0, p − q) = p − min(p, q). So the replacement distribution is r(x) = max(0, p(x) − q(x)) / (1 − α).',
        },
        {
          tex: R`\Pr(\text{emit } x) = \min\bigl(p(x), q(x)\bigr) + (1 - \alpha)\,\frac{\max\bigl(0, p(x) - q(x)\bigr)}{1 - \alpha} = p(x)`,
          why: 'Kept, or rejected (probability 1 − α) and replaced: the two terms add up to p(x) for every x. The next position is then conditioned on the emitted token, so by induction the whole sequence is distributed as the large model’s.',
        },
        {
          tex: R`\mathbb{E}[\text{tokens per large-model pass}] = \sum_{\ell=0}^{\gamma} \alpha^{\ell} = \frac{1 - \alpha^{\gamma + 1}}{1 - \alpha}`,
          why: `If each proposal is kept independently with probability α, the run of kept proposals has length k < γ with probability αᵏ(1 − α), then one more token (replacement or bonus) follows. For α = 0.8 and γ = 4 that is ${expectedTokensPerPass(0.8, 4).toFixed(2)} tokens per pass.`,
        },
        {
          tex: R`\text{speed-up} = \frac{1 - \alpha^{\gamma + 1}}{(1 - \alpha)(\gamma c + 1)}`,
          why: 'Leviathan et al.’s wall-time factor, with c the cost of a draft step relative to a large-model step: the γ draft steps are paid every round. A cheap draft (c small) that agrees often (α large) wins; a slow or poor one loses.',
        },
      ],
      notes:
        'The key line is the fourth: write min(p, q) + max(0, p − q) = p on the board with a small example (p = 0.5, q = 0.2 and p = 0.2, q = 0.5). Then the last two lines turn correctness into speed.',
    },
    {
      id: 'speculative',
      kind: 'figure',
      title: 'Speculative decoding, live',
      component: Speculative,
      alt: 'Each round of speculative decoding as a row of draft proposals marked accepted or rejected, followed by the replacement or bonus token; the measured acceptance rate, tokens per main-model pass against the formula, and the wall-clock speed against plain decoding; a chart of expected tokens per pass against gamma.',
      notes:
        'Run it at the default settings, then at temperature 0 (the text is the plain greedy text, token for token), then with γ = 8. Ask why the measured speed-up is much smaller than the tokens per pass: on a model this tiny the draft is not much cheaper than the main model, and JavaScript overhead per step dominates.',
    },
    {
      id: 'best-of-k',
      kind: 'prose',
      title: 'The other “rejection sampling”: best-of-K',
      component: BestOfK,
      notes:
        'Clear up the name clash: Llama 2 and 3’s rejection sampling keeps the best of K answers by a reward model. Ask whether the kept answers follow the model’s distribution (no, on purpose).',
    },
    {
      id: 'misconception',
      kind: 'misconception',
      title: 'Common misconception',
      component: Misconception,
      notes:
        'Ask the class whether speculative decoding changes what the model would have written. Most will say a little; the proof says not at all, and the temperature-0 run shows it token for token.',
    },
    {
      id: 'quiz',
      kind: 'quiz',
      title: 'Check yourself',
      notes:
        'One minute per question. The first is M* = max p/q; the second the formula on the derivation slide; the third follows from the proof at temperature 0.',
      questions: [
        {
          id: 'envelope',
          prompt:
            'The target is p = (0.5, 0.3, 0.2) over three tokens and the proposal is uniform, q = (1/3, 1/3, 1/3). What is the smallest valid envelope M, and the acceptance rate with it?',
          choices: ['M = 1, rate 1', 'M = 1.5, rate 2/3', 'M = 2, rate 1/2', 'M = 3, rate 1/3'],
          answer: 1,
          explain:
            'M* = max p/q = 0.5 / (1/3) = 1.5, and the acceptance rate is 1/M = 2/3. Any larger M is also valid, just wasteful.',
        },
        {
          id: 'tokens-per-pass',
          prompt:
            'A draft’s proposals are kept with probability α = 0.8 and it proposes γ = 4 tokens per round. How many tokens does each large-model pass yield on average?',
          choices: ['2.00', `${expectedTokensPerPass(0.8, 4).toFixed(2)}`, '4.00', '5.00'],
          answer: 1,
          explain: `(1 − 0.8⁵) / (1 − 0.8) = (1 − 0.32768) / 0.2 = ${expectedTokensPerPass(0.8, 4).toFixed(2)}: 1 + 0.8 + 0.64 + 0.512 + 0.4096.`,
        },
        {
          id: 'greedy',
          prompt:
            'At temperature 0, a draft model disagrees with the large model on every token. What does speculative decoding output?',
          choices: [
            'The large model’s greedy text, one token per large-model pass',
            'The draft’s greedy text',
            'A mix of the two',
            'Nothing: it needs temperature > 0',
          ],
          answer: 0,
          explain:
            'At temperature 0 both distributions are one-hot. A proposal is kept only if it is the large model’s argmax; otherwise the replacement norm(max(0, p − q)) is the large model’s argmax. So the text is the greedy text, one token per pass: correct, just slower.',
        },
      ],
    },
    {
      id: 'references',
      kind: 'references',
      title: 'References',
      notes:
        'Point to Leviathan et al. and Chen et al. for speculative decoding (found independently), Holtzman et al. for top-p, and the Llama 2 and 3 papers for best-of-K rejection sampling.',
      refs: [
        {
          authors: 'Leviathan, Kalman, Matias',
          title: 'Fast Inference from Transformers via Speculative Decoding',
          year: 2023,
          arxiv: '2211.17192',
        },
        {
          authors: 'Chen et al.',
          title: 'Accelerating Large Language Model Decoding with Speculative Sampling',
          year: 2023,
          arxiv: '2302.01318',
        },
        {
          authors: 'Holtzman, Buys, Du, Forbes, Choi',
          title: 'The Curious Case of Neural Text Degeneration',
          year: 2019,
          arxiv: '1904.09751',
          note: 'top-p (nucleus) sampling, and repetition under likelihood-maximising decoding',
        },
        {
          authors: 'Nguyen et al.',
          title: 'Turning Up the Heat: Min-p Sampling for Creative and Coherent LLM Outputs',
          year: 2024,
          arxiv: '2407.01082',
        },
        {
          authors: 'von Neumann',
          title: 'Various Techniques Used in Connection with Random Digits',
          year: 1951,
          note: 'rejection sampling',
        },
        {
          authors: 'Touvron et al.',
          title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models',
          year: 2023,
          arxiv: '2307.09288',
          note: 'rejection sampling fine-tuning: best of K samples by the reward model',
        },
        {
          authors: 'Llama Team, AI @ Meta',
          title: 'The Llama 3 Herd of Models',
          year: 2024,
          arxiv: '2407.21783',
          note: 'post-training rounds with rejection sampling (K typically 10 to 30)',
        },
        {
          authors: 'Karpathy',
          title: 'llama2.c (run.c: the sampler and its xorshift64* generator)',
          year: 2023,
        },
      ],
    },
  ],
};
