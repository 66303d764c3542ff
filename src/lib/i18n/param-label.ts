// A control's label in the page's language. A spec names its own message (`message`, a chapter's
// `m.chNN_param_<key>`), or it is a control of the knob table or the sampler, whose message is the
// shared `param_<url key>` (messages/*.json); otherwise the spec's English label. No page state
// is consulted (the same spec reads the same on a chapter page, in slides, in an embed or on the
// home page). tests/unit/i18n/param-labels.test.ts checks that every control of every chapter has
// its message in both locales.
import type { ParamSpec } from '../params.ts';
import * as messages from '../../paraglide/messages.js';

const fns = messages as unknown as Record<string, ((i?: object) => string) | undefined>;

/** The message key a control's label has: `param_<key>`, or `chNN_param_<key>` in chapter NN. */
export function paramLabelKey(spec: Pick<ParamSpec, 'key'>, chapter?: number): string {
  return chapter === undefined
    ? `param_${spec.key}`
    : `ch${String(chapter).padStart(2, '0')}_param_${spec.key}`;
}

/** The label to show: the spec's own message, the shared one, or the spec's English label. */
export function paramLabel(spec: ParamSpec): string {
  if (spec.message) return spec.message();
  const shared = fns[paramLabelKey(spec)];
  if (shared) return shared();
  return spec.label;
}

/**
 * What a control shows for one of its values: an enum option's label in the page's language
 * (`optionLabels`; the URL keeps the raw value), or the value itself.
 */
export function optionLabel(spec: ParamSpec, value: string): string {
  return (spec.kind === 'enum' && spec.optionLabels?.[value]?.()) || value;
}
