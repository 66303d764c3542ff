// The lab request every live figure of this chapter makes: the same one the lab block makes
// (same knobs, prompt, sampler, steps, auto-generation, no perplexity), so the session sees one
// request however many figures ask, and a figure shown alone (a slide) still gets a prediction.
import type { ParamValues } from '$lib/params.ts';
import { KNOB_IDS, knobsFromParams, samplerFromParams } from '$lib/knobs.ts';
import type { LabRequest } from '$lib/lab-session.svelte.ts';

export function chapterRequest(params: ParamValues): LabRequest {
  return {
    knobs: knobsFromParams(params, KNOB_IDS),
    prompt: String(params.prompt ?? ''),
    sampler: samplerFromParams(params),
    steps: Number(params.steps),
    autoGenerate: true,
    heldOut: '',
  };
}
