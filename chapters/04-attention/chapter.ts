// Chapter 4: multi-head, multi-query and grouped-query attention, and the KV cache. The order of
// the blocks is the order of the page and of the slides. Prose is in ./prose, figures in
// ./figures, formulas in ./math.ts (the worked numbers below are computed there, not typed in).
import type { ChapterDef } from '$lib/chapter.ts';
import { meta } from './meta.ts';
import Intro from './prose/en/Intro.svelte';
import MemoryBound from './prose/en/MemoryBound.svelte';
import Conversion from './prose/en/Conversion.svelte';
import Misconception from './prose/en/Misconception.svelte';
import WhyNotMqa from './prose/en/WhyNotMqa.svelte';
import HeadSharing from './figures/HeadSharing.svelte';
import KvCalculator from './figures/KvCalculator.svelte';
import LiveKv from './figures/LiveKv.svelte';
import CacheFill from './figures/CacheFill.svelte';
import SharedHeadMaps from './figures/SharedHeadMaps.svelte';
import TrainingCurves from './figures/TrainingCurves.svelte';
import { chapterParams, chapterParamDefaults } from './params.ts';
import { formatBytes, kvBytesPerToken, kvShape, llamaConfig, withKvHeads } from './math.ts';

const R = String.raw;
/** 320 KiB as TeX: the number, a thin space, the unit upright. */
const texBytes = (b: number) => formatBytes(b).replace(/^(\S+) (\S+)$/, R`$1\ \text{$2}`);
const n = (x: number) => x.toLocaleString('en-US').replace(/,/g, '{,}');

const l2 = llamaConfig('llama2-70b');
const l2PerToken = kvBytesPerToken(kvShape(l2), 2);
const l2Mha = kvBytesPerToken(withKvHeads(l2, l2.nHeads), 2);
const l3 = llamaConfig('llama3-8b');
const l3PerToken = kvBytesPerToken(kvShape(l3), 2);

export const chapter: ChapterDef = {
  meta,
  knobs: ['kvGroups'],
  params: chapterParams,
  paramDefaults: chapterParamDefaults,
  blocks: [
    {
      id: 'why',
      kind: 'prose',
      title: 'Queries, keys, values and heads',
      notes:
        'Say: attention is the only place where one token reads another; each token’s vector becomes a query, a key and a value. The original Transformer runs many heads, each with its own keys and values; Llama 2 70B and every Llama 3 share key/value heads across groups of query heads. Say the reason up front: not training arithmetic, but memory traffic during generation.',
      component: Intro,
    },
    {
      id: 'derive',
      kind: 'derivation',
      title: 'Scaled dot-product attention, many heads, and the KV cache',
      notes:
        'Reveal step by step. Dwell on the √dₖ step: without it the scores grow with head width and the softmax saturates. The last step introduces the KV cache: keys and values of earlier tokens never change, so they are kept. Ask: when generating token t + 1, which rows of the attention matrix do we actually need?',
      intro:
        'Take T tokens whose vectors (width d) are the rows of X, and h heads of width dₖ = d / h. Shapes as in llama2.c: W_Q is (h·dₖ) × d; W_K and W_V are (hₖᵥ·dₖ) × d, with hₖᵥ = h for now.',
      steps: [
        {
          tex: R`q_t = W_Q\,x_t, \qquad k_s = W_K\,x_s, \qquad v_s = W_V\,x_s`,
          why: 'Every token is projected three times: its query, its key and its value (LLaMA then rotates q and k with RoPE, which chapter 3 covers).',
        },
        {
          tex: R`\operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\Big(\frac{Q K^{\top}}{\sqrt{d_k}} + M\Big)\,V, \qquad M_{t,s} = \begin{cases} 0 & s \le t \\ -\infty & s > t \end{cases}`,
          why: 'Scaled dot-product attention: row t of the softmax says how much token t takes from each token s. The mask M stops a token from reading later tokens, so the model can generate left to right.',
        },
        {
          tex: R`\operatorname{Var}(q \cdot k) = \sum_{c=1}^{d_k} \operatorname{Var}(q_c k_c) = d_k \quad (q_c, k_c \text{ independent, mean } 0, \text{ variance } 1)`,
          why: 'Why divide by √dₖ: without it the scores grow with the head width, the softmax saturates on one position and its gradient vanishes. Dividing by √dₖ brings the scores back to variance 1.',
        },
        {
          tex: R`\begin{aligned} \operatorname{head}_i &= \operatorname{Attention}\big(X W_Q^{(i)\top},\, X W_K^{(i)\top},\, X W_V^{(i)\top}\big) \\ \operatorname{MHA}(X) &= \big[\operatorname{head}_1 \cdots \operatorname{head}_h\big]\, W_O^{\top} \end{aligned}`,
          why: 'Multi-head attention: h independent attentions on dₖ-wide slices (W⁽ⁱ⁾ is head i’s block of dₖ rows), concatenated and mixed by W_O. Each head can attend to something different.',
        },
        {
          tex: R`o_t^{(i)} = \sum_{s \le t} \operatorname{softmax}_s\!\Big(\frac{q_t^{(i)} \cdot k_s^{(i)}}{\sqrt{d_k}}\Big)\, v_s^{(i)}`,
          why: 'Generating token t + 1 needs only the new row t, but that row reads the keys and values of all positions s ≤ t. They never change once computed, so they are kept: the KV cache. Each step computes one new k and v per head and appends them.',
        },
      ],
    },
    {
      id: 'memory',
      kind: 'prose',
      title: 'Why decoding is memory-bound',
      notes:
        'Say: in generation each step reads every weight and the whole KV cache to produce one token, for about two operations per weight read, so the accelerator waits on memory. Walk through the Llama 2 70B numbers on the slide. Ask: if the cache is read every step, what do we gain by making it smaller?',
      component: MemoryBound,
    },
    {
      id: 'derive-gqa',
      kind: 'derivation',
      title: 'The size of the cache, and sharing K/V heads',
      notes:
        'Reveal step by step: bytes per token are 2 · L · hₖᵥ · dₖ · b. MHA has one K/V head per query head, MQA has one for all, GQA groups consecutive query heads. Show llama2.c’s kv_mul index. Ask the class to compute the MHA cost for Llama 2 70B before revealing the last step: it is 8 times more.',
      intro:
        'Let L be the number of layers, hₖᵥ the number of key/value heads and b the bytes per stored number (2 in fp16).',
      steps: [
        {
          tex: R`\text{bytes per token} = 2 \cdot L \cdot h_{kv} \cdot d_k \cdot b`,
          why: 'The 2 counts keys and values; each layer stores one dₖ-wide key and one value per K/V head for every position. The whole cache is this times the context length times the batch size.',
        },
        {
          tex: R`h_{kv} = h \;\Rightarrow\; 2 \cdot L \cdot h \cdot d_k \cdot b = 2 \cdot L \cdot d \cdot b`,
          why: 'In multi-head attention every query head has its own K/V head, so the cache holds two full d-wide vectors per layer and token.',
        },
        {
          tex: R`o_t^{(i)} = \sum_{s \le t} \operatorname{softmax}_s\!\Big(\frac{q_t^{(i)} \cdot k_s}{\sqrt{d_k}}\Big)\, v_s, \qquad k_s = W_K x_s \in \mathbb{R}^{d_k}`,
          why: 'Multi-query attention (Shazeer, 2019): keep h query heads but one key and one value head that all of them read. The cache shrinks h times; the queries still differ per head.',
        },
        {
          tex: R`g(i) = \Big\lfloor \frac{i}{h / h_{kv}} \Big\rfloor, \qquad o_t^{(i)} = \sum_{s \le t} \operatorname{softmax}_s\!\Big(\frac{q_t^{(i)} \cdot k_s^{(g(i))}}{\sqrt{d_k}}\Big)\, v_s^{(g(i))}`,
          why: 'Grouped-query attention (Ainslie et al., 2023): hₖᵥ K/V heads, each read by a group of h / hₖᵥ consecutive query heads. llama2.c computes exactly this index: kv_mul = n_heads / n_kv_heads, and query head i reads key/value head i / kv_mul (integer division).',
        },
        {
          tex: R`h_{kv} = h:\ \text{MHA}, \qquad 1 < h_{kv} < h:\ \text{GQA}, \qquad h_{kv} = 1:\ \text{MQA}`,
          why: 'GQA is the general case: MHA and MQA are its two ends. The number of query heads, and so the cost of computing attention scores, does not change; only the K/V projections and the cache do.',
        },
        {
          tex: R`\text{Llama 2 70B, fp16:}\quad 2 \cdot ${l2.nLayers} \cdot ${l2.nKvHeads} \cdot ${l2.dim / l2.nHeads} \cdot 2 = ${n(l2PerToken)}\ \text{B} = ${texBytes(l2PerToken)}`,
          why: `With ${l2.nHeads} K/V heads (MHA) it would be ${formatBytes(l2Mha)} per token, ${l2.nHeads / l2.nKvHeads} times more. For Llama 3 8B (${l3.nLayers} layers, ${l3.nKvHeads} K/V heads of width ${l3.dim / l3.nHeads}) it is ${formatBytes(l3PerToken)} per token.`,
        },
      ],
    },
    {
      id: 'sharing',
      kind: 'figure',
      title: 'Which query heads share which K/V head',
      notes:
        'Click the presets: Llama 2 7B (MHA, one line per query head), Llama 2 70B and Llama 3 8B (GQA, groups of consecutive heads share a colour), then MQA (every line goes to one head). Ask: with 64 query heads and 8 K/V heads, which K/V head does query head 21 read?',
      component: HeadSharing,
      alt: 'A diagram with a row of query heads above a row of key/value heads and a line from each query head to the K/V head it reads; consecutive query heads share a K/V head and have its colour. Controls set the number of query heads and of K/V heads, with presets for Llama 2 7B (MHA), Llama 2 70B and Llama 3 8B (GQA) and MQA.',
    },
    {
      id: 'calculator',
      kind: 'figure',
      title: 'KV-cache calculator for the LLaMA family',
      notes:
        'Pick Llama 3 8B, set the context to 128K and read the total; switch to fp32 and watch it double; raise the batch size. The table compares MHA, GQA and MQA for the same model. Ask the class to guess the cache size for 128K tokens before you set it.',
      component: KvCalculator,
      alt: 'A calculator: choose a LLaMA model, a context length, a batch size and fp16 or fp32. It shows the KV-cache bytes per token with the formula filled in, the total for the chosen context and batch, a table comparing the same model with MHA, GQA and MQA (cache size, bytes read and operations per decoding step), and a log-log line chart of cache memory against context length for the three variants.',
    },
    {
      id: 'convert',
      kind: 'prose',
      title: 'From a multi-head checkpoint to GQA',
      notes:
        'Say: the GQA paper converts a multi-head checkpoint by averaging the K and V projections of each group, then uptrains with about 5% of the pre-training compute. Averaging weights equals averaging keys because the projection is linear, and RoPE commutes with it. The lab does the pooling only, with no uptraining.',
      component: Conversion,
    },
    {
      id: 'lab',
      kind: 'lab',
      title: 'Pool the live model’s K/V heads',
      notes:
        'Move the K/V heads from 2 (as trained) to 1 (multi-query): the cache halves, the KL from the trained model rises, and the generated text and held-out perplexity show the damage that uptraining would have to repair. Ask before the change: small damage or large? Then move back to 2 and show everything returns.',
      intro: (m) =>
        `${m ? `The model below was trained with ${m.attention} (${m.heads}). ` : ''}${m && m.nKvHeads === 1 ? 'It has a single K/V head already, so there is nothing left to pool: load the built-in model or the multi-head one to try this.' : 'Reduce its number of K/V heads by mean-pooling them in groups, down to one (multi-query attention), with no retraining.'} Watch the cache shrink, how far the next-token distribution moves (KL divergence from the trained model), what the model writes, and its perplexity on a held-out passage.`,
      knobs: ['kvGroups'],
      perplexity: true,
      view: LiveKv,
    },
    {
      id: 'cache-fill',
      kind: 'figure',
      title: 'The KV cache filling up as the model writes',
      notes:
        'Let the model write: the prompt’s columns fill at once, then one column per generated token. Change the K/V heads knob and show the number of rows follow it, with the bytes held below. Ask: how many rows would the full Llama 2 70B have per layer?',
      component: CacheFill,
      alt: 'A grid with one column per position and one row per layer and K/V head of the live model. The prompt’s columns fill at once, then one column per generated token; the number of rows follows the number of K/V heads, and the bytes held are shown below.',
    },
    {
      id: 'maps',
      kind: 'figure',
      title: 'Attention maps of heads that share a K/V head',
      notes:
        'Pick a layer and a K/V head: the maps are the query heads that read that one head. Ask the class whether heads that share their keys and values still attend differently, then point out that their queries differ, so their maps can too. Change the K/V heads knob to see the maps change.',
      component: SharedHeadMaps,
      alt: 'Heat maps of attention probabilities from the live model, one per query head in the chosen K/V head’s group, for a chosen layer: the prompt’s tokens as rows (queries) and columns (keys).',
    },
    {
      id: 'why-not-mqa',
      kind: 'prose',
      title: 'Why not one K/V head, and what else makes attention fast',
      component: WhyNotMqa,
      notes:
        'Ask: if one K/V head makes the cache h times smaller, why does LLaMA keep 8? Then give the evidence: quality loss and loss spikes with MQA in the GQA paper, and Llama 2’s 30B ablation where GQA matched MHA and beat MQA. Say FlashAttention computes exactly the same attention with far fewer memory reads, and Llama 3 masks attention between packed documents. PagedAttention belongs to the serving chapter.',
    },
    {
      id: 'curves',
      kind: 'figure',
      title: 'Training with MHA, GQA and MQA',
      notes:
        'If the runs are loaded, compare the GQA model with its MHA and MQA twins trained on the same data and budget. Ask: which reaches the lowest validation loss, and is the difference worth the cache saving? If the runs are missing, skip this slide.',
      component: TrainingCurves,
      alt: 'Training and validation loss against training step for the built-in GQA model and twins trained with multi-head and multi-query attention on the same data and budget, when those training runs are available.',
    },
    {
      id: 'misconception',
      kind: 'misconception',
      title: '“Global query attention”, and GQA in every Llama 2',
      notes:
        'Two corrections. The name is grouped-query attention, not global query attention, and nothing about the queries is shared: it is the keys and values. And Llama 2 uses GQA only for 34B and 70B; 7B and 13B use multi-head attention. Llama 3 uses GQA at every size.',
      component: Misconception,
    },
    {
      id: 'check',
      kind: 'quiz',
      title: 'Check yourself',
      notes:
        'One minute per question, a show of hands, then click to check. The first is the calculator’s arithmetic (16 GiB), the second the kv_mul index (head 2), the third the Llama 2 sizes (34B and 70B).',
      questions: [
        {
          id: 'llama3-128k',
          prompt:
            'Llama 3 8B has 32 layers, 8 K/V heads and head width 128. How large is its KV cache for one sequence of 128K (131,072) tokens in fp16?',
          choices: ['2 GiB', '16 GiB', '64 GiB', '128 GiB'],
          answer: 1,
          explain: `2 · 32 · 8 · 128 · 2 bytes = ${l3PerToken.toLocaleString('en-US')} B = ${formatBytes(l3PerToken)} per token; times 131,072 tokens that is ${formatBytes(l3PerToken * 131072)}. With 32 K/V heads (MHA) it would be four times as much.`,
        },
        {
          id: 'which-kv',
          prompt:
            'A layer has 64 query heads and 8 K/V heads (Llama 2 70B). Which K/V head does query head 21 read (counting from 0)?',
          choices: ['0', '2', '5', '21'],
          answer: 1,
          explain:
            'kv_mul = 64 / 8 = 8 query heads per K/V head, and ⌊21 / 8⌋ = 2: query heads 16 to 23 share K/V head 2.',
        },
        {
          id: 'llama2-gqa',
          prompt: 'Which Llama 2 models use grouped-query attention?',
          choices: [
            'All sizes',
            'Only 7B and 13B',
            'Only 34B and 70B',
            'None of them; it came with Llama 3',
          ],
          answer: 2,
          explain:
            'The Llama 2 paper uses GQA (8 K/V heads) for the 34B and 70B models only; 7B and 13B use multi-head attention. Llama 3 uses GQA at every size.',
        },
      ],
    },
    {
      id: 'refs',
      kind: 'references',
      title: 'References',
      notes:
        'Point to Vaswani et al., Shazeer’s multi-query paper and Ainslie et al.’s GQA paper, and to the Llama 2 and 3 papers for the sizes. Nothing to demonstrate here.',
      refs: [
        {
          authors: 'Vaswani et al.',
          title: 'Attention Is All You Need',
          year: 2017,
          arxiv: '1706.03762',
          note: 'Scaled dot-product and multi-head attention.',
        },
        {
          authors: 'Shazeer',
          title: 'Fast Transformer Decoding: One Write-Head is All You Need',
          year: 2019,
          arxiv: '1911.02150',
          note: 'Multi-query attention and the memory cost of incremental decoding.',
        },
        {
          authors: 'Ainslie et al.',
          title:
            'GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints',
          year: 2023,
          arxiv: '2305.13245',
          note: 'Grouped-query attention; mean-pooling K/V heads and uptraining with about 5% of the pre-training compute.',
        },
        {
          authors: 'Dao, Fu, Ermon, Rudra, Ré',
          title: 'FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness',
          year: 2022,
          arxiv: '2205.14135',
        },
        {
          authors: 'Touvron et al.',
          title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models',
          year: 2023,
          arxiv: '2307.09288',
          note: 'GQA with 8 K/V heads for the 34B and 70B models; the MHA / MQA / GQA ablation at 30B in appendix A.2.1.',
        },
        {
          authors: 'Llama Team, AI @ Meta',
          title: 'The Llama 3 Herd of Models',
          year: 2024,
          arxiv: '2407.21783',
          note: 'GQA with 8 K/V heads at every size; the mask between documents packed in one sequence (section 3.2).',
        },
      ],
    },
  ],
};
