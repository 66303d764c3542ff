// Node-only file helpers around the engine's parsers: read a checkpoint (with the optional JSON
// sidecar beside it: `model.bin` -> `model.json`), a tokenizer, and write them back. Every failure
// is a CheckpointError / TokenizerError whose message starts with the path.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parseCheckpoint, validateSidecar } from '../engine/checkpoint.ts';
import { writeCheckpoint, sidecarOf } from '../engine/checkpoint-write.ts';
import { CheckpointError, TokenizerError, errorMessage } from '../engine/errors.ts';
import { parseTokenizer, writeTokenizer, type Tokenizer } from '../engine/tokenizer.ts';
import type { Model, Sidecar } from '../engine/types.ts';

/** A model read from disk, with where its parts came from. */
export interface LoadedModel {
  model: Model;
  path: string;
  bytes: number;
  /** The sidecar file used, or null when run.c's defaults apply. */
  sidecarPath: string | null;
}

/** Where the sidecar of a checkpoint lives: the same name with `.json` (model.bin -> model.json). */
export function sidecarPathFor(checkpointPath: string): string {
  const ext = extname(checkpointPath);
  return join(dirname(checkpointPath), basename(checkpointPath, ext) + '.json');
}

type ErrorClass = new (message: string) => Error;

/** The file's bytes in a fresh ArrayBuffer (so typed-array views are 4-aligned). */
export function readFileBytes(path: string, what: string, Err: ErrorClass): ArrayBuffer {
  let b: Buffer;
  try {
    b = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : errorMessage(e);
    throw new Err(`cannot read ${what} ${path}: ${why}`);
  }
  const out = new ArrayBuffer(b.byteLength);
  new Uint8Array(out).set(b);
  return out;
}

/** Read and check a sidecar JSON file. */
export function readSidecar(path: string): Sidecar {
  const text = new TextDecoder().decode(readFileBytes(path, 'sidecar', CheckpointError));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`${path}: not valid JSON (${errorMessage(e)})`);
  }
  try {
    return validateSidecar(json);
  } catch (e) {
    throw new CheckpointError(`${path}: ${errorMessage(e)}`);
  }
}

/**
 * Read a checkpoint from a path. The sidecar is `sidecarPath` if given, else the `.json` beside the
 * checkpoint if it exists, else none (run.c's defaults).
 */
export function loadCheckpointFile(path: string, sidecarPath?: string): LoadedModel {
  const side = sidecarPath ?? (existsSync(sidecarPathFor(path)) ? sidecarPathFor(path) : null);
  const sidecar = side === null ? undefined : readSidecar(side);
  const buf = readFileBytes(path, 'checkpoint', CheckpointError);
  try {
    return { model: parseCheckpoint(buf, sidecar), path, bytes: buf.byteLength, sidecarPath: side };
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Read a tokenizer.bin for a model with `vocabSize` tokens. */
export function loadTokenizerFile(path: string, vocabSize: number): Tokenizer {
  const buf = readFileBytes(path, 'tokenizer', TokenizerError);
  try {
    return parseTokenizer(buf, vocabSize);
  } catch (e) {
    if (e instanceof TokenizerError) throw new TokenizerError(`${path}: ${e.message}`);
    throw e;
  }
}

/**
 * Write a model as `path` (llama2.c v0 by default) and its full sidecar beside it, so the file
 * runs in run.c and reloads here with the same config.
 */
export function saveModelFile(path: string, model: Model, version: 0 | 1 = 0): void {
  writeFileSync(path, new Uint8Array(writeCheckpoint(model, version)));
  writeFileSync(sidecarPathFor(path), JSON.stringify(sidecarOf(model.config), null, 2) + '\n');
}

/** Write a tokenizer.bin. */
export function saveTokenizerFile(
  path: string,
  pieces: readonly (string | Uint8Array)[],
  scores: ArrayLike<number>,
): void {
  writeFileSync(path, new Uint8Array(writeTokenizer(pieces, scores)));
}
