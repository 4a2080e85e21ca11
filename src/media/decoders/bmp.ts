// Windows BMP: sharp's prebuilt libvips has no BMP loader (libvips reads BMP only through ImageMagick).
// Handles what cameras, scanners and Paint write: 1/4/8-bit palette (incl. RLE4/RLE8), 16/24/32-bit with
// or without bit-field masks, bottom-up or top-down rows.

import { readFile } from 'node:fs/promises';
import { checkPixelLimit, ImageDecodeError, type DecodedPixels } from './common.js';

export async function decodeBmp(file: string, label: string): Promise<DecodedPixels> {
  return decodeBmpBuffer(await readFile(file), label);
}

export function decodeBmpBuffer(buf: Buffer, label: string): DecodedPixels {
  const fail = (why: string): never => {
    throw new ImageDecodeError(`${label}: ${why}`);
  };
  if (buf.length < 26 || buf.toString('latin1', 0, 2) !== 'BM') fail('not a BMP file');
  const dataOffset = buf.readUInt32LE(10);
  const headerSize = buf.readUInt32LE(14);
  let width: number;
  let rawHeight: number;
  let bpp: number;
  let compression = 0;
  let paletteEntries = 0;
  let paletteEntrySize = 4;
  if (headerSize === 12) {
    // OS/2 BITMAPCOREHEADER
    width = buf.readUInt16LE(18);
    rawHeight = buf.readInt16LE(20);
    bpp = buf.readUInt16LE(24);
    paletteEntrySize = 3;
  } else {
    if (headerSize < 40 || buf.length < 14 + 40) fail(`unsupported BMP header (${headerSize} bytes)`);
    width = buf.readInt32LE(18);
    rawHeight = buf.readInt32LE(22);
    bpp = buf.readUInt16LE(28);
    compression = buf.readUInt32LE(30);
    paletteEntries = buf.readUInt32LE(46);
  }
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height <= 0) fail(`invalid BMP size ${width}×${rawHeight}`);
  checkPixelLimit(width, height, label);

  // Bit-field masks: in the V4/V5 header, or after a 40-byte header for BI_BITFIELDS (3) / BI_ALPHABITFIELDS (6).
  let masks: number[] | null = null;
  if (compression === 3 || compression === 6) {
    const at = 14 + 40;
    const count = compression === 6 || headerSize >= 56 ? 4 : 3;
    if (buf.length < at + count * 4) fail('truncated BMP header');
    masks = Array.from({ length: count }, (_, i) => buf.readUInt32LE(at + i * 4));
  } else if (headerSize >= 56 && compression === 0 && bpp === 32) {
    const alphaMask = buf.readUInt32LE(14 + 52);
    if (alphaMask) masks = [0x00ff0000, 0x0000ff00, 0x000000ff, alphaMask];
  } else if (compression !== 0 && compression !== 1 && compression !== 2) {
    fail(`unsupported BMP compression ${compression} (JPEG/PNG-in-BMP)`);
  }
  if (bpp === 16 && !masks) masks = [0x7c00, 0x03e0, 0x001f];

  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const count = paletteEntries || 1 << bpp;
    const at = 14 + headerSize + (masks && headerSize === 40 ? masks.length * 4 : 0);
    palette = new Uint8Array(256 * 3);
    for (let i = 0; i < Math.min(count, 256); i += 1) {
      const p = at + i * paletteEntrySize;
      if (p + 3 > buf.length) break;
      palette[i * 3] = buf[p + 2]!;
      palette[i * 3 + 1] = buf[p + 1]!;
      palette[i * 3 + 2] = buf[p]!;
    }
  } else if (![16, 24, 32].includes(bpp)) {
    fail(`unsupported BMP bit depth ${bpp}`);
  }

  const hasAlpha = masks !== null && masks.length === 4 && masks[3] !== 0;
  const channels = hasAlpha ? 4 : 3;
  const out = new Uint8Array(width * height * channels);
  const put = (x: number, row: number, r: number, g: number, b: number, a = 255) => {
    const y = topDown ? row : height - 1 - row;
    const o = (y * width + x) * channels;
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = b;
    if (channels === 4) out[o + 3] = a;
  };
  const putIndex = (x: number, row: number, index: number) => put(x, row, palette![index * 3]!, palette![index * 3 + 1]!, palette![index * 3 + 2]!);

  if (compression === 1 || compression === 2) {
    decodeRle(buf, dataOffset, width, height, compression === 1 ? 8 : 4, putIndex);
    return { data: out, width, height, channels, decoder: 'bmp' };
  }

  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + stride * (height - 1) + Math.ceil((width * bpp) / 8) > buf.length) fail('BMP pixel data is truncated');
  const channel = (value: number, mask: number) => {
    if (!mask) return 255;
    const shift = Math.log2(mask & -mask);
    const max = mask / 2 ** shift;
    return Math.round((((value & mask) >>> 0) / 2 ** shift) * (255 / max));
  };
  for (let row = 0; row < height; row += 1) {
    const start = dataOffset + row * stride;
    for (let x = 0; x < width; x += 1) {
      if (bpp === 24) {
        const p = start + x * 3;
        put(x, row, buf[p + 2]!, buf[p + 1]!, buf[p]!);
      } else if (bpp === 32 && !masks) {
        const p = start + x * 4;
        put(x, row, buf[p + 2]!, buf[p + 1]!, buf[p]!);
      } else if (bpp === 32 || bpp === 16) {
        const value = bpp === 32 ? buf.readUInt32LE(start + x * 4) : buf.readUInt16LE(start + x * 2);
        const [r, g, b, a] = masks!;
        put(x, row, channel(value, r!), channel(value, g!), channel(value, b!), a ? channel(value, a) : 255);
      } else {
        const bit = x * bpp;
        const byte = buf[start + (bit >> 3)]!;
        const index = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        putIndex(x, row, index);
      }
    }
  }
  return { data: out, width, height, channels, decoder: 'bmp' };
}

function decodeRle(buf: Buffer, start: number, width: number, height: number, bits: 4 | 8, putIndex: (x: number, row: number, index: number) => void): void {
  let pos = start;
  let x = 0;
  let row = 0;
  const emit = (index: number) => {
    if (x < width && row < height) putIndex(x, row, index);
    x += 1;
  };
  while (pos + 1 < buf.length && row < height) {
    const count = buf[pos]!;
    const value = buf[pos + 1]!;
    pos += 2;
    if (count > 0) {
      for (let i = 0; i < count; i += 1) emit(bits === 8 ? value : i % 2 === 0 ? value >> 4 : value & 15);
    } else if (value === 0) {
      x = 0;
      row += 1;
    } else if (value === 1) {
      return;
    } else if (value === 2) {
      x += buf[pos] ?? 0;
      row += buf[pos + 1] ?? 0;
      pos += 2;
    } else {
      const bytes = bits === 8 ? value : Math.ceil(value / 2);
      for (let i = 0; i < value; i += 1) {
        const byte = buf[pos + (bits === 8 ? i : i >> 1)] ?? 0;
        emit(bits === 8 ? byte : i % 2 === 0 ? byte >> 4 : byte & 15);
      }
      pos += bytes + (bytes % 2);
    }
  }
}
