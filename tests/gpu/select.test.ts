// Backend selection (src/engine/select.ts): WebGPU when the adapter exists and the self-test
// passes, else the CPU engine with the reason in words; and the session surviving a lost device
// by replaying its tokens on the CPU engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '$engine/cpu/backend.ts';
import { defaultKnobs } from '$engine/knobs.ts';
import {
  CUSTOM_ON_CPU,
  createBackend,
  debugLoseDevice,
  selfTest,
  type BackendSwitch,
} from '$engine/select.ts';
import type { Backend, Model } from '$engine/types.ts';
import { createWebGpuBackend } from '$engine/webgpu/backend.ts';
import { argmax, loadGreedy, loadRandomS, maxAbsDiff, testGpu } from './helpers.ts';

let model: Model;
const greedy = loadGreedy();

beforeAll(() => {
  model = loadRandomS();
});

/** Greedy ids after the prompt, `steps` of them, with `hook(step)` called before each decode. */
async function generate(
  b: Backend,
  steps: number,
  hook: (step: number) => void | Promise<void> = () => {},
): Promise<number[]> {
  const prompt = greedy.prompt_ids;
  let logits = (await b.forwardPrompt(prompt, 0)).logits;
  const ids: number[] = [];
  for (let pos = prompt.length; ids.length < steps; pos++) {
    const next = argmax(logits);
    ids.push(next);
    if (ids.length === steps) break;
    await hook(ids.length);
    logits = (await b.forward(next, pos)).logits;
  }
  return ids;
}

describe('createBackend chooses and says why', () => {
  it("prefer 'webgpu' with an adapter: WebGPU, self-test passed with its numbers", async () => {
    const s = await createBackend(model, { prefer: 'webgpu', gpu: testGpu() });
    try {
      expect(s.kind).toBe('webgpu');
      expect(s.backend.kind).toBe('webgpu');
      expect(s.selfTest!.passed).toBe(true);
      expect(s.selfTest!.maxAbsDiff).toBeLessThanOrEqual(s.selfTest!.tolerance);
      expect(s.reason).toMatch(/WebGPU on .*software adapter.*self-test matched/);
      // the self-test left the cache empty: position 0 is where a session starts
      const g = (await s.backend.forward(1, 0)).logits;
      const c = createCpuBackend(model).forwardSync(1, 0).logits;
      expect(maxAbsDiff(g, c)).toBeLessThanOrEqual(1e-3);
    } finally {
      s.backend.dispose();
    }
  });

  it('auto with only a software adapter: the CPU engine, which is faster, and why', async () => {
    const s = await createBackend(model, { gpu: testGpu() });
    expect(s.adapter?.isFallbackAdapter).toBe(true);
    expect(s.kind).toBe('cpu');
    expect(s.backend.kind).toBe('cpu');
    expect(s.code).toBe('software-adapter');
    expect(s.reason).toMatch(/only WebGPU adapter is .*software.*choose WebGPU/);
    s.backend.dispose();
  });

  it("prefer 'cpu': the CPU engine, forced by the setting", async () => {
    const s = await createBackend(model, { prefer: 'cpu', gpu: testGpu() });
    expect(s.kind).toBe('cpu');
    expect(s.code).toBe('preference');
    expect(s.reason).toMatch(/chosen in the settings/);
    s.backend.dispose();
  });

  it('no WebGPU API: CPU engine with the reason', async () => {
    const s = await createBackend(model, { gpu: undefined });
    expect(s.kind).toBe('cpu');
    expect(s.code).toBe('no-api');
    expect(s.reason).toMatch(/no WebGPU API/);
    expect((await s.backend.forward(1, 0)).logits.length).toBe(model.config.vocabSize);
    s.backend.dispose();
  });

  it("no adapter: CPU engine with the reason, also when 'webgpu' was asked for", async () => {
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const s = await createBackend(model, { gpu: noAdapter, prefer: 'webgpu' });
    expect(s.kind).toBe('cpu');
    expect(s.code).toBe('no-adapter');
    expect(s.reason).toMatch(/WebGPU was chosen in the settings, but .*no adapter/);
    s.backend.dispose();
  });

  it('a model larger than the GPU allows, or a refused device: CPU engine with the reason', async () => {
    const adapter = (limit: number, requestDevice: () => Promise<GPUDevice>) =>
      ({
        requestAdapter: async () => ({
          limits: { maxStorageBufferBindingSize: limit, maxBufferSize: limit },
          info: { vendor: 'test', architecture: '', description: '', isFallbackAdapter: false },
          requestDevice,
        }),
      }) as unknown as GPU;
    const never = async (): Promise<GPUDevice> => {
      throw new Error('requestDevice must not be called');
    };
    const small = await createBackend(model, { gpu: adapter(1024, never) });
    expect(small.kind).toBe('cpu');
    expect(small.code).toBe('too-large');
    expect(small.reason).toMatch(/needs a .* MiB GPU buffer, but this GPU allows at most/);
    small.backend.dispose();
    const refused = await createBackend(model, {
      gpu: adapter(2 ** 30, async () => {
        throw new Error('out of memory');
      }),
    });
    expect(refused.code).toBe('device');
    expect(refused.reason).toMatch(/refused a device: .*out of memory/);
    refused.backend.dispose();
  });

  it('the self-test fails with numbers when the engines disagree', async () => {
    const gpu = await createWebGpuBackend(model, testGpu());
    try {
      // the reference under other knobs stands in for a GPU computing the wrong thing
      const wrong = { ...defaultKnobs(model.config), norm: 'layernorm' as const };
      const t = await selfTest(gpu, model, wrong);
      expect(t.passed).toBe(false);
      expect(t.maxAbsDiff).toBeGreaterThan(t.tolerance);
      expect(t.tolerance).toBeGreaterThanOrEqual(1e-3);
      const ok = await selfTest(gpu, model, defaultKnobs(model.config));
      expect(ok.passed).toBe(true);
    } finally {
      gpu.dispose();
    }
  });
});

describe('device loss falls back to the CPU engine without losing the session', () => {
  const steps = 24;
  let cpuIds: number[];

  beforeAll(async () => {
    const cpu = createCpuBackend(model);
    cpuIds = await generate(cpu, steps);
    cpu.dispose();
    expect(cpuIds).toEqual(greedy.gen_ids.slice(0, steps));
  });

  it('a device lost between tokens: the switch is reported and generation continues with the same ids', async () => {
    const events: BackendSwitch[] = [];
    const s = await createBackend(model, {
      prefer: 'webgpu',
      gpu: testGpu(),
      onSwitch: (e) => events.push(e),
    });
    expect(s.kind).toBe('webgpu');
    const kinds: string[] = [];
    const ids = await generate(s.backend, steps, async (step) => {
      kinds.push(s.backend.kind);
      if (step === 8) {
        // the wrapper switches between calls, once device.lost resolves: wait for that event
        const switched = new Promise<void>((r) => {
          const off = s.backend.onSwitch(() => (off(), r()));
        });
        debugLoseDevice(s.backend);
        await switched;
      }
    });
    expect(ids).toEqual(cpuIds);
    expect(kinds.slice(0, 8).every((k) => k === 'webgpu')).toBe(true);
    expect(kinds.at(-1)).toBe('cpu');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ from: 'webgpu', to: 'cpu', code: 'lost' });
    expect(events[0].reason).toMatch(/lost.*replayed on the CPU/);
    expect(s.backend.reason).toBe(events[0].reason);
    s.backend.dispose();
  });

  it('a device lost under a call: that call itself completes on the CPU engine', async () => {
    const events: BackendSwitch[] = [];
    const s = await createBackend(model, {
      prefer: 'webgpu',
      gpu: testGpu(),
      onSwitch: (e) => events.push(e),
    });
    expect(s.kind).toBe('webgpu');
    const ids = await generate(s.backend, steps, (step) => {
      if (step === 5) debugLoseDevice(s.backend); // no waiting: the next forward meets it
    });
    expect(ids).toEqual(cpuIds);
    expect(s.backend.kind).toBe('cpu');
    expect(events.map((e) => e.code)).toEqual(['lost']);
    s.backend.dispose();
  });

  it('after a loss, knob changes and new prompts run on the CPU engine', async () => {
    const s = await createBackend(model, { prefer: 'webgpu', gpu: testGpu() });
    expect(s.kind).toBe('webgpu');
    debugLoseDevice(s.backend);
    const knobs = { ...defaultKnobs(model.config), norm: 'layernorm' as const };
    s.backend.setKnobs(knobs);
    const got = (await s.backend.forwardPrompt([1, 2, 3], 0)).logits;
    expect(s.backend.kind).toBe('cpu');
    const ref = createCpuBackend(model, knobs);
    expect(maxAbsDiff(got, ref.forwardPromptSync([1, 2, 3], 0).logits)).toBe(0);
    ref.dispose();
    s.backend.dispose();
  });

  it("the 'custom' activation moves to the CPU engine, with the reader's formula", async () => {
    const events: BackendSwitch[] = [];
    const s = await createBackend(model, {
      prefer: 'webgpu',
      gpu: testGpu(),
      onSwitch: (e) => events.push(e),
    });
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    s.backend.setCustomActivation(softplus);
    const knobs = { ...defaultKnobs(model.config), activation: 'custom' as const };
    s.backend.setKnobs(knobs);
    expect(s.backend.kind).toBe('cpu');
    expect(events.map((e) => e.code)).toEqual(['custom-activation']);
    const ref = createCpuBackend(model);
    ref.setCustomActivation(softplus);
    ref.setKnobs(knobs);
    const a = (await s.backend.forwardPrompt([1, 2, 3], 0)).logits;
    expect(maxAbsDiff(a, ref.forwardPromptSync([1, 2, 3], 0).logits)).toBe(0);
    ref.dispose();
    // and back: 'custom' off -> WebGPU again (adapter and self-test anew), before the next call
    s.backend.setKnobs(defaultKnobs(model.config));
    const b = (await s.backend.forwardPrompt([1, 2, 3], 0)).logits;
    expect(s.backend.kind).toBe('webgpu');
    expect(events.map((e) => e.code)).toEqual(['custom-activation', 'restored']);
    expect(events[1]).toMatchObject({ from: 'cpu', to: 'webgpu' });
    expect(s.backend.reason).toMatch(/^WebGPU on .*self-test matched/);
    const cpu = createCpuBackend(model);
    expect(maxAbsDiff(b, cpu.forwardPromptSync([1, 2, 3], 0).logits)).toBeLessThan(1e-3);
    cpu.dispose();
    s.backend.dispose();
  });
});

describe("the 'custom' activation's move, both ways, owned by the switching backend", () => {
  const softplus = (x: number) => Math.log1p(Math.exp(x));
  const custom = () => ({ ...defaultKnobs(model.config), activation: 'custom' as const });

  it("created with 'custom' on: the CPU engine says why, and WebGPU follows once it is off", async () => {
    const s = await createBackend(model, {
      prefer: 'webgpu',
      gpu: testGpu(),
      knobs: custom(),
      customActivation: softplus,
    });
    expect(s.kind).toBe('cpu');
    expect(s.code).toBe('custom-activation');
    expect(s.reason).toBe(`CPU engine: WebGPU was chosen in the settings, but ${CUSTOM_ON_CPU}`);
    s.backend.setKnobs(defaultKnobs(model.config));
    await s.backend.settled();
    expect(s.backend.kind).toBe('webgpu');
    // on again, off again: the same two moves
    s.backend.setKnobs(custom());
    expect(s.backend.kind).toBe('cpu');
    expect(s.backend.reason).toBe(`CPU engine: ${CUSTOM_ON_CPU}`);
    s.backend.setKnobs(defaultKnobs(model.config));
    await s.backend.settled();
    expect(s.backend.kind).toBe('webgpu');
    s.backend.dispose();
  });

  it("a call made right after 'custom' goes off runs on WebGPU (the move is queued before it), with the CPU engine's numbers", async () => {
    const s = await createBackend(model, { prefer: 'webgpu', gpu: testGpu() });
    s.backend.setCustomActivation(softplus);
    s.backend.setKnobs(custom());
    s.backend.setKnobs(defaultKnobs(model.config)); // queued: back to WebGPU
    const prompt = greedy.prompt_ids;
    const first = await s.backend.forwardPrompt(prompt, 0);
    expect(s.backend.kind).toBe('webgpu');
    const next = argmax(first.logits);
    const got = (await s.backend.forward(next, prompt.length)).logits;
    const cpu = createCpuBackend(model);
    cpu.forwardPromptSync(prompt, 0);
    expect(maxAbsDiff(got, cpu.forwardSync(next, prompt.length).logits)).toBeLessThan(1e-3);
    cpu.dispose();
    s.backend.dispose();
  });

  it("the CPU engine chosen in the settings, or no WebGPU at all: 'custom' on and off stays on the CPU", async () => {
    for (const [prefer, gpu, reason] of [
      ['cpu', testGpu(), /chosen in the settings/],
      ['webgpu', null, /^CPU engine: WebGPU was chosen in the settings, but /],
    ] as const) {
      const s = await createBackend(model, { prefer, gpu });
      const before = s.backend.reason;
      expect(before).toMatch(reason);
      s.backend.setCustomActivation(softplus);
      s.backend.setKnobs(custom());
      s.backend.setKnobs(defaultKnobs(model.config));
      await s.backend.settled();
      expect(s.backend.kind).toBe('cpu');
      expect(s.backend.reason).toBe(before);
      s.backend.dispose();
    }
  });
});

afterAll(() => {
  expect(testGpu()).toBeTruthy();
});
