// The page icon is a PNG: Chromium decodes the icon again on every same-document navigation, and
// every knob change rewrites the link with history.replaceState; an SVG icon cost a whole SVG
// document (about 3 ms of the main thread) per change (CDP trace, tmp/trace-ui.ts in session 4).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const html = readFileSync(fileURLToPath(new URL('../../../index.html', import.meta.url)), 'utf8');

describe('page icon', () => {
  it('is a small PNG data URL, and the only icon link', () => {
    const links = [...html.matchAll(/<link\s[^>]*rel="icon"[^>]*>/g)].map((m) => m[0]);
    expect(links).toHaveLength(1);
    const href = /href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(links[0]);
    expect(href).not.toBeNull();
    const png = Buffer.from(href![1], 'base64');
    // the PNG signature, then the IHDR chunk: 32 x 32 pixels
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([32, 32]);
  });
});
