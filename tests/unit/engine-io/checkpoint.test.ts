import { describe, expect, it } from 'vitest';
import {
  checkpointBytes,
  parseCheckpoint,
  V0_HEADER_BYTES,
  V1_HEADER_BYTES,
  V1_MAGIC,
} from '$engine/checkpoint.ts';
import { allocateModel, writeCheckpoint } from '$engine/checkpoint-write.ts';
import { countParams, sidecarOf, validateSidecar } from '$engine/config.ts';
import { CheckpointError } from '$engine/errors.ts';
import type { Model, Weights } from '$engine/types.ts';
import { fixtureBytes, greedyRun } from '../../helpers/fixtures.ts';
import { randomModel, testConfig } from '../../helpers/random-model.ts';

const TENSORS: (keyof Weights)[] = [
  'tokenEmbedding',
  'rmsAtt',
  'wq',
  'wk',
  'wv',
  'wo',
  'rmsFfn',
  'w1',
  'w2',
  'w3',
  'rmsFinal',
  'wcls',
];

function expectSameWeights(a: Model, b: Model) {
  for (const name of TENSORS) {
    const x = a.weights[name];
    const y = b.weights[name];
    if (x === null || y === null) {
      expect(x, name).toBeNull();
      expect(y, name).toBeNull();
      continue;
    }
    expect(y.length, name).toBe(x.length);
    expect(
      Buffer.from(y.buffer, y.byteOffset, y.byteLength).equals(
        Buffer.from(x.buffer, x.byteOffset, x.byteLength),
      ),
      name,
    ).toBe(true);
  }
}

/** A small model, written as a file of the given version, with a header field overwritten. */
function smallFile(version: 0 | 1 = 0, shared = true): ArrayBuffer {
  const m = randomModel(
    {
      dim: 16,
      hiddenDim: 24,
      nLayers: 2,
      nHeads: 4,
      nKvHeads: 2,
      vocabSize: 32,
      seqLen: 8,
      sharedClassifier: shared,
    },
    7,
  );
  return writeCheckpoint(m, version);
}

function withInt(buf: ArrayBuffer, byte: number, value: number): ArrayBuffer {
  const copy = buf.slice(0);
  new DataView(copy).setInt32(byte, value, true);
  return copy;
}

function errorOf(fn: () => unknown): CheckpointError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return e as CheckpointError;
  }
  throw new Error('expected a CheckpointError, got a result');
}

describe('parseCheckpoint on the fixture random-s.bin', () => {
  const buf = fixtureBytes('random-s.bin');
  const model = parseCheckpoint(buf);
  const run = greedyRun();

  it('reads the config greedy.json was produced with, and run.c defaults', () => {
    const c = model.config;
    expect({
      dim: c.dim,
      hidden_dim: c.hiddenDim,
      n_layers: c.nLayers,
      n_heads: c.nHeads,
      n_kv_heads: c.nKvHeads,
      vocab_size: c.vocabSize,
      seq_len: c.seqLen,
    }).toEqual(run.config);
    expect(c.sharedClassifier).toBe(true);
    expect(sidecarOf(c)).toEqual({
      norm_eps: 1e-5,
      rope_base: 10000,
      norm: 'rmsnorm',
      ffn: 'swiglu',
      activation: 'silu',
      position: 'rope',
    });
    expect(model.fileVersion).toBe(0);
  });

  it('makes views into the given buffer (no copy), at the offsets of the v0 layout', () => {
    const w = model.weights;
    const c = model.config;
    const view = new DataView(buf);
    for (const name of TENSORS) {
      const t = w[name];
      expect(t?.buffer, name).toBe(buf);
    }
    expect(w.wcls).toBe(w.tokenEmbedding);
    expect(w.tokenEmbedding.byteOffset).toBe(28);
    expect(w.tokenEmbedding[0]).toBe(view.getFloat32(28, true));
    // rms_final sits after emb, 2 norms, wq, wk, wv, wo, w1, w2, w3 (all layers each).
    const kv = (c.dim * c.nKvHeads) / c.nHeads;
    const L = c.nLayers;
    const before =
      c.vocabSize * c.dim +
      2 * L * c.dim +
      2 * L * c.dim * c.dim +
      2 * L * kv * c.dim +
      3 * L * c.hiddenDim * c.dim;
    expect(w.rmsFinal.byteOffset).toBe(28 + 4 * before);
    expect(w.rmsFinal[c.dim - 1]).toBe(view.getFloat32(28 + 4 * (before + c.dim - 1), true));
    expect(w.wk.length).toBe(L * kv * c.dim);
  });

  it('counts parameters as the file minus header and freq_cis leftovers', () => {
    const c = model.config;
    const freqCis = c.seqLen * (c.dim / c.nHeads);
    expect(model.nParams).toBe((buf.byteLength - 28) / 4 - freqCis);
  });

  it('writes the fixture back: identical header and tensors, freq_cis within float32 rounding', () => {
    const out = writeCheckpoint(model);
    expect(out.byteLength).toBe(buf.byteLength);
    expect(new Uint8Array(out, 0, 28)).toEqual(new Uint8Array(buf, 0, 28));
    expectSameWeights(parseCheckpoint(out), model);
    const c = model.config;
    const freqStart = (model.weights.rmsFinal.byteOffset + 4 * c.dim) / 4;
    const n = c.seqLen * (c.dim / c.nHeads);
    const a = new Float32Array(buf, 4 * freqStart, n);
    const b = new Float32Array(out, 4 * freqStart, n);
    let maxErr = 0;
    for (let i = 0; i < n; i++) maxErr = Math.max(maxErr, Math.abs(a[i] - b[i]));
    expect(maxErr).toBeLessThan(1e-5);
  });

  it('accepts a misaligned typed-array view by copying it', () => {
    const bytes = new Uint8Array(buf.byteLength + 1);
    bytes.set(new Uint8Array(buf), 1);
    const m = parseCheckpoint(bytes.subarray(1));
    expectSameWeights(m, model);
  });
});

describe('writeCheckpoint / parseCheckpoint round trip', () => {
  const cases = [
    { name: 'v0 shared', version: 0 as const, overrides: {} },
    { name: 'v0 separate classifier', version: 0 as const, overrides: { sharedClassifier: false } },
    { name: 'v1 shared', version: 1 as const, overrides: {} },
    { name: 'v1 separate classifier', version: 1 as const, overrides: { sharedClassifier: false } },
    {
      name: 'v0 mlp FFN, no w3',
      version: 0 as const,
      overrides: { ffn: 'mlp' as const, activation: 'gelu' as const },
    },
    { name: 'v1 mlp FFN, no w3', version: 1 as const, overrides: { ffn: 'mlp' as const } },
    { name: 'v0 MHA (n_kv_heads = n_heads)', version: 0 as const, overrides: { nKvHeads: 8 } },
  ];
  for (const { name, version, overrides } of cases) {
    it(name, () => {
      const m = randomModel({ ...overrides, nLayers: 2, vocabSize: 40, seqLen: 16 }, 3);
      const file = writeCheckpoint(m, version);
      expect(file.byteLength).toBe(checkpointBytes(m.config, version));
      const back = parseCheckpoint(file, sidecarOf(m.config));
      expect(back.config).toEqual(m.config);
      expect(back.fileVersion).toBe(version);
      expect(back.nParams).toBe(countParams(m.config));
      expectSameWeights(back, m);
      if (m.config.sharedClassifier) expect(back.weights.wcls).toBe(back.weights.tokenEmbedding);
      else expect(back.weights.wcls).not.toBe(back.weights.tokenEmbedding);
    });
  }

  it('writes a negative vocab_size for a separate classifier (v0), a flag byte for v1', () => {
    const m = randomModel({ sharedClassifier: false, nLayers: 1, vocabSize: 40, seqLen: 8 }, 1);
    expect(new DataView(writeCheckpoint(m, 0)).getInt32(20, true)).toBe(-40);
    const v1 = new DataView(writeCheckpoint(m, 1));
    expect(v1.getUint32(0, true)).toBe(V1_MAGIC);
    expect(v1.getInt32(4, true)).toBe(1);
    expect(v1.getInt32(28, true)).toBe(40);
    expect(v1.getUint8(36)).toBe(0);
  });

  it('writes freq_cis as cos then sin of pos * base^(-2j/hs)', () => {
    const m = randomModel({ nLayers: 1, vocabSize: 40, seqLen: 8 }, 1);
    const file = writeCheckpoint(m, 0);
    const back = parseCheckpoint(file);
    const hs = m.config.dim / m.config.nHeads;
    const start = back.weights.rmsFinal.byteOffset + 4 * m.config.dim;
    const re = new Float32Array(file, start, (8 * hs) / 2);
    const im = new Float32Array(file, start + 4 * re.length, re.length);
    const pos = 5;
    const j = 1;
    const angle = pos * Math.pow(10000, (-2 * j) / hs);
    expect(re[pos * (hs / 2) + j]).toBeCloseTo(Math.cos(angle), 6);
    expect(im[pos * (hs / 2) + j]).toBeCloseTo(Math.sin(angle), 6);
  });

  it('refuses to write a model whose tensors do not match its config', () => {
    const m = allocateModel(testConfig({ nLayers: 1, vocabSize: 40, seqLen: 8 }));
    const bad: Model = { ...m, weights: { ...m.weights, wk: new Float32Array(3) } };
    expect(errorOf(() => writeCheckpoint(bad)).message).toMatch(
      /tensor wk has 3 floats, the config needs/,
    );
  });
});

describe('parseCheckpoint rejects bad input with a specific message', () => {
  const good = smallFile();
  const expected = good.byteLength;

  it('accepts the unmodified small file', () => {
    expect(parseCheckpoint(good).config.dim).toBe(16);
  });

  it('truncated body', () => {
    const msg = errorOf(() => parseCheckpoint(good.slice(0, expected - 4))).message;
    expect(msg).toContain(`checkpoint is truncated: expected ${expected} bytes`);
    expect(msg).toContain(`got ${expected - 4}`);
  });

  it('truncated header', () => {
    expect(errorOf(() => parseCheckpoint(good.slice(0, 10))).message).toBe(
      `checkpoint is truncated: expected at least ${V0_HEADER_BYTES} bytes of header, got 10`,
    );
    expect(errorOf(() => parseCheckpoint(new ArrayBuffer(0))).message).toMatch(/truncated.*got 0/);
  });

  it('oversized (trailing bytes)', () => {
    const big = new Uint8Array(expected + 12);
    big.set(new Uint8Array(good));
    const msg = errorOf(() => parseCheckpoint(big.buffer)).message;
    expect(msg).toContain(`checkpoint is oversized: expected ${expected} bytes`);
    expect(msg).toContain('(12 trailing bytes)');
  });

  it('wrong magic: an export.py file whose magic is damaged', () => {
    const v1 = withInt(smallFile(1), 0, 0x616b3433);
    expect(errorOf(() => parseCheckpoint(v1)).message).toMatch(
      /not a llama2\.c checkpoint \(wrong magic\?\).*dim would be 1634415667/,
    );
  });

  it('wrong magic: files of other formats are named', () => {
    const gguf = new Uint8Array(64);
    gguf.set([0x47, 0x47, 0x55, 0x46]);
    expect(errorOf(() => parseCheckpoint(gguf.buffer)).message).toBe(
      'not a llama2.c checkpoint: the file looks like a GGUF file (llama.cpp) (wrong magic)',
    );
    const zip = new Uint8Array(64);
    zip.set([0x50, 0x4b, 3, 4]);
    expect(errorOf(() => parseCheckpoint(zip.buffer)).message).toMatch(/zip archive/);
  });

  it('unknown export.py version, and version 2 (Q8_0)', () => {
    const v1 = smallFile(1);
    expect(errorOf(() => parseCheckpoint(withInt(v1, 4, 7))).message).toMatch(
      /export\.py magic but an unknown version 7/,
    );
    expect(errorOf(() => parseCheckpoint(withInt(v1, 4, 2))).message).toMatch(
      /version 2 \(int8 Q8_0 quantized\), which is not supported/,
    );
  });

  const fields = [
    'dim',
    'hidden_dim',
    'n_layers',
    'n_heads',
    'n_kv_heads',
    'vocab_size',
    'seq_len',
  ];
  fields.forEach((field, i) => {
    for (const value of [0, -3]) {
      if (field === 'vocab_size' && value < 0) continue; // negative = separate classifier in v0
      it(`${field} = ${value} (v0)`, () => {
        expect(errorOf(() => parseCheckpoint(withInt(good, 4 * i, value))).message).toBe(
          `checkpoint header's ${field} must be positive, got ${value}`,
        );
      });
    }
    it(`${field} = -3 (v1)`, () => {
      const msg = errorOf(() => parseCheckpoint(withInt(smallFile(1), 8 + 4 * i, -3))).message;
      expect(msg).toContain(
        field === 'vocab_size'
          ? 'vocab_size must be positive in an export.py file'
          : `${field} must be positive, got -3`,
      );
    });
  });

  it('n_heads not dividing dim', () => {
    expect(errorOf(() => parseCheckpoint(withInt(good, 12, 3))).message).toBe(
      "checkpoint header's n_heads (3) does not divide dim (16)",
    );
  });

  it('odd head size', () => {
    // dim 16 with 16 heads: head size 1
    const f = withInt(withInt(good, 12, 16), 16, 16);
    expect(errorOf(() => parseCheckpoint(f)).message).toMatch(
      /head size dim\/n_heads = 16\/16 = 1 is odd/,
    );
  });

  it('n_kv_heads not dividing n_heads', () => {
    expect(errorOf(() => parseCheckpoint(withInt(good, 16, 3))).message).toBe(
      "checkpoint header's n_kv_heads (3) does not divide n_heads (4)",
    );
    expect(errorOf(() => parseCheckpoint(withInt(good, 16, 8))).message).toBe(
      "checkpoint header's n_kv_heads (8) does not divide n_heads (4)",
    );
  });

  it('absurd sizes are refused before any size is used', () => {
    expect(errorOf(() => parseCheckpoint(withInt(good, 20, 2 ** 30))).message).toMatch(
      /vocab_size 1073741824 is absurdly large \(limit 4194304\)/,
    );
    expect(errorOf(() => parseCheckpoint(withInt(good, 4, 2 ** 31 - 1))).message).toMatch(
      /hidden_dim 2147483647 is absurdly large/,
    );
    // Within every per-field limit, but the KV cache would need 2*4*1024*2^20*8192 bytes.
    const v1 = smallFile(1);
    let f = withInt(v1, 8, 1 << 16); // dim
    f = withInt(f, 16, 1024); // n_layers
    f = withInt(f, 20, 8); // n_heads
    f = withInt(f, 24, 8); // n_kv_heads
    f = withInt(f, 32, 1 << 20); // seq_len
    expect(errorOf(() => parseCheckpoint(f)).message).toMatch(
      /seq_len 1048576 is absurdly large: its KV cache would need/,
    );
  });

  it('a header that promises more than the file holds is "truncated", with the size in words', () => {
    // n_layers 1000 is plausible but the file is tiny: no view is made, no allocation happens.
    const msg = errorOf(() => parseCheckpoint(withInt(good, 8, 1000))).message;
    expect(msg).toMatch(
      /^checkpoint is truncated: expected \d+ bytes for a version 0 file with dim 16, hidden_dim 24, n_layers 1000/,
    );
  });

  it('an mlp-FFN file read without its sidecar says so', () => {
    const m = randomModel({ ffn: 'mlp', nLayers: 1, vocabSize: 40, seqLen: 8 }, 2);
    const file = writeCheckpoint(m);
    expect(errorOf(() => parseCheckpoint(file)).message).toMatch(
      /truncated.*\(that size fits ffn "mlp": is the sidecar missing\?\)/,
    );
  });

  it('shared_classifier flag other than 0/1 (v1)', () => {
    const v1 = smallFile(1);
    new Uint8Array(v1)[36] = 5;
    expect(errorOf(() => parseCheckpoint(v1)).message).toBe(
      "checkpoint header's shared_classifier flag must be 0 or 1, got 5",
    );
  });

  it('NaN or infinite weights', () => {
    const f = good.slice(0);
    new Float32Array(f, V0_HEADER_BYTES)[5] = NaN;
    expect(errorOf(() => parseCheckpoint(f)).message).toBe(
      'checkpoint tensor tokenEmbedding holds a non-finite value (NaN) at index 5: the file is corrupt',
    );
    const v1 = smallFile(1);
    new Float32Array(v1, V1_HEADER_BYTES)[0] = -Infinity;
    expect(errorOf(() => parseCheckpoint(v1)).message).toMatch(
      /tensor rmsAtt holds a non-finite value \(-Infinity\) at index 0/,
    );
  });

  it('a bad sidecar passed in code', () => {
    expect(errorOf(() => parseCheckpoint(good, { norm_eps: -1 })).message).toMatch(/norm_eps/);
  });
});

describe('validateSidecar', () => {
  it('accepts the empty object and every valid field', () => {
    expect(validateSidecar({})).toEqual({});
    const full = {
      norm_eps: 1e-6,
      rope_base: 500000,
      norm: 'layernorm',
      ffn: 'mlp',
      activation: 'relu',
      position: 'none',
    };
    expect(validateSidecar(full)).toEqual(full);
  });

  it.each([
    [null, 'sidecar must be a JSON object, got null'],
    [[1], 'sidecar must be a JSON object, got an array'],
    ['x', 'sidecar must be a JSON object, got string'],
    [
      { norm_esp: 1e-5 },
      'sidecar has an unknown field "norm_esp" (known fields: norm_eps, rope_base, norm, ffn, activation, position)',
    ],
    [{ norm_eps: 0 }, 'sidecar field "norm_eps" must be a positive finite number at most 1, got 0'],
    [
      { norm_eps: '1e-5' },
      'sidecar field "norm_eps" must be a positive finite number at most 1, got "1e-5"',
    ],
    [{ rope_base: 1 }, 'sidecar field "rope_base" must be greater than 1, got 1'],
    [
      { rope_base: null },
      'sidecar field "rope_base" must be a positive finite number at most 1000000000000, got null',
    ],
    [
      { norm: 'batchnorm' },
      'sidecar field "norm" must be one of "rmsnorm", "layernorm", got "batchnorm"',
    ],
    [{ ffn: 'moe' }, 'sidecar field "ffn" must be one of "swiglu", "mlp", got "moe"'],
    [
      { activation: 'custom' },
      'sidecar field "activation" must be one of "silu", "gelu", "relu", got "custom"',
    ],
    [{ position: 'alibi' }, 'sidecar field "position" must be one of "rope", "none", got "alibi"'],
  ])('rejects %j', (json, message) => {
    expect(errorOf(() => validateSidecar(json)).message).toBe(message);
  });

  it('sidecarOf gives back what the sidecar set', () => {
    const side = {
      norm_eps: 1e-6,
      rope_base: 500000,
      norm: 'rmsnorm',
      ffn: 'mlp',
      activation: 'gelu',
      position: 'rope',
    } as const;
    const m = randomModel({ ffn: 'mlp', nLayers: 1, vocabSize: 40, seqLen: 8 });
    const back = parseCheckpoint(writeCheckpoint(m), side);
    expect(sidecarOf(back.config)).toEqual(side);
  });
});
