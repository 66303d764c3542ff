// Light / dark theme: follows prefers-color-scheme until the reader picks one; the choice is
// remembered in localStorage and applied as <html data-theme>.
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'llama-lab:theme';

function readChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

class Theme {
  choice = $state<ThemeChoice>(readChoice());
  #systemDark = $state(false);
  effective = $derived<'light' | 'dark'>(
    this.choice === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.choice,
  );

  constructor() {
    const mq = matchMedia('(prefers-color-scheme: dark)');
    this.#systemDark = mq.matches;
    mq.addEventListener('change', (e) => (this.#systemDark = e.matches));
  }

  /** Cycle system → the opposite of what is shown → back to system. */
  toggle(): void {
    const next: 'light' | 'dark' = this.effective === 'dark' ? 'light' : 'dark';
    this.choice = next;
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // storage blocked (private mode): the choice lasts for this page only
    }
  }

  apply(): void {
    document.documentElement.dataset.theme = this.effective;
  }
}

export const theme = new Theme();
