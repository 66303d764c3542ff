// The page's handle on the post-training worker, shared by every block of the post-training
// chapter: what is running, the curves and samples each experiment produced, and the tuned
// model, which can become the live model of every chapter, be downloaded as llama2.c files, or
// be reset to the base model.
import * as Comlink from 'comlink';
import { m } from '../../paraglide/messages.js';
import { BUILTIN_MODELS, DEFAULT_MODEL } from '../engine/builtin-models.ts';
import { ensureModel } from '../lab-context.ts';
import { getRegistry } from '../models/registry.svelte.ts';
import type {
  BestOfKRequest,
  DpoTiming,
  DpoRequest,
  ModelFiles,
  PostApi,
  PostEvent,
  PostStatus,
  RsRequest,
  SampleView,
  SftRequest,
  SnapshotView,
  TrainerInfo,
} from './protocol.ts';
import { exposeForTests } from '../engine/page-test-hooks.ts';
import { PageError, errorString } from '../i18n/error-text.ts';

export type Job = 'bestofk' | 'sft' | 'rs' | 'dpo';

/** In the reader's language (an engine error by its code; another one in English, after a lead-in). */
function message(err: unknown): string {
  return errorString(err);
}

async function fetchBytes(url: string, what: () => string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new PageError(m.post_err_download({ what: what(), status: res.status }));
  return res.arrayBuffer();
}

/** One thing applied to the tuned model, kept as data and worded when shown. */
export type TunedStep =
  | { kind: 'sft'; steps: number }
  | { kind: 'rs'; rounds: number }
  | { kind: 'dpo'; steps: number; beta: number };

/** A tuned step in the reader's language ("SFT 40 steps"). */
export function tunedStepText(s: TunedStep): string {
  if (s.kind === 'sft') return m.post_hist_sft({ steps: s.steps });
  if (s.kind === 'rs') return m.post_hist_rs({ rounds: s.rounds });
  return m.post_hist_dpo({ steps: s.steps, beta: s.beta });
}

/** The worker's status line in the reader's language. */
export function statusText(s: PostStatus): string {
  return m.post_status_dpo_sampling({ k: s.K });
}

export interface DpoStepView {
  step: number;
  loss: number;
  accuracy: number;
  margin: number;
  ms: number;
}

export class PostTrainer {
  info = $state.raw<TrainerInfo | null>(null);
  running = $state<Job | null>(null);
  error = $state('');
  status = $state.raw<PostStatus | null>(null);
  /** What has been applied to the tuned model so far, in order (e.g. SFT 40 steps, DPO 30 steps). */
  history = $state.raw<TunedStep[]>([]);
  /** Whether the live model of the notebook is the tuned one. */
  inUse = $state(false);

  bok = $state.raw<{ which: 'policy' | 'base'; groups: SampleView[][] } | null>(null);
  sftLoss = $state.raw<{ step: number; value: number }[]>([]);
  sftCompare = $state.raw<{ prompt: string; before: string; after: string }[]>([]);
  rsRounds = $state.raw<{ round: number; reward: number; kl: number }[]>([]);
  rsKept = $state.raw<SampleView[]>([]);
  dpoSteps = $state.raw<DpoStepView[]>([]);
  dpoEvals = $state.raw<SnapshotView[]>([]);
  dpoPairs = $state.raw<{ chosen: SampleView; rejected: SampleView }[]>([]);

  #api: Comlink.Remote<PostApi> | null = null;
  #worker: Worker | null = null;
  #ready: Promise<TrainerInfo> | null = null;

  #remote(): Comlink.Remote<PostApi> {
    if (!this.#api) {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a module URL, not state
      this.#worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
      this.#worker.addEventListener('error', (e) => {
        this.error = m.post_err_worker({ why: e.message || m.error_unknown() });
        this.running = null;
      });
      this.#api = Comlink.wrap<PostApi>(this.#worker);
    }
    return this.#api;
  }

  /** Start the worker on the shipped main model (once). */
  ready(): Promise<TrainerInfo> {
    this.#ready ??= (async () => {
      const urls = BUILTIN_MODELS.get(DEFAULT_MODEL);
      if (!urls) throw new PageError(m.post_err_no_main());
      const [model, tokenizer, side] = await Promise.all([
        fetchBytes(urls.model, m.post_what_checkpoint),
        fetchBytes(urls.tokenizer, m.post_what_tokenizer),
        urls.sidecar ? fetchBytes(urls.sidecar, m.post_what_settings) : Promise.resolve(null),
      ]);
      const sidecar = side ? JSON.parse(new TextDecoder().decode(side)) : undefined;
      const files: ModelFiles = { model, tokenizer, sidecar };
      const info = await this.#remote().init(Comlink.transfer(files, [model, tokenizer]));
      this.info = info;
      return info;
    })();
    this.#ready.catch((e: unknown) => {
      this.error = message(e);
      this.#ready = null;
    });
    return this.#ready;
  }

  async #run<T>(job: Job, body: (api: Comlink.Remote<PostApi>) => Promise<T>): Promise<T | null> {
    if (this.running) return null;
    this.running = job;
    this.error = '';
    try {
      await this.ready();
      return await body(this.#remote());
    } catch (e) {
      this.error = message(e);
      return null;
    } finally {
      this.running = null;
      this.status = null;
    }
  }

  stop(): void {
    void this.#api?.stop();
  }

  async bestOfK(req: BestOfKRequest): Promise<void> {
    const groups = await this.#run('bestofk', (api) => api.bestOfK(req));
    if (groups) this.bok = { which: req.which, groups };
  }

  #listener() {
    return Comlink.proxy((e: PostEvent) => this.#on(e));
  }

  #on(e: PostEvent): void {
    if (e.kind === 'sft') {
      this.sftLoss = [...this.sftLoss, { step: e.step, value: e.loss }];
      if (this.running === 'rs') return;
    } else if (e.kind === 'dpo') {
      this.dpoSteps = [...this.dpoSteps, e];
    } else if (e.kind === 'eval') {
      if (this.running === 'rs')
        this.rsRounds = [
          ...this.rsRounds,
          { round: e.round ?? 0, reward: e.snapshot.reward, kl: e.snapshot.kl },
        ];
      else this.dpoEvals = [...this.dpoEvals, e.snapshot];
    } else if (e.kind === 'round') {
      this.rsKept = e.kept;
      this.sftLoss = [];
    } else if (e.kind === 'pairs') {
      this.dpoPairs = e.pairs;
    } else if (e.kind === 'status') {
      this.status = e.status;
    }
  }

  async sft(req: SftRequest): Promise<void> {
    this.sftLoss = [];
    const r = await this.#run('sft', (api) => api.sft(req, this.#listener()));
    if (r) {
      this.sftCompare = req.heldOut.map((prompt, i) => ({
        prompt,
        before: r.before[i],
        after: r.after[i],
      }));
      this.#tuned({ kind: 'sft', steps: r.steps });
    }
  }

  async rejection(req: RsRequest): Promise<void> {
    this.rsRounds = [];
    this.rsKept = [];
    const rounds = await this.#run('rs', (api) => api.rejection(req, this.#listener()));
    if (rounds) this.#tuned({ kind: 'rs', rounds });
  }

  async dpo(req: DpoRequest): Promise<void> {
    this.dpoSteps = [];
    this.dpoEvals = [];
    this.dpoPairs = [];
    const steps = await this.#run('dpo', (api) => api.dpo(req, this.#listener()));
    if (steps) this.#tuned({ kind: 'dpo', steps, beta: req.beta });
  }

  #tuned(what: TunedStep): void {
    this.history = [...this.history, what];
  }

  /** The tuned model's files (llama2.c checkpoint, tokenizer, sidecar). */
  async files(): Promise<ModelFiles> {
    await this.ready();
    return this.#remote().exportModel();
  }

  /**
   * Keep the tuned model among the reader's models (IndexedDB, the status line's model menu) and
   * make it the live model of every chapter.
   */
  async use(): Promise<void> {
    const f = await this.files();
    const info = await this.ready();
    const registry = getRegistry();
    const id = await registry.add({
      // named in the reader's language at the time it is kept, as a reader names a file
      name: m.post_tuned_name({
        history: this.history.map(tunedStepText).join(' + ') || m.post_no_steps_yet(),
      }),
      recipe: m.post_tuned_recipe({
        history: this.history.map(tunedStepText).join(m.list_sep()) || m.post_no_steps(),
      }),
      nParams: info.params,
      partial: false,
      files: {
        model: f.model,
        tokenizer: f.tokenizer,
        sidecar: f.sidecar as Record<string, unknown>,
      },
    });
    await registry.use({ kind: 'stored', id }, ensureModel());
    this.inUse = true;
  }

  /** Back to the base model, here and (if the tuned one was live) in every chapter. */
  async reset(): Promise<void> {
    this.stop();
    await this.#api?.reset();
    this.history = [];
    this.sftCompare = [];
    if (this.inUse)
      await getRegistry().use({ kind: 'builtin', name: DEFAULT_MODEL }, ensureModel());
    this.inUse = false;
  }

  timeDpoStep(pairs: number, tokens: number): Promise<DpoTiming> {
    return this.ready().then(() => this.#remote().timeDpoStep(pairs, tokens));
  }
}

let shared: PostTrainer | null = null;

export function getPostTrainer(): PostTrainer {
  if (!shared) {
    shared = new PostTrainer();
    if (import.meta.env.MODE === 'e2e') exposeForTests('__llamaPost', shared);
  }
  return shared;
}
