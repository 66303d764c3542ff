// Markup inside a translated sentence: a message is rendered with a marker for each value that
// needs its own element (<strong>, <em>), then cut at the markers, so each locale keeps its own
// word order around the value. Slots must appear in the same order in every locale's message.
// The markers are private-use characters, which no message or model output holds.
export const SLOT = ['\uE000', '\uE001'] as const;

/** The text around the slots, in order: one more piece than there are slots used. */
export function around(text: string): string[] {
  return text.split(/[\uE000\uE001]/);
}
