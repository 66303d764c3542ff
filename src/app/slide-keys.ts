// What a key press means in slides mode and in the presenter view (one table for both windows).
// Keys: → ↓ PageDown Space next; ← ↑ PageUp Shift+Space previous (clickers send PageUp/PageDown);
// Home/End first/last; F fullscreen; P presenter view; Esc leaves. Keys typed into a control stay
// with it, except PageUp/PageDown, which no control needs and every clicker sends.

export type SlideAction = 'next' | 'prev' | 'first' | 'last' | 'fullscreen' | 'presenter' | 'exit';

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

export function slideAction(e: KeyLike, inControl: boolean): SlideAction | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  switch (e.key) {
    case 'PageDown':
      return 'next';
    case 'PageUp':
      return 'prev';
    case 'Escape':
      return 'exit';
  }
  if (inControl) return null;
  switch (e.key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return 'next';
    case ' ':
      return e.shiftKey ? 'prev' : 'next';
    case 'ArrowLeft':
    case 'ArrowUp':
      return 'prev';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'f':
    case 'F':
      return 'fullscreen';
    case 'p':
    case 'P':
      return 'presenter';
    default:
      return null;
  }
}

/** True for an element that takes keys itself (slider, text box, button, select). */
export function isControl(t: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'SUMMARY'].includes(t.tagName);
}
