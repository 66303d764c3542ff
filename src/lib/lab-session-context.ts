// The page's lab session as a typed Svelte context (instead of getContext('lab') with a string
// key and a cast at every use): the chapter page sets it, figures and the lab block read it.
import { createContext } from 'svelte';
import type { LabSession } from './lab-session.svelte.ts';

const [get, set, has] = createContext<LabSession>();

/** Called once by the chapter page, during its initialisation. */
export const setLabSession: (session: LabSession) => LabSession = set;

/** The page's lab session; throws outside a chapter page. */
export const labSession: () => LabSession = get;

/** The lab session when there is one (figures that also work without a live model). */
export function maybeLabSession(): LabSession | undefined {
  return has() ? get() : undefined;
}
