// A control's label in the page's language: the message `param_<url key>` (the knob table and the
// sampler, messages/*.json) or `chNN_param_<url key>` (a chapter's own controls); the spec's
// English label is the base locale's text. tests/unit/i18n/param-labels.test.ts checks that every
// control of every chapter has its message.
import type { ParamSpec } from '../params.ts';
import * as messages from '../../paraglide/messages.js';

const fns = messages as unknown as Record<string, ((i?: object) => string) | undefined>;

export function paramLabelKey(spec: Pick<ParamSpec, 'key'>, chapter?: number): string {
  return chapter === undefined
    ? `param_${spec.key}`
    : `ch${String(chapter).padStart(2, '0')}_param_${spec.key}`;
}

/** The number of the chapter the page shows (#/03-rope… → 3), if any. */
function pageChapter(): number | undefined {
  const m = /^#\/(\d\d)-/.exec(globalThis.location?.hash ?? '');
  return m ? Number(m[1]) : undefined;
}

/** The label to show: the chapter's message, the shared one, or the spec's own label. */
export function paramLabel(spec: ParamSpec, chapter = pageChapter()): string {
  const own = chapter === undefined ? undefined : fns[paramLabelKey(spec, chapter)];
  if (own) return own();
  const shared = fns[paramLabelKey(spec)];
  if (shared) return shared();
  return spec.label;
}
