// Multi-index hashing for PDQ: find every stored hash within Hamming distance D of a query with
// equality lookups on an ordinary B-tree index, instead of scanning all hashes.
//
// A 256-bit hash is cut into 16 words of 16 bits. Each photo stores 16 rows (idx, word). If two hashes are
// at distance d ≤ D, their 16 word distances sum to d, so at least one word differs in at most
// floor(D / 16) bits (pigeonhole). Probing, for every idx, all words within r = floor(D / 16) bits of the
// query's word therefore reaches every match through at least one row. For PDQ's D = 31 that is r = 1:
// the word itself plus its 16 one-bit neighbours, 17 × 16 = 272 probes. The bound is tight: at
// D = 16 (r + 1) every word can differ in r + 1 bits (32 = 2 bits in each word) and no probe hits.
// Probe hits are candidates only; the caller confirms each with the full distance.
//
// Words are stored as int4 holding 0…65535. int2 is signed, so it would need an offset or a two's-
// complement reinterpretation on both sides; the 2 bytes saved are noise next to a row's header.
//
//   SELECT DISTINCT w.photo_id
//   FROM unnest($1::int4[], $2::int4[]) AS p(idx, word)
//   JOIN pdq_words w ON w.idx = p.idx AND w.word = p.word;   -- index on (idx, word)

import { PDQ_MATCH_DISTANCE } from '../../config/tuning.js';

export const PDQ_WORD_COUNT = 16;
export const PDQ_WORD_BITS = 16;

const HEX64 = /^[0-9a-fA-F]{64}$/;

/**
 * The 16 words of a PDQ hash, numbered as the reference numbers them: word n holds bits 16n…16n+15
 * (DCT row n), and the hex string prints word 15 first, so word n is hex digits 60−4n … 63−4n.
 */
export function pdqWords(hex: string): number[] {
  if (typeof hex !== 'string' || !HEX64.test(hex)) throw new TypeError(`not a 64-hex-digit PDQ hash: ${String(hex)}`);
  const words: number[] = [];
  for (let n = 0; n < PDQ_WORD_COUNT; n++) {
    const end = 64 - 4 * n;
    words.push(parseInt(hex.slice(end - 4, end), 16));
  }
  return words;
}

/** Probe radius per word that guarantees finding every hash within `maxDistance`: floor(D / 16). */
export function probeRadius(maxDistance: number = PDQ_MATCH_DISTANCE): number {
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 256) {
    throw new RangeError(`maxDistance must be an integer in 0…256, got ${maxDistance}`);
  }
  return Math.min(PDQ_WORD_BITS, Math.floor(maxDistance / PDQ_WORD_COUNT));
}

/** Every 16-bit value within `radius` bits of `word`, the word itself first. */
export function wordNeighbours(word: number, radius: number): number[] {
  const out: number[] = [];
  const flip = (value: number, fromBit: number, left: number): void => {
    out.push(value);
    if (left === 0) return;
    for (let b = fromBit; b < PDQ_WORD_BITS; b++) flip(value ^ (1 << b), b + 1, left - 1);
  };
  flip(word, 0, radius);
  return out;
}

/** Parallel arrays for `unnest(idx, word)`: row k probes word index idx[k] for value word[k]. */
export interface ProbeKeys {
  idx: number[];
  word: number[];
}

/**
 * Lookup keys that reach every stored hash within distance 16·(radius+1) − 1 of `hex` (radius 1 → ≤ 31,
 * 272 keys; radius 2 → ≤ 47, 2192 keys). Use `probeRadius(D)` to pick the radius for a distance.
 */
export function probeKeys(hex: string, radius: number = probeRadius()): ProbeKeys {
  if (!Number.isInteger(radius) || radius < 0 || radius > PDQ_WORD_BITS) {
    throw new RangeError(`radius must be an integer in 0…16, got ${radius}`);
  }
  const keys: ProbeKeys = { idx: [], word: [] };
  pdqWords(hex).forEach((w, n) => {
    for (const v of wordNeighbours(w, radius)) {
      keys.idx.push(n);
      keys.word.push(v);
    }
  });
  return keys;
}

/** One int4 per (word index, word): index × 65536 + word, so a probe is a single `key = any(…)` index scan. */
export function pdqKey(index: number, word: number): number {
  return index * 2 ** PDQ_WORD_BITS + word;
}

/** The hash's own 16 keys (what is stored for it). */
export function storedKeys(hex: string): number[] {
  return pdqWords(hex).map((word, index) => pdqKey(index, word));
}

/** The keys to probe for every stored hash within the radius (see probeKeys), sorted and unique. */
export function probeKeyList(hex: string, radius: number = probeRadius()): number[] {
  const probes = probeKeys(hex, radius);
  return [...new Set(probes.idx.map((index, k) => pdqKey(index, probes.word[k]!)))].sort((a, b) => a - b);
}
