import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError, TokenizerError } from '$engine/errors.ts';
import {
  loadCheckpointFile,
  loadTokenizerFile,
  saveModelFile,
  saveTokenizerFile,
  sidecarPathFor,
} from '$node/files.ts';
import { fixturePath } from '../../helpers/fixtures.ts';
import { randomModel } from '../../helpers/random-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'llama-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function message(fn: () => unknown, cls: new (...a: never[]) => Error): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('node file helpers', () => {
  it('loads the fixture with run.c defaults (no sidecar beside it)', () => {
    const loaded = loadCheckpointFile(fixturePath('random-s.bin'));
    expect(loaded.sidecarPath).toBeNull();
    expect(loaded.bytes).toBe(1056540);
    expect(loaded.model.config.normEps).toBe(1e-5);
  });

  it('sidecarPathFor puts model.json beside model.bin', () => {
    expect(sidecarPathFor('/a/b/model.bin')).toBe('/a/b/model.json');
    expect(sidecarPathFor('/a/b/model')).toBe('/a/b/model.json');
  });

  it('saveModelFile writes the checkpoint and its sidecar, which load back the same config', () => {
    const m = randomModel({
      ffn: 'mlp',
      activation: 'relu',
      normEps: 1e-6,
      ropeBase: 500000,
      nLayers: 1,
      vocabSize: 40,
      seqLen: 8,
    });
    const path = join(dir, 'mlp.bin');
    saveModelFile(path, m, 1);
    const back = loadCheckpointFile(path);
    expect(back.sidecarPath).toBe(join(dir, 'mlp.json'));
    expect(back.model.config).toEqual(m.config);
    expect(back.model.fileVersion).toBe(1);
    expect(back.model.weights.w1).toEqual(m.weights.w1);
  });

  it('an explicit sidecar path wins over the one beside the model', () => {
    const m = randomModel({ nLayers: 1, vocabSize: 40, seqLen: 8 });
    const path = join(dir, 'plain.bin');
    saveModelFile(path, m);
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ norm_eps: 1e-3 }));
    expect(loadCheckpointFile(path, other).model.config.normEps).toBe(1e-3);
  });

  it('errors name the path and say what is wrong', () => {
    const missing = join(dir, 'nope.bin');
    expect(message(() => loadCheckpointFile(missing), CheckpointError)).toBe(
      `cannot read checkpoint ${missing}: no such file`,
    );
    const sub = join(dir, 'adir');
    mkdirSync(sub);
    expect(message(() => loadCheckpointFile(sub), CheckpointError)).toBe(
      `cannot read checkpoint ${sub}: it is a directory`,
    );
    const short = join(dir, 'short.bin');
    writeFileSync(short, new Uint8Array(10));
    expect(message(() => loadCheckpointFile(short), CheckpointError)).toBe(
      `${short}: checkpoint is truncated: expected at least 28 bytes of header, got 10`,
    );
    const m = randomModel({ nLayers: 1, vocabSize: 40, seqLen: 8 });
    const withBad = join(dir, 'badside.bin');
    saveModelFile(withBad, m);
    writeFileSync(join(dir, 'badside.json'), '{"norm_eps": 1e-5,');
    expect(message(() => loadCheckpointFile(withBad), CheckpointError)).toMatch(
      new RegExp(`^${join(dir, 'badside.json')}: not valid JSON \\(`),
    );
    writeFileSync(join(dir, 'badside.json'), '{"ffn": "moe"}');
    expect(message(() => loadCheckpointFile(withBad), CheckpointError)).toBe(
      `${join(dir, 'badside.json')}: sidecar field "ffn" must be one of "swiglu", "mlp", got "moe"`,
    );
  });

  it('tokenizers: load, save, and errors with the path', () => {
    const tok = loadTokenizerFile(fixturePath('tok512.bin'), 512);
    const path = join(dir, 'tok.bin');
    saveTokenizerFile(path, tok.pieces, tok.scores);
    expect(loadTokenizerFile(path, 512).keys).toEqual(tok.keys);
    expect(message(() => loadTokenizerFile(fixturePath('tok512.bin'), 600), TokenizerError)).toBe(
      `${fixturePath('tok512.bin')}: tokenizer holds only 512 pieces, but the model's vocab_size is 600 (tokenizer and model do not match)`,
    );
    expect(message(() => loadTokenizerFile(join(dir, 'none.bin'), 5), TokenizerError)).toMatch(
      /no such file/,
    );
  });
});
