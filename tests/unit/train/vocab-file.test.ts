// `npm run train -- --tokenizer FILE`: a model trained on an existing tokenizer.bin (the draft model
// shares main's token ids this way). The vocabulary read back is the file's, byte for byte; train()
// uses it instead of learning one; a file in another layout is refused in words.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTokenizer } from '$engine/tokenizer.ts';
import { trainBpe } from '$train/bpe.ts';
import { parseTrainConfig } from '$train/config.ts';
import { train } from '$train/trainer.ts';
import { vocabFromTokenizerFile } from '$train/vocab-file.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const mainTok = readFileSync(join(root, 'assets/models/main/tokenizer.bin'));
const corpus = readFileSync(join(root, 'assets/data/tinyshakespeare.txt'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'llama-vocab-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vocabFromTokenizerFile', () => {
  it("reads main's tokenizer.bin into a vocabulary that writes back byte for byte", () => {
    const v = vocabFromTokenizerFile(mainTok, 512);
    expect(v.pieces).toHaveLength(512);
    expect(v.pieces[1]).toBe('\n<s>\n');
    expect(v.pieces[3 + 0x41]).toBe('<0x41>');
    expect(Buffer.from(writeTokenizer(v.pieces, v.scores))).toEqual(mainTok);
  });

  it('refuses a vocabulary without the byte-fallback layout, and a wrong size', () => {
    const v = trainBpe('hello world\n'.repeat(20), { vocabSize: 270 });
    const swapped = [...v.pieces];
    [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
    const bad = new Uint8Array(writeTokenizer(swapped, v.scores));
    expect(() => vocabFromTokenizerFile(bad, 270)).toThrow(
      /piece 3 is "<0x01>", expected .*<0x00>/,
    );
    expect(() => vocabFromTokenizerFile(mainTok, 600)).toThrow(/shorter|pieces|end/);
    expect(() => vocabFromTokenizerFile(mainTok, 300)).toThrow(/more than .* \(300\) pieces/);
  });

  it('train() uses the given vocabulary instead of learning one', async () => {
    const tc = parseTrainConfig({
      model: { dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, seq_len: 16 },
      vocab_size: 512,
      train: { steps: 1, batch_size: 2, workers: 1, eval_interval: 1 },
    });
    const vocab = vocabFromTokenizerFile(mainTok, 512);
    // a text whose own BPE would differ from main's (main's was learned on the whole corpus)
    const text = corpus.slice(0, 20_000);
    const r = await train(tc, text, { vocab, kernels: 'js' });
    expect(r.vocab).toBe(vocab);
    const own = await train(tc, text, { kernels: 'js' });
    expect(own.vocab.pieces).not.toEqual(vocab.pieces);
  });
});

describe('npm run train -- --tokenizer', () => {
  const cfg = join(dir, 'cfg.json');
  writeFileSync(
    cfg,
    JSON.stringify({
      model: { dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, seq_len: 16 },
      vocab_size: 300,
      train: { steps: 1, batch_size: 2, workers: 1 },
    }),
  );
  const text = join(dir, 'text.txt');
  writeFileSync(text, corpus.slice(0, 5000));
  const run = (...args: string[]) =>
    spawnSync('npx', ['tsx', 'src/train/cli.ts', '--data', text, '--config', cfg, ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('a missing tokenizer file, or one of another vocab size, is an error in words', () => {
    const r = run('--out', join(dir, 'o'), '--tokenizer', join(dir, 'none.bin'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/tokenizer file .*none\.bin does not exist/);
    // main's 512 pieces against a config of vocab_size 300
    const r2 = run('--out', join(dir, 'o2'), '--tokenizer', 'assets/models/main/tokenizer.bin');
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/more than the config's vocab_size \(300\) pieces/);
    expect(r2.stderr).not.toMatch(/\n\s+at /);
  });
});
