// Errors the engine raises on bad input. Each carries a message in words that says what is wrong
// and, where it helps, what was expected; callers (CLI, UI) show `message` as is. Never thrown for
// programming errors inside the engine: those stay plain `Error`s.

/** Base class: something the user supplied (a file, a setting, a flag) is not acceptable. */
export class LlamaInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A checkpoint or its JSON sidecar cannot be read: truncated, oversized, wrong magic, bad dims. */
export class CheckpointError extends LlamaInputError {}

/** A tokenizer.bin cannot be read, or a token id is out of range for it. */
export class TokenizerError extends LlamaInputError {}

/** Sampler or generation settings are out of range (NaN temperature, negative top-p, ...). */
export class SettingsError extends LlamaInputError {}

/** One line of text for an unknown thrown value (CLI and UI print this). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The model produced values that cannot be sampled (NaN or infinite logits), e.g. under a knob. */
export class NumericalError extends LlamaInputError {}

/** Why the CPU engine runs while activation 'custom' is on: WebGPU cannot run a reader's formula. */
export const CUSTOM_ON_CPU = 'a custom activation formula runs on the CPU engine only';
