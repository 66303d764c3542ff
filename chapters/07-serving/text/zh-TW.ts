// Chapter 7 in Traditional Chinese (Taiwan): every block's text, keyed by the block ids of
// ../chapter.ts (English, the source of truth). The numbers come from the same functions as the
// English text; the TeX is the English TeX with the words inside \text{} translated.
import type { ChapterText } from '$lib/i18n/chapter-text.ts';
import Intro from '../prose/zh-TW/Intro.svelte';
import Paging from '../prose/zh-TW/Paging.svelte';
import Misconception from '../prose/zh-TW/Misconception.svelte';
import { formatBytes, llamaConfig } from '../../04-attention/math.ts';
import { GIB, blocksPerSequence, decodeCost, kvBudget, pagedWaste, sampleBlocks } from '../math.ts';

const R = String.raw;
const n = (x: number) => x.toLocaleString('en-US').replace(/,/g, '{,}');
const tb = (b: number) => formatBytes(b).replace(/^(\S+) (\S+)$/, R`$1\ \text{$2}`);

const l13 = llamaConfig('llama2-13b');
const budget = kvBudget(l13, 40 * GIB);
const one = decodeCost(l13, l13.nKvHeads, l13.context, 1, 2);
const full = decodeCost(l13, l13.nKvHeads, l13.context, budget.sequencesThatFit, 2);
const share = sampleBlocks(37, [23, 23, 23, 23], 16);

export const text: ChapterText = {
  blocks: {
    why: {
      title: '限制批次大小的是記憶體，不是運算',
      notes:
        '從伺服器維運者會問的問題開場：這張 GPU 一次能回答多少人？帶大家走一遍 Llama 2 13B 的數字：先算權重，再看剩下多少，除以一條序列的快取。問全班：如果上下文是 128K，會有什麼改變？',
      component: Intro,
    },
    'kv-budget': {
      title: 'LLaMA 家族的 KV 快取與 GPU 記憶體',
      notes:
        '逐一點選各種 GPU 容量。指出哪些模型連權重都放不下，以及 Llama 3 在 128K 上下文時，即使只有 8 個 K/V 頭，也只放得下少數幾條序列。再請有興趣的同學到第 4 章的計算器試試其他上下文長度與批次大小。',
      alt: '一張長條圖和一張表格：對每個 LLaMA 模型列出 fp16 KV 快取每個詞元與每條序列（以其發布時的上下文長度（context length）計）的大小、fp16 權重大小、所選 GPU 上剩餘的記憶體，以及能放下幾條滿上下文的序列。',
    },
    'derive-memory': {
      title: '每個詞元的記憶體、每條序列的區塊數與浪費的上限',
      notes:
        '一次揭示一步。關鍵是那條上限：分頁的序列不論多長，浪費都少於一個區塊；連續保留則會浪費實際長度到最大長度之間的全部空間。問：B = 16 時，一條序列最多浪費多少？（15 格。）',
      intro:
        'L 層，h_kv 個寬度為 d_k 的 K/V 頭，每個數字 b 個位元組（fp16 為 2）；一條有 n 個位置的序列；每個區塊 B 個位置；一張有 M 位元組記憶體的 GPU，其中 W 位元組是權重。',
      steps: [
        {
          tex: R`\text{每個詞元的位元組} = 2 \cdot L \cdot h_{kv} \cdot d_k \cdot b = 2 \cdot 40 \cdot 40 \cdot 128 \cdot 2 = ${n(budget.perToken)}\ \text{B}\ (${tb(budget.perToken)})`,
          why: '第 4 章的公式：每個位置在每一層的每個 K/V 頭各有一個鍵和一個值。數字是 Llama 2 13B 的。',
        },
        {
          tex: R`C = \Big\lfloor \frac{M - W}{\text{每個詞元的位元組}} \Big\rfloor = \Big\lfloor \frac{40\ \text{GiB} - ${tb(budget.weights)}}{${tb(budget.perToken)}} \Big\rfloor = ${n(budget.tokensThatFit)}`,
          why: `快取只能用權重剩下的空間。以每條序列 4,096 個詞元計，同時進行中的序列是 ${budget.sequencesThatFit} 條，不論運算單元有多快。`,
        },
        {
          tex: R`\text{區塊數}(n) = \Big\lceil \frac{n}{B} \Big\rceil, \qquad \text{例如 } \Big\lceil \frac{100}{16} \Big\rceil = ${blocksPerSequence(100, 16)}`,
          why: '一條序列占用整數個區塊；除了最後一個，其餘都是滿的。',
        },
        {
          tex: R`\text{浪費}_{\text{分頁}}(n) = B \Big\lceil \frac{n}{B} \Big\rceil - n \;\le\; B - 1, \qquad \text{例如 } n = 100 \text{ 時 } ${pagedWaste(100, 16)}\ \text{格}`,
          why: '只有最後一個區塊可能沒填滿，所以每條序列最多浪費 B − 1 格：每條序列至多一個未填滿的區塊，S 條序列至多 S(B − 1) 格，不論它們多長。',
        },
        {
          tex: R`\text{浪費}_{\text{連續}}(n) = n_{\max} - n, \qquad \text{例如 } 2048 - 400 = 1648\ \text{格 } (80\%)`,
          why: '連續快取必須在序列開始時就保留它可能達到的最長長度；沒用到的部分在它整個生命週期內都浪費掉了，而不同大小的保留空間之間留下的空洞，還會再加上外部碎片（external fragmentation）。',
        },
        {
          tex: R`\text{共用} = \Big\lfloor \frac{P}{B} \Big\rfloor + \sum_{j=1}^{K} \Big( \Big\lceil \frac{P + g_j}{B} \Big\rceil - \Big\lfloor \frac{P}{B} \Big\rfloor \Big) \quad\text{對比}\quad \sum_{j=1}^{K} \Big\lceil \frac{P + g_j}{B} \Big\rceil`,
          why: `一個 P 個詞元的提示詞（prompt）的 K 個樣本，第 j 個樣本又多送入了 g_j 個位置：寫滿的提示詞區塊只存一次。以 P = 37、B = 16、四個樣本各多 23 個位置為例：需要 ${share.shared} 個區塊而不是 ${share.separate} 個，其間對那個未填滿的提示詞區塊做了 ${share.copies} 次寫入時複製（copy-on-write）。`,
        },
      ],
    },
    'derive-bandwidth': {
      title: '每解碼一個詞元要讀多少位元組：為什麼解碼受限於記憶體',
      notes:
        '重點：批次共用權重，但不共用快取。說明權重的運算強度（arithmetic intensity）隨批次增加，而快取的運算強度停在每位元組約一次浮點運算。這就是為什麼伺服器希望在記憶體允許下放進越多序列越好，也是為什麼浪費的記憶體就是損失的吞吐量。',
      intro:
        '一個由 S 條序列組成的批次做一次解碼步，第 s 條序列有 n_s 個已快取的位置，模型有 N 個權重（第 4 章計數的那些矩陣），d = h · d_k。',
      steps: [
        {
          tex: R`\text{讀取的位元組} = N b + \sum_{s=1}^{S} n_s \cdot 2 L h_{kv} d_k b`,
          why: '每個權重每一步讀一次，供全部 S 條序列使用；每條序列則要讀自己整個快取。',
        },
        {
          tex: R`\text{浮點運算} \approx 2 N S + \sum_{s=1}^{S} 4 L d\, n_s`,
          why: '每個權重對每條序列要兩次浮點運算（一次乘法、一次加法）；注意力（attention）則是每個頭對每個已快取的位置，q·k 要 2 d_k 次，值的加權和也要同樣多次。',
        },
        {
          tex: R`\frac{\text{浮點運算}}{\text{位元組}} \approx \frac{2 N S}{N b} = \frac{2S}{b} \ \text{（權重）}, \qquad \frac{4 L d\, n_s}{2 L h_{kv} d_k b\, n_s} = \frac{2}{b} \cdot \frac{h}{h_{kv}} \ \text{（快取）}`,
          why: '權重的運算強度（arithmetic intensity）隨批次增加，快取的則不會（每條序列讀自己的快取）。在 fp16、S = 1 時，對 Llama 2 13B 這種多頭模型（h = h_kv），兩者都是每位元組一次浮點運算，遠低於 GPU 每位元組記憶體頻寬（bandwidth）能做的運算量：解碼是在等記憶體。',
        },
        {
          tex: R`\text{Llama 2 13B，4096 個詞元：} S = 1: ${one.flopsPerByte.toFixed(1)}\ \tfrac{\text{flop}}{\text{B}}, \quad S = ${budget.sequencesThatFit}: ${full.flopsPerByte.toFixed(1)}\ \tfrac{\text{flop}}{\text{B}}`,
          why: `由第 4 章的 decodeCost 算出：40 GiB 能放下 ${budget.sequencesThatFit} 條序列，此時每一步讀取 ${formatBytes(full.weightBytes)} 的權重和 ${formatBytes(full.kvBytes)} 的快取。能放下的序列越多，每讀一個位元組產生的詞元就越多，所以省下的記憶體就是多出來的吞吐量（throughput）。`,
        },
      ],
    },
    paging: {
      title: '區塊、區塊表與寫入時複製',
      notes:
        '在黑板上畫一張區塊表：三條序列、一池編了號的區塊，從表格項目畫箭頭指向區塊。接著讓其中一條序列分岔，問大家：兩個分支都要把下一個詞元寫進共用的最後一個區塊時，必須發生什麼事？',
      component: Paging,
    },
    simulator: {
      title: '伺服器模擬器：連續配置、持續批次處理（continuous batching）、分頁',
      notes:
        '從預設的工作負載開始，接著提高請求到達率，直到連續配置伺服器的佇列開始變長。指出紫色和橘色的色帶（保留空間與內部碎片），對照分頁伺服器那條細細的色帶，再看旁邊和論文數字並列的表格。然後把區塊大小設成 1 和 256，問大家有什麼改變。',
      alt: '三張隨時間變化的 KV 記憶體堆疊面積圖（存放詞元的、替之後詞元保留的、內部與外部碎片），分別對應採用靜態批次處理（static batching）的連續配置（contiguous allocation）伺服器、採用持續批次處理（continuous batching）的連續配置伺服器，以及分頁伺服器；一張進行中序列數的圖；以及一張列出吞吐量、平均進行中序列數、浪費的記憶體、等待時間、延遲（latency）與搶占（preemption）次數的表格，旁邊並列 vLLM 論文的數字。',
    },
    lab: {
      title: '即時執行的提示詞與採樣器',
      notes:
        '在這裡設定提示詞和溫度；下面的圖會一次替它採樣 K 個回答。溫度為 0 時所有樣本都相同（貪婪解碼），請全班先預測那時的區塊表會長什麼樣子。',
      intro:
        '下方即時執行採樣時所用的提示詞、溫度（temperature）與亂數種子。模型是本頁的小型 LLaMA，在 CPU 引擎上執行。',
    },
    live: {
      title: '同一個提示詞的 K 個樣本，透過分頁快取一起解碼',
      notes:
        '按下重播並一邊講解：第 0 步，提示詞的區塊由所有樣本共用；第 1 步，樣本分岔，除了一個以外都複製那個未填滿的提示詞區塊；之後每個樣本長出自己的區塊。把記憶體用量和 K 個各自獨立的快取相比。接著把區塊大小改成 1（不需要複製）和 64（一個很大的共用區塊）。',
      alt: '同一個提示詞的 K 個樣本在即時模型中一起解碼時的區塊表：一個格狀圖，每個樣本一列、每個邏輯區塊一欄，每一格顯示它的實體區塊編號和填滿的程度，並標出共用的區塊與寫入時複製出來的區塊；下方是已使用的位元組數與 K 個獨立快取的對比，以及各樣本的文字。',
    },
    misconception: {
      title: 'PagedAttention 並不會減少注意力的計算量',
      notes:
        '把原文那句話唸出來，然後問：用了分頁之後，一個解碼步要乘的數字變少了嗎？沒有：同樣的分數、同樣的加總，在我們的引擎裡 logits 逐位元相同。它省下的是原本會被保留卻用不到的記憶體。',
      component: Misconception,
    },
    check: {
      title: '自我檢測',
      notes:
        '每題一分鐘。第一題：7 個區塊、12 個空格。第二題：記憶體管理，不是計算。第三題：3 次複製，因為最後一個要寫入的樣本會發現那個區塊已經不再共用。',
      questions: {
        'blocks-100': {
          prompt: '區塊大小為 16 個位置時，一條 100 個位置的序列要用幾個區塊？其中有幾格是空的？',
          choices: [
            '6 個區塊，4 格空',
            '7 個區塊，12 格空',
            '7 個區塊，0 格空',
            '100 個區塊，0 格空',
          ],
          explain: `⌈100 / 16⌉ = ${blocksPerSequence(100, 16)} 個區塊，7 · 16 − 100 = ${pagedWaste(100, 16)} 個空格，全都在最後一個區塊裡：絕不會超過 B − 1 = 15。`,
        },
        'what-it-saves': {
          prompt: 'PagedAttention 減少的是什麼？',
          choices: [
            '注意力的浮點運算',
            '每個已快取詞元所占的位元組',
            '因保留與碎片而浪費的 KV 記憶體',
            '需要快取的層數',
          ],
          explain:
            '注意力的數學和每個詞元的位元組數都沒變（我們引擎的 logits 逐位元相同）。它隨著序列變長以區塊分配記憶體，所以浪費不到 4%，而不是 60% 到 80%，也就能放下更多序列。',
        },
        copies: {
          prompt:
            '四個樣本共用一個 37 個詞元的提示詞，存放在大小為 16 的區塊裡。在第一個解碼步，每個樣本都要在位置 37 寫入自己的詞元。會發生幾次寫入時複製？',
          choices: ['0 次', '2 次', '3 次', '4 次'],
          explain: `區塊 0 和 1 是滿的，維持共用。區塊 2 存放位置 32 到 36，由四個樣本共用：前三個寫入者各複製一份，最後一個發現自己是唯一的擁有者，就直接原地寫入：共 ${share.copies} 次複製。`,
        },
      },
    },
    refs: {
      title: '參考文獻',
      notes:
        '最值得讀的是 vLLM 論文；Orca 提出了迭代層級（持續）批次處理；Llama 3 論文則是 PagedAttention 與拒絕採樣相遇的地方。',
      refNotes: [
        'PagedAttention 與 vLLM：每個區塊 16 個詞元；連續預先配置浪費 60% 到 80% 的 KV 記憶體，分頁則不到 4%；吞吐量提升 2× 到 4×。',
        'OSDI 2022。迭代層級排程（iteration-level scheduling）：持續批次處理（continuous batching）。',
        '後訓練中的拒絕採樣，藉 PagedAttention 加速。',
        '4,096 個詞元的上下文，以及範例中使用的模型形狀。',
      ],
    },
  },
};
