// The page's training coordinator, a Web Worker: runs src/train's train() (the same loop, data,
// tokenizer, kernels and AdamW as `npm run train`) off the main thread. With one worker it computes
// the gradients itself, as `npm run train -- --workers 1` does in Node's main thread; with more it
// starts gradient workers through browserSpawn. It streams the curve, samples and a snapshot of
// the model after every validation to the page, and obeys pause, resume and stop between steps.
import type { GradEngine } from '../../train/replica.ts';
import type { TrainResult } from '../../train/trainer.ts';
import { train } from '../../train/trainer.ts';
import { modelFiles, sampleText, tokenizerOf } from '../../train/export.ts';
import { browserSpawn } from './browser-spawn.ts';
import { codedError } from '../../engine/error-text.ts';
import type {
  FromCoordinator,
  RunSummary,
  StartRequest,
  ToCoordinator,
  TrainPoint,
} from './protocol.ts';

let paused = false;
let stopRequested = false;
let running = false;
let wake: (() => void) | null = null;
let engine: GradEngine | null = null;

function send(m: FromCoordinator, transfer: Transferable[] = []): void {
  self.postMessage(m, { transfer });
}

// A message-channel round trip lets pause/stop messages in between steps without setTimeout's
// 4 ms clamp.
const channel = new MessageChannel();
const yieldTask = () =>
  new Promise<void>((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

function summaryOf(r: TrainResult): RunSummary {
  return {
    steps: r.steps,
    tokensSeen: r.tokensSeen,
    trainTimeS: r.trainTimeS,
    valNatsPerToken: r.valNatsPerToken,
    valBitsPerChar: r.valBitsPerChar,
    nParams: r.layout.total,
  };
}

async function run(req: StartRequest): Promise<void> {
  running = true;
  let buffer: TrainPoint[] = [];
  let lastFlush = performance.now();
  const flush = () => {
    if (buffer.length) send({ kind: 'steps', points: buffer });
    buffer = [];
    lastFlush = performance.now();
  };
  send({ kind: 'phase', phase: 'tokenizing' });
  try {
    const result = await train(req.config, req.text, {
      kernels: 'wasm',
      spawn: browserSpawn,
      sharing: req.sharing,
      onEngine: (e) => (engine = e),
      onStart: (info) => send({ kind: 'started', info }),
      onStep: async (p) => {
        buffer.push(p);
        if (performance.now() - lastFlush > 100) flush();
        await yieldTask();
        if (paused && !stopRequested) {
          flush();
          send({ kind: 'paused' });
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
      shouldStop: () => stopRequested,
      onEval: async (r) => {
        flush();
        const point = r.curve.val[r.curve.val.length - 1];
        send({ kind: 'val', point });
        const step = point.step;
        if (req.sampleEvery > 0 && step > 0 && step % req.sampleEvery === 0) {
          const text = await sampleText(r, tokenizerOf(r.vocab), {
            steps: 120,
            temperature: 0.8,
            topP: 0.9,
            seed: 1,
          });
          send({ kind: 'sample', step, text });
        }
        if (step > 0) {
          const files = modelFiles(r);
          send({ kind: 'snapshot', step, files, summary: summaryOf(r) }, [
            files.model,
            files.tokenizer,
          ]);
        }
      },
    });
    flush();
    const files = modelFiles(result);
    send(
      {
        kind: 'done',
        files,
        summary: summaryOf(result),
        stopped: result.steps < req.config.train.steps,
      },
      [files.model, files.tokenizer],
    );
  } catch (e) {
    flush();
    send({ kind: 'error', message: e instanceof Error ? e.message : String(e), ...codedError(e) });
  } finally {
    running = false;
    engine = null;
  }
}

self.onmessage = (e: MessageEvent<ToCoordinator>) => {
  const m = e.data;
  if (m.kind === 'start') {
    if (running) {
      send({ kind: 'error', message: 'a run is already in progress in this worker' });
      return;
    }
    paused = false;
    stopRequested = false;
    void run(m);
  } else if (m.kind === 'pause') {
    paused = true;
  } else if (m.kind === 'resume' || m.kind === 'stop') {
    if (m.kind === 'stop') stopRequested = true;
    paused = false;
    wake?.();
    wake = null;
  } else if (m.kind === 'lose-worker') {
    engine?.loseWorker?.(0);
  }
};
