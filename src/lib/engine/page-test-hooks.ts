// The page's test hooks, only in the end-to-end build (`vite build --mode e2e`): callers guard
// every use with `import.meta.env.MODE === 'e2e'`, so the production bundle drops this module
// (tests/e2e/production-bundle.test.ts checks the built files for the hook names).
import type * as Comlink from 'comlink';
import type { LiveModel } from './live-model.svelte.ts';
import type { EngineTestHooks } from './test-hooks.ts';

/** globalThis.__llamaLab: the live model, plus `debugLoseDevice()` (the worker's hook). */
export function exposeLiveModel(model: LiveModel): void {
  const hooks = {
    debugLoseDevice: () =>
      (model.engine() as unknown as Comlink.Remote<EngineTestHooks>).debugLoseDevice(),
  };
  (globalThis as { __llamaLab?: LiveModel }).__llamaLab = Object.assign(model, hooks);
}

/** A page object under a global name, for end-to-end tests and benches. */
export function exposeForTests(name: '__llamaLabTrainer' | '__llamaPost', value: unknown): void {
  (globalThis as Record<string, unknown>)[name] = value;
}
