// Chapter 5 in Traditional Chinese (Taiwan): the block text overlay on ../chapter.ts (same block
// ids, same step counts, same numbers; see /I18N.md). The TeX is the English TeX except where the
// English has words in \text{...}.
import type { ChapterText } from '$lib/i18n/chapter-text.ts';
import Data from '../prose/zh-TW/Data.svelte';
import LabIntro from '../prose/zh-TW/LabIntro.svelte';
import Misconception from '../prose/zh-TW/Misconception.svelte';
import Tokenizer from '../prose/zh-TW/Tokenizer.svelte';
import { FAMILY, llamaParams, tokensPerParam, trainingFlops } from '../math.ts';

const R = String.raw;
const l3 = FAMILY.find((f) => f.name === 'Llama 3.1 405B')!;
const l3Flops = trainingFlops(llamaParams(l3.shape), l3.tokens);
const sci = (x: number) => {
  const e = Math.floor(Math.log10(x));
  return R`${(x / 10 ** e).toFixed(1)} \times 10^{${e}}`;
};
const l1 = FAMILY.find((f) => f.name === 'LLaMA 1 7B')!;
const l1Ratio = Math.round(tokensPerParam(l1.tokens, llamaParams(l1.shape)));

export const text: ChapterText = {
  blocks: {
    data: {
      title: '數兆個公開文字詞元',
      component: Data,
      notes:
        '從表格開始：三分之二是網頁文字，而小而乾淨的來源被讀了兩遍以上。問全班：為什麼維基百科讀兩遍、網頁卻只讀一遍？（每個詞元的品質。）接著講三個預算：1.4T、2T、15T。',
    },
    compute: {
      title: '訓練一個詞元要花多少：6ND',
      intro:
        'N 個參數，D 個訓練詞元。計算矩陣乘積中的乘加次數；當解碼器的寬度遠大於上下文長度（context length）時，幾乎所有工作都在這些乘積裡。',
      notes:
        '一次揭示一步。關鍵事實是：每個權重在前向傳播中對每個詞元用一次（一次乘法加一次加法），在反向傳播中用兩次。問：為什麼是兩次？（一次算輸入的梯度，一次算權重的梯度。）',
      steps: [
        {
          tex: R`y = W h, \quad W \in \mathbb{R}^{a \times b}: \quad 2ab \text{ FLOPs（每個詞元）}`,
          why: '矩陣向量乘積對每個權重做一次乘法和一次加法。把模型所有權重矩陣加總，前向傳播每個詞元約花 2N FLOPs。',
        },
        {
          why: '反向傳播（backward pass）每一層需要兩個同樣大小的乘積：一個把梯度（gradient）往下一層傳，一個給出權重的梯度。每個詞元共 4N FLOPs。',
        },
        {
          why: '前向加反向，對 D 個訓練詞元中的每一個都要做一次（Kaplan et al., 2020）。注意力（attention）分數會多出一項隨上下文長度成長的成本；在 LLaMA 的規模下，它與每個詞元 6N 相比很小。',
        },
        {
          tex: R`C_{\text{405B}} \approx 6 \cdot ${sci(llamaParams(l3.shape))} \cdot ${sci(l3.tokens)} \approx ${sci(l3Flops)} \text{ 次浮點運算（FLOPs）}`,
          why: 'Llama 3.1 405B 訓練於 15.6T 個詞元：Llama 3 論文報告約 3.8 × 10²⁵ FLOPs，與此相同。',
        },
        {
          tex: R`\frac{D}{N} \approx 20 \;\text{（Chinchilla）} \qquad \text{對比} \qquad \frac{D}{N} \approx ${l1Ratio} \;\text{（LLaMA 1 7B）}`,
          why: '在固定的 C 下，Chinchilla 的擬合結果把最低損失放在每個參數約 20 個詞元處。LLaMA 讓它的小模型訓練多出好幾倍的詞元：以超出訓練最佳值的算力，換取一個執行起來更便宜的模型。',
        },
      ],
    },
    'tokens-per-param': {
      title: '整個家族的每參數詞元數',
      alt: '以對數刻度畫出每個 LLaMA 模型的每參數詞元數，並與位於 20 的 Chinchilla 線比較：每個模型都在線之上，LLaMA 1 65B 最少（約 20），Llama 3 8B 最多（約 1,900）。',
      notes:
        '指著位於 20 的那條線，再指 Llama 3 8B 的點，它幾乎高出一百倍。問哪些模型最接近算力最佳（最大的那些）。把滑鼠移到點上可以看到數字。',
    },
    tokenizer: {
      title: '詞元：從資料學來的詞彙表',
      component: Tokenizer,
      notes:
        '用一個例子說明什麼是合併（「t」+「h」→「th」）。接著講取捨：詞彙表越大，序列越短，但嵌入與分類器越大；在 Llama 3 8B 中它們約占參數的 13%。',
    },
    'tokenizer-live': {
      title: '訓練一個分詞器',
      alt: '在頁面中以選定的文字訓練的 BPE 分詞器：依序列出學到的合併、一個被切成片段並標出編號的句子，以及兩種詞彙表大小下每個詞元的字元數。',
      notes:
        '先以 300 個詞元訓練，再以 1,000 個：句子被切成更少、更長的片段，每個詞元的字元數上升。把合併滑桿拉回 0，句子會顯示為單一字元與位元組。',
    },
    'lab-intro': {
      title: '在這裡訓練一個小小的 LLaMA',
      component: LabIntro,
      notes:
        '告訴大家：這正是製作隨附模型的那個訓練器，在瀏覽器分頁中執行。先啟動 2 分鐘的預設組合再解釋各個控制項，讓它在你講解時訓練。',
    },
    'train-lab': {
      title: '訓練實驗',
      alt: '資料、架構與訓練配方的控制項；一張即時圖表，顯示每步的訓練與驗證損失（以每字元位元數計）、學習率（learning rate）與梯度範數；模型產生的樣本；保留、使用與下載訓練好的模型的按鈕。',
      notes:
        '以 2 分鐘預設組合按下「訓練」。看損失先快速下降、再緩慢下降；暫停並指出學習率圖中的暖身段。讀第 100 步與最後的樣本。然後按「使用這個模型」並打開第 1 章：現在的即時模型就是全班自己的模型。',
    },
    loss: {
      title: '損失：下一個詞元的交叉熵，以每字元位元數計',
      intro:
        '模型把一段上下文對應到詞彙表 V 個詞元上的 logits（對數機率）z ∈ ℝᵛ；文字的詞元為 x₁ … x_T。',
      notes:
        '核心概念只有一個：損失就是模型對真正的下一個詞元有多驚訝。問：損失等於 ln V 代表什麼（均勻亂猜）？為什麼用每字元位元數而不是每詞元，才能比較兩個分詞器？',
      steps: [
        { why: 'softmax 把 logits 變成下一個詞元的機率分布。' },
        {
          why: '單一位置的交叉熵（cross-entropy）：實際出現的下一個詞元的負對數機率，單位為 nat。只有當模型給該詞元機率 1 時它才是 0；均勻亂猜時是 ln V。',
        },
        {
          why: '它對 logits 的梯度是預測分布減去 one-hot 目標：訓練器中每一次反向傳播的起點。',
        },
        {
          tex: R`L = \frac{1}{T} \sum_{t=1}^{T} \ell_t \quad \text{nats／詞元}`,
          why: '訓練損失是批次中所有位置的平均。',
        },
        {
          tex: R`\text{位元／字元} = \frac{\sum_t \ell_t}{\ln 2 \cdot (\text{文字的字元數})}`,
          why: '把總和除以 ln 2 換算成位元，並除以字元數而不是詞元數：得到一個與分詞器無關的數字，讓不同詞彙表的訓練可以公平比較。',
        },
      ],
    },
    adamw: {
      title: 'LLaMA 所用的 AdamW，加上暖身與餘弦衰減',
      intro:
        'LLaMA 1 與 2 以 AdamW 訓練，β₁ = 0.9、β₂ = 0.95、權重衰減（weight decay）為 0.1；梯度裁剪於 1.0，暖身 2,000 步，再以餘弦排程降到峰值學習率的 10%。本實驗使用同樣的規則，只是暖身較短。',
      notes:
        '指出兩個 LLaMA 特有的選擇：β₂ = 0.95（對梯度大小的記憶比常見的 0.999 短，對大模型更穩定），以及與梯度解耦的權重衰減。接著在實驗的學習率圖中展示這個排程。',
      steps: [
        {
          why: '對每個參數分別維護梯度與梯度平方的移動平均。β₂ = 0.95 時，二階動差大約 20 步就會遺忘。',
        },
        {
          why: '兩者都從零開始，所以早期的平均值偏小；除以 1 − βˢ（在第 s 步）可以消除這個偏差。',
        },
        {
          why: '每一步是正規化後的平均梯度，加上解耦的權重衰減 λθ（Loshchilov 與 Hutter）：衰減不混入 g，因此 Adam 的縮放不會削弱它。訓練器只對矩陣做衰減，不對歸一化的增益（gain）做衰減。',
        },
        {
          why: '在 w 步內線性暖身（一開始動差的雜訊很大），之後以半個餘弦從峰值降到最後一步 S 的 η_min = 0.1 η_max。',
        },
      ],
    },
    misconception: {
      title: '常見誤解：「每個參數超過 20 個詞元就是浪費」',
      component: Misconception,
      notes:
        '先問全班：如果你要把模型提供給數百萬名使用者，你寧願把大模型訓練得短一點，還是把小模型訓練得久一點？然後唸出兩個比例：140 與 1,900。',
    },
    quiz: {
      title: '自我檢測',
      notes:
        '每題一分鐘。第一題是 6ND（6 × 7e9 × 2e12），第二題是初始化時 ln V 的意義，第三題是詞彙表所占的比例。',
      questions: {
        flops: {
          prompt: '在 2T 個詞元上預訓練一個 7B 參數的模型，大約需要多少 FLOPs？',
          choices: ['8.4 × 10¹⁹', '8.4 × 10²²', '1.4 × 10²²', '8.4 × 10²⁵'],
          explain: '6 · 7 × 10⁹ · 2 × 10¹² = 8.4 × 10²² FLOPs。',
        },
        'init-loss': {
          prompt:
            '一個剛初始化、詞彙表有 512 個詞元的模型，預測幾乎是均勻分布。它的損失是多少（單位：每詞元 nat）？',
          choices: ['0', '約 1', '約 6.2', '512'],
          explain:
            '均勻亂猜時每個詞元的機率是 1/512，而 −ln(1/512) = ln 512 ≈ 6.24 nats：正是實驗中曲線的起點。',
        },
        vocab: {
          prompt:
            'Llama 3 8B 把詞彙表從 32,000 個擴大到 128,256 個詞元。這對嵌入與分類器有什麼影響？',
          choices: [
            '沒有影響：它們的大小與詞彙表無關',
            '它們變成四倍大，約占全部參數的 13%',
            '它們變小了，因為序列變短了',
            '它們被移除了',
          ],
          explain:
            '每個都有 V × d 個數：2 · 128,256 · 4,096 ≈ 1.05B，而參數總數約 8.0B。換來的是同樣的文字需要較少的詞元。',
        },
      },
    },
    references: {
      title: '參考文獻',
      notes:
        'LLaMA 論文提供資料與訓練配方，Kaplan et al. 提供 6ND，Chinchilla 提供每參數 20 個詞元，SentencePiece 則是分詞器。',
      refNotes: [
        '資料混合（Table 1）、CCNet 過濾、AdamW 訓練配方。',
        '2T 個詞元，同樣的 32K 分詞器。',
        '15.6T 個詞元、128K 詞彙表，405B 用了 3.8 × 10²⁵ FLOPs。',
        'C ≈ 6ND（訓練算力）。',
        'Chinchilla：每個參數約 20 個詞元。',
        'LLaMA 1 與 2 的分詞器函式庫（帶位元組後備的 BPE）。',
        'AdamW（解耦權重衰減）。',
      ],
    },
  },
};
