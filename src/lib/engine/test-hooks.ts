// The engine worker's test hooks, only in the end-to-end build (`vite build --mode e2e`): worker.ts
// picks this class when import.meta.env.MODE is 'e2e', so the production bundle has none of it
// (tests/e2e/production-bundle.test.ts checks the built files).
import { debugLoseDevice } from '../../engine/select.ts';
import { EngineHost } from './engine-host.ts';
import type { EngineApi } from './protocol.ts';

export interface EngineTestHooks extends EngineApi {
  /** Lose the GPU device now (as a driver reset would); the model goes on on the CPU engine. */
  debugLoseDevice(): Promise<void>;
}

export class EngineHostWithHooks extends EngineHost implements EngineTestHooks {
  async debugLoseDevice(): Promise<void> {
    const b = this.backend;
    if (b) debugLoseDevice(b);
  }
}
