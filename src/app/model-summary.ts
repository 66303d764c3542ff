// The live model's status in a few words, for the presenter view (sent over the slides channel).
import type { ModelPort } from '../lib/model-port.ts';
import type { ModelSummary } from './slide-sync.ts';

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
  if (!m) return 'no news from the slides window yet';
  if (m.status === 'ready') {
    const speed = m.tokensPerSecond > 0 ? `, ${m.tokensPerSecond} tokens/s` : '';
    return `${m.name} ready on ${m.backend}${speed}`;
  }
  if (m.status === 'error') return `model failed: ${m.error}`;
  return `model ${m.status}`;
}
