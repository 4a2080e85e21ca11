// Names from the files: the corpus portraits carry MWG and Microsoft face regions naming Marie and Pierre Curie.
// Imported through the real server, their faces come out named (as the user's own), the same people are then
// recognised in copies without regions, whether the names came from a file or from the user's hand; a region the
// detector missed becomes a face of its own; keywords never make people; a user's decision outlives the file's.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer, authFetch } from '../helpers/server.js';

interface Face {
  id: string;
  personId: string | null;
  personName: string | null;
  assignedBy: string | null;
  box: { x: number; y: number; width: number; height: number };
}

const PORTRAIT = path.join(assets, 'metadata/faces/portrait.jpg');
const PORTRAIT_6 = path.join(assets, 'metadata/faces/portrait-orientation-6.jpg');

let tmp: string;
let exiftool: ExifTool;
/** Copies of the corpus files, with some of their metadata taken away or added. */
const files: Record<string, string> = {};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-regions-'));
  exiftool = new ExifTool({ maxProcs: 1 });
  const copy = async (name: string, from: string, args: string[], tags: Record<string, unknown> = {}) => {
    const file = path.join(tmp, name);
    await copyFile(from, file);
    await exiftool.write(file, tags as never, { writeArgs: ['-overwrite_original', ...args] });
    files[name] = file;
  };
  // No regions, no keywords (EXIF orientation kept): only the faces tell who is there.
  await copy('portrait-plain.jpg', PORTRAIT, ['-XMP:all=', '-IPTC:all=']);
  await copy('portrait-6-plain.jpg', PORTRAIT_6, ['-XMP:all=', '-IPTC:all=']);
  // A smaller copy with no metadata at all (a photo shared through a messenger).
  files['portrait-small.jpg'] = path.join(tmp, 'portrait-small.jpg');
  await sharp(PORTRAIT).rotate().resize({ width: 900 }).jpeg({ quality: 80 }).toFile(files['portrait-small.jpg']);
  // Microsoft People tags alone.
  await copy('portrait-microsoft.jpg', PORTRAIT, ['-XMP-mwg-rs:all=', '-XMP-acdsee:all=']);
  // Hierarchical people keywords, no regions.
  await copy('keywords.jpg', path.join(assets, 'albums/nature/tanners_ridge.jpg'), [], {
    TagsList: ['People/Marie Curie'],
    HierarchicalSubject: ['People|Pierre Curie'],
    Keywords: ['Marie Curie'],
  });
  // A region where the detector finds nobody (a landscape): a face of its own.
  await copy('unseen.jpg', path.join(assets, 'albums/nature/silver_fir.jpg'), [], {
    RegionInfo: {
      AppliedToDimensions: { W: 511, H: 323, Unit: 'pixel' },
      RegionList: [{ Area: { X: 0.5, Y: 0.4, W: 0.12, H: 0.2, Unit: 'normalized' }, Name: 'Unseen Walker', Type: 'Face' }],
    },
  });
});

afterAll(async () => {
  await exiftool?.end();
  await rm(tmp, { recursive: true, force: true });
});

async function importOne(server: TestServer, file: string): Promise<string> {
  const response = await upload(server.url, [{ path: file }]);
  const id = response.body.items[0].id as string;
  await waitForTerminal(server.url, [id], 180_000);
  return id;
}

async function facesOf(server: TestServer, id: string): Promise<Face[]> {
  const detail = (await json(`${server.url}/api/photos/${id}`)).body as { faces: Face[] };
  return [...detail.faces].sort((a, b) => a.box.x - b.box.x);
}

const names = (faces: Face[]) => faces.map((f) => f.personName);

describe('people named in the files', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('puts the names of the MWG regions on the faces of portrait.jpg, as the user’s own', async () => {
    const id = await importOne(server, PORTRAIT);
    const faces = await facesOf(server, id);
    expect(names(faces)).toEqual(['Marie Curie', 'Pierre Curie']);
    expect(faces.map((f) => f.assignedBy)).toEqual(['user', 'user']);
    const people = (await json(`${server.url}/api/people?named=true`)).body.items as { name: string; faceCount: number }[];
    expect(people.map((p) => p.name).sort()).toEqual(['Marie Curie', 'Pierre Curie']);
  });

  it('recognises Marie and Pierre in a copy that names nobody, from the one photo named so far', async () => {
    const id = await importOne(server, files['portrait-6-plain.jpg']!);
    const faces = await facesOf(server, id);
    expect(names(faces)).toEqual(['Marie Curie', 'Pierre Curie']);
    expect(faces.map((f) => f.assignedBy)).toEqual(['auto', 'auto']);
  });

  it('turns the regions of the copy stored with EXIF orientation 6 upright, onto the same faces', async () => {
    const portrait = (await json(`${server.url}/api/photos?limit=50`)).body.items.find((p: { filename: string }) => p.filename === 'portrait.jpg');
    const upright = await facesOf(server, portrait.id);
    const id = await importOne(server, PORTRAIT_6);
    const faces = await facesOf(server, id);
    expect(names(faces)).toEqual(['Marie Curie', 'Pierre Curie']);
    faces.forEach((face, i) => {
      expect(Math.abs(face.box.x - upright[i]!.box.x)).toBeLessThan(8);
      expect(Math.abs(face.box.y - upright[i]!.box.y)).toBeLessThan(8);
    });
  });

  it('reads Microsoft People tags when the file has no MWG regions', async () => {
    const id = await importOne(server, files['portrait-microsoft.jpg']!);
    const faces = await facesOf(server, id);
    expect(names(faces)).toEqual(['Marie Curie', 'Pierre Curie']);
    expect(faces.map((f) => f.assignedBy)).toEqual(['user', 'user']);
  });

  it('makes no one of people keywords, hierarchical or not', async () => {
    const before = (await json(`${server.url}/api/people?named=true&includeHidden=true`)).body.total as number;
    const id = await importOne(server, files['keywords.jpg']!);
    expect(await facesOf(server, id)).toEqual([]);
    expect((await json(`${server.url}/api/people?named=true&includeHidden=true`)).body.total).toBe(before);
  });

  it('keeps a named region where the detector found no face, as a face of its own with a thumbnail', async () => {
    const id = await importOne(server, files['unseen.jpg']!);
    const faces = await facesOf(server, id);
    expect(names(faces)).toEqual(['Unseen Walker']);
    expect(faces[0]!.assignedBy).toBe('user');
    // 0.44–0.56 × 511 and 0.3–0.5 × 323
    expect(faces[0]!.box.x).toBeCloseTo(0.44 * 511, 0);
    expect(faces[0]!.box.height).toBeCloseTo(0.2 * 323, 0);
    const thumbnail = await authFetch(`${server.url}/api/faces/${faces[0]!.id}/thumbnail`);
    expect(thumbnail.status).toBe(200);
  });

  it('keeps the user’s own decision when the file is read again', async () => {
    const id = (await json(`${server.url}/api/photos?limit=50`)).body.items.find((p: { filename: string }) => p.filename === 'portrait.jpg').id as string;
    const [marie] = await facesOf(server, id);
    await json(`${server.url}/api/faces/${marie!.id}/assign`, { method: 'POST', json: { name: 'Maria Skłodowska' } });
    await json(`${server.url}/api/reprocess`, { method: 'POST', json: { step: 'metadata', all: true } });
    await json(`${server.url}/api/reprocess`, { method: 'POST', json: { step: 'faces', all: true } });
    const all = (await json(`${server.url}/api/photos?limit=50`)).body.items.map((p: { id: string }) => p.id) as string[];
    await waitForTerminal(server.url, all, 300_000);
    expect(names(await facesOf(server, id))).toEqual(['Maria Skłodowska', 'Pierre Curie']);
  });
});

describe('people named by hand', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('recognises the faces of a photo imported earlier once the same people are named on another', async () => {
    const earlier = await importOne(server, files['portrait-6-plain.jpg']!);
    const named = await importOne(server, files['portrait-plain.jpg']!);
    expect(names(await facesOf(server, earlier))).toEqual([null, null]);
    const [marie, pierre] = await facesOf(server, named);
    expect((await json(`${server.url}/api/faces/${marie!.id}/assign`, { method: 'POST', json: { name: 'Marie Curie' } })).status).toBe(200);
    expect((await json(`${server.url}/api/faces/${pierre!.id}/assign`, { method: 'POST', json: { name: 'Pierre Curie' } })).status).toBe(200);
    const faces = await facesOf(server, earlier);
    expect(names(faces)).toEqual(['Marie Curie', 'Pierre Curie']);
    expect(faces.map((f) => f.assignedBy)).toEqual(['auto', 'auto']);
    // and a search for the name finds both photos
    const found = (await json(`${server.url}/api/search?q=${encodeURIComponent('Pierre Curie')}&mode=keyword`)).body.items as { photo: { id: string } }[];
    expect(found.map((hit) => hit.photo.id).sort()).toEqual([earlier, named].sort());
  });
});

// Issue 32, item 8: copies imported before any name was given form unnamed people of their own (three faces make a
// person); a name read from a file afterwards must reach them as a name given by hand does, not leave "Unnamed"
// people of the same faces beside the named ones.
describe('people named in a file after their copies came in', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('joins the unnamed people of the same faces to the names, and finds every copy by them', async () => {
    const copies = [];
    for (const name of ['portrait-plain.jpg', 'portrait-6-plain.jpg', 'portrait-small.jpg']) copies.push(await importOne(server, files[name]!));
    const unnamed = (await json(`${server.url}/api/people?named=false`)).body.items as { id: string; name: string | null; faceCount: number }[];
    // the copies alone: two people, nobody named
    expect(unnamed.map((p) => [p.name, p.faceCount])).toEqual([
      [null, 3],
      [null, 3],
    ]);
    const named = await importOne(server, PORTRAIT);
    expect(names(await facesOf(server, named))).toEqual(['Marie Curie', 'Pierre Curie']);
    for (const id of copies) expect(names(await facesOf(server, id)), id).toEqual(['Marie Curie', 'Pierre Curie']);
    const everyone = (await json(`${server.url}/api/people?includeHidden=true`)).body.items as { name: string | null; faceCount: number }[];
    expect(everyone.map((p) => [p.name, p.faceCount]).sort()).toEqual([
      ['Marie Curie', 4],
      ['Pierre Curie', 4],
    ]);
    const found = (await json(`${server.url}/api/search?q=${encodeURIComponent('Marie Curie')}&mode=keyword`)).body.items as { photo: { id: string } }[];
    expect(found.map((hit) => hit.photo.id).sort()).toEqual([...copies, named].sort());
  });
});
