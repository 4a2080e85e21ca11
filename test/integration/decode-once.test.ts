// One decode per photo: the stored pixels that decodePhoto hands to the hashes step must be exactly what
// decodeStoredPixels reads (so PDQ hashes stay those of Meta's reference), and the renditions made from them
// (resized first, then turned upright and colour-converted) must look like sharp's own managed, rotated decode.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto, decodeStoredPixels } from '../../src/media/decode.js';
import { stopDecoderWorkers } from '../../src/media/decoders/wasm-worker.js';
import { findTool } from '../../src/media/decoders/tools.js';
import { pdqDihedral } from '../../src/media/pdq-dihedral.js';
import { assets } from '../helpers/corpus.js';

const ASSETS = assets;
const asset = (relative: string) => path.join(ASSETS, relative);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-decode-once-'));
});
afterAll(async () => {
  await stopDecoderWorkers();
  await rm(tmp, { recursive: true, force: true });
});

/** Mean absolute difference per channel value after scaling both to size × size. */
async function difference(a: Buffer, b: Buffer, size = 96): Promise<number> {
  const pixels = (input: Buffer) => sharp(input).resize(size, size, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
  const [x, y] = await Promise.all([pixels(a), pixels(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i += 1) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

describe('decodePhoto', () => {
  const plain = [
    ['albums/nature/prairie_falcon.jpg', 'image/jpeg'],
    ['albums/text/craft-beer.jpg', 'image/jpeg'],
    ['metadata/faces/portrait-orientation-6.jpg', 'image/jpeg'], // grey, EXIF orientation 6
    ['formats/webp/denali.webp', 'image/webp'],
    ['formats/avif/8bit-sRGB.avif', 'image/heif'],
    ['formats/heic/IMG_2682.heic', 'image/heic'],
  ] as const;

  it.each(plain)('%s: the stored pixels from the one decode are exactly decodeStoredPixels', async (relative, mime) => {
    const file = asset(relative);
    if (mime === 'image/heic' && !(await findTool('vips'))) return; // the WASM route is checked below
    const decoded = await decodePhoto(file, mime);
    expect(decoded.stored).not.toBeNull();
    const separate = await decodeStoredPixels(file, mime);
    expect({ width: decoded.stored!.width, height: decoded.stored!.height, channels: decoded.stored!.channels }).toEqual({
      width: separate.width,
      height: separate.height,
      channels: separate.channels,
    });
    expect(Buffer.from(decoded.stored!.data).equals(Buffer.from(separate.data))).toBe(true);
    expect(pdqDihedral(decoded.stored!)).toEqual(pdqDihedral(separate));
  });

  it('gives the same stored pixels on the npm-only HEIC route (libheif in WASM)', async () => {
    const file = asset('formats/heic/IMG_2682.heic');
    const before = process.env.SHOEBOX_DISABLE_DECODERS;
    process.env.SHOEBOX_DISABLE_DECODERS = 'vips,vipsthumbnail';
    try {
      const decoded = await decodePhoto(file, 'image/heic');
      expect(decoded.decoder).toBe('heic-decode');
      const separate = await decodeStoredPixels(file, 'image/heic');
      expect(Buffer.from(decoded.stored!.data).equals(Buffer.from(separate.data))).toBe(true);
    } finally {
      if (before === undefined) delete process.env.SHOEBOX_DISABLE_DECODERS;
      else process.env.SHOEBOX_DISABLE_DECODERS = before;
    }
  });

  it('leaves images with alpha to their own route (no stored pixels: PDQ decodes them itself)', async () => {
    const file = path.join(tmp, 'alpha.png');
    await sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 200, g: 10, b: 10, alpha: 0.5 } } })
      .png()
      .toFile(file);
    const decoded = await decodePhoto(file, 'image/png');
    expect(decoded.stored).toBeNull();
    expect((await sharp(decoded.thumbnail).metadata()).hasAlpha).toBe(true);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('turns a photo with EXIF orientation %i upright, like sharp’s own rotation', async (orientation) => {
    const file = path.join(tmp, `orientation-${orientation}.jpg`);
    await sharp(asset('albums/nature/tanners_ridge.jpg')).withMetadata({ orientation }).jpeg({ quality: 95 }).toFile(file);
    const decoded = await decodePhoto(file, 'image/jpeg');
    const expected = await sharp(file).rotate().jpeg().toBuffer();
    const upright = await sharp(expected).metadata();
    expect({ width: decoded.width, height: decoded.height }).toEqual({ width: upright.width, height: upright.height });
    const preview = await sharp(decoded.preview).metadata();
    expect(preview.width! > preview.height!).toBe(upright.width! > upright.height!);
    expect(await difference(decoded.preview, expected)).toBeLessThan(2);
  });

  it('converts a Display P3 photo to sRGB as sharp does, at preview size', async () => {
    const file = path.join(tmp, 'p3.jpg');
    // Saturated stripes: P3 values read as sRGB would look duller than converted ones.
    const width = 1200;
    const height = 900;
    const data = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const i = (y * width + x) * 3;
        const band = Math.floor(x / 200) % 3;
        data[i + band] = 235;
        data[i + ((band + 1) % 3)] = Math.round((y / height) * 120);
      }
    }
    await sharp(data, { raw: { width, height, channels: 3 } })
      .withIccProfile('p3')
      .jpeg({ quality: 95 })
      .toFile(file);
    const decoded = await decodePhoto(file, 'image/jpeg');
    const managed = await sharp(file).toColourspace('srgb').jpeg({ quality: 95 }).toBuffer();
    const unmanaged = await sharp(file, { ignoreIcc: true }).jpeg({ quality: 95 }).toBuffer();
    expect(await difference(decoded.preview, managed)).toBeLessThan(1.5);
    expect(await difference(decoded.preview, unmanaged)).toBeGreaterThan(3);
    expect((await sharp(decoded.preview).metadata()).icc).toBeUndefined();
  });
});
