// A reader's own llama2.c files, sorted out before anything is read: which file is the
// checkpoint, which the tokenizer, which the optional JSON sidecar, and whether their sizes can
// possibly be right. The worker's loader then checks the contents and explains format errors.

export interface FileLike {
  name: string;
  size: number;
}

export interface FileRoles<F extends FileLike> {
  checkpoint?: F;
  tokenizer?: F;
  sidecar?: F;
  problems: string[];
}

/** Largest checkpoint the in-page engine accepts: it must fit in one ArrayBuffer in a worker. */
export const MAX_CHECKPOINT_BYTES = 2 ** 31 - 1;
/** A tokenizer.bin for 32,000 tokens is about 424 KB; anything past 64 MB is not one. */
export const MAX_TOKENIZER_BYTES = 64 * 2 ** 20;
export const MAX_SIDECAR_BYTES = 64 * 1024;
/** The smallest possible checkpoint: a 28-byte header and at least one float. */
const MIN_CHECKPOINT_BYTES = 32;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 2 ** 20) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 2 ** 30) return `${(n / 2 ** 20).toFixed(1)} MB`;
  return `${(n / 2 ** 30).toFixed(2)} GB`;
}

/** Decide each file's role from its name (then its size) and check sizes. */
export function classifyFiles<F extends FileLike>(files: readonly F[]): FileRoles<F> {
  const roles: FileRoles<F> = { problems: [] };
  const bins: F[] = [];
  for (const f of files) {
    const lower = f.name.toLowerCase();
    if (lower.endsWith('.json')) {
      if (roles.sidecar)
        roles.problems.push(`Two JSON files given: kept ${roles.sidecar.name}, ignored ${f.name}.`);
      else roles.sidecar = f;
    } else if (lower.includes('tokenizer')) {
      if (roles.tokenizer)
        roles.problems.push(
          `Two tokenizer files given: kept ${roles.tokenizer.name}, ignored ${f.name}.`,
        );
      else roles.tokenizer = f;
    } else {
      bins.push(f);
    }
  }
  bins.sort((a, b) => b.size - a.size);
  if (bins.length > 0) roles.checkpoint = bins[0];
  if (!roles.tokenizer && bins.length > 1) roles.tokenizer = bins[1];
  for (const extra of bins.slice(roles.tokenizer && bins.includes(roles.tokenizer) ? 2 : 1)) {
    roles.problems.push(
      `Not sure what ${extra.name} is: ignored it (expected one checkpoint, one tokenizer, one .json).`,
    );
  }

  const c = roles.checkpoint;
  if (c) {
    if (c.size < MIN_CHECKPOINT_BYTES) {
      roles.problems.push(
        `${c.name} is ${formatBytes(c.size)}: too small to be a llama2.c checkpoint (a header alone is 28 bytes).`,
      );
      roles.checkpoint = undefined;
    } else if (c.size > MAX_CHECKPOINT_BYTES) {
      roles.problems.push(
        `${c.name} is ${formatBytes(c.size)}: the in-page engine can hold at most ${formatBytes(MAX_CHECKPOINT_BYTES)} (one ArrayBuffer). Models up to about 500M parameters in float32 fit.`,
      );
      roles.checkpoint = undefined;
    } else if (c.size % 4 !== 0) {
      roles.problems.push(
        `${c.name} is ${c.size} bytes, not a multiple of 4: a float32 checkpoint always is. Is it complete?`,
      );
      roles.checkpoint = undefined;
    }
  }
  const t = roles.tokenizer;
  if (t) {
    if (t.size < 12) {
      roles.problems.push(`${t.name} is ${formatBytes(t.size)}: too small to be a tokenizer.bin.`);
      roles.tokenizer = undefined;
    } else if (t.size > MAX_TOKENIZER_BYTES) {
      roles.problems.push(
        `${t.name} is ${formatBytes(t.size)}: far larger than any tokenizer.bin (about 424 KB for 32,000 tokens).`,
      );
      roles.tokenizer = undefined;
    }
  }
  const s = roles.sidecar;
  if (s && s.size > MAX_SIDECAR_BYTES) {
    roles.problems.push(
      `${s.name} is ${formatBytes(s.size)}: a model.json sidecar is a few hundred bytes; ignored it.`,
    );
    roles.sidecar = undefined;
  }
  return roles;
}
