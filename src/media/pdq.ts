// PDQ perceptual hash (Meta ThreatExchange), written from the prose description in
// docs/pdq.md. Pure: pixels in, hash out. Arithmetic is float32 throughout (Math.fround and
// Float32Array buffers) to follow the C++ reference as closely as possible.
//
// This file holds the DCT, the quality and the median threshold; the 64×64 buffer they read is ./pdq-buffer.ts's,
// the eight dihedral variants ./pdq-dihedral.ts's, the distance between hashes ./pdq-distance.ts's.

import { buffer64, f32 } from './pdq-buffer.js';
import type { PdqResult, RawPixels } from './types.js';

/** The hash of an image too small to hash. */
export const ZERO_HASH = '0'.repeat(64);

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
export function hashHex(b: Float32Array): string {
  const median = torbenMedian(b);
  let hex = '';
  for (let i = 15; i >= 0; i--) {
    let word = 0;
    for (let j = 0; j < 16; j++) if (b[i * 16 + j]! > median) word |= 1 << j;
    hex += word.toString(16).padStart(4, '0');
  }
  return hex;
}

/** The 16×16 DCT coefficients and the quality of the image's 64×64 buffer, or null when it is too small to hash. */
export function coefficients(pixels: RawPixels): { quality: number; dct: Float32Array } | null {
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
