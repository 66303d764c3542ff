// Errors the engine raises on bad input. Each carries a message in words that says what is wrong
// and, where it helps, what was expected. Never thrown for programming errors inside the engine:
// those stay plain `Error`s. Most carry a code and parameters (./error-text.ts): the CLI prints
// the English `message`, the page shows the code's message in the reader's language.
import { ERROR_TEXT, fillText, type ErrorCode, type ErrorParams } from './error-text.ts';

export type { ErrorCode, ErrorParams };

/** Base class: something the user supplied (a file, a setting, a flag) is not acceptable. */
export class LlamaInputError extends Error {
  readonly code?: ErrorCode;
  readonly params?: ErrorParams;
  /** `new XError('code', {…})`: a coded error; `new XError('words')`: English only. */
  constructor(code: ErrorCode, params: ErrorParams);
  constructor(message: string);
  constructor(codeOrMessage: string, params?: ErrorParams) {
    const coded = params !== undefined && Object.hasOwn(ERROR_TEXT, codeOrMessage);
    super(coded ? fillText(ERROR_TEXT[codeOrMessage as ErrorCode], params) : codeOrMessage);
    this.name = new.target.name;
    if (coded) {
      this.code = codeOrMessage as ErrorCode;
      this.params = params;
    }
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
export const CUSTOM_ON_CPU: string = ERROR_TEXT.gpu_custom;
