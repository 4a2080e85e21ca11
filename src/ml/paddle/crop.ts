// Taking a text box out of the decoded photo as the recogniser's input: the rectangle (at any angle) sampled into
// a fixed-height strip, straightened, averaged over several samples per output pixel when it shrinks (no aliasing of
// a large sign), written as PaddleOCR's models were trained: BGR, planar, (value / 255 − 0.5) / 0.5. Pure.
import { pointInRect, type RotatedRect } from './geometry.js';

export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Where a strip goes in a batch tensor of `count` × 3 × `height` × `width` (the rest of its row stays 0: grey). */
export interface StripTarget {
  tensor: Float32Array;
  index: number;
  height: number;
  /** The tensor's width; the strip may be narrower. */
  width: number;
}

/** The same rectangle turned: by a quarter turn counter-clockwise (text written upwards) or half a turn. */
export function turned(rect: RotatedRect, quarterTurns: 1 | 2 | 3): RotatedRect {
  const angle = rect.angle - (quarterTurns * Math.PI) / 2;
  return quarterTurns === 2 ? { ...rect, angle } : { ...rect, angle, width: rect.height, height: rect.width };
}

/** The strip's width for a rectangle of this shape at the target height, between `min` and `max`. */
export function stripWidth(rect: RotatedRect, height: number, min: number, max: number): number {
  const ratio = rect.width / Math.max(1, rect.height);
  return Math.max(min, Math.min(max, Math.round(height * ratio)));
}

/** Samples the rectangle into `stripW` × target height pixels at the target's place. */
export function sampleStrip(image: RgbImage, rect: RotatedRect, stripW: number, target: StripTarget): void {
  sampleInto(image, rect, 0, stripW, target);
}

/**
 * A column of CJK text (a shop sign) laid out as a line: its square cells, top to bottom, side by side, each
 * character upright (the recogniser reads lines). Returns the strip's width.
 */
export function sampleColumn(image: RgbImage, rect: RotatedRect, target: StripTarget): number {
  const cells = Math.max(1, Math.round(rect.height / Math.max(1, rect.width)));
  const side = target.height;
  for (let i = 0; i < cells && (i + 1) * side <= target.width; i++) {
    const centre = pointInRect(rect, 0.5, (i + 0.5) / cells);
    const cell = { cx: centre.x, cy: centre.y, width: rect.width, height: rect.height / cells, angle: rect.angle };
    sampleInto(image, cell, i * side, side, target);
  }
  return Math.min(cells * side, target.width);
}

/** Columns a column's cells need at the target height. */
export function columnWidth(rect: RotatedRect, height: number): number {
  return Math.max(1, Math.round(rect.height / Math.max(1, rect.width))) * height;
}

function sampleInto(image: RgbImage, rect: RotatedRect, x0: number, stripW: number, target: StripTarget): void {
  const { tensor, index, height, width } = target;
  const plane = height * width;
  const base = index * 3 * plane;
  // samples per output pixel along each axis: enough that every source pixel is seen when shrinking
  const kx = Math.max(1, Math.min(4, Math.round(rect.width / stripW)));
  const ky = Math.max(1, Math.min(4, Math.round(rect.height / height)));
  const samples = kx * ky;
  const pixel = [0, 0, 0];
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < Math.min(stripW, width - x0); u++) {
      pixel[0] = pixel[1] = pixel[2] = 0;
      for (let sy = 0; sy < ky; sy++) {
        for (let sx = 0; sx < kx; sx++) {
          const p = pointInRect(rect, (u + (sx + 0.5) / kx) / stripW, (v + (sy + 0.5) / ky) / height);
          bilinear(image, p.x - 0.5, p.y - 0.5, pixel);
        }
      }
      const at = base + v * width + x0 + u;
      // BGR planes
      tensor[at] = (pixel[2]! / samples / 255 - 0.5) / 0.5;
      tensor[at + plane] = (pixel[1]! / samples / 255 - 0.5) / 0.5;
      tensor[at + 2 * plane] = (pixel[0]! / samples / 255 - 0.5) / 0.5;
    }
  }
}

/** Adds the image's RGB at (x, y), interpolated, edges repeated, to `into`. */
function bilinear(image: RgbImage, x: number, y: number, into: number[]): void {
  const { data, width, height } = image;
  const cx = Math.min(Math.max(x, 0), width - 1);
  const cy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const a = (y0 * width + x0) * 3;
  const b = (y0 * width + x1) * 3;
  const c = (y1 * width + x0) * 3;
  const d = (y1 * width + x1) * 3;
  for (let ch = 0; ch < 3; ch++) {
    const top = data[a + ch]! + (data[b + ch]! - data[a + ch]!) * fx;
    const bottom = data[c + ch]! + (data[d + ch]! - data[c + ch]!) * fx;
    into[ch] = into[ch]! + top + (bottom - top) * fy;
  }
}
