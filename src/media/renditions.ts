// The renditions a decode hands back (WebP thumbnail, JPEG preview), the settings they are encoded with, and
// sharp's errors as ImageDecodeError: what every decode route (./decode-sharp.ts, ./decode-pixels.ts) shares.

import sharp, { type OutputInfo } from 'sharp';
import { errorMessage, ImageDecodeError } from './decoders/common.js';
import type { RawPixels } from './types.js';

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

export interface DecodedPhoto extends Renditions {
  /**
   * The stored pixels as decodeStoredPixels() gives them, when this decode produced them at full size anyway;
   * null when the route made the renditions from a reduced decode (then decodeStoredPixels reads them).
   */
  stored: RawPixels | null;
}

/** Long sides of the thumbnail and the preview. */
export interface Sizes {
  thumbnail: number;
  preview: number;
}

// Baseline, not progressive: progressive encoding costs ~35 ms of CPU per 12 MP photo (22 → 26 photos/s).
const PREVIEW_JPEG = { quality: 82, progressive: false, mozjpeg: false, chromaSubsampling: '4:2:0' } as const;
const THUMBNAIL_WEBP = { quality: 80, effort: 2 } as const;
/** 'linear' (an antialiasing triangle filter, libvips scales it to the reduction) is ~10 ms cheaper than
 * lanczos3 per 12 MP photo and looks the same at a 1.4× reduction after shrink-on-load. */
export const PREVIEW_KERNEL = 'linear' as const;

/** sharp's error, as an ImageDecodeError that names the file and keeps sharp's text. */
export function sharpError(error: unknown, label: string): ImageDecodeError {
  if (error instanceof ImageDecodeError) return error;
  const text = errorMessage(error)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 3)
    .join('; ');
  return new ImageDecodeError(`${label}: cannot decode: ${text}`);
}

/** The WebP thumbnail and the JPEG preview of upright sRGB pixels already at preview size. */
export async function encodeRenditions(data: Buffer, info: OutputInfo, sizes: Sizes, label: string): Promise<{ thumbnail: Buffer; preview: Buffer }> {
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const alpha = info.channels === 2 || info.channels === 4;
  try {
    const [preview, thumbnail] = await Promise.all([
      (alpha ? sharp(data, raw).flatten({ background: '#ffffff' }) : sharp(data, raw)).jpeg(PREVIEW_JPEG).toBuffer(),
      sharp(data, raw).resize(sizes.thumbnail, sizes.thumbnail, { fit: 'inside', withoutEnlargement: true }).webp(THUMBNAIL_WEBP).toBuffer(),
    ]);
    return { thumbnail, preview };
  } catch (error) {
    throw sharpError(error, label);
  }
}
