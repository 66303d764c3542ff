// PNG text chunks of exported figures: added before IEND with CRCs that zlib agrees with, read
// back in UTF-8 (a zh-TW caption too), and the image's size read from IHDR.
import { describe, expect, it } from 'vitest';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { pngSize, readPngText, withPngText } from '$lib/export/png-text.ts';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A w x h RGBA PNG, every pixel the same colour, written with Node's zlib. */
function png(w: number, h: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 4, 0x7f)]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** Every chunk type in order, with its CRC checked by zlib. */
function chunkTypes(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes);
  const types: string[] = [];
  for (let at = 8; at < b.length;) {
    const n = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    expect(b.readUInt32BE(at + 8 + n), `CRC of ${type}`).toBe(
      crc32(b.subarray(at + 4, at + 8 + n)),
    );
    types.push(type);
    at += 12 + n;
  }
  return types;
}

describe('PNG text chunks', () => {
  it('adds iTXt chunks before IEND, valid for zlib, and reads them back', () => {
    const image = png(3, 2);
    const meta = {
      Title: 'RoPE rotates pairs',
      Description: '旋轉位置編碼（RoPE）: pair 0 turns fastest',
      Source: 'https://example.org/#/03-rope?ropeBase=500&at=rotation',
    };
    const out = withPngText(image, meta);
    expect(chunkTypes(out)).toEqual(['IHDR', 'IDAT', 'iTXt', 'iTXt', 'iTXt', 'IEND']);
    expect(readPngText(out)).toEqual(meta);
    expect(pngSize(out)).toEqual({ width: 3, height: 2 });
    // the pixels are untouched
    const idat = (b: Uint8Array) => {
      const buf = Buffer.from(b);
      const n = buf.readUInt32BE(33);
      return inflateSync(buf.subarray(41, 41 + n));
    };
    expect(idat(out).equals(idat(image))).toBe(true);
  });

  it('reads the size from IHDR and refuses what is not a PNG or is damaged', () => {
    expect(pngSize(png(1920, 1080))).toEqual({ width: 1920, height: 1080 });
    expect(() => pngSize(new TextEncoder().encode('<svg/>'))).toThrow(/not a PNG/);
    const bad = withPngText(png(2, 2), { Title: 'x' });
    bad[bad.length - 17] ^= 1; // the last byte of the iTXt text (before its CRC and IEND)
    expect(() => readPngText(bad)).toThrow(/bad CRC/);
  });
});
