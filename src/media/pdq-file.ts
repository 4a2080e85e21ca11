// I/O edge of PDQ: decode a file's stored pixels with sharp the way Meta's reference sees them (it hashes
// what ImageMagick's `convert FILE pnm:-` prints, see docs/pdq.md):
//
// - No EXIF rotation: sharp only orients when asked (`autoOrient` / `.rotate()`), and we never ask.
// - No ICC conversion: ImageMagick does not apply the embedded profile either, so it is ignored.
// - CMYK goes to RGB with ImageMagick's plain formula R = (255 − C)(255 − K) / 255 (libvips' CMYK
//   profile instead moved the corpus's CMYK.jpg 10 bits away from its RGB original; this gives 0).
// - LAB and other spaces go to 8-bit sRGB through libvips. 16-bit images are scaled with rounding
//   (v / 257), as ImageMagick does, rather than libvips' v >> 8.
// - Alpha is dropped, not composited. Grey, grey+alpha and 1-bit images stay one 8-bit channel;
//   palette images arrive as RGB.
// HEIC / JPEG XL and other formats sharp cannot read are decoded elsewhere and go to pdqFromPixels.

import sharp from 'sharp';

import { pdqFromPixels } from './pdq.js';
import type { PdqResult, RawPixels } from './types.js';

const INPUT_OPTIONS = { autoOrient: false, ignoreIcc: true, failOn: 'none', limitInputPixels: false } as const;

export async function decodeForPdq(file: string): Promise<RawPixels> {
  const meta = await sharp(file, INPUT_OPTIONS).metadata();
  const space = meta.space ?? 'srgb';

  if (space === 'cmyk') return decodeCmyk(file);

  const grey = (space === 'b-w' || space === 'grey16') && !meta.isPalette;
  if (space === 'grey16' || space === 'rgb16') return decode16(file, grey);

  const { data, info } = await sharp(file, INPUT_OPTIONS)
    .removeAlpha()
    .toColourspace(grey ? 'b-w' : 'srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return pixels(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info, grey ? 1 : 3, file);
}

async function decodeCmyk(file: string): Promise<RawPixels> {
  const { data, info } = await sharp(file, INPUT_OPTIONS)
    .pipelineColourspace('cmyk')
    .removeAlpha()
    .toColourspace('cmyk')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`decodeForPdq: expected 4 CMYK channels, got ${info.channels} for ${file}`);
  const n = info.width * info.height;
  const rgb = new Uint8Array(n * 3);
  for (let p = 0, q = 0; p < n * 4; p += 4, q += 3) {
    const white = 255 - data[p + 3]!;
    rgb[q] = Math.floor(((255 - data[p]!) * white + 127) / 255);
    rgb[q + 1] = Math.floor(((255 - data[p + 1]!) * white + 127) / 255);
    rgb[q + 2] = Math.floor(((255 - data[p + 2]!) * white + 127) / 255);
  }
  return { data: rgb, width: info.width, height: info.height, channels: 3 };
}

async function decode16(file: string, grey: boolean): Promise<RawPixels> {
  const { data, info } = await sharp(file, INPUT_OPTIONS)
    .removeAlpha()
    .toColourspace(grey ? 'grey16' : 'rgb16')
    .raw({ depth: 'ushort' })
    .toBuffer({ resolveWithObject: true });
  // Copy into an aligned buffer: the Buffer may sit at an odd offset of its pool.
  const words = new Uint16Array(data.byteLength >> 1);
  new Uint8Array(words.buffer).set(data.subarray(0, words.length * 2));
  const bytes = new Uint8Array(words.length);
  for (let i = 0; i < words.length; i++) bytes[i] = Math.floor((words[i]! + 128) / 257);
  return pixels(bytes, info, grey ? 1 : 3, file);
}

function pixels(data: Uint8Array, info: { width: number; height: number; channels: number }, expected: 1 | 3, file: string): RawPixels {
  if (info.channels !== expected) {
    throw new Error(`decodeForPdq: expected ${expected} channel(s), got ${info.channels} for ${file}`);
  }
  return { data, width: info.width, height: info.height, channels: expected };
}

/** PDQ of an image file sharp can read, hashed from its stored (un-rotated) pixels. */
export async function pdqFromFile(file: string): Promise<PdqResult> {
  return pdqFromPixels(await decodeForPdq(file));
}
