// PNG text chunks: a PNG file is the 8-byte signature, then chunks (length, type, data, CRC-32 of
// type and data). `withPngText` adds iTXt chunks (UTF-8 keyword/text pairs such as Title,
// Description, Source) before IEND, so an exported figure carries its caption and the link back
// to its state inside the file. `readPngText` and `pngSize` read them back. Pure: no DOM.

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

let table: Uint32Array | null = null;
function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function isPng(png: Uint8Array): boolean {
  return png.length >= 8 && SIGNATURE.every((b, i) => png[i] === b);
}

interface Chunk {
  type: string;
  start: number;
  data: Uint8Array;
}

function chunks(png: Uint8Array): Chunk[] {
  if (!isPng(png)) throw new Error('not a PNG file (its signature is missing)');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  let at = 8;
  while (at + 12 <= png.length) {
    const length = view.getUint32(at);
    if (at + 12 + length > png.length) throw new Error('truncated PNG chunk');
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    out.push({ type, start: at, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
    if (type === 'IEND') break;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An iTXt chunk: keyword, 0, compression flag 0, method 0, no language, no translated keyword, UTF-8 text. */
function iTXt(keyword: string, text: string): Uint8Array {
  const enc = new TextEncoder();
  const k = enc.encode(keyword.replace(/[^\x20-\x7e]/g, '').slice(0, 79));
  const t = enc.encode(text);
  const data = new Uint8Array(k.length + 5 + t.length);
  data.set(k, 0);
  data.set(t, k.length + 5);
  return chunk('iTXt', data);
}

/** The PNG with text chunks added before its IEND chunk. */
export function withPngText(png: Uint8Array, entries: Record<string, string>): Uint8Array {
  const end = chunks(png).find((c) => c.type === 'IEND');
  if (!end) throw new Error('PNG without an IEND chunk');
  const extra = Object.entries(entries).map(([k, v]) => iTXt(k, v));
  const size = extra.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(png.length + size);
  out.set(png.subarray(0, end.start), 0);
  let at = end.start;
  for (const c of extra) {
    out.set(c, at);
    at += c.length;
  }
  out.set(png.subarray(end.start), at);
  return out;
}

/** The iTXt and tEXt entries of a PNG (keyword → text); throws on a bad CRC. */
export function readPngText(png: Uint8Array): Record<string, string> {
  const dec = new TextDecoder();
  const out: Record<string, string> = {};
  for (const c of chunks(png)) {
    const whole = png.subarray(c.start + 4, c.start + 8 + c.data.length);
    const crc = new DataView(png.buffer, png.byteOffset).getUint32(c.start + 8 + c.data.length);
    if (crc32(whole) !== crc) throw new Error(`bad CRC in the ${c.type} chunk`);
    if (c.type !== 'iTXt' && c.type !== 'tEXt') continue;
    const zero = c.data.indexOf(0);
    const keyword = dec.decode(c.data.subarray(0, zero));
    if (c.type === 'tEXt') {
      out[keyword] = dec.decode(c.data.subarray(zero + 1));
      continue;
    }
    // skip compression flag and method, then the language tag and translated keyword
    let at = zero + 3;
    at = c.data.indexOf(0, at) + 1;
    at = c.data.indexOf(0, at) + 1;
    out[keyword] = dec.decode(c.data.subarray(at));
  }
  return out;
}

/** Width and height from the IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const ihdr = chunks(png)[0];
  if (ihdr?.type !== 'IHDR') throw new Error('PNG without an IHDR chunk first');
  const view = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, 8);
  return { width: view.getUint32(0), height: view.getUint32(4) };
}
