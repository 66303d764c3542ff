// The loader tells the checkpoint from the tokenizer by their contents, whatever their names and
// sizes, and names the file at fault (truncated, or not a model file at all) in words.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HEAD_BYTES,
  MAX_CHECKPOINT_BYTES,
  blame,
  classifyFiles,
  sniffFile,
  type FileLike,
} from '$lib/model-files.ts';

const fixtures = new URL('../../fixtures/llama2c/', import.meta.url);
const models = new URL('../../../assets/models/', import.meta.url);
const bytes = (u: URL) => new Uint8Array(readFileSync(u));

const randomS = bytes(new URL('random-s.bin', fixtures)); // legacy v0 checkpoint
const tok512 = bytes(new URL('tok512.bin', fixtures));
const main = bytes(new URL('main/model.bin', models));
const mainTok = bytes(new URL('main/tokenizer.bin', models));
const mlp = bytes(new URL('gelu-mlp/model.bin', models));
const sidecar = bytes(new URL('main/model.json', models));
// the first bytes of a real PNG (signature + IHDR)
const png = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0,
  0,
  0,
  13,
  0x49,
  0x48,
  0x44,
  0x52,
  0,
  0,
  1,
  0,
  0,
  0,
  1,
  0,
  8,
  6,
  0,
  0,
  0,
  0x5c,
  0x72,
  0xa8,
  0x66,
  ...new Array<number>(200).fill(7),
]);

function file(name: string, data: Uint8Array, size = data.length): FileLike {
  return { name, size, head: data.subarray(0, HEAD_BYTES) };
}

describe('sniffFile', () => {
  it('recognises checkpoints (v0 and v1), tokenizers and sidecars by content', () => {
    expect(sniffFile(randomS.subarray(0, HEAD_BYTES), randomS.length)).toMatchObject({
      kind: 'checkpoint',
    });
    expect(sniffFile(main.subarray(0, HEAD_BYTES), main.length)).toMatchObject({
      kind: 'checkpoint',
    });
    expect(sniffFile(mlp.subarray(0, HEAD_BYTES), mlp.length)).toMatchObject({
      kind: 'checkpoint',
    });
    expect(sniffFile(tok512.subarray(0, HEAD_BYTES), tok512.length)).toEqual({ kind: 'tokenizer' });
    expect(sniffFile(mainTok.subarray(0, HEAD_BYTES), mainTok.length)).toEqual({
      kind: 'tokenizer',
    });
    expect(sniffFile(sidecar, sidecar.length)).toEqual({ kind: 'sidecar' });
    expect(sniffFile(png, png.length)).toEqual({ kind: 'foreign', what: 'a PNG image' });
    expect(sniffFile(new TextEncoder().encode('Hello, this is a README file.\n'), 30)).toEqual({
      kind: 'foreign',
      what: 'a text file',
    });
  });

  it('the complete checkpoint sizes it expects include the real file sizes', () => {
    for (const m of [randomS, main, mlp]) {
      const k = sniffFile(m.subarray(0, HEAD_BYTES), m.length);
      expect(k.kind === 'checkpoint' && k.sizes.includes(m.length)).toBe(true);
    }
  });
});

describe('classifyFiles', () => {
  it('does not go by names: tok512.bin is the tokenizer, a renamed pair is sorted out', () => {
    const r = classifyFiles([file('tok512.bin', tok512), file('random-s.bin', randomS)]);
    expect(r.checkpoint?.name).toBe('random-s.bin');
    expect(r.tokenizer?.name).toBe('tok512.bin');
    expect(r.problems).toEqual([]);
    // names swapped on purpose: contents decide
    const swapped = classifyFiles([
      file('tokenizer.bin', main),
      file('model.bin', mainTok),
      file('notes.txt', sidecar),
    ]);
    expect(swapped.checkpoint?.name).toBe('tokenizer.bin');
    expect(swapped.tokenizer?.name).toBe('model.bin');
    expect(swapped.sidecar?.name).toBe('notes.txt');
  });

  it('does not go by sizes: a checkpoint smaller than its tokenizer is still the checkpoint', () => {
    // a 1 MB model with a tokenizer padded past it would have fooled "largest is the model"
    const r = classifyFiles([file('a.bin', mainTok, 5_000_000), file('b.bin', main)]);
    expect(r.checkpoint?.name).toBe('b.bin');
    expect(r.tokenizer?.name).toBe('a.bin');
  });

  it('names a truncated checkpoint as the file at fault, and never the good file', () => {
    const cut = main.subarray(0, 500_000);
    const r = classifyFiles([file('model.bin', cut), file('tokenizer.bin', mainTok)]);
    expect(r.checkpoint).toBeUndefined();
    expect(r.tokenizer?.name).toBe('tokenizer.bin');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(
      /^model\.bin is a truncated checkpoint: its header describes a model \(dim 64, 5 layers, 4 heads, vocabulary 512\) of [\d,]+ bytes, but the file has only 500,000 bytes/,
    );
    expect(r.problems[0]).not.toContain('tokenizer.bin');
  });

  it('names a picture renamed .bin as not a model file at all', () => {
    const r = classifyFiles([file('model.bin', png), file('tokenizer.bin', mainTok)]);
    expect(r.checkpoint).toBeUndefined();
    expect(r.tokenizer?.name).toBe('tokenizer.bin');
    expect(r.problems).toEqual([
      'model.bin is not a model file at all: it is a PNG image, neither a llama2.c checkpoint nor a tokenizer.bin.',
    ]);
    const junk = classifyFiles([file('x.bin', new Uint8Array(64).fill(0xff))]);
    expect(junk.problems[0]).toMatch(/^x\.bin is neither a llama2\.c checkpoint nor a tokenizer/);
  });

  it('explains empty, oversized and doubled files', () => {
    const r = classifyFiles([
      file('empty.bin', new Uint8Array(0)),
      file('huge.bin', main, MAX_CHECKPOINT_BYTES + 4),
      file('t1.bin', tok512),
      file('t2.bin', mainTok),
    ]);
    expect(r.problems.join('\n')).toMatch(/empty\.bin is empty/);
    expect(r.problems.join('\n')).toMatch(
      /huge\.bin is 2\.00 GB: the in-page engine can hold at most/,
    );
    expect(r.problems.join('\n')).toMatch(/Two tokenizers given: kept t1\.bin, ignored t2\.bin\./);
  });
});

describe('blame', () => {
  const roles = classifyFiles([file('m.bin', main), file('tok512.bin', mainTok)]);
  it('puts an engine error on the file it concerns', () => {
    expect(blame('tokenizer holds only 3 pieces, but ...', roles)).toBe(
      'tok512.bin: tokenizer holds only 3 pieces, but ...',
    );
    expect(blame('checkpoint is truncated: ...', roles)).toBe(
      'm.bin: checkpoint is truncated: ...',
    );
    expect(blame('the worker crashed', roles)).toBe('the worker crashed');
  });
});
