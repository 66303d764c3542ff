// The trainer's errors in the reader's language (issue 18): what a reader can get wrong in the
// training lab (chapter 5: the recipe's fields, a text too short) and in post-training (chapter 8:
// a reward formula, a prompt too long, settings) throws a coded TrainError / FormulaError, whose
// English is the trainer's old text (the CLI and its tests read as before) and whose zh-TW text
// is Chinese with no English run. The last test reads the trainer's source: every error it can
// throw is coded, or listed below as a programming error with the reason it is not.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { isErrorCode } from '$engine/error-text.ts';
import { parseTrainConfig } from '$train/config.ts';
import { TrainError } from '$train/errors.ts';
import { vocabFromTokenizerFile } from '$train/vocab-file.ts';
import { trainBpe } from '$train/bpe.ts';
import { Dataset, splitText } from '$train/data.ts';
import { AdamW } from '$train/adamw.ts';
import { makeLayout } from '$train/layout.ts';
import { checkSettings } from '$train/post/loops.ts';
import { packExample } from '$train/post/sequences.ts';
import { compileReward, presetById } from '$train/post/rewards.ts';
import { PageError, errorString, shownError } from '$lib/i18n/error-text.ts';
import { m } from '$paraglide/messages.js';
import { englishRun, hasChinese } from '$lib/i18n/untranslated.ts';
import { setLocale } from '$paraglide/runtime.js';
import { TWO_MINUTES, trainConfigOf } from '../../../chapters/05-pretraining/recipe.ts';

afterEach(() => setLocale('en', { reload: false }));

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

/** The error's English (as the CLI prints it), then its text in zh-TW. */
function bothLocales(e: unknown): { en: string; zh: string } {
  const en = shownError(e);
  expect(en.english).toBeNull();
  setLocale('zh-TW', { reload: false });
  const zh = shownError(e);
  setLocale('en', { reload: false });
  expect(zh.english, 'a coded error needs no English original').toBeNull();
  expect(hasChinese(zh.text), zh.text).toBe(true);
  expect(englishRun(zh.text), zh.text).toBeNull();
  return { en: en.text, zh: zh.text };
}

const MODEL = { dim: 64, hidden_dim: 128, n_layers: 2, n_heads: 4, seq_len: 32 };

describe('the training config (the lab of chapter 5 and npm run train)', () => {
  it('absurd recipe fields: the same English as before, and Chinese in zh-TW', () => {
    const cases: [unknown, string, RegExp][] = [
      [
        { model: { ...MODEL, dim: 0 } },
        'config: model.dim must be a positive integer, got 0',
        /^設定檔：model\.dim 必須是正整數，實際為 0$/,
      ],
      [
        { model: { ...MODEL, n_heads: 3 } },
        'config: model.dim (64) must be n_heads (3) times an even head size',
        /每頭維度/,
      ],
      [
        { model: { ...MODEL, n_kv_heads: 3 } },
        'config: model.n_heads (4) must be a multiple of model.n_kv_heads (3)',
        /倍數/,
      ],
      [
        { model: MODEL, train: { lr: 5 } },
        'config: train.lr must be a number in (0, 1), got 5',
        /^設定檔：train\.lr 必須是區間 \(0, 1\) 內的數，實際為 5$/,
      ],
      [
        { model: MODEL, vocab_size: 100 },
        'config: config.vocab_size must be an integer from 260 to 32000, got 100',
        /260 到 32000/,
      ],
      [
        { model: { ...MODEL, seq_len: 1 } },
        'config: model.seq_len must be an integer of at least 2, got 1',
        /至少為 2/,
      ],
      [
        { model: { ...MODEL, seq_len: undefined } },
        'config: model.seq_len is required (an integer of at least 2)',
        /必須填寫 model\.seq_len/,
      ],
      [
        { model: { ...MODEL, hidden_dim: undefined } },
        'config: model.hidden_dim is required (a positive integer)',
        /必須填寫/,
      ],
      [
        { model: MODEL, train: { warmup_steps: -1 } },
        'config: train.warmup_steps must be a non-negative integer, got -1',
        /非負整數/,
      ],
      [
        { model: MODEL, train: { grad_clip: -1 } },
        'config: train.grad_clip must be a non-negative number (0 = off), got -1',
        /0 表示關閉/,
      ],
      [
        { model: { ...MODEL, rope_base: 1 } },
        'config: model.rope_base must be a number above 1, got 1',
        /大於 1/,
      ],
      [
        { model: { ...MODEL, norm: 'batchnorm' } },
        'config: model.norm must be one of "rmsnorm", "layernorm", got "batchnorm"',
        /其中之一/,
      ],
      [
        { model: { ...MODEL, shared_classifier: 1 } },
        'config: model.shared_classifier must be true or false',
        /true 或 false/,
      ],
      [
        { model: MODEL, train: { batch_size: 6, workers: 4 } },
        'config: train.batch_size (6) must be a multiple of train.workers (4)',
        /倍數/,
      ],
      [{ model: MODEL, extra: 1 }, 'config: unknown field config.extra', /不認得的欄位/],
      [[], 'config: expected a JSON object with "model" and "train" sections', /JSON 物件/],
      [{ train: {} }, 'config: "model" section missing or not an object', /缺少/],
      [{ model: MODEL, train: 3 }, 'config: "train" must be an object', /必須是物件/],
    ];
    for (const [json, english, zh] of cases) {
      const e = thrown(() => parseTrainConfig(json));
      expect(e, english).toBeInstanceOf(TrainError);
      const { en, zh: text } = bothLocales(e);
      expect(en.startsWith(english), `${en} starts with ${english}`).toBe(true);
      expect(text, english).toMatch(zh);
    }
  });

  it('the lab’s own recipe with 5 heads of a 256-wide model: refused in Chinese', () => {
    const e = thrown(() => trainConfigOf({ ...TWO_MINUTES, nHeads: 5, nKvHeads: 5 }, 1));
    expect(bothLocales(e).zh).toBe(
      `設定檔：model.dim（${TWO_MINUTES.dim}）必須是 n_heads（5）乘上一個偶數的每頭維度`,
    );
  });
});

describe('the text, the tokenizer file and a diverging run', () => {
  it('a text too short for the sequence length, and an empty validation part', () => {
    const vocab = trainBpe('to be or not to be, that is the question\n'.repeat(20), {
      vocabSize: 270,
    });
    const short = thrown(() => new Dataset(splitText('to be\n'.repeat(30)), vocab, 256));
    expect(bothLocales(short).en).toMatch(/^the training text is too short: \d+ tokens/);
    expect(bothLocales(short).zh).toMatch(/^訓練文字太短：只有 \d+ 個詞元，必須多於 seq_len 256$/);
    expect(bothLocales(thrown(() => trainBpe('', { vocabSize: 300 }))).zh).toMatch(/分詞器/);
  });

  it('a tokenizer file that is not the trainer’s layout', () => {
    const tok = readFileSync('tests/fixtures/llama2c/tok512.bin');
    // run.c's tok512 puts its byte pieces at 3..258 too; as 300 pieces it holds more than that
    const e = thrown(() => vocabFromTokenizerFile(tok, 300));
    expect(e).toBeInstanceOf(TrainError);
    expect(bothLocales(e).zh).toMatch(/vocab_size（300）/);
  });

  it('a gradient that is not finite: training diverged, lower the learning rate', () => {
    const tc = parseTrainConfig({ model: MODEL });
    const layout = makeLayout({ ...tc.model, vocabSize: 260 });
    const opt = new AdamW(layout, tc.train);
    const grads = new Float32Array(layout.total).fill(Number.NaN);
    const e = thrown(() => opt.step(new Float32Array(layout.total), grads, 1e-3));
    expect(bothLocales(e).zh).toBe('梯度不是有限數（NaN 或無限大）：訓練發散了；請調低學習率');
  });
});

describe('post-training (chapter 8)', () => {
  const settings = {
    lr: 1e-3,
    steps: 10,
    batch: 8,
    responseTokens: 16,
    evalSamples: 1,
    evalEvery: 10,
    seed: 1,
  };

  it('settings out of range, and a prompt that leaves no room for the response', () => {
    expect(bothLocales(thrown(() => checkSettings({ ...settings, lr: 2 }))).zh).toMatch(/學習率/);
    const steps = thrown(() => checkSettings({ ...settings, steps: 0 }));
    expect(bothLocales(steps).en).toBe('steps must be a whole number from 1 to 100000, got 0');
    const long = thrown(() =>
      packExample(
        { prompt: Array(90).fill(5), response: [6] },
        80,
        0,
        new Int32Array(80),
        new Int32Array(80),
      ),
    );
    expect(bothLocales(long).zh).toBe('提示有 90 個詞元，在 80 個位置中已沒有空間放回應');
  });

  it('a reward formula refused, not finite, or with too long a word: coded, Chinese in zh-TW', () => {
    const base = presetById('length')!;
    const spec = { ...base, formula: base.formula, word: '', speaker: '' };
    const bad = compileReward({ ...spec, formula: 'lines >' });
    const inf = compileReward({ ...spec, formula: '1 / lines' });
    const long = compileReward({ ...spec, word: 'w'.repeat(41) });
    for (const r of [bad, inf, long]) {
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(isErrorCode(r.code), r.error).toBe(true);
      expect(shownError(r).text).toBe(r.error);
      bothLocales(r);
    }
    if (!inf.ok) {
      expect(inf.error).toMatch(
        /^The reward is not a finite number \(it gives Infinity\) for a text with lines = 0, /,
      );
      setLocale('zh-TW', { reload: false });
      expect(shownError(inf).text).toMatch(
        /^對於特徵為 lines = 0, .* 的文字，獎勵不是有限數（結果為 Infinity）。$/,
      );
    }
  });

  it('a run’s failure message from the training worker keeps its code (the page says it in zh-TW)', () => {
    const e = new TrainError('post_no_pairs', {});
    // what coordinator.ts posts: the English message plus the code and params
    const wire = structuredClone({
      kind: 'error',
      message: e.message,
      code: e.code,
      params: e.params,
    });
    setLocale('zh-TW', { reload: false });
    expect(errorString(wire)).toBe('沒有偏好對：每個提示的樣本獎勵都相同');
    expect(errorString({ kind: 'error', message: 'a bug' })).toBe('錯誤訊息（英文原文）： a bug');
  });

  it('the page’s own error, already in the reader’s language, shows with no lead-in', () => {
    setLocale('zh-TW', { reload: false });
    const e = new PageError(m.post_err_no_main());
    expect(hasChinese(e.message)).toBe(true);
    expect(shownError(e)).toEqual({ text: e.message, english: null });
  });
});

// ---------------------------------------------------------------------------------------------
// The source check: every error the trainer (src/train, the page's training and post-training
// workers) constructs is a coded one, `new TrainError('<code>', {...})` or
// `new FormulaError('<code>', {...})` with a real code, or one of the plain errors below, each a
// programming error (an invariant the code keeps) or a command-line-only one, with the reason;
// or the page's own `new PageError(m.<message>(…))`, already in the reader's language.
// A new `new Error(...)`, `Error(...)`, a message-only TrainError or a thrown string fails here
// until it gets a code or a line below.

/** `file: the start of the message's source text` -> why it stays a plain English Error. */
const PLAIN: Record<string, string> = {
  'src/train/config.ts: `internal: ${field} is required': 'a rule without a code: a bug',
  'src/train/post/losses.ts: `DPO needs rows in pairs': 'loops.ts always builds pairs',
  'src/train/post/losses.ts: `expected ${B} reference': 'loops.ts computes one per row',
  'src/train/post/losses.ts: `beta must be > 0': 'loops.ts checks beta first (post_beta)',
  "src/train/post/policy.ts: `the model's ${t.name} does": 'the layout is made from the model',
  'src/train/post/best-of-k.ts: `K must be a whole number': 'callers pass K from 1 to N',
  "src/train/post/best-of-k.ts: 'no samples to choose from'": 'callers skip empty groups',
  "src/train/post/sequences.ts: 'a prompt holds at least BOS'": 'TextCodec.prompt starts with BOS',
  'src/train/replica.ts: `training worker ${w} failed: $': 'a worker crash: the browser’s words',
  'src/train/replica.ts: `batch size ${o.B} is not a mult':
    'config checks it (train_cfg_batch_workers)',
  "src/train/replica.ts: 'internal: more than one worker ": 'a caller without spawn: a bug',
  "src/train/wasm-kernels.ts: 'internal: the generated Web": 'a bug in the kernel generator',
  'src/train/model.ts: `sequence length ${T} exceeds th': 'callers size batches from seq_len',
  'src/train/model.ts: `internal: no tensor ${name}`': 'a bug',
  'src/train/model.ts: `expected ${N} input tokens, go': 'callers fill whole batches',
  'src/train/model.ts: `token id ${inputs[n]} outside ': 'ids come from the same vocabulary',
  "src/train/pool.ts: 'internal: a request without dat": 'a bug in the message protocol',
  "src/train/pool.ts: 'internal: a request whose data ": 'a bug in the message protocol',
  'src/train/layout.ts: `internal: tensor ${n} missing': 'a bug',
  'src/train/kernels.ts: `unknown kernel kind ${String(': 'the CLI checks --kernels first',
  "src/lib/posttrain/worker.ts: 'the trainer has no tokenizer'": 'init sets it with the model',
};
/** The command-line tools: their usage errors are for a terminal, in English. */
const CLI_ONLY = new Set(['src/train/cli.ts', 'src/train/post/cli.ts', 'src/train/node-spawn.ts']);
const CODED = new Set(['TrainError', 'FormulaError', 'LlamaInputError']);

function sources(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
    );
  return [...walk('src/train'), ...walk('src/lib/train'), ...walk('src/lib/posttrain')]
    .map((f) => f.replaceAll('\\', '/'))
    .filter((f) => !CLI_ONLY.has(f));
}

/** Every error construction and thrown non-error in a file, as `file: message start` or a problem. */
function errorSites(
  file: string,
  text = readFileSync(file, 'utf8'),
): { plain: string[]; problems: string[]; coded: number } {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const plain: string[] = [];
  const problems: string[] = [];
  let coded = 0;
  const where = (n: ts.Node) =>
    `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node): void => {
    if (
      (ts.isNewExpression(n) || ts.isCallExpression(n)) &&
      ts.isIdentifier(n.expression) &&
      /Error$/.test(n.expression.text)
    ) {
      const name = n.expression.text;
      const args = n.arguments ?? ts.factory.createNodeArray();
      if (CODED.has(name)) {
        const code = args[0];
        // with two arguments TypeScript holds the first to ErrorCode (a rule's code in
        // config.ts); a literal must name a real one
        if (args.length === 2 && code && (!ts.isStringLiteral(code) || isErrorCode(code.text)))
          coded++;
        else problems.push(`${where(n)}: ${name} without a known code and params`);
      } else if (name === 'PageError') {
        // the page's own error: its message must be a message of the reader's language
        const first = args[0];
        const said =
          first !== undefined &&
          ts.isCallExpression(first) &&
          /^(m|msg)\.\w+$/.test(first.expression.getText(sf));
        if (!said) problems.push(`${where(n)}: PageError whose message is not a message call`);
      } else if (ts.isNewExpression(n) || name === 'Error') {
        const first = args[0] ? args[0].getText(sf).slice(0, 32) : '(no message)';
        plain.push(`${file}: ${first}`);
      }
    }
    if (ts.isThrowStatement(n) && n.expression) {
      const x = n.expression;
      const ok =
        ts.isNewExpression(x) ||
        ts.isIdentifier(x) ||
        (ts.isConditionalExpression(x) &&
          ts.isNewExpression(x.whenTrue) &&
          ts.isNewExpression(x.whenFalse));
      if (!ok) problems.push(`${where(n)}: throws ${x.getText(sf).slice(0, 40)}, not an error`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { plain, problems, coded };
}

describe('the trainer’s source', () => {
  it('every error a reader can cause is coded; each plain Error is listed with its reason', () => {
    const files = sources();
    expect(files).toContain('src/train/config.ts');
    expect(files).toContain('src/lib/posttrain/worker.ts');
    let coded = 0;
    const plain: string[] = [];
    const problems: string[] = [];
    for (const f of files) {
      const s = errorSites(f);
      coded += s.coded;
      plain.push(...s.plain);
      problems.push(...s.problems);
    }
    expect(problems).toEqual([]);
    const keys = Object.keys(PLAIN);
    const match = (site: string) => keys.find((k) => site.startsWith(k) || k.startsWith(site));
    expect(
      plain.filter((s) => !match(s)),
      'plain errors without a code or a reason',
    ).toEqual([]);
    expect(
      keys.filter((k) => !plain.some((s) => match(s) === k)),
      'stale entries',
    ).toEqual([]);
    expect(coded).toBeGreaterThanOrEqual(30);
  });

  it('the check catches an uncoded error, a message-only TrainError and a thrown string', () => {
    const probe = 'src/train/probe.ts';
    const src = [
      "throw new Error('the batch is too big');",
      "throw new TrainError('the batch is too big');",
      "throw new TrainError('no_such_code', {});",
      "throw 'the batch is too big';",
      "throw new TrainError('post_no_pairs', {});",
      "throw new PageError('not a message');",
      'throw new PageError(m.post_err_no_main());',
    ].join('\n');
    const sites = errorSites(probe, src); // parsed from the text, never written
    expect(sites.plain).toEqual([`${probe}: 'the batch is too big'`]);
    expect(sites.problems).toHaveLength(4);
    expect(sites.problems[3]).toMatch(/:6: PageError/);
    expect(sites.coded).toBe(1);
  });
});
