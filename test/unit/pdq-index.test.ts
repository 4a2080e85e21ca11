import { describe, expect, it } from 'vitest';

import { PDQ_WORD_BITS, PDQ_WORD_COUNT, pdqWords, probeKeys, probeRadius, wordNeighbours } from '../../src/library/duplicates/pdq-index.js';
import { PDQ_MATCH_DISTANCE } from '../../src/config/tuning.js';
import { hammingDistance } from '../../src/media/pdq-distance.js';
import { mulberry32 } from '../helpers/vectors.js';

/** Seeded, so a failing case is the same on every run. */
const rng = mulberry32;

const int = (rand: () => number, n: number): number => Math.floor(rand() * n);

function randomHash(rand: () => number): string {
  let hex = '';
  for (let i = 0; i < 64; i++) hex += int(rand, 16).toString(16);
  return hex;
}

/** Flips bit k (0 = least significant, the reference's numbering) of a hex hash. */
function flipBits(hex: string, bits: Iterable<number>): string {
  const digits = [...hex].map((c) => parseInt(c, 16));
  for (const k of bits) digits[63 - (k >> 2)]! ^= 1 << (k & 3);
  return digits.map((d) => d.toString(16)).join('');
}

/** `count` distinct values out of 0…n−1, uniformly (partial Fisher–Yates). */
function sample(rand: () => number, n: number, count: number): number[] {
  const all = Array.from({ length: n }, (_, k) => k);
  for (let i = 0; i < count; i++) {
    const j = i + int(rand, n - i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

const randomBits = (rand: () => number, count: number): number[] => sample(rand, 256, count);

/** `count` bits spread as evenly as possible over the 16 words: the worst case for multi-index hashing. */
function spreadBits(rand: () => number, count: number): number[] {
  const bits: number[] = [];
  for (let n = 0; n < PDQ_WORD_COUNT; n++) {
    const inWord = Math.floor(count / 16) + (n < count % 16 ? 1 : 0);
    for (const b of sample(rand, PDQ_WORD_BITS, inWord)) bits.push(16 * n + b);
  }
  return bits;
}

/** Would a stored hash be found by looking up the query's probe keys in a (idx, word) index? */
function foundByProbes(query: string, stored: string, radius?: number): boolean {
  const keys = probeKeys(query, radius);
  const storedWords = pdqWords(stored);
  return keys.idx.some((n, k) => storedWords[n] === keys.word[k]);
}

describe('pdqWords', () => {
  it('numbers words as the reference does: word 0 is the last 4 hex digits (DCT row 0)', () => {
    const hex = Array.from({ length: 16 }, (_, n) => (15 - n).toString(16).padStart(4, '0')).join('');
    expect(pdqWords(hex)).toEqual(Array.from({ length: 16 }, (_, n) => n));
    expect(pdqWords('f'.repeat(64))).toEqual(Array(16).fill(0xffff));
  });

  it('puts bit k at position k mod 16 of word k div 16', () => {
    const words = pdqWords(flipBits('0'.repeat(64), [0, 17, 255]));
    expect(words[0]).toBe(1);
    expect(words[1]).toBe(2);
    expect(words[15]).toBe(0x8000);
  });

  it('rejects anything but 64 hex digits', () => {
    expect(() => pdqWords('abc')).toThrow(TypeError);
    expect(() => pdqWords('g'.repeat(64))).toThrow(TypeError);
  });
});

describe('probeKeys', () => {
  it('uses radius floor(D / 16): 1 for PDQ_MATCH_DISTANCE = 31', () => {
    expect(probeRadius()).toBe(1);
    expect(probeRadius(PDQ_MATCH_DISTANCE)).toBe(1);
    expect(probeRadius(15)).toBe(0);
    expect(probeRadius(32)).toBe(2);
    expect(probeRadius(47)).toBe(2);
  });

  it('probes each word and its 16 one-bit neighbours: 272 distinct keys at radius 1', () => {
    const hash = randomHash(rng(1));
    const { idx, word } = probeKeys(hash);
    expect(idx).toHaveLength(272);
    expect(word).toHaveLength(272);
    expect(new Set(idx.map((n, k) => `${n}:${word[k]}`)).size).toBe(272);
    expect(word.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff)).toBe(true);
    expect(probeKeys(hash, 0).idx).toHaveLength(16);
    expect(probeKeys(hash, 2).idx).toHaveLength(16 * (1 + 16 + 120));
  });

  it('lists exactly the words within the radius', () => {
    const popcount = (x: number): number => x.toString(2).replaceAll('0', '').length;
    for (const radius of [0, 1, 2]) {
      const got = new Set(wordNeighbours(0xbeef, radius));
      const want = Array.from({ length: 1 << PDQ_WORD_BITS }, (_, v) => v).filter((v) => popcount(v ^ 0xbeef) <= radius);
      expect([...got].sort((a, b) => a - b)).toEqual(want);
      expect(wordNeighbours(0xbeef, radius)).toHaveLength(want.length);
    }
  });

  it('finds every hash within distance 31 (6000 random and worst-case spread flips)', () => {
    const rand = rng(20260601);
    let cases = 0;
    for (let i = 0; i < 3000; i++) {
      const stored = randomHash(rand);
      const d = int(rand, PDQ_MATCH_DISTANCE + 1);
      for (const bits of [randomBits(rand, d), spreadBits(rand, d)]) {
        const query = flipBits(stored, bits);
        expect(hammingDistance(stored, query)).toBe(d);
        // The index is symmetric: either side may be the one stored.
        expect(foundByProbes(query, stored)).toBe(true);
        expect(foundByProbes(stored, query)).toBe(true);
        cases++;
      }
    }
    expect(cases).toBe(6000);
  });

  it('is tight: distance 32 with exactly 2 bits in every word evades radius 1 (so D ≤ 31 is the bound)', () => {
    const rand = rng(7);
    for (let i = 0; i < 200; i++) {
      const stored = randomHash(rand);
      const query = flipBits(stored, spreadBits(rand, 32));
      expect(hammingDistance(stored, query)).toBe(32);
      expect(foundByProbes(query, stored)).toBe(false);
      expect(foundByProbes(query, stored, probeRadius(32))).toBe(true);
    }
  });

  it('generalises: radius 2 finds everything within 47 and misses 48 spread as 3 bits per word', () => {
    const rand = rng(11);
    for (let i = 0; i < 300; i++) {
      const stored = randomHash(rand);
      expect(foundByProbes(flipBits(stored, spreadBits(rand, 47)), stored, probeRadius(47))).toBe(true);
      expect(foundByProbes(flipBits(stored, randomBits(rand, 47)), stored, probeRadius(47))).toBe(true);
      expect(foundByProbes(flipBits(stored, spreadBits(rand, 48)), stored, 2)).toBe(false);
    }
  });

  it('rejects radii outside 0…16', () => {
    const hash = '0'.repeat(64);
    expect(() => probeKeys(hash, -1)).toThrow(RangeError);
    expect(() => probeKeys(hash, 1.5)).toThrow(RangeError);
    expect(() => probeRadius(300)).toThrow(RangeError);
  });
});
