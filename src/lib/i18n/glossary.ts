// The glossary of the zh-TW edition: each English term, the Traditional Chinese term the chapters
// use for it (Taiwanese usage, /work/I18N.md section 5 plus the terms the translators added), and
// one line of meaning in each language. The notebook's #/glossary page renders this list, and
// docs/glossary.md is generated from it (`npm run glossary`); tests/unit/i18n/glossary.test.ts
// checks that the two agree and that each zh-TW term is the one the chapters use.
//
// The first-use rule (I18N.md section 4), checked by tests/unit/i18n/first-use.test.ts with
// src/lib/i18n/first-use.ts:
// - On each page, the first time the reading text uses a covered term's Chinese word, the English
//   stands beside it in parentheses: 均方根歸一化（RMSNorm）, 分組查詢注意力（grouped-query
//   attention, GQA）; or just before it where the term is written in English first:
//   PagedAttention（分頁注意力）; or in one parenthesis with it: （前置歸一化，pre-norm）. Later uses
//   need no English; a later block may repeat it (a block is also a slide on its own), but no
//   sentence repeats it.
// - A page is a chapter's reading view or the home page. The glossary page is exempt (it is the
//   list itself). Slides, the presenter view and embeds show a chapter's blocks one at a time and
//   are not pages of their own.
// - Reading text, in page order (chapter.ts block order): prose and misconception text (with the
//   tables in them), derivation intros and steps, figure captions (the text alternatives), lab
//   intros (before a model loads and for each shipped model), quiz questions, choices and
//   explanations, reference notes and the symbols list; on the home page its lead and the
//   sections' text. Not reading text: navigation (header, contents, the home page's chapter
//   list, previous/next), buttons and knobs, a figure's own labels (axes, legends, tables the
//   figure draws), status lines, speaker notes, KaTeX, code and lang="en" spans.
// - Headings do not count: the chapter's title and summary and the block titles stay short (they
//   are also the contents, the slide titles and the home page's chapter list), and the English
//   goes to the first use in the text under them. A term a page names only in headings carries
//   the English in the first heading that names it.
// - Covered: the technical terms, i.e. every entry of the groups below from the model to serving,
//   except those marked `firstUse.exempt`, each with its reason: the notebook's own words (lab,
//   figure, quiz, misconception, slides, knob, live model, derivation) are 'notebook'; common
//   words where the English adds nothing (位置, 參數, 維度, 權重, 記憶體, 步, 配對) are 'everyday';
//   common words the chapters also use in other senses, so that their first occurrence is often
//   not the term (輪 'round', 區塊 'Transformer block', 值, 合併), are 'generic'; logits is written
//   in English and its gloss 對數機率 also means log-probability: 'english'. An entry whose zh-TW
//   is the English word itself (Transformer, softmax, SwiGLU, float32) needs nothing.

export interface GlossaryTerm {
  /** The English term as the chapters write it. */
  en: string;
  /** The zh-TW term (the English in parentheses is how the first use on a page shows it). */
  zh: string;
  /** One line of meaning, in each language. */
  meaning: { en: string; 'zh-TW': string };
  /**
   * What the chapter-text check looks for, when the displayed terms are not plain words:
   * `en`: words or phrases (case-insensitive, whole words, plural -s allowed) whose presence in
   * a chapter's English text requires one of `zh` in its zh-TW text. Defaults: the English term
   * without its parenthesis; the zh-TW term up to its first parenthesis. `en: []` exempts a
   * term whose English word is too common to look for (it still has to appear in the zh-TW
   * chapters somewhere).
   */
  find?: { en?: readonly string[]; zh?: readonly string[] };
  /**
   * The first-use rule (see the header): `{ exempt: reason }` takes the entry out of it, with
   * the reason; `{ words }` lists the Chinese words it checks and the English accepted beside
   * them, when the default (each Chinese part of `zh` with its part of `en`) does not fit.
   */
  firstUse?:
    | { exempt: FirstUseExemption }
    | {
        words: readonly (
          | { zh: readonly string[]; en: readonly string[]; not?: readonly string[] }
          | { zh: readonly string[]; exempt: FirstUseExemption }
        )[];
      };
}

/**
 * Why a word is out of the first-use rule: `notebook`, the notebook's own word, not a term of the
 * field; `everyday`, a common word whose English adds nothing; `generic`, a common word the
 * chapters also use in other senses (輪 'round', 區塊 'Transformer block'), so its first
 * occurrence is often not the term; `english`, the term is written in English (logits) and the
 * Chinese is a gloss that the chapters also use for something else.
 */
export type FirstUseExemption = 'notebook' | 'everyday' | 'generic' | 'english';

/** Grouped as a reader meets the ideas: the model, attention, training, serving, the notebook. */
export const glossary: readonly GlossaryTerm[] = [
  // The model
  {
    en: 'Transformer',
    zh: 'Transformer',
    meaning: {
      en: 'The network of stacked attention and feed-forward layers that LLaMA is built from.',
      'zh-TW': '由注意力層與前饋層層層堆疊而成的網路架構，LLaMA 以它為基礎。',
    },
  },
  {
    en: 'token',
    zh: '詞元（token）',
    meaning: {
      en: 'One unit of text the model reads and writes: a word, a piece of a word or a byte.',
      'zh-TW': '模型讀寫文字的最小單位：一個詞、詞的一部分，或一個位元組。',
    },
    find: { en: ['token'], zh: ['詞元', 'token'] },
  },
  {
    en: 'tokenizer',
    zh: '分詞器',
    meaning: {
      en: 'The program that cuts text into tokens and turns tokens back into text.',
      'zh-TW': '把文字切成詞元、也把詞元還原成文字的程式。',
    },
  },
  {
    en: 'vocabulary',
    zh: '詞彙表',
    meaning: {
      en: 'The fixed list of all tokens a tokenizer knows; each has an id.',
      'zh-TW': '分詞器認得的所有詞元的固定清單，每個詞元有一個編號。',
    },
  },
  {
    en: 'byte-pair encoding (BPE)',
    zh: '位元組對編碼（BPE）',
    meaning: {
      en: 'A tokenizer built by repeatedly merging the most frequent adjacent pair of symbols.',
      'zh-TW': '反覆合併最常相鄰出現的一對符號而建成的分詞方法。',
    },
    find: { en: ['byte-pair encoding', 'BPE'], zh: ['位元組對編碼', 'BPE'] },
  },
  {
    en: 'merge (BPE)',
    zh: '合併',
    meaning: {
      en: 'One BPE rule: two adjacent tokens that are joined into a new, longer token.',
      'zh-TW': '一條 BPE 規則：把相鄰的兩個詞元接成一個新的、較長的詞元。',
    },
    find: { en: ['merge'] },
    firstUse: { exempt: 'generic' },
  },
  {
    en: 'byte fallback',
    zh: '位元組後備',
    meaning: {
      en: 'Spelling a character the vocabulary lacks as its UTF-8 bytes, so no text is unknown.',
      'zh-TW': '詞彙表沒有的字元改用它的 UTF-8 位元組表示，因此沒有無法表示的文字。',
    },
  },
  {
    en: 'embedding',
    zh: '嵌入',
    meaning: {
      en: 'The learned vector that stands for a token at the input of the model.',
      'zh-TW': '在模型輸入端代表一個詞元的、學習得到的向量。',
    },
  },
  {
    en: 'residual stream',
    zh: '殘差流',
    meaning: {
      en: 'The vector per position that every layer reads from and adds its output to.',
      'zh-TW': '每個位置上的一個向量；每一層都從它讀取，並把自己的輸出加回去。',
    },
  },
  {
    en: 'hidden size',
    zh: '隱藏維度',
    meaning: {
      en: 'The length of the residual-stream vector (d), e.g. 4096 in LLaMA 2 7B.',
      'zh-TW': '殘差流向量的長度（d），例如 LLaMA 2 7B 為 4096。',
    },
    find: { en: ['hidden size'] },
  },
  {
    en: 'dimension',
    zh: '維度',
    meaning: {
      en: 'The number of entries of a vector, or one of its entries.',
      'zh-TW': '向量的分量個數，或指其中一個分量。',
    },
    firstUse: { exempt: 'everyday' },
  },
  {
    en: 'parameter',
    zh: '參數',
    meaning: {
      en: 'A number the model learns in training; its count measures the model’s size.',
      'zh-TW': '模型在訓練中學到的數值；參數的個數衡量模型的大小。',
    },
    firstUse: { exempt: 'everyday' },
  },
  {
    en: 'weight',
    zh: '權重',
    meaning: {
      en: 'A parameter that multiplies an input, such as an entry of a weight matrix.',
      'zh-TW': '與輸入相乘的參數，例如權重矩陣中的一個元素。',
    },
    firstUse: { exempt: 'everyday' },
  },
  {
    en: 'checkpoint',
    zh: '檢查點',
    meaning: {
      en: 'A file holding a model’s shape and all its weights (here the llama2.c format).',
      'zh-TW': '存放模型形狀與全部權重的檔案（本筆記本用 llama2.c 格式）。',
    },
  },
  {
    en: 'live model',
    zh: '即時模型',
    meaning: {
      en: 'The tiny LLaMA that runs in this page and answers every knob you move.',
      'zh-TW': '在本網頁中執行的小型 LLaMA，對你調整的每個旋鈕即時作出反應。',
    },
    firstUse: { exempt: 'notebook' },
  },
  // Normalization and the feed-forward network
  {
    en: 'layer normalization (LayerNorm)',
    zh: '層歸一化（LayerNorm）',
    meaning: {
      en: 'Subtracts a vector’s mean, divides by its standard deviation, then scales and shifts.',
      'zh-TW': '把向量減去平均值、除以標準差，再乘上增益並加上偏置。',
    },
    find: { en: ['LayerNorm', 'layer normalization'], zh: ['層歸一化', 'LayerNorm'] },
  },
  {
    en: 'RMSNorm',
    zh: '均方根歸一化（RMSNorm）',
    meaning: {
      en: 'Divides a vector by its root mean square and scales it; no mean is subtracted.',
      'zh-TW': '把向量除以它的均方根再乘上增益；不減去平均值。',
    },
    find: { en: ['RMSNorm'], zh: ['均方根歸一化', 'RMSNorm'] },
  },
  {
    en: 'pre-norm',
    zh: '前置歸一化',
    meaning: {
      en: 'Normalizing a layer’s input before the layer, as LLaMA does.',
      'zh-TW': '在子層之前對輸入做歸一化，LLaMA 採用這種做法。',
    },
  },
  {
    en: 'post-norm',
    zh: '後置歸一化',
    meaning: {
      en: 'Normalizing after the residual addition, as the original Transformer did.',
      'zh-TW': '在殘差相加之後才做歸一化，原始 Transformer 採用這種做法。',
    },
  },
  {
    en: 'gain',
    zh: '增益',
    meaning: {
      en: 'The learned per-dimension scale a normalization multiplies by (γ or g).',
      'zh-TW': '歸一化最後乘上的、逐維度學習的縮放（γ 或 g）。',
    },
    find: { en: ['learned gain', 'gain and bias', 'gain only'] },
  },
  {
    en: 'bias',
    zh: '偏置',
    meaning: {
      en: 'A learned constant added to a layer’s output (β in LayerNorm).',
      'zh-TW': '加到一層輸出上的、學習得到的常數（LayerNorm 中的 β）。',
    },
    find: { en: ['learned bias', 'gain and bias'] },
  },
  {
    en: 'activation function',
    zh: '激活函數',
    meaning: {
      en: 'The nonlinear function applied elementwise inside the feed-forward network.',
      'zh-TW': '在前饋網路中逐元素套用的非線性函數。',
    },
    find: { en: ['activation function', 'activation'], zh: ['激活函數', '激活'] },
  },
  {
    en: 'feed-forward network (FFN)',
    zh: '前饋網路（FFN）',
    meaning: {
      en: 'The per-position two-layer network (with a gate in LLaMA) after attention in each block.',
      'zh-TW': '每個區塊中接在注意力之後、逐位置作用的兩層網路（LLaMA 的多一個閘門）。',
    },
    find: { en: ['feed-forward'], zh: ['前饋'] },
  },
  {
    en: 'gated linear unit (GLU)',
    zh: '門控線性單元（GLU）',
    meaning: {
      en: 'A layer whose output is one linear map multiplied elementwise by a gate of another.',
      'zh-TW': '輸出為一個線性映射，逐元素乘上另一個線性映射所產生之閘門的層。',
    },
    find: { en: ['gated linear unit'], zh: ['門控線性單元'] },
  },
  {
    en: 'SwiGLU / GELU / ReLU / SiLU',
    zh: 'SwiGLU / GELU / ReLU / SiLU',
    meaning: {
      en: 'Activation functions: LLaMA uses SwiGLU, a GLU gated by SiLU(x) = x·σ(x).',
      'zh-TW': '幾種激活函數：LLaMA 使用 SwiGLU，即以 SiLU(x) = x·σ(x) 為閘門的 GLU。',
    },
    find: { en: ['SwiGLU'], zh: ['SwiGLU'] },
  },
  // Positions and attention
  {
    en: 'position / positional encoding',
    zh: '位置 / 位置編碼',
    meaning: {
      en: 'A token’s index in the sequence, and the way the model is told about it.',
      'zh-TW': '詞元在序列中的序號，以及讓模型得知這個序號的方式。',
    },
    find: { en: ['positional encoding', 'position'], zh: ['位置'] },
    firstUse: {
      words: [
        { zh: ['位置'], exempt: 'everyday' },
        { zh: ['位置編碼'], en: ['positional encoding', 'position encoding'] },
      ],
    },
  },
  {
    en: 'rotary position embedding (RoPE)',
    zh: '旋轉位置編碼（RoPE）',
    meaning: {
      en: 'Rotates each pair of query and key entries by an angle proportional to the position.',
      'zh-TW': '把查詢與鍵的每一對分量旋轉一個與位置成正比的角度。',
    },
    find: { en: ['rotary'], zh: ['旋轉位置編碼'] },
  },
  {
    en: 'pair (RoPE)',
    zh: '配對',
    meaning: {
      en: 'Two entries of a query or key that RoPE rotates together as one 2-D point.',
      'zh-TW': 'RoPE 視為一個二維點、一起旋轉的查詢或鍵的兩個分量。',
    },
    find: { en: [] },
    firstUse: { exempt: 'everyday' },
  },
  {
    en: 'base (RoPE)',
    zh: '底數',
    meaning: {
      en: 'The number (10 000 in LLaMA 1 and 2) that sets how fast the pairs’ angles slow down.',
      'zh-TW': '決定各配對角速度遞減快慢的數（LLaMA 1 與 2 為 10 000）。',
    },
    find: { en: ['RoPE base'] },
  },
  {
    en: 'frequency',
    zh: '頻率',
    meaning: {
      en: 'How fast a RoPE pair turns per position, in radians.',
      'zh-TW': 'RoPE 的一個配對每前進一個位置轉動的角度（弧度）。',
    },
  },
  {
    en: 'wavelength',
    zh: '波長',
    meaning: {
      en: 'How many positions a RoPE pair needs for one full turn: 2π over its frequency.',
      'zh-TW': 'RoPE 的一個配對轉完一整圈需要的位置數：2π 除以頻率。',
    },
  },
  {
    en: 'position interpolation',
    zh: '位置內插',
    meaning: {
      en: 'Extending the context by squeezing positions so they stay within the trained range.',
      'zh-TW': '把位置等比例壓縮、使其落在訓練過的範圍內，以延長上下文。',
    },
  },
  {
    en: 'NTK-aware scaling',
    zh: 'NTK-aware 縮放',
    meaning: {
      en: 'Extending the context by raising the RoPE base, which stretches mostly the slow pairs.',
      'zh-TW': '以調高 RoPE 底數來延長上下文，主要拉長轉得慢的配對。',
    },
    find: { en: ['NTK-aware'], zh: ['NTK-aware', 'NTK'] },
  },
  {
    en: 'scaling factor',
    zh: '縮放因子',
    meaning: {
      en: 'How many times longer the new context is than the trained one.',
      'zh-TW': '新上下文長度是訓練時長度的倍數。',
    },
    find: { en: ['stretch factor', 'scaling factor'] },
  },
  {
    en: 'context length / context window',
    zh: '上下文長度 / 上下文視窗',
    meaning: {
      en: 'How many tokens the model can attend to at once.',
      'zh-TW': '模型一次能注意到的詞元數量。',
    },
    find: { en: ['context length', 'context window'], zh: ['上下文'] },
  },
  {
    en: 'attention',
    zh: '注意力',
    meaning: {
      en: 'Mixing the values of earlier positions, weighted by how well their keys match a query.',
      'zh-TW': '依各位置的鍵與查詢的相符程度加權，混合先前位置的值。',
    },
  },
  {
    en: 'query / key / value',
    zh: '查詢（query）/ 鍵（key）/ 值（value）',
    meaning: {
      en: 'The three projections of each token in attention: what it looks for, offers, passes on.',
      'zh-TW': '注意力中每個詞元的三種投影：它要找什麼、提供什麼比對、傳遞什麼內容。',
    },
    find: { en: ['query', 'queries'], zh: ['查詢'] },
    firstUse: {
      words: [
        { zh: ['查詢'], en: ['query'] },
        { zh: ['鍵'], en: ['key'], not: ['關鍵', '按鍵', '鍵盤'] },
        { zh: ['值'], exempt: 'generic' },
      ],
    },
  },
  {
    en: 'attention head',
    zh: '注意力頭',
    meaning: {
      en: 'One of several attentions run side by side on separate slices of the vectors.',
      'zh-TW': '在向量的不同切片上並行執行的多個注意力之一。',
    },
    find: { en: ['attention head', 'head'], zh: ['頭'] },
  },
  {
    en: 'head size (head dimension)',
    zh: '每頭維度',
    meaning: {
      en: 'The length of one head’s query, key and value vectors (128 in LLaMA 2 7B).',
      'zh-TW': '單一注意力頭的查詢、鍵、值向量長度（LLaMA 2 7B 為 128）。',
    },
    find: { en: ['head size', 'head dimension'] },
  },
  {
    en: 'multi-head attention (MHA)',
    zh: '多頭注意力（MHA）',
    meaning: {
      en: 'Attention in which every query head has its own key and value head.',
      'zh-TW': '每個查詢頭都有自己的鍵頭與值頭的注意力。',
    },
    find: { en: ['multi-head attention'], zh: ['多頭注意力'] },
  },
  {
    en: 'multi-query attention (MQA)',
    zh: '多查詢注意力（MQA）',
    meaning: {
      en: 'Attention in which all query heads share a single key and value head.',
      'zh-TW': '所有查詢頭共用單一鍵頭與值頭的注意力。',
    },
    find: { en: ['multi-query attention'], zh: ['多查詢注意力'] },
  },
  {
    en: 'grouped-query attention (GQA)',
    zh: '分組查詢注意力（GQA）',
    meaning: {
      en: 'Attention in which each group of query heads shares one key and value head.',
      'zh-TW': '每一組查詢頭共用一個鍵頭與值頭的注意力。',
    },
    find: { en: ['grouped-query attention'], zh: ['分組查詢注意力'] },
  },
  {
    en: 'scaled dot-product attention',
    zh: '縮放點積注意力',
    meaning: {
      en: 'softmax(QKᵀ/√d)V: attention scores as dot products divided by √d.',
      'zh-TW': 'softmax(QKᵀ/√d)V：以點積除以 √d 作為注意力分數。',
    },
  },
  {
    en: 'causal mask',
    zh: '因果遮罩',
    meaning: {
      en: 'Hides later positions so each token attends only to itself and earlier tokens.',
      'zh-TW': '遮住之後的位置，使每個詞元只能注意到自己與之前的詞元。',
    },
  },
  {
    en: 'permutation equivariance',
    zh: '置換等變性',
    meaning: {
      en: 'Shuffling the inputs only shuffles the outputs: attention without positions has it.',
      'zh-TW': '打亂輸入只會同樣地打亂輸出；沒有位置資訊的注意力具有此性質。',
    },
    find: { en: ['permutation-equivariant', 'permutation equivariance'], zh: ['置換等變'] },
  },
  {
    en: 'KV cache',
    zh: 'KV 快取',
    meaning: {
      en: 'The stored keys and values of past tokens, so generating a token does not redo them.',
      'zh-TW': '保存過去詞元的鍵與值，生成下一個詞元時不必重算。',
    },
    find: { en: ['KV cache'], zh: ['KV 快取'] },
  },
  {
    en: 'mean-pooling',
    zh: '平均池化',
    meaning: {
      en: 'Averaging several heads’ weights into one, to turn an MHA model into a GQA one.',
      'zh-TW': '把數個頭的權重平均成一個，用來把 MHA 模型轉成 GQA 模型。',
    },
    find: { en: ['mean-pool', 'mean-pooled', 'mean-pooling'] },
  },
  {
    en: 'uptraining',
    zh: '追加訓練',
    meaning: {
      en: 'A short extra training run that adapts a converted model (e.g. MHA to GQA).',
      'zh-TW': '為了讓轉換過的模型（例如 MHA 轉 GQA）適應而進行的短暫額外訓練。',
    },
    find: { en: ['uptraining', 'uptrained'] },
  },
  // Output and sampling
  {
    en: 'logits',
    zh: 'logits（對數機率）',
    meaning: {
      en: 'The model’s raw score per vocabulary token; softmax turns them into probabilities.',
      'zh-TW': '模型對詞彙表中每個詞元的原始分數；softmax 把它們轉成機率。',
    },
    find: { en: ['logits'], zh: ['logits', '對數機率'] },
    firstUse: { exempt: 'english' },
  },
  {
    en: 'softmax',
    zh: 'softmax',
    meaning: {
      en: 'exp(xᵢ) / Σⱼ exp(xⱼ): positive numbers that sum to 1.',
      'zh-TW': 'exp(xᵢ) / Σⱼ exp(xⱼ)：全為正、總和為 1 的數。',
    },
  },
  {
    en: 'sampling',
    zh: '採樣',
    meaning: {
      en: 'Drawing the next token at random from the model’s probabilities.',
      'zh-TW': '依模型給出的機率隨機抽出下一個詞元。',
    },
    firstUse: { words: [{ zh: ['採樣器', '採樣'], en: ['sampling', 'sampler', 'sample'] }] },
  },
  {
    en: 'temperature',
    zh: '溫度',
    meaning: {
      en: 'The logits are divided by it before softmax: below 1 sharpens the distribution, above 1 flattens it.',
      'zh-TW': 'softmax 之前先把 logits 除以它：小於 1 使分布更集中，大於 1 使其更平坦。',
    },
  },
  {
    en: 'greedy decoding',
    zh: '貪婪解碼',
    meaning: {
      en: 'Always taking the most probable token (temperature 0).',
      'zh-TW': '每次都取機率最高的詞元（溫度為 0）。',
    },
    find: { en: ['greedy'], zh: ['貪婪'] },
  },
  {
    en: 'top-k / top-p (nucleus) / min-p',
    zh: 'top-k / top-p（核採樣）/ min-p',
    meaning: {
      en: 'Samplers that keep only the k best tokens, the smallest set with mass p, or those ≥ p·max.',
      'zh-TW': '只保留前 k 個詞元、累積機率達 p 的最小集合，或機率不低於 p 乘最大機率者的採樣法。',
    },
    find: { en: ['top-p'], zh: ['top-p'] },
  },
  {
    en: 'speculative decoding',
    zh: '推測解碼',
    meaning: {
      en: 'A small draft model proposes tokens that the big model checks in one pass, exactly.',
      'zh-TW': '由小型草稿模型提出詞元，大模型一次前向計算加以驗證，結果分布完全不變。',
    },
  },
  {
    en: 'draft model / target model',
    zh: '草稿模型 / 目標模型',
    meaning: {
      en: 'In speculative decoding: the cheap proposer and the model whose distribution is kept.',
      'zh-TW': '推測解碼中負責提議的便宜模型，以及分布必須維持不變的模型。',
    },
    find: { en: ['draft model'], zh: ['草稿模型'] },
  },
  {
    en: 'acceptance rate',
    zh: '接受率',
    meaning: {
      en: 'The share of proposed tokens that are accepted (in rejection sampling or speculation).',
      'zh-TW': '被接受的提議詞元所占比例（拒絕採樣或推測解碼中）。',
    },
  },
  {
    en: 'bonus token',
    zh: '額外詞元',
    meaning: {
      en: 'The extra token speculative decoding gets free when every draft token is accepted.',
      'zh-TW': '推測解碼中所有草稿詞元都被接受時，免費多得的一個詞元。',
    },
  },
  {
    en: 'replacement token',
    zh: '替換詞元',
    meaning: {
      en: 'The token drawn from the leftover distribution where a draft token is rejected.',
      'zh-TW': '草稿詞元被拒絕時，從剩餘分布中抽出的詞元。',
    },
    find: { en: ['replacement'], zh: ['替換'] },
  },
  {
    en: 'proposal distribution',
    zh: '提議分布',
    meaning: {
      en: 'The distribution candidates are drawn from before they are accepted or rejected.',
      'zh-TW': '候選者在被接受或拒絕之前，所抽自的分布。',
    },
    find: { en: ['proposal'], zh: ['提議'] },
  },
  {
    en: 'envelope',
    zh: '包絡',
    meaning: {
      en: 'M·q(x), the scaled proposal that must lie above the target everywhere.',
      'zh-TW': 'M·q(x)，必須處處不低於目標分布的放大提議分布。',
    },
  },
  {
    en: 'total variation distance',
    zh: '總變異距離',
    meaning: {
      en: 'Half the summed absolute difference of two distributions: 0 when equal, at most 1.',
      'zh-TW': '兩個分布逐項差的絕對值總和的一半：相同時為 0，最大為 1。',
    },
  },
  {
    en: 'Monte Carlo method',
    zh: '蒙地卡羅方法',
    meaning: {
      en: 'Estimating a quantity by averaging over many random draws.',
      'zh-TW': '以大量隨機抽樣的平均值來估計一個量。',
    },
    find: { en: ['Monte Carlo'], zh: ['蒙地卡羅'] },
    firstUse: { words: [{ zh: ['蒙地卡羅方法', '蒙地卡羅'], en: ['Monte Carlo'] }] },
  },
  {
    en: 'chi-square test',
    zh: '卡方檢定',
    meaning: {
      en: 'A test of whether observed counts fit the expected probabilities.',
      'zh-TW': '檢驗觀察到的次數是否符合預期機率的統計檢定。',
    },
    find: { en: ['chi-square', 'chi-squared'], zh: ['卡方'] },
  },
  // Measuring a model
  {
    en: 'loss',
    zh: '損失',
    meaning: {
      en: 'The number training lowers: here the mean cross-entropy of the next token.',
      'zh-TW': '訓練要降低的數值：此處為下一個詞元的平均交叉熵。',
    },
  },
  {
    en: 'cross-entropy',
    zh: '交叉熵',
    meaning: {
      en: '−log of the probability the model gave the true next token, in nats.',
      'zh-TW': '模型給真正下一個詞元的機率取 −log，單位為奈特（nat）。',
    },
  },
  {
    en: 'perplexity',
    zh: '困惑度',
    meaning: {
      en: 'exp(cross-entropy): as if the model picked uniformly among that many tokens.',
      'zh-TW': 'exp（交叉熵）：相當於模型在這麼多個詞元中平均地猜。',
    },
  },
  {
    en: 'KL divergence',
    zh: 'KL 散度',
    meaning: {
      en: 'How far one distribution is from another: 0 when they are equal, never negative.',
      'zh-TW': '一個分布與另一個分布的差距：相同時為 0，永不為負。',
    },
    find: { en: ['KL divergence'], zh: ['KL 散度'] },
  },
  {
    en: 'held-out set',
    zh: '保留集',
    meaning: {
      en: 'Text kept out of training, used to measure how well the model generalizes.',
      'zh-TW': '不參與訓練的文字，用來衡量模型的泛化能力。',
    },
    find: { en: ['held-out'], zh: ['保留'] },
  },
  {
    en: 'benchmark',
    zh: '基準測試',
    meaning: {
      en: 'A fixed task and score used to compare models or implementations.',
      'zh-TW': '用來比較模型或實作的固定任務與分數。',
    },
  },
  {
    en: 'ablation',
    zh: '消融實驗',
    meaning: {
      en: 'An experiment that removes or changes one part to see what it contributes.',
      'zh-TW': '拿掉或改變某一部分，以觀察它貢獻多少的實驗。',
    },
  },
  // Training
  {
    en: 'dataset / corpus',
    zh: '資料集 / 語料',
    meaning: {
      en: 'The collection of text a model is trained or evaluated on.',
      'zh-TW': '模型訓練或評估所用的文字集合。',
    },
    find: { en: ['dataset', 'corpus'], zh: ['資料集', '語料'] },
  },
  {
    en: 'pretraining',
    zh: '預訓練',
    meaning: {
      en: 'Training on a large corpus to predict the next token, before any tuning.',
      'zh-TW': '在任何微調之前，以大量語料訓練模型預測下一個詞元。',
    },
  },
  {
    en: 'learning rate',
    zh: '學習率',
    meaning: {
      en: 'How large a step the optimizer takes along the gradient.',
      'zh-TW': '最佳化器沿梯度方向每一步走多大。',
    },
  },
  {
    en: 'warm-up',
    zh: '暖身',
    meaning: {
      en: 'The first steps of training, in which the learning rate rises from near zero.',
      'zh-TW': '訓練最初的幾步，學習率從接近零逐漸升高。',
    },
  },
  {
    en: 'schedule',
    zh: '排程',
    meaning: {
      en: 'How the learning rate changes over training (e.g. warm-up, then cosine decay).',
      'zh-TW': '學習率在訓練過程中的變化方式（例如先暖身、再餘弦衰減）。',
    },
    firstUse: { words: [{ zh: ['排程'], en: ['schedule', 'scheduling'] }] },
  },
  {
    en: 'optimiser (AdamW)',
    zh: '最佳化器（AdamW）',
    meaning: {
      en: 'The rule that turns gradients into weight updates; LLaMA uses AdamW.',
      'zh-TW': '把梯度轉成權重更新的規則；LLaMA 使用 AdamW。',
    },
    find: { en: ['optimiser', 'optimizer'], zh: ['最佳化器'] },
    firstUse: { words: [{ zh: ['最佳化器'], en: ['optimiser', 'optimizer', 'AdamW'] }] },
  },
  {
    en: 'weight decay',
    zh: '權重衰減',
    meaning: {
      en: 'Shrinking the weights a little at every step, to keep them small.',
      'zh-TW': '每一步都把權重稍微縮小，使其保持在較小的範圍。',
    },
  },
  {
    en: 'gradient',
    zh: '梯度',
    meaning: {
      en: 'The direction in which the loss rises fastest, one entry per parameter.',
      'zh-TW': '損失上升最快的方向，每個參數一個分量。',
    },
  },
  {
    en: 'backward pass',
    zh: '反向傳播',
    meaning: {
      en: 'Computing the gradient layer by layer from the loss back to the input.',
      'zh-TW': '從損失往輸入方向逐層計算梯度。',
    },
    firstUse: { words: [{ zh: ['反向傳播'], en: ['backward pass', 'backprop', 'back-prop'] }] },
  },
  {
    en: 'batch / step / epoch',
    zh: '批次 / 步 / 輪（epoch）',
    meaning: {
      en: 'Sequences processed together; one weight update; one pass over the whole dataset.',
      'zh-TW': '一起處理的一組序列；一次權重更新；完整走過資料集一遍。',
    },
    find: { en: ['batch'], zh: ['批次'] },
    firstUse: {
      words: [
        { zh: ['批次'], en: ['batch'] },
        { zh: ['步'], exempt: 'everyday' },
        { zh: ['輪'], exempt: 'generic' },
      ],
    },
  },
  {
    en: 'loss spike',
    zh: '損失尖峰',
    meaning: {
      en: 'A sudden jump of the training loss, often from too large a learning rate.',
      'zh-TW': '訓練損失突然跳升，常因學習率過大。',
    },
    find: { en: ['loss spike'], zh: ['損失尖峰', '尖峰'] },
  },
  {
    en: 'mixed precision / float32 / bfloat16',
    zh: '混合精度 / float32 / bfloat16',
    meaning: {
      en: 'Computing in a 16-bit format where it is safe and 32-bit where it is needed.',
      'zh-TW': '在安全之處以 16 位元格式計算，在必要之處使用 32 位元。',
    },
    find: { en: ['mixed precision', 'bfloat16'], zh: ['混合精度', 'bfloat16'] },
  },
  // Post-training
  {
    en: 'prompt',
    zh: '提示',
    meaning: {
      en: 'The text given to the model to continue.',
      'zh-TW': '交給模型、讓它接著往下寫的文字。',
    },
    firstUse: { words: [{ zh: ['提示詞', '提示'], en: ['prompt'] }] },
  },
  {
    en: 'supervised fine-tuning (SFT)',
    zh: '監督式微調（SFT）',
    meaning: {
      en: 'Further training on example answers written or chosen by people.',
      'zh-TW': '以人工撰寫或挑選的範例回答繼續訓練。',
    },
    find: { en: ['supervised fine-tuning', 'SFT'], zh: ['監督式微調', 'SFT'] },
  },
  {
    en: 'rejection sampling',
    zh: '拒絕採樣',
    meaning: {
      en: 'Drawing several candidates and keeping only those that pass a test or score best.',
      'zh-TW': '抽出多個候選者，只保留通過檢驗或分數最高者。',
    },
  },
  {
    en: 'reinforcement learning from human feedback (RLHF)',
    zh: '基於人類回饋的強化學習（RLHF）',
    meaning: {
      en: 'Tuning a model to raise a reward model’s score while staying near a reference model.',
      'zh-TW': '調整模型以提高獎勵模型的分數，同時不偏離參考模型太遠。',
    },
    find: { en: ['RLHF'], zh: ['RLHF'] },
  },
  {
    en: 'reward model',
    zh: '獎勵模型',
    meaning: {
      en: 'A model trained on people’s preferences to score how good an answer is.',
      'zh-TW': '以人類偏好訓練、為回答的好壞打分數的模型。',
    },
  },
  {
    en: 'reward hacking',
    zh: '獎勵駭客',
    meaning: {
      en: 'The tuned model finding outputs that score high but are not what people wanted.',
      'zh-TW': '被調整的模型找到分數很高、卻不是人們想要的輸出。',
    },
  },
  {
    en: 'policy',
    zh: '策略',
    meaning: {
      en: 'In RLHF and DPO: the model being tuned, seen as a rule for choosing tokens.',
      'zh-TW': '在 RLHF 與 DPO 中，把被調整的模型視為挑選詞元的規則。',
    },
  },
  {
    en: 'reference model',
    zh: '參考模型',
    meaning: {
      en: 'A frozen copy of the model before tuning, which the tuned one is kept close to.',
      'zh-TW': '調整前模型的凍結副本，被調整的模型須與它保持接近。',
    },
    find: { en: ['reference model', 'as the reference'] },
  },
  {
    en: 'direct preference optimization (DPO)',
    zh: '直接偏好最佳化（DPO）',
    meaning: {
      en: 'Tuning directly on preference pairs, with no separate reward model or sampling loop.',
      'zh-TW': '直接以偏好對調整模型，不需另外的獎勵模型或採樣迴圈。',
    },
    find: { en: ['direct preference optimization', 'DPO'], zh: ['直接偏好最佳化', 'DPO'] },
  },
  {
    en: 'preference pair (chosen / rejected)',
    zh: '偏好對（選中 / 拒絕）',
    meaning: {
      en: 'Two answers to one prompt, one of which a person preferred.',
      'zh-TW': '同一個提示的兩個回答，其中一個是人所偏好的。',
    },
    find: { en: ['preference pair'], zh: ['偏好對'] },
  },
  {
    en: 'implicit reward margin',
    zh: '隱含獎勵差距',
    meaning: {
      en: 'In DPO: how much more the policy favours the chosen answer than the reference does.',
      'zh-TW': 'DPO 中，策略比參考模型更偏好選中回答的程度。',
    },
    find: { en: ['implicit reward'], zh: ['隱含獎勵'] },
  },
  // Serving
  {
    en: 'throughput / latency',
    zh: '吞吐量 / 延遲',
    meaning: {
      en: 'Tokens served per second in total, and the time one reader waits.',
      'zh-TW': '每秒總共服務的詞元數，以及單一使用者等待的時間。',
    },
    find: { en: ['throughput', 'latency'], zh: ['吞吐量', '延遲'] },
  },
  {
    en: 'memory / bandwidth',
    zh: '記憶體 / 頻寬',
    meaning: {
      en: 'Where weights and caches live, and how many bytes per second can be read from it.',
      'zh-TW': '存放權重與快取之處，以及每秒能從中讀出多少位元組。',
    },
    find: { en: ['bandwidth'], zh: ['頻寬'] },
    firstUse: {
      words: [
        { zh: ['記憶體'], exempt: 'everyday' },
        { zh: ['頻寬'], en: ['bandwidth'] },
      ],
    },
  },
  {
    en: 'memory-bound',
    zh: '受記憶體限制',
    meaning: {
      en: 'Limited by how fast data can be read, not by how fast it can be computed.',
      'zh-TW': '速度受限於資料讀取的快慢，而非計算的快慢。',
    },
    find: { en: ['memory-bound'], zh: ['受記憶體限制', '記憶體'] },
  },
  {
    en: 'arithmetic intensity',
    zh: '運算強度',
    meaning: {
      en: 'Operations per byte read: low means memory-bound.',
      'zh-TW': '每讀取一個位元組所做的運算次數：偏低表示受記憶體限制。',
    },
  },
  {
    en: 'PagedAttention',
    zh: 'PagedAttention（分頁注意力）',
    meaning: {
      en: 'Keeping the KV cache in fixed-size blocks found through a table, like virtual memory.',
      'zh-TW': '像虛擬記憶體一樣，把 KV 快取放在透過表格查找的固定大小區塊中。',
    },
    find: { en: ['PagedAttention'], zh: ['PagedAttention', '分頁注意力'] },
  },
  {
    en: 'block / page (memory)',
    zh: '區塊 / 分頁',
    meaning: {
      en: 'A fixed-size piece of KV-cache memory holding a few tokens’ keys and values.',
      'zh-TW': '一塊固定大小的 KV 快取記憶體，存放幾個詞元的鍵與值。',
    },
    find: { en: ['block table', 'blocks of'], zh: ['區塊'] },
    firstUse: {
      words: [
        { zh: ['區塊'], exempt: 'generic' },
        { zh: ['分頁式', '分頁'], en: ['page', 'paging'] },
      ],
    },
  },
  {
    en: 'block table',
    zh: '區塊表',
    meaning: {
      en: 'The per-sequence table that maps its logical blocks to physical ones.',
      'zh-TW': '每個序列一張的表，把邏輯區塊對應到實體區塊。',
    },
  },
  {
    en: 'contiguous allocation',
    zh: '連續配置',
    meaning: {
      en: 'Reserving one unbroken stretch of memory for a sequence’s whole maximum length.',
      'zh-TW': '為一個序列按最大長度預留一整段不間斷的記憶體。',
    },
    find: { en: ['contiguous'], zh: ['連續'] },
  },
  {
    en: 'fragmentation',
    zh: '碎片',
    meaning: {
      en: 'Memory that is reserved or free but cannot be used (internal / external).',
      'zh-TW': '已預留或空著卻無法使用的記憶體（內部 / 外部碎片）。',
    },
  },
  {
    en: 'continuous batching',
    zh: '持續批次處理',
    meaning: {
      en: 'Letting requests join and leave the running batch at every step.',
      'zh-TW': '讓請求在每一步都能加入或離開正在執行的批次。',
    },
  },
  {
    en: 'copy-on-write',
    zh: '寫入時複製',
    meaning: {
      en: 'Sharing a block between sequences until one of them writes to it.',
      'zh-TW': '多個序列共用一個區塊，直到其中之一要寫入時才複製。',
    },
  },
  {
    en: 'preemption',
    zh: '搶占',
    meaning: {
      en: 'Pausing a request and freeing its memory when the cache is full.',
      'zh-TW': '快取已滿時暫停一個請求並釋放它的記憶體。',
    },
    find: { en: ['preempt', 'preempted', 'preemption'] },
  },
  // The notebook
  {
    en: 'slides mode / presenter view',
    zh: '投影片模式 / 簡報者檢視',
    meaning: {
      en: 'The chapter as classroom slides, and the teacher’s screen with notes and a timer.',
      'zh-TW': '把章節當作課堂投影片，以及附備忘稿與計時器的講者畫面。',
    },
    find: { en: ['slides'], zh: ['投影片'] },
    firstUse: { exempt: 'notebook' },
  },
  {
    en: 'knob / slider',
    zh: '旋鈕（參數控制）/ 滑桿',
    meaning: {
      en: 'A control that changes a setting of the live model; a slider is one you drag.',
      'zh-TW': '改變即時模型某項設定的控制項；滑桿是可以拖動的那一種。',
    },
    find: { en: ['knob'], zh: ['旋鈕'] },
    firstUse: { exempt: 'notebook' },
  },
  {
    en: 'lab',
    zh: '實驗',
    meaning: {
      en: 'A block where you change knobs and watch the live model respond.',
      'zh-TW': '讓你調整旋鈕、觀察即時模型反應的區塊。',
    },
    find: { en: [] },
    firstUse: { exempt: 'notebook' },
  },
  {
    en: 'quiz ("Check yourself")',
    zh: '自我檢測',
    meaning: {
      en: 'A few questions at the end of a chapter, with explanations.',
      'zh-TW': '章節末尾的幾道題目，附有解說。',
    },
    find: { en: ['check yourself'] },
    firstUse: { exempt: 'notebook' },
  },
  {
    en: 'misconception',
    zh: '常見誤解',
    meaning: {
      en: 'A wrong idea many readers hold, stated and corrected.',
      'zh-TW': '許多讀者會有的錯誤想法，加以說明並更正。',
    },
    find: { en: ['misconception'], zh: ['誤解'] },
    firstUse: { exempt: 'notebook' },
  },
  {
    en: 'derivation',
    zh: '推導',
    meaning: {
      en: 'A formula worked out step by step, each step with its reason.',
      'zh-TW': '一步一步推出的公式，每一步都附上理由。',
    },
    firstUse: { exempt: 'notebook' },
  },
  {
    en: 'figure / caption',
    zh: '圖 / 圖說',
    meaning: {
      en: 'A drawing of real values, and the sentence that says what it shows.',
      'zh-TW': '呈現真實數值的圖，以及說明圖中內容的文字。',
    },
    find: { en: ['figure'], zh: ['圖'] },
    firstUse: { exempt: 'notebook' },
  },
];
