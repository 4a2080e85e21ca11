// How sharp and how well exposed a picture is, measured on its grey levels: pure functions, no I/O. The best shot of
// a stack or a duplicate group is chosen from these (library/best-shot/score.ts).
import type { ImageQuality } from '../model/image-quality.js';

export type { ImageQuality };

/** Tiles along the long side: 90 px tiles on a 1,440 px preview, small enough to find a subject in a blurred scene. */
export const QUALITY_TILES_LONG_SIDE = 16;
/** Grey levels at or below (above) which a pixel counts as crushed shadow (blown highlight). */
const SHADOW_LEVEL = 8;
const HIGHLIGHT_LEVEL = 247;
/** Means darker than this are taken as this when sharpness is divided by them (a black frame is not infinitely sharp). */
const MIN_LEVEL = 20;

/** Measures an 8-bit grey image (row by row, one byte per pixel). */
export function measureImageQuality(grey: Uint8Array, width: number, height: number): ImageQuality {
  if (grey.length < width * height) throw new RangeError(`expected ${width * height} grey bytes, got ${grey.length}`);
  const long = Math.max(width, height);
  const cols = Math.max(1, Math.round((QUALITY_TILES_LONG_SIDE * width) / long));
  const rows = Math.max(1, Math.round((QUALITY_TILES_LONG_SIDE * height) / long));
  const energy = new Float64Array(cols * rows);
  const count = new Float64Array(cols * rows);
  const histogram = new Float64Array(256);
  // Every other pixel of every other row: the Laplacian still looks at its direct neighbours (the finest detail), and
  // a quarter of 1.5 MP is plenty for an RMS per tile and a histogram, at a quarter of the cost.
  const colOf = new Int32Array(width);
  for (let x = 0; x < width; x++) colOf[x] = Math.min(cols - 1, Math.floor((x * cols) / width));
  for (let y = 1; y < height - 1; y += 2) {
    const row = y * width;
    const tileRow = Math.min(rows - 1, Math.floor((y * rows) / height)) * cols;
    for (let x = 1; x < width - 1; x += 2) {
      const i = row + x;
      const v = grey[i]!;
      histogram[v]!++;
      const lap = grey[i - 1]! + grey[i + 1]! + grey[i - width]! + grey[i + width]! - 4 * v;
      const tile = tileRow + colOf[x]!;
      energy[tile]! += lap * lap;
      count[tile]!++;
    }
  }
  // an image too small to sample (under 3 px a side) is measured by its histogram alone
  if (width < 3 || height < 3) for (let i = 0; i < width * height; i++) histogram[grey[i]!]!++;
  let sum = 0;
  let pixels = 0;
  for (let v = 0; v < 256; v++) {
    sum += v * histogram[v]!;
    pixels += histogram[v]!;
  }
  let shadows = 0;
  let highlights = 0;
  for (let v = 0; v <= SHADOW_LEVEL; v++) shadows += histogram[v]!;
  for (let v = HIGHLIGHT_LEVEL; v < 256; v++) highlights += histogram[v]!;
  const low = percentileLevel(histogram, pixels * 0.01);
  const high = 255 - percentileLevel(histogram.slice().reverse(), pixels * 0.01);
  const tiles = Array.from(energy, (e, i) => round1(count[i]! > 0 ? Math.sqrt(e / count[i]!) : 0));
  return {
    width,
    height,
    cols,
    rows,
    tiles,
    luma: round1(sum / Math.max(1, pixels)),
    shadows: round4(shadows / Math.max(1, pixels)),
    highlights: round4(highlights / Math.max(1, pixels)),
    low,
    high,
  };
}

/**
 * The sharpness of what is in focus: the mean of the sharpest tenth of the tiles, per 100 grey levels of the mean
 * (a darker or brighter exposure of one shot measures the same). A portrait with a soft background is as sharp as its
 * subject; a shaken or misfocused shot has no sharp tile at all.
 */
export function subjectSharpness(quality: Pick<ImageQuality, 'tiles' | 'luma'>): number {
  const sorted = [...quality.tiles].sort((a, b) => b - a);
  const top = sorted.slice(0, Math.max(1, Math.round(sorted.length / 10)));
  const rms = top.reduce((s, v) => s + v, 0) / Math.max(1, top.length);
  return (rms / Math.max(quality.luma, MIN_LEVEL)) * 100;
}

/**
 * Sharpness of a rectangle of a grey image (pixels): RMS Laplacian per 100 grey levels of its mean, so that the same
 * face darker or brighter measures the same; its one-pixel frame left out; 0 for an empty rectangle.
 */
export function rectSharpness(grey: Uint8Array, width: number, height: number, rect: { x0: number; y0: number; x1: number; y1: number }): number {
  const x0 = Math.max(1, Math.floor(rect.x0));
  const y0 = Math.max(1, Math.floor(rect.y0));
  const x1 = Math.min(width - 1, Math.ceil(rect.x1));
  const y1 = Math.min(height - 1, Math.ceil(rect.y1));
  let energy = 0;
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      const lap = grey[i - 1]! + grey[i + 1]! + grey[i - width]! + grey[i + width]! - 4 * grey[i]!;
      energy += lap * lap;
      sum += grey[i]!;
      n++;
    }
  }
  return n > 0 ? round1((Math.sqrt(energy / n) / Math.max(sum / n, MIN_LEVEL)) * 100) : 0;
}

/** The first level at which the histogram's running count passes `count`. */
function percentileLevel(histogram: Float64Array, count: number): number {
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v]!;
    if (seen > count) return v;
  }
  return histogram.length - 1;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

function round4(v: number): number {
  return Math.round(v * 10000) / 10000;
}
