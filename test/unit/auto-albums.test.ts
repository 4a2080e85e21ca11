import { describe, expect, it } from 'vitest';

import {
  DEFAULT_AUTO_CLUSTERING_PARAMS,
  resolveAutoClusteringParams,
  type AlbumPhoto,
  type AutoCluster,
} from '../../src/library/albums/auto-clustering-params.js';
import { clusterPhotos } from '../../src/library/albums/auto-clustering.js';
import { dominantPlace, pickRepresentatives } from '../../src/library/albums/auto-describe.js';
import { assignIncrementally } from '../../src/library/albums/auto-incremental.js';
import { cosine, mulberry32, norm } from '../helpers/vectors.js';

// ---------------------------------------------------------------------------------------------------------------
// Synthetic library: themes are random unit vectors in 64-d; a photo is its theme plus Gaussian noise of norm
// ≈ sigma, renormalised. With sigma 0.3 two photos of one theme are ≈ 0.92 alike, photos of two random themes
// |cos| ≲ 0.4: room on both sides of the default minSimilarity 0.80. Noise photos are random unit vectors.

const DIM = 64;
const DAY = 86_400_000;

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function unit(v: ArrayLike<number>): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i += 1) s += v[i]! * v[i]!;
  return Float32Array.from(v, (x) => x / Math.sqrt(s));
}

function randomUnit(r: () => number): Float32Array {
  return unit(Array.from({ length: DIM }, () => gaussian(r)));
}

function noisy(center: Float32Array, sigma: number, r: () => number): Float32Array {
  const scale = sigma / Math.sqrt(center.length);
  return unit(Array.from(center, (x) => x + scale * gaussian(r)));
}

interface Theme {
  name: string;
  size: number;
  /** Day offsets from 2024-05-01 per photo, or null for undated; cycled. */
  days?: (number | null)[];
  places?: (string | null)[];
  sigma?: number;
}

const MAY_1_2024 = Date.UTC(2024, 4, 1, 12);

function library(seed: number, themes: Theme[], noise: number): { photos: AlbumPhoto[]; planted: Map<string, string[]> } {
  const r = mulberry32(seed);
  const photos: AlbumPhoto[] = [];
  const planted = new Map<string, string[]>();
  for (const theme of themes) {
    const center = randomUnit(r);
    const ids: string[] = [];
    for (let i = 0; i < theme.size; i += 1) {
      const id = `${theme.name}-${String(i).padStart(3, '0')}`;
      const day = theme.days ? theme.days[i % theme.days.length]! : i;
      photos.push({
        photoId: id,
        embedding: noisy(center, theme.sigma ?? 0.3, r),
        takenAt: day === null ? null : new Date(MAY_1_2024 + day * DAY),
        place: theme.places ? theme.places[i % theme.places.length]! : null,
      });
      ids.push(id);
    }
    planted.set(theme.name, ids.sort());
  }
  for (let i = 0; i < noise; i += 1) {
    photos.push({ photoId: `noise-${String(i).padStart(3, '0')}`, embedding: randomUnit(r), takenAt: null, place: null });
  }
  return { photos, planted };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const r = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const membersOf = (clusters: AutoCluster[]) => clusters.map((c) => c.members);

const THEMES: Theme[] = [
  { name: 'plants', size: 12, places: ['Utah', 'Utah', 'Utah', null, 'Nevada'] },
  { name: 'beach', size: 8 },
  { name: 'cats', size: 20 },
  { name: 'bikes', size: 6 },
  // Alike, but fewer than minSize: noise, not an album.
  { name: 'few', size: 3, sigma: 0.1 },
];

// ---------------------------------------------------------------------------------------------------------------

describe('clusterPhotos', () => {
  const { photos, planted } = library(7, THEMES, 25);

  it('finds the planted themes, largest first, and leaves noise and small groups out', () => {
    const clusters = clusterPhotos(photos);
    expect(membersOf(clusters)).toEqual([planted.get('cats'), planted.get('plants'), planted.get('beach'), planted.get('bikes')]);
    const clustered = new Set(clusters.flatMap((c) => c.members));
    for (const p of photos) {
      if (p.photoId.startsWith('noise-') || p.photoId.startsWith('few-')) expect(clustered.has(p.photoId)).toBe(false);
    }
  });

  it('describes each cluster: central representatives, unit centroid, date span, dominant place', () => {
    const clusters = clusterPhotos(photos);
    const plants = clusters.find((c) => c.members[0]!.startsWith('plants'))!;
    expect(norm(plants.centroid)).toBeCloseTo(1, 5);
    expect(plants.representatives).toHaveLength(5);
    expect(new Set(plants.representatives).size).toBe(5);
    // Most central first: the representatives are the five members most similar to the centroid, in that order.
    const byCloseness = photos
      .filter((p) => plants.members.includes(p.photoId))
      .sort((a, b) => cosine(b.embedding, plants.centroid) - cosine(a.embedding, plants.centroid))
      .map((p) => p.photoId);
    expect(plants.representatives).toEqual(byCloseness.slice(0, 5));
    expect(plants.start).toEqual(new Date(MAY_1_2024));
    expect(plants.end).toEqual(new Date(MAY_1_2024 + 11 * DAY));
    expect(plants.place).toBe('Utah');
    const bikes = clusters.find((c) => c.members[0]!.startsWith('bikes'))!;
    expect(bikes.place).toBeNull();
  });

  it('gives the same clusters for any input order', () => {
    const a = clusterPhotos(photos);
    for (const seed of [1, 2, 3]) expect(clusterPhotos(shuffled(photos, seed))).toEqual(a);
  });

  it('returns nothing for an empty or all-noise library', () => {
    expect(clusterPhotos([])).toEqual([]);
    expect(clusterPhotos(library(3, [], 40).photos)).toEqual([]);
  });

  it('respects minSize and minSimilarity', () => {
    // minSize 3 turns the tight trio into an album; minSimilarity 0.99 leaves nothing dense enough.
    expect(membersOf(clusterPhotos(photos, { minSize: 3 }))).toContainEqual(planted.get('few'));
    expect(clusterPhotos(photos, { minSimilarity: 0.99 })).toEqual([]);
  });

  it('keeps a large theme whole when only a few neighbours are kept per photo', () => {
    const big = library(11, [{ name: 'big', size: 80 }], 10);
    const clusters = clusterPhotos(big.photos, { maxNeighbours: 8 });
    expect(membersOf(clusters)).toEqual([big.planted.get('big')]);
  });

  it('checks its input', () => {
    const [p, q] = photos;
    expect(() => clusterPhotos([p!, { ...q!, photoId: p!.photoId }])).toThrow(/duplicate photo id/);
    expect(() => clusterPhotos([p!, { ...q!, embedding: new Float32Array(3) }])).toThrow(/dimension 3, expected 64/);
    expect(() => clusterPhotos([{ ...p!, embedding: Float32Array.of(Number.NaN, 1) }])).toThrow(/not finite/);
  });
});

describe('clusterPhotos with timeGapDays', () => {
  // One theme photographed on two trips: May 1–10 and Aug 1–8 2024, plus two undated shots of it.
  const may = Array.from({ length: 10 }, (_, i) => i);
  const august = Array.from({ length: 8 }, (_, i) => 92 + i);
  const { photos } = library(21, [{ name: 'hike', size: 20, days: [...may, ...august, null, null] }], 10);

  it('without a gap setting, the theme is one album', () => {
    const [only, ...rest] = clusterPhotos(photos);
    expect(rest).toEqual([]);
    expect(only!.members).toHaveLength(20);
  });

  it('splits the theme into events where photos are more than N days apart', () => {
    const clusters = clusterPhotos(photos, { timeGapDays: 30 });
    expect(clusters.map((c) => [c.members.length, c.start, c.end])).toEqual([
      [10, new Date(MAY_1_2024), new Date(MAY_1_2024 + 9 * DAY)],
      [8, new Date(MAY_1_2024 + 92 * DAY), new Date(MAY_1_2024 + 99 * DAY)],
    ]);
    // The undated two cannot be put in either trip, and are too few for an album of their own.
    const clustered = new Set(clusters.flatMap((c) => c.members));
    expect(photos.filter((p) => p.takenAt === null && p.photoId.startsWith('hike')).some((p) => clustered.has(p.photoId))).toBe(false);
  });

  it('keeps undated photos with the theme when there is only one event', () => {
    const clusters = clusterPhotos(photos, { timeGapDays: 365 });
    expect(clusters.map((c) => c.members.length)).toEqual([20]);
  });

  it('drops events smaller than minSize', () => {
    const clusters = clusterPhotos(photos, { timeGapDays: 30, minSize: 9 });
    expect(clusters.map((c) => c.members.length)).toEqual([10]);
  });
});

describe('clusterPhotos above maxExact (sample, then assign)', () => {
  const { photos } = library(
    31,
    [
      { name: 'dogs', size: 60 },
      { name: 'food', size: 45 },
      { name: 'snow', size: 30 },
    ],
    40,
  );

  it('finds the same clusters as the exact scan when the themes are large enough for the sample', () => {
    const exact = clusterPhotos(photos);
    expect(exact.map((c) => c.members.length)).toEqual([60, 45, 30]);
    const sampled = clusterPhotos(photos, { maxExact: 80 });
    expect(membersOf(sampled)).toEqual(membersOf(exact));
  });

  it('does not depend on input order either', () => {
    const a = clusterPhotos(photos, { maxExact: 80 });
    expect(clusterPhotos(shuffled(photos, 9), { maxExact: 80 })).toEqual(a);
  });
});

describe('assignIncrementally', () => {
  const { photos } = library(41, THEMES, 25);
  const clusters = clusterPhotos(photos).map((c, i) => ({ id: `album-${i}`, ...c }));
  const albumOf = (theme: string) => clusters.find((c) => c.members[0]!.startsWith(theme))!;

  // New photos: a second batch drawn around the same centroids, and unrelated ones.
  const r = mulberry32(99);
  const newPhoto = (photoId: string, embedding: Float32Array, takenAt: Date | null = null) => ({ photoId, embedding, takenAt });
  const arrivals = [
    newPhoto('new-1', noisy(albumOf('cats').centroid, 0.3, r)),
    newPhoto('new-2', noisy(albumOf('plants').centroid, 0.3, r), new Date(MAY_1_2024 + 3 * DAY)),
    newPhoto('new-3', randomUnit(r)),
    newPhoto('new-4', noisy(albumOf('plants').centroid, 0.3, r), new Date(MAY_1_2024 + 400 * DAY)),
    newPhoto('new-0', noisy(albumOf('beach').centroid, 0.3, r), new Date(MAY_1_2024 + 2 * DAY)),
  ];

  it('puts each new photo in the album with the most similar centroid, or leaves it for regeneration', () => {
    const result = assignIncrementally(clusters, shuffled(arrivals, 5));
    expect(result.assigned.map((a) => [a.photoId, a.clusterId])).toEqual([
      ['new-0', albumOf('beach').id],
      ['new-1', albumOf('cats').id],
      ['new-2', albumOf('plants').id],
      ['new-4', albumOf('plants').id],
    ]);
    for (const a of result.assigned) expect(a.similarity).toBeGreaterThanOrEqual(DEFAULT_AUTO_CLUSTERING_PARAMS.minSimilarity);
    expect(result.unassigned).toEqual(['new-3']);
  });

  it('with timeGapDays, a photo joins only an album near it in time; undated only undated', () => {
    const result = assignIncrementally(clusters, arrivals, { timeGapDays: 30 });
    expect(result.assigned.map((a) => [a.photoId, a.clusterId])).toEqual([
      ['new-0', albumOf('beach').id],
      ['new-2', albumOf('plants').id],
    ]);
    // new-1 has no date (every album here has one); new-4 is a year after the plants album.
    expect(result.unassigned).toEqual(['new-1', 'new-3', 'new-4']);

    const c = albumOf('cats').centroid;
    const undatedAlbum = [{ id: 'undated', centroid: c, start: null, end: null }];
    const both = [newPhoto('dated', c, new Date(MAY_1_2024)), newPhoto('undated', c)];
    expect(assignIncrementally(undatedAlbum, both, { timeGapDays: 30 })).toMatchObject({
      assigned: [{ photoId: 'undated', clusterId: 'undated' }],
      unassigned: ['dated'],
    });
  });

  it('ties go to the smaller album id; a threshold of 1 admits only exact matches', () => {
    const c = albumOf('cats').centroid;
    const twins = [
      { id: 'b', centroid: c },
      { id: 'a', centroid: c },
    ];
    expect(assignIncrementally(twins, [newPhoto('x', c)]).assigned.map((a) => a.clusterId)).toEqual(['a']);
    expect(assignIncrementally(twins, arrivals, { minSimilarity: 1 }).assigned).toEqual([]);
  });

  it('checks its options', () => {
    expect(() => assignIncrementally(clusters, arrivals, { minSimilarity: 0 })).toThrow(RangeError);
    expect(() => assignIncrementally(clusters, arrivals, { timeGapDays: -1 })).toThrow(RangeError);
  });
});

describe('pickRepresentatives', () => {
  it('passes over near-duplicates of a photo already picked while others remain', () => {
    const r = mulberry32(5);
    const center = randomUnit(r);
    const burst = [0, 1, 2].map((i) => ({ photoId: `burst-${i}`, embedding: noisy(center, 0.02, r) }));
    const others = [0, 1].map((i) => ({ photoId: `other-${i}`, embedding: noisy(center, 0.5, r) }));
    const picked = pickRepresentatives([...others, ...burst], center);
    expect(picked).toHaveLength(5);
    expect(picked[0]).toMatch(/^burst-/);
    expect(picked.slice(1, 3).sort()).toEqual(['other-0', 'other-1']);
    expect(picked.slice(3).every((id) => id.startsWith('burst-'))).toBe(true);
    expect(pickRepresentatives([...others, ...burst], center, 2)[1]).toMatch(/^other-/);
  });
});

describe('dominantPlace', () => {
  it('names the place at least half of the located photos share', () => {
    expect(dominantPlace(['Utah', 'Utah', null, 'Nevada'])).toBe('Utah');
    expect(dominantPlace(['Utah', 'Nevada'])).toBe('Nevada'); // a tie: the first name
    expect(dominantPlace(['Utah', 'Nevada', 'Idaho'])).toBeNull();
    expect(dominantPlace([null, '  '])).toBeNull();
  });
});

describe('resolveAutoClusteringParams', () => {
  it('fills in defaults and refuses meaningless values', () => {
    expect(resolveAutoClusteringParams()).toEqual(DEFAULT_AUTO_CLUSTERING_PARAMS);
    expect(resolveAutoClusteringParams({ minSize: 40, maxNeighbours: 8 }).maxNeighbours).toBe(39);
    expect(() => resolveAutoClusteringParams({ minSize: 1 })).toThrow(RangeError);
    expect(() => resolveAutoClusteringParams({ minSimilarity: 1.5 })).toThrow(RangeError);
    expect(() => resolveAutoClusteringParams({ timeGapDays: 0 })).toThrow(RangeError);
    expect(() => resolveAutoClusteringParams({ maxExact: 2 })).toThrow(RangeError);
  });
});
