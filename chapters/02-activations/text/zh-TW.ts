// Chapter 2 in Traditional Chinese (Taiwan): the overlay on chapter.ts, keyed by block id.
// English stays the source of truth; tests/unit/i18n checks that every block and field is here.
import type { ChapterText } from '$lib/i18n/chapter-text.ts';
import type { Architecture } from '$lib/model-facts.ts';
import Intro from '../prose/zh-TW/Intro.svelte';
import HiddenSize from '../prose/zh-TW/HiddenSize.svelte';
import Misconception from '../prose/zh-TW/Misconception.svelte';
import GluResults from '../prose/zh-TW/GluResults.svelte';

const R = String.raw;

/** The loaded model's FFN in words (model-facts describes it in English). */
function ffnInWords(m: Architecture): string {
  // A Latin name gets a space on each side; the Chinese word for a custom formula none.
  const act = m.activation === 'custom' ? '自訂函數' : ` ${m.activation} `;
  if (!m.ffn.startsWith('a ')) return `${m.ffn}（也就是以${act}作為門）`;
  return m.ffn.endsWith(' MLP') ? `一般的 MLP（以${act}為激活函數）` : `門控 FFN（以${act}作為門）`;
}

export const text: ChapterText = {
  blocks: {
    why: {
      title: '激活函數的作用',
      notes:
        '可以這樣說：每個 LLaMA 區塊有一半是前饋網路（FFN）；若沒有非線性，它的兩個矩陣會合併成一個，整個區塊就是線性的。接著介紹本章的路線：ReLU、GELU 和 Swish，然後是 LLaMA 使用的門控 SwiGLU。問：非線性層能儲存哪些線性映射無法儲存的東西？',
      component: Intro,
    },
    derive: {
      title: '從 ReLU 到 GELU 與 Swish，一步一步來',
      notes:
        '一步一步揭示。給全班的框架是：這裡的每個激活函數，都是 z 乘上一個取決於 z 的門。ReLU 的門是硬性的 0/1，GELU 的門是 Φ(z)，Swish 的門是 σ(βz)。在 Swish 的步驟之後問：β 非常大時 Swish 會變成什麼？β 趨近 0 時呢？（ReLU，以及 z/2。）',
      intro:
        '取一個隱藏單元，其激活前的值為 z（W₁x 的一個分量）。下面每個激活函數，都是把 z 乘上一個取決於 z 本身的門。',
      steps: [
        {
          why: 'ReLU 把輸入乘上一個由 z 的正負號決定的硬性 0/1 門。當 z < 0 時，輸出和梯度（gradient）都恰好為零。',
        },
        {
          why: 'GELU 把門變得柔和：不是在 z > 0 時保留 z，而是以機率 Φ(z)（標準常態隨機變數落在 z 以下的機率）保留它，再取期望值。很大的正值幾乎總是被保留，很大的負值幾乎從不被保留。',
        },
        {
          why: '用誤差函數（erf）寫出的常態分布累積分布函數。這個網頁中的引擎在「gelu」旋鈕下計算的，正是這個精確形式。',
        },
        {
          why: 'GELU 論文的 tanh 近似，在 erf 較慢的地方比較省。兩者的差距從不超過 4.8 × 10⁻⁴；差距在 |z| = 2.7 附近達到最大（由本章的測試計算）。',
        },
        {
          why: '乘積法則，其中 Φ′ = φ。當 z 小於約 −0.75 時導數為負，GELU 在那裡有最小值 −0.17：GELU 不是單調函數。',
        },
        {
          why: '把 Φ 換成邏輯 sigmoid，就得到 SiLU，z σ(z)；GELU 論文早已提出它（Hendrycks 與 Gimpel，2016），Elfwing、Uchibe 與 Doya（2017）也在強化學習中使用過。Ramachandran、Zoph 與 Le（2017）透過對激活函數的自動搜尋再次找到它，加上斜率 β，並命名為 Swish；SiLU 就是 β = 1 的 Swish。由於 σ(1.702 z) ≈ Φ(z)，β = 1.702 的 Swish 與 GELU 的差距不超過 0.021。',
        },
        {
          why: '再用一次乘積法則，其中 σ′ = σ(1 − σ)。和 ReLU 的不同，它在 z < 0 時不為零。對 SiLU（β = 1）而言，它在 z ≈ −1.2785 以上為正、在該點恰好為 0（SiLU 的最小值）、在其下為負（最低約 −0.0998，位於 z ≈ −2.40 附近），並在 z → −∞ 時趨近 0。所以低於零的單元仍然收得到梯度，只有恰好在最小值處，以及實際上遠低於它的地方例外。',
        },
        {
          why: '陡峭的 sigmoid 會變成 0/1 階梯，平坦的則處處為 1/2：β 讓 Swish 在 ReLU 和線性函數之間滑動。在下面的圖表中試試看。',
        },
      ],
    },
    curves: {
      title: '曲線及其斜率',
      notes:
        '移動 β 滑桿：β 大時 Swish 看起來像 ReLU，β 小時幾乎是一條直線。指向虛線的導數：ReLU 的導數在零處從 0 跳到 1，GELU 和 Swish 的導數平滑變化，並在 x 為負時略低於零。問：GELU 在哪裡不是單調的？',
      alt: 'ReLU、GELU 以及 β 可調的 Swish 的折線圖（實線），以及它們的導數（虛線），x 的範圍可調。ReLU 的導數在零處從 0 跳到 1；GELU 和 Swish 在 x 為負時略低於零，而且它們的導數平滑變化。',
    },
    dead: {
      title: '死亡 ReLU 單元從何而來',
      notes:
        '把偏置滑桿往左拖：零以下的陰影部分變大，這個單元被激發的輸入比例下降。在 ReLU 下那裡的梯度恰好為零，所以單元無法靠學習回到原處；在 SiLU 下梯度只在 z ≈ −1.28 處為零，其下為負、其上為正，遠低於該點時趨近 0。問：一個偏置被推得太遠、從不被激發的單元，會發生什麼事？',
      alt: '一個隱藏單元在許多輸入上的激活前值分布：一條隨偏置（bias）滑桿平移的鐘形曲線，零以下的部分加上陰影；下方是 ReLU 的梯度（輸入為負時為零）和 SiLU 的梯度（只在 z ≈ −1.28 處為零，其下為負，遠低於該點時趨近 0）。一個讀數顯示這個單元被激發的輸入比例。',
    },
    glu: {
      title: '門控線性單元與 LLaMA 的 FFN',
      notes:
        '一步一步揭示：加上第二個投影 W₃x，讓激活後的 W₁x 逐元素地當它的門。原始的 GLU 用 sigmoid 作為門；SwiGLU 用 SiLU，它不限於 [0, 1]。用程式碼中的名稱稱呼這些矩陣：w1 是門（gate），w3 是上投影（up），w2 是下投影（down）。最後一步：門和上投影透過乘積互相訓練。',
      intro:
        '現在給 FFN 第二個對同一輸入的投影 W₃x，並讓激活後的 W₁x 逐元素地當它的門（⊙ 是逐元素乘積）。和 GLU 變體論文以及 LLaMA 一樣，省略偏置。',
      steps: [
        { why: '一般的 FFN：擴展到 h 個隱藏單元，套用激活函數，再投影回 d。' },
        {
          why: '門控線性單元（gated linear unit, GLU）（Dauphin、Fan、Auli 與 Grangier，2017，用於卷積語言模型）：一個投影的 sigmoid 嚴格介於 0 與 1 之間，決定另一個投影能通過多少。',
        },
        {
          why: 'GLU 變體論文把 sigmoid 換成其他激活函數。這時門就不再限於 [0, 1]。',
        },
        {
          why: 'LLaMA 的 FFN：β = 1 的 SwiGLU，再接下投影 W₂。在 Meta 的程式碼和 llama2.c 中，這三個矩陣分別叫做 w1（門）、w3（上投影）和 w2（下投影）。',
        },
        {
          why: '令 a = W₁x、b = W₃x，每個隱藏單元都是一個乘積，所以梯度經由門的值傳到上投影，經由上投影的值傳到門：兩個投影互相訓練。',
        },
      ],
    },
    surface: {
      title: '門在兩個輸入上的曲面',
      notes:
        '在 GLU、ReGLU、GeGLU 和 SwiGLU 之間切換變體，觀察熱圖的變化。在右側的圖上指向 0 到 1 的帶狀區域：只有 sigmoid 停留在裡面。問全班：SwiGLU 單元能放大它的上投影值嗎？（可以：SiLU(a) 無上限地增長。）',
      alt: '一張帶等高線的熱圖，顯示所選 GLU 變體（GLU、ReGLU、GeGLU 或 SwiGLU）的 gate(a) 乘以 b，a 與 b 介於 −4 與 4 之間；旁邊是四個門函數對 a 的圖，0 到 1 的帶狀區域加上陰影：只有 sigmoid 停留在裡面。',
    },
    params: {
      title: '為什麼隱藏層是 4d 的 2/3',
      notes:
        '揭示權重數：一般 FFN 是 8d²，門控 FFN 是 3dh，所以權重相等時 h = 8d/3，即 4d 的三分之二。然後是 LLaMA 進位到 256 的倍數：7B 模型為 11,008。在揭示最後一步之前，請全班先算出 d = 4096 的結果。',
      intro:
        '第三個矩陣要花權重。GLU 變體論文縮小隱藏寬度，讓門控 FFN 的權重數與 h = 4d 的一般 FFN 相同，以維持公平的比較。',
      steps: [
        { why: '兩個 d × 4d 的矩陣。', tex: R`\text{一般：} 2 \cdot d \cdot 4d = 8d^2` },
        {
          why: '三個 d × h 的矩陣：W₁ 和 W₃ 輸入，W₂ 輸出。',
          tex: R`\text{門控：} 3 \cdot d \cdot h`,
        },
        { why: '權重數相等，就把 h 定在一般 4d 的三分之二。' },
        {
          why: 'LLaMA 無條件進位到 m 的倍數。d = 4096、m = 256 時得到 11,008，也就是 LLaMA 7B 和 Llama 2 7B 的隱藏維度（hidden size）。',
        },
      ],
    },
    sizes: {
      title: 'LLaMA 實際的尺寸',
      notes:
        '逐列講解表格：7B 模型計算 ⌊2/3 · 4d⌋ = 10,922，再進位到 11,008；Llama 3 8B 乘上 1.3，並進位到 1024 的倍數。問：和精確的 2/3 規則相比，進位多花了多少權重？',
      component: HiddenSize,
    },
    formula: {
      title: '寫出你自己的激活函數',
      notes:
        '輸入你自己的公式，例如 x * sigmoid(2*x) 或 max(x, 0.1*x)，觀察它的曲線和導數與 SiLU 並列。接著按下把它放進實際運作模型的按鈕，再到實驗區。請全班提出想試的公式；錯誤的公式會得到清楚的訊息，所以放心接受大家的建議。',
      alt: '一個輸入 x 的激活函數公式的文字框，輸入時即時檢查；一張折線圖畫出該公式、它的導數（虛線）以及作為比較的 SiLU；還有一個把公式放進實際運作模型的按鈕。',
    },
    lab: {
      title: '在即時模型中替換激活函數',
      notes:
        '把激活函數從 silu 切換到 gelu：GELU 和 SiLU 很接近，所以預期 KL 很小，文字讀起來仍像原本的樣子。接著換成 relu：變化較大。然後用 custom 試全班的公式。指向某一層進入與離開激活函數的數值直方圖，問為什麼負值在 SiLU 下能留存，在 ReLU 下卻不行。',
      intro: (m) =>
        `${m ? `下方的模型訓練時使用 ${ffnInWords(m)}。` : ''}把每個 FFN 層切換成 ${['SiLU', 'GELU', 'ReLU'].filter((a) => a !== m?.activation).join('、')}，或你自己的公式（custom），看看下一個詞元的機率分布偏離了多少（即相對於訓練好模型的 KL 散度，KL divergence）、模型寫出了什麼，以及它對一段保留集（held-out）文字的預測有多準。直方圖顯示某一層中實際進入與離開激活函數的數值。`,
    },
    training: {
      title: '以 SwiGLU 和以 GELU MLP 分別訓練',
      notes:
        '如果兩次訓練紀錄都已載入，比較 SwiGLU 模型和參數量相同、使用 GELU MLP 的雙胞胎模型。問：在這個小模型上，哪一個達到較低的驗證損失？說明 GLU 變體論文發現，在權重數相等時門控變體比較好。如果缺少訓練紀錄，就跳過這張投影片。',
      alt: '內建的 SwiGLU 模型，以及一個參數量相同、以一般 GELU MLP 訓練的雙胞胎模型，兩者的訓練損失（loss）與驗證損失隨訓練步數的變化（在兩次訓練紀錄都可取得時顯示）。',
    },
    evidence: {
      title: 'SwiGLU 的證據，以及通往 LLaMA 的路',
      component: GluResults,
      notes:
        '展示表格：每一列門控變體都勝過每一列非門控變體，GEGLU 和 SwiGLU 最好，對數困惑度差距只有百分之幾。唸出論文自己的結語（沒有解釋，歸於「divine benevolence」，神的恩典），然後說：支持 SwiGLU 的理由是經驗性的。接著 PaLM 在大規模上使用了它，LLaMA 再以 2/3 的寬度採用它。問：一個區塊的權重大多在哪裡？（在 FFN：LLaMA 7B 中約三分之二，使用 GQA 時更多。）',
    },
    misconception: {
      title: '「SwiGLU 的門是介於 0 與 1 之間的 sigmoid」',
      notes:
        '唸出這個說法，問誰相信。然後說明那其實是原始的 GLU：在 SwiGLU 中，門是 SiLU(a)，它無上限地增長，並在 a 為負時略小於零，最小值約為 −0.28。sigmoid 只出現在 SiLU 的內部。',
      component: Misconception,
    },
    check: {
      title: '自我檢測',
      notes:
        '每題一分鐘，請大家舉手，再點選檢查。用解說來複習本章：門的值域、2/3 的寬度，以及死亡 ReLU 單元。',
      questions: {
        range: {
          prompt: '在 LLaMA 的 FFN 中，門 SiLU((W₁x)ᵢ) 可以取哪些值？',
          choices: ['只有 [0, 1]', '只有 (−1, 1)', '約 −0.28 到任意正值', '只有 [0, ∞)'],
          explain:
            'SiLU(a) = a·σ(a) 在 a ≈ −1.28 處有最小值約 −0.278，並在 a 很大時像 a 一樣增長。只有原始 GLU 的 sigmoid 門停留在 [0, 1] 之內。',
        },
        width: {
          prompt:
            '一個門控 FFN 有三個 d × h 的矩陣。h 取多少時，它的權重數與隱藏寬度 4d 的一般 FFN 相同？',
          choices: ['4d', '8d/3', '2d', '16d/3'],
          explain:
            '3·d·h = 2·d·4d 得到 h = 8d/3 = (2/3)·4d；LLaMA 再無條件進位到 multiple_of 的倍數。',
        },
        dead: {
          prompt: '為什麼 ReLU 單元在訓練中可能「死亡」，而 SiLU 單元能夠恢復？',
          choices: [
            'ReLU 的梯度在每個負輸入上都恰好為零；SiLU 的梯度只在一個點（z ≈ −1.28）為零',
            'ReLU 在 0 處不可微',
            'SiLU 有上界',
            'ReLU 單元沒有權重',
          ],
          explain:
            '一個在每個輸入上激活前值都為負的單元，經由 ReLU 得到的梯度為零，所以沒有任何東西能把它推回來。SiLU′(z) 只在 z ≈ −1.28 處為零（其下為負、其上為正，並在 z → −∞ 時趨近 0），所以輸入落在中等負值的單元會持續收到梯度，能夠回到原處。',
        },
      },
    },
    refs: {
      title: '參考文獻',
      notes:
        '指出 Hendrycks 與 Gimpel（GELU）、Ramachandran 等人（Swish），以及 Shazeer 的 GLU 變體論文，後者是 LLaMA FFN 的出處。這裡沒有需要示範的內容。',
      refNotes: [
        'GELU，以及作為其變體的 SiLU x·σ(x)。',
        '在 Swish 之前的 SiLU，x·σ(x)。',
        '門控線性單元（GLU）。',
        'Swish，x·σ(βx)。',
        'GLU、ReGLU、GEGLU、SwiGLU；參數量相等時的 2/3 隱藏寬度。',
        '540B 參數規模的 SwiGLU，隱藏寬度為 4d。',
        '第 2.2 節：SwiGLU 激活函數，隱藏寬度為 2/3 · 4d。',
        'Llama 3 8B：FFN 寬度 14,336。',
      ],
    },
  },
};
