// Readers for the llama2.c reference outputs in tests/fixtures/llama2c/ (a copy kept in the
// repository, provenance in its README). Shared by every engineer's tests: import from here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCheckpoint } from '$engine/checkpoint.ts';
import type { Model, Sidecar } from '$engine/types.ts';

/** Absolute path of the fixture folder. */
export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/llama2c/', import.meta.url));

/** Absolute path of one fixture file. */
export function fixturePath(name: string): string {
  return FIXTURE_DIR + name;
}

/** The bytes of a fixture file, in a fresh (4-aligned) ArrayBuffer. */
export function fixtureBytes(name: string): ArrayBuffer {
  const b = readFileSync(fixturePath(name));
  const out = new ArrayBuffer(b.byteLength);
  new Uint8Array(out).set(b);
  return out;
}

/** The config block of greedy.json / sample-*.json (snake_case, as written by the fixture tool). */
export interface FixtureConfig {
  dim: number;
  hidden_dim: number;
  n_layers: number;
  n_heads: number;
  n_kv_heads: number;
  vocab_size: number;
  seq_len: number;
}

/** greedy.json and sample-t1-p09-s42.json. */
export interface RunFixture {
  config: FixtureConfig;
  temperature: number;
  topp: number;
  seed: number;
  n_rows: number;
  vocab_size: number;
  prompt_ids: number[];
  gen_ids: number[];
  /** Tokens fed to the model, row by row (greedy.json only). */
  fed_ids?: number[];
}

export function fixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

export const greedyRun = (): RunFixture => fixtureJson<RunFixture>('greedy.json');
export const sampledRun = (): RunFixture => fixtureJson<RunFixture>('sample-t1-p09-s42.json');
export const encodeCases = (): { text: string; ids: number[] }[] =>
  fixtureJson<{ text: string; ids: number[] }[]>('encode.json');

/** The prompt every run fixture uses (see the fixture README). */
export const FIXTURE_PROMPT = 'First Citizen: Before we proceed any further, hear me speak.';

/** The exact bytes run.c printed (greedy.txt, sample-t1-p09-s42.txt). */
export function fixtureText(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(name)));
}

/** A logits file (int32 rows, int32 vocab, float32 rows x vocab), e.g. greedy.logits. */
export interface LogitsFile {
  rows: number;
  vocab: number;
  /** rows x vocab, row r = logits after feeding fed_ids[r] at position r. */
  data: Float32Array;
}

export function readLogitsBytes(buf: ArrayBuffer): LogitsFile {
  const view = new DataView(buf);
  const rows = view.getInt32(0, true);
  const vocab = view.getInt32(4, true);
  if (buf.byteLength !== 8 + 4 * rows * vocab) {
    throw new Error(`logits file: expected ${8 + 4 * rows * vocab} bytes, got ${buf.byteLength}`);
  }
  return { rows, vocab, data: new Float32Array(buf, 8, rows * vocab) };
}

export function readLogitsFile(path: string): LogitsFile {
  const b = readFileSync(path);
  const out = new ArrayBuffer(b.byteLength);
  new Uint8Array(out).set(b);
  return readLogitsBytes(out);
}

export const greedyLogits = (): LogitsFile => readLogitsBytes(fixtureBytes('greedy.logits'));

/** The fixture checkpoint random-s.bin (run.c defaults, so no sidecar). */
export function fixtureModel(sidecar?: Sidecar): Model {
  return parseCheckpoint(fixtureBytes('random-s.bin'), sidecar);
}
