// Why the model runs on WebGPU or the CPU engine, in the reader's language: the engine's reason
// codes (src/engine/backend-reason.ts) worded by err_<code> and the backend_reason_* messages.
// A driver's own message (English, `detail`) is not translated: it comes last, after a colon,
// marked lang="en" (ErrorText.svelte). In English the engine's own sentence is shown as it is (the
// messages say the same; the detail sits where the engine puts it). A status without codes shows
// its English as an error without a code does.
import { m } from '../../paraglide/messages.js';
import { baseLocale, getLocale } from '../../paraglide/runtime.js';
import type { BackendReason } from '../../engine/backend-reason.ts';
import { errorMessage, shownError, type ShownError } from './error-text.ts';

export function shownReason(status: { reason: string; why?: BackendReason }): ShownError {
  const r = status.why;
  const say = r && errorMessage(r.cause.code);
  if (!r || !say) return shownError(new Error(status.reason));
  if (getLocale() === baseLocale) return { text: status.reason, english: null };
  let text = say(r.cause.params);
  if (r.onCpu) {
    text = r.asked
      ? m.backend_reason_cpu_asked({ why: text })
      : m.backend_reason_cpu({ why: text });
    if (r.replayed > 0) text = m.backend_reason_replayed({ reason: text, n: r.replayed });
  }
  const detail = r.cause.detail;
  if (detail === undefined) return { text, english: null };
  return { text: m.backend_reason_detail({ reason: text }), english: detail };
}
