// Chapter 3 in Traditional Chinese (Taiwan): the block text overlay on ../chapter.ts (same block
// ids; see $lib/i18n/chapter-text.ts). The prose components are in ../prose/zh-TW.
import type { ChapterText } from '$lib/i18n/chapter-text.ts';
import Intro from '../prose/zh-TW/Intro.svelte';
import AbsoluteRelative from '../prose/zh-TW/AbsoluteRelative.svelte';
import Frequencies from '../prose/zh-TW/Frequencies.svelte';
import LongContext from '../prose/zh-TW/LongContext.svelte';
import MisconceptionAdded from '../prose/zh-TW/MisconceptionAdded.svelte';
import MisconceptionDecay from '../prose/zh-TW/MisconceptionDecay.svelte';
import Alternatives from '../prose/zh-TW/Alternatives.svelte';

const R = String.raw;

export const text: ChapterText = {
  blocks: {
    why: {
      title: '注意力看不見順序',
      notes:
        '講：注意力用內積比較查詢（query）和鍵（key）；其中沒有任何東西在看詞元（token）的位置，所以把輸入打亂，只會把輸出跟著打亂。LLaMA 把位置訊號放在一個地方：它在每一層旋轉每個頭的查詢和鍵。問：「狗咬人」和「人咬狗」，沒有位置資訊的模型會看到什麼差別？',
      component: Intro,
    },
    equivariance: {
      title: '原因：注意力具有置換等變性',
      notes:
        '逐行揭示三行：投影逐列作用，置換把分數矩陣的列和行以相同方式重新排列，而逐列的 softmax 不在乎順序。結論：每個詞元不論站在哪裡，得到的輸出都一樣。問：LLaMA 的哪個部分已經稍微打破了這種對稱？（因果遮罩。）',
      intro:
        '取一個不加遮罩的注意力頭。X 的每一列是 T 個詞元向量之一；P 是任意 T × T 置換矩陣（它重新排列各列）；dₖ 是一個頭的查詢與鍵的寬度（下面的 RoPE 公式稱它為 d）。',
      steps: [
        { why: '投影分別作用在每一列上，softmax 則沿著每一列計算。' },
        { why: '重新排列詞元，會以相同的方式重新排列分數矩陣的列與行。' },
        { why: '逐列的 softmax 不在乎一列中各項出現的順序。' },
        {
          why: '因為 PᵀP = I：打亂輸入只會打亂輸出。每個詞元不論站在哪裡，結果都相同，所以詞的順序是看不見的。',
        },
      ],
    },
    relative: {
      title: '絕對位置或相對位置',
      notes:
        '講：加上位置向量會在四個項裡把內容和絕對位置混在一起，而學出來的位置表到最後一個訓練過的位置就停了。我們要的是只取決於兩者內容和距離的分數。繼續之前，請全班猜猜：對向量做哪一種簡單運算可以辦到？',
      component: AbsoluteRelative,
    },
    derive: {
      title: 'RoPE：把每個配對轉 m·θᵢ',
      notes:
        '逐步揭示。關鍵是 R(m)ᵀR(n) = R(n − m) 這一步：分數只透過距離依賴位置。說明複數觀點和旋轉矩陣觀點是同一個計算，而 llama2.c 的 run.c 以矩陣形式對相鄰的配對計算。問：在 RoPE 之下，向量的長度會怎樣？',
      intro:
        '把一個頭的查詢 q（d 個分量，d 為偶數）分成 d/2 個配對，鍵 k 也一樣。查詢位在位置 m，鍵位在位置 n。',
      steps: [
        { why: '複數觀點：把每個配對讀成一個複數。' },
        {
          why: 'RoPE 把配對 i 乘上一個單位複數：也就是旋轉角度 m θᵢ。長度不變。',
        },
        {
          why: '同一件事寫成 2 × 2 旋轉矩陣。把 d/2 個區塊沿對角線排好，就得到一個 d × d 正交矩陣 R(m)；q′ = R(m) q。Meta 的程式碼和 llama2.c 的 run.c 算的就是這個。',
        },
        {
          why: '平面上的旋轉以角度相加的方式合成，而旋轉 a 的反矩陣（轉置）就是旋轉 −a。每個區塊都以自己的 θᵢ 這樣做。',
        },
        {
          why: '分數只透過 n − m 依賴位置：正是我們要的相對形式。把兩個詞元平移同樣的距離，分數不會改變。',
        },
        {
          why: '同一個分數的複數觀點：每個配對貢獻它的內容乘積 q̃ᵢ k̃ᵢ*，再轉過距離乘以 θᵢ 的角度。',
        },
        {
          tex: R`\theta_i = \text{base}^{-2i/d}, \qquad \text{base} = 10{,}000 \text{（LLaMA 1 與 2）},\; 500{,}000 \text{（Llama 3）}`,
          why: '每個配對有自己的速度，從每個位置 1 弧度（i = 0）降到每個位置約 1/base 弧度（最後一個配對）。',
        },
      ],
    },
    rotation: {
      title: '查詢與鍵的一個配對，正在旋轉',
      notes:
        '移動查詢位置 m 和鍵位置 n：兩支箭頭都會轉，分數跟著變。再移動平移滑桿，或啟動讓兩個位置一起移動的動畫：箭頭在轉，但兩者的夾角不變，分數也維持不變。按下播放前，請全班預測分數。改變配對索引，展示轉得較慢的配對。',
      alt: '一個平面，上面有查詢配對（藍色箭頭）和鍵配對（橘色箭頭），各自轉過其位置乘以 θ 的角度。淡色箭頭是旋轉前的配對。一段圓弧標出兩支箭頭的夾角，旁邊印出分數。滑桿設定查詢位置 m、鍵位置 n、同時套用在兩者上的平移量、配對索引和向量；動畫讓兩個位置一起移動，分數保持不變。',
    },
    frequencies: {
      title: '許多時鐘：頻率',
      notes:
        '講：每個配對以自己的速度旋轉，從配對 0 每個詞元 1 弧度，到最後一個約 1/base，就像有許多指針的時鐘。Llama 1 和 2 用底數 10,000；Llama 3 用 500,000。問：哪個配對告訴模型相鄰詞的順序？哪個告訴它大約在長文的哪裡？',
      component: Frequencies,
    },
    spectrum: {
      title: '底數 10,000 與 500,000 的波長',
      notes:
        '指著兩條曲線：波長隨配對索引以等比方式增長，底數 500,000 會拉長除了配對 0 以外的每個波長。水平線是上下文長度。問：底數 10,000 時，有多少個配對在 4,096 個詞元內至少轉完一整圈？一起從圖上讀出來。',
      alt: '對數刻度的圖：一個頭中每個配對 i 的波長 2π/θᵢ，分別對應底數 10,000、底數 500,000，以及本頁目前的底數與縮放（若與前兩者不同），並在幾個上下文長度（context length）處畫水平線（即時模型的 seq_len、4,096、8,192 和 128K）。',
    },
    'decay-derive': {
      title: '長距離衰減',
      notes:
        '逐步揭示，但訊息要簡單：分部求和把分數轉成一個上界，它等於只依賴內容的因子乘以只依賴距離的因子。清楚說明這是上界，不是分數本身。問：詞元相距很遠時，部分和為什麼會互相抵消？',
      intro:
        'RoFormer 給出了分數隨距離增大時的上界。以 hᵢ 表示配對 i 的內容乘積，以 Cⱼ 表示旋轉的部分和。',
      steps: [
        {
          why: '分數是 Σᵢ hᵢ 乘以配對 i 的旋轉之實部，而那個旋轉是兩個部分和之差 Cᵢ₊₁ − Cᵢ。',
        },
        {
          why: '分部求和（Abel 變換）：同一個和重新分組，用到 C₀ = 0 以及最後一個配對之後的 h 為零。',
        },
        {
          why: '三角不等式。第一個因子只依賴內容；第二個只依賴距離和頻率（frequency）。',
        },
        {
          tex: R`\frac{1}{d/2} \sum_{j=1}^{d/2} \lvert C_j \rvert \text{ 隨 } \lvert m - n \rvert \text{ 增大而（平均而言）變小}`,
          why: '距離為 0 時每個旋轉都是 1，各 Cⱼ 直接相加；相距很遠時，各配對轉到四面八方，部分和會部分抵消。下圖畫的就是這個相對上界。',
        },
      ],
    },
    decay: {
      title: '分數與距離',
      notes:
        '展示上界從 1 開始帶著漣漪隨距離下降，以及兩個常數向量的分數在它下方振盪。切換到底數 500,000，請全班預測變化：上界下降得慢很多，因為慢配對幾乎不轉。',
      alt: '以距離為橫軸的折線圖：RoFormer 的相對上界，從 1 開始下降後帶著漣漪緩慢衰減；以及兩個常數向量的分數，振盪並衰減；兩者都相對於距離 0 時的值，採用本頁的底數和所選的每頭維度。',
    },
    pairing: {
      title: '兩種配對方式，同一個模型',
      notes:
        '講：Meta 和 llama2.c 旋轉相鄰的分量，Hugging Face 則把分量 i 和分量 i + d/2 一起旋轉。兩者都是 RoPE，對每個頭把 Wq 和 Wk 的列做一個固定置換，就能把一種變成另一種，這正是 Hugging Face 轉換腳本所做的事。問：為什麼 Wv 和 Wo 可以不動？',
      intro:
        'Meta 的參考程式碼和 llama2.c 把相鄰分量 (2i, 2i+1) 一起旋轉。Hugging Face 的 transformers 則把分量 i 和分量 i + d/2 一起旋轉（它的 rotate_half 函式）。兩者都是 RoPE；差別只是每個頭的分量做了一個固定的重新排列。',
      steps: [
        {
          tex: R`\text{交錯式：} \big(q_{2i},\, q_{2i+1}\big) \mapsto R(m\theta_i)\big(q_{2i},\, q_{2i+1}\big)`,
          why: '本章、即時模型和 Meta 檢查點（checkpoint）所用的排列方式。',
        },
        {
          tex: R`\begin{aligned} \text{rotate-half 式：} q' &= q \odot \cos + \operatorname{rotate\_half}(q) \odot \sin \\ \operatorname{rotate\_half}(q) &= \big(-q_{d/2:d},\; q_{0:d/2}\big) \end{aligned}`,
          why: '這裡的 cos 和 sin 把 d/2 個角度各放兩次。分量 i 和分量 i + d/2 組成一個旋轉 m θᵢ 的配對。',
        },
        {
          tex: R`(\Pi q)_{c\,d/2 + i} = q_{2i+c}, \quad c \in \{0, 1\} \;\Rightarrow\; \operatorname{RoPE}_{\text{半分}}(\Pi q, m) = \Pi\, \operatorname{RoPE}_{\text{交錯}}(q, m)`,
          why: '把偶數分量移到前半、奇數分量移到後半。每個交錯式配對都恰好落在一個具有相同 θᵢ 的 rotate-half 配對上。',
        },
        {
          why: '分數不變。因為 q = Wq·x，置換 q 就是置換 Wq 的列（逐頭進行），Wk 也一樣。Hugging Face 的轉換腳本對 Meta 的權重做的正是這件事：轉換後的模型計算的是同一個函數。Wv 和 Wo 不必動。',
        },
      ],
    },
    long: {
      title: '跑超過訓練時的上下文',
      notes:
        '講：在 N 個詞元上訓練的模型只見過到 N θᵢ 為止的角度；超過之後，慢配對會轉到它沒見過的角度。補救方法都只改角度：線性內插壓縮每個位置；NTK-aware 縮放提高底數，保留最快的配對並讓其他每個配對變慢，越慢的變得越慢；NTK-by-parts、YaRN 和 Llama 3.1 完整保留快配對，只拉長慢配對；還有用大底數做長上下文訓練。問全班：哪一種預期會傷害局部詞序？',
      component: LongContext,
    },
    'long-derive': {
      title: '讓配對變慢的四種方法',
      intro:
        '每一種縮放都把 θᵢ = base^(−2i/d) 換成較小的 θ′ᵢ，用到縮放因子（scaling factor，即旋鈕「RoPE factor」）s 和訓練上下文長度 L。波長 λᵢ = 2π/θᵢ 是轉一圈所需的位置數。',
      notes:
        '逐步揭示。NTK 那一步之後問：哪個配對保持原速？（只有配對 0。）到斜坡那一步，問 r = L/λ 數的是什麼（在訓練上下文內轉的圈數）。重點：Llama 3.1 的縮放和 YaRN 是同一個公式，只是 α 和 β 不同；YaRN 另外加上溫度。',
      steps: [
        {
          tex: R`\text{線性（位置內插）：}\quad \theta'_i = \theta_i / s \;\iff\; m \to m/s`,
          why: 'Chen et al., 2023：每個配對都慢 s 倍，快配對也一樣。',
        },
        {
          tex: R`\text{NTK-aware 縮放：}\quad \text{base}' = \text{base}\cdot s^{d/(d-2)} \;\Rightarrow\; \theta'_i = \theta_i\, s^{-2i/(d-2)}`,
          why: '配對 0 保持 θ₀；最後一個配對 i = d/2 − 1 恰好慢 s 倍；中間的每個配對都變慢，變慢的倍數隨 i 平滑增大。',
        },
        {
          why: '配對 i 在訓練上下文內轉了幾整圈。r > 1 的配對在訓練中見過每一個角度；r < 1 的則沒有。',
        },
        {
          why: 'NTK-by-parts（YaRN 論文第 3.2 節）：轉超過 β 圈的配對保持原速，轉不到 α 圈的配對做內插，其餘以線性斜坡混合。',
        },
        {
          tex: R`\text{Llama 3.1 的設定：}\quad \alpha = 1,\ \beta = 4,\ s = 8,\ L = 8192`,
          why: 'Meta 的 apply_scaling 用波長寫出同一件事：λ < L/4 時保留 θ，λ > L 時用 θ/s，兩者之間以 (L/λ − 1)/(4 − 1) 混合（low_freq_factor 1，high_freq_factor 4）。',
        },
        {
          tex: R`\text{YaRN 的設定：}\quad \alpha = 1,\ \beta = 32, \qquad \operatorname{softmax}\!\Big(\frac{q'^{\top} k'}{t\,\sqrt{d_k}}\Big), \quad \sqrt{1/t} = 0.1\,\ln s + 1`,
          why: 'YaRN（Peng et al., 2023）使用 NTK-by-parts 並採用它為 LLaMA 建議的數值，另外用溫度（temperature）t 讓注意力更銳利，做法是把 q 和 k 都乘上 √(1/t)。在即時模型中，「yarn」兩者都做；「llama3」只有斜坡。',
        },
      ],
    },
    stretch: {
      title: '每個配對被放慢多少',
      alt: '每個配對一個點的折線圖：橫軸是它訓練時的波長（對數刻度），縱軸是它在各種縮放下轉得慢了幾倍：線性內插（固定在 s）、NTK-aware 縮放（從 1 平滑升到 s）、Llama 3.1 的縮放和 YaRN（快配對為 1，比訓練上下文更慢的配對為 s，中間混合），並在訓練上下文處畫一條虛線。一個控制項可在 Llama 3.1 8B 的設定和即時模型的設定之間切換。',
      notes:
        '先看 Llama 3.1 8B：平的線是線性內插，平滑曲線是 NTK-aware，兩條階梯是 Llama 3.1 和 YaRN。指著虛線：它右邊的配對在訓練中從沒轉完一圈。接著切換到即時模型，並在實驗（lab）中移動 RoPE factor（縮放因子）：圖會跟著變。問：哪一種縮放對局部詞序干擾最小？',
    },
    lab: {
      title: '即時模型中的 RoPE',
      notes:
        '先展示長保留集段落上每個位置的損失：過了訓練 seq_len 處的虛線，損失就往上爬。接著試縮放預設：線性內插、NTK-aware、Llama 3.1 式斜坡和 YaRN，各自都會改變虛線之後（以及之內）的損失。然後關掉 RoPE：注意力圖改變，文字品質變差。每次改變前，先問虛線之後的損失會怎樣。',
      intro: (m) =>
        `${m ? `下面的模型以${m.position === 'RoPE' ? '旋轉位置編碼（RoPE）' : '不用位置編碼（NoPE）的方式'}在短序列上訓練（它的 seq_len 標在損失圖上）。` : ''}${m && m.position !== 'RoPE' ? '開啟 RoPE 來旋轉它從沒見過被旋轉的查詢和鍵' : '關閉 RoPE'}、改變底數，或拉伸位置（線性內插、NTK-aware、Llama 3.1 的縮放或 YaRN，各搭配 RoPE factor 縮放因子），觀察真實的查詢與鍵、注意力圖、下一個詞元、生成的文字，以及在一段比訓練上下文長好幾倍的保留集段落上每個位置的損失。若要生成超過訓練上下文的文字，請給一個長提示（prompt），並在採樣（sampling）設定中調高要生成的詞元數。`,
    },
    alternatives: {
      title: 'KV 快取、長上下文訓練、ALiBi 與 NoPE',
      component: Alternatives,
      notes:
        '三個重點。快取存的是已經轉好的鍵，所以任何 RoPE 的改變都會讓它失效。已發表的長上下文模型都經過長序列訓練（Llama 3：從 8K 到 128K 分六個階段，約 8,000 億個詞元）。ALiBi 和 NoPE 是替代方案；即時模型的 NoPE 雙胞胎在下一張圖。問：如果某些論文中 NoPE 對更長的輸入泛化得更好，為什麼這裡的 NoPE 雙胞胎表現較差？',
    },
    curves: {
      title: '有無 RoPE 的訓練',
      notes:
        '如果兩次訓練都已載入，比較 RoPE 模型和它完全不用位置編碼訓練的雙胞胎（NoPE）。問：NoPE 能接近到什麼程度？它還能用什麼來分辨位置？（因果遮罩。）如果缺少訓練紀錄，就跳過這張投影片。',
      alt: '內建模型（RoPE）及其不用位置編碼訓練的雙胞胎（NoPE）的訓練損失與驗證損失對訓練步數的圖，在兩次訓練紀錄都可用時顯示。',
    },
    'misconception-added': {
      title: '「RoPE 在每個詞元上加一個位置向量」',
      notes:
        '念出這個說法，問誰聽過 RoPE 被說成一種「加上去」的位置嵌入。然後更正：RoPE 是乘法，它在投影之後旋轉 q 和 k，不動嵌入、值和殘差流。長度不變；只有查詢與鍵之間的夾角改變。',
      component: MisconceptionAdded,
    },
    'misconception-decay': {
      title: '「用了 RoPE，遠處的詞元就會被忽略」',
      notes:
        '念出這個說法。然後說明：衰減的是上界，而不是每一個分數：一個頭可以學出慢配對對齊的查詢和鍵，注意到很遠之前。請全班在實驗的注意力圖中，找一個權重停留在最前面幾個詞元上的頭。',
      component: MisconceptionDecay,
    },
    check: {
      title: '自我檢測',
      notes:
        '每題一分鐘，舉手表決，再點擊檢查。第一題是相對性質（只有 n − m 重要），第二題是不論底數為何，配對 0 的波長都是 2π，第三題區分線性內插與 NTK-aware 縮放。',
      questions: {
        shift: {
          prompt: '位置 10 的查詢與位置 3 的鍵得到分數 s。同樣兩個向量放在位置 110 和 103，得到……',
          choices: ['s', 's 轉過 100 θ', '較小的分數，因為它們離開頭更遠', '取決於底數'],
          explain: '⟨R(m)q, R(n)k⟩ = ⟨q, R(n − m)k⟩ 只取決於 n − m，兩種情況都是 −7。',
        },
        fastest: {
          prompt: '底數 10,000、每頭維度 128 時，配對 i = 0 轉一整圈需要幾個位置？',
          choices: ['2π ≈ 6.3', '128', '10,000', '2π · 10,000'],
          explain: '不論底數為何，θ₀ = base⁰ = 每個位置 1 弧度，所以它的波長是 2π。',
        },
        interp: {
          prompt:
            '因子為 4 的線性位置內插：位置 1,000 的詞元得到的角度，等於未縮放模型在哪個位置使用的角度？',
          choices: ['250', '1,000', '4,000', '快配對用 1,000，慢配對用 250'],
          explain:
            '內插把每個位置除以因子，對每個配對都一樣。完整保留快配對、只拉長慢配對，是 NTK-by-parts、YaRN 和 Llama 3.1 的縮放所做的事。NTK-aware 縮放介於兩者之間：除了最快的配對，它讓每個配對都變慢，越慢的平滑地變得越慢。',
        },
      },
    },
    refs: {
      title: '參考文獻',
      notes:
        '指出 RoFormer（Su et al.）提出旋轉和衰減上界，位置內插論文，以及 Llama 3 論文中的底數 500,000。這裡不需要示範。',
      refNotes: [
        '旋轉、它的相對性質和長距離衰減上界。',
        null,
        'NTK-aware 縮放最早被提出的地方。',
        '第 3 節：NTK-aware、NTK-by-parts（對 LLaMA 用 α = 1、β = 32 的斜坡）以及注意力溫度 √(1/t) = 0.1 ln s + 1。',
        'Llama 3.1 的 RoPE 縮放：factor 8、low_freq_factor 1、high_freq_factor 4、原始上下文 8,192。',
        null,
        'RoPE 底數 500,000；Llama 3.1 分六個階段把上下文延長到 128K 個詞元（第 3.4.2 節）。',
        'ALiBi：在注意力分數上加上線性偏置（linear bias）。',
        'NoPE：不用位置編碼的純解碼器 Transformer。',
        '第 2.2 節：以旋轉嵌入取代絕對位置嵌入。',
      ],
    },
  },
};
