// A serving simulator: requests arrive (Poisson, with prompt and output lengths drawn uniformly
// around a mean), a server with a KV-cache budget of `memory` token slots runs them one decode
// iteration at a time, and we watch what the memory holds. Three servers:
//
//   static      contiguous pre-allocation, static batching: a batch is admitted only when the
//               server is empty, and holds all its memory until its longest request finishes;
//   continuous  contiguous pre-allocation, continuous (iteration-level) batching: a finished
//               request frees its region at once and waiting requests are admitted at the next
//               iteration, first-fit into the holes;
//   paged       blocks of `blockSize` slots allocated as the sequence grows (vLLM); a sequence
//               that finds no free block preempts the most recently admitted one, whose blocks
//               are freed and which goes back to the head of the queue (recomputed later).
//
// A contiguous server must reserve, when it admits a request, room for the longest output it
// could produce: min(maxLen, prompt + maxOutput). Memory categories at each iteration, in slots:
//   used      holds a token's keys and values now;
//   reserved  will hold a token of this request later (idle now);
//   internal  inside an allocation but will never hold a token (the reservation past the real
//             output, a finished request's region still held by static batching, the empty
//             end of a paged sequence's last block);
//   external  free, but in holes too small for the request waiting at the head of the queue.
// Plain TypeScript, no DOM, deterministic for a seed.

export type Policy = 'static' | 'continuous' | 'paged';
export const POLICIES: readonly Policy[] = ['static', 'continuous', 'paged'];

export interface SimConfig {
  seed: number;
  /** Iterations during which requests arrive (the run then drains the queue). */
  duration: number;
  /** Mean arrivals per iteration (Poisson). */
  rate: number;
  promptMean: number;
  outputMean: number;
  /** Lengths are uniform in [mean (1 - spread), mean (1 + spread)], at least 1; spread in [0, 1]. */
  spread: number;
  /** The model's context: prompt + output never exceeds it. */
  maxLen: number;
  /** The output length a contiguous server must plan for (a request's max_tokens). */
  maxOutput: number;
  /** KV-cache budget in token slots. */
  memory: number;
  blockSize: number;
  /** Most sequences in flight at once. */
  maxBatch: number;
}

export interface Request {
  id: number;
  arrival: number;
  prompt: number;
  output: number;
}

export interface StepStats {
  t: number;
  running: number;
  queued: number;
  used: number;
  reserved: number;
  internal: number;
  external: number;
  free: number;
  /** Tokens generated in this iteration. */
  generated: number;
}

export interface SimResult {
  policy: Policy;
  requests: number;
  finished: number;
  /** Output tokens generated (each request's output, counted once; recomputation not counted). */
  generatedTokens: number;
  /** Prompt tokens processed, recomputation of preempted sequences included. */
  prefillTokens: number;
  steps: number;
  /** Generated tokens per iteration over the whole run. */
  throughput: number;
  meanRunning: number;
  peakRunning: number;
  /** Mean iterations from arrival to admission, and 95th percentile of arrival to finish. */
  meanWait: number;
  p95Latency: number;
  /** Share of the memory in use (allocated + external) not holding a token, time-averaged. */
  wasteFraction: number;
  preemptions: number;
  series: StepStats[];
}

/** mulberry32: a small, fast, seedable generator of floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Knuth's Poisson sampler (fine for the small means used here). */
function poisson(rand: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rand(); p > limit; p *= rand()) k++;
  return k;
}

function uniformAround(rand: () => number, mean: number, spread: number): number {
  const lo = Math.max(1, Math.round(mean * (1 - spread)));
  const hi = Math.max(lo, Math.round(mean * (1 + spread)));
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/** A setting the simulator changed: `given` was outside lo..hi, `used` is what it ran with. */
export interface SimNote {
  field: keyof SimConfig;
  given: number;
  lo: number;
  hi: number;
  used: number;
}

/** Clamp a config to what the simulator can run; each change is described. */
export function checkConfig(c: SimConfig): { config: SimConfig; notes: SimNote[] } {
  const notes: SimNote[] = [];
  const int = (x: number, lo: number, hi: number, field: keyof SimConfig): number => {
    const v = Number.isFinite(x) ? Math.round(x) : lo;
    const r = Math.min(hi, Math.max(lo, v));
    if (r !== x) notes.push({ field, given: x, lo, hi, used: r });
    return r;
  };
  const maxLen = int(c.maxLen, 2, 1 << 20, 'maxLen');
  const blockSize = int(c.blockSize, 1, 1024, 'blockSize');
  // One request of the longest kind must fit, in whole blocks too.
  const memory = int(c.memory, Math.ceil(maxLen / blockSize) * blockSize, 1 << 30, 'memory');
  const cfg: SimConfig = {
    seed: int(c.seed, 0, 2 ** 32 - 1, 'seed'),
    duration: int(c.duration, 1, 100_000, 'duration'),
    rate: Number.isFinite(c.rate) ? Math.min(64, Math.max(0, c.rate)) : 0,
    promptMean: int(c.promptMean, 1, maxLen - 1, 'promptMean'),
    outputMean: int(c.outputMean, 1, maxLen - 1, 'outputMean'),
    spread: Number.isFinite(c.spread) ? Math.min(1, Math.max(0, c.spread)) : 0,
    maxLen,
    maxOutput: int(c.maxOutput, 1, maxLen - 1, 'maxOutput'),
    memory,
    blockSize,
    maxBatch: int(c.maxBatch, 1, 4096, 'maxBatch'),
  };
  if (cfg.rate !== c.rate)
    notes.push({ field: 'rate', given: c.rate, lo: 0, hi: 64, used: cfg.rate });
  return { config: cfg, notes };
}

/**
 * The requests of a run: the same for every policy with the same seed. A request's output is
 * at most maxOutput and prompt + output at most maxLen.
 */
export function makeRequests(c: SimConfig): Request[] {
  const rand = mulberry32(c.seed);
  const out: Request[] = [];
  for (let t = 0; t < c.duration; t++) {
    const n = poisson(rand, c.rate);
    for (let i = 0; i < n; i++) {
      const prompt = Math.min(uniformAround(rand, c.promptMean, c.spread), c.maxLen - 1);
      const want = uniformAround(rand, c.outputMean, c.spread);
      const output = Math.max(1, Math.min(want, c.maxOutput, c.maxLen - prompt));
      out.push({ id: out.length, arrival: t, prompt, output });
    }
  }
  return out;
}

interface Seq {
  req: Request;
  /** Output tokens generated so far (kept across a preemption). */
  generated: number;
  /** Slots holding tokens (prompt + generated) while running. */
  len: number;
  admitted: number;
  firstAdmitted: number;
  /** Contiguous: region start and size. */
  start: number;
  size: number;
  /** Paged: blocks held. */
  blocks: number;
  finished: boolean;
}

/** Contiguous memory: allocated regions kept sorted by start; first-fit. */
class Regions {
  private readonly list: { start: number; size: number }[] = [];
  constructor(private readonly memory: number) {}

  firstFit(size: number): number {
    let at = 0;
    for (const r of this.list) {
      if (r.start - at >= size) return at;
      at = r.start + r.size;
    }
    return this.memory - at >= size ? at : -1;
  }

  add(start: number, size: number): void {
    const i = this.list.findIndex((r) => r.start > start);
    this.list.splice(i < 0 ? this.list.length : i, 0, { start, size });
  }

  remove(start: number): void {
    const i = this.list.findIndex((r) => r.start === start);
    if (i < 0) throw new Error(`no region at ${start}`);
    this.list.splice(i, 1);
  }

  /** Sizes of the free holes between (and after) the regions. */
  holes(): number[] {
    const out: number[] = [];
    let at = 0;
    for (const r of this.list) {
      if (r.start > at) out.push(r.start - at);
      at = r.start + r.size;
    }
    if (this.memory > at) out.push(this.memory - at);
    return out;
  }
}

/** Run one policy over the requests until every request has finished. */
export function simulate(
  cfgIn: SimConfig,
  policy: Policy,
  requests = makeRequests(checkConfig(cfgIn).config),
): SimResult {
  const c = checkConfig(cfgIn).config;
  const bs = c.blockSize;
  const totalBlocks = Math.floor(c.memory / bs);
  const reserveOf = (r: Request) => Math.min(c.maxLen, r.prompt + c.maxOutput);
  const regions = new Regions(c.memory);
  let freeBlocks = totalBlocks;
  const queue: Seq[] = [];
  let running: Seq[] = [];
  let held: Seq[] = []; // static batching: finished requests whose region is still held
  let next = 0; // next request to arrive
  const series: StepStats[] = [];
  let generatedTokens = 0;
  let prefillTokens = 0;
  let preemptions = 0;
  const waits: number[] = [];
  const latencies: number[] = [];
  let finished = 0;
  let wasteNum = 0;
  let wasteDen = 0;
  let runSum = 0;
  let peakRunning = 0;
  // Every iteration with work generates a token (paged: the oldest sequence always runs), so
  // the run ends within duration + all outputs iterations; the limit only guards a bug.
  const limit = c.duration + requests.reduce((a, r) => a + r.output, 0) + 10;

  const admit = (s: Seq, t: number): boolean => {
    const need = s.req.prompt + s.generated; // recompute what a preemption dropped
    if (policy === 'paged') {
      const blocks = Math.ceil((need + 1) / bs);
      if (blocks > freeBlocks) return false;
      freeBlocks -= blocks;
      s.blocks = blocks;
    } else {
      const size = reserveOf(s.req);
      const at = regions.firstFit(size);
      if (at < 0) return false;
      regions.add(at, size);
      s.start = at;
      s.size = size;
    }
    s.len = need;
    s.admitted = t;
    if (s.firstAdmitted < 0) {
      s.firstAdmitted = t;
      waits.push(t - s.req.arrival);
    }
    prefillTokens += need;
    return true;
  };

  const release = (s: Seq): void => {
    if (policy === 'paged') {
      freeBlocks += s.blocks;
      s.blocks = 0;
    } else regions.remove(s.start);
  };

  let t = 0;
  for (; t < limit; t++) {
    while (next < requests.length && requests[next].arrival <= t) {
      const req = requests[next++];
      queue.push({
        req,
        generated: 0,
        len: 0,
        admitted: -1,
        firstAdmitted: -1,
        start: -1,
        size: 0,
        blocks: 0,
        finished: false,
      });
    }
    if (next >= requests.length && queue.length === 0 && running.length === 0) {
      if (held.length === 0) break;
    }
    // Admission, first come first served (no request overtakes the head of the queue). Static
    // batching admits only into an empty server, after the last batch gave its memory back.
    if (policy !== 'static' || running.length === 0) {
      held.forEach(release);
      held = [];
      while (queue.length > 0 && running.length < c.maxBatch && admit(queue[0], t)) {
        running.push(queue.shift()!);
      }
    }
    // One decode iteration: every running sequence produces one token.
    let generated = 0;
    if (policy === 'paged') {
      // Each sequence needs a slot for its new token; a missing block preempts the newest.
      for (let i = 0; i < running.length; i++) {
        const s = running[i];
        while (s.len + 1 > s.blocks * bs && freeBlocks === 0) {
          const victim = running.pop()!;
          release(victim);
          victim.len = 0;
          queue.unshift(victim);
          preemptions++;
          if (victim === s) break;
        }
        if (i >= running.length) break;
        if (s.len + 1 > s.blocks * bs) {
          freeBlocks--;
          s.blocks++;
        }
      }
    }
    for (const s of running) {
      s.generated++;
      s.len = s.req.prompt + s.generated;
      generated++;
      if (s.generated === s.req.output) {
        s.finished = true;
        finished++;
        latencies.push(t + 1 - s.req.arrival);
      }
    }
    generatedTokens += generated;
    runSum += running.length;
    peakRunning = Math.max(peakRunning, running.length);

    // Memory at the end of the iteration, before finished requests give theirs back.
    let used = 0;
    let reserved = 0;
    let internal = 0;
    let allocated = 0;
    for (const s of running) {
      used += s.len;
      if (policy === 'paged') {
        internal += s.blocks * bs - s.len;
        allocated += s.blocks * bs;
      } else {
        const total = s.req.prompt + s.req.output;
        reserved += total - s.len;
        internal += s.size - total;
        allocated += s.size;
      }
    }
    for (const s of held) {
      internal += s.size;
      allocated += s.size;
    }
    let external = 0;
    if (queue.length > 0 && policy !== 'paged') {
      const need = reserveOf(queue[0].req);
      for (const h of regions.holes()) if (h < need) external += h;
    }
    const stats: StepStats = {
      t,
      running: running.length,
      queued: queue.length,
      used,
      reserved,
      internal,
      external,
      free: c.memory - allocated,
      generated,
    };
    series.push(stats);
    wasteNum += reserved + internal + external;
    wasteDen += allocated + external;

    // Finished requests leave (static batching keeps their region until the batch is done).
    const done = running.filter((s) => s.finished);
    running = running.filter((s) => !s.finished);
    if (policy === 'static') held.push(...done);
    else done.forEach(release);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const steps = series.length;
  return {
    policy,
    requests: requests.length,
    finished,
    generatedTokens,
    prefillTokens,
    steps,
    throughput: steps ? generatedTokens / steps : 0,
    meanRunning: steps ? runSum / steps : 0,
    peakRunning,
    meanWait: waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : 0,
    p95Latency: sorted.length
      ? sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]
      : 0,
    wasteFraction: wasteDen ? wasteNum / wasteDen : 0,
    preemptions,
    series,
  };
}

/** The three policies on the same requests. */
export function simulateAll(cfg: SimConfig): { notes: SimNote[]; results: SimResult[] } {
  const { config, notes } = checkConfig(cfg);
  const requests = makeRequests(config);
  return { notes, results: POLICIES.map((p) => simulate(config, p, requests)) };
}
