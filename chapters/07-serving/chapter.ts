// Chapter 7: serving. The KV cache as the limit of batch size, a serving simulator with
// contiguous and paged memory, and K samples of one prompt sharing their blocks in the live
// model's paged cache. Prose in ./prose, figures in ./figures, numbers from ./math.ts (tested in
// tests/unit/chapters/07-serving.test.ts), the simulator in ./simulator.ts.
import type { ChapterDef } from '$lib/chapter.ts';
import { meta } from './meta.ts';
import Intro from './prose/en/Intro.svelte';
import Paging from './prose/en/Paging.svelte';
import Misconception from './prose/en/Misconception.svelte';
import KvBudget from './figures/KvBudget.svelte';
import Simulator from './figures/Simulator.svelte';
import LiveSamples from './figures/LiveSamples.svelte';
import { chapterParams, chapterParamDefaults } from './params.ts';
import { formatBytes, llamaConfig } from '../04-attention/math.ts';
import { GIB, blocksPerSequence, decodeCost, kvBudget, pagedWaste, sampleBlocks } from './math.ts';

const R = String.raw;
const n = (x: number) => x.toLocaleString('en-US').replace(/,/g, '{,}');
const tb = (b: number) => formatBytes(b).replace(/^(\S+) (\S+)$/, R`$1\ \text{$2}`);

const l13 = llamaConfig('llama2-13b');
const budget = kvBudget(l13, 40 * GIB);
const one = decodeCost(l13, l13.nKvHeads, l13.context, 1, 2);
const full = decodeCost(l13, l13.nKvHeads, l13.context, budget.sequencesThatFit, 2);
const share = sampleBlocks(37, [23, 23, 23, 23], 16);

export const chapter: ChapterDef = {
  meta,
  knobs: [],
  params: chapterParams,
  paramDefaults: chapterParamDefaults,
  blocks: [
    {
      id: 'why',
      kind: 'prose',
      title: 'Memory, not arithmetic, limits the batch',
      notes:
        'Open with the question a server operator asks: how many people can this GPU answer at once? Walk through the Llama 2 13B numbers: weights first, then what is left, divided by the cache of one sequence. Ask the class what would change with a 128K context.',
      component: Intro,
    },
    {
      id: 'kv-budget',
      kind: 'figure',
      title: 'The KV cache of the LLaMA family against GPU memory',
      notes:
        'Click through the GPU sizes. Point out the models whose weights do not even fit, and that Llama 3 at 128K fits only a handful of sequences even with 8 K/V heads. Then send the curious to chapter 4’s calculator for other contexts and batch sizes.',
      component: KvBudget,
      alt: 'A bar chart and a table: for each LLaMA model, the fp16 KV cache per token and per sequence at its released context, the fp16 weights, the memory left on the chosen GPU and the number of full-context sequences that fit in it.',
    },
    {
      id: 'derive-memory',
      kind: 'derivation',
      title: 'Memory per token, blocks per sequence, and the waste bound',
      notes:
        'Reveal one step at a time. The key line is the bound: a paged sequence wastes less than one block, whatever its length, while a contiguous reservation wastes everything between the real length and the maximum. Ask: with B = 16, what is the most a sequence can waste? (15 slots.)',
      intro:
        'L layers, h_kv K/V heads of width d_k, b bytes per number (2 in fp16); a sequence of n positions; blocks of B positions; a GPU with M bytes, W of them weights.',
      steps: [
        {
          tex: R`\text{bytes per token} = 2 \cdot L \cdot h_{kv} \cdot d_k \cdot b = 2 \cdot 40 \cdot 40 \cdot 128 \cdot 2 = ${n(budget.perToken)}\ \text{B}\ (${tb(budget.perToken)})`,
          why: 'Chapter 4’s formula: a key and a value per K/V head per layer for every position. The numbers are Llama 2 13B’s.',
        },
        {
          tex: R`C = \Big\lfloor \frac{M - W}{\text{bytes per token}} \Big\rfloor = \Big\lfloor \frac{40\ \text{GiB} - ${tb(budget.weights)}}{${tb(budget.perToken)}} \Big\rfloor = ${n(budget.tokensThatFit)}`,
          why: `The cache gets what the weights leave. At 4,096 tokens per sequence that is ${budget.sequencesThatFit} sequences in flight, however fast the arithmetic units are.`,
        },
        {
          tex: R`\text{blocks}(n) = \Big\lceil \frac{n}{B} \Big\rceil, \qquad \text{e.g. } \Big\lceil \frac{100}{16} \Big\rceil = ${blocksPerSequence(100, 16)}`,
          why: 'A sequence holds whole blocks; all but its last are full.',
        },
        {
          tex: R`\text{waste}_{\text{paged}}(n) = B \Big\lceil \frac{n}{B} \Big\rceil - n \;\le\; B - 1, \qquad \text{e.g. } ${pagedWaste(100, 16)}\ \text{slots for } n = 100`,
          why: 'Only the last block can be partly empty, so each sequence wastes at most B − 1 slots: at most one partly filled block per sequence, S(B − 1) slots for S sequences, whatever their lengths.',
        },
        {
          tex: R`\text{waste}_{\text{contiguous}}(n) = n_{\max} - n, \qquad \text{e.g. } 2048 - 400 = 1648\ \text{slots } (80\%)`,
          why: 'A contiguous cache must reserve the longest length the sequence might reach when it starts; whatever it does not use is lost for its whole lifetime, and the holes left between reservations of different sizes add external fragmentation.',
        },
        {
          tex: R`\text{shared} = \Big\lfloor \frac{P}{B} \Big\rfloor + \sum_{j=1}^{K} \Big( \Big\lceil \frac{P + g_j}{B} \Big\rceil - \Big\lfloor \frac{P}{B} \Big\rfloor \Big) \quad\text{vs}\quad \sum_{j=1}^{K} \Big\lceil \frac{P + g_j}{B} \Big\rceil`,
          why: `K samples of a P-token prompt, sample j having fed g_j more positions: the full prompt blocks are stored once. For P = 37, B = 16, four samples of 23 more positions: ${share.shared} blocks instead of ${share.separate}, after ${share.copies} copies on write of the partly filled prompt block.`,
        },
      ],
    },
    {
      id: 'derive-bandwidth',
      kind: 'derivation',
      title: 'Bytes read per decoded token: why decoding is memory-bound',
      notes:
        'The point: batching shares the weights but not the caches. Show that the arithmetic intensity grows with the batch for the weights and stays at about one flop per byte for the caches. That is why serving wants as many sequences as memory allows, and why memory wasted is throughput lost.',
      intro:
        'One decoding step of a batch of S sequences, sequence s with n_s cached positions, a model of N weights (the matrices of chapter 4’s count), d = h · d_k.',
      steps: [
        {
          tex: R`\text{bytes read} = N b + \sum_{s=1}^{S} n_s \cdot 2 L h_{kv} d_k b`,
          why: 'Every weight is read once per step and used by all S sequences; every sequence reads its own whole cache.',
        },
        {
          tex: R`\text{flops} \approx 2 N S + \sum_{s=1}^{S} 4 L d\, n_s`,
          why: 'Two flops (a multiply and an add) per weight per sequence, and for attention 2 d_k per head per cached position for q·k and as much for the weighted sum of values.',
        },
        {
          tex: R`\frac{\text{flops}}{\text{byte}} \approx \frac{2 N S}{N b} = \frac{2S}{b} \ \text{(weights)}, \qquad \frac{4 L d\, n_s}{2 L h_{kv} d_k b\, n_s} = \frac{2}{b} \cdot \frac{h}{h_{kv}} \ \text{(cache)}`,
          why: 'The weights’ intensity grows with the batch; the cache’s does not (each sequence reads its own). In fp16 with S = 1, for a multi-head model like Llama 2 13B (h = h_kv), both are one flop per byte, far below what a GPU can do per byte of memory bandwidth: decoding waits on memory.',
        },
        {
          tex: R`\text{Llama 2 13B, 4096 tokens: } S = 1: ${one.flopsPerByte.toFixed(1)}\ \tfrac{\text{flop}}{\text{B}}, \quad S = ${budget.sequencesThatFit}: ${full.flopsPerByte.toFixed(1)}\ \tfrac{\text{flop}}{\text{B}}`,
          why: `From chapter 4’s decodeCost: with the ${budget.sequencesThatFit} sequences that fit on 40 GiB, each step reads ${formatBytes(full.weightBytes)} of weights and ${formatBytes(full.kvBytes)} of cache. The more sequences fit, the more tokens each byte read produces, so memory saved is throughput gained.`,
        },
      ],
    },
    {
      id: 'paging',
      kind: 'prose',
      title: 'Blocks, block tables and copy-on-write',
      notes:
        'Draw a block table on the board: three sequences, a pool of numbered blocks, arrows from table entries to blocks. Then fork one sequence and ask what must happen when both forks write their next token into the shared last block.',
      component: Paging,
    },
    {
      id: 'simulator',
      kind: 'figure',
      title: 'A serving simulator: contiguous, continuous batching, paged',
      notes:
        'Start at the default workload, then raise the arrival rate until the contiguous servers’ queues grow. Point at the purple and orange bands (reserved and internal fragmentation) against the thin band of the paged server, and at the table beside the paper’s numbers. Then set the block size to 1 and to 256 and ask what changes.',
      component: Simulator,
      alt: 'Three stacked area charts of KV memory over time (holding tokens, reserved for later tokens, internal and external fragmentation) for a contiguous server with static batching, one with continuous batching and a paged server, a chart of sequences in flight, and a table of throughput, mean sequences in flight, memory wasted, waiting time, latency and preemptions beside the vLLM paper’s numbers.',
    },
    {
      id: 'lab',
      kind: 'lab',
      title: 'The prompt and sampler of the live run',
      notes:
        'Set a prompt and a temperature here; the figure below samples K answers to it at once. With temperature 0 all samples are the same (greedy), so ask the class to predict what the block tables will look like then.',
      intro:
        'The prompt, temperature and seed the live run below samples with. The model is the tiny LLaMA of this page, on the CPU engine.',
      knobs: [],
    },
    {
      id: 'live',
      kind: 'figure',
      title: 'K samples of one prompt, decoding together through the paged cache',
      notes:
        'Press Replay and narrate: step 0, the prompt’s blocks are shared by every sample; step 1, the samples diverge and all but one copy the partly filled prompt block; from then on each grows its own blocks. Compare the memory with K separate caches. Then change the block size to 1 (no copy needed) and to 64 (one big shared block).',
      component: LiveSamples,
      alt: 'The block tables of K samples of one prompt decoding together in the live model: a grid with one row per sample and one column per logical block, each cell showing its physical block number and how full it is, shared blocks and copied-on-write blocks marked; below, the bytes used against K separate caches, and the samples’ texts.',
    },
    {
      id: 'misconception',
      kind: 'misconception',
      title: 'PagedAttention does not reduce attention’s computation',
      notes:
        'Read the source’s sentence aloud, then ask: after paging, does a decoding step multiply fewer numbers? No: same scores, same sums, bit-for-bit the same logits in our engine. What it saves is memory that would otherwise be reserved and unused.',
      component: Misconception,
    },
    {
      id: 'check',
      kind: 'quiz',
      title: 'Check yourself',
      notes:
        'One minute each. First: 7 blocks and 12 empty slots. Second: memory management, not computation. Third: 3 copies, because the last sample to write finds the block no longer shared.',
      questions: [
        {
          id: 'blocks-100',
          prompt:
            'With blocks of 16 positions, how many blocks does a sequence of 100 positions take, and how many of their slots are empty?',
          choices: [
            '6 blocks, 4 empty',
            '7 blocks, 12 empty',
            '7 blocks, 0 empty',
            '100 blocks, 0 empty',
          ],
          answer: 1,
          explain: `⌈100 / 16⌉ = ${blocksPerSequence(100, 16)} blocks, 7 · 16 − 100 = ${pagedWaste(100, 16)} empty slots, all in the last block: never more than B − 1 = 15.`,
        },
        {
          id: 'what-it-saves',
          prompt: 'What does PagedAttention reduce?',
          choices: [
            'The floating-point operations of attention',
            'The bytes each cached token takes',
            'The KV memory lost to reservation and fragmentation',
            'The number of layers that need a cache',
          ],
          answer: 2,
          explain:
            'The attention math and the bytes per token are unchanged (our engine’s logits are bit-for-bit the same). It allocates memory in blocks as sequences grow, so under 4% is wasted instead of 60% to 80%, and more sequences fit.',
        },
        {
          id: 'copies',
          prompt:
            'Four samples share a 37-token prompt stored in blocks of 16. At the first decoding step each writes its own token at position 37. How many blocks are copied on write?',
          choices: ['0', '2', '3', '4'],
          answer: 2,
          explain: `Blocks 0 and 1 are full and stay shared. Block 2 holds positions 32 to 36 and is shared by four: the first three writers each copy it, and the last finds itself its only owner and writes in place: ${share.copies} copies.`,
        },
      ],
    },
    {
      id: 'refs',
      kind: 'references',
      title: 'References',
      notes:
        'The vLLM paper is the one to read; Orca introduced iteration-level (continuous) batching; the Llama 3 paper is where PagedAttention meets rejection sampling.',
      refs: [
        {
          authors: 'Kwon et al.',
          title: 'Efficient Memory Management for Large Language Model Serving with PagedAttention',
          year: 2023,
          arxiv: '2309.06180',
          note: 'PagedAttention and vLLM: blocks of 16 tokens, 60% to 80% of KV memory wasted by contiguous pre-allocation against under 4%, 2× to 4× throughput.',
        },
        {
          authors: 'Yu et al.',
          title: 'Orca: A Distributed Serving System for Transformer-Based Generative Models',
          year: 2022,
          note: 'OSDI 2022. Iteration-level scheduling: continuous batching.',
        },
        {
          authors: 'Llama Team, AI @ Meta',
          title: 'The Llama 3 Herd of Models',
          year: 2024,
          arxiv: '2407.21783',
          note: 'Rejection sampling in post-training, made faster with PagedAttention.',
        },
        {
          authors: 'Touvron et al.',
          title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models',
          year: 2023,
          arxiv: '2307.09288',
          note: 'The 4,096-token context and the model shapes used in the examples.',
        },
      ],
    },
  ],
};
