// The live model's status in a few words, for the presenter view (sent over the slides channel).
import type { ModelPort } from '../lib/model-port.ts';
import type { ModelSummary } from './slide-sync.ts';
import { m as msg } from '../paraglide/messages.js';

export function modelSummary(model: ModelPort): ModelSummary {
  return {
    status: model.status,
    name: model.info?.name ?? '',
    backend: model.info?.backend.kind ?? '',
    tokensPerSecond: Math.round(model.tokensPerSecond),
    error: model.error ?? '',
  };
}

export function describeModel(m: ModelSummary | null): string {
  if (!m) return msg.presenter_model_none();
  if (m.status === 'ready') {
    const at = { name: m.name, backend: m.backend };
    return m.tokensPerSecond > 0
      ? msg.presenter_model_ready_speed({ ...at, speed: m.tokensPerSecond })
      : msg.presenter_model_ready(at);
  }
  if (m.status === 'error') return msg.presenter_model_failed({ error: m.error });
  return m.status === 'loading' ? msg.presenter_model_loading() : msg.presenter_model_idle();
}
