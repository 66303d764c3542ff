// Comlink sends a thrown Error to the page as its message, name and stack only. An engine error's
// code and parameters (src/engine/error-text.ts) must cross too, so the page can word it in the
// reader's language: the worker's serializer adds them, and Comlink's own deserializer on the
// page copies every field onto the Error it rethrows.
import * as Comlink from 'comlink';
import { codedError } from '../../engine/error-text.ts';

/** Call once in a worker that exposes an API through Comlink. */
export function sendErrorCodes(): void {
  const base = Comlink.transferHandlers.get('throw');
  if (!base) return;
  Comlink.transferHandlers.set('throw', {
    canHandle: (v: unknown): v is unknown => base.canHandle(v),
    serialize(thrown: unknown) {
      const [wire, transfer] = base.serialize(thrown);
      const coded = codedError((thrown as { value?: unknown }).value);
      const inner = (wire as { value?: unknown }).value;
      if (coded && typeof inner === 'object' && inner !== null) Object.assign(inner, coded);
      return [wire, transfer];
    },
    deserialize: (wire: unknown) => base.deserialize(wire),
  });
}
