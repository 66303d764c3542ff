// Slide "builds": a block can consume the next/previous key presses in slides mode before the
// slide changes (a derivation reveals its next step, like a presentation build). Slides mode puts
// a `SlideBuilds` in each slide's context; outside slides there is none.
import { getContext, setContext } from 'svelte';

/** Returns true when the step was consumed (the slide must not change). */
export type BuildStep = (direction: 1 | -1) => boolean;

export interface SlideBuilds {
  register(step: BuildStep): () => void;
}

const KEY = Symbol('slide-builds');

export function provideSlideBuilds(builds: SlideBuilds): void {
  setContext(KEY, builds);
}

export function slideBuilds(): SlideBuilds | undefined {
  return getContext<SlideBuilds | undefined>(KEY);
}
