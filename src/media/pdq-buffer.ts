// PDQ's first half (docs/pdq.md): decoded pixels to the 64×64 float32 luma buffer the DCT reads, by luma, the
// reference's nearest-neighbour pre-scale, two passes of the Jarosz box filter and centre-sample decimation.
// Pure, and float32 throughout (Math.fround and Float32Array buffers), as the C++ reference.

import type { RawPixels } from './types.js';

/** float32 rounding: every step of the reference's arithmetic is rounded to it. */
export const f32 = Math.fround;

/** Side of the reference's nearest-neighbour pre-scale; images with a side above it are resized to it. */
const PRESCALE_DIM = 512;
const MIN_HASHABLE_DIM = 5;
const JAROSZ_PASSES = 2;

// Luma coefficients as float32, with per-byte lookup tables of coefficient × value (each a float32 product).
const LUMA_R = new Float32Array(256);
const LUMA_G = new Float32Array(256);
const LUMA_B = new Float32Array(256);
{
  const cr = f32(0.299);
  const cg = f32(0.587);
  const cb = f32(0.114);
  for (let v = 0; v < 256; v++) {
    LUMA_R[v] = cr * v;
    LUMA_G[v] = cg * v;
    LUMA_B[v] = cb * v;
  }
}

function validatePixels(pixels: RawPixels): void {
  const { width, height, channels, data } = pixels;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`PDQ: invalid dimensions ${width}×${height}`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new RangeError(`PDQ: unsupported channel count ${String(channels)}`);
  }
  if (!(data instanceof Uint8Array)) throw new TypeError('PDQ: pixel data must be a Uint8Array');
  if (data.length < width * height * channels) {
    throw new RangeError(`PDQ: pixel buffer holds ${data.length} bytes, ${width}×${height}×${channels} needs ${width * height * channels}`);
  }
}

/**
 * Luma of the image into a new Float32Array, applying the reference's pre-scale on the way: when either
 * side exceeds 512 the image is resampled (nearest neighbour, top-left aligned: output k reads source
 * floor(k·src/512)) to exactly 512×512, ignoring aspect ratio. Alpha is ignored.
 */
function lumaOf(pixels: RawPixels): { luma: Float32Array; rows: number; cols: number } {
  const { width, height, channels, data } = pixels;
  const prescale = width > PRESCALE_DIM || height > PRESCALE_DIM;
  const cols = prescale ? PRESCALE_DIM : width;
  const rows = prescale ? PRESCALE_DIM : height;
  const luma = new Float32Array(rows * cols);

  // Source column offset (in bytes, within a row) for each output column.
  const colOffset = new Int32Array(cols);
  for (let j = 0; j < cols; j++) {
    const sj = prescale ? Math.floor((j * width) / PRESCALE_DIM) : j;
    colOffset[j] = sj * channels;
  }
  const rowStride = width * channels;

  for (let i = 0; i < rows; i++) {
    const si = prescale ? Math.floor((i * height) / PRESCALE_DIM) : i;
    const rowBase = si * rowStride;
    const outBase = i * cols;
    if (channels === 1) {
      for (let j = 0; j < cols; j++) luma[outBase + j] = data[rowBase + colOffset[j]!]!;
    } else {
      for (let j = 0; j < cols; j++) {
        const p = rowBase + colOffset[j]!;
        // (0.299R + 0.587G) + 0.114B, each step rounded to float32.
        luma[outBase + j] = f32(LUMA_R[data[p]!]! + LUMA_G[data[p + 1]!]!) + LUMA_B[data[p + 2]!]!;
      }
    }
  }
  return { luma, rows, cols };
}

// The box mean: output i is the mean of inputs i − (window − half) … i + half − 1, half = (window + 2) div 2,
// clipped to the valid range and divided by the number of in-range samples. The running sum is float32,
// adding the entering sample before removing the leaving one, as the reference does.

/** Box mean along each row of `src` into `dst`. */
function boxAlongRows(src: Float32Array, dst: Float32Array, rows: number, cols: number, window: number): void {
  const half = (window + 2) >> 1;
  const lead = half - 1; // samples ahead of i inside the window
  const lag = window - half; // samples behind i inside the window
  // Outputs [steadyFrom, steadyTo) both add and remove a sample; the others clip at an edge.
  const steadyFrom = Math.min(lag + 1, cols);
  const steadyTo = Math.max(steadyFrom, cols - lead);
  const primed = Math.min(lead, cols);
  for (let row = 0, base = 0; row < rows; row++, base += cols) {
    let sum = 0;
    let count = 0;
    for (let r = 0; r < primed; r++) {
      sum = f32(sum + src[base + r]!);
      count++;
    }
    let i = 0;
    for (; i < steadyFrom; i++) {
      if (i + lead < cols) {
        sum = f32(sum + src[base + i + lead]!);
        count++;
      }
      if (i - lag - 1 >= 0) {
        sum = f32(sum - src[base + i - lag - 1]!);
        count--;
      }
      dst[base + i] = sum / count;
    }
    for (; i < steadyTo; i++) {
      sum = f32(f32(sum + src[base + i + lead]!) - src[base + i - lag - 1]!);
      dst[base + i] = sum / count;
    }
    for (; i < cols; i++) {
      if (i + lead < cols) {
        sum = f32(sum + src[base + i + lead]!);
        count++;
      }
      if (i - lag - 1 >= 0) {
        sum = f32(sum - src[base + i - lag - 1]!);
        count--;
      }
      dst[base + i] = sum / count;
    }
  }
}

/**
 * Box mean along each column of `src` into `dst`, walking whole rows at a time (cache-friendly) with one
 * float32 running sum per column in `sums` (a Float32Array store rounds exactly like Math.fround).
 */
function boxAlongCols(src: Float32Array, dst: Float32Array, rows: number, cols: number, window: number, sums: Float32Array): void {
  const half = (window + 2) >> 1;
  const lead = half - 1;
  const lag = window - half;
  sums.fill(0);
  let count = 0;
  const primed = Math.min(lead, rows);
  for (let r = 0; r < primed; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) sums[j] = sums[j]! + src[base + j]!;
    count++;
  }
  for (let i = 0; i < rows; i++) {
    const r = i + lead;
    const l = i - lag - 1;
    const out = i * cols;
    if (r < rows && l >= 0) {
      // Steady state, fused into one sweep: the window slides by one row and keeps its size.
      const add = r * cols;
      const sub = l * cols;
      for (let j = 0; j < cols; j++) {
        const s = f32(f32(sums[j]! + src[add + j]!) - src[sub + j]!);
        sums[j] = s;
        dst[out + j] = s / count;
      }
      continue;
    }
    if (r < rows) {
      const base = r * cols;
      for (let j = 0; j < cols; j++) sums[j] = sums[j]! + src[base + j]!;
      count++;
    }
    if (l >= 0) {
      const base = l * cols;
      for (let j = 0; j < cols; j++) sums[j] = sums[j]! - src[base + j]!;
      count--;
    }
    for (let j = 0; j < cols; j++) dst[out + j] = sums[j]! / count;
  }
}

/** Window size of the Jarosz filter for a dimension: ceil(dim / 128). */
function jaroszWindow(dim: number): number {
  return Math.floor((dim + 127) / 128);
}

/** Two rounds of (rows, then columns) box means, in place in `a`, using `tmp` as scratch. */
function jaroszBlur(a: Float32Array, tmp: Float32Array, rows: number, cols: number): void {
  const windowAlongRows = jaroszWindow(cols);
  const windowAlongCols = jaroszWindow(rows);
  const sums = new Float32Array(cols);
  for (let pass = 0; pass < JAROSZ_PASSES; pass++) {
    boxAlongRows(a, tmp, rows, cols, windowAlongRows);
    boxAlongCols(tmp, a, rows, cols, windowAlongCols, sums);
  }
}

/** Centre-sample decimation to 64×64. */
function decimate64(a: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const colIndex = new Int32Array(64);
  for (let j = 0; j < 64; j++) colIndex[j] = Math.floor(((j + 0.5) * cols) / 64);
  for (let i = 0; i < 64; i++) {
    const base = Math.floor(((i + 0.5) * rows) / 64) * cols;
    for (let j = 0; j < 64; j++) out[i * 64 + j] = a[base + colIndex[j]!]!;
  }
}

/** 64×64 luma buffer and quality, or null when the image is too small to hash. */
export function buffer64(pixels: RawPixels): Float32Array | null {
  validatePixels(pixels);
  if (pixels.width < MIN_HASHABLE_DIM || pixels.height < MIN_HASHABLE_DIM) return null;
  const { luma, rows, cols } = lumaOf(pixels);
  if (rows === 64 && cols === 64) return luma;
  const tmp = new Float32Array(rows * cols);
  jaroszBlur(luma, tmp, rows, cols);
  const out = new Float32Array(64 * 64);
  decimate64(luma, rows, cols, out);
  return out;
}
