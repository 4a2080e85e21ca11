// Synthetic PDQ hashes for the duplicate-check benchmark. A real photo's PDQ hash has exactly 128 of its 256 bits
// set (each bit says whether a DCT coefficient is above the median), so random hashes are drawn balanced, and a
// near-copy flips as many ones as zeros to stay (almost) balanced.
import { PDQ_DIHEDRAL_NAMES, type PdqDihedralName } from '../../src/media/pdq-dihedral.js';
import type { Rng } from '../search/generate.js';

export const HASH_BITS = 256;
const HASH_BYTES = HASH_BITS / 8;

/** 32 bytes; the hex form prints them in order. */
export type Hash = Uint8Array;

const bit = (hash: Hash, i: number) => (hash[i >> 3]! >> (i & 7)) & 1;
const flip = (hash: Hash, i: number) => (hash[i >> 3]! ^= 1 << (i & 7));

/** `count` distinct values from `pool`, drawn by a partial Fisher–Yates shuffle (the pool is reordered). */
function draw(rng: Rng, pool: number[], count: number): number[] {
  for (let k = 0; k < count; k += 1) {
    const j = k + rng.int(pool.length - k);
    [pool[k], pool[j]] = [pool[j]!, pool[k]!];
  }
  return pool.slice(0, count);
}

/** A random hash with exactly 128 bits set. */
export function randomHash(rng: Rng): Hash {
  const hash = new Uint8Array(HASH_BYTES);
  const positions = Array.from({ length: HASH_BITS }, (_, i) => i);
  for (const i of draw(rng, positions, HASH_BITS / 2)) flip(hash, i);
  return hash;
}

/** A copy at exactly `distance` bits: half the flips turn ones off, half turn zeros on (one more off when odd). */
export function nearCopy(rng: Rng, hash: Hash, distance: number): Hash {
  const ones: number[] = [];
  const zeros: number[] = [];
  for (let i = 0; i < HASH_BITS; i += 1) (bit(hash, i) ? ones : zeros).push(i);
  const copy = Uint8Array.from(hash);
  const off = Math.ceil(distance / 2);
  for (const i of [...draw(rng, ones, off), ...draw(rng, zeros, distance - off)]) flip(copy, i);
  return copy;
}

export function toHex(hash: Hash): string {
  return Buffer.from(hash).toString('hex');
}

export function fromHex(hex: string): Hash {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/**
 * A photo's hashes as stored: the original and the 7 other orientations in PDQ_DIHEDRAL_NAMES order (as
 * photos.pdq_variants holds them). Random: the orientations share no structure here, except that a mirrored
 * copy's orientations are its source's, permuted (mirroredCopyHashes).
 */
export interface PhotoHashes {
  original: Hash;
  variants: Hash[];
}

/** Index of the `flipy` orientation (the mirror image, left to right) in PhotoHashes.variants. */
export const FLIPY_VARIANT = PDQ_DIHEDRAL_NAMES.indexOf('flipy') - 1;

/** A photo's hash in one orientation. */
export function orientation(photo: PhotoHashes, name: PdqDihedralName): Hash {
  const i = PDQ_DIHEDRAL_NAMES.indexOf(name);
  return i === 0 ? photo.original : photo.variants[i - 1]!;
}

/** The hash of the photo's mirror image (what photo_pdq_keys stores with mirrored = true). */
export const mirrorHash = (photo: PhotoHashes): Hash => photo.variants[FLIPY_VARIANT]!;

export function randomPhotoHashes(rng: Rng): PhotoHashes {
  return { original: randomHash(rng), variants: Array.from({ length: 7 }, () => randomHash(rng)) };
}

/** A near-copy of a photo: every orientation `distance` bits from the source's same orientation. */
export function nearCopyHashes(rng: Rng, source: PhotoHashes, distance: number): PhotoHashes {
  return { original: nearCopy(rng, source.original, distance), variants: source.variants.map((v) => nearCopy(rng, v, distance)) };
}

// The eight orientations as maps of an n×n grid (pdqDihedral's names: rot90 turns counter-clockwise, flipx swaps
// top and bottom, flipy left and right, flipplus1 transposes about the main diagonal, flipminus1 the other).
type Grid = number[][];
const TURNS: Record<PdqDihedralName, (m: Grid, i: number, j: number, n: number) => number> = {
  original: (m, i, j) => m[i]![j]!,
  rot90: (m, i, j, n) => m[j]![n - 1 - i]!,
  rot180: (m, i, j, n) => m[n - 1 - i]![n - 1 - j]!,
  rot270: (m, i, j, n) => m[n - 1 - j]![i]!,
  flipx: (m, i, j, n) => m[n - 1 - i]![j]!,
  flipy: (m, i, j, n) => m[i]![n - 1 - j]!,
  flipplus1: (m, i, j) => m[j]![i]!,
  flipminus1: (m, i, j, n) => m[n - 1 - j]![n - 1 - i]!,
};
const apply = (name: PdqDihedralName, m: Grid): Grid => m.map((row, i) => row.map((_, j) => TURNS[name](m, i, j, m.length)));

/**
 * For each orientation g, the orientation h with h(S) = g(flipy(S)): a mirror image's hash in orientation g is
 * its source's hash in orientation h (flipy ↦ original, original ↦ flipy).
 */
const MIRRORED_ORIENTATION: PdqDihedralName[] = (() => {
  const grid: Grid = [0, 1, 2].map((i) => [0, 1, 2].map((j) => 3 * i + j));
  const key = (m: Grid) => m.flat().join();
  return PDQ_DIHEDRAL_NAMES.map((g) => {
    const target = key(apply(g, apply('flipy', grid)));
    return PDQ_DIHEDRAL_NAMES.find((h) => key(apply(h, grid)) === target)!;
  });
})();

/**
 * A near-copy of the photo's mirror image: each orientation `distance` bits from the source's matching one, so
 * its original is near the source's flipy hash (found through the source's mirrored keys) and its flipy hash near
 * the source's original (what the evidence's closest orientation measures).
 */
export function mirroredCopyHashes(rng: Rng, source: PhotoHashes, distance: number): PhotoHashes {
  const [original, ...variants] = MIRRORED_ORIENTATION.map((h) => nearCopy(rng, orientation(source, h), distance));
  return { original: original!, variants };
}
