// Where pages get the live model and their lab session. The model is one per tab (loaded once,
// kept across chapters, including a reader's own checkpoint); each page gets a fresh session.
import { getLiveModel, type LiveModel } from './engine/live-model.svelte.ts';
import { LabSession } from './lab-session.svelte.ts';
import { getRegistry } from './models/registry.svelte.ts';

/**
 * The shared model, loading on first use the one the reader chose last (a model they trained,
 * kept in IndexedDB) or else the built-in one.
 */
export function ensureModel(): LiveModel {
  const model = getLiveModel();
  if (model.status === 'idle') {
    getRegistry()
      .start(model)
      .catch(() => {
        // the status and error fields already say what went wrong; the page shows them
      });
  }
  return model;
}

export function getLabSession(): LabSession {
  return new LabSession(ensureModel());
}
