// The sharpness and exposure measures of an image file (the upright preview): decode to grey, then measure.
import sharp from 'sharp';
import { errorMessage, ImageDecodeError } from './decoders/common.js';
import { measureImageQuality, type ImageQuality } from './image-quality.js';

/** The long side pictures are measured at: the preview's. */
export const MEASURE_SIDE = 1440;

/**
 * Grey levels of an image file, upright, long side `side`: a smaller picture is enlarged to it, so that a half-size
 * copy measures as soft as it looks next to its original, not as sharp per pixel.
 */
export async function decodeGrey(file: string, side = MEASURE_SIDE): Promise<{ data: Uint8Array; width: number; height: number }> {
  try {
    const meta = await sharp(file).metadata();
    // a preview is upright and of this size already: no rotation or resampling pass (a third of the cost)
    const ready = (meta.orientation ?? 1) === 1 && Math.max(meta.width ?? 0, meta.height ?? 0) === side;
    const image = ready ? sharp(file) : sharp(file).rotate().resize({ width: side, height: side, fit: 'inside' });
    const { data, info } = await image.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected one grey channel, got ${info.channels}`);
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw new ImageDecodeError(`cannot measure ${file}: ${errorMessage(error)}`);
  }
}

export async function measureImageFile(file: string): Promise<ImageQuality> {
  const grey = await decodeGrey(file);
  return measureImageQuality(grey.data, grey.width, grey.height);
}
