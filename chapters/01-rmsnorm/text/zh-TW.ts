// Chapter 1 in Traditional Chinese (Taiwan): the overlay on chapter.ts, keyed by block id.
// English stays the source of truth; tests/unit/i18n checks that every block and field is here.
import type { ChapterText } from '$lib/i18n/chapter-text.ts';
import Intro from '../prose/zh-TW/Intro.svelte';
import Cost from '../prose/zh-TW/Cost.svelte';
import PreNorm from '../prose/zh-TW/PreNorm.svelte';
import Eps from '../prose/zh-TW/Eps.svelte';
import Misconception from '../prose/zh-TW/Misconception.svelte';
import Precision from '../prose/zh-TW/Precision.svelte';

export const text: ChapterText = {
  blocks: {
    why: {
      title: '為什麼要歸一化',
      notes:
        '可以這樣說：每個區塊從殘差流（residual stream）為每個詞元讀入一個向量，再寫回一筆更新；經過許多區塊，這些向量的大小會漂移，而歸一化層會在子層讀取之前，把每個向量拉回標準的尺度。強調統計量取自單一詞元的 d 個特徵，絕不跨批次。問全班：對一個一次只生成一個詞元的模型來說，跨批次的統計量為什麼會是問題？',
      component: Intro,
    },
    derive: {
      title: '從層歸一化（LayerNorm）到均方根歸一化（RMSNorm），一步一步來',
      notes:
        '一次揭示一步，讓全班說出下一步是什麼。指出 LayerNorm 需要兩個統計量（μ 與 σ²），RMSNorm 只需要一個；問 LayerNorm 是否真的需要掃過向量兩次（不需要：σ² = mean(x²) − μ²，所以 Σx 和 Σx² 可以在同一次掃描中加總）。最後一步是重點：對平均值已經是零的向量，兩者只差一個偏置，所以 RMSNorm 就是去掉重新置中的 LayerNorm。問：隱藏向量的平均值什麼時候會接近零？',
      intro:
        '取一個詞元的向量 x，有 d 個分量；一個學習得到的增益（gain）g，以及（LayerNorm 才有的）學習得到的偏置（bias）b，兩者寬度都是 d。',
      steps: [
        { why: 'LayerNorm 先對這一個向量的各分量取平均值。' },
        {
          why: '接著求對該平均值的變異數。照這樣寫，看起來得先有 μ，但 σ² = mean(x²) − μ²，所以一次掃描就能同時累加 Σxᵢ 和 Σxᵢ²（融合核心正是這樣做的，常搭配 Welford 的逐步更新法，精度流失較少）。',
        },
        {
          why: '減去平均值、除以標準差，再讓學習得到的增益和偏置設定下一層偏好的尺度與位移。',
        },
        {
          why: 'RMSNorm 只保留一個統計量：均方根（root mean square），也就是一個分量的典型大小。它等於 ‖x‖ / √d。',
        },
        { why: '除以它，再乘上增益。不減去平均值，也沒有偏置。' },
        {
          why: '對平均值已經是零的向量，兩者一致（相差一個偏置）：RMSNorm 就是少了重新置中這一步的 LayerNorm。一般情況下 LayerNorm(x) = RMSNorm(x − μ1) + b。',
        },
      ],
    },
    vector: {
      title: '在可編輯的向量上比較兩種歸一化',
      notes:
        '編輯輸入的其中一根長條，再移動平移滑桿：LayerNorm 的輸出完全不動，RMSNorm 的輸出會動。接著移動縮放滑桿：兩個輸出都不動。每次動滑桿之前，先請全班預測。指向長條圖下方的讀數：RMSNorm 輸出的 RMS 一直維持在 1。',
      alt: '並排的三張長條圖：一個可編輯的六分量向量的各分量、它的層歸一化（LayerNorm）結果和均方根歸一化（RMSNorm）結果（增益為 1、偏置為 0），下方列出每個向量的平均值、變異數、RMS 與長度。平移與縮放滑桿會變換輸入，讓不變性一目了然。',
    },
    invariance: {
      title: '兩種歸一化各自忽略了什麼',
      notes:
        '這一段把全班剛在向量上看到的現象寫成方程式：兩種歸一化都忽略正的縮放，只有 LayerNorm 忽略平移。接著談幾何：在乘上增益之前，RMSNorm 把每個向量放到半徑 √d 的球面上；LayerNorm 也放到同一個球面上，並且去掉全 1 方向的分量。問：LayerNorm 的輸出還保有幾個自由維度？',
      intro: '令 ε → 0，問：輸入做哪些變化時，輸出保持不變？',
      steps: [
        {
          why: '縮放不變性（re-scaling invariance）：把整個向量乘上一個正數，什麼都不會改變。LayerNorm 也有這個性質，因為 μ 和 σ 都以同樣的方式隨 a 縮放。',
        },
        {
          why: '重新置中不變性（re-centering invariance）：把每個分量都加上同一個常數 c，平均值移動 c，x − μ1 保持不變。只有 LayerNorm 有這個性質。',
        },
        {
          why: 'RMSNorm 沒有這個性質。輸出 (x + c1)/RMS(x + c1) 要等於 x/RMS(x)，只有在 x + c1 是 x 的正倍數時才成立：當 c ≠ 0 時，這只會發生在 x 本身是常數向量 a1（且 a + c 與 a 同號）的情況。即使是讓 RMS 保持不變的平移 c = −2μ，也會讓輸出移動，因為向量本身移動了。RMSNorm 論文押注的是：讓歸一化發揮作用的，並不是重新置中不變性。',
        },
        {
          why: '幾何：在乘上增益之前，RMSNorm 把每個向量放到半徑 √d 的球面上。增益再把每個軸拉伸 g_i 倍。',
        },
        {
          why: 'LayerNorm 落在同一個球面上，但還去掉了沿全 1 方向的分量：它的輸出位於該球面與超平面 1ᵀy = 0 的交集上，也就是一個 (d − 2) 維球面（d = 2 時是兩個點，d = 3 時是一個圓），如下圖所示。',
        },
      ],
    },
    geometry: {
      title: '二維中的幾何',
      notes:
        '在平面上拖曳點 x：RMSNorm(x) 沿著通過 x 的射線，在半徑 √2 的圓上滑動；而 LayerNorm(x) 只能是圓與直線 x1 + x2 = 0 的兩個交點之一。接著把 x 拖到非常靠近原點的地方，讓大家看到 eps 把 RMSNorm(x) 拉進圓內。問：你會得到兩個 LayerNorm 點中的哪一個？由什麼決定？',
      alt: '一個平面，上面有可拖曳的點 x。RMSNorm(x) 畫在半徑 √2 的圓上、通過 x 的射線方向；LayerNorm(x) 畫在該圓與直線 x1 + x2 = 0 的交點上，所以只能是兩個點之一。把 x 移到靠近原點時，可以看到 eps 把 RMSNorm(x) 拉進圓內。',
    },
    cost: {
      title: 'RMSNorm 省下了什麼',
      notes:
        '可以這樣說：LayerNorm 需要對向量做兩次加總，RMSNorm 只要一次；融合核心會在一次掃描中算完 LayerNorm 的兩個加總，所以省下的是一次歸約、減去平均值的運算和偏置，而不是一次記憶體掃描。對規模要誠實：和矩陣乘法相比，歸一化的成本很小；RMSNorm 論文中 7% 到 64% 的節省，是在歸一化佔比較重的整個模型上量到的。問：在大型 Transformer 裡，時間真正花在哪裡？',
      component: Cost,
    },
    prenorm: {
      title: 'LLaMA 把歸一化放在哪裡',
      notes:
        '可以這樣說：原始的 Transformer 在殘差相加之後才做歸一化（後置歸一化，post-norm）；LLaMA 對每個子層的輸入做歸一化，從不動到殘差流（前置歸一化，pre-norm），每個區塊兩個歸一化層，分類器之前再一個。問：如果殘差流從不被歸一化，它的大小會怎麼隨深度變化？實驗中的直方圖會給出答案。',
      component: PreNorm,
    },
    eps: {
      title: '為什麼需要 eps',
      notes:
        '可以這樣說：eps 讓全零向量的除法保持有限，並設定一個大小，低於它的向量就被當成雜訊。LLaMA 1 用 10⁻⁶，Llama 2 和 3 用 10⁻⁵。請全班猜猜 eps 到多大時模型才會開始改變，然後在下一張投影片的實驗中驗證。',
      component: Eps,
    },
    precision: {
      title: '歸一化用 float32 計算，以及它的梯度',
      component: Precision,
      notes:
        '問全班：4,096 × 4² 是多少？（65,536。）接著說 float16 的最大值是 65,504：分量一旦達到 4，平方和就會溢位。bfloat16 不會溢位，但會捨入：4,096 個 1 逐一相加，結果是 256。這就是 Meta 的程式碼用 float32 做歸一化的原因。然後預告反向傳播：每一步訓練都需要它。',
    },
    backward: {
      title: 'RMSNorm 的反向傳播',
      notes:
        '一步一步揭示。關鍵是第三行：梯度以 1/r 的比例直接通過，再減去它沿 x̂ 的分量。在最後一步之前問：如果縮放 x 不會改變輸出，沿 x 方向的梯度必定是多少？（零。）本章的測試用有限差分以及訓練器自己的程式碼來檢查這個公式。',
      intro:
        '一個詞元的向量 x，寬度 d，增益 g，r = √(RMS(x)² + ε)，x̂ = x / r，y = g ⊙ x̂。上一層傳回 u = ∂L/∂y。',
      steps: [
        { why: '對 r² = (1/d) Σᵢ xᵢ² + ε 微分：2r ∂r/∂xⱼ = 2xⱼ/d。' },
        {
          why: '對 yᵢ = gᵢ xᵢ / r 使用商的微分法則（括號 [i = j] 在 i = j 時為 1，否則為 0）。每個輸出都經由 r 依賴於每個輸入。',
        },
        {
          why: '連鎖律：∂L/∂xⱼ = Σᵢ uᵢ ∂yᵢ/∂xⱼ。梯度直接通過、乘上 1/r，再減去它沿 x̂ 的分量（當 ε = 0 時恰好如此，此時 Σᵢ x̂ᵢ² = d）。對整個序列而言，∂L/∂g 是所有詞元的加總。',
        },
        {
          why: '當 ε = 0 時，Σᵢ x̂ᵢ² = d。梯度與 x 正交：縮放 x 不會改變 y，所以損失（loss）在這個方向上沒有斜率（這就是從反向傳播這一側看到的縮放不變性）。LayerNorm 的反向傳播多了一項，對應它減去的平均值。',
        },
      ],
    },
    lab: {
      title: '在即時模型中替換歸一化',
      notes:
        '把 eps 旋鈕一次調大幾個數量級：與訓練好的模型之間的 KL 散度（KL divergence）會在很長一段範圍內維持接近零，直到 eps 接近隱藏向量 RMS 的平方時才上升。接著把歸一化切換成 LayerNorm，觀察 KL、生成的文字和保留集困惑度如何變化。每次改變之前先問：變化會很大還是很小？用直方圖說明殘差流實際上有多大。',
      intro: (m) =>
        `${m ? `下方的模型是以 ${m.norm} 訓練的。` : ''}把每個歸一化層切換成 ${m?.norm === 'LayerNorm' ? 'RMSNorm' : 'LayerNorm（只有增益，因為檔案裡沒有偏置）'}，或調整 eps，看看下一個詞元的機率分布偏離了多少（即相對於訓練好模型的 KL 散度，KL divergence）、模型寫出了什麼，以及它對一段保留集（held-out）文字的預測有多準。`,
    },
    curves: {
      title: '以兩種歸一化分別訓練',
      notes:
        '如果兩次訓練的紀錄都已載入，比較 RMSNorm 和 LayerNorm 的損失曲線：問全班兩者是否達到相近的損失，並提醒他們，論文的主張是以較低成本得到相當的品質，而不是更好的品質。如果圖上顯示缺少訓練紀錄，就跳過這張投影片。',
      alt: '內建模型以 RMSNorm 訓練、以及一個以 LayerNorm 訓練的副本，兩者的訓練損失與驗證損失隨訓練步數的變化（在兩次訓練紀錄都可取得時顯示）。',
    },
    misconception: {
      title: '「RMSNorm 帶來更穩定的梯度」',
      notes:
        '把這個說法唸出來，問誰聽過。然後說明 RMSNorm 論文實際的主張：縮放不變性才是 LayerNorm 中重要的部分，而捨棄重新置中能以較低成本達到相當的品質。LLaMA 論文引用它，是為了整個前置歸一化的穩定性，而不是為了 RMSNorm 的某種梯度性質。',
      component: Misconception,
    },
    check: {
      title: '自我檢測',
      notes:
        '每題給全班一分鐘，請大家對每個選項舉手，再點選檢查。前兩題是兩種不變性；第三題是長度 √d：d = 64 時為 8。',
      questions: {
        shift: {
          prompt: '把 x 的每個分量都加上 3。哪個輸出完全不變（ε → 0）？',
          choices: ['只有 RMSNorm(x)', '只有 LayerNorm(x)', '兩者都不變', '兩者都會變'],
          explain:
            '加上 c1 會讓平均值移動 c，而 x − μ1 不變，所以 LayerNorm 不受影響；RMS 改變了，所以 RMSNorm 的輸出會移動。',
        },
        scale: {
          prompt: '把 x 乘以 10。哪個輸出保持不變（ε → 0）？',
          choices: ['只有 RMSNorm(x)', '只有 LayerNorm(x)', '兩者都不變', '兩者都會變'],
          explain:
            '兩者都除以一個隨 |a| 縮放的統計量（RMS 或標準差），所以正的倍數會被抵消：兩者都具有縮放不變性。',
        },
        length: {
          prompt: '增益為 1、ε 極小時，寬度 d = 64 的向量經過 RMSNorm(x) 之後長度是多少？',
          choices: ['1', '8', '64', '取決於 x'],
          explain:
            '每個分量是 x_i / RMS(x)，所以長度的平方是 d · RMS² / RMS² = d：長度為 √64 = 8。',
        },
      },
    },
    refs: {
      title: '參考文獻',
      notes:
        '想看原始出處的人，可以參考 RMSNorm 論文（Zhang 與 Sennrich，2019）和 LLaMA 論文第 2.2 節。這裡沒有需要示範的內容。',
      refNotes: [
        null,
        '後置歸一化與前置歸一化 Transformer 在初始化時的梯度；在他們的實驗中，前置歸一化的模型不需暖身就能訓練。',
        null,
        '第 2.2 節：前置歸一化，使用 RMSNorm 函數；第 2.3 節：2,000 步暖身。',
        null,
      ],
    },
  },
};
