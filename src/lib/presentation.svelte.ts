// How much larger charts are drawn while a chapter is presented as slides. Slides scale their
// type with the window (styles.css: the root font grows to 33 px on a 1080p projector); charts
// are laid out at width / chartScale and magnified by chartScale, so their ticks, axis titles,
// legends and labels grow with the slide instead of staying at Plot's 10 px. 1 outside slides.
export const presentation = $state({ chartScale: 1 });

/** The chart scale for a root font size (px): the body text's growth over the reading size. */
export function chartScaleFor(rootFontPx: number): number {
  return Math.max(1, Math.round((rootFontPx / 16) * 100) / 100);
}

/**
 * The slides' root font size for a window: styles.css's clamp(18px, min(2.1vw, 3.05vh), 34px).
 */
export function slidesRootFontPx(windowWidth: number, windowHeight = Infinity): number {
  return Math.min(34, Math.max(18, Math.min(0.021 * windowWidth, 0.0305 * windowHeight)));
}
