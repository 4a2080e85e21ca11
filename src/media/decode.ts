// Decoding photos: one decode → thumbnail (WebP) + preview (JPEG), and the stored pixels for PDQ.
//
// sharp (libvips) reads JPEG, PNG, WebP, AVIF, TIFF and GIF; the rest goes through ./decoders/:
//   HEIC/HEIF → Debian's vips when installed, else libheif in WASM (heic-decode) in a worker;
//   JPEG XL → Debian's djxl when installed, else libjxl in WASM (@jsquash/jxl) in a worker;
//   camera RAW → the embedded JPEG preview (ExifTool); BMP → a small decoder of our own;
//   a video → its poster frame, taken by ffmpeg (./video/).
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
//
// This file routes a file to its decoder; ./decode-sharp.ts and ./decode-pixels.ts make the renditions
// (./renditions.ts) and the stored pixels.

import path from 'node:path';
import { checkPixelLimit, errorMessage } from './decoders/common.js';
import { decodeBmp } from './decoders/bmp.js';
import { decodeHeif, heifFullWithVips } from './decoders/heic.js';
import { decodeJxl } from './decoders/jxl.js';
import { extractRawPreview } from './decoders/raw.js';
import { withTempDir } from './decoders/tools.js';
import { fromPixelsOnce, toRawPixels } from './decode-pixels.js';
import { fromSharpFileOnce, heifSize, storedViaSharp } from './decode-sharp.js';
import { RAW_IMAGE_MIMES } from './detect.js';
import type { DecodedPhoto, Renditions, Sizes } from './renditions.js';
import { isVideoMime } from '../model/video.js';
import { decodeVideo } from './video/decode-video.js';
import type { RawPixels } from './types.js';

export interface RenditionOptions {
  /** Long side of the WebP thumbnail, default 250. */
  thumbnailSize?: number;
  /** Long side of the JPEG preview, default 1440. */
  previewSize?: number;
}

export const DEFAULT_THUMBNAIL_SIZE = 250;
export const DEFAULT_PREVIEW_SIZE = 1440;
export const DEFAULT_SIZES: Sizes = { thumbnail: DEFAULT_THUMBNAIL_SIZE, preview: DEFAULT_PREVIEW_SIZE };

type Route = 'sharp' | 'heif' | 'heic' | 'jxl' | 'raw' | 'bmp' | 'video';

function routeFor(mime: string): Route {
  if (isVideoMime(mime)) return 'video';
  if (mime === 'image/heic' || mime === 'image/heic-sequence') return 'heic';
  if (mime === 'image/heif' || mime === 'image/heif-sequence') return 'heif'; // AVIF or HEVC inside: try sharp first
  if (mime === 'image/jxl') return 'jxl';
  if (mime === 'image/bmp') return 'bmp';
  if (RAW_IMAGE_MIMES.includes(mime)) return 'raw';
  return 'sharp';
}

/** How errors name a file: its base name and type, never the data folder's path. */
export const labelOf = (file: string, mime: string) => `${path.basename(file)} (${mime})`;

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
    case 'video':
      return decodeVideo(file, label, sizes);
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
    case 'video': {
      const { stored } = await decodeVideo(file, label, DEFAULT_SIZES);
      if (!stored) throw new Error(`${label}: the poster frame gave no stored pixels`);
      return stored;
    }
  }
}

const positive = (value: number | undefined, fallback: number) => (value !== undefined && Number.isFinite(value) && value >= 1 ? Math.round(value) : fallback);

const isHevcError = (error: unknown) => /HEVC|libde265|bad seek|unsupported image format/i.test(errorMessage(error));

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
