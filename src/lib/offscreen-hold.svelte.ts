// A hand-drawn figure (no PlotView) that reads a setting the reader changes elsewhere, e.g.
// chapter 1's 2-D picture reading the lab's eps far below it, follows the change only while it
// is on or near the screen: off screen it keeps the value it showed, so a knob change does not
// pay for updating a figure nobody sees (issue 11). It catches up as soon as it comes near the
// view, before printing and before an export (the same registry as PlotView's charts:
// ./offscreen-charts.ts). The first value is always the live one.
import { drawLater, printing, watchOnScreen } from './offscreen-charts.ts';

export class OffScreenHold {
  #near = $state(true);
  /** Bumped by a print or an export: read the live values once. */
  #caughtUp = $state(0);

  /** Follow `el`'s visibility (call from an effect; returns the function that stops it). */
  watch(el: Element): () => void {
    const stop = watchOnScreen(el, (near) => (this.#near = near));
    const withdraw = drawLater(el, () => this.#caughtUp++);
    return () => {
      stop();
      withdraw();
    };
  }

  /**
   * For `$derived.by`: `live()` while the figure is near the view (or being printed or
   * exported); off screen, the value it had when it left, without reading `live` (so changes
   * of what `live` reads do not re-run anything).
   */
  hold<T>(live: () => T): () => T {
    let last: T;
    let has = false;
    let seen = 0;
    return () => {
      const caughtUp = this.#caughtUp;
      if (this.#near || !has || caughtUp !== seen || printing()) {
        last = live();
        has = true;
        seen = caughtUp;
      }
      return last;
    };
  }
}
