// Which backend runs the model in the worker. The choice itself (adapter, self-test, fallback on
// device loss) is the engine's select.ts; this file only hands it the browser's WebGPU entry point,
// which the engine may not look up itself.
import { createBackend, type BackendReason, type SwitchingBackend } from '../../engine/select.ts';
import type { BackendKind, Knobs, Model } from '../../engine/types.ts';
import type { BackendPreference } from './protocol.ts';

/**
 * The KV cache holds this many times the trained context, so the RoPE chapter can stretch
 * positions (linear interpolation, NTK) and run past seq_len. For the tiny built-in models this
 * is a few hundred KB; for a reader's stories15M it is 4 x 18 MB.
 */
export const LONG_CONTEXT_FACTOR = 4;

export interface ChosenBackend {
  backend: SwitchingBackend;
  kind: BackendKind;
  reason: string;
  why: BackendReason;
}

/** The WebGPU entry point of this worker (or page), if the browser has one. */
function browserGpu(): GPU | null {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu ?? null;
}

/**
 * The backend for `model` in this worker. It reports its own kind and reason as they change
 * (device lost, 'custom' on and off): read them from the backend, not from this result.
 */
export async function makeBackend(
  model: Model,
  prefer: BackendPreference,
  knobs: Knobs,
  customActivation: ((x: number) => number) | null = null,
): Promise<ChosenBackend> {
  const chosen = await createBackend(model, {
    prefer,
    gpu: browserGpu(),
    knobs,
    customActivation,
    maxPositions: LONG_CONTEXT_FACTOR * model.config.seqLen,
  });
  return { backend: chosen.backend, kind: chosen.kind, reason: chosen.reason, why: chosen.why };
}
