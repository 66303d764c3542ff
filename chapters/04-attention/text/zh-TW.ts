// Chapter 4 in Traditional Chinese (Taiwan): the block text overlay on ../chapter.ts (same block
// ids; see $lib/i18n/chapter-text.ts). The prose components are in ../prose/zh-TW; the worked
// numbers are computed from ../math.ts exactly as in the English chapter.
import type { ChapterText } from '$lib/i18n/chapter-text.ts';
import Intro from '../prose/zh-TW/Intro.svelte';
import MemoryBound from '../prose/zh-TW/MemoryBound.svelte';
import Conversion from '../prose/zh-TW/Conversion.svelte';
import Misconception from '../prose/zh-TW/Misconception.svelte';
import WhyNotMqa from '../prose/zh-TW/WhyNotMqa.svelte';
import { formatBytes, kvBytesPerToken, kvShape, llamaConfig, withKvHeads } from '../math.ts';

const R = String.raw;
/** 320 KiB as TeX: the number, a thin space, the unit upright. */
const texBytes = (b: number) => formatBytes(b).replace(/^(\S+) (\S+)$/, R`$1\ \text{$2}`);
const n = (x: number) => x.toLocaleString('en-US').replace(/,/g, '{,}');

const l2 = llamaConfig('llama2-70b');
const l2PerToken = kvBytesPerToken(kvShape(l2), 2);
const l2Mha = kvBytesPerToken(withKvHeads(l2, l2.nHeads), 2);
const l3 = llamaConfig('llama3-8b');
const l3PerToken = kvBytesPerToken(kvShape(l3), 2);

export const text: ChapterText = {
  blocks: {
    why: {
      title: '查詢、鍵、值與注意力頭',
      notes:
        '講：注意力是一個詞元讀取另一個詞元的唯一地方；每個詞元的向量會變成一個查詢（query）、一個鍵（key）和一個值（value）。原始的 Transformer 執行許多個頭，每個頭都有自己的鍵和值；Llama 2 70B 和每個 Llama 3 讓一組組查詢頭共用鍵／值頭。一開始就說出原因：不是訓練的計算量，而是生成時的記憶體流量。',
      component: Intro,
    },
    derive: {
      title: '縮放點積注意力、多個頭與 KV 快取',
      notes:
        '逐步揭示。在 √dₖ 那一步多停一下：沒有它，分數會隨頭寬增大，softmax 會飽和。最後一步引入 KV 快取（KV cache）：較早詞元的鍵和值永遠不會改變，所以把它們留下來。問：生成第 t + 1 個詞元時，我們實際需要注意力矩陣的哪幾列？',
      intro:
        '取 T 個詞元，它們的向量（寬度 d）是 X 的各列，以及 h 個寬度為 dₖ = d / h 的頭。形狀與 llama2.c 相同：W_Q 是 (h·dₖ) × d；W_K 和 W_V 是 (hₖᵥ·dₖ) × d，目前先令 hₖᵥ = h。',
      steps: [
        {
          why: '每個詞元被投影三次：它的查詢、鍵和值（LLaMA 接著用 RoPE 旋轉 q 和 k，第 3 章已介紹）。',
        },
        {
          why: '縮放點積注意力（scaled dot-product attention）：softmax 的第 t 列說明詞元 t 從每個詞元 s 取多少。遮罩 M 讓一個詞元讀不到後面的詞元，所以模型可以由左到右生成。',
        },
        {
          tex: R`\operatorname{Var}(q \cdot k) = \sum_{c=1}^{d_k} \operatorname{Var}(q_c k_c) = d_k \quad (q_c, k_c \text{ 互相獨立、平均 } 0\text{、變異數 } 1)`,
          why: '為什麼要除以 √dₖ：沒有它，分數會隨頭寬增大，softmax 會飽和在單一位置上，梯度（gradient）隨之消失。除以 √dₖ 讓分數的變異數回到 1。',
        },
        {
          why: '多頭注意力（multi-head attention）：在寬度 dₖ 的切片上做 h 個獨立的注意力（W⁽ⁱ⁾ 是頭 i 那 dₖ 列的區塊），串接後再由 W_O 混合。每個頭可以注意不同的東西。',
        },
        {
          why: '生成第 t + 1 個詞元只需要新的第 t 列，但那一列要讀取所有位置 s ≤ t 的鍵和值。它們一旦算出就不再改變，所以保留下來：這就是 KV 快取。每一步為每個頭算出一個新的 k 和 v，並附加上去。',
        },
      ],
    },
    memory: {
      title: '為什麼解碼受記憶體限制',
      notes:
        '講：生成時每一步都要讀取所有權重和整個 KV 快取，只為產生一個詞元，每讀一個權重大約只做兩次運算，所以加速器都在等記憶體。帶過投影片上 Llama 2 70B 的數字。問：如果每一步都要讀取快取，把它變小能得到什麼？',
      component: MemoryBound,
    },
    'derive-gqa': {
      title: '快取的大小，以及共用 K/V 頭',
      notes:
        '逐步揭示：每個詞元的位元組數是 2 · L · hₖᵥ · dₖ · b。MHA 每個查詢頭有一個 K/V 頭，MQA 全部共用一個，GQA 把連續的查詢頭分組。展示 llama2.c 的 kv_mul 索引。揭示最後一步之前，請全班算出 Llama 2 70B 用 MHA 的成本：是 8 倍。',
      intro: '令 L 為層數，hₖᵥ 為鍵／值頭的數目，b 為每個儲存的數所佔的位元組數（fp16 為 2）。',
      steps: [
        {
          tex: R`\text{每個詞元的位元組數} = 2 \cdot L \cdot h_{kv} \cdot d_k \cdot b`,
          why: '2 代表鍵和值兩者；每一層對每個位置、每個 K/V 頭存一個寬度 dₖ 的鍵和一個值。整個快取是這個數乘以上下文長度（context length），再乘以批次大小。',
        },
        {
          why: '在多頭注意力中，每個查詢頭都有自己的 K/V 頭，所以快取對每一層、每個詞元存兩個完整的 d 維向量。',
        },
        {
          why: '多查詢注意力（multi-query attention；Shazeer, 2019）：保留 h 個查詢頭，但只有一個鍵頭和一個值頭給所有查詢頭讀取。快取縮小 h 倍；每個頭的查詢仍然不同。',
        },
        {
          why: '分組查詢注意力（grouped-query attention；Ainslie et al., 2023）：hₖᵥ 個 K/V 頭，每個由一組 h / hₖᵥ 個連續的查詢頭讀取。llama2.c 算的正是這個索引：kv_mul = n_heads / n_kv_heads，查詢頭 i 讀取鍵／值頭 i / kv_mul（整數除法）。',
        },
        {
          tex: R`h_{kv} = h:\ \text{MHA（多頭）}, \qquad 1 < h_{kv} < h:\ \text{GQA（分組查詢）}, \qquad h_{kv} = 1:\ \text{MQA（多查詢）}`,
          why: 'GQA 是一般情形：MHA 和 MQA 是它的兩個端點。查詢頭的數目，也就是計算注意力分數的成本，並沒有改變；改變的只有 K/V 投影和快取。',
        },
        {
          tex: R`\text{Llama 2 70B，fp16 時：}\quad 2 \cdot ${l2.nLayers} \cdot ${l2.nKvHeads} \cdot ${l2.dim / l2.nHeads} \cdot 2 = ${n(l2PerToken)}\ \text{B} = ${texBytes(l2PerToken)}`,
          why: `若有 ${l2.nHeads} 個 K/V 頭（MHA），每個詞元會是 ${formatBytes(l2Mha)}，多了 ${l2.nHeads / l2.nKvHeads} 倍。Llama 3 8B（${l3.nLayers} 層，${l3.nKvHeads} 個寬度 ${l3.dim / l3.nHeads} 的 K/V 頭）則是每個詞元 ${formatBytes(l3PerToken)}。`,
        },
      ],
    },
    sharing: {
      title: '哪些查詢頭共用哪個 K/V 頭',
      notes:
        '點選預設：Llama 2 7B（MHA，每個查詢頭一條線）、Llama 2 70B 和 Llama 3 8B（GQA，連續的頭成組共用一種顏色），再點 MQA（每條線都連到同一個頭）。問：64 個查詢頭、8 個 K/V 頭時，查詢頭 21 讀取哪個 K/V 頭？',
      alt: '一張圖：上面一排查詢頭，下面一排鍵／值頭，每個查詢頭有一條線連到它讀取的 K/V 頭；連續的查詢頭共用一個 K/V 頭並使用它的顏色。控制項設定查詢頭和 K/V 頭的數目，並有 Llama 2 7B（MHA）、Llama 2 70B 和 Llama 3 8B（GQA）以及 MQA 的預設。',
    },
    calculator: {
      title: 'LLaMA 家族的 KV 快取計算器',
      notes:
        '選 Llama 3 8B，把上下文設為 128K，讀出總量；切到 fp32，看它加倍；再調高批次大小。表格在同一個模型上比較 MHA、GQA 和 MQA。設定之前，請全班猜 128K 個詞元的快取有多大。',
      alt: '一個計算器：選擇 LLaMA 模型、上下文長度、批次大小，以及 fp16 或 fp32。它顯示每個詞元的 KV 快取位元組數並代入公式、所選上下文與批次的總量、一張在同一模型上比較 MHA、GQA 和 MQA 的表格（快取大小、每個解碼步讀取的位元組數和運算數），以及三種變體的快取記憶體對上下文長度的雙對數折線圖。',
    },
    convert: {
      title: '從多頭檢查點到 GQA',
      notes:
        '講：GQA 論文把每組的 K 和 V 投影取平均來轉換多頭檢查點，再用約 5% 的預訓練運算量做追加訓練（uptraining）。因為投影是線性的，對權重取平均等於對鍵取平均，而 RoPE 與它可交換。實驗只做池化，不做追加訓練。',
      component: Conversion,
    },
    lab: {
      title: '池化即時模型的 K/V 頭',
      notes:
        '把 K/V 頭從 2（訓練時的設定）調到 1（多查詢）：快取減半，與訓練模型之間的 KL 散度上升，生成的文字和保留集困惑度顯示出追加訓練必須修補的損害。改變之前先問：損害小還是大？再調回 2，展示一切都恢復原狀。',
      intro: (m) => {
        const how = !m
          ? ''
          : m.nKvHeads === m.nHeads
            ? `下面的模型以多頭注意力（multi-head attention）訓練（${m.nHeads} 個頭，每個頭都有自己的鍵和值）。`
            : m.nKvHeads === 1
              ? `下面的模型以多查詢注意力（multi-query attention）訓練（${m.nHeads} 個查詢頭共用一個 K/V 頭）。`
              : `下面的模型以分組查詢注意力（grouped-query attention）訓練（${m.nHeads} 個查詢頭共用 ${m.nKvHeads} 個 K/V 頭）。`;
        const what =
          m && m.nKvHeads === 1
            ? '它本來就只有一個 K/V 頭，沒有什麼可以再池化：請載入內建模型或多頭模型來試試。'
            : '以分組平均池化（mean-pooling）的方式減少它的 K/V 頭數，一直減到一個（多查詢注意力），不重新訓練。';
        return `${how}${what}觀察快取縮小、下一個詞元的分布偏移了多少（與訓練模型之間的 KL 散度，KL divergence）、模型寫出什麼，以及它在保留集（held-out）段落上的困惑度（perplexity）。`;
      },
    },
    'cache-fill': {
      title: '模型寫作時逐漸填滿的 KV 快取',
      notes:
        '讓模型開始寫：提示的各行一次填滿，之後每生成一個詞元填一行。改變 K/V 頭旋鈕，展示列數跟著變，下方顯示所佔的位元組數。問：完整的 Llama 2 70B 每一層會有幾列？',
      alt: '一張格子圖：即時模型的每個位置一行，每一層的每個 K/V 頭一列。提示的各行一次填滿，之後每生成一個詞元填一行；列數隨 K/V 頭數改變，所佔的位元組數顯示在下方。',
    },
    maps: {
      title: '共用一個 K/V 頭的各頭的注意力圖',
      notes:
        '選一層和一個 K/V 頭：圖中是讀取那一個頭的各個查詢頭。問全班：共用鍵和值的頭，注意的地方還會不同嗎？接著指出它們的查詢不同，所以注意力圖也可以不同。改變 K/V 頭旋鈕，看圖如何變化。',
      alt: '即時模型的注意力機率熱圖，在所選的層中，所選 K/V 頭那一組的每個查詢頭各一張：提示的詞元作為列（查詢）和行（鍵）。',
    },
    'why-not-mqa': {
      title: '為什麼不用一個 K/V 頭，以及還有什麼讓注意力變快',
      component: WhyNotMqa,
      notes:
        '問：如果一個 K/V 頭就能讓快取小 h 倍，為什麼 LLaMA 保留 8 個？接著給出證據：GQA 論文中 MQA 的品質損失和損失尖峰，以及 Llama 2 在 30B 上的消融實驗，其中 GQA 與 MHA 相當並勝過 MQA。說明 FlashAttention 計算的是完全相同的注意力，但記憶體讀取少得多；Llama 3 則遮蔽打包在一起的文件之間的注意力。PagedAttention（分頁注意力）屬於服務那一章。',
    },
    curves: {
      title: '以 MHA、GQA 和 MQA 訓練',
      notes:
        '如果訓練紀錄已載入，比較 GQA 模型和它以相同資料、相同預算訓練的 MHA 與 MQA 雙胞胎。問：哪一個的驗證損失最低？這個差距值得用快取的節省去換嗎？如果缺少訓練紀錄，就跳過這張投影片。',
      alt: '內建 GQA 模型，以及以相同資料和預算、用多頭注意力和多查詢注意力訓練的雙胞胎，它們的訓練損失與驗證損失對訓練步數的圖，在這些訓練紀錄可用時顯示。',
    },
    misconception: {
      title: '「全域查詢注意力」，以及每個 Llama 2 都用 GQA',
      notes:
        '兩個更正。名稱是分組查詢注意力（grouped-query attention），不是「global query attention」，而且查詢沒有任何共用：共用的是鍵和值。還有，Llama 2 只有 34B 和 70B 使用 GQA；7B 和 13B 使用多頭注意力。Llama 3 在每種規模都使用 GQA。',
      component: Misconception,
    },
    check: {
      title: '自我檢測',
      notes:
        '每題一分鐘，舉手表決，再點擊檢查。第一題是計算器的算術（16 GiB），第二題是 kv_mul 索引（頭 2），第三題是 Llama 2 的規模（34B 和 70B）。',
      questions: {
        'llama3-128k': {
          prompt:
            'Llama 3 8B 有 32 層、8 個 K/V 頭、每頭維度（head dimension）128。以 fp16 儲存時，一條 128K（131,072）個詞元的序列，它的 KV 快取有多大？',
          choices: ['2 GiB', '16 GiB', '64 GiB', '128 GiB'],
          explain: `2 · 32 · 8 · 128 · 2 位元組 = ${l3PerToken.toLocaleString('en-US')} B = 每個詞元 ${formatBytes(l3PerToken)}；乘以 131,072 個詞元就是 ${formatBytes(l3PerToken * 131072)}。若有 32 個 K/V 頭（MHA），會是四倍。`,
        },
        'which-kv': {
          prompt:
            '某一層有 64 個查詢頭和 8 個 K/V 頭（Llama 2 70B）。查詢頭 21 讀取哪個 K/V 頭（從 0 開始數）？',
          choices: ['0', '2', '5', '21'],
          explain:
            'kv_mul = 64 / 8 = 8，即每個 K/V 頭對應 8 個查詢頭；而 ⌊21 / 8⌋ = 2：查詢頭 16 到 23 共用 K/V 頭 2。',
        },
        'llama2-gqa': {
          prompt: '哪些 Llama 2 模型使用分組查詢注意力？',
          choices: ['所有規模', '只有 7B 和 13B', '只有 34B 和 70B', '都沒有；它是 Llama 3 才有的'],
          explain:
            'Llama 2 論文只在 34B 和 70B 模型使用 GQA（8 個 K/V 頭）；7B 和 13B 使用多頭注意力。Llama 3 在每種規模都使用 GQA。',
        },
      },
    },
    refs: {
      title: '參考文獻',
      notes:
        '指出 Vaswani et al.、Shazeer 的多查詢論文和 Ainslie et al. 的 GQA 論文，以及 Llama 2 與 Llama 3 論文中的模型規模。這裡不需要示範。',
      refNotes: [
        '縮放點積注意力與多頭注意力。',
        '多查詢注意力，以及增量解碼的記憶體成本。',
        '分組查詢注意力；對 K/V 頭做平均池化，再用約 5% 的預訓練運算量追加訓練。',
        null,
        '34B 和 70B 模型使用有 8 個 K/V 頭的 GQA；附錄 A.2.1 中 30B 規模的 MHA / MQA / GQA 消融實驗。',
        '每種規模都使用有 8 個 K/V 頭的 GQA；同一序列中打包的文件之間的遮罩（第 3.2 節）。',
      ],
    },
  },
};
