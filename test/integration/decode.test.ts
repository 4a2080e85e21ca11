// Decoding: every corpus image gives a thumbnail and a preview; orientation, colour, alpha, animation,
// the fallback decoders (HEIC, JPEG XL, RAW, BMP) by both routes, and bad inputs that must fail clearly.
// Passes with and without the optional Debian tools (libjxl-tools, libvips-tools); where they are present,
// their output is also compared with the npm-only route.

import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeStoredPixels, makeRenditions } from '../../src/media/decode.js';
import { DecoderMissingError, ImageDecodeError, ImageTooLargeError, LIMIT_INPUT_PIXELS } from '../../src/media/decoders/common.js';
import { closeRawExtractor } from '../../src/media/decoders/raw.js';
import { stopDecoderWorkers } from '../../src/media/decoders/wasm-worker.js';
import type { Renditions } from '../../src/media/renditions.js';
import { crc32, pngChunk } from '../../src/media/decoders/icc.js';
import { findTool } from '../../src/media/decoders/tools.js';
import { detectImageType, SUPPORTED_IMAGE_MIMES } from '../../src/media/detect.js';
import { assets } from '../helpers/corpus.js';

const ASSETS = assets;
const asset = (relative: string) => path.join(ASSETS, relative);
const NPM_ONLY = 'djxl,vipsthumbnail,vips';

let tmp: string;
const temp = (name: string) => path.join(tmp, name);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-decode-test-'));
});

afterAll(async () => {
  await stopDecoderWorkers();
  await closeRawExtractor();
  await rm(tmp, { recursive: true, force: true });
});

async function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : Promise.resolve([path.join(dir, entry.name)]))),
  );
  return nested.flat().sort();
}

/** Checks the shape every rendition must have; returns the preview's decoded stats. */
async function checkRenditions(r: Renditions, previewSize = 1440, thumbnailSize = 250) {
  const thumb = await sharp(r.thumbnail).metadata();
  expect(thumb.format).toBe('webp');
  expect(Math.max(thumb.width!, thumb.height!)).toBeLessThanOrEqual(thumbnailSize);
  expect(thumb.exif).toBeUndefined();
  const preview = await sharp(r.preview).metadata();
  expect(preview.format).toBe('jpeg');
  expect(preview.isProgressive).toBe(false); // baseline: ~35 ms of CPU cheaper per 12 MP photo (bench/README.md)
  expect(preview.exif).toBeUndefined();
  expect(preview.icc).toBeUndefined(); // sRGB, untagged
  expect(Math.max(preview.width!, preview.height!)).toBeLessThanOrEqual(previewSize);
  // Same aspect ratio as the upright image, within a pixel of rounding at each step.
  const aspect = r.width / r.height;
  const slackPreview = 1.5 / Math.min(preview.width!, preview.height!);
  const slackThumb = slackPreview + 1.5 / Math.min(thumb.width!, thumb.height!);
  expect(Math.abs(preview.width! / preview.height! / aspect - 1)).toBeLessThan(slackPreview);
  expect(Math.abs(thumb.width! / thumb.height! / aspect - 1)).toBeLessThan(slackThumb);
  // Never upscaled.
  expect(preview.width!).toBeLessThanOrEqual(r.width);
  expect(thumb.width!).toBeLessThanOrEqual(r.width);
  return sharp(r.preview).stats();
}

/** Mean absolute difference of two images after bringing both to the same small size (0..255). */
async function difference(a: Buffer | string, b: Buffer | string, size = 96): Promise<number> {
  const pixels = (input: Buffer | string) => sharp(input).resize(size, size, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
  const [x, y] = await Promise.all([pixels(a), pixels(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i += 1) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

// Upright sizes checked by eye on the previews (written to /tmp and viewed).
const KNOWN: Record<string, { width: number; height: number }> = {
  'formats/heic/IMG_2682.heic': { width: 4032, height: 3024 },
  'formats/motionphoto/samsung-one-ui-6.heic': { width: 3000, height: 4000 }, // irot 90° applied by libheif
  'formats/jxl/8bit-sRGB.jxl': { width: 1440, height: 1080 },
  'formats/jxl/16bit-HDR-P3-nclx.jxl': { width: 5667, height: 3685 },
  'formats/avif/10bit-HDR-P3-nclx.avif': { width: 3681, height: 5594 },
  'formats/avif/8bit-sRGB.avif': { width: 1617, height: 1080 },
  'formats/webp/denali.webp': { width: 600, height: 315 },
  'formats/png/density_plot.png': { width: 800, height: 800 },
  'albums/text/craft-beer.jpg': { width: 6000, height: 4000 },
  // Stored 700×840 with EXIF orientation 6: upright it is the 840×700 of portrait.jpg (see below).
  'metadata/faces/portrait-orientation-6.jpg': { width: 840, height: 700 },
};

describe('the corpus', async () => {
  const files = (await walk(ASSETS)).filter((file) => !file.endsWith('.xmp'));

  it('has the formats this suite is about', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const ext of ['.heic', '.jxl', '.avif', '.webp', '.png', '.jpeg', '.jpg']) expect(files.some((f) => f.endsWith(ext))).toBe(true);
  });

  it.each(files.map((file) => [path.relative(ASSETS, file), file]))('%s → thumbnail + preview', async (relative, file) => {
    const detected = await detectImageType(file);
    expect(detected.supported).toBe(true);
    const r = await makeRenditions(file, detected.mime);
    const stats = await checkRenditions(r);
    const known = KNOWN[relative];
    if (known) expect({ width: r.width, height: r.height }).toEqual(known);
    if (Math.min(r.width, r.height) >= 300) {
      // A photo: not black, not blown out, not a flat fill (a garbled decode tends to be one of these).
      // (The small files in metadata/ are flat colour fills on purpose.)
      const mean = (stats.channels[0]!.mean + stats.channels[1]!.mean + stats.channels[2]!.mean) / 3;
      expect(mean).toBeGreaterThan(20);
      expect(mean).toBeLessThan(235);
      expect(stats.channels[1]!.stdev).toBeGreaterThan(3);
    }

    const stored = await decodeStoredPixels(file, detected.mime);
    expect({ width: stored.width, height: stored.height }).toEqual({ width: r.storedWidth, height: r.storedHeight });
    expect(stored.data.length).toBe(stored.width * stored.height * stored.channels);
  });
});

describe('orientation', () => {
  it('applies EXIF orientation 6: the rotated copy comes out as portrait.jpg', async () => {
    const rotated = await makeRenditions(asset('metadata/faces/portrait-orientation-6.jpg'), 'image/jpeg');
    const plain = await makeRenditions(asset('metadata/faces/portrait.jpg'), 'image/jpeg');
    expect({ width: rotated.width, height: rotated.height }).toEqual({ width: 840, height: 700 });
    expect({ width: rotated.storedWidth, height: rotated.storedHeight }).toEqual({ width: 700, height: 840 });
    expect(await sharp(rotated.preview).metadata()).toMatchObject({ width: 840, height: 700 });
    const same = await difference(rotated.preview, plain.preview);
    const upsideDown = await difference(await sharp(rotated.preview).rotate(180).toBuffer(), plain.preview);
    expect(same).toBeLessThan(20); // the copy has a few words drawn on it
    expect(same).toBeLessThan(upsideDown / 2);
  });

  it('keeps stored pixels unrotated (and grey as one channel) for PDQ', async () => {
    const stored = await decodeStoredPixels(asset('metadata/faces/portrait-orientation-6.jpg'), 'image/jpeg');
    expect(stored).toMatchObject({ width: 700, height: 840, channels: 1 });
  });
});

describe('sizes', () => {
  it('never upscales a small image', async () => {
    const r = await makeRenditions(asset('metadata/dates/time-created.jpg'), 'image/jpeg');
    expect(r).toMatchObject({ width: 100, height: 100 });
    expect(await sharp(r.thumbnail).metadata()).toMatchObject({ width: 100, height: 100 });
    expect(await sharp(r.preview).metadata()).toMatchObject({ width: 100, height: 100 });
  });

  it('takes thumbnail and preview sizes as options', async () => {
    const r = await makeRenditions(asset('albums/text/craft-beer.jpg'), 'image/jpeg', { thumbnailSize: 64, previewSize: 300 });
    expect(await sharp(r.thumbnail).metadata()).toMatchObject({ width: 64, height: 43 });
    expect(await sharp(r.preview).metadata()).toMatchObject({ width: 300, height: 200 });
  });
});

describe('formats made here', () => {
  const source = asset('albums/nature/prairie_falcon.jpg'); // 800×533

  it('TIFF (LZW, multi-page: first page)', async () => {
    const file = temp('two-pages.tiff');
    const page = await sharp(source).raw().toBuffer();
    const black = Buffer.alloc(page.length);
    await sharp(Buffer.concat([page, black]), { raw: { width: 800, height: 533 * 2, channels: 3, pageHeight: 533 } })
      .tiff({ compression: 'lzw' })
      .toFile(file);
    const detected = await detectImageType(file);
    expect(detected).toMatchObject({ mime: 'image/tiff', supported: true });
    const r = await makeRenditions(file, detected.mime);
    expect(r).toMatchObject({ width: 800, height: 533, decoder: 'sharp' });
    await checkRenditions(r);
    expect(await difference(r.preview, source)).toBeLessThan(3);
  });

  it('GIF, animated: first frame only', async () => {
    const file = temp('anim.gif');
    const colours = ['#e02020', '#20c020', '#2020e0'];
    const frames = await Promise.all(
      colours.map((c) =>
        sharp({ create: { width: 60, height: 40, channels: 3, background: c } })
          .raw()
          .toBuffer(),
      ),
    );
    await sharp(Buffer.concat(frames), { raw: { width: 60, height: 120, channels: 3, pageHeight: 40 } })
      .gif({ loop: 0, delay: [200, 200, 200] })
      .toFile(file);
    expect((await sharp(file).metadata()).pages).toBe(3);
    const detected = await detectImageType(file);
    expect(detected).toMatchObject({ mime: 'image/gif', supported: true });
    const r = await makeRenditions(file, detected.mime);
    expect(r).toMatchObject({ width: 60, height: 40 });
    const { dominant } = await sharp(r.preview).stats();
    expect(dominant.r).toBeGreaterThan(180);
    expect(dominant.g).toBeLessThan(80);
    const thumb = await sharp(r.thumbnail).metadata();
    expect(thumb).toMatchObject({ width: 60, height: 40 });
    expect(thumb.pages ?? 1).toBe(1);
  });

  it('WebP, animated: first frame only', async () => {
    const file = temp('anim.webp');
    const frames = await Promise.all(
      ['#2020e0', '#e02020'].map((c) =>
        sharp({ create: { width: 50, height: 30, channels: 3, background: c } })
          .raw()
          .toBuffer(),
      ),
    );
    await sharp(Buffer.concat(frames), { raw: { width: 50, height: 60, channels: 3, pageHeight: 30 } })
      .webp({ loop: 0, delay: [100, 100] })
      .toFile(file);
    const r = await makeRenditions(file, (await detectImageType(file)).mime);
    expect(r).toMatchObject({ width: 50, height: 30 });
    const { dominant } = await sharp(r.preview).stats();
    expect(dominant.b).toBeGreaterThan(180);
  });

  it('PNG with alpha: preview flattened on white, thumbnail keeps alpha', async () => {
    const file = temp('alpha.png');
    // Left half opaque red, right half fully transparent.
    const width = 80;
    const height = 40;
    const rgba = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y += 1) for (let x = 0; x < width / 2; x += 1) rgba.set([200, 20, 20, 255], (y * width + x) * 4);
    await sharp(rgba, { raw: { width, height, channels: 4 } })
      .png()
      .toFile(file);
    const r = await makeRenditions(file, 'image/png');
    const preview = await sharp(r.preview).raw().toBuffer({ resolveWithObject: true });
    expect(preview.info.channels).toBe(3);
    const at = (x: number, y: number) => [...preview.data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
    expect(at(70, 20).every((v) => v > 245)).toBe(true);
    expect(at(10, 20)[0]).toBeGreaterThan(170);
    expect((await sharp(r.thumbnail).metadata()).hasAlpha).toBe(true);
    const stored = await decodeStoredPixels(file, 'image/png');
    expect(stored.channels).toBe(3);
  });

  it('16-bit PNG comes out 8-bit', async () => {
    const file = temp('sixteen.png');
    await sharp(source).toColourspace('rgb16').png().toFile(file);
    expect((await sharp(file).metadata()).depth).toBe('ushort');
    const r = await makeRenditions(file, 'image/png');
    expect(await difference(r.preview, source)).toBeLessThan(3);
    const stored = await decodeStoredPixels(file, 'image/png');
    expect(stored).toMatchObject({ width: 800, height: 533, channels: 3 });
  });

  it('colour-managed: a Display P3 JPEG and a CMYK JPEG come out as sRGB', async () => {
    const p3 = temp('p3.jpg');
    const cmyk = temp('cmyk.jpg');
    await sharp(source).withIccProfile('p3').jpeg({ quality: 95 }).toFile(p3);
    await sharp(source).toColourspace('cmyk').jpeg({ quality: 95 }).toFile(cmyk);
    const plain = await sharp(p3, { ignoreIcc: true }).toBuffer();
    const fromP3 = await makeRenditions(p3, 'image/jpeg');
    expect(await difference(fromP3.preview, source)).toBeLessThan(2.5);
    expect(await difference(plain, source)).toBeGreaterThan(await difference(fromP3.preview, source));
    const fromCmyk = await makeRenditions(cmyk, 'image/jpeg');
    expect((await sharp(fromCmyk.preview).metadata()).channels).toBe(3);
    expect(await difference(fromCmyk.preview, source)).toBeLessThan(8);
  });

  it('BMP: 24-bit and 8-bit palette (sharp has no BMP loader)', async () => {
    const { data, info } = await sharp(source).resize(101, 67).raw().toBuffer({ resolveWithObject: true });
    const bmp24 = temp('photo24.bmp');
    await writeFile(bmp24, encodeBmp24(data, info.width, info.height));
    const detected = await detectImageType(bmp24);
    expect(detected).toMatchObject({ mime: 'image/bmp', supported: true });
    const r = await makeRenditions(bmp24, detected.mime);
    expect(r).toMatchObject({ width: 101, height: 67, decoder: 'bmp' });
    await checkRenditions(r);
    const back = await sharp(data, { raw: { width: 101, height: 67, channels: 3 } })
      .png()
      .toBuffer();
    expect(await difference(r.preview, back)).toBeLessThan(6); // JPEG of a tiny image
    const stored = await decodeStoredPixels(bmp24, detected.mime);
    expect(Buffer.from(stored.data)).toEqual(data); // exact, and not flipped

    const bmp8 = temp('palette8.bmp');
    await writeFile(bmp8, encodeBmp8Stripes(30, 20));
    const r8 = await makeRenditions(bmp8, 'image/bmp');
    await checkRenditions(r8);
    const px = await decodeStoredPixels(bmp8, 'image/bmp');
    expect([...px.data.subarray(0, 3)]).toEqual([255, 0, 0]); // top-left: the first stripe is red (top-down rows)
    expect([...px.data.subarray((19 * 30 + 29) * 3, (19 * 30 + 29) * 3 + 3)]).toEqual([0, 0, 255]); // bottom-right: blue
    const preview = await sharp(r8.preview).raw().toBuffer();
    expect(preview[0]).toBeGreaterThan(240);
    expect(preview[(19 * 30 + 29) * 3 + 2]).toBeGreaterThan(240);
  });
});

describe('HEIC', () => {
  const heics = ['formats/heic/IMG_2682.heic', 'formats/motionphoto/samsung-one-ui-6.heic'];

  it.each(heics)('%s: the npm-only route (libheif WASM) works and agrees with the Debian route when present', async (relative) => {
    const file = asset(relative);
    const npm = await withEnv('SHOEBOX_DISABLE_DECODERS', NPM_ONLY, () => makeRenditions(file, 'image/heic'));
    expect(npm.decoder).toBe('heic-decode');
    expect({ width: npm.width, height: npm.height }).toEqual(KNOWN[relative]);
    await checkRenditions(npm);
    const stored = await withEnv('SHOEBOX_DISABLE_DECODERS', NPM_ONLY, () => decodeStoredPixels(file, 'image/heic'));
    expect(stored).toMatchObject({ width: npm.width, height: npm.height, channels: 3 });
    if (await findTool('vips')) {
      const fast = await makeRenditions(file, 'image/heic');
      expect(fast.decoder).toBe('vips');
      expect({ width: fast.width, height: fast.height }).toEqual(KNOWN[relative]);
      expect(await difference(fast.preview, npm.preview)).toBeLessThan(3);
    }
  });

  it('converts the iPhone photo from Display P3 (its ICC profile) to sRGB', async () => {
    const file = asset('formats/heic/IMG_2682.heic');
    const managed = await withEnv('SHOEBOX_DISABLE_DECODERS', NPM_ONLY, () => makeRenditions(file, 'image/heic'));
    // Pixels as decoded, without conversion: P3 values read as sRGB look duller; converted ones differ.
    const stored = await withEnv('SHOEBOX_DISABLE_DECODERS', NPM_ONLY, () => decodeStoredPixels(file, 'image/heic'));
    const unmanaged = await sharp(stored.data, { raw: { width: stored.width, height: stored.height, channels: 3 } })
      .png()
      .toBuffer();
    expect(await difference(managed.preview, unmanaged)).toBeGreaterThan(0.8);
    const sat = async (img: Buffer) => {
      const { data } = await sharp(img).resize(64, 64, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
      let s = 0;
      for (let i = 0; i < data.length; i += 3) s += Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!);
      return s;
    };
    expect(await sat(managed.preview)).toBeGreaterThan(await sat(unmanaged));
  });

  it('a truncated HEIC fails with a clear error, by both routes', async () => {
    const file = temp('cut.heic');
    const bytes = await readFile(asset('formats/heic/IMG_2682.heic'));
    await writeFile(file, bytes.subarray(0, 60_000));
    const npm = withEnv('SHOEBOX_DISABLE_DECODERS', NPM_ONLY, () => makeRenditions(file, 'image/heic'));
    await expect(npm).rejects.toBeInstanceOf(ImageDecodeError);
    await expect(makeRenditions(file, 'image/heic')).rejects.toThrow(/cut\.heic/);
  });

  it('without any HEIC decoder: DecoderMissingError saying what to install', async () => {
    const attempt = withEnv('SHOEBOX_DISABLE_DECODERS', `${NPM_ONLY},heic-decode`, () => makeRenditions(asset('formats/heic/IMG_2682.heic'), 'image/heic'));
    await expect(attempt).rejects.toBeInstanceOf(DecoderMissingError);
    await expect(
      withEnv('SHOEBOX_DISABLE_DECODERS', `${NPM_ONLY},heic-decode`, () => makeRenditions(asset('formats/heic/IMG_2682.heic'), 'image/heic')),
    ).rejects.toThrow(/HEIC needs a decoder: apt-get install libvips-tools .*npm install heic-decode/);
  });
});

describe('JPEG XL', () => {
  it('8-bit: the npm-only route (libjxl WASM) works and agrees with djxl when present', async () => {
    const file = asset('formats/jxl/8bit-sRGB.jxl');
    const npm = await withEnv('SHOEBOX_DISABLE_DECODERS', NPM_ONLY, () => makeRenditions(file, 'image/jxl'));
    expect(npm).toMatchObject({ decoder: 'jxl-wasm', width: 1440, height: 1080 });
    await checkRenditions(npm);
    if (await findTool('djxl')) {
      const fast = await makeRenditions(file, 'image/jxl');
      expect(fast).toMatchObject({ decoder: 'djxl', width: 1440, height: 1080 });
      expect(await difference(fast.preview, npm.preview)).toBeLessThan(2);
    }
  });

  it('16-bit P3 "HDR": both routes give the same sensible 8-bit sRGB image', async () => {
    const file = asset('formats/jxl/16bit-HDR-P3-nclx.jxl');
    const npm = await withEnv('SHOEBOX_DISABLE_DECODERS', NPM_ONLY, () => makeRenditions(file, 'image/jxl'));
    expect(npm).toMatchObject({ decoder: 'jxl-wasm', width: 5667, height: 3685 });
    const stats = await checkRenditions(npm);
    // An alpine valley: green the strongest channel, neither dark nor washed out.
    expect(stats.channels[1]!.mean).toBeGreaterThan(stats.channels[0]!.mean);
    expect(stats.channels[1]!.mean).toBeGreaterThan(90);
    expect(stats.channels[1]!.mean).toBeLessThan(170);
    if (await findTool('djxl')) {
      const fast = await makeRenditions(file, 'image/jxl');
      expect(fast.decoder).toBe('djxl');
      expect(await difference(fast.preview, npm.preview)).toBeLessThan(4);
    }
  });

  it('a header claiming 100000×100000 is refused before decoding', async () => {
    const file = temp('huge.jxl');
    await writeFile(file, jxlCodestreamHeader(100_000, 100_000));
    await expect(makeRenditions(file, 'image/jxl')).rejects.toBeInstanceOf(ImageTooLargeError);
    await expect(withEnv('SHOEBOX_DISABLE_DECODERS', NPM_ONLY, () => makeRenditions(file, 'image/jxl'))).rejects.toThrow(/100000×100000/);
  });

  it('without any JPEG XL decoder: DecoderMissingError saying what to install', async () => {
    const attempt = () => withEnv('SHOEBOX_DISABLE_DECODERS', `${NPM_ONLY},jxl-wasm`, () => makeRenditions(asset('formats/jxl/8bit-sRGB.jxl'), 'image/jxl'));
    await expect(attempt()).rejects.toBeInstanceOf(DecoderMissingError);
    await expect(attempt()).rejects.toThrow('JPEG XL needs a decoder: apt-get install libjxl-tools (djxl)');
  });
});

describe('RAW', () => {
  it('uses the embedded JPEG preview and the RAW orientation (a CR2-shaped file)', async () => {
    const preview = await sharp(asset('albums/nature/prairie_falcon.jpg')).resize(400).jpeg({ quality: 85 }).toBuffer();
    const file = temp('camera.cr2');
    await writeFile(file, fakeCr2(preview, 400, 267, 6));
    const detected = await detectImageType(file);
    expect(detected).toMatchObject({ mime: 'image/x-canon-cr2', ext: 'cr2', supported: true, description: 'Canon CR2 RAW image' });
    const r = await makeRenditions(file, detected.mime);
    expect(r).toMatchObject({ decoder: 'raw-preview', width: 267, height: 400, storedWidth: 400, storedHeight: 267 });
    await checkRenditions(r);
    expect(await difference(r.preview, await sharp(preview).rotate(90).toBuffer())).toBeLessThan(3);
    const stored = await decodeStoredPixels(file, detected.mime);
    expect(stored).toMatchObject({ width: 400, height: 267, channels: 3 });
  });

  it('applies each of the 8 RAW orientations as sharp would apply EXIF orientation', async () => {
    // An asymmetric picture, so that every flip and turn looks different.
    const base = await sharp(asset('albums/nature/prairie_falcon.jpg')).resize(120, 80, { fit: 'fill' }).jpeg({ quality: 95 }).toBuffer();
    for (let orientation = 1; orientation <= 8; orientation += 1) {
      const file = temp(`orient-${orientation}.cr2`);
      await writeFile(file, fakeCr2(base, 120, 80, orientation));
      const r = await makeRenditions(file, 'image/x-canon-cr2');
      const expected = await sharp(await sharp(base).withMetadata({ orientation }).jpeg({ quality: 95 }).toBuffer())
        .autoOrient()
        .toBuffer();
      expect({ orientation, width: r.width, height: r.height }).toEqual({
        orientation,
        ...(orientation >= 5 ? { width: 80, height: 120 } : { width: 120, height: 80 }),
      });
      expect(await difference(r.preview, expected, 32), `orientation ${orientation}`).toBeLessThan(6);
    }
  });

  it('a RAW without a preview fails clearly', async () => {
    const file = temp('nopreview.dng');
    await writeFile(file, tiffHeader([[50706, 1, 4, 0x01040000]]));
    const detected = await detectImageType(file);
    expect(detected.mime).toBe('image/x-adobe-dng');
    await expect(makeRenditions(file, detected.mime)).rejects.toThrow(/no embedded JPEG preview/);
  });
});

describe('bad inputs', () => {
  it('zero bytes', async () => {
    const file = temp('empty.jpg');
    await writeFile(file, '');
    expect(await detectImageType(file)).toEqual({ mime: 'application/x-empty', ext: '', supported: false, description: 'empty file' });
    await expect(makeRenditions(file, 'image/jpeg')).rejects.toBeInstanceOf(ImageDecodeError);
    await expect(makeRenditions(file, 'image/jpeg')).rejects.toThrow(/empty\.jpg \(image\/jpeg\): cannot decode/);
  });

  it('a truncated JPEG (first half of a corpus photo)', async () => {
    const file = temp('half.jpg');
    const bytes = await readFile(asset('metadata/gps-position/empty_gps.jpg'));
    await writeFile(file, bytes.subarray(0, bytes.length >> 1));
    expect(await detectImageType(file)).toMatchObject({ mime: 'image/jpeg', supported: true });
    await expect(makeRenditions(file, 'image/jpeg')).rejects.toBeInstanceOf(ImageDecodeError);
    await expect(makeRenditions(file, 'image/jpeg')).rejects.toThrow(/half\.jpg \(image\/jpeg\): cannot decode: .*premature end of JPEG/i);
  });

  it('a text file named .jpg', async () => {
    const file = temp('notes.jpg');
    await writeFile(file, 'Shopping list:\n- café\n- pão de queijo 🧀\n');
    expect(await detectImageType(file)).toEqual({ mime: 'text/plain', ext: 'txt', supported: false, description: 'text file' });
    await expect(makeRenditions(file, 'image/jpeg')).rejects.toThrow(/notes\.jpg \(image\/jpeg\): cannot decode: .*unsupported image format/);
    await expect(decodeStoredPixels(file, 'image/jpeg')).rejects.toBeInstanceOf(ImageDecodeError);
  });

  it('a PNG whose header claims 100000×100000: refused, no memory blow-up', async () => {
    const file = temp('bomb.png');
    await writeFile(file, pngClaiming(100_000, 100_000));
    const meta = await sharp(file, { limitInputPixels: false }).metadata();
    expect(meta).toMatchObject({ width: 100_000, height: 100_000 }); // the CRC is right: sharp believes it
    expect(await detectImageType(file)).toMatchObject({ mime: 'image/png', supported: true });
    const rssBefore = process.memoryUsage().rss;
    await expect(makeRenditions(file, 'image/png')).rejects.toBeInstanceOf(ImageTooLargeError);
    await expect(makeRenditions(file, 'image/png')).rejects.toThrow(
      `bomb.png (image/png): image is 100000×100000 (10000 MP), over the ${Math.round(LIMIT_INPUT_PIXELS / 1e6)} MP limit`,
    );
    await expect(decodeStoredPixels(file, 'image/png')).rejects.toBeInstanceOf(ImageTooLargeError);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('a mime that does not match the bytes: decoded anyway or a clean ImageDecodeError', async () => {
    const attempt = (disabled: string) =>
      withEnv('SHOEBOX_DISABLE_DECODERS', disabled, () => makeRenditions(asset('formats/png/density_plot.png'), 'image/heic'));
    // The WASM route refuses a PNG; vips (when installed) reads it.
    await expect(attempt(NPM_ONLY)).rejects.toBeInstanceOf(ImageDecodeError);
    await attempt('').then(
      (r) => expect(r.width).toBe(800),
      (error: unknown) => expect(error).toBeInstanceOf(ImageDecodeError),
    );
  });
});

describe('detectImageType', () => {
  const write = async (name: string, bytes: Buffer | string) => {
    const file = temp(name);
    await writeFile(file, bytes);
    return detectImageType(file);
  };

  it('recognises the corpus formats from their bytes', async () => {
    expect(await detectImageType(asset('formats/heic/IMG_2682.heic'))).toMatchObject({ mime: 'image/heic', supported: true });
    expect(await detectImageType(asset('formats/motionphoto/samsung-one-ui-6.heic'))).toMatchObject({ mime: 'image/heic', supported: true });
    expect(await detectImageType(asset('formats/jxl/16bit-HDR-P3-nclx.jxl'))).toMatchObject({ mime: 'image/jxl', supported: true });
    expect(await detectImageType(asset('formats/jxl/8bit-sRGB.jxl'))).toMatchObject({ mime: 'image/jxl', ext: 'jxl' });
    expect(await detectImageType(asset('formats/avif/10bit-HDR-P3-nclx.avif'))).toMatchObject({ mime: 'image/avif', supported: true });
    expect(await detectImageType(asset('formats/webp/denali.webp'))).toMatchObject({ mime: 'image/webp', description: 'WebP image' });
    expect(await detectImageType(asset('formats/jpg/el_torcal_rocks.jpg'))).toEqual({
      mime: 'image/jpeg',
      ext: 'jpg',
      supported: true,
      description: 'JPEG image',
    });
  });

  it('PDF, ZIP, MP4, unknown binary', async () => {
    expect(await write('doc.jpg', '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n')).toEqual({
      mime: 'application/pdf',
      ext: 'pdf',
      supported: false,
      description: 'PDF document',
    });
    expect(await write('archive.jpg', zipWithOneFile('photo.txt', 'hello'))).toMatchObject({
      mime: 'application/zip',
      supported: false,
      description: 'ZIP archive',
    });
    // a video named .heic is a video (supported since videos are: by its content, never its name)
    expect(await write('clip.heic', isoFile('isom', ['isom', 'iso2', 'mp41']))).toMatchObject({ mime: 'video/mp4', supported: true, description: 'MP4 video' });
    const noise = Buffer.alloc(5000);
    for (let i = 0; i < noise.length; i += 1) noise[i] = (i * 7919 + 13) % 251;
    noise[0] = 0x00;
    noise[1] = 0x01;
    expect(await write('noise.jpg', noise)).toEqual({
      mime: 'application/octet-stream',
      ext: 'bin',
      supported: false,
      description: 'unrecognised binary data',
    });
  });

  it('text: UTF-8 (cut in the middle of a character by the sniff window), UTF-16, not binary', async () => {
    expect((await write('long.txt', 'é'.repeat(3000))).mime).toBe('text/plain');
    expect((await write('utf16.txt', Buffer.from('\ufeffhello', 'utf16le'))).mime).toBe('text/plain');
    expect((await write('ctrl.bin', Buffer.from('abc\x00\x01\x02def'))).mime).toBe('application/octet-stream');
  });

  it('HEIF brands: generic mif1 with AVIF or HEIC inside', async () => {
    expect(await write('a.heif', isoFile('mif1', ['mif1', 'miaf', 'avif']))).toMatchObject({ mime: 'image/avif', supported: true });
    expect(await write('b.heif', isoFile('mif1', ['mif1', 'heic']))).toMatchObject({ mime: 'image/heic', supported: true });
    expect(await write('c.heif', isoFile('mif1', ['mif1', 'miaf']))).toMatchObject({ mime: 'image/heif', supported: true });
  });

  it('TIFF-based RAW files are told from TIFF', async () => {
    expect(
      await write(
        'plain.tif',
        tiffHeader([
          [256, 4, 1, 10],
          [271, 2, 4, 0x004e4f53 /* "SON\0" */],
        ]),
      ),
    ).toMatchObject({ mime: 'image/tiff', supported: true });
    expect(
      await write(
        'x.dng',
        tiffHeader([
          [256, 4, 1, 10],
          [50706, 1, 4, 0x00000401],
        ]),
      ),
    ).toMatchObject({ mime: 'image/x-adobe-dng', ext: 'dng' });
    // "NIKON CORPORATION" + SubIFDs → NEF; the same Make on an editor's TIFF (no SubIFDs) stays TIFF.
    const nikon = tiffHeader(
      [
        [256, 4, 1, 10],
        [271, 2, 18, 200],
        [330, 4, 1, 300],
      ],
      { 200: 'NIKON CORPORATION\0' },
    );
    expect(await write('x.nef', nikon)).toMatchObject({ mime: 'image/x-nikon-nef', ext: 'nef', description: 'Nikon NEF RAW image' });
    const exported = tiffHeader(
      [
        [256, 4, 1, 10],
        [271, 2, 18, 200],
      ],
      { 200: 'NIKON CORPORATION\0' },
    );
    expect(await write('export.tif', exported)).toMatchObject({ mime: 'image/tiff' });
    const pentax = tiffHeader(
      [
        [256, 4, 1, 10],
        [262, 3, 1, 32803],
        [271, 2, 7, 200],
      ],
      { 200: 'PENTAX\0' },
    );
    expect(await write('x.pef', pentax)).toMatchObject({ mime: 'image/x-pentax-pef', supported: true });
    const samsung = tiffHeader(
      [
        [256, 4, 1, 10],
        [271, 2, 8, 200],
        [330, 4, 1, 300],
      ],
      { 200: 'SAMSUNG\0' },
    );
    expect(await write('x.srw', samsung)).toMatchObject({ mime: 'image/x-samsung-srw', supported: true });
  });

  it('lists the supported formats', () => {
    for (const mime of [
      'image/jpeg',
      'image/png',
      'image/webp',
      'image/avif',
      'image/heic',
      'image/heif',
      'image/jxl',
      'image/tiff',
      'image/gif',
      'image/bmp',
      'image/x-adobe-dng',
      'image/x-canon-cr3',
      'image/x-sony-arw',
    ]) {
      expect(SUPPORTED_IMAGE_MIMES).toContain(mime);
    }
  });
});

// --- builders -------------------------------------------------------------------------------------------------

/** A PNG whose IHDR (with a correct CRC) claims the given size, followed by one tiny IDAT and IEND. */
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A bare JPEG XL codestream: signature and a SizeHeader (not small), then zero bits. */
function jxlCodestreamHeader(width: number, height: number): Buffer {
  const bits: number[] = [];
  const put = (value: number, n: number) => {
    for (let i = 0; i < n; i += 1) bits.push(Math.floor(value / 2 ** i) % 2);
  };
  put(0, 1); // not small
  put(2, 2); // U32 selector → 18 bits
  put(height - 1, 18);
  put(0, 3); // no ratio: explicit width
  put(2, 2);
  put(width - 1, 18);
  const out = Buffer.alloc(2 + 64);
  out[0] = 0xff;
  out[1] = 0x0a;
  bits.forEach((bit, i) => {
    out[2 + (i >> 3)]! |= bit << (i & 7);
  });
  return out;
}

/** 24-bit bottom-up BMP from RGB rows. */
function encodeBmp24(rgb: Buffer, width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  for (let y = 0; y < height; y += 1) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x += 1) {
      const s = (y * width + x) * 3;
      out[row + x * 3] = rgb[s + 2]!;
      out[row + x * 3 + 1] = rgb[s + 1]!;
      out[row + x * 3 + 2] = rgb[s]!;
    }
  }
  return out;
}

/** 8-bit palette BMP, top-down (negative height): horizontal stripes red / green / blue. */
function encodeBmp8Stripes(width: number, height: number): Buffer {
  const stride = Math.ceil(width / 4) * 4;
  const paletteAt = 54;
  const dataAt = paletteAt + 256 * 4;
  const out = Buffer.alloc(dataAt + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(dataAt, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(-height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(8, 28);
  out.writeUInt32LE(3, 46); // colours used
  [
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
  ].forEach(([r, g, b], i) => out.set([b!, g!, r!, 0], paletteAt + i * 4));
  for (let y = 0; y < height; y += 1) out.fill(Math.min(2, Math.floor((y * 3) / height)), dataAt + y * stride, dataAt + y * stride + width);
  return out;
}

/**
 * A little-endian TIFF header with IFD0 at offset 8 holding the given entries ([tag, type, count, value]);
 * `extra` places strings at absolute offsets (for values that do not fit in 4 bytes).
 */
function tiffHeader(entries: Array<[number, number, number, number]>, extra: Record<number, string> = {}): Buffer {
  const out = Buffer.alloc(512);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(8, 4);
  out.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    out.writeUInt32LE(count, at + 4);
    if (type === 3 && count === 1) out.writeUInt16LE(value, at + 8);
    else out.writeUInt32LE(value, at + 8);
  });
  for (const [offset, text] of Object.entries(extra)) out.write(text, Number(offset), 'latin1');
  return out;
}

/** A CR2-shaped file: TIFF + "CR" v2 marker, IFD0 = Canon's JPEG preview strip, Make and Orientation. */
function fakeCr2(jpeg: Buffer, width: number, height: number, orientation: number): Buffer {
  const make = 'Canon\0';
  const entries: Array<[number, number, number, number]> = [
    [256, 4, 1, width],
    [257, 4, 1, height],
    [259, 3, 1, 6], // old-style JPEG
    [271, 2, make.length, 200],
    [273, 4, 1, 256], // StripOffsets
    [274, 3, 1, orientation],
    [279, 4, 1, jpeg.length], // StripByteCounts
  ];
  const head = tiffHeader([], { 200: make }).subarray(0, 256);
  head.writeUInt32LE(16, 4); // IFD0 after the CR2 marker
  head.write('CR', 8, 'latin1');
  head[10] = 2;
  head.writeUInt16LE(entries.length, 16);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 18 + i * 12;
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(count, at + 4);
    if (type === 3 && count === 1) head.writeUInt16LE(value, at + 8);
    else head.writeUInt32LE(value, at + 8);
  });
  head.writeUInt32LE(0, 18 + entries.length * 12);
  return Buffer.concat([head, jpeg]);
}

/** An ISO BMFF file: 'ftyp' with the given brands, then an empty 'mdat'. */
function isoFile(major: string, compatible: string[]): Buffer {
  const ftyp = Buffer.alloc(16 + compatible.length * 4);
  ftyp.writeUInt32BE(ftyp.length, 0);
  ftyp.write('ftyp', 4, 'latin1');
  ftyp.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => ftyp.write(brand, 16 + i * 4, 'latin1'));
  const mdat = Buffer.alloc(8 + 64);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([ftyp, mdat]);
}

/** A ZIP archive with one stored file. */
function zipWithOneFile(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const nameBytes = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + nameBytes.length, 12);
  end.writeUInt32LE(30 + nameBytes.length + data.length, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}
