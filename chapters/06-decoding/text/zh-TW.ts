// Chapter 6 in Traditional Chinese (Taiwan): the block text overlay on ../chapter.ts (same block
// ids, same step counts, same numbers; see /I18N.md). The TeX is the English TeX except where the
// English has words in \text{...}.
import type { ChapterText } from '$lib/i18n/chapter-text.ts';
import Intro from '../prose/zh-TW/Intro.svelte';
import Semantics from '../prose/zh-TW/Semantics.svelte';
import RejectionIntro from '../prose/zh-TW/Rejection.svelte';
import SpeculativeIntro from '../prose/zh-TW/Speculative.svelte';
import BestOfK from '../prose/zh-TW/BestOfK.svelte';
import Misconception from '../prose/zh-TW/Misconception.svelte';
import { expectedTokensPerPass } from '../math.ts';

const R = String.raw;

export const text: ChapterText = {
  blocks: {
    why: {
      title: '從分布到文字',
      component: Intro,
      notes:
        '從這個問題開始：模型給出 512 個機率，那麼是誰挑出那個字？說明本章的一切都發生在最後一層之後，而模型本身在這裡完全不變。',
    },
    distribution: {
      title: '下一個詞元的分布：採樣器套用前與套用後',
      alt: '長條圖：即時模型對提示最可能的幾個下一個詞元，顯示採樣器套用前（溫度 1、不截斷）與套用溫度、top-k、min-p、top-p 之後的機率，以及熵和剩下的詞元數。',
      notes:
        '把溫度降到 0.3：最高的長條變高，熵下降。升到 1.5：長條變平。接著把 top-p 設為 0.5，先讓全班猜會剩幾個詞元再揭曉；min-p 0.1 的效果類似，但是相對於最高的那個詞元。',
    },
    'derive-sampling': {
      title: '溫度、top-k、top-p 與 min-p',
      intro: '令 z 為 logits（對數機率，詞彙表中 n 個詞元各一個），p 為採樣器實際抽樣所用的機率。',
      steps: [
        { why: '溫度（temperature）在 softmax 之前除 logits。T = 1 就是訓練出來的原始模型。' },
        {
          why: '低溫把機率質量集中在最可能的詞元上（極限就是貪婪解碼（greedy decoding））；高溫則把它攤向均勻分布。熵 H = −Σ pᵢ log₂ pᵢ 隨 T 上升，從 0 位元升到 log₂ n。',
        },
        {
          tex: R`\text{top-}k:\ z_i \leftarrow -\infty \ \text{，除非}\ z_i \text{ 屬於最大的 } k \text{ 個}`,
          why: '最多只有 k 個詞元保有機率，不論它們各占多少。',
        },
        {
          tex: R`\text{min-}p:\ \text{若}\ p_i < m \cdot \max_j p_j \ \text{則}\ p_i \leftarrow 0, \ \text{再重新正規化}`,
          why: '截斷跟著模型的信心走：當一個詞元占主導時，其他幾乎都被刪掉；當分布平坦時，會留下很多詞元。',
        },
        {
          tex: R`\text{top-}p:\ \text{依機率由高到低保留詞元，直到第一個使 } \sum_{i \le k^{\ast}} p_{(i)} > P \text{ 的 } k^{\ast}`,
          why: '核採樣（nucleus，Holtzman et al., 2019）：機率質量超過 P 的最小一組最可能詞元，再重新正規化。圖中的「剩下的詞元」計算的是通過上述所有步驟後留下的詞元。',
        },
      ],
      notes:
        '把圖放在旁邊，逐一講解這五行。講到 top-p 那行時指著長條：從左邊開始累加，直到總和超過 P；右邊的全部被截掉。',
    },
    semantics: {
      title: '引擎究竟做了什麼',
      component: Semantics,
      notes:
        '這張投影片的重點是可重現性：同樣的種子在網頁與終端機中產生同樣的文字。如果手邊有終端機，執行兩張投影片之後顯示的指令。',
    },
    lab: {
      title: '生成文字，並觀察低溫時的重複',
      intro:
        '這個實驗使用上面的採樣設定生成文字（打開「採樣設定」可調整種子與長度）。重複出現的四詞元片段會被標出：把溫度往 0 降，文字就開始兜圈子。',
      notes:
        '把溫度設為 0：這個小模型的貪婪文字幾行之內就陷入迴圈，重複比例跳升。再試 0.8 加 top-p 0.9。問：為什麼確定性的解碼器會重複？因為一旦某個片語再次出現，產生它的上下文也跟著再次出現。',
    },
    'same-seed': {
      title: '從命令列得到同樣的文字',
      alt: '帶有實驗中的提示、溫度、top-p、top-k、min-p、種子與步數的「npm run llama」指令，以及實驗生成的文字，也就是該指令會印出的文字。',
      notes:
        '把指令複製到儲存庫中的終端機執行：它會印出實驗中的文字。在實驗中改變種子，指令也會跟著改變。',
    },
    'rejection-intro': {
      title: '拒絕採樣：蒙地卡羅方法',
      component: RejectionIntro,
      notes:
        '在黑板上畫出屋頂圖：M·q 在 p 上方，點均勻丟在屋頂下，落在 p 之下的被保留。問：保留的比例是多少？（p 下方的面積除以屋頂下方的面積：1/M。）',
    },
    'derive-rejection': {
      title: '為什麼保留下來的抽樣服從 p 分布',
      intro: '抽出 x ∼ q 與 u ∼ U[0, 1)；當 u < p(x) / (M q(x)) 時保留 x，其中處處 p ≤ M q。',
      steps: [
        {
          tex: R`\Pr(x \text{ 被抽出且被保留}) = q(x) \cdot \frac{p(x)}{M\,q(x)} = \frac{p(x)}{M}`,
          why: '接受機率 p(x)/(M q(x)) 至多為 1，正是因為 p ≤ M q。',
        },
        {
          tex: R`\Pr(\text{保留}) = \sum_x \frac{p(x)}{M} = \frac{1}{M}`,
          why: '只要包絡成立，不論 p 與 q 為何，接受率（acceptance rate）都是 1/M。最小的合法 M 為 M* = maxₓ p(x)/q(x)。',
        },
        {
          tex: R`\Pr(x \mid \text{保留}) = \frac{p(x)/M}{1/M} = p(x)`,
          why: '在被保留的條件下，一次抽樣恰好服從 p 分布。每得到一個保留樣本所需的嘗試次數服從平均為 M 的幾何分布。',
        },
        {
          tex: R`M < \max_x \frac{p(x)}{q(x)} \;\Rightarrow\; \Pr(x \mid \text{保留}) \propto \min\bigl(p(x),\, M\,q(x)\bigr) \ne p(x)`,
          why: '包絡太小時，在 p > M q 的地方接受機率被限制在 1，這些詞元出現得太少：直方圖不再收斂到 p。',
        },
      ],
      notes:
        '每一行都是一個簡短的計算，請唸出來。最後一行就是要在圖中測試的：把 M 設在 M* 之下，看卡方統計量隨每一批抽樣增長。',
    },
    rejection: {
      title: '從即時模型的分布做拒絕採樣',
      alt: '散布圖：在包絡 M·q 下從提議分布 q 抽出的點，橫軸是依 p 排序的詞元，著色區分為接受（在 p 之下）或拒絕；接受率與 1/M 的比較；被接受抽樣的直方圖與 p 的比較，附卡方檢定（chi-square test）。',
      notes:
        '使用均勻提議分布時 M* 達到數百，幾乎每次抽樣都被拒絕：接受率停在 1/M 附近。切換到草稿模型：M* 下降，大多數抽樣被保留。接著把 M 設得遠低於 M*，抽好幾批：卡方檢定的 p 值急遽下降。',
    },
    'speculative-intro': {
      title: '推測解碼',
      component: SpeculativeIntro,
      notes:
        '連回第 4 章：一次解碼步驟要讀取所有權重，所以一次為數個詞元評分幾乎不用額外成本。問：小模型猜錯了，為什麼不會改變輸出？下一張投影片會回答。',
    },
    'derive-speculative': {
      title: '證明：每個輸出的詞元都服從 p 分布',
      intro:
        '單一位置，草稿分布為 q，目標分布為 p。以機率 min(1, p(x)/q(x)) 保留提議 x ∼ q；否則從 p̃ = norm(max(0, p − q)) 抽樣。',
      steps: [
        {
          tex: R`\Pr(\text{提議 } x \text{ 並保留}) = q(x)\,\min\Bigl(1, \frac{p(x)}{q(x)}\Bigr) = \min\bigl(p(x), q(x)\bigr)`,
          why: '與拒絕採樣中相同的一步，包絡為 1，並在 p < q 處截頂。',
        },
        {
          why: '一個提議被保留的機率：1 減去兩個模型分布之間的總變異距離（total variation distance）。',
        },
        {
          why: '因為 max(0, p − q) = p − min(p, q)。所以替換分布是 r(x) = max(0, p(x) − q(x)) / (1 − α)。',
        },
        {
          tex: R`\Pr(\text{輸出 } x) = \min\bigl(p(x), q(x)\bigr) + (1 - \alpha)\,\frac{\max\bigl(0, p(x) - q(x)\bigr)}{1 - \alpha} = p(x)`,
          why: '被保留，或被拒絕（機率 1 − α）然後被替換：對每個 x，兩項加起來都是 p(x)。下一個位置再以輸出的詞元為條件，所以由歸納法，整個序列服從大模型的分布。',
        },
        {
          tex: R`\mathbb{E}[\text{大模型每次計算產出的詞元數}] = \sum_{\ell=0}^{\gamma} \alpha^{\ell} = \frac{1 - \alpha^{\gamma + 1}}{1 - \alpha}`,
          why: `如果每個提議各自獨立地以機率 α 被保留，連續被保留的提議長度為 k < γ 的機率是 αᵏ(1 − α)，之後再跟著一個詞元（替換詞元或額外詞元）。當 α = 0.8、γ = 4 時，每次計算產出 ${expectedTokensPerPass(0.8, 4).toFixed(2)} 個詞元。`,
        },
        {
          tex: R`\text{加速比} = \frac{1 - \alpha^{\gamma + 1}}{(1 - \alpha)(\gamma c + 1)}`,
          why: 'Leviathan et al. 的實際時間倍數，其中 c 是草稿一步相對於大模型一步的成本：每一輪都要付出 γ 次草稿步驟。便宜（c 小）又常常一致（α 大）的草稿模型會贏；慢或差的草稿模型會輸。',
        },
      ],
      notes:
        '關鍵是第四行：在黑板上寫下 min(p, q) + max(0, p − q) = p，並舉個小例子（p = 0.5, q = 0.2 以及 p = 0.2, q = 0.5）。最後兩行則把正確性轉換成速度。',
    },
    speculative: {
      title: '推測解碼，即時執行',
      alt: '推測解碼的每一輪以一列草稿提議表示，標出接受或拒絕，後面接著替換詞元或額外詞元；量測到的接受率、主模型每次計算產出的詞元數與公式的比較，以及相對於一般解碼的實際時間速度；一張每次計算預期詞元數對 gamma 的圖。',
      notes:
        '先以預設設定執行，再用溫度 0（文字就是一般的貪婪文字，逐詞元相同），再用 γ = 8。問：為什麼量到的加速比遠小於每次計算的詞元數？因為在這麼小的模型上，草稿並沒有比主模型便宜多少，而每一步的 JavaScript 額外開銷占了主導。',
    },
    'best-of-k': {
      title: '另一種「拒絕採樣」：best-of-K',
      component: BestOfK,
      notes:
        '釐清名稱衝突：Llama 2 與 3 的拒絕採樣是以獎勵模型從 K 個回答中保留最好的一個。問：被保留的回答是否服從模型的分布？（不，這是刻意的。）',
    },
    misconception: {
      title: '常見誤解',
      component: Misconception,
      notes:
        '問全班：推測解碼會不會改變模型原本會寫出的內容？多數人會說會改變一點；證明說完全不會，而溫度 0 的執行結果逐詞元展示了這一點。',
    },
    quiz: {
      title: '自我檢測',
      notes:
        '每題一分鐘。第一題是 M* = max p/q；第二題是推導投影片上的公式；第三題由溫度 0 時的證明推得。',
      questions: {
        envelope: {
          prompt:
            '目標分布是三個詞元上的 p = (0.5, 0.3, 0.2)，提議分布是均勻的 q = (1/3, 1/3, 1/3)。最小的合法包絡 M 是多少？此時的接受率是多少？',
          choices: [
            'M = 1，接受率 1',
            'M = 1.5，接受率 2/3',
            'M = 2，接受率 1/2',
            'M = 3，接受率 1/3',
          ],
          explain:
            'M* = max p/q = 0.5 / (1/3) = 1.5，接受率為 1/M = 2/3。任何更大的 M 也都合法，只是浪費。',
        },
        'tokens-per-pass': {
          prompt:
            '草稿模型的提議以機率 α = 0.8 被保留，每一輪提議 γ = 4 個詞元。大模型每次計算平均產出多少個詞元？',
          choices: ['2.00', `${expectedTokensPerPass(0.8, 4).toFixed(2)}`, '4.00', '5.00'],
          explain: `(1 − 0.8⁵) / (1 − 0.8) = (1 − 0.32768) / 0.2 = ${expectedTokensPerPass(0.8, 4).toFixed(2)}：1 + 0.8 + 0.64 + 0.512 + 0.4096。`,
        },
        greedy: {
          prompt: '在溫度 0 時，草稿模型在每一個詞元上都與大模型意見不同。推測解碼會輸出什麼？',
          choices: [
            '大模型的貪婪文字，大模型每次計算產出一個詞元',
            '草稿模型的貪婪文字',
            '兩者的混合',
            '什麼都沒有：它需要溫度 > 0',
          ],
          explain:
            '在溫度 0 時兩個分布都是 one-hot。只有當提議正是大模型的 argmax 時才會被保留；否則替換分布 norm(max(0, p − q)) 就是大模型的 argmax。所以文字就是貪婪文字，每次計算一個詞元：結果正確，只是比較慢。',
        },
      },
    },
    references: {
      title: '參考文獻',
      notes:
        '推測解碼參考 Leviathan et al. 與 Chen et al.（各自獨立提出），top-p 參考 Holtzman et al.，best-of-K 拒絕採樣參考 Llama 2 與 3 的論文。',
      refNotes: [
        null,
        null,
        'top-p（核採樣），以及最大化似然的解碼下出現的重複',
        null,
        '拒絕採樣',
        '拒絕採樣微調：由獎勵模型從 K 個樣本中選出最好的',
        '以拒絕採樣進行多輪後訓練（K 通常為 10 到 30）',
        null,
      ],
    },
  },
};
