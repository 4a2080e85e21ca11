import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceRegionsOf, orientBox, regionPersonName } from '../../src/media/face-regions.js';
import { matchRegionsToFaces, regionFit, regionsOfTheirOwn } from '../../src/ml/faces/region-match.js';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

describe('face regions from the tags', () => {
  const mwg = (regions: { name: string; x: number; y: number; w: number; h: number; type?: string }[], applied?: { W: number; H: number }) => ({
    RegionInfo: {
      ...(applied ? { AppliedToDimensions: { ...applied, Unit: 'pixel' } } : {}),
      RegionList: regions.map((r) => ({ Name: r.name, Type: r.type ?? 'Face', Area: { X: r.x, Y: r.y, W: r.w, H: r.h, Unit: 'normalized' } })),
    },
  });

  it('reads MWG regions (centre and size) as top-left boxes', () => {
    const [marie] = faceRegionsOf(mwg([{ name: 'Marie Curie', x: 0.368452, y: 0.307857, w: 0.113095, h: 0.198571 }]), 1, { width: 840, height: 700 });
    expect(marie!.name).toBe('Marie Curie');
    expect(marie!.source).toBe('mwg');
    expect(close(marie!.box.x, 0.368452 - 0.113095 / 2)).toBe(true);
    expect(close(marie!.box.y, 0.307857 - 0.198571 / 2)).toBe(true);
  });

  it('turns regions of an image stored on its side upright (the corpus portrait stored with orientation 6)', () => {
    // portrait-orientation-6.jpg: stored 700×840, MWG areas measured on the stored image.
    const tags = mwg([{ name: 'Marie Curie', x: 0.307857, y: 0.631548, w: 0.198571, h: 0.113095 }], { W: 700, H: 840 });
    const [marie] = faceRegionsOf(tags, 6, { width: 700, height: 840 });
    // The upright portrait.jpg has Marie at top-left (0.311905, 0.208571), 0.113095 × 0.198571.
    expect(close(marie!.box.x, 0.3119045)).toBe(true);
    expect(close(marie!.box.y, 0.2085715)).toBe(true);
    expect(close(marie!.box.width, 0.113095)).toBe(true);
    expect(close(marie!.box.height, 0.198571)).toBe(true);
  });

  it('takes regions as they are when their writer measured the upright image', () => {
    const tags = mwg([{ name: 'Marie Curie', x: 0.368452, y: 0.307857, w: 0.113095, h: 0.198571 }], { W: 840, H: 700 });
    const [marie] = faceRegionsOf(tags, 6, { width: 700, height: 840 });
    expect(close(marie!.box.x, 0.368452 - 0.113095 / 2)).toBe(true);
  });

  it('reads Microsoft People tags when there are no MWG face regions, and MWG first otherwise', () => {
    const microsoft = { RegionInfoMP: { Regions: [{ PersonDisplayName: 'Pierre Curie', Rectangle: '0.639286, 0.118571, 0.0964286, 0.241429' }] } };
    const [pierre] = faceRegionsOf(microsoft, 1, null);
    expect(pierre).toMatchObject({ name: 'Pierre Curie', source: 'microsoft' });
    expect(pierre!.box.x).toBeCloseTo(0.639286, 6);
    expect(pierre!.box.y).toBeCloseTo(0.118571, 6);
    expect(pierre!.box.width).toBeCloseTo(0.0964286, 6);
    expect(pierre!.box.height).toBeCloseTo(0.241429, 6);
    const both = { ...microsoft, ...mwg([{ name: 'Marie Curie', x: 0.5, y: 0.5, w: 0.1, h: 0.1 }]) };
    expect(faceRegionsOf(both, 1, null).map((r) => r.name)).toEqual(['Marie Curie']);
  });

  it('leaves out regions that are not faces, have no name or no area, and keeps boxes on the image', () => {
    const tags = mwg([
      { name: 'Rex', x: 0.5, y: 0.5, w: 0.2, h: 0.2, type: 'Pet' },
      { name: '', x: 0.5, y: 0.5, w: 0.2, h: 0.2 },
      { name: 'Nobody', x: 0.5, y: 0.5, w: 0, h: 0.2 },
      { name: 'Edge', x: 0.95, y: 0.5, w: 0.2, h: 0.2 },
    ]);
    const regions = faceRegionsOf(tags, 1, null);
    expect(regions.map((r) => r.name)).toEqual(['Edge']);
    expect(close(regions[0]!.box.x + regions[0]!.box.width, 1)).toBe(true);
  });

  it('names a person by the last part of a hierarchy, never by the hierarchy', () => {
    expect(regionPersonName('People/Marie Curie')).toBe('Marie Curie');
    expect(regionPersonName('People|Family|  Pierre   Curie ')).toBe('Pierre Curie');
    expect(regionPersonName('  ')).toBeNull();
    expect(regionPersonName(42)).toBeNull();
  });

  it('reads no names from keywords, hierarchical or not', () => {
    expect(faceRegionsOf({ Keywords: ['Marie Curie'], TagsList: ['People/Marie Curie'], HierarchicalSubject: ['People|Pierre Curie'] }, 1, null)).toEqual([]);
  });
});

describe('orientBox', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-regions-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('puts a box where sharp shows it for EXIF orientation %i', async (orientation) => {
    // A white box on black, stored 120 × 80, EXIF orientation n: where is it once sharp shows the image upright?
    const box = { x: 0.1, y: 0.2, width: 0.25, height: 0.3 };
    const stored = { width: 120, height: 80 };
    const pixels = Buffer.alloc(stored.width * stored.height);
    for (let y = Math.round(box.y * stored.height); y < Math.round((box.y + box.height) * stored.height); y++) {
      for (let x = Math.round(box.x * stored.width); x < Math.round((box.x + box.width) * stored.width); x++) pixels[y * stored.width + x] = 255;
    }
    const file = path.join(tmp, `o${orientation}.png`);
    await sharp(pixels, { raw: { ...stored, channels: 1 } })
      .withMetadata({ orientation })
      .png()
      .toFile(file);
    const { data, info } = await sharp(file).rotate().raw().toBuffer({ resolveWithObject: true });
    let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        if (data[(y * info.width + x) * info.channels]! < 128) continue;
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      }
    }
    const seen = { x: x0 / info.width, y: y0 / info.height, width: (x1 + 1 - x0) / info.width, height: (y1 + 1 - y0) / info.height };
    const turned = orientBox(box, orientation);
    for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(turned[key] - seen[key]), key).toBeLessThan(0.02);
  });
});

describe('matching regions to detected faces', () => {
  const face = (x: number, y: number, w: number, h: number) => ({ x, y, width: w, height: h });

  it('pairs each region with the face it frames, even drawn larger or smaller, best first', () => {
    const faces = [face(100, 100, 50, 60), face(300, 90, 40, 70)];
    const regions = [face(290, 80, 70, 100), face(105, 110, 40, 40), face(600, 600, 50, 50)];
    expect([...matchRegionsToFaces(regions, faces)]).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('does not take a far larger region, or one beside the face, for that face', () => {
    expect(regionFit(face(0, 0, 400, 400), face(190, 190, 20, 20))).toBe(0);
    expect(regionFit(face(0, 0, 40, 40), face(45, 0, 40, 40))).toBe(0);
  });

  it('gives a face to one region only, and makes no second face of the other region', () => {
    const faces = [face(100, 100, 50, 50)];
    const regions = [face(100, 100, 50, 50), face(102, 102, 50, 50)];
    const matched = matchRegionsToFaces(regions, faces);
    expect([...matched]).toEqual([[0, 0]]);
    // before: region 1 became a face of its own over the same face, a second box with a name
    expect(regionsOfTheirOwn(regions, faces, matched)).toEqual([]);
  });

  it('keeps a region where the detector saw nothing as a face of its own, once however many regions frame it', () => {
    const faces = [face(100, 100, 50, 50)];
    const regions = [face(400, 100, 60, 60), face(100, 100, 50, 50), face(405, 104, 58, 60), face(0, 0, 400, 400)];
    const matched = matchRegionsToFaces(regions, faces);
    expect([...matched]).toEqual([[1, 0]]);
    // the far larger region holds the small face but is not it (regionFit 0): a face of its own, as before
    expect(regionsOfTheirOwn(regions, faces, matched)).toEqual([0, 3]);
  });
});
