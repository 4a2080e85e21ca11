// What the fallback decoders (HEIC, JPEG XL, RAW, BMP) hand back to ../decode-pixels.ts, and the errors they throw.

import { LIMIT_INPUT_PIXELS } from '../pixel-limit.js';

export { LIMIT_INPUT_PIXELS };

/** Decoded pixels, interleaved. 16-bit samples come as a Uint16Array in machine byte order. */
export interface DecodedPixels {
  data: Uint8Array | Uint16Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  /** ICC profile of the pixels when it is not sRGB (they are converted to sRGB for renditions). */
  icc?: Buffer;
  /** The last channel is an alpha channel that is known to be fully opaque (drop it). */
  opaqueAlpha?: boolean;
  /** Which decoder produced them, e.g. 'heic-decode', 'djxl', 'jxl-wasm'. */
  decoder: string;
}

/** The format needs a decoder that is not installed here; the message says what to install. */
export class DecoderMissingError extends Error {
  override readonly name = 'DecoderMissingError';
  constructor(
    readonly format: string,
    message: string,
  ) {
    super(message);
  }
}

/** The file is not a decodable image (truncated, corrupt, too large…): the file itself is unusable. */
export class ImageDecodeError extends Error {
  override readonly name: string = 'ImageDecodeError';
}

/** The image is larger than LIMIT_INPUT_PIXELS. */
export class ImageTooLargeError extends ImageDecodeError {
  override readonly name = 'ImageTooLargeError';
  constructor(
    readonly width: number,
    readonly height: number,
    label: string,
  ) {
    super(`${label}: image is ${width}×${height} (${megapixels(width * height)} MP), over the ` + `${megapixels(LIMIT_INPUT_PIXELS)} MP limit`);
  }
}

const megapixels = (pixels: number) => (pixels / 1e6).toFixed(pixels < 1e7 ? 1 : 0);

/** Throws ImageTooLargeError when width × height is over the limit (or a size is not a positive integer). */
export function checkPixelLimit(width: number, height: number, label: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageDecodeError(`${label}: invalid image size ${width}×${height}`);
  }
  if (width * height > LIMIT_INPUT_PIXELS) throw new ImageTooLargeError(width, height, label);
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The decoded pixels, when they are the image the header declared (either way round: decoders apply the
 * orientation) and as many samples as their size needs; else an ImageDecodeError, not a picture made up of
 * whatever the buffer held (a file that is only a header must not become a black photo).
 */
export function checkDeclaredSize(pixels: DecodedPixels, declared: { width: number; height: number } | null, label: string): DecodedPixels {
  const { width, height, channels, data } = pixels;
  if (declared && !((width === declared.width && height === declared.height) || (width === declared.height && height === declared.width))) {
    throw new ImageDecodeError(`${label}: decoded to ${width}×${height}, but its header declares ${declared.width}×${declared.height}`);
  }
  if (data.length !== width * height * channels) {
    throw new ImageDecodeError(`${label}: decoded ${data.length} samples, but a ${width}×${height} image needs ${width * height * channels}`);
  }
  return pixels;
}
