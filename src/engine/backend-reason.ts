// Why the page runs on WebGPU or on the CPU engine, as codes (./error-text.ts) rather than
// words, so the page can say it in the reader's language: the cause is a code with parameters
// (names and numbers) plus, when there is one, a driver's or browser's own message (`detail`,
// English, shown as it is). `reasonText` writes the engine's English sentence, the one the CLI
// prints and `SwitchingBackend.reason` holds.
import { ERROR_TEXT, fillText, type ErrorCode, type ErrorParams } from './error-text.ts';

/** One cause: a code, its parameters, and a message of the driver's own (English), if any. */
export interface Cause {
  code: ErrorCode;
  params: ErrorParams;
  detail?: string;
}

export interface BackendReason {
  cause: Cause;
  /** The CPU engine runs instead of WebGPU, for this cause ("CPU engine: <cause>"). */
  onCpu: boolean;
  /** WebGPU was chosen in the settings, yet the CPU engine runs. */
  asked: boolean;
  /** After a device loss: tokens fed again to the CPU engine (0: none). */
  replayed: number;
}

export function cause(code: ErrorCode, params: ErrorParams = {}, detail?: string): Cause {
  return detail === undefined ? { code, params } : { code, params, detail };
}

/** A cause in English: its sentence, then the driver's message after a colon. */
export function causeText(c: Cause): string {
  const text = fillText(ERROR_TEXT[c.code], c.params);
  return c.detail === undefined ? text : `${text}: ${c.detail}`;
}

/** The engine's English sentence for a reason. */
export function reasonText(r: BackendReason): string {
  const why = causeText(r.cause);
  if (!r.onCpu) return why;
  const asked = r.asked ? 'WebGPU was chosen in the settings, but ' : '';
  const replayed = r.replayed > 0 ? `; its ${r.replayed} tokens were replayed on the CPU` : '';
  return `CPU engine: ${asked}${why}${replayed}`;
}

/** What the device's `lost` promise gives, as a cause. */
export function lostCause(info: { reason: string; message: string }): Cause {
  return info.message
    ? cause('gpu_lost', { reason: info.reason }, info.message)
    : cause('gpu_lost_no_detail', { reason: info.reason });
}
