// The engine's Web Worker: owns the model, its tokenizer and the backend, so the page never
// freezes. The page calls it through comlink with the typed EngineApi (protocol.ts); the state
// and the call queue live in EngineHost (engine-host.ts), which unit tests drive in-process.
// The end-to-end build (mode 'e2e') adds test hooks; the production build has none.
import * as Comlink from 'comlink';
import { sendErrorCodes } from './error-transfer.ts';
import { EngineHost } from './engine-host.ts';
import { EngineHostWithHooks } from './test-hooks.ts';

sendErrorCodes();
Comlink.expose(import.meta.env.MODE === 'e2e' ? new EngineHostWithHooks() : new EngineHost());
