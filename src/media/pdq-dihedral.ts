// The PDQ hashes of the eight rotations and mirrorings of an image, from one DCT (./pdq.ts). Pure.

import { coefficients, hashHex, ZERO_HASH } from './pdq.js';
import type { RawPixels } from './types.js';

/** Names of the eight dihedral variants, in the reference's `--pdqdih` order. */
export const PDQ_DIHEDRAL_NAMES = ['original', 'rot90', 'rot180', 'rot270', 'flipx', 'flipy', 'flipplus1', 'flipminus1'] as const;
export type PdqDihedralName = (typeof PDQ_DIHEDRAL_NAMES)[number];

export interface PdqDihedralResult {
  quality: number;
  hashes: Record<PdqDihedralName, string>;
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
