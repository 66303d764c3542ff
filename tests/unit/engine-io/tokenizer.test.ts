import { describe, expect, it } from 'vitest';
import { TokenizerError } from '$engine/errors.ts';
import {
  decode,
  encode,
  parseTokenizer,
  pieceText,
  runcPrintedBytes,
  safePiece,
  scanBytePiece,
  StreamingDecoder,
  writeTokenizer,
  type Tokenizer,
} from '$engine/tokenizer.ts';
import {
  encodeCases,
  fixtureBytes,
  fixtureText,
  FIXTURE_PROMPT,
  greedyRun,
  sampledRun,
} from '../../helpers/fixtures.ts';
import { testRandom } from '../../helpers/random-model.ts';

const tok = parseTokenizer(fixtureBytes('tok512.bin'), 512);
const bytes = (s: string) => new TextEncoder().encode(s);

/**
 * A literal transcription of run.c's encode (re-looking-up every pair after each merge), kept
 * deliberately naive as the reference for the incremental merge in tokenizer.ts.
 */
function naiveEncode(t: Tokenizer, text: Uint8Array, bos: boolean, eos: boolean): number[] {
  const key = (b: Uint8Array) => String.fromCharCode(...b);
  const out: number[] = [];
  if (bos) out.push(1);
  const nul = text.indexOf(0);
  const txt = nul < 0 ? text : text.subarray(0, nul);
  if (txt.length > 0) out.push(t.lookup.get(' ')!);
  let buf: number[] = [];
  for (let c = 0; c < txt.length; c++) {
    if ((txt[c] & 0xc0) !== 0x80) buf = [];
    buf.push(txt[c]);
    const next = c + 1 < txt.length ? txt[c + 1] : 0;
    if ((next & 0xc0) === 0x80 && buf.length < 4) continue;
    const id = t.lookup.get(key(Uint8Array.from(buf)));
    if (id !== undefined) out.push(id);
    else for (const b of buf) out.push(b + 3);
    buf = [];
  }
  for (;;) {
    let best = -1e10;
    let bestId = -1;
    let bestIdx = -1;
    for (let i = 0; i < out.length - 1; i++) {
      const id = t.lookup.get(t.keys[out[i]] + t.keys[out[i + 1]]);
      if (id !== undefined && t.scores[id] > best) {
        best = t.scores[id];
        bestId = id;
        bestIdx = i;
      }
    }
    if (bestIdx === -1) break;
    out.splice(bestIdx, 2, bestId);
  }
  if (eos) out.push(2);
  return out;
}

function tokErr(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TokenizerError);
    return (e as Error).message;
  }
  throw new Error('expected a TokenizerError');
}

describe('parseTokenizer', () => {
  it('reads tok512.bin: specials, byte pieces, merges, single characters', () => {
    expect(tok.vocabSize).toBe(512);
    expect(tok.trailingBytes).toBe(0);
    expect(pieceText(tok, 0)).toBe('<unk>');
    expect(pieceText(tok, 1)).toBe('\n<s>\n');
    expect(pieceText(tok, 2)).toBe('\n</s>\n');
    for (let b = 0; b < 256; b++) {
      expect(pieceText(tok, b + 3)).toBe(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    }
    expect(tok.lookup.get(' ')).toBeDefined();
    const longest = Math.max(...tok.pieces.map((p) => p.length));
    expect(tok.maxTokenLength).toBeGreaterThanOrEqual(longest);
  });

  it('reads only vocab_size entries and reports what is left over', () => {
    const small = parseTokenizer(fixtureBytes('tok512.bin'), 300);
    expect(small.vocabSize).toBe(300);
    expect(small.trailingBytes).toBeGreaterThan(0);
  });

  it('writeTokenizer reproduces tok512.bin byte for byte, and round-trips', () => {
    const file = fixtureBytes('tok512.bin');
    const out = writeTokenizer(tok.pieces, tok.scores);
    expect(new Uint8Array(out)).toEqual(new Uint8Array(file));
    const back = parseTokenizer(writeTokenizer(['a', 'b', ' ', 'ab'], [0, 0, 0, -1]), 4);
    expect(back.pieces.map((p) => new TextDecoder().decode(p))).toEqual(['a', 'b', ' ', 'ab']);
    expect(Array.from(back.scores)).toEqual([0, 0, 0, -1]);
    expect(back.maxTokenLength).toBe(2);
  });

  it('writeTokenizer rejects duplicates, NUL bytes, NaN scores, mismatched lengths', () => {
    expect(tokErr(() => writeTokenizer(['a', 'a'], [0, 0]))).toBe(
      'writeTokenizer: pieces 0 and 1 are the same bytes',
    );
    expect(tokErr(() => writeTokenizer(['a\0b'], [0]))).toMatch(/piece 0 contains a NUL byte/);
    expect(tokErr(() => writeTokenizer(['a'], [NaN]))).toMatch(/score of piece 0 is NaN/);
    expect(tokErr(() => writeTokenizer(['a'], [0, 1]))).toMatch(/1 pieces but 2 scores/);
  });

  it('a tokenizer shorter than the vocab is a clear error', () => {
    expect(tokErr(() => parseTokenizer(fixtureBytes('tok512.bin'), 513))).toBe(
      "tokenizer holds only 512 pieces, but the model's vocab_size is 513 (tokenizer and model do not match)",
    );
    expect(tokErr(() => parseTokenizer(new ArrayBuffer(2), 10))).toBe(
      'tokenizer is truncated: expected at least 4 bytes for max_token_length, got 2',
    );
    const file = fixtureBytes('tok512.bin');
    expect(tokErr(() => parseTokenizer(file.slice(0, 4 + 5), 512))).toMatch(
      /truncated inside entry 0: expected 8 bytes of score and length at byte 4, got 5/,
    );
    expect(tokErr(() => parseTokenizer(file.slice(0, 4 + 8 + 2), 512))).toMatch(
      /truncated inside entry 0: its length says 5 bytes, only 2 remain/,
    );
  });

  it('bad lengths and bad vocab sizes are clear errors', () => {
    const file = fixtureBytes('tok512.bin').slice(0);
    new DataView(file).setInt32(8, -7, true);
    expect(tokErr(() => parseTokenizer(file, 512))).toMatch(/entry 0 has a negative length -7/);
    const huge = fixtureBytes('tok512.bin').slice(0);
    new DataView(huge).setInt32(8, 2 ** 31 - 1, true);
    expect(tokErr(() => parseTokenizer(huge, 512))).toMatch(/its length says 2147483647 bytes/);
    expect(tokErr(() => parseTokenizer(fixtureBytes('tok512.bin'), 0))).toMatch(/positive integer/);
    expect(tokErr(() => parseTokenizer(fixtureBytes('tok512.bin'), 1.5))).toMatch(
      /positive integer/,
    );
  });
});

describe('encode', () => {
  it.each(encodeCases().map((c) => [JSON.stringify(c.text), c.text, c.ids] as const))(
    'matches run.c for %s',
    (_label, text, ids) => {
      expect(encode(tok, text, true, false)).toEqual(ids);
    },
  );

  it('encodes the fixture prompt to greedy.json prompt_ids', () => {
    expect(encode(tok, FIXTURE_PROMPT, true, false)).toEqual(greedyRun().prompt_ids);
  });

  it('bos/eos flags', () => {
    expect(encode(tok, '', false, false)).toEqual([]);
    expect(encode(tok, '', true, true)).toEqual([1, 2]);
    const a = encode(tok, 'a', false, true);
    expect(a[a.length - 1]).toBe(2);
    expect(a[0]).not.toBe(1);
  });

  it('falls back to bytes b+3 for characters not in the vocab, chunks capped at 4 bytes', () => {
    // U+1F600 is F0 9F 98 80; five continuation bytes split as 4 + 1.
    const ids = encode(tok, Uint8Array.of(0x80, 0x81, 0x82, 0x83, 0x84), false, false);
    expect(ids.slice(1)).toEqual([0x83, 0x84, 0x85, 0x86, 0x87]);
    expect(encode(tok, bytes('😀'), false, false).slice(1)).toEqual([243, 162, 155, 131]);
  });

  it('stops at a NUL, as run.c reads a C string', () => {
    expect(encode(tok, 'ab\0cd', true, false)).toEqual(encode(tok, 'ab', true, false));
  });

  it('agrees with a naive transcription of run.c on 400 random texts (UTF-8, emoji, bad bytes)', () => {
    const rand = testRandom(5);
    const alphabet = [
      ...'the quick brown fox, THE LAZY dog!\n\t?<0x41>',
      'é',
      'ß',
      '数',
      '😀',
      '👍🏽',
    ];
    for (let i = 0; i < 400; i++) {
      let text: Uint8Array;
      if (i % 4 === 3) {
        text = Uint8Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256));
      } else {
        let s = '';
        const n = Math.floor(rand() * 60);
        for (let k = 0; k < n; k++) s += alphabet[Math.floor(rand() * alphabet.length)];
        text = bytes(s);
      }
      expect(encode(tok, text, true, i % 2 === 0)).toEqual(
        naiveEncode(tok, text, true, i % 2 === 0),
      );
    }
  });

  it('merges by highest score with leftmost ties, never below -1e10', () => {
    // Hand-made vocab: "ab" and "bc" tie; "abc" scores below -1e10.
    const t = parseTokenizer(
      writeTokenizer(
        ['<unk>', 'x', 'y', ' ', 'a', 'b', 'c', 'ab', 'bc', ' ab', 'abc'],
        [0, 0, 0, 0, 0, 0, 0, -1, -1, -2, -2e10],
      ),
      11,
    );
    // " " a b c -> ab (leftmost of the tie ab/bc, after " a" which does not exist) -> " ab" -> stop.
    expect(encode(t, 'abc', false, false)).toEqual([9, 6]);
    // missing " " piece: run.c would emit -1; we say what is wrong.
    const noSpace = parseTokenizer(writeTokenizer(['<unk>', 'x', 'y', 'a'], [0, 0, 0, 0]), 4);
    expect(tokErr(() => encode(noSpace, 'a', true, false))).toMatch(/no " " piece/);
    expect(encode(noSpace, '', true, false)).toEqual([1]);
  });

  it('a byte fallback outside a small vocab is an error, not a bad id', () => {
    const t = parseTokenizer(writeTokenizer(['<unk>', 'x', 'y', ' ', 'a'], [0, 0, 0, 0, 0]), 5);
    expect(tokErr(() => encode(t, 'é', false, false))).toMatch(
      /cannot encode byte 0xc3: byte fallback id 198 is outside the vocab of 5/,
    );
  });
});

describe('decode and printing', () => {
  it('strips one leading space after BOS only', () => {
    const space = tok.lookup.get(' t')!;
    expect(decode(tok, 1, space)).toEqual(bytes('t'));
    expect(decode(tok, 5, space)).toEqual(bytes(' t'));
  });

  it('turns <0xHH> pieces into their raw byte, byte 0 into nothing', () => {
    expect(decode(tok, 5, 0x41 + 3)).toEqual(Uint8Array.of(0x41));
    expect(decode(tok, 5, 0xf0 + 3)).toEqual(Uint8Array.of(0xf0));
    expect(decode(tok, 5, 3)).toEqual(new Uint8Array(0));
  });

  it('scanBytePiece follows sscanf("<0x%02hhX>")', () => {
    const s = (x: string) => scanBytePiece(bytes(x));
    expect(s('<0x0A>')).toBe(10);
    expect(s('<0xff>')).toBe(255);
    expect(s('<0x4')).toBe(4); // closing '>' not checked
    expect(s('<0x41x')).toBe(0x41);
    expect(s('<0x123>')).toBe(0x12); // width 2
    expect(s('<0x A>')).toBe(10); // %X skips white space
    expect(s('<0x-1>')).toBe(255); // signed, stored as unsigned char
    expect(s('<0xZZ>')).toBe(-1);
    expect(s('<0x>')).toBe(-1);
    expect(s('<1x41>')).toBe(-1);
    expect(s('hello')).toBe(-1);
  });

  it('safe_printf filter: drops empty and unprintable single bytes, keeps everything else', () => {
    expect(safePiece(Uint8Array.of(0x80))).toEqual(new Uint8Array(0));
    expect(safePiece(Uint8Array.of(0x07))).toEqual(new Uint8Array(0));
    expect(safePiece(Uint8Array.of(0x0a))).toEqual(Uint8Array.of(0x0a));
    expect(safePiece(Uint8Array.of(0x7e))).toEqual(Uint8Array.of(0x7e));
    expect(safePiece(Uint8Array.of(0x7f))).toEqual(new Uint8Array(0));
    expect(safePiece(bytes('é'))).toEqual(bytes('é'));
  });

  it('out-of-range ids are a TokenizerError', () => {
    expect(tokErr(() => decode(tok, 1, 512))).toBe(
      'token id 512 is out of range for a vocab of 512',
    );
    expect(tokErr(() => decode(tok, 1, -1))).toMatch(/out of range/);
  });

  it('reproduces greedy.txt byte for byte from the fixture ids', () => {
    const run = greedyRun();
    const printed = runcPrintedBytes(tok, [...run.prompt_ids, ...run.gen_ids]);
    expect(Buffer.from(printed).equals(Buffer.from(fixtureText('greedy.txt')))).toBe(true);
  });

  it('reproduces sample-t1-p09-s42.txt byte for byte from the fixture ids', () => {
    const run = sampledRun();
    const printed = runcPrintedBytes(tok, [...run.prompt_ids, ...run.gen_ids]);
    expect(Buffer.from(printed).equals(Buffer.from(fixtureText('sample-t1-p09-s42.txt')))).toBe(
      true,
    );
  });

  it('run.c printing stops before a BOS', () => {
    const a = tok.lookup.get('a')!;
    expect(runcPrintedBytes(tok, [1, a, a, 1, a])).toEqual(bytes('aa\n'));
  });

  it('the streaming decoder gives real UTF-8 text back, emoji included', () => {
    for (const c of encodeCases()) {
      const d = new StreamingDecoder(tok);
      let text = '';
      for (let i = 1; i < c.ids.length; i++) text += d.push(c.ids[i - 1], c.ids[i]);
      text += d.flush();
      expect(text).toBe(c.text);
    }
    const d = new StreamingDecoder(tok);
    expect(d.push(5, 0xf0 + 3)).toBe('');
    expect(d.push(5, 0x9f + 3)).toBe('');
    expect(d.push(5, 0x98 + 3)).toBe('');
    expect(d.push(5, 0x80 + 3)).toBe('😀');
    expect(d.push(5, 0xe6 + 3)).toBe('');
    expect(d.flush()).toBe('\ufffd');
  });
});

describe('fuzz: corrupted tokenizer files', () => {
  it('300 corruptions each end in a Tokenizer or a TokenizerError', () => {
    const file = new Uint8Array(fixtureBytes('tok512.bin'));
    const rand = testRandom(77);
    let errors = 0;
    for (let i = 0; i < 300; i++) {
      let f = file.slice(0, i % 3 === 0 ? Math.floor(rand() * file.length) : file.length);
      for (let k = 0; k < 3; k++) f[Math.floor(rand() * f.length)] = Math.floor(rand() * 256);
      if (i % 5 === 0) f = f.slice(0, 4 + Math.floor(rand() * 40));
      try {
        const t = parseTokenizer(f, 512);
        expect(t.pieces).toHaveLength(512);
        encode(t, 'Hello, world!', true, false);
      } catch (e) {
        if (!(e instanceof TokenizerError))
          throw new Error(`case ${i}: ${String(e)}`, { cause: e });
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(50);
    expect(errors).toBeLessThan(300);
  });
});
