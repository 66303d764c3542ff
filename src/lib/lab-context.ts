// Where pages get the live model and their lab session. The model is one per tab (loaded once,
// kept across chapters, including a reader's own checkpoint); each page gets a fresh session.
import { getLiveModel, type LiveModel } from './engine/live-model.svelte.ts';
import { DEFAULT_MODEL } from './engine/builtin-models.ts';
import { LabSession } from './lab-session.svelte.ts';

/** The shared model, loading the built-in one on first use. */
export function ensureModel(): LiveModel {
  const model = getLiveModel();
  if (model.status === 'idle') {
    model.load({ kind: 'builtin', name: DEFAULT_MODEL }).catch(() => {
      // the status and error fields already say what went wrong; the page shows them
    });
  }
  return model;
}

export function getLabSession(): LabSession {
  return new LabSession(ensureModel());
}
