// Decoding for PP-OCR and running its detector: the image upright as RGB pixels, and the DB detector's text boxes.
import sharp, { type ResizeOptions } from 'sharp';
import type * as Ort from 'onnxruntime-node';
import { errorMessage, ImageDecodeError } from '../../media/decoders/common.js';
import type { RgbImage } from './crop.js';
import { dbBoxes } from './db-postprocess.js';
import { rectCorners, type RotatedRect } from './geometry.js';

/** Boxes read per photo at most (a page of text has a few hundred lines). */
const MAX_BOXES = 1000;

/**
 * The photo upright at most `side` on its long side; with `native`, at least `side` and at a power-of-two fraction of
 * its size (a JPEG decoder scales by 1/2, 1/4, 1/8 as it decodes: a 12 MP photo read at 2,000 px costs a quarter of
 * a full decode, and no resampling blurs it).
 */
export async function decodeRgb(file: string, side: number, native = false): Promise<RgbImage> {
  try {
    let target = side;
    if (native) {
      const { width = side, height = side } = await sharp(file).metadata();
      target = Math.max(width, height);
      while (target / 2 >= side) target /= 2;
      target = Math.round(target);
    }
    return await uprightRgb(file, { width: target, height: target, fit: 'inside', withoutEnlargement: true });
  } catch (error) {
    throw new ImageDecodeError(`OCR cannot read ${file}: ${errorMessage(error)}`);
  }
}

/** The photo turned upright, sRGB without alpha, resized as asked, as raw RGB. */
async function uprightRgb(file: string, resize: ResizeOptions): Promise<RgbImage> {
  const { data, info } = await sharp(file).rotate().removeAlpha().toColourspace('srgb').resize(resize).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** The photo's upright size from its header (no decode). */
export async function uprightSize(file: string): Promise<{ width: number; height: number }> {
  try {
    const meta = await sharp(file).metadata();
    if (!meta.width || !meta.height) throw new Error('no dimensions');
    const swap = (meta.orientation ?? 1) >= 5;
    return swap ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
  } catch (error) {
    throw new ImageDecodeError(`OCR cannot read ${file}: ${errorMessage(error)}`);
  }
}

/** Text boxes in the image's pixels, found at most `side` pixels on the long side (multiples of 32). */
export async function detectText(ort: typeof Ort, session: Ort.InferenceSession, image: RgbImage, side: number): Promise<RotatedRect[]> {
  const scale = Math.min(1, side / Math.max(image.width, image.height));
  const width = Math.max(32, Math.round((image.width * scale) / 32) * 32);
  const height = Math.max(32, Math.round((image.height * scale) / 32) * 32);
  const pixels = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  // BGR planes, normalised as PaddleOCR's NormalizeImage does an OpenCV (BGR) image: ImageNet's RGB mean and
  // deviation applied in BGR order, as the models were trained
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  const plane = width * height;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) input[c * plane + i] = (pixels[i * 3 + (2 - c)]! / 255 - mean[c]!) / std[c]!;
  }
  const output = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, height, width]) });
  const map = output[session.outputNames[0]!]!.data as Float32Array;
  return dbBoxes(map, width, height, image.width / width, image.height / height)
    .slice(0, MAX_BOXES)
    .map((box) => box.rect);
}

/** Long sides over this many times the short one are looked at in tiles (long screenshots, panoramas). */
export const TILED_ASPECT = 3;
/** A tiled image is decoded with its short side at most this… */
const TILED_SHORT_SIDE = 800;
/** …and its long side at most this (a 1080 × 20,000 screenshot: 800 × 14,800). */
const TILED_LONG_SIDE = 16_000;

/** An elongated image narrower than this has no line of text in it. */
const MIN_TILED_SHORT_SIDE = 12;

/** Whether an image of this size is looked at in tiles. */
export function isElongated(size: { width: number; height: number }): boolean {
  return Math.max(size.width, size.height) > TILED_ASPECT * Math.min(size.width, size.height);
}

/** An elongated photo upright, at a size where its text is as large as on a phone's screen. */
export async function decodeElongated(file: string, upright: { width: number; height: number }): Promise<RgbImage> {
  const scale = Math.min(1, TILED_SHORT_SIDE / Math.min(upright.width, upright.height), TILED_LONG_SIDE / Math.max(upright.width, upright.height));
  const width = Math.max(1, Math.round(upright.width * scale));
  const height = Math.max(1, Math.round(upright.height * scale));
  try {
    return await uprightRgb(file, { width, height, fit: 'fill' });
  } catch (error) {
    throw new ImageDecodeError(`OCR cannot read ${file}: ${errorMessage(error)}`);
  }
}

/**
 * Text boxes of an elongated image, found in overlapping tiles about twice as long as it is wide (each its own
 * detector run, ~20 at most); a box found in two tiles is kept once.
 */
export async function detectTiled(ort: typeof Ort, session: Ort.InferenceSession, image: RgbImage, side: number): Promise<RotatedRect[]> {
  const across = image.width >= image.height;
  const short = Math.min(image.width, image.height);
  const long = Math.max(image.width, image.height);
  if (short < MIN_TILED_SHORT_SIDE) return []; // a line of pixels holds no text
  // tiles twice as long as wide, overlapping by a quarter; longer when that would make more than ~20
  const length = Math.min(long, Math.max(2 * short, Math.ceil(long / 16)));
  const stride = Math.max(1, Math.round(0.75 * length));
  const found: RotatedRect[] = [];
  for (let start = 0; start < long; start += stride) {
    const from = Math.min(start, Math.max(0, long - length));
    const tile = crop(image, across ? { x: from, y: 0, width: length, height: short } : { x: 0, y: from, width: short, height: length });
    for (const rect of await detectText(ort, session, tile, side)) found.push(across ? { ...rect, cx: rect.cx + from } : { ...rect, cy: rect.cy + from });
    if (from + length >= long) break;
  }
  return withoutDuplicates(found);
}

/** A region of the image, copied. */
function crop(image: RgbImage, region: { x: number; y: number; width: number; height: number }): RgbImage {
  const data = new Uint8Array(region.width * region.height * 3);
  for (let y = 0; y < region.height; y++) {
    const from = ((region.y + y) * image.width + region.x) * 3;
    data.set(image.data.subarray(from, from + region.width * 3), y * region.width * 3);
  }
  return { data, width: region.width, height: region.height };
}

/** Boxes without those mostly inside a larger one (the same text seen in two overlapping tiles). */
function withoutDuplicates(rects: readonly RotatedRect[]): RotatedRect[] {
  const bounds = (r: RotatedRect) => {
    const corners = rectCorners(r);
    const xs = corners.map((p) => p.x);
    const ys = corners.map((p) => p.y);
    return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
  };
  const sorted = [...rects].sort((a, b) => b.width * b.height - a.width * a.height);
  const kept: { rect: RotatedRect; box: ReturnType<typeof bounds> }[] = [];
  for (const rect of sorted) {
    const box = bounds(rect);
    const area = (box.x1 - box.x0) * (box.y1 - box.y0);
    const covered = kept.some(({ box: k }) => {
      const w = Math.min(k.x1, box.x1) - Math.max(k.x0, box.x0);
      const h = Math.min(k.y1, box.y1) - Math.max(k.y0, box.y0);
      return w > 0 && h > 0 && w * h > 0.6 * area;
    });
    if (!covered) kept.push({ rect, box });
  }
  return kept.map(({ rect }) => rect);
}
