// PDQ perceptual hash (Meta ThreatExchange), written from the prose description in
// docs/pdq.md. Pure: pixels in, hash out. Arithmetic is float32 throughout (Math.fround and
// Float32Array buffers) to follow the C++ reference as closely as possible.

import type { PdqResult, RawPixels } from './types.js';

export { PDQ_MATCH_DISTANCE, PDQ_MIN_QUALITY } from '../config/tuning.js';

/** Names of the eight dihedral variants, in the reference's `--pdqdih` order. */
export const PDQ_DIHEDRAL_NAMES = [
  'original',
  'rot90',
  'rot180',
  'rot270',
  'flipx',
  'flipy',
  'flipplus1',
  'flipminus1',
] as const;
export type PdqDihedralName = (typeof PDQ_DIHEDRAL_NAMES)[number];

export interface PdqDihedralResult {
  quality: number;
  hashes: Record<PdqDihedralName, string>;
}

const f32 = Math.fround;

/** Side of the reference's nearest-neighbour pre-scale; images with a side above it are resized to it. */
const PRESCALE_DIM = 512;
const MIN_HASHABLE_DIM = 5;
const JAROSZ_PASSES = 2;
const ZERO_HASH = '0'.repeat(64);

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

// DCT matrix D (16×64), row-major: D[i][j] = sqrt(2/64) · cos(π (i+1)(2j+1) / 128), kept as float32.
const DCT = new Float32Array(16 * 64);
{
  const scale = Math.sqrt(2 / 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      DCT[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
    }
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
    throw new RangeError(
      `PDQ: pixel buffer holds ${data.length} bytes, ${width}×${height}×${channels} needs ${width * height * channels}`,
    );
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
function boxAlongCols(
  src: Float32Array,
  dst: Float32Array,
  rows: number,
  cols: number,
  window: number,
  sums: Float32Array,
): void {
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

/** Gradient-based quality 0…100 of the 64×64 buffer. */
function quality64(a: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      const d = f32(f32(f32(a[(i + 1) * 64 + j]! - a[i * 64 + j]!) * 100) / 255);
      sum += Math.abs(Math.trunc(d));
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      const d = f32(f32(f32(a[i * 64 + j + 1]! - a[i * 64 + j]!) * 100) / 255);
      sum += Math.abs(Math.trunc(d));
    }
  }
  return Math.min(100, Math.floor(sum / 90));
}

/** B = D · A · Dᵀ (16×16, row = vertical frequency), as T = D·A then B = T·Dᵀ, float32 sums. */
function dct16(a: Float32Array, out: Float32Array): void {
  const t = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let s = 0;
      for (let k = 0; k < 64; k++) s = f32(s + f32(DCT[i * 64 + k]! * a[k * 64 + j]!));
      t[i * 64 + j] = s;
    }
  }
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let s = 0;
      for (let k = 0; k < 64; k++) s = f32(s + f32(t[i * 64 + k]! * DCT[j * 64 + k]!));
      out[i * 16 + j] = s;
    }
  }
}

/** Torben's selection median (lower median for an even count), without modifying or copying the input. */
function torbenMedian(m: Float32Array): number {
  const n = m.length;
  let min = m[0]!;
  let max = m[0]!;
  for (let i = 1; i < n; i++) {
    const v = m[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const half = (n + 1) >> 1;
  let less = 0;
  let greater = 0;
  let equal = 0;
  let guess = min;
  let maxLtGuess = min;
  let minGtGuess = max;
  for (let iter = 0; ; iter++) {
    if (iter > 1000) return sortedLowerMedian(m); // float pathology guard; never seen in practice
    guess = f32(f32(min + max) / 2);
    less = 0;
    greater = 0;
    equal = 0;
    maxLtGuess = min;
    minGtGuess = max;
    for (let i = 0; i < n; i++) {
      const v = m[i]!;
      if (v < guess) {
        less++;
        if (v > maxLtGuess) maxLtGuess = v;
      } else if (v > guess) {
        greater++;
        if (v < minGtGuess) minGtGuess = v;
      } else {
        equal++;
      }
    }
    if (less <= half && greater <= half) break;
    if (less > greater) max = maxLtGuess;
    else min = minGtGuess;
  }
  if (less >= half) return maxLtGuess;
  if (less + equal >= half) return guess;
  return minGtGuess;
}

function sortedLowerMedian(m: Float32Array): number {
  const s = Float32Array.from(m).sort();
  return s[((s.length + 1) >> 1) - 1]!;
}

/** Median threshold of a 16×16 coefficient matrix, formatted as PDQ hex (word 15 first, word 0 last). */
function hashHex(b: Float32Array): string {
  const median = torbenMedian(b);
  let hex = '';
  for (let i = 15; i >= 0; i--) {
    let word = 0;
    for (let j = 0; j < 16; j++) if (b[i * 16 + j]! > median) word |= 1 << j;
    hex += word.toString(16).padStart(4, '0');
  }
  return hex;
}

/** 64×64 luma buffer and quality, or null when the image is too small to hash. */
function buffer64(pixels: RawPixels): Float32Array | null {
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

function coefficients(pixels: RawPixels): { quality: number; dct: Float32Array } | null {
  const a = buffer64(pixels);
  if (a === null) return null;
  const dct = new Float32Array(256);
  dct16(a, dct);
  return { quality: quality64(a), dct };
}

/** PDQ hash and quality of decoded pixels (stored orientation, as the reference hashes them). */
export function pdqFromPixels(pixels: RawPixels): PdqResult {
  const c = coefficients(pixels);
  if (c === null) return { hash: ZERO_HASH, quality: 0 };
  return { hash: hashHex(c.dct), quality: c.quality };
}

/**
 * The hashes of all eight rotations/mirrorings of the image, derived from one DCT by sign changes and
 * transposes. rot90 / rot270 are counter-clockwise / clockwise quarter turns; flipx swaps top and
 * bottom, flipy mirrors left-right, flipplus1 transposes about the main diagonal, flipminus1 about
 * the anti-diagonal.
 */
export function pdqDihedral(pixels: RawPixels): PdqDihedralResult {
  const c = coefficients(pixels);
  if (c === null) {
    const hashes = {} as Record<PdqDihedralName, string>;
    for (const name of PDQ_DIHEDRAL_NAMES) hashes[name] = ZERO_HASH;
    return { quality: 0, hashes };
  }
  const b = c.dct;
  const v = new Float32Array(256);
  // Fill v from b: transpose or not, and a sign per (i, j) of the source coefficient.
  const variant = (transpose: boolean, negate: (i: number, j: number) => boolean): string => {
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 16; j++) {
        const x = negate(i, j) ? -b[i * 16 + j]! : b[i * 16 + j]!;
        v[transpose ? j * 16 + i : i * 16 + j] = x;
      }
    }
    return hashHex(v);
  };
  const even = (k: number): boolean => (k & 1) === 0;
  const hashes: Record<PdqDihedralName, string> = {
    original: hashHex(b),
    rot90: variant(true, (_i, j) => even(j)),
    rot180: variant(false, (i, j) => !even(i + j)),
    rot270: variant(true, (i) => even(i)),
    flipx: variant(false, (i) => even(i)),
    flipy: variant(false, (_i, j) => even(j)),
    flipplus1: variant(true, () => false),
    flipminus1: variant(true, (i, j) => !even(i + j)),
  };
  return { quality: c.quality, hashes };
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of differing bits between two 256-bit PDQ hashes given as 64 hex digits. */
export function hammingDistance(a: string, b: string): number {
  if (typeof a !== 'string' || !HEX64.test(a)) throw new TypeError(`not a 64-hex-digit PDQ hash: ${String(a)}`);
  if (typeof b !== 'string' || !HEX64.test(b)) throw new TypeError(`not a 64-hex-digit PDQ hash: ${String(b)}`);
  let d = 0;
  for (let k = 0; k < 64; k += 8) {
    d += popcount32((parseInt(a.slice(k, k + 8), 16) ^ parseInt(b.slice(k, k + 8), 16)) >>> 0);
  }
  return d;
}
