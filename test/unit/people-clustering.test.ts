import { describe, expect, it } from 'vitest';

import {
  isNewPersonKey,
  type ClusterAllParams,
  type ClusterFace,
  type ClusterResult,
  type IndexNeighbour,
  type Rejection,
} from '../../src/ml/people/cluster-types.js';
import { clusterAll } from '../../src/ml/people/clustering.js';
import { pickCoverFace } from '../../src/ml/people/cover.js';
import { assignIncremental, type NeighbourFace } from '../../src/ml/people/incremental.js';
import { DEFAULT_CLUSTERING_PARAMS, resolveClusteringParams } from '../../src/ml/people/params.js';
import { centroid, cosineDistance } from '../../src/ml/people/vectors.js';
import { mulberry32 } from '../helpers/vectors.js';

// ---------------------------------------------------------------------------------------------------------------
// Synthetic faces: identities are random unit vectors in 128-d; a face is its identity plus Gaussian noise of norm
// ≈ sigma, renormalised. With sigma 0.5 two faces of one identity are ≈ 0.2 apart (cosine distance), faces of two
// random identities ≈ 1.0: the shape of face-api descriptors, with room on both sides of maxDistance 0.45.

const DIM = 128;

function gaussian(r: () => number): number {
  const u = 1 - r();
  const v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function unit(v: ArrayLike<number>): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i += 1) s += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i += 1) out[i] = v[i]! / Math.sqrt(s);
  return out;
}

function randomUnit(r: () => number, dim = DIM): Float32Array {
  return unit(Array.from({ length: dim }, () => gaussian(r)));
}

function noisy(center: Float32Array, sigma: number, r: () => number): Float32Array {
  const scale = sigma / Math.sqrt(center.length);
  return unit(Array.from(center, (x) => x + scale * gaussian(r)));
}

/** A unit vector at cosine distance `distance` from `a`. */
function atDistance(a: Float32Array, distance: number, r: () => number): Float32Array {
  const u = randomUnit(r, a.length);
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += u[i]! * a[i]!;
  const ortho = unit(Array.from(u, (x, i) => x - dot * a[i]!));
  const cos = 1 - distance;
  const sin = Math.sqrt(1 - cos * cos);
  return unit(Array.from(a, (x, i) => cos * x + sin * ortho[i]!));
}

interface Labelled extends ClusterFace {
  /** Ground truth: identity name, or null for a noise face (a stranger seen once). */
  truth: string | null;
}

let photoCounter = 0;
const nextPhoto = (): string => `photo-${String((photoCounter += 1)).padStart(6, '0')}`;

/** `count` faces of one identity, each in its own photo. */
function identityFaces(
  name: string,
  center: Float32Array,
  count: number,
  r: () => number,
  opts: { sigma?: number; personId?: string | null; assignedBy?: 'user' | 'auto' | null } = {},
): Labelled[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${name}-${String(i).padStart(3, '0')}`,
    photoId: nextPhoto(),
    embedding: noisy(center, opts.sigma ?? 0.5, r),
    personId: opts.personId ?? null,
    assignedBy: opts.assignedBy ?? (opts.personId ? 'auto' : null),
    truth: name,
  }));
}

function noiseFaces(count: number, r: () => number, prefix = 'noise'): Labelled[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(4, '0')}`,
    photoId: nextPhoto(),
    embedding: randomUnit(r),
    personId: null,
    assignedBy: null,
    truth: null,
  }));
}

function world(seed: number, identities: number, facesPer: number, noise: number): Labelled[] {
  const r = mulberry32(seed);
  const faces: Labelled[] = [];
  for (let k = 0; k < identities; k += 1) faces.push(...identityFaces(`id${String(k).padStart(4, '0')}`, randomUnit(r), facesPer, r));
  faces.push(...noiseFaces(noise, r));
  return faces;
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

/** person key → face ids */
function groups(result: ClusterResult): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [faceId, key] of result.assignments) {
    const list = out.get(key) ?? [];
    list.push(faceId);
    out.set(key, list);
  }
  return out;
}

/** Rules that must hold for every result, whatever the data. */
function expectInvariants(faces: readonly ClusterFace[], rejections: readonly Rejection[], result: ClusterResult): void {
  const byId = new Map(faces.map((f) => [f.id, f]));
  for (const f of faces) {
    const now = result.assignments.get(f.id);
    if (f.assignedBy === 'user') expect(now ?? null, `user decision on ${f.id}`).toBe(f.personId);
  }
  for (const r of rejections) {
    const f = byId.get(r.faceId)!;
    if (f.assignedBy === 'user' && f.personId === r.personId) continue; // the user's own later decision
    expect(result.assignments.get(r.faceId), `rejection ${r.faceId} ≠ ${r.personId}`).not.toBe(r.personId);
  }
  for (const [key, ids] of groups(result)) {
    const photos = new Map<string, string[]>();
    for (const id of ids) {
      const f = byId.get(id)!;
      photos.set(f.photoId, [...(photos.get(f.photoId) ?? []), id]);
    }
    for (const [photoId, inPhoto] of photos) {
      if (inPhoto.length < 2) continue;
      // Only the user may put two faces of one photo in one person.
      const nonUser = inPhoto.filter((id) => byId.get(id)!.assignedBy !== 'user');
      expect(nonUser, `${key} has ${inPhoto.length} faces of ${photoId}`).toEqual([]);
    }
  }
  result.newPeople.forEach((ids, i) => {
    expect(ids).toEqual([...ids].sort());
    for (const id of ids) expect(result.assignments.get(id)).toBe(`new:${i}`);
  });
  const firsts = result.newPeople.map((g) => g[0]!);
  expect(firsts).toEqual([...firsts].sort());
}

/** Purity: share of clustered faces whose cluster's majority identity is theirs; completeness: per identity, the share in its largest cluster. */
function quality(faces: readonly Labelled[], result: ClusterResult) {
  const truth = new Map(faces.map((f) => [f.id, f.truth]));
  let majority = 0;
  let clustered = 0;
  let noiseClustered = 0;
  for (const ids of groups(result).values()) {
    const counts = new Map<string | null, number>();
    for (const id of ids) counts.set(truth.get(id)!, (counts.get(truth.get(id)!) ?? 0) + 1);
    majority += Math.max(...counts.values());
    clustered += ids.length;
    noiseClustered += counts.get(null) ?? 0;
  }
  const byIdentity = new Map<string, Map<string, number>>();
  for (const f of faces) {
    if (f.truth === null) continue;
    const m = byIdentity.get(f.truth) ?? new Map<string, number>();
    const key = result.assignments.get(f.id) ?? `none:${f.id}`;
    m.set(key, (m.get(key) ?? 0) + 1);
    byIdentity.set(f.truth, m);
  }
  let complete = 0;
  let identityFacesTotal = 0;
  for (const m of byIdentity.values()) {
    complete += Math.max(...m.values());
    identityFacesTotal += [...m.values()].reduce((a, b) => a + b, 0);
  }
  return { purity: clustered === 0 ? 1 : majority / clustered, completeness: complete / identityFacesTotal, noiseClustered };
}

const sortedEntries = (r: ClusterResult) => [...r.assignments].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

// ---------------------------------------------------------------------------------------------------------------

describe('helpers', () => {
  it('cosineDistance: 0 for the same direction, 1 orthogonal, 2 opposite; norms do not matter', () => {
    const a = new Float32Array([1, 0, 0]);
    expect(cosineDistance(a, a)).toBe(0);
    expect(cosineDistance(a, new Float32Array([5, 0, 0]))).toBe(0);
    expect(cosineDistance(a, new Float32Array([0, 2, 0]))).toBeCloseTo(1, 12);
    expect(cosineDistance(a, new Float32Array([-3, 0, 0]))).toBe(2);
    expect(cosineDistance(new Float32Array([1, 1]), new Float32Array([1, 0]))).toBeCloseTo(1 - Math.SQRT1_2, 6);
    expect(cosineDistance(new Float32Array(3), a)).toBe(1);
    expect(() => cosineDistance(a, new Float32Array(2))).toThrow(RangeError);
  });

  it('centroid: the normalised mean direction', () => {
    const c = centroid([new Float32Array([1, 0]), new Float32Array([0, 1])]);
    expect(c[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(c[1]).toBeCloseTo(Math.SQRT1_2, 6);
    const r = mulberry32(1);
    const center = randomUnit(r);
    const faces = Array.from({ length: 50 }, () => noisy(center, 0.5, r));
    const m = centroid(faces);
    expect(Math.hypot(...m)).toBeCloseTo(1, 5);
    // Averaging cancels the noise: the mean is much closer to the identity than any one face.
    expect(cosineDistance(m, center)).toBeLessThan(0.01);
    expect(Math.min(...faces.map((f) => cosineDistance(f, center)))).toBeGreaterThan(0.05);
    expect(Array.from(centroid([new Float32Array([1, 0]), new Float32Array([-1, 0])]))).toEqual([0, 0]);
    expect(() => centroid([])).toThrow(RangeError);
    expect(() => centroid([new Float32Array(2), new Float32Array(3)])).toThrow(RangeError);
  });

  it('pickCoverFace: highest score × √area, ties to the smaller id', () => {
    const face = (id: string, score: number, width: number, height: number) => ({ id, score, box: { width, height } });
    expect(pickCoverFace([])).toBeNull();
    // 0.9 × 100 = 90 beats 0.99 × 80 = 79.2, and a huge blurry face (0.3 × 200 = 60) loses to both.
    const faces = [face('a', 0.99, 80, 80), face('b', 0.9, 100, 100), face('c', 0.3, 200, 200)];
    expect(pickCoverFace(faces)?.id).toBe('b');
    expect(pickCoverFace([...faces].reverse())?.id).toBe('b');
    const tied = [face('z', 0.5, 10, 10), face('m', 0.5, 10, 10), face('q', 0.5, 10, 10)];
    expect(pickCoverFace(tied)?.id).toBe('m');
    expect(pickCoverFace([face('x', Number.NaN, 10, 10), face('y', 0.1, 1, 1)])?.id).toBe('y');
  });

  it('parameters: defaults, overrides, and refusals', () => {
    expect(resolveClusteringParams()).toEqual(DEFAULT_CLUSTERING_PARAMS);
    expect(resolveClusteringParams({ maxDistance: 0.3, minFaces: undefined }).maxDistance).toBe(0.3);
    expect(resolveClusteringParams({ minFaces: 50, maxNeighbours: 4 }).maxNeighbours).toBe(49);
    for (const bad of [
      { maxDistance: 0 },
      { maxDistance: 3 },
      { minFaces: 0 },
      { minFaces: 2.5 },
      { minVotes: 0 },
      { ambiguityRatio: 0 },
      { maxNeighbours: 0 },
      { maxDistance: Number.NaN },
    ]) {
      expect(() => resolveClusteringParams(bad), JSON.stringify(bad)).toThrow(RangeError);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('assignIncremental', () => {
  const newFace = { id: 'new', photoId: 'photo-new' };
  let n = 0;
  const nb = (personId: string | null, distance: number, extra: Partial<NeighbourFace> = {}): NeighbourFace => ({
    faceId: `f${(n += 1)}`,
    photoId: `p${n}`,
    personId,
    distance,
    assignedBy: personId === null ? null : 'auto',
    ...extra,
  });
  const ctx = (neighbours: NeighbourFace[], more: { personsInPhoto?: string[]; rejected?: string[]; params?: ClusterAllParams } = {}) => ({
    neighbours,
    personsInPhoto: more.personsInPhoto ?? [],
    rejectedPersonIds: more.rejected ?? [],
    params: more.params,
  });

  it('assigns to the person most of its close neighbours belong to', () => {
    const d = assignIncremental(newFace, ctx([nb('P', 0.2), nb('P', 0.25, { assignedBy: 'user' }), nb('P', 0.3), nb(null, 0.22), nb('Q', 0.9)]));
    expect(d).toMatchObject({ kind: 'assign', personId: 'P', votes: 3 });
    if (d.kind === 'assign') {
      expect(d.meanDistance).toBeCloseTo(0.25, 10);
      expect(d.reason).toMatch(/3 of 4 neighbours/);
    }
  });

  it('ignores neighbours beyond maxDistance, itself, and repeated rows', () => {
    expect(assignIncremental(newFace, ctx([nb('P', 0.5), nb('P', 0.6), nb('P', 0.7)]))).toEqual({ kind: 'none', reason: 'sparse' });
    // maxDistance is a parameter: the same neighbours qualify under a looser one.
    expect(assignIncremental(newFace, ctx([nb('P', 0.5), nb('P', 0.6)], { params: { maxDistance: 0.65 } }))).toMatchObject({ kind: 'assign', personId: 'P' });
    const once = nb('P', 0.1);
    expect(assignIncremental(newFace, ctx([once, once, { ...once }, nb('P', 0.1, { faceId: 'new', photoId: 'elsewhere' })]))).toEqual({
      kind: 'none',
      reason: 'weak',
    });
  });

  it('one close face of a person is not enough by default (minVotes 2), and does not start a rival person', () => {
    const neighbours = [nb('P', 0.1), nb(null, 0.2), nb(null, 0.25), nb(null, 0.3)];
    expect(assignIncremental(newFace, ctx(neighbours))).toEqual({ kind: 'none', reason: 'weak' });
    expect(assignIncremental(newFace, ctx(neighbours, { params: { minVotes: 1 } }))).toMatchObject({ kind: 'assign', personId: 'P', votes: 1 });
  });

  it('takes one close face the user named as enough: a name given on one photo is recognised on the next', () => {
    expect(assignIncremental(newFace, ctx([nb('P', 0.1, { assignedBy: 'user' }), nb(null, 0.2)]))).toMatchObject({ kind: 'assign', personId: 'P', votes: 1 });
    // not beyond maxDistance, not against a rival with comparable support, not for a person in the same photo
    expect(assignIncremental(newFace, ctx([nb('P', 0.5, { assignedBy: 'user' })]))).toEqual({ kind: 'none', reason: 'sparse' });
    expect(assignIncremental(newFace, ctx([nb('P', 0.2, { assignedBy: 'user' }), nb('Q', 0.21, { assignedBy: 'user' })]))).toEqual({
      kind: 'none',
      reason: 'ambiguous',
    });
    expect(assignIncremental(newFace, ctx([nb('P', 0.1, { assignedBy: 'user' })], { personsInPhoto: ['P'] }))).toMatchObject({ kind: 'none' });
  });

  it('is ambiguous between two persons with comparable support, decisive when one clearly leads', () => {
    expect(assignIncremental(newFace, ctx([nb('P', 0.2), nb('P', 0.22), nb('Q', 0.21), nb('Q', 0.25)]))).toEqual({ kind: 'none', reason: 'ambiguous' });
    expect(assignIncremental(newFace, ctx([nb('P', 0.2), nb('P', 0.22), nb('P', 0.21), nb('P', 0.23), nb('Q', 0.4)]))).toMatchObject({
      kind: 'assign',
      personId: 'P',
    });
    // 3 close votes against 2 moderate ones: the runner-up has just over half the support (0.51), not decisive.
    expect(assignIncremental(newFace, ctx([nb('P', 0.1), nb('P', 0.12), nb('P', 0.15), nb('Q', 0.3), nb('Q', 0.32)]))).toEqual({
      kind: 'none',
      reason: 'ambiguous',
    });
    // An exact tie is ambiguous whatever the ratio.
    expect(assignIncremental(newFace, ctx([nb('P', 0.2), nb('P', 0.2), nb('Q', 0.2), nb('Q', 0.2)], { params: { ambiguityRatio: 1 } }))).toEqual({
      kind: 'none',
      reason: 'ambiguous',
    });
  });

  it('never assigns to a person already in the photo, nor to a rejected one', () => {
    const neighbours = [nb('P', 0.1), nb('P', 0.12), nb('P', 0.15), nb('P', 0.16), nb('Q', 0.3), nb('Q', 0.32)];
    expect(assignIncremental(newFace, ctx(neighbours))).toMatchObject({ kind: 'assign', personId: 'P' });
    expect(assignIncremental(newFace, ctx(neighbours, { personsInPhoto: ['P'] }))).toMatchObject({ kind: 'assign', personId: 'Q' });
    expect(assignIncremental(newFace, ctx(neighbours, { rejected: ['P'] }))).toMatchObject({ kind: 'assign', personId: 'Q' });
    expect(assignIncremental(newFace, ctx(neighbours, { rejected: ['P'], personsInPhoto: ['Q'] }))).toEqual({ kind: 'none', reason: 'blocked' });
  });

  it('a neighbour in the same photo is somebody else: its person is blocked even if the caller did not say so', () => {
    const neighbours = [nb('P', 0.05, { photoId: 'photo-new' }), nb('P', 0.1), nb('P', 0.12)];
    expect(assignIncremental(newFace, ctx(neighbours))).toEqual({ kind: 'none', reason: 'blocked' });
  });

  it('hidden people are ordinary people here: a neighbour of a hidden person votes like any other', () => {
    // There is no hidden flag in the API on purpose; the caller must not filter hidden people out of the neighbours.
    expect(assignIncremental(newFace, ctx([nb('hidden-person', 0.2), nb('hidden-person', 0.3)]))).toMatchObject({ kind: 'assign', personId: 'hidden-person' });
  });

  it('creates a person when it and its unassigned neighbours form a dense core of ≥ minFaces photos', () => {
    const a = nb(null, 0.2, { faceId: 'zz' });
    const b = nb(null, 0.3, { faceId: 'aa' });
    expect(assignIncremental(newFace, ctx([a, b]))).toEqual({ kind: 'create', members: ['aa', 'new', 'zz'] });
    expect(assignIncremental(newFace, ctx([a]))).toEqual({ kind: 'none', reason: 'sparse' });
    expect(assignIncremental(newFace, ctx([a, b], { params: { minFaces: 4 } }))).toEqual({ kind: 'none', reason: 'sparse' });
    expect(assignIncremental(newFace, ctx([a], { params: { minFaces: 2 } }))).toEqual({ kind: 'create', members: ['new', 'zz'] });
  });

  it('a new person takes one face per photo (the closest), none from the new face’s photo, none the user took out', () => {
    const close = nb(null, 0.1, { faceId: 'close', photoId: 'shared' });
    const far = nb(null, 0.2, { faceId: 'far', photoId: 'shared' });
    const samePhoto = nb(null, 0.05, { faceId: 'same', photoId: 'photo-new' });
    const takenOut = nb(null, 0.05, { faceId: 'out', assignedBy: 'user' });
    const other = nb(null, 0.3, { faceId: 'other' });
    expect(assignIncremental(newFace, ctx([far, samePhoto, takenOut, close, other]))).toEqual({ kind: 'create', members: ['close', 'new', 'other'] });
    expect(assignIncremental(newFace, ctx([far, samePhoto, takenOut, close]))).toEqual({ kind: 'none', reason: 'sparse' });
  });

  it('with embeddings, members must also be close to each other (no person from two directions)', () => {
    const r = mulberry32(7);
    const me = randomUnit(r);
    // Both 0.4 from the new face but on opposite sides: ≈ 0.8 from each other.
    const left = atDistance(me, 0.4, r);
    const right = unit(Array.from(me, (x, i) => 2 * 0.6 * x - left[i]!));
    expect(cosineDistance(left, right)).toBeGreaterThan(0.45);
    const neighbours = [nb(null, 0.4, { embedding: left }), nb(null, 0.4, { embedding: right })];
    expect(assignIncremental(newFace, ctx(neighbours))).toEqual({ kind: 'none', reason: 'sparse' });
    const near = atDistance(left, 0.1, r);
    expect(assignIncremental(newFace, ctx([...neighbours, nb(null, 0.42, { embedding: near })]))).toMatchObject({ kind: 'create' });
  });

  it('a blocked person does not stop a new person from forming', () => {
    const d = assignIncremental(
      newFace,
      ctx([nb('P', 0.1), nb('P', 0.1), nb(null, 0.2, { faceId: 'u1' }), nb(null, 0.2, { faceId: 'u2' })], { rejected: ['P'] }),
    );
    expect(d).toEqual({ kind: 'create', members: ['new', 'u1', 'u2'] });
  });

  it('the decision does not depend on the order of the neighbour rows', () => {
    const neighbours = [nb('P', 0.2), nb('P', 0.3), nb('Q', 0.25), nb(null, 0.1), nb(null, 0.1, { photoId: 'px' }), nb(null, 0.1, { photoId: 'px' })];
    const first = assignIncremental(newFace, ctx(neighbours, { params: { ambiguityRatio: 1 } }));
    for (let s = 0; s < 10; s += 1) {
      expect(assignIncremental(newFace, ctx(shuffled(neighbours, s), { params: { ambiguityRatio: 1 } }))).toEqual(first);
    }
    const noPeople = neighbours.filter((x) => x.personId === null);
    const made = assignIncremental(newFace, ctx(noPeople));
    for (let s = 0; s < 10; s += 1) expect(assignIncremental(newFace, ctx(shuffled(noPeople, s)))).toEqual(made);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('clusterAll', () => {
  it('recovers synthetic identities with high purity and leaves strangers unassigned', () => {
    const faces = world(11, 40, 8, 60);
    const result = clusterAll(faces, []);
    expectInvariants(faces, [], result);
    const q = quality(faces, result);
    expect(q.purity).toBe(1);
    expect(q.completeness).toBeGreaterThanOrEqual(0.98);
    expect(q.noiseClustered).toBe(0);
    expect(result.newPeople.length).toBe(40);
    expect(result.stats).toMatchObject({ faces: 380, newPeople: 40, newPeopleFaces: result.assignments.size, unassigned: 380 - result.assignments.size });
  });

  it('stays pure with tighter/looser identities and a truncated neighbour list (2 000 faces)', () => {
    const r = mulberry32(12);
    const faces: Labelled[] = [];
    for (let k = 0; k < 150; k += 1) {
      faces.push(...identityFaces(`mix${String(k).padStart(3, '0')}`, randomUnit(r), 4 + Math.floor(r() * 20), r, { sigma: 0.35 + r() * 0.3 }));
    }
    faces.push(...noiseFaces(2000 - faces.length, r));
    const result = clusterAll(faces, [], { maxNeighbours: 8 });
    expectInvariants(faces, [], result);
    const q = quality(faces, result);
    expect(q.purity).toBeGreaterThanOrEqual(0.99);
    expect(q.completeness).toBeGreaterThanOrEqual(0.95);
    expect(q.noiseClustered).toBe(0);
  });

  it('an identity with fewer than minFaces faces makes no person', () => {
    const r = mulberry32(13);
    const pair = identityFaces('pair', randomUnit(r), 2, r);
    const trio = identityFaces('trio', randomUnit(r), 3, r);
    const result = clusterAll([...pair, ...trio], []);
    expect(result.newPeople).toEqual([trio.map((f) => f.id)]);
    expect(result.released).toEqual([]);
    for (const f of pair) expect(result.assignments.has(f.id)).toBe(false);
    expect(clusterAll([...pair, ...trio], [], { minFaces: 2 }).newPeople).toHaveLength(2);
    expect(clusterAll([...pair, ...trio], [], { minFaces: 4 }).newPeople).toHaveLength(0);
  });

  it('two faces of one photo never land in one person, even identical: the closer one stays', () => {
    const r = mulberry32(14);
    const center = randomUnit(r);
    const group = identityFaces('a', center, 6, r);
    const twin = noisy(center, 0.2, r);
    const photo = 'photo-with-two';
    const x1: ClusterFace = { id: 'x1', photoId: photo, embedding: twin, personId: null, assignedBy: null };
    const x2: ClusterFace = { id: 'x2', photoId: photo, embedding: new Float32Array(twin), personId: null, assignedBy: null };
    const faces = [...group, x2, x1];
    const result = clusterAll(faces, []);
    expectInvariants(faces, [], result);
    expect(result.newPeople).toHaveLength(1);
    // Identical: the tie goes to the smaller id; the other is left out rather than given its own person.
    expect(result.assignments.has('x1')).toBe(true);
    expect(result.assignments.has('x2')).toBe(false);

    // Not identical: the one closer to the group stays, whichever id it has.
    const closer: ClusterFace = { ...x2, id: 'y-close', embedding: noisy(center, 0.1, r) };
    const farther: ClusterFace = { ...x1, id: 'a-far', embedding: noisy(center, 0.9, r) };
    const second = clusterAll([...group, farther, closer], []);
    expect(second.assignments.has('y-close')).toBe(true);
    expect(second.assignments.has('a-far')).toBe(false);

    // Two faces of a photo do not count twice towards density either: 2 photos are not a core of 3.
    const lonely = [x1, x2, { ...x1, id: 'x3', photoId: 'another', embedding: noisy(center, 0.2, r) }];
    expect(clusterAll(lonely, []).newPeople).toEqual([]);
  });

  it('an existing person keeps one auto face per photo: a user face wins, else the one closest to the person', () => {
    const r = mulberry32(15);
    const center = randomUnit(r);
    const base = identityFaces('p', center, 5, r, { personId: 'P', assignedBy: 'user' });
    const near: ClusterFace = { id: 'z-near', photoId: 'dup', embedding: noisy(center, 0.1, r), personId: 'P', assignedBy: 'auto' };
    const far: ClusterFace = { id: 'a-far', photoId: 'dup', embedding: noisy(center, 0.8, r), personId: 'P', assignedBy: 'auto' };
    let result = clusterAll([...base, far, near], []);
    expect(result.assignments.get('z-near')).toBe('P');
    expect(result.assignments.has('a-far')).toBe(false);
    expect(result.released).toEqual(['a-far']);
    expect(result.stats.autoDropped).toBe(1);

    // Identical auto faces of one photo: the tie goes to the smaller id.
    const twinB: ClusterFace = { ...near, id: 'twin-b' };
    const twinA: ClusterFace = { ...near, id: 'twin-a', embedding: new Float32Array(near.embedding) };
    result = clusterAll([...base, twinB, twinA], []);
    expect(result.assignments.get('twin-a')).toBe('P');
    expect(result.assignments.has('twin-b')).toBe(false);

    const user: ClusterFace = { ...far, id: 'user-face', assignedBy: 'user' };
    result = clusterAll([...base, user, near], []);
    expect(result.assignments.get('user-face')).toBe('P');
    expect(result.assignments.has('z-near')).toBe(false);
    // Two user faces of one photo in one person: the user's call, kept.
    result = clusterAll([...base, user, { ...near, assignedBy: 'user' }], []);
    expect(result.assignments.get('user-face')).toBe('P');
    expect(result.assignments.get('z-near')).toBe('P');
  });

  it('user assignments are fixed, even where the embedding disagrees', () => {
    const r = mulberry32(16);
    const a = randomUnit(r);
    const b = randomUnit(r);
    const aFaces = identityFaces('a', a, 6, r, { personId: 'PA', assignedBy: 'user' });
    const bFaces = identityFaces('b', b, 6, r, { personId: 'PB', assignedBy: 'user' });
    // The user put a face that looks like B into PA, and a stranger into PB.
    const misfiled: ClusterFace = { ...identityFaces('b-like', b, 1, r)[0]!, personId: 'PA', assignedBy: 'user' };
    const stranger: ClusterFace = { ...noiseFaces(1, r, 'stranger')[0]!, personId: 'PB', assignedBy: 'user' };
    // …and rejected PA for one of A's faces after assigning it (the assignment stands).
    const rejections = [{ faceId: aFaces[0]!.id, personId: 'PA' }];
    const faces = [...aFaces, ...bFaces, misfiled, stranger];
    const result = clusterAll(faces, rejections);
    expectInvariants(faces, rejections, result);
    expect(result.assignments.get(misfiled.id)).toBe('PA');
    expect(result.assignments.get(stranger.id)).toBe('PB');
    expect(result.assignments.get(aFaces[0]!.id)).toBe('PA');
    expect(result.stats.userFixed).toBe(faces.length);
    expect(result.newPeople).toEqual([]);
  });

  it('a face the user took out of people (no person, by user) stays unassigned and adds no density', () => {
    const r = mulberry32(17);
    const center = randomUnit(r);
    const out = identityFaces('out', center, 6, r, { assignedBy: 'user' });
    const two = identityFaces('in', center, 2, r);
    const result = clusterAll([...out, ...two], []);
    expect(result.assignments.size).toBe(0);
    expect(result.stats.excluded).toBe(6);
  });

  it('one user-named face pulls its unassigned look-alikes into that person', () => {
    const r = mulberry32(18);
    const center = randomUnit(r);
    const named = identityFaces('named', center, 1, r, { personId: 'P', assignedBy: 'user' });
    const rest = identityFaces('rest', center, 7, r);
    const result = clusterAll([...named, ...rest], []);
    for (const f of rest) expect(result.assignments.get(f.id)).toBe('P');
    expect(result.newPeople).toEqual([]);
    expect(result.stats.attached).toBe(7);
  });

  it('attaches unassigned faces to existing people, keeps auto faces, forms new people from the rest', () => {
    const r = mulberry32(19);
    const a = randomUnit(r);
    const b = randomUnit(r);
    const known = identityFaces('a-known', a, 4, r, { personId: 'PA' });
    const fresh = identityFaces('a-fresh', a, 5, r);
    const other = identityFaces('b', b, 5, r);
    const noise = noiseFaces(10, r);
    const faces = [...known, ...fresh, ...other, ...noise];
    const result = clusterAll(faces, []);
    expectInvariants(faces, [], result);
    for (const f of [...known, ...fresh]) expect(result.assignments.get(f.id)).toBe('PA');
    expect(result.newPeople).toEqual([other.map((f) => f.id)]);
    expect(result.stats).toMatchObject({ autoKept: 4, attached: 5, newPeople: 1, newPeopleFaces: 5, unassigned: 10 });
  });

  it('auto faces stay put unless reassignAuto resets them to the user faces', () => {
    const r = mulberry32(20);
    const center = randomUnit(r);
    const user = identityFaces('u', center, 3, r, { personId: 'P', assignedBy: 'user' });
    const autoFar = identityFaces('drift', randomUnit(r), 1, r, { personId: 'P' }); // an earlier mistake
    const keep = clusterAll([...user, ...autoFar], []);
    expect(keep.assignments.get(autoFar[0]!.id)).toBe('P');
    const reset = clusterAll([...user, ...autoFar], [], { reassignAuto: true });
    expect(reset.assignments.has(autoFar[0]!.id)).toBe(false);
    expect(reset.released).toEqual([autoFar[0]!.id]);
    for (const f of user) expect(reset.assignments.get(f.id)).toBe('P');
  });

  describe('rejections', () => {
    it('an auto face rejected from its person is released and never comes back', () => {
      const r = mulberry32(21);
      const center = randomUnit(r);
      const person = identityFaces('p', center, 6, r, { personId: 'P' });
      const rejections = [{ faceId: person[2]!.id, personId: 'P' }];
      const result = clusterAll(person, rejections);
      expectInvariants(person, rejections, result);
      expect(result.assignments.has(person[2]!.id)).toBe(false);
      expect(result.released).toEqual([person[2]!.id]);
    });

    it('a rejecting face is left out of a group joining that person; the rest of the group joins', () => {
      const r = mulberry32(22);
      const center = randomUnit(r);
      const person = identityFaces('p', center, 4, r, { personId: 'P', assignedBy: 'user' });
      const group = identityFaces('q', center, 6, r);
      const rejections = [
        { faceId: group[0]!.id, personId: 'P' },
        { faceId: group[3]!.id, personId: 'P' },
      ];
      const faces = [...person, ...group];
      const result = clusterAll(faces, rejections);
      expectInvariants(faces, rejections, result);
      expect(result.assignments.has(group[0]!.id)).toBe(false);
      expect(result.assignments.has(group[3]!.id)).toBe(false);
      for (const f of [group[1]!, group[2]!, group[4]!, group[5]!]) expect(result.assignments.get(f.id)).toBe('P');
      expect(result.newPeople).toEqual([]);
      // Same faces, any order: same outcome.
      expect(sortedEntries(clusterAll(shuffled(faces, 3), rejections))).toEqual(sortedEntries(result));
    });

    it('a tight group holding a rejecting face joins the person without that face (eviction)', () => {
      const r = mulberry32(40);
      const a = randomUnit(r);
      const person = identityFaces('p', a, 4, r, { personId: 'P', assignedBy: 'user' });
      // A tight group (internal distance ≈ 0.04) a little off the person (≈ 0.25): it forms before it meets P.
      const group = identityFaces('g', atDistance(a, 0.15, r), 6, r, { sigma: 0.2 });
      const rejections = [{ faceId: group[2]!.id, personId: 'P' }];
      const faces = [...person, ...group];
      const result = clusterAll(faces, rejections);
      expectInvariants(faces, rejections, result);
      expect(result.stats.evicted).toBe(1);
      expect(result.assignments.has(group[2]!.id)).toBe(false);
      for (const f of group.filter((_, i) => i !== 2)) expect(result.assignments.get(f.id)).toBe('P');
    });

    it('nothing joins a person through a link that starts at a face rejected from it', () => {
      // B's faces reach person A only through f, which sits between them (nearer B) and was rejected from A.
      const r = mulberry32(41);
      const a = randomUnit(r);
      const b = atDistance(a, 0.7, r);
      const pa = identityFaces('a', a, 5, r, { personId: 'PA', assignedBy: 'user', sigma: 0.4 });
      const bs = identityFaces('b', b, 5, r, { sigma: 0.4 });
      const f: ClusterFace = {
        id: 'f',
        photoId: 'photo-f',
        embedding: unit(Array.from(a, (x, i) => 0.42 * x + 0.58 * b[i]!)),
        personId: null,
        assignedBy: null,
      };
      const toA = Math.min(...pa.map((x) => cosineDistance(f.embedding, x.embedding)));
      const toB = Math.min(...bs.map((x) => cosineDistance(f.embedding, x.embedding)));
      let cross = Infinity;
      for (const x of pa) for (const y of bs) cross = Math.min(cross, cosineDistance(x.embedding, y.embedding));
      expect(toB).toBeLessThan(toA);
      expect(toA).toBeLessThanOrEqual(DEFAULT_CLUSTERING_PARAMS.maxDistance);
      expect(cross).toBeGreaterThan(DEFAULT_CLUSTERING_PARAMS.maxDistance);
      const rejections = [{ faceId: 'f', personId: 'PA' }];
      const result = clusterAll([...pa, ...bs, f], rejections);
      expectInvariants([...pa, ...bs, f], rejections, result);
      expect(result.newPeople).toEqual([[...bs.map((x) => x.id), 'f']]);
      // Without the rejection, f is the bridge that brings B into A: that is what the rejection stops.
      const unrejected = clusterAll([...pa, ...bs, f], []);
      expect(unrejected.assignments.get('f')).toBe('PA');
    });

    it('a rejected face may still form or join another person', () => {
      const r = mulberry32(23);
      const a = randomUnit(r);
      const b = randomUnit(r);
      const pa = identityFaces('a', a, 4, r, { personId: 'PA', assignedBy: 'user' });
      const bs = identityFaces('b', b, 4, r);
      const rejections = [{ faceId: bs[0]!.id, personId: 'PA' }];
      const result = clusterAll([...pa, ...bs], rejections);
      expect(result.newPeople).toEqual([bs.map((f) => f.id)]);
    });

    it('rejections of a person seen only in rejections are harmless', () => {
      const r = mulberry32(24);
      const faces = identityFaces('x', randomUnit(r), 4, r);
      const result = clusterAll(faces, [
        { faceId: faces[0]!.id, personId: 'gone' },
        { faceId: 'unknown-face', personId: 'P' },
      ]);
      expect(result.newPeople).toEqual([faces.map((f) => f.id)]);
    });
  });

  describe('close identities', () => {
    // Two identities whose centres are 0.55 apart: every cross pair of faces is farther than maxDistance, but
    // much closer than strangers (≈ 1.0). E.g. siblings.
    function siblings(seed: number) {
      const r = mulberry32(seed);
      const a = randomUnit(r);
      const b = atDistance(a, 0.55, r);
      const as = identityFaces('sib-a', a, 8, r, { sigma: 0.4 });
      const bs = identityFaces('sib-b', b, 8, r, { sigma: 0.4 });
      let minCross = Infinity;
      for (const x of as) for (const y of bs) minCross = Math.min(minCross, cosineDistance(x.embedding, y.embedding));
      return { as, bs, minCross };
    }

    it('are not merged while every cross pair is above maxDistance', () => {
      const { as, bs, minCross } = siblings(25);
      expect(minCross).toBeGreaterThan(DEFAULT_CLUSTERING_PARAMS.maxDistance);
      expect(minCross).toBeLessThan(0.7);
      const result = clusterAll([...as, ...bs], []);
      expect(result.newPeople).toEqual([as.map((f) => f.id), bs.map((f) => f.id)]);
      // …and merged once maxDistance is raised past the gap: the threshold is what keeps them apart.
      expect(clusterAll([...as, ...bs], [], { maxDistance: minCross + 0.05 }).newPeople).toHaveLength(1);
    });

    it('two existing people are never merged, even within maxDistance', () => {
      const { as, bs, minCross } = siblings(26);
      const pa = as.map((f) => ({ ...f, personId: 'PA', assignedBy: 'auto' as const }));
      const pb = bs.map((f) => ({ ...f, personId: 'PB', assignedBy: 'auto' as const }));
      const result = clusterAll([...pa, ...pb], [], { maxDistance: minCross + 0.2 });
      for (const f of pa) expect(result.assignments.get(f.id)).toBe('PA');
      for (const f of pb) expect(result.assignments.get(f.id)).toBe('PB');
      expect(result.stats.refused.twoPeople).toBeGreaterThan(0);
    });

    it('people photographed together are not merged through a bridge of look-alike links', () => {
      // Same siblings, but pairs of them share photos: even with a loose threshold, the shared photos keep them apart.
      const { as, bs, minCross } = siblings(27);
      const together = bs.map((f, i) => ({ ...f, photoId: as[i]!.photoId }));
      const faces = [...as, ...together];
      const result = clusterAll(faces, [], { maxDistance: minCross + 0.1 });
      expectInvariants(faces, [], result);
      expect(result.newPeople).toHaveLength(2);
      expect(result.stats.refused.samePhoto).toBeGreaterThan(0);
    });
  });

  describe('density rules, on hand-placed points', () => {
    const at = (deg: number): Float32Array => new Float32Array([Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)]);
    const face = (id: string, embedding: Float32Array, extra: Partial<ClusterFace> = {}): ClusterFace => ({
      id,
      photoId: `photo-${id}`,
      embedding,
      personId: null,
      assignedBy: null,
      ...extra,
    });
    const within52 = 1 - Math.cos((52 * Math.PI) / 180); // neighbours: at most 52° apart

    it('a border face belongs to one cluster only, so it never bridges two (DBSCAN border rule)', () => {
      // A at 0–15°, B at 115–130°, m at 64°: m sees a3 (49°) and b0 (51°) only, too few to be a core with minFaces 4.
      const A = [0, 5, 10, 15].map((d, i) => face(`a${i}`, at(d)));
      const B = [115, 120, 125, 130].map((d, i) => face(`b${i}`, at(d)));
      const m = face('m', at(64));
      const result = clusterAll([...A, ...B, m], [], { maxDistance: within52, minFaces: 4 });
      expect(result.stats.corePoints).toBe(8);
      expect(result.newPeople).toEqual([
        ['a0', 'a1', 'a2', 'a3', 'm'],
        ['b0', 'b1', 'b2', 'b3'],
      ]);
    });

    it('density counts photos, not faces: two faces of one photo make one neighbour', () => {
      const q = new Float32Array([1, 0, 0]);
      const s40 = Math.sin((40 * Math.PI) / 180);
      const c40 = Math.cos((40 * Math.PI) / 180);
      const x1 = face('x1', new Float32Array([c40, s40, 0]), { photoId: 'X' });
      const x2 = face('x2', new Float32Array([c40, -s40, 0]), { photoId: 'X' });
      const result = clusterAll([face('q', q), x1, x2], []);
      expect(result.stats.corePoints).toBe(0);
      expect(result.stats.edges).toBe(2);
      expect(result.assignments.size).toBe(0);
    });

    it('two faces with no density around them do not link, even to a person', () => {
      const p = face('p', at(0), { personId: 'P', assignedBy: 'user' });
      const u = face('u', at(30));
      expect(clusterAll([p, u], []).assignments.has('u')).toBe(false);
      expect(clusterAll([p, u], [], { minFaces: 2 }).assignments.get('u')).toBe('P');
    });
  });

  it('same input in any order → same output', () => {
    const r = mulberry32(28);
    const faces: ClusterFace[] = world(29, 25, 6, 30).map((f, i) => {
      if (i % 17 === 0) return { ...f, personId: 'P-user', assignedBy: 'user' };
      if (i % 13 === 0) return { ...f, personId: `P-auto-${i % 3}`, assignedBy: 'auto' };
      return f;
    });
    // Some faces share photos, some are rejected.
    for (let i = 0; i < faces.length; i += 7) faces[i] = { ...faces[i]!, photoId: faces[(i + 3) % faces.length]!.photoId };
    const rejections = faces.filter((_, i) => i % 11 === 0).map((f) => ({ faceId: f.id, personId: 'P-auto-1' }));
    const first = clusterAll(faces, rejections);
    expectInvariants(faces, rejections, first);
    for (let s = 0; s < 5; s += 1) {
      const again = clusterAll(shuffled(faces, 100 + s + Math.floor(r() * 1000)), shuffled(rejections, s));
      expect(sortedEntries(again)).toEqual(sortedEntries(first));
      expect(again.newPeople).toEqual(first.newPeople);
      expect(again.released).toEqual(first.released);
      expect(again.stats).toEqual(first.stats);
    }
  });

  it('a plugged-in neighbour function gives the exact scan’s result; a truncated index still recovers identities', () => {
    const faces = world(30, 20, 7, 20);
    const brute =
      (k: number) =>
      (face: ClusterFace): readonly IndexNeighbour[] =>
        faces
          .map((o) => ({ faceId: o.id, distance: cosineDistance(face.embedding, o.embedding) }))
          .sort((x, y) => x.distance - y.distance)
          .slice(0, k);
    const scan = clusterAll(faces, []);
    const plugged = clusterAll(faces, [], { neighbours: brute(faces.length) });
    expect(sortedEntries(plugged)).toEqual(sortedEntries(scan));
    expect(plugged.newPeople).toEqual(scan.newPeople);
    const knn = clusterAll(faces, [], { neighbours: brute(6) }); // self + 5 nearest, like an HNSW query
    expect(quality(faces, knn).purity).toBe(1);
    expect(knn.newPeople).toHaveLength(20);
  });

  it('accepts unnormalised embeddings and empty input; refuses duplicates, mixed dimensions and `new:` ids', () => {
    expect(clusterAll([], [])).toMatchObject({ newPeople: [], released: [], stats: { faces: 0 } });
    const r = mulberry32(31);
    const center = randomUnit(r);
    const faces = identityFaces('s', center, 4, r).map((f, i) => ({ ...f, embedding: f.embedding.map((x) => x * (i + 2)) }));
    expect(clusterAll(faces, []).newPeople).toHaveLength(1);
    expect(() => clusterAll([faces[0]!, { ...faces[1]!, id: faces[0]!.id }], [])).toThrow(/duplicate/);
    expect(() => clusterAll([faces[0]!, { ...faces[1]!, embedding: new Float32Array(3) }], [])).toThrow(/dimension/);
    expect(() => clusterAll([{ ...faces[0]!, personId: 'new:1' }], [])).toThrow(/new-person/);
    expect(isNewPersonKey('new:0')).toBe(true);
    expect(isNewPersonKey('9b2c…')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Timing, on demand: SHOEBOX_CLUSTER_BENCH=1 npx vitest run test/unit/people-clustering.test.ts

describe.skipIf(!process.env.SHOEBOX_CLUSTER_BENCH)('clusterAll timing', () => {
  for (const n of [2_000, 10_000, 20_000]) {
    it(`${n} faces`, { timeout: 600_000 }, () => {
      const r = mulberry32(n);
      const faces: Labelled[] = [];
      let k = 0;
      // Identities of 2–40 faces, ~15 % strangers.
      while (faces.length < n * 0.85) {
        faces.push(...identityFaces(`b${n}-${String((k += 1)).padStart(5, '0')}`, randomUnit(r), 2 + Math.floor(r() * 39), r, { sigma: 0.35 + r() * 0.3 }));
      }
      faces.push(...noiseFaces(n - faces.length, r, `bn${n}`));
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const result = clusterAll(faces, []);
      const ms = performance.now() - t0;
      const cpuMs = process.cpuUsage(cpu0).user / 1000;
      const q = quality(faces, result);
      console.log(
        `clusterAll ${n} faces: ${(ms / 1000).toFixed(2)} s wall, ${(cpuMs / 1000).toFixed(2)} s cpu; ${result.stats.newPeople} people (${k} identities), ` +
          `purity ${q.purity.toFixed(4)}, completeness ${q.completeness.toFixed(4)}, edges ${result.stats.edges}, ` +
          `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
      );
      expect(q.purity).toBeGreaterThan(0.99);
    });
  }
});
