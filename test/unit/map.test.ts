// The map's pure parts: the clustering grid, the visible area and the view in the URL, shapes across the
// antimeridian, and the place parameters.
import { describe, expect, it } from 'vitest';
import { clusterPoints, mapPoints, mercatorY, MERCATOR_MAX_LATITUDE, withChanges } from '../../src/library/map/grid.js';
import { haversineKm, nearOf, parseBox, parseNear } from '../../src/model/geo.js';
import { intoView, parseView, visibleBox, wrapLongitude } from '../../web/src/components/map/view.js';
import { splitLine, unwrapRing } from '../../web/src/components/map/unwrap.js';

const item = (id: string, latitude: number, longitude: number, taken = 0) => ({ id, latitude, longitude, taken });

describe('clusterPoints', () => {
  const points = mapPoints([
    item('lisbon-1', 38.7223, -9.1393, 100),
    item('lisbon-2', 38.7139, -9.1334, 300),
    item('porto', 41.1579, -8.6291, 200),
    item('tokyo', 35.6895, 139.6917, 50),
    item('fiji', -17, 179.5),
    item('samoa', -17, -179.5),
  ]);

  it('gathers near items from afar and parts them closer in, the newest standing for each', () => {
    const world = clusterPoints(points, 2);
    expect(world.total).toBe(6);
    const portugal = world.clusters.find((c) => c.count === 3)!;
    expect(portugal.photoId).toBe('lisbon-2'); // taken last
    expect(portugal.bbox).toEqual([-9.1393, 38.7139, -8.6291, 41.1579]);
    expect(portugal.latitude).toBeCloseTo((38.7223 + 38.7139 + 41.1579) / 3, 9);
    const close = clusterPoints(points, 9, { minLng: -10, minLat: 38, maxLng: -8, maxLat: 42 });
    expect(close.total).toBe(3);
    expect(close.clusters.map((c) => [c.photoId, c.count])).toEqual([
      ['lisbon-2', 2],
      ['porto', 1],
    ]);
    const street = clusterPoints(points, 16, { minLng: -10, minLat: 38, maxLng: -9, maxLat: 39 });
    expect(street.clusters.map((c) => c.count)).toEqual([1, 1]);
  });

  it('takes a box across the antimeridian, and never joins the two ends of the world', () => {
    const pacific = clusterPoints(points, 3, { minLng: 179, minLat: -20, maxLng: -179, maxLat: -10 });
    expect(pacific.total).toBe(2);
    expect(pacific.clusters).toHaveLength(2);
    expect(clusterPoints(points, 3, { minLng: -179, minLat: -20, maxLng: 179, maxLat: -10 }).total).toBe(0);
  });

  it('draws the poles at the edge of the map instead of losing them', () => {
    expect(mercatorY(90)).toBe(mercatorY(MERCATOR_MAX_LATITUDE));
    expect(mercatorY(0)).toBeCloseTo(0.5, 12);
    const poles = clusterPoints(mapPoints([item('north-a', 89.9, 45), item('north-b', 89.9, -135), item('south', -90, 0)]), 0);
    expect(poles.total).toBe(3);
    expect(poles.clusters.reduce((sum, c) => sum + c.count, 0)).toBe(3);
  });

  it('puts every item in exactly one cluster at every zoom', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    // crowded towns and their outskirts, so that cells take in neighbours that took in others
    const towns = Array.from({ length: 30 }, () => [random() * 140 - 70, random() * 340 - 170] as const);
    const items = Array.from({ length: 3000 }, (_, i) => {
      const [lat, lng] = towns[Math.floor(random() ** 2 * towns.length)]!;
      return item(`p${i}`, lat + (random() - 0.5) * 4, lng + (random() - 0.5) * 6, i);
    });
    const many = mapPoints(items);
    for (let zoom = 0; zoom <= 12; zoom++) {
      const answer = clusterPoints(many, zoom);
      expect(
        answer.clusters.reduce((sum, c) => sum + c.count, 0),
        `zoom ${zoom}`,
      ).toBe(3000);
      expect(new Set(answer.clusters.map((c) => c.photoId)).size, `zoom ${zoom}`).toBe(answer.clusters.length);
    }
  });

  it('sends at most 4,000 clusters, the most crowded, and says so', () => {
    const many = mapPoints(Array.from({ length: 5000 }, (_, i) => item(`p${i}`, -60 + (i % 100) * 1.2, -170 + Math.floor(i / 100) * 6.8)));
    const answer = clusterPoints(many, 10);
    expect(answer.truncated).toBe(true);
    expect(answer.clusters).toHaveLength(4000);
    expect(answer.total).toBe(5000);
  });
});

describe('withChanges', () => {
  it('mends kept points as reading them afresh would: changed items leave, their new state comes in', () => {
    const kept = mapPoints([item('a', 10, 20), item('b', 38.7, -9.1), item('c', -17, 179.5), item('d', 89.9, 45)]);
    // b moved, c left (trashed, or its position removed), e arrived; a and d are untouched
    const mended = withChanges(kept, new Set(['b', 'c', 'e']), [item('b', 41.1, -8.6), item('e', 48.85, 2.35)]);
    const fresh = mapPoints([item('a', 10, 20), item('d', 89.9, 45), item('b', 41.1, -8.6), item('e', 48.85, 2.35)]);
    expect(mended).toEqual(fresh);
    expect(clusterPoints(mended, 3)).toEqual(clusterPoints(fresh, 3));
    // the kept copy may still be answering other requests: left as it was
    expect(kept.ids).toEqual(['a', 'b', 'c', 'd']);
    expect(withChanges(kept, new Set(), [])).toEqual(kept);
    expect(withChanges(kept, new Set(['a', 'b', 'c', 'd']), []).ids).toEqual([]);
  });
});

describe('the visible area and the view', () => {
  it('wraps longitudes and crosses the antimeridian as the API reads it', () => {
    expect(wrapLongitude(190)).toBe(-170);
    expect(wrapLongitude(-190)).toBe(170);
    expect(wrapLongitude(180)).toBe(180);
    expect(visibleBox(170, -20, 190, -10)).toEqual([170, -20, -170, -10]);
    expect(visibleBox(-300, -95, 200, 95)).toEqual([-180, -90, 180, 90]);
    expect(intoView(-179.5, 170, 190)).toBe(180.5);
    expect(intoView(10, -20, 40)).toBe(10);
  });

  it('reads the view from the URL, or nothing when it is out of range', () => {
    expect(parseView('?at=38.7,-9.1,12')).toEqual({ latitude: 38.7, longitude: -9.1, zoom: 12 });
    for (const bad of ['', '?at=1,2', '?at=91,0,3', '?at=0,0,40', '?at=a,b,c']) expect(parseView(bad), bad).toBeNull();
  });
});

describe('shapes across the antimeridian', () => {
  it('makes a ring that crosses and comes back continuous, and leaves a ring spanning the world alone', () => {
    const fiji = [
      [179, -16],
      [180, -16.5],
      [-179.5, -17],
      [-179.5, -16],
      [180, -15.5],
      [179, -16],
    ];
    expect(unwrapRing(fiji).map((p) => p[0])).toEqual([179, 180, 180.5, 180.5, 180, 179]);
    const antarctica = [
      [-180, -84],
      [0, -70],
      [180, -84],
      [-180, -84],
    ];
    expect(unwrapRing(antarctica)).toBe(antarctica);
  });

  it('cuts a line where it jumps', () => {
    expect(
      splitLine([
        [170, 60],
        [180, 65],
        [-180, 65],
        [-170, 66],
      ]),
    ).toEqual([
      [
        [170, 60],
        [180, 65],
      ],
      [
        [-180, 65],
        [-170, 66],
      ],
    ]);
  });
});

describe('place parameters', () => {
  it('reads a bbox, or says why not', () => {
    expect(parseBox('179,-20,-179,-10')).toEqual({ minLng: 179, minLat: -20, maxLng: -179, maxLat: -10 });
    expect(parseBox('1,2,3')).toMatch(/minLng,minLat,maxLng,maxLat/);
    expect(parseBox('0,10,1,5')).toMatch(/minLat must not be above maxLat/);
    expect(parseBox('0,0,181,1')).toMatch(/longitudes/);
    expect(parseBox('1e3,0,1,1')).toMatch(/decimal degrees/);
  });

  it('reads near with or without its radius', () => {
    expect(parseNear('38.7,-9.1')).toEqual({ latitude: 38.7, longitude: -9.1 });
    expect(parseNear('38.7,-9.1,25')).toEqual({ latitude: 38.7, longitude: -9.1, radiusKm: 25 });
    expect(parseNear('38.7,-9.1,0')).toMatch(/radius/);
    expect(parseNear('38.7,-9.1,30000')).toMatch(/radius/);
    expect(nearOf({ latitude: 1, longitude: 2 }, undefined)).toEqual({ latitude: 1, longitude: 2, radiusKm: 10 });
    expect(nearOf({ latitude: 1, longitude: 2, radiusKm: 5 }, 50)).toEqual({ latitude: 1, longitude: 2, radiusKm: 5 });
  });

  it('measures great circles', () => {
    expect(haversineKm({ latitude: 89.9, longitude: 45 }, { latitude: 89.9, longitude: -135 })).toBeCloseTo(22.24, 1);
    expect(haversineKm({ latitude: 0, longitude: 179.5 }, { latitude: 0, longitude: -179.5 })).toBeCloseTo(111.2, 0);
  });
});
