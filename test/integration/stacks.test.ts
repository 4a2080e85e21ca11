// Stacks through the real server: a library built with the pairs and bursts cameras and phones write, and the names
// that look alike but are not one moment; what the pipeline stacks (precision and recall), how the library lists a
// stack (its cover, with a count), and what the user does with one (pick the cover, move a photo out, unstack); and
// that the versions of one shot are never offered for deletion as duplicates of each other.
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/connection.js';
import { detectDuplicates, thresholdsFrom } from '../../src/library/duplicates/detect.js';
import { chooseUnchosenGroups } from '../../src/library/duplicates/groups.js';
import { placeInStack, refreshStackCovers } from '../../src/library/stacks/place.js';
import { cameraRaw } from '../helpers/camera-raw.js';
import { runCli } from '../helpers/cli.js';
import { assets, authFetch, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

interface ListItem {
  id: string;
  filename: string;
  stack?: { id: string; count: number } | null;
}
interface Stack {
  id: string;
  kind: string;
  coverId: string;
  coverByUser: boolean;
  members: { photo: { id: string; filename: string }; reason: string; cover: boolean; bestShot: { score: number | null } }[];
}

interface DuplicateGroup {
  id: string;
  keeperId: string;
  suggestedKeep: string[];
  members: { photo: { id: string; filename: string }; supersededBy: string[]; keptBecause: string | null }[];
}

const CAMERA_A = { Make: 'Nikon', Model: 'Z 6' };
const CAMERA_B = { Make: 'Canon', Model: 'EOS R5' };

/** Each file: what it is made from, its EXIF, and the stack it belongs in by truth (null: on its own). */
interface Spec {
  name: string;
  source: string;
  edit?: (image: Sharp) => Sharp;
  /** cr2: a camera RAW whose embedded preview (1,440 px) is the picture of its JPEG; chat: a messenger's 800 px copy, no EXIF. */
  format?: 'jpeg' | 'tiff' | 'cr2' | 'chat';
  exif: Record<string, string>;
  truth: string | null;
}

const falcon = path.join(assets, 'albums/nature/prairie_falcon.jpg');
const ridge = path.join(assets, 'albums/nature/tanners_ridge.jpg');
const rocks = path.join(assets, 'albums/nature/el_torcal_rocks.jpg');
const fir = path.join(assets, 'albums/nature/silver_fir.jpg');
const anemones = path.join(assets, 'albums/nature/wood_anemones.jpg');
const springs = path.join(assets, 'metadata/gps-position/thompson-springs.jpg');
const cactus = path.join(assets, 'albums/nature/notocactus_minimus.jpg');
const cyclamen = path.join(assets, 'albums/nature/cyclamen_persicum.jpg');
const at = (time: string) => ({ DateTimeOriginal: `2024:05:01 ${time}` });
/** A frame of a panning burst: a window of the scene moved right by `step`. */
const pan = (step: number) => async (image: Sharp) => {
  const { width, height } = await image.metadata();
  const w = Math.round(width! * 0.8);
  return image.extract({ left: Math.round(((width! - w) * step) / 2), top: 0, width: w, height: Math.round(height! * 0.8) });
};

/** A hand-held frame: the camera drifted right by `fraction` of the width (2 %: PDQ ~56 bits from the first). */
const drift = (fraction: number) => async (image: Sharp) => {
  const { width, height } = await image.metadata();
  return image.extract({ left: Math.round(width! * fraction), top: 0, width: Math.round(width! * 0.9), height: Math.round(height! * 0.9) });
};

const SPECS: Spec[] = [
  // a raw file and its JPEG (the "raw" is a TIFF named as a DNG: the rules read the name and the clock, not the codec)
  { name: 'DSC_0101.DNG', source: ridge, format: 'tiff', exif: { ...CAMERA_A, ...at('10:00:00') }, truth: 'raw' },
  { name: 'DSC_0101.JPG', source: ridge, exif: { ...CAMERA_A, ...at('10:00:00') }, truth: 'raw' },
  // an original and its edited copy (Google's name), more saturated and over-sharpened: halos, three times the Laplacian
  { name: 'IMG_2001.JPG', source: rocks, exif: { ...CAMERA_B, ...at('11:00:00') }, truth: 'edit' },
  {
    name: 'IMG_2001-edited.jpg',
    source: rocks,
    edit: (i) => i.modulate({ saturation: 1.4 }).sharpen({ sigma: 2, m1: 4, m2: 10, x1: 1 }),
    exif: { ...CAMERA_B, ...at('11:00:00') },
    truth: 'edit',
  },
  // a burst named by a Motorola phone
  { name: 'IMG_20240501_120000_BURST001.jpg', source: falcon, edit: undefined, exif: { ...CAMERA_B, ...at('12:00:00') }, truth: 'burst' },
  { name: 'IMG_20240501_120000_BURST002_COVER.jpg', source: falcon, exif: { ...CAMERA_B, ...at('12:00:01') }, truth: 'burst' },
  { name: 'IMG_20240501_120000_BURST003.jpg', source: falcon, exif: { ...CAMERA_B, ...at('12:00:01') }, truth: 'burst' },
  // two frames a second apart with no name or identifier to tie them: alike (a hand-held burst), one camera
  { name: 'frame-a.jpg', source: springs, edit: undefined, exif: { ...CAMERA_A, ...at('16:00:00') }, truth: 'time' },
  { name: 'frame-b.jpg', source: springs, exif: { ...CAMERA_A, ...at('16:00:01') }, truth: 'time' },
  { name: 'frame-c.jpg', source: springs, exif: { ...CAMERA_A, ...at('16:00:01') }, truth: 'time' },
  // look alike, but are not one moment: the same name from another camera and year; a raw and a JPEG 30 s apart;
  // an edited copy with another date; a single Samsung shot next to a burst name of another second
  { name: 'IMG_2001.jpeg', source: fir, exif: { ...CAMERA_A, DateTimeOriginal: '2019:08:01 09:00:00' }, truth: null },
  { name: 'DSC_0202.DNG', source: anemones, format: 'tiff', exif: { ...CAMERA_A, ...at('13:00:00') }, truth: null },
  { name: 'DSC_0202.JPG', source: fir, exif: { ...CAMERA_A, ...at('13:00:30') }, truth: null },
  { name: 'IMG_3003.JPG', source: anemones, exif: { ...CAMERA_B, ...at('14:00:00') }, truth: null },
  { name: 'IMG_3003-edited.jpg', source: ridge, exif: { ...CAMERA_B, DateTimeOriginal: '2023:01:01 08:00:00' }, truth: null },
  { name: '20240501_150000.jpg', source: rocks, exif: { ...CAMERA_A, ...at('15:00:00') }, truth: null },
  { name: '20240501_150001_001.jpg', source: fir, exif: { ...CAMERA_A, ...at('15:00:01') }, truth: null },
  // a camera's RAW and JPEG, one PDQ hash (the RAW's preview is the JPEG's picture, smaller), and a messenger's copy of
  // the JPEG: the copy is a duplicate of both, the pair are not duplicates of each other
  { name: 'IMG_4001.CR2', source: cactus, format: 'cr2', exif: { ...CAMERA_B, ...at('17:00:00') }, truth: 'cr2' },
  { name: 'IMG_4001.JPG', source: cactus, exif: { ...CAMERA_B, ...at('17:00:00') }, truth: 'cr2' },
  { name: 'IMG-20240501-WA0004.jpg', source: cactus, format: 'chat', exif: {}, truth: null },
];

describe('stacks', () => {
  let server: TestServer;
  const idOf = new Map<string, string>();
  const nameOf = new Map<string, string>();
  let dir: string;
  const list = async (query = '') => {
    const answer = await json(`${server.url}/api/photos?limit=100${query}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as { items: ListItem[]; total: number };
  };
  const stackOf = async (name: string): Promise<Stack | null> => {
    const detail = await json(`${server.url}/api/photos/${idOf.get(name)}`);
    if (!detail.body.stack) return null;
    const answer = await json(`${server.url}/api/stacks/${detail.body.stack.id}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    dir = tempDir();
    const exiftool = new ExifTool();
    try {
      for (const spec of SPECS) {
        const out = path.join(dir, spec.name);
        let image = sharp(spec.source).rotate().resize(1600, 1600, { fit: 'inside' });
        if (spec.name.includes('_BURST')) image = await pan(Number(/BURST00(\d)/.exec(spec.name)![1]) - 1)(image);
        if (spec.name.startsWith('frame-')) image = await drift({ 'frame-a.jpg': 0, 'frame-b.jpg': 0.01, 'frame-c.jpg': 0.02 }[spec.name]!)(image);
        if (spec.edit) image = spec.edit(image);
        if (spec.format === 'cr2') {
          const preview = await image.resize(1440, 1440, { fit: 'inside' }).jpeg({ quality: 85 }).toBuffer();
          const { width, height } = await sharp(preview).metadata();
          const taken = spec.exif.DateTimeOriginal;
          await fs.promises.writeFile(out, cameraRaw({ preview, width, height, make: spec.exif.Make, model: spec.exif.Model, taken }));
          continue; // ExifTool writes nothing into such a file: its facts are in it
        }
        if (spec.format === 'chat') image = image.resize(800, 800, { fit: 'inside' });
        await fs.promises.writeFile(out, await (spec.format === 'tiff' ? image.tiff() : image.jpeg({ quality: spec.format === 'chat' ? 70 : 90 })).toBuffer());
        if (Object.keys(spec.exif).length > 0) await exiftool.write(out, spec.exif, { writeArgs: ['-overwrite_original'] });
      }
    } finally {
      await exiftool.end();
    }
    const response = await upload(
      server.url,
      SPECS.map((s) => ({ path: path.join(dir, s.name), name: s.name })),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    SPECS.forEach((s, k) => {
      idOf.set(s.name, response.body.items[k].id);
      nameOf.set(response.body.items[k].id, s.name);
    });
    await waitForTerminal(server.url, [...idOf.values()], 300_000);
  }, 400_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('stacks a raw and its JPEG, an original and its edit, a named burst — and nothing that only looks alike (precision, recall)', async () => {
    const predicted = new Map<string, string>(); // name → stack id
    for (const spec of SPECS) {
      const stack = await stackOf(spec.name);
      if (stack) predicted.set(spec.name, stack.id);
    }
    let truePairs = 0;
    let predictedPairs = 0;
    let foundPairs = 0;
    for (const [i, a] of SPECS.entries()) {
      for (const b of SPECS.slice(i + 1)) {
        const same = a.truth !== null && a.truth === b.truth;
        const stacked = predicted.has(a.name) && predicted.get(a.name) === predicted.get(b.name);
        if (same) truePairs++;
        if (stacked) predictedPairs++;
        if (same && stacked) foundPairs++;
      }
    }
    console.log('stacks on the built set:', JSON.stringify({ truePairs, predictedPairs, foundPairs }));
    expect(foundPairs).toBe(predictedPairs); // precision 1
    expect(foundPairs).toBe(truePairs); // recall 1
    const raw = (await stackOf('DSC_0101.JPG'))!;
    expect(raw.kind).toBe('raw-jpeg');
    expect(raw.members.map((m) => m.reason)).toEqual(['raw-jpeg', 'raw-jpeg']);
    const edits = (await stackOf('IMG_2001-edited.jpg'))!;
    expect(edits.kind).toBe('edits');
    // the over-sharpened edit measures sharper (0.95 against 0.68 here) but is no better focused: the original is the cover
    const score = (name: string) => edits.members.find((m) => m.photo.filename === name)!.bestShot.score!;
    console.log('edit set scores:', JSON.stringify({ original: score('IMG_2001.JPG'), sharpened: score('IMG_2001-edited.jpg') }));
    expect(score('IMG_2001-edited.jpg')).toBeGreaterThan(score('IMG_2001.JPG') + 0.1);
    expect(edits.members.find((m) => m.cover)!.photo.filename).toBe('IMG_2001.JPG');
    const burst = (await stackOf('IMG_20240501_120000_BURST002_COVER.jpg'))!;
    expect(burst.kind).toBe('burst');
    expect(burst.members).toHaveLength(3);
    const frames = (await stackOf('frame-a.jpg'))!;
    expect(frames.kind).toBe('burst');
    expect(frames.members.map((m) => m.reason)).toEqual(['burst-time', 'burst-time', 'burst-time']);
  });

  it('lists a stack as its cover with a count, in the list and the timeline alike; expand lists every photo', async () => {
    const collapsed = await list();
    const expanded = await list('&stacks=expand');
    expect(expanded.total).toBe(SPECS.length);
    const stacked = SPECS.filter((s) => s.truth !== null).length;
    const stacks = new Set(SPECS.flatMap((s) => (s.truth ? [s.truth] : []))).size;
    expect(collapsed.total).toBe(SPECS.length - stacked + stacks); // one tile for each stack
    expect(collapsed.items).toHaveLength(collapsed.total);
    const burst = (await stackOf('IMG_20240501_120000_BURST001.jpg'))!;
    const tile = collapsed.items.find((item) => item.id === burst.coverId)!;
    expect(tile.stack).toEqual({ id: burst.id, count: 3, videos: 0 });
    for (const member of burst.members.filter((m) => !m.cover)) expect(collapsed.items.some((item) => item.id === member.photo.id)).toBe(false);
    expect(expanded.items.every((item) => item.stack === null)).toBe(true);
    const timeline = await json(`${server.url}/api/timeline`);
    expect(timeline.body.total).toBe(collapsed.total);
    const timelineExpanded = await json(`${server.url}/api/timeline?stacks=expand`);
    expect(timelineExpanded.body.total).toBe(expanded.total);
    // the cover is the best shot until the user picks one
    const best = burst.members.reduce((a, b) => ((b.bestShot.score ?? -1) > (a.bestShot.score ?? -1) ? b : a));
    expect(burst.coverByUser).toBe(false);
    expect(best.bestShot.score).not.toBeNull();
    expect(burst.members.find((m) => m.cover)!.bestShot.score).toBeGreaterThanOrEqual(best.bestShot.score! - 0.03);
  });

  it('lists a favourite frame behind its cover among the favourites, and exports every photo of a stack', async () => {
    const burst = (await stackOf('IMG_20240501_120000_BURST001.jpg'))!;
    const behind = burst.members.find((m) => !m.cover)!.photo.id;
    expect((await json(`${server.url}/api/photos/${behind}`, { method: 'PATCH', json: { favorite: true } })).status).toBe(200);
    expect((await list('&favorite=true')).items.map((item) => item.id)).toEqual([behind]);
    expect((await list()).items.some((item) => item.id === behind)).toBe(false); // still behind its cover in the library
    expect((await json(`${server.url}/api/photos/${behind}`, { method: 'PATCH', json: { favorite: false } })).status).toBe(200);
    const exported = await runCli(['export', tempDir(), '--server', server.url, '--api-key', server.apiKey]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`Exported ${SPECS.length} photos`);
  });

  it('the user picks the cover, moves a photo out (for good), and unstacks', async () => {
    const burst = (await stackOf('IMG_20240501_120000_BURST001.jpg'))!;
    const other = burst.members.find((m) => !m.cover)!;
    const picked = await json(`${server.url}/api/stacks/${burst.id}/cover`, { method: 'PUT', json: { photoId: other.photo.id } });
    expect(picked.status, JSON.stringify(picked.body)).toBe(200);
    expect(picked.body.coverId).toBe(other.photo.id);
    expect(picked.body.coverByUser).toBe(true);
    expect((await list()).items.find((item) => item.id === other.photo.id)!.stack).toEqual({ id: burst.id, count: 3, videos: 0 });
    const notMember = await json(`${server.url}/api/stacks/${burst.id}/cover`, { method: 'PUT', json: { photoId: idOf.get('IMG_3003.JPG') } });
    expect(notMember.status).toBe(400);

    // move a frame out: it is on its own, and stays so when the pipeline looks again
    const out = burst.members.find((m) => m.photo.id !== other.photo.id)!.photo.id;
    const moved = await json(`${server.url}/api/stacks/${burst.id}/photos/${out}`, { method: 'DELETE' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.stack.members).toHaveLength(2);
    expect(moved.body.stack.coverId).toBe(other.photo.id); // the user's cover stays
    await placeInStack(server.lib.db, out); // what the duplicates step does when it runs again
    expect((await json(`${server.url}/api/photos/${out}`)).body.stack).toBeNull();

    // unstack the raw pair: both on their own, in the list one by one
    const raw = (await stackOf('DSC_0101.DNG'))!;
    const gone = await json(`${server.url}/api/stacks/${raw.id}`, { method: 'DELETE' });
    expect(gone.status).toBe(200);
    expect(gone.body.photoIds.sort()).toEqual([idOf.get('DSC_0101.DNG'), idOf.get('DSC_0101.JPG')].sort());
    expect(await stackOf('DSC_0101.DNG')).toBeNull();
    expect((await json(`${server.url}/api/stacks/${raw.id}`)).status).toBe(404);
    const items = (await list()).items.map((item) => item.id);
    expect(items).toContain(idOf.get('DSC_0101.DNG'));
    expect(items).toContain(idOf.get('DSC_0101.JPG'));
  });

  it('trashing the cover hands the tile to another photo; a stack left with one photo goes; restoring stacks it again', async () => {
    const edits = (await stackOf('IMG_2001.JPG'))!;
    expect(edits.members).toHaveLength(2);
    const trashed = await json(`${server.url}/api/photos/delete`, { method: 'POST', json: { ids: [edits.coverId] } });
    expect(trashed.status, JSON.stringify(trashed.body)).toBe(200);
    const left = edits.members.find((m) => m.photo.id !== edits.coverId)!.photo.id;
    expect((await json(`${server.url}/api/photos/${left}`)).body.stack).toBeNull();
    expect((await list()).items.some((item) => item.id === left)).toBe(true);
    const restored = await json(`${server.url}/api/trash/restore`, { method: 'POST', json: { ids: [edits.coverId] } });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    const again = (await stackOf('IMG_2001.JPG'))!;
    expect(again.members.map((m) => m.photo.id).sort()).toEqual(edits.members.map((m) => m.photo.id).sort());
    expect((await list()).items.filter((item) => item.id === left || item.id === edits.coverId)).toHaveLength(1);
  });

  it('a frame restored from the trash does not put back together frames the user unstacked meanwhile', async () => {
    const [a, b, c] = ['frame-a.jpg', 'frame-b.jpg', 'frame-c.jpg'].map((name) => idOf.get(name)!);
    expect((await json(`${server.url}/api/photos/delete`, { method: 'POST', json: { ids: [c] } })).status).toBe(200);
    const left = (await stackOf('frame-a.jpg'))!;
    expect(left.members.map((m) => m.photo.id).sort()).toEqual([a, b].sort());
    expect((await json(`${server.url}/api/stacks/${left.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await json(`${server.url}/api/trash/restore`, { method: 'POST', json: { ids: [c] } })).status).toBe(200);
    // c may join one of them, never both: a and b were taken apart by the user
    const [ofA, ofB] = [await stackOf('frame-a.jpg'), await stackOf('frame-b.jpg')];
    expect(ofA !== null && ofB !== null && ofA.id === ofB.id).toBe(false);
  });

  it('a stack without a cover for a moment hides none of its photos', async () => {
    const burst = (await stackOf('IMG_20240501_120000_BURST002_COVER.jpg'))!;
    await server.lib.db.execute(sql`update stacks set cover_id = null where id = ${burst.id}::uuid`);
    const items = (await list()).items.map((item) => item.id);
    for (const member of burst.members) expect(items).toContain(member.photo.id);
    await refreshStackCovers(server.lib.db, [burst.members[0]!.photo.id]);
    expect((await stackOf('IMG_20240501_120000_BURST002_COVER.jpg'))!.coverId).not.toBeNull();
  });

  it('answers 404 for a stack id that is not one of the user’s, and 400 for one that is not an id', async () => {
    expect((await json(`${server.url}/api/stacks/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await json(`${server.url}/api/stacks/not-an-id`)).status).toBe(400);
  });

  it('stacks photos by hand — frames the user took apart before, and the stack one of them is in — and refuses what is not a stack', async () => {
    const [a, b, lone] = ['frame-a.jpg', 'frame-b.jpg', 'IMG_3003.JPG'].map((name) => idOf.get(name)!);
    const before = [await stackOf('frame-a.jpg'), await stackOf('frame-b.jpg')].find((found) => found !== null) ?? null;
    const made = await json(`${server.url}/api/stacks`, { method: 'POST', json: { photoIds: [a, b, lone] } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const stack = made.body as Stack;
    const members = stack.members.map((m) => m.photo.id);
    // the stack a frame was in (the restored frame's, if it joined one) comes along whole
    expect(members.sort()).toEqual([...new Set([a, b, lone, ...(before?.members.map((m) => m.photo.id) ?? [])])].sort());
    expect(stack.members.find((m) => m.photo.id === lone)!.reason).toBe('by-user');
    expect(stack.kind).toBe(before ? 'mixed' : 'by-user');
    if (before) expect(stack.id).toBe(before.id);
    // one tile with its count; the pipeline looking again leaves it as the user made it
    const tiles = (await list()).items.filter((item) => members.includes(item.id));
    expect(tiles).toHaveLength(1);
    expect(tiles[0]!.stack).toEqual({ id: stack.id, count: members.length, videos: 0 });
    await placeInStack(server.lib.db, a!);
    expect((await stackOf('frame-a.jpg'))!.members.map((m) => m.photo.id).sort()).toEqual(members);

    const one = await json(`${server.url}/api/stacks`, { method: 'POST', json: { photoIds: [a] } });
    expect(one.status).toBe(400);
    expect(JSON.stringify(one.body)).toContain('at least two photos');
    const unknown = await json(`${server.url}/api/stacks`, { method: 'POST', json: { photoIds: [a, '00000000-0000-4000-8000-000000000000'] } });
    expect(unknown.status).toBe(404);
  });

  it('archives a stack whole: its cover and the photos behind it leave the timeline together, and come back together', async () => {
    const listed = (await list()).items.find((item) => item.stack)!;
    const some = (await json(`${server.url}/api/stacks/${listed.stack!.id}`)).body as Stack;
    const members = some.members.map((m) => m.photo.id);
    expect((await json(`${server.url}/api/photos/${some.coverId}`, { method: 'PATCH', json: { archived: true } })).status).toBe(200);
    const timeline = (await list()).items.map((item) => item.id);
    for (const id of members) expect(timeline).not.toContain(id);
    const archive = (await json(`${server.url}/api/photos?archived=only&limit=100`)).body.items.map((item: { id: string }) => item.id);
    expect(archive.filter((id: string) => members.includes(id)).sort()).toEqual([...members].sort());
    expect((await json(`${server.url}/api/photos`, { method: 'PATCH', json: { ids: [some.coverId], archived: false } })).status).toBe(200);
    expect((await list()).items.find((item) => item.id === some.coverId)!.stack).toEqual({ id: some.id, count: members.length, videos: 0 });
  });

  it('never offers one shot’s versions as copies of each other; a copy of the shot goes, never its RAW — nor by a request that does not name it', async () => {
    const id = (name: string) => idOf.get(name)!;
    const duplicates = async () => (await json(`${server.url}/api/duplicates?kind=duplicate&limit=200`)).body.items as DuplicateGroup[];
    const groupWith = (all: DuplicateGroup[], name: string) => all.find((g) => g.members.some((m) => m.photo.id === id(name)));
    // the reported case: the RAW's preview is the camera's JPEG, one PDQ hash
    const hashes = await rows<{ pdq_hash: string }>(
      server.lib.db,
      sql`select pdq_hash from photos where id in (${id('IMG_4001.CR2')}::uuid, ${id('IMG_4001.JPG')}::uuid)`,
    );
    expect(hashes).toHaveLength(2);
    expect(hashes[0]!.pdq_hash).toBe(hashes[1]!.pdq_hash);
    // the messenger's copy brings the shot in: the JPEG is the best shot, the RAW is kept with it, the copy is proposed
    const all = await duplicates();
    const group = groupWith(all, 'IMG-20240501-WA0004.jpg')!;
    expect(group.members.map((m) => nameOf.get(m.photo.id)).sort()).toEqual(['IMG-20240501-WA0004.jpg', 'IMG_4001.CR2', 'IMG_4001.JPG']);
    expect(group.keeperId).toBe(id('IMG_4001.JPG'));
    // hiding duplicates hides the copy the suggestion trashes, never the RAW kept beside its JPEG; a group from before
    // the rules were stored (nothing known: nothing hidden) chooses again at start
    const shownHiding = async () => (await list('&stacks=expand&hideDuplicates=true')).items.map((item) => item.id);
    const hiding = await shownHiding();
    expect([id('IMG_4001.CR2'), id('IMG_4001.JPG')].filter((photo) => hiding.includes(photo))).toHaveLength(2);
    expect(hiding).not.toContain(id('IMG-20240501-WA0004.jpg'));
    await server.lib.db.execute(sql`update duplicate_members set redundant = null where group_id = ${group.id}::uuid`);
    expect(await shownHiding()).toContain(id('IMG-20240501-WA0004.jpg'));
    expect(await chooseUnchosenGroups(server.lib.db)).toBe(1);
    expect(await shownHiding()).toEqual(hiding);
    // what the page sent on Enter (the best shot alone) would trash the RAW: refused, saying why
    const resolve = (body: object) => json(`${server.url}/api/duplicates/${group.id}/resolve`, { method: 'POST', json: body });
    const onlyJpeg = await resolve({ keep: [id('IMG_4001.JPG')] });
    expect(onlyJpeg.status).toBe(409);
    expect(onlyJpeg.body.message).toContain('IMG_4001.CR2 (a RAW file: never proposed for the trash)');
    expect(group.suggestedKeep).toEqual([id('IMG_4001.JPG'), id('IMG_4001.CR2')]);
    const member = (name: string) => group.members.find((m) => m.photo.id === id(name))!;
    expect(member('IMG_4001.CR2')).toMatchObject({ supersededBy: [], keptBecause: 'a RAW file: never proposed for the trash' });
    expect(member('IMG_4001.JPG').supersededBy).toEqual([]);
    expect(member('IMG-20240501-WA0004.jpg').supersededBy.sort()).toEqual([id('IMG_4001.CR2'), id('IMG_4001.JPG')].sort());
    // a raw and its JPEG (unstacked by the user above), an original and its edit (restored from the trash above): in a
    // group only with a third photo made from the same picture, and neither ever goes for the other
    for (const [a, b] of [
      ['DSC_0101.DNG', 'DSC_0101.JPG'],
      ['IMG_2001.JPG', 'IMG_2001-edited.jpg'],
    ] as const) {
      const shared = groupWith(all, a);
      if (!shared?.members.some((m) => m.photo.id === id(b))) continue;
      expect(shared.members.length, `${a} and ${b}`).toBeGreaterThan(2);
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const)
        expect(shared.members.find((m) => m.photo.id === id(x))!.supersededBy).not.toContain(id(y));
    }
    const listed = await runCli(['duplicates', '--kind', 'duplicate', '--server', server.url, '--api-key', server.apiKey]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^ {2}keep too .*IMG_4001\.CR2 .*\(a RAW file: never proposed for the trash\)$/m);
    expect(listed.stdout).toMatch(/^ {2}trash · .*IMG-20240501-WA0004\.jpg /m);

    // nor the JPEG for its smaller copy, unless the request names it
    const onlyCopy = await resolve({ keep: [id('IMG-20240501-WA0004.jpg')] });
    expect(onlyCopy.status).toBe(409);
    expect(onlyCopy.body.message).toMatch(/IMG_4001\.JPG \(it has what IMG-20240501-WA0004\.jpg lacks: more pixels/);
    expect((await resolve({ keep: [id('IMG_4001.JPG')], trash: [id('IMG_4001.JPG')] })).status).toBe(400);
    expect((await json(`${server.url}/api/trash?limit=100`)).body.items).toEqual([]);
    // named, it goes (the user's own choice); back from the trash, the group is found again
    const named = await resolve({ keep: [id('IMG_4001.JPG')], trash: [id('IMG_4001.CR2')] });
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    expect(named.body.trashed.sort()).toEqual([id('IMG_4001.CR2'), id('IMG-20240501-WA0004.jpg')].sort());
    const back = await json(`${server.url}/api/trash/restore`, { method: 'POST', json: { ids: named.body.trashed } });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    const again = groupWith(await duplicates(), 'IMG-20240501-WA0004.jpg')!;
    expect(again.members).toHaveLength(3);
    // the suggestion as it stands: only the copy goes
    const suggested = await json(`${server.url}/api/duplicates/${again.id}/resolve`, { method: 'POST', json: { keep: again.suggestedKeep } });
    expect(suggested.status, JSON.stringify(suggested.body)).toBe(200);
    expect(suggested.body.trashed).toEqual([id('IMG-20240501-WA0004.jpg')]);
    expect((await stackOf('IMG_4001.CR2'))!.members.map((m) => m.photo.id).sort()).toEqual([id('IMG_4001.CR2'), id('IMG_4001.JPG')].sort());
    // the pair alone: the duplicates step finds no copy in it, and a group the earlier rules made of it goes when the
    // step runs again (its version changed, so it does on every photo)
    const [stale] = await rows<{ id: string }>(
      server.lib.db,
      sql`insert into duplicate_groups (owner_id, kind) select owner_id, 'duplicate' from photos where id = ${id('IMG_4001.CR2')}::uuid returning id`,
    );
    await server.lib.db.execute(sql`insert into duplicate_members (group_id, photo_id, kind, tier, matched_photo_id, pdq_distance)
      values (${stale!.id}::uuid, ${id('IMG_4001.JPG')}::uuid, 'duplicate', 'first', null, null),
             (${stale!.id}::uuid, ${id('IMG_4001.CR2')}::uuid, 'duplicate', 'pdq', ${id('IMG_4001.JPG')}::uuid, 0)`);
    expect(groupWith(await duplicates(), 'IMG_4001.JPG')).toBeDefined();
    const matches = await detectDuplicates(server.lib.db, id('IMG_4001.CR2'), thresholdsFrom(server.lib.ml.settings), null);
    expect(matches.map((m) => m.evidence.photoId)).not.toContain(id('IMG_4001.JPG'));
    expect(groupWith(await duplicates(), 'IMG_4001.JPG')).toBeUndefined();

    // photos the user stacks by hand are no longer offered as copies of each other (the same picture at two moments)
    expect(
      groupWith(await duplicates(), 'DSC_0202.DNG')!
        .members.map((m) => m.photo.id)
        .sort(),
    ).toEqual([id('DSC_0202.DNG'), id('IMG_3003.JPG')].sort());
    const byHand = await json(`${server.url}/api/stacks`, { method: 'POST', json: { photoIds: [id('IMG_3003.JPG'), id('DSC_0202.DNG')] } });
    expect(byHand.status, JSON.stringify(byHand.body)).toBe(201);
    expect(groupWith(await duplicates(), 'DSC_0202.DNG')).toBeUndefined();

    // the upload check refuses near-copies, never an edit of a stored original (a version of its shot, not a copy)
    const edit = await sharp(path.join(dir, 'IMG_4001.JPG')).modulate({ saturation: 1.3 }).jpeg({ quality: 92 }).toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(edit)]), 'IMG_4001-edited.jpg');
    const checked = (await (await authFetch(`${server.url}/api/photos?checkDuplicate=true`, { method: 'POST', body: form })).json()) as any;
    expect(checked.items[0].duplicate, JSON.stringify(checked.items[0])).toBe(false);
    await waitForTerminal(server.url, [checked.items[0].id]);

    // nor the camera's file of a picture stored only as a messenger's copy (its EXIF: the camera, the time), while a
    // second messenger's copy is refused
    const chat = (width: number) => sharp(cyclamen).resize(width).jpeg({ quality: 70 }).toBuffer();
    const first = await upload(server.url, [{ data: await chat(400), name: 'IMG-20240601-WA0001.jpg' }]);
    await waitForTerminal(server.url, [first.body.items[0].id]);
    const uploadChecked = async (data: Buffer, name: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(data)]), name);
      return ((await (await authFetch(`${server.url}/api/photos?checkDuplicate=true`, { method: 'POST', body: form })).json()) as any).items[0];
    };
    expect(await uploadChecked(await chat(380), 'IMG-20240601-WA0002.jpg')).toMatchObject({ duplicate: true, existing: { photoId: first.body.items[0].id } });
    const camera = await uploadChecked(fs.readFileSync(cyclamen), 'DSCF0001.JPG');
    expect(camera.duplicate, JSON.stringify(camera)).toBe(false);
    await waitForTerminal(server.url, [camera.id]);
  });
});
