// Dominant colours of an image: weighted k-means in OKLab over a 15-bit colour histogram, seeded
// deterministically (greedy k-means++: the heaviest colour first, then whichever colour has the largest
// weight × squared distance to its nearest seed), then near-identical clusters merged. No randomness:
// the same pixels always give the same palette.

import sharp from 'sharp';

import type { PaletteColour, RawPixels } from './types.js';

/** Clusters closer than this in OKLab (≈ 2 just-noticeable differences) are reported as one colour. */
const MERGE_DISTANCE = 0.04;
const MAX_ITERATIONS = 24;
/** Side to which paletteFromImage shrinks its input before clustering. */
const PALETTE_SAMPLE_SIDE = 64;

// sRGB byte → linear light.
const SRGB_TO_LINEAR = new Float64Array(256);
for (let v = 0; v < 256; v++) {
  const c = v / 255;
  SRGB_TO_LINEAR[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function linearToSrgbByte(x: number): number {
  const c = x <= 0.0031308 ? 12.92 * x : 1.055 * Math.max(x, 0) ** (1 / 2.4) - 0.055;
  return Math.min(255, Math.max(0, Math.round(c * 255)));
}

/** sRGB (0…255 floats, gamma-encoded) → OKLab, written to out[o…o+2]. */
function srgbToOklab(r: number, g: number, b: number, out: Float64Array, o: number): void {
  const lr = srgbFloatToLinear(r);
  const lg = srgbFloatToLinear(g);
  const lb = srgbFloatToLinear(b);
  const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  out[o] = 0.2104542553 * l + 0.793617785 * m - 0.0040720403 * s;
  out[o + 1] = 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s;
  out[o + 2] = 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s;
}

function srgbFloatToLinear(v: number): number {
  if (Number.isInteger(v)) return SRGB_TO_LINEAR[v]!;
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function oklabToHex(L: number, a: number, b: number): string {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const r = linearToSrgbByte(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s);
  const g = linearToSrgbByte(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s);
  const bl = linearToSrgbByte(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s);
  return '#' + [r, g, bl].map((v) => v.toString(16).padStart(2, '0')).join('');
}

function dist2(p: Float64Array, i: number, q: Float64Array, j: number): number {
  const dl = p[i]! - q[j]!;
  const da = p[i + 1]! - q[j + 1]!;
  const db = p[i + 2]! - q[j + 2]!;
  return dl * dl + da * da + db * db;
}

/**
 * The dominant colours of the image with their shares of the (non-transparent) pixels, largest share
 * first. Near-identical colours are merged, so a flat image yields a single colour with share 1; at most
 * `count` colours are returned. An image with no opaque pixel yields [].
 */
export function extractPalette(pixels: RawPixels, count = 5): PaletteColour[] {
  const { data, width, height, channels } = pixels;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`palette size must be a positive integer, got ${count}`);
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new RangeError(`unsupported channel count ${String(channels)}`);
  const n = width * height;
  if (data.length < n * channels) throw new RangeError(`pixel buffer too small for ${width}×${height}×${channels}`);

  // 1. Histogram over 32×32×32 bins, keeping each bin's pixel count and summed sRGB.
  const binCount = new Uint32Array(32768);
  const binSum = new Float64Array(32768 * 3);
  let total = 0;
  for (let p = 0, o = 0; p < n; p++, o += channels) {
    let r: number;
    let g: number;
    let b: number;
    if (channels === 1) {
      r = g = b = data[o]!;
    } else {
      if (channels === 4 && data[o + 3] === 0) continue;
      r = data[o]!;
      g = data[o + 1]!;
      b = data[o + 2]!;
    }
    const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    binCount[key]!++;
    const o3 = key * 3;
    binSum[o3] = binSum[o3]! + r;
    binSum[o3 + 1] = binSum[o3 + 1]! + g;
    binSum[o3 + 2] = binSum[o3 + 2]! + b;
    total++;
  }
  if (total === 0) return [];

  // 2. Each occupied bin as one weighted OKLab point (its mean colour).
  let m = 0;
  for (let k = 0; k < 32768; k++) if (binCount[k]! > 0) m++;
  const pts = new Float64Array(m * 3);
  const wts = new Float64Array(m);
  for (let k = 0, q = 0; k < 32768; k++) {
    const c = binCount[k]!;
    if (c === 0) continue;
    srgbToOklab(binSum[k * 3]! / c, binSum[k * 3 + 1]! / c, binSum[k * 3 + 2]! / c, pts, q * 3);
    wts[q] = c;
    q++;
  }

  // 3. Deterministic greedy k-means++ seeding.
  const k = Math.min(count, m);
  const centres = new Float64Array(k * 3);
  const nearest = new Float64Array(m).fill(Infinity);
  let heaviest = 0;
  for (let i = 1; i < m; i++) if (wts[i]! > wts[heaviest]!) heaviest = i;
  let seeds = 0;
  let next = heaviest;
  while (seeds < k) {
    centres.set(pts.subarray(next * 3, next * 3 + 3), seeds * 3);
    seeds++;
    let best = -1;
    let bestScore = 0;
    for (let i = 0; i < m; i++) {
      const d = dist2(pts, i * 3, centres, (seeds - 1) * 3);
      if (d < nearest[i]!) nearest[i] = d;
      const score = wts[i]! * nearest[i]!;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) break; // every point coincides with a seed
    next = best;
  }

  // 4. Weighted Lloyd iterations.
  const assign = new Int32Array(m).fill(-1);
  const sums = new Float64Array(seeds * 3);
  const mass = new Float64Array(seeds);
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    let changed = false;
    for (let i = 0; i < m; i++) {
      let bestC = 0;
      let bestD = Infinity;
      for (let c = 0; c < seeds; c++) {
        const d = dist2(pts, i * 3, centres, c * 3);
        if (d < bestD) {
          bestD = d;
          bestC = c;
        }
      }
      if (assign[i] !== bestC) {
        assign[i] = bestC;
        changed = true;
      }
    }
    if (!changed && iter > 0) break;
    sums.fill(0);
    mass.fill(0);
    for (let i = 0; i < m; i++) {
      const c = assign[i]!;
      const w = wts[i]!;
      mass[c] = mass[c]! + w;
      sums[c * 3] = sums[c * 3]! + w * pts[i * 3]!;
      sums[c * 3 + 1] = sums[c * 3 + 1]! + w * pts[i * 3 + 1]!;
      sums[c * 3 + 2] = sums[c * 3 + 2]! + w * pts[i * 3 + 2]!;
    }
    for (let c = 0; c < seeds; c++) {
      const w = mass[c]!;
      if (w > 0) for (let d = 0; d < 3; d++) centres[c * 3 + d] = sums[c * 3 + d]! / w;
    }
  }

  // 5. Clusters with their mass; merge the closest pair while it is near-identical.
  const clusters: { L: number; a: number; b: number; w: number }[] = [];
  for (let c = 0; c < seeds; c++) {
    if (mass[c]! > 0) clusters.push({ L: centres[c * 3]!, a: centres[c * 3 + 1]!, b: centres[c * 3 + 2]!, w: mass[c]! });
  }
  const limit = MERGE_DISTANCE * MERGE_DISTANCE;
  for (;;) {
    let bi = -1;
    let bj = -1;
    let bd = limit;
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        const x = clusters[i]!;
        const y = clusters[j]!;
        const d = (x.L - y.L) ** 2 + (x.a - y.a) ** 2 + (x.b - y.b) ** 2;
        if (d < bd) {
          bd = d;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) break;
    const x = clusters[bi]!;
    const y = clusters[bj]!;
    const w = x.w + y.w;
    clusters[bi] = {
      L: (x.L * x.w + y.L * y.w) / w,
      a: (x.a * x.w + y.a * y.w) / w,
      b: (x.b * x.w + y.b * y.w) / w,
      w,
    };
    clusters.splice(bj, 1);
  }

  return clusters
    .map((c) => ({ hex: oklabToHex(c.L, c.a, c.b), share: c.w / total }))
    .sort((p, q) => q.share - p.share || (p.hex < q.hex ? -1 : p.hex > q.hex ? 1 : 0))
    .map((c) => ({ hex: c.hex, share: Math.round(c.share * 10000) / 10000 }));
}

/** Palette of an image file or buffer (in practice our ~250 px WebP thumbnail), shrunk to ≤ 64 px first. */
export async function paletteFromImage(input: string | Buffer, count = 5): Promise<PaletteColour[]> {
  const { data, info } = await sharp(input, { failOn: 'none' })
    .resize({ width: PALETTE_SAMPLE_SIDE, height: PALETTE_SAMPLE_SIDE, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`paletteFromImage: expected RGBA, got ${info.channels} channels`);
  return extractPalette({ data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 4 }, count);
}
