// Chapter 8: post-training. The order of the blocks is the order of the page and of the slides.
// Prose is in ./prose, figures in ./figures, the derivation's formulas in ./math.ts (each step
// checked by tests/unit/chapters/08-post-training.test.ts), and the live experiments run the
// trainer's own post-training loops (src/train/post) in a worker (src/lib/posttrain).
import type { ChapterDef } from '$lib/chapter.ts';
import { meta } from './meta.ts';
import { chapterParamDefaults, chapterParams } from './params.ts';
import Intro from './prose/en/Intro.svelte';
import Misconception from './prose/en/Misconception.svelte';
import Pipeline from './figures/Pipeline.svelte';
import RewardCell from './figures/RewardCell.svelte';
import BestOfK from './figures/BestOfK.svelte';
import RsLab from './figures/RsLab.svelte';
import SftLab from './figures/SftLab.svelte';
import DpoLab from './figures/DpoLab.svelte';
import TunedModel from './figures/TunedModel.svelte';

const R = String.raw;

export const chapter: ChapterDef = {
  meta,
  knobs: [],
  params: chapterParams,
  paramDefaults: chapterParamDefaults,
  blocks: [
    {
      id: 'intro',
      kind: 'prose',
      title: 'From a text predictor to a model that behaves',
      component: Intro,
      notes:
        'Start from what the class has: a model that continues text. Ask: how would you make it answer questions, or prefer one kind of answer, without a new pretraining run? Collect answers, then say that the rest of the chapter runs the three answers the Llama papers use: imitate examples, keep the best samples, and learn from comparisons.',
    },
    {
      id: 'pipeline',
      kind: 'figure',
      title: 'The Llama 2 and Llama 3 pipelines',
      component: Pipeline,
      alt: 'Two rows of boxes, one per model. Llama 2-Chat: SFT, then reward models, rejection sampling and PPO repeated over RLHF-V1 to V5. Llama 3: reward model, rejection sampling, SFT and DPO, repeated for six rounds. Each box is a button that scrolls to the live experiment of this chapter that runs that stage.',
      notes:
        'Point out that both pipelines are loops: the model of one round produces the samples of the next. Llama 3 replaced PPO by DPO. Click a box to jump to where we run that stage on our model; ask which stage needs human labels (the reward model’s comparisons).',
    },
    {
      id: 'rewards',
      kind: 'figure',
      title: 'A reward you can read',
      component: RewardCell,
      alt: 'A reward editor: a choice of presets (lines that rhyme, a given speaker talks, short lines, a word appears, a word is avoided, questions without repetition), the formula over text features that each preset is, a box to write your own formula with the word and the speaker it counts, and a table of example texts with their features and reward.',
      notes:
        'Our model has no human raters, so its reward is a formula over features of the text. Pick “short lines” and read the formula aloud. Then type a formula with a mistake (say 1/word) to show that it is refused with a reason. Ask: what would the model learn to do if the reward were just “words”? (Write long texts: reward hacking.)',
    },
    {
      id: 'bestofk',
      kind: 'figure',
      title: 'Rejection sampling as best-of-K',
      component: BestOfK,
      alt: 'The live model writes K continuations of each of eight prompts; each is scored by the reward. A histogram compares the rewards of all samples with those of the best of each K, with their means as vertical rules, and a line chart shows the expected best-of-K reward for K from 1 to the number of samples, which never decreases.',
      notes:
        'Press sample. The orange histogram (kept) sits to the right of the blue one (all): selection alone raises the reward, with no training. The line shows how the expected best grows with K, quickly at first and then slowly: that is why Llama 3 uses K of 10 to 30 and not 1000. Ask what K = 1 gives (the mean).',
    },
    {
      id: 'rs-lab',
      kind: 'figure',
      title: 'Rejection-sampling fine-tuning, round by round',
      component: RsLab,
      alt: 'A lab that runs rounds of rejection-sampling fine-tuning on the live model: in each round it samples K continuations per prompt, keeps the best, and fine-tunes on the kept samples. A line chart shows the mean reward of fresh samples after each round, round 0 being the model before tuning, and the KL divergence from the model before round 1.',
      notes:
        'Run three rounds. Best-of-K selects; fine-tuning on what was selected makes the model produce such samples by itself, so fresh samples improve round by round. Point at the KL: the model drifts away from the base as it improves, which is what RLHF’s KL term limits.',
    },
    {
      id: 'sft-derive',
      kind: 'derivation',
      title: 'Supervised fine-tuning: the loss on the response only',
      intro:
        'A demonstration is a prompt x and a response y, written as one sequence of tokens. The model is trained exactly as in pretraining, next-token cross-entropy, but the positions of the prompt carry no loss.',
      steps: [
        {
          tex: R`\log \pi_\theta(y \mid x) = \sum_{t=1}^{|y|} \log \pi_\theta\big(y_t \mid x, y_{<t}\big)`,
          why: 'The probability of a whole response is the product of its next-token probabilities, each conditioned on the prompt and the response so far: the same forward pass as pretraining.',
        },
        {
          tex: R`\mathcal{L}_{\text{SFT}}(\theta) = -\frac{1}{\sum_i |y^{(i)}|} \sum_i \log \pi_\theta\big(y^{(i)} \mid x^{(i)}\big)`,
          why: 'The mean negative log-likelihood per response token. The prompt’s own tokens are inputs but not targets: the model is taught to answer, not to write questions. In the trainer, prompt positions get target −1, the same marker as padding, so no gradient flows from them.',
        },
      ],
      notes:
        'Stress the mask: same loss as pretraining, fewer positions. Ask: what would the model learn if we also trained on the prompt? (To produce prompts, i.e. questions.) The test suite checks that the masked loss equals minus the response log-probabilities over the response tokens.',
    },
    {
      id: 'sft-lab',
      kind: 'figure',
      title: 'Fine-tune the live model on examples',
      component: SftLab,
      alt: 'A lab with eight editable prompt/response pairs in a question and answer format the base model has never seen, a steps control and a run button. During training a line chart shows the SFT loss per step; after, a table compares the model’s greedy answers before and after to two held-out questions.',
      notes:
        'Run 30 steps. The loss falls fast: eight pairs are easy to memorise. The interesting part is the held-out questions: after tuning the model answers in the new format (“… my lord.”) to questions it never saw. Edit a pair, run again, and ask what changed.',
    },
    {
      id: 'rlhf',
      kind: 'derivation',
      title: 'RLHF: a reward model, a KL leash and PPO',
      intro:
        'Llama 2 learns a reward model from human comparisons, then optimises the policy against it with PPO, held near the SFT model by a KL penalty.',
      steps: [
        {
          tex: R`P(y_w \succ y_l \mid x) = \sigma\big(r_\phi(x, y_w) - r_\phi(x, y_l)\big), \qquad \mathcal{L}_{\text{RM}} = -\log \sigma\big(r_\phi(x, y_w) - r_\phi(x, y_l)\big)`,
          why: 'Bradley–Terry: the probability that raters prefer y_w to y_l is the sigmoid of the difference of rewards. Fitting it by maximum likelihood on comparisons gives the reward model; only differences of rewards are ever determined.',
        },
        {
          tex: R`\max_{\pi_\theta}\; \mathbb{E}_{x,\; y \sim \pi_\theta(\cdot \mid x)}\big[r_\phi(x, y)\big] \;-\; \beta\, \mathrm{KL}\big(\pi_\theta(\cdot \mid x)\,\big\|\,\pi_{\text{ref}}(\cdot \mid x)\big)`,
          why: 'The RLHF objective: high reward, but not far from the reference (the SFT model). Without the KL term the policy would find whatever text the imperfect reward model over-scores (reward hacking); β sets the trade-off.',
        },
        {
          tex: R`r_{\text{total}}(x, y) = r_\phi(x, y) - \beta \log \frac{\pi_\theta(y \mid x)}{\pi_{\text{ref}}(y \mid x)}`,
          why: 'In practice the KL enters the reward of each sampled sequence: its average over samples of π_θ is exactly the objective above (checked by a test).',
        },
        {
          tex: R`\mathcal{L}^{\text{CLIP}}(\theta) = \mathbb{E}_t\Big[\min\big(\rho_t A_t,\; \operatorname{clip}(\rho_t, 1-\epsilon, 1+\epsilon)\, A_t\big)\Big], \qquad \rho_t = \frac{\pi_\theta(a_t \mid s_t)}{\pi_{\theta_{\text{old}}}(a_t \mid s_t)}`,
          why: 'PPO (Schulman et al., 2017) maximises this surrogate: it stops rewarding a move once the probability ratio leaves [1−ε, 1+ε] in the advantageous direction, so each batch of samples changes the policy only a little. The minimum makes it pessimistic: a move in the harmful direction is never clipped.',
        },
      ],
      notes:
        'Three pieces: the reward model (Bradley–Terry), the objective (reward minus KL), and the optimiser (PPO). We do not run PPO live; ask the class why it is expensive (four models in memory: policy, reference, reward model, value function) and keep that in mind for DPO.',
    },
    {
      id: 'dpo-derive',
      kind: 'derivation',
      title: 'From the RLHF optimum to the DPO loss',
      intro:
        'DPO (Rafailov et al., 2023) notices that the RLHF objective has a closed-form optimum, and turns it around. Every step below is checked numerically on a toy problem with six responses.',
      steps: [
        {
          tex: R`\mathbb{E}_{\pi}[r] - \beta\,\mathrm{KL}(\pi \| \pi_{\text{ref}}) = -\beta\, \mathrm{KL}\Big(\pi \,\Big\|\, \tfrac{1}{Z(x)}\pi_{\text{ref}}\, e^{r/\beta}\Big) + \beta \log Z(x), \quad Z(x) = \sum_y \pi_{\text{ref}}(y \mid x)\, e^{r(x,y)/\beta}`,
          why: 'Collect the two terms into one KL against a re-weighted reference. Z(x) does not depend on π, so maximising the objective is minimising this KL.',
        },
        {
          tex: R`\pi^*(y \mid x) = \frac{1}{Z(x)}\, \pi_{\text{ref}}(y \mid x)\, \exp\!\big(r(x, y)/\beta\big)`,
          why: 'A KL is zero exactly when its two distributions are equal, so this is the optimum: the reference, tilted towards high reward, more sharply for small β.',
        },
        {
          tex: R`r(x, y) = \beta \log \frac{\pi^*(y \mid x)}{\pi_{\text{ref}}(y \mid x)} + \beta \log Z(x)`,
          why: 'Take logarithms and solve for r: the reward is written through the optimal policy, up to a term that depends on the prompt only.',
        },
        {
          tex: R`P(y_w \succ y_l \mid x) = \sigma\Big(\beta \log \frac{\pi^*(y_w \mid x)}{\pi_{\text{ref}}(y_w \mid x)} - \beta \log \frac{\pi^*(y_l \mid x)}{\pi_{\text{ref}}(y_l \mid x)}\Big)`,
          why: 'Put it into Bradley–Terry: the preference depends only on a difference of rewards of the same prompt, so β log Z(x) cancels. The intractable sum over all responses is gone.',
        },
        {
          tex: R`\mathcal{L}_{\text{DPO}}(\theta) = -\,\mathbb{E}_{(x, y_w, y_l)}\Big[\log \sigma\Big(\beta \log \frac{\pi_\theta(y_w \mid x)}{\pi_{\text{ref}}(y_w \mid x)} - \beta \log \frac{\pi_\theta(y_l \mid x)}{\pi_{\text{ref}}(y_l \mid x)}\Big)\Big]`,
          why: 'Replace π* by the policy being trained and fit it to the comparisons by maximum likelihood: the reward model’s loss, with the reward written as β log(π_θ/π_ref). No reward model, no sampling during training, no PPO.',
        },
        {
          tex: R`\nabla_\theta \mathcal{L}_{\text{DPO}} = -\beta\, \mathbb{E}\Big[\sigma\big(\hat r_\theta(y_l) - \hat r_\theta(y_w)\big)\big(\nabla_\theta \log \pi_\theta(y_w \mid x) - \nabla_\theta \log \pi_\theta(y_l \mid x)\big)\Big], \quad \hat r_\theta(y) = \beta \log \frac{\pi_\theta(y \mid x)}{\pi_{\text{ref}}(y \mid x)}`,
          why: 'The gradient raises the chosen response’s log-probability and lowers the rejected one’s, weighted by how wrongly the implicit reward r̂ currently orders them. The trainer back-propagates exactly this, through the cross-entropy gradient of each sequence scaled by ∓β σ(·); a test compares it with finite differences of the whole model in float64.',
        },
      ],
      notes:
        'Reveal the steps one at a time. The key moment is step 4: Z cancels because both responses share the prompt. Then ask: where did the reward model go? Answer: it is inside the policy, r̂ = β log(π/π_ref). That is the misconception at the end of the chapter.',
    },
    {
      id: 'dpo-lab',
      kind: 'figure',
      title: 'DPO on the live model',
      component: DpoLab,
      alt: 'A lab that builds preference pairs from the current reward (best against worst of K samples per prompt of the model as it is when the run starts) and trains it with DPO against that model, frozen as the reference. Controls: β, K and steps. During training, line charts show the DPO loss (starting at log 2), the preference accuracy, the implicit reward margin, the KL from the reference and the mean reward of fresh samples; after, samples of the reference and the tuned model are shown side by side with their rewards.',
      notes:
        'Run with β = 0.2, then with β = 0.05 and 1. The loss starts at log 2 ≈ 0.69 because the policy equals the reference. Watch the mean reward of fresh samples rise while the KL grows; a small β lets the model drift further for the same pairs. Ask: why does the margin keep growing after the accuracy reaches 1? (The loss never reaches zero.)',
    },
    {
      id: 'tuned',
      kind: 'figure',
      title: 'Your tuned model, in every chapter',
      component: TunedModel,
      alt: 'What has been applied to the tuned model so far, with three buttons: use it as the live model of every chapter, download it as a llama2.c checkpoint with its tokenizer and sidecar, and reset to the base model.',
      notes:
        'Press “use in every chapter” and open another chapter: the status line names the tuned model and every lab runs on it. The download is a plain llama2.c checkpoint: run.c and npm run llama load it unchanged.',
    },
    {
      id: 'misconception',
      kind: 'misconception',
      title: 'Misconception: “DPO is RLHF without a reward”',
      component: Misconception,
      notes:
        'Ask the class to finish the sentence “DPO removes …”. It removes the separate reward model and the RL loop, not the reward: the policy’s log-ratio to the reference is a reward model, and the DPO loss is the reward model’s Bradley–Terry loss.',
    },
    {
      id: 'quiz',
      kind: 'quiz',
      title: 'Check yourself',
      questions: [
        {
          id: 'mask',
          prompt: 'In supervised fine-tuning, which positions carry a loss?',
          choices: [
            'Every position of prompt and response, as in pretraining',
            'Only the response’s tokens; the prompt is input but not a target',
            'Only the last token of the response',
          ],
          answer: 1,
          explain:
            'The prompt is masked (target −1 in the trainer): the model learns to produce answers given prompts, not to produce prompts.',
        },
        {
          id: 'z',
          prompt:
            'Why can DPO train without ever computing Z(x), the sum over all possible responses?',
          choices: [
            'Because Z(x) = 1 for language models',
            'Because it is approximated by sampling',
            'Because a preference compares two responses to the same prompt, and β log Z(x) cancels in the difference',
          ],
          answer: 2,
          explain:
            'Bradley–Terry depends only on r(x, y_w) − r(x, y_l); written through the policy, both rewards carry the same β log Z(x).',
        },
        {
          id: 'beta',
          prompt: 'In DPO, what does a larger β do?',
          choices: [
            'Keeps the tuned model closer to the reference: the implied optimum π_ref·exp(r/β)/Z is less sharply tilted',
            'Makes the model ignore the reference',
            'Only changes the learning rate',
          ],
          answer: 0,
          explain:
            'β is the strength of the KL term of the RLHF objective that DPO optimises implicitly. As β grows, π* tends to π_ref; as β shrinks, π* concentrates on the highest-reward responses.',
        },
        {
          id: 'rs',
          prompt: 'In the Llama 2 and Llama 3 papers, “rejection sampling” means…',
          choices: [
            'Accepting x ~ q with probability p(x) / (M q(x)) to sample from p',
            'Sampling K answers per prompt, keeping the one the reward model scores highest, and fine-tuning on the kept answers',
            'Rejecting prompts that the reward model dislikes',
          ],
          answer: 1,
          explain:
            'The Monte Carlo method of that name is different; in post-training it is best-of-K selection followed by SFT on what was selected.',
        },
      ],
      notes:
        'Let the class vote on each question before revealing. Question 2 is the heart of DPO; if many miss it, go back to step 4 of the derivation.',
    },
    {
      id: 'references',
      kind: 'references',
      title: 'References',
      refs: [
        {
          authors: 'Ouyang et al.',
          title:
            'Training language models to follow instructions with human feedback (InstructGPT)',
          year: 2022,
          arxiv: '2203.02155',
        },
        {
          authors: 'Touvron et al.',
          title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models',
          year: 2023,
          arxiv: '2307.09288',
        },
        {
          authors: 'Llama Team, AI @ Meta',
          title: 'The Llama 3 Herd of Models',
          year: 2024,
          arxiv: '2407.21783',
        },
        {
          authors: 'Rafailov et al.',
          title: 'Direct Preference Optimization: Your Language Model is Secretly a Reward Model',
          year: 2023,
          arxiv: '2305.18290',
        },
        {
          authors: 'Schulman et al.',
          title: 'Proximal Policy Optimization Algorithms',
          year: 2017,
          arxiv: '1707.06347',
        },
        {
          authors: 'Bradley and Terry',
          title:
            'Rank Analysis of Incomplete Block Designs: I. The Method of Paired Comparisons (Biometrika 39)',
          year: 1952,
        },
      ],
      notes:
        'The DPO paper’s title is the misconception’s answer: read it aloud. For a deeper session, section 3 of the Llama 2 paper describes the RLHF rounds and section 4 of the Llama 3 paper the six rounds of rejection sampling, SFT and DPO.',
    },
  ],
};
