// The chart scale of slides follows the slides' root font size (styles.css), so chart text grows
// with the slide: at least 20 px for Plot's 10 px text on a 1920-pixel-wide projector.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { chartScaleFor, slidesRootFontPx } from '$lib/presentation.svelte.ts';

describe('slides chart scale', () => {
  it('matches the clamp in styles.css', () => {
    const css = readFileSync(new URL('../../../src/app/styles.css', import.meta.url), 'utf8');
    expect(css).toMatch(
      /data-view='slides'\] \{[^}]*font-size: clamp\(18px, min\(2\.1vw, 3\.05vh\), 34px\)/,
    );
    expect(slidesRootFontPx(640, 480)).toBe(18);
    expect(slidesRootFontPx(1024, 768)).toBeCloseTo(21.504, 3);
    // a wide, short screen: the height sets the type
    expect(slidesRootFontPx(1280, 720)).toBeCloseTo(21.96, 2);
    expect(slidesRootFontPx(1920, 1080)).toBeCloseTo(32.94, 2);
    expect(slidesRootFontPx(3840, 2160)).toBe(34);
  });

  it('magnifies 10 px chart text to at least 20 px at 1080p, never shrinks it', () => {
    expect(10 * chartScaleFor(slidesRootFontPx(1920, 1080))).toBeGreaterThanOrEqual(20);
    expect(chartScaleFor(12)).toBe(1);
    expect(chartScaleFor(16)).toBe(1);
  });
});
