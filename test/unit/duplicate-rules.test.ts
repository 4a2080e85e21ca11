import { describe, expect, it } from 'vitest';
import {
  classifyMatch,
  closestOrientation,
  DEFAULT_DUPLICATE_THRESHOLDS as T,
  orderedPair,
  type MatchEvidence,
} from '../../src/library/duplicates/rules.js';

const evidence = (over: Partial<MatchEvidence>): MatchEvidence => ({
  photoId: 'b',
  pdqDistance: null,
  pdqOrientation: null,
  similarity: null,
  sameCamera: false,
  secondsApart: null,
  ...over,
});

/** A hash with the first `bits` bits of `base` flipped. */
function flip(base: string, bits: number): string {
  const digits = base.split('').map((d) => parseInt(d, 16));
  for (let b = 0; b < bits; b++) digits[b >> 2]! ^= 1 << (b & 3);
  return digits.map((d) => d.toString(16)).join('');
}
const hash = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';

describe('duplicate tiers', () => {
  it('PDQ within the distance is a duplicate, one bit further is not', () => {
    expect(classifyMatch(evidence({ pdqDistance: 31 }), T)).toEqual({ kind: 'duplicate', tier: 'pdq' });
    expect(classifyMatch(evidence({ pdqDistance: 32 }), T)).toBeNull();
  });

  it('CLIP similarity at the threshold is a duplicate when PDQ says nothing', () => {
    expect(classifyMatch(evidence({ pdqDistance: 80, similarity: 0.95 }), T)).toEqual({ kind: 'duplicate', tier: 'clip' });
    expect(classifyMatch(evidence({ similarity: 0.949 }), T)).toBeNull();
  });

  it('same camera seconds apart is a burst even within the PDQ distance; the same frame saved twice is a duplicate', () => {
    const burst = { sameCamera: true, secondsApart: 1 };
    expect(classifyMatch(evidence({ ...burst, pdqDistance: 24 }), T)).toEqual({ kind: 'burst', tier: 'burst' });
    expect(classifyMatch(evidence({ ...burst, pdqDistance: 90 }), T)).toEqual({ kind: 'burst', tier: 'burst' });
    expect(classifyMatch(evidence({ ...burst, pdqDistance: 6 }), T)).toEqual({ kind: 'duplicate', tier: 'pdq' });
    expect(classifyMatch(evidence({ sameCamera: true, secondsApart: 4, pdqDistance: 24 }), T)).toEqual({ kind: 'duplicate', tier: 'pdq' });
    expect(classifyMatch(evidence({ sameCamera: false, secondsApart: 1, pdqDistance: 90 }), T)).toBeNull();
    // the same capture instant is the same shot: an edited copy that kept its EXIF date
    expect(classifyMatch(evidence({ sameCamera: true, secondsApart: 0, pdqDistance: 24 }), T)).toEqual({ kind: 'duplicate', tier: 'pdq' });
    expect(classifyMatch(evidence({ sameCamera: true, secondsApart: 0, pdqDistance: 90 }), T)).toBeNull();
  });

  it('compares every orientation of the probe and names the closest; weak hashes are not compared', () => {
    const probe = { quality: 100, hashes: { original: flip(hash, 120), flipy: flip(hash, 4) } };
    expect(closestOrientation(probe, { hash, quality: 90 }, 50)).toEqual({ distance: 4, orientation: 'flipy' });
    expect(closestOrientation(probe, { hash, quality: 49 }, 50)).toBeNull();
    expect(closestOrientation({ ...probe, quality: 10 }, { hash, quality: 90 }, 50)).toBeNull();
    expect(closestOrientation(probe, { hash: null, quality: null }, 50)).toBeNull();
  });
});

describe('dismissals', () => {
  it('orders dismissal pairs', () => {
    expect(orderedPair('b', 'a')).toEqual(['a', 'b']);
  });
});
