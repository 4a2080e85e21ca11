// Decoding photos: one decode → thumbnail (WebP) + preview (JPEG), and the stored pixels for PDQ.
//
// sharp (libvips) reads JPEG, PNG, WebP, AVIF, TIFF and GIF; the rest goes through ./decoders/:
//   HEIC/HEIF → Debian's vips when installed, else libheif in WASM (heic-decode) in a worker;
//   JPEG XL → Debian's djxl when installed, else libjxl in WASM (@jsquash/jxl) in a worker;
//   camera RAW → the embedded JPEG preview (ExifTool); BMP → a small decoder of our own.
// A decoder that is not installed gives DecoderMissingError (what to install); a file that cannot be decoded
// gives ImageDecodeError (with the decoder's own words); an image over LIMIT_INPUT_PIXELS gives
// ImageTooLargeError before anything big is allocated.
//
// One decode per photo (decodePhoto): the pipeline needs the renditions *and* the stored pixels PDQ hashes at full
// size (its reference samples them by nearest neighbour: a reduced decode would not give its hashes). So an
// 8-bit RGB image is decoded once at full size, without colour management or rotation, as PDQ wants it; the
// renditions are resized from those pixels, then turned upright and converted to sRGB at preview size (a Display
// P3 → sRGB transform at full size cost ~70 ms of a 12 MP photo's ~190). 12 MP phone JPEGs on 2 cores: ~124 ms
// of CPU for renditions + stored pixels, against ~196 ms for the two decodes before (bench/README.md). Other
// images (alpha, 16-bit, CMYK, palettes, animations) take the route made for them.

import path from 'node:path';
import sharp from 'sharp';
import type { Metadata, OutputInfo, Sharp, SharpOptions } from 'sharp';
import {
  checkPixelLimit,
  errorMessage,
  ImageDecodeError,
  LIMIT_INPUT_PIXELS,
  type DecodedPixels,
} from './decoders/common.js';
import { decodeBmp } from './decoders/bmp.js';
import { decodeHeif, heifFullWithVips } from './decoders/heic.js';
import { isSrgbIcc, pngWithIcc } from './decoders/icc.js';
import { decodeJxl } from './decoders/jxl.js';
import { extractRawPreview } from './decoders/raw.js';
import { withTempDir } from './decoders/tools.js';
import { RAW_IMAGE_MIMES } from './detect.js';
import { decodeForPdq } from './pdq-file.js';
import type { RawPixels } from './types.js';

export {
  DecoderMissingError,
  ImageDecodeError,
  ImageTooLargeError,
  LIMIT_INPUT_PIXELS,
} from './decoders/common.js';
export { stopDecoderWorkers } from './decoders/wasm-worker.js';
export { closeRawExtractor } from './decoders/raw.js';

export interface RenditionOptions {
  /** Long side of the WebP thumbnail, default 250. */
  thumbnailSize?: number;
  /** Long side of the JPEG preview, default 1440. */
  previewSize?: number;
}

export interface Renditions {
  /** Upright pixel size (EXIF orientation applied) of the full image. */
  width: number;
  height: number;
  /** Pixel size as stored, i.e. as decodeStoredPixels() returns it (before EXIF orientation). */
  storedWidth: number;
  storedHeight: number;
  /** WebP, long side ≤ thumbnailSize, sRGB, no metadata, alpha kept. */
  thumbnail: Buffer;
  /** JPEG q82 baseline, long side ≤ previewSize, sRGB, no metadata, alpha flattened on white. */
  preview: Buffer;
  /** 'sharp' | 'vips' | 'heic-decode' | 'djxl' | 'jxl-wasm' | 'raw-preview' | 'bmp'. */
  decoder: string;
}

export const DEFAULT_THUMBNAIL_SIZE = 250;
export const DEFAULT_PREVIEW_SIZE = 1440;

// Baseline, not progressive: progressive encoding costs ~35 ms of CPU per 12 MP photo (22 → 26 photos/s).
const PREVIEW_JPEG = { quality: 82, progressive: false, mozjpeg: false, chromaSubsampling: '4:2:0' } as const;
const THUMBNAIL_WEBP = { quality: 80, effort: 2 } as const;
/** 'linear' (an antialiasing triangle filter, libvips scales it to the reduction) is ~10 ms cheaper than
 * lanczos3 per 12 MP photo and looks the same at a 1.4× reduction after shrink-on-load. */
const PREVIEW_KERNEL = 'linear' as const;

/** Lenient with the minor corruption real cameras produce, but a truncated file is an error. */
const INPUT: SharpOptions = { failOn: 'truncated', limitInputPixels: LIMIT_INPUT_PIXELS };

type Route = 'sharp' | 'heif' | 'heic' | 'jxl' | 'raw' | 'bmp';

function routeFor(mime: string): Route {
  if (mime === 'image/heic' || mime === 'image/heic-sequence') return 'heic';
  if (mime === 'image/heif' || mime === 'image/heif-sequence') return 'heif'; // AVIF or HEVC inside: try sharp first
  if (mime === 'image/jxl') return 'jxl';
  if (mime === 'image/bmp') return 'bmp';
  if (RAW_IMAGE_MIMES.includes(mime)) return 'raw';
  return 'sharp';
}

const labelOf = (file: string, mime: string) => `${path.basename(file)} (${mime})`;

export interface DecodedPhoto extends Renditions {
  /**
   * The stored pixels as decodeStoredPixels() gives them, when this decode produced them at full size anyway;
   * null when the route made the renditions from a reduced decode (then decodeStoredPixels reads them).
   */
  stored: RawPixels | null;
}

/** Thumbnail, preview, true dimensions and, where one decode gives them, the stored pixels for PDQ. */
export async function decodePhoto(file: string, mime: string, opts: RenditionOptions = {}): Promise<DecodedPhoto> {
  const sizes = {
    thumbnail: positive(opts.thumbnailSize, DEFAULT_THUMBNAIL_SIZE),
    preview: positive(opts.previewSize, DEFAULT_PREVIEW_SIZE),
  };
  const label = labelOf(file, mime);
  switch (routeFor(mime)) {
    case 'sharp':
      return fromSharpFileOnce(file, label, sizes, 'sharp');
    case 'heif':
      try {
        return await fromSharpFileOnce(file, label, sizes, 'sharp');
      } catch (error) {
        if (!isHevcError(error)) throw error;
        return heicDecoded(file, label, sizes);
      }
    case 'heic':
      return heicDecoded(file, label, sizes);
    case 'jxl':
      return fromPixelsOnce(await decodeJxl(file, label), label, sizes);
    case 'bmp':
      return fromPixelsOnce(await decodeBmp(file, label), label, sizes);
    case 'raw':
      return withTempDir(async (dir) => {
        const preview = await extractRawPreview(file, dir, label);
        return fromSharpFileOnce(preview.file, label, sizes, 'raw-preview', preview.orientation);
      });
  }
}

/** Thumbnail and preview from one decode, plus the true dimensions. */
export async function makeRenditions(file: string, mime: string, opts: RenditionOptions = {}): Promise<Renditions> {
  const { stored: _stored, ...renditions } = await decodePhoto(file, mime, opts);
  return renditions;
}

/**
 * The stored pixels (no EXIF rotation), 8-bit, alpha dropped, grey kept as one channel: what PDQ hashes.
 * For files sharp reads, exactly what ./pdq-file.ts gives (no ICC conversion, as the reference).
 */
export async function decodeStoredPixels(file: string, mime: string): Promise<RawPixels> {
  const label = labelOf(file, mime);
  switch (routeFor(mime)) {
    case 'sharp':
      return storedViaSharp(file, label);
    case 'heif':
      try {
        return await storedViaSharp(file, label);
      } catch (error) {
        if (!isHevcError(error)) throw error;
        return heicStored(file, label);
      }
    case 'heic':
      return heicStored(file, label);
    case 'jxl':
      return toRawPixels(await decodeJxl(file, label));
    case 'bmp':
      return toRawPixels(await decodeBmp(file, label));
    case 'raw':
      return withTempDir(async (dir) => storedViaSharp((await extractRawPreview(file, dir, label)).file, label));
  }
}

// --- sharp ----------------------------------------------------------------------------------------------------

interface Sizes {
  thumbnail: number;
  preview: number;
}

const positive = (value: number | undefined, fallback: number) =>
  value !== undefined && Number.isFinite(value) && value >= 1 ? Math.round(value) : fallback;

/** sharp's error, as an ImageDecodeError that names the file and keeps sharp's text. */
function sharpError(error: unknown, label: string): ImageDecodeError {
  if (error instanceof ImageDecodeError) return error;
  const text = errorMessage(error)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 3)
    .join('; ');
  return new ImageDecodeError(`${label}: cannot decode: ${text}`);
}

const isHevcError = (error: unknown) => /HEVC|libde265|bad seek|unsupported image format/i.test(errorMessage(error));

async function headerOf(file: string, label: string): Promise<Metadata> {
  let meta: Metadata;
  try {
    // Reading the header allocates nothing big; sharp's own limit here would hide the size in its message.
    meta = await sharp(file, { ...INPUT, limitInputPixels: false }).metadata();
  } catch (error) {
    throw sharpError(error, label);
  }
  if (!meta.width || !meta.height) throw new ImageDecodeError(`${label}: cannot decode: no image size in the header`);
  checkPixelLimit(meta.width, meta.pageHeight ?? meta.height, label);
  return meta;
}

/** The transforms that make EXIF orientation n upright (for a RAW's preview, whose own EXIF says nothing);
 * checked against sharp's autoOrient for all 8 in the tests. */
function orient(image: Sharp, orientation: number): Sharp {
  switch (orientation) {
    case 2:
      return image.flop();
    case 3:
      return image.rotate(180);
    case 4:
      return image.flip();
    // sharp mirrors before it rotates, whatever the call order: transpose (5) is mirror + 270°.
    case 5:
      return image.rotate(270).flop();
    case 6:
      return image.rotate(90);
    case 7:
      return image.rotate(90).flop();
    case 8:
      return image.rotate(270);
    default:
      return image;
  }
}

/**
 * Renditions of a file sharp reads, from a shrink-on-load decode. `orientation` given: apply it by hand and ignore
 * the file's own (a RAW's preview, a HEIC decoded upright).
 */
async function fromSharpFile(file: string, label: string, sizes: Sizes, decoder: string, orientation?: number): Promise<Renditions> {
  const meta = await headerOf(file, label);
  const storedWidth = meta.width!;
  const storedHeight = meta.pageHeight ?? meta.height!;
  let width: number;
  let height: number;
  let image: Sharp;
  if (orientation === undefined) {
    const turned = (meta.orientation ?? 1) >= 5;
    width = turned ? storedHeight : storedWidth;
    height = turned ? storedWidth : storedHeight;
    image = sharp(file, { ...INPUT, autoOrient: true });
  } else {
    const turned = orientation >= 5;
    width = turned ? storedHeight : storedWidth;
    height = turned ? storedWidth : storedHeight;
    image = orient(sharp(file, { ...INPUT, autoOrient: false }), orientation);
  }
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await image
      .resize(sizes.preview, sizes.preview, { fit: 'inside', withoutEnlargement: true, kernel: PREVIEW_KERNEL })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw sharpError(error, label);
  }
  const { thumbnail, preview } = await encodeRenditions(decoded.data, decoded.info, sizes, label);
  return { width, height, storedWidth, storedHeight, thumbnail, preview, decoder };
}

/** 8-bit RGB or grey, one page, no alpha, no palette: what one full decode serves both renditions and PDQ for. */
function isPlainImage(meta: Metadata): boolean {
  const rgb = meta.channels === 3 && (meta.space === 'srgb' || meta.space === 'rgb');
  const grey = meta.channels === 1 && meta.space === 'b-w';
  return (rgb || grey) && meta.depth === 'uchar' && !meta.isPalette && !meta.hasAlpha && (meta.pages ?? 1) === 1;
}

/**
 * Renditions and stored pixels of a file sharp reads, from one full-size decode when the image is plain 8-bit
 * RGB or grey (see isPlainImage); otherwise the renditions alone (fromSharpFile). `orientation` given: apply it
 * and ignore the file's own (a RAW's preview, a HEIC decoded upright).
 */
async function fromSharpFileOnce(file: string, label: string, sizes: Sizes, decoder: string, orientation?: number): Promise<DecodedPhoto> {
  const meta = await headerOf(file, label);
  if (!isPlainImage(meta)) return { ...(await fromSharpFile(file, label, sizes, decoder, orientation)), stored: null };
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    // As PDQ's reference sees the file: no rotation, no colour management.
    decoded = await sharp(file, { ...INPUT, autoOrient: false, ignoreIcc: true })
      .toColourspace(meta.channels === 1 ? 'b-w' : 'srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw sharpError(error, label);
  }
  const { width: storedWidth, height: storedHeight, channels } = decoded.info;
  if (channels !== 1 && channels !== 3) throw new ImageDecodeError(`${label}: cannot decode: ${channels} channels where 1 or 3 were expected`);
  const turns = orientation ?? meta.orientation ?? 1;
  const icc = meta.icc && !isSrgbIcc(meta.icc) ? meta.icc : null;
  const { thumbnail, preview } = await renditionsFromStored(decoded, turns, icc, label, sizes);
  const turned = turns >= 5;
  return {
    width: turned ? storedHeight : storedWidth,
    height: turned ? storedWidth : storedHeight,
    storedWidth,
    storedHeight,
    thumbnail,
    preview,
    decoder,
    stored: { data: new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength), width: storedWidth, height: storedHeight, channels },
  };
}

/**
 * Preview and thumbnail from full-size stored pixels: resized first, then turned upright and converted to sRGB
 * from `icc` (both much cheaper at preview size than at 12 MP).
 */
async function renditionsFromStored(
  decoded: { data: Buffer; info: OutputInfo },
  orientation: number,
  icc: Buffer | null,
  label: string,
  sizes: Sizes,
): Promise<{ thumbnail: Buffer; preview: Buffer }> {
  let upright: { data: Buffer; info: OutputInfo };
  try {
    const { width, height, channels } = decoded.info;
    const small = await sharp(decoded.data, { raw: { width, height, channels } })
      .resize(sizes.preview, sizes.preview, { fit: 'inside', withoutEnlargement: true, kernel: PREVIEW_KERNEL })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: small.info.width, height: small.info.height, channels: small.info.channels } };
    // Raw pixels cannot carry a profile: a PNG with an iCCP chunk does, and sharp converts it like any tagged file.
    const tagged = icc ? sharp(pngWithIcc(await sharp(small.data, raw).png({ compressionLevel: 0 }).toBuffer(), icc)) : sharp(small.data, raw);
    upright = await orient(tagged, orientation).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw sharpError(error, label);
  }
  return encodeRenditions(upright.data, upright.info, sizes, label);
}

async function storedViaSharp(file: string, label: string): Promise<RawPixels> {
  await headerOf(file, label);
  try {
    return await decodeForPdq(file);
  } catch (error) {
    throw sharpError(error, label);
  }
}

// --- HEIC ----------------------------------------------------------------------------------------------------

/**
 * HEIC: one full decode by Debian's `vips` when installed (faster), else by libheif in WASM; the renditions and the
 * stored pixels both come from it. Both decoders turn the image upright (the container's irot/imir).
 */
async function heicDecoded(file: string, label: string, sizes: Sizes): Promise<DecodedPhoto> {
  const size = await heifSize(file);
  if (size) checkPixelLimit(size.width, size.height, label);
  return withTempDir(async (dir) => {
    const full = size ? await heifFullWithVips(file, dir, label) : null;
    if (!full) return fromPixelsOnce(await decodeHeif(file, label), label, sizes);
    const decoded = await fromSharpFileOnce(full, label, sizes, 'vips', 1);
    return decoded.stored ? decoded : { ...decoded, stored: await storedViaSharp(full, label) };
  });
}

async function heicStored(file: string, label: string): Promise<RawPixels> {
  const size = await heifSize(file);
  if (size) checkPixelLimit(size.width, size.height, label);
  return withTempDir(async (dir) => {
    const full = size ? await heifFullWithVips(file, dir, label) : null;
    if (full) return storedViaSharp(full, label);
    return toRawPixels(await decodeHeif(file, label));
  });
}

/** Upright size of a HEIF's primary image from its header (sharp's libheif parses the container), or null. */
async function heifSize(file: string): Promise<{ width: number; height: number } | null> {
  try {
    const meta = await sharp(file, { ...INPUT, limitInputPixels: false }).metadata();
    return meta.width && meta.height ? { width: meta.width, height: meta.height } : null;
  } catch {
    return null;
  }
}

// --- decoded pixels -------------------------------------------------------------------------------------------

async function fromPixelsOnce(pixels: DecodedPixels, label: string, sizes: Sizes): Promise<DecodedPhoto> {
  return { ...(await fromPixels(pixels, label, sizes)), stored: toRawPixels(pixels) };
}

async function fromPixels(pixels: DecodedPixels, label: string, sizes: Sizes): Promise<Renditions> {
  const { width, height } = pixels;
  checkPixelLimit(width, height, label);
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    let image = sharp(pixels.data, { raw: { width, height, channels: pixels.channels }, limitInputPixels: LIMIT_INPUT_PIXELS });
    if (pixels.opaqueAlpha) image = image.removeAlpha();
    image = image.resize(sizes.preview, sizes.preview, { fit: 'inside', withoutEnlargement: true, kernel: PREVIEW_KERNEL });
    if (pixels.icc) {
      // Tag the reduced image with its profile so that sharp converts it to sRGB.
      const png = await image.png({ compressionLevel: 0 }).toBuffer();
      image = sharp(pngWithIcc(png, pixels.icc));
    }
    decoded = await image.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw sharpError(error, label);
  }
  const { thumbnail, preview } = await encodeRenditions(decoded.data, decoded.info, sizes, label);
  return { width, height, storedWidth: width, storedHeight: height, thumbnail, preview, decoder: pixels.decoder };
}

async function encodeRenditions(
  data: Buffer,
  info: OutputInfo,
  sizes: Sizes,
  label: string,
): Promise<{ thumbnail: Buffer; preview: Buffer }> {
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const alpha = info.channels === 2 || info.channels === 4;
  try {
    const [preview, thumbnail] = await Promise.all([
      (alpha ? sharp(data, raw).flatten({ background: '#ffffff' }) : sharp(data, raw)).jpeg(PREVIEW_JPEG).toBuffer(),
      sharp(data, raw)
        .resize(sizes.thumbnail, sizes.thumbnail, { fit: 'inside', withoutEnlargement: true })
        .webp(THUMBNAIL_WEBP)
        .toBuffer(),
    ]);
    return { thumbnail, preview };
  } catch (error) {
    throw sharpError(error, label);
  }
}

/** 8-bit, alpha dropped, grey kept: the RawPixels shape PDQ takes. 16-bit samples are rounded (v / 257). */
function toRawPixels(pixels: DecodedPixels): RawPixels {
  const { width, height, channels: inChannels, data } = pixels;
  const colour = inChannels >= 3;
  const outChannels = colour ? 3 : 1;
  const n = width * height;
  const out = new Uint8Array(n * outChannels);
  const wide = data instanceof Uint16Array;
  for (let p = 0, i = 0, o = 0; p < n; p += 1, i += inChannels) {
    for (let c = 0; c < outChannels; c += 1, o += 1) {
      const v = data[i + c]!;
      out[o] = wide ? Math.floor((v + 128) / 257) : v;
    }
  }
  return { data: out, width, height, channels: outChannels };
}
