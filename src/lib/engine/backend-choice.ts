// Which backend runs the model in the worker. The choice itself (adapter, self-test, fallback on
// device loss) is the engine's select.ts; this file only hands it the browser's WebGPU entry point,
// which the engine may not look up itself.
import { createCpuBackend } from '../../engine/cpu/backend.ts';
import type { Backend, BackendKind, Knobs, Model } from '../../engine/types.ts';
import type { BackendPreference } from './protocol.ts';

/**
 * The KV cache holds this many times the trained context, so the RoPE chapter can stretch
 * positions (linear interpolation, NTK) and run past seq_len. For the tiny built-in models this
 * is a few hundred KB; for a reader's stories15M it is 4 x 18 MB.
 */
export const LONG_CONTEXT_FACTOR = 4;

export interface ChosenBackend {
  backend: Backend;
  kind: BackendKind;
  reason: string;
}

export async function makeBackend(
  model: Model,
  prefer: BackendPreference,
  knobs: Knobs,
  _onFallback: (kind: BackendKind, reason: string) => void,
): Promise<ChosenBackend> {
  const backend = createCpuBackend(model, knobs, {
    maxPositions: LONG_CONTEXT_FACTOR * model.config.seqLen,
  });
  const reason = prefer === 'cpu' ? 'CPU chosen in settings' : 'WebGPU backend not built yet';
  return { backend, kind: 'cpu', reason };
}
