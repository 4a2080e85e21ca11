// The best shot of a duplicate group, through the real server: the pipeline measures each photo (hashes step) and its
// faces (faces step), and the review proposes the best one to keep, with its reasons.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { faces, photos } from '../../src/db/schema.js';
import { detectFaces } from '../../src/ml/faces/detect.js';
import { DEFAULT_FACE_SETTINGS } from '../../src/ml/faces/settings.js';
import { hashesStep } from '../../src/pipeline/steps/hashes.js';
import { closeEyes } from '../helpers/close-eyes.js';
import { runStepOn } from '../helpers/run-step.js';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

const require = createRequire(import.meta.url);
/** face-api's demo photo with three faces (1920 × 1350), shipped in its npm package. */
const threeFaces = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo/sample3.jpg');
/** Where the faces step finds them (pixels of the photo), a little enlarged. */
const FACE_BOXES = [
  { left: 575, top: 317, width: 220, height: 293 },
  { left: 1504, top: 280, width: 190, height: 300 },
  { left: 1064, top: 205, width: 242, height: 320 },
];

interface Member {
  photo: { id: string };
  suggestedKeeper: boolean;
  bestShot: { score: number | null; reasons: string[] };
}
interface Group {
  id: string;
  keeperId: string;
  keeperWhy: string[];
  members: Member[];
}

describe('the best shot of a duplicate group', () => {
  let server: TestServer;
  const idOf = new Map<string, string>();
  let groups: Group[];
  const measured = new Map<string, unknown>();
  let eyesBefore: number[] = [];
  const groupOf = (name: string) => groups.find((g) => g.members.some((m) => m.photo.id === idOf.get(name)))!;
  const memberOf = (name: string) => groupOf(name).members.find((m) => m.photo.id === idOf.get(name))!;

  beforeAll(async () => {
    server = await startTestServer();
    const falcon = path.join(assets, 'albums/nature/prairie_falcon.jpg');
    const { width } = await sharp(falcon).metadata();
    const files: Record<string, Buffer> = {
      'falcon.jpg': await sharp(falcon).jpeg({ quality: 90 }).toBuffer(),
      // more pixels and a larger file, but soft: the old rule (most pixels, then largest file) kept this one
      'falcon-shaken.jpg': await sharp(falcon)
        .resize(Math.round(width! * 1.25))
        .blur(width! * 0.002)
        .jpeg({ quality: 98 })
        .toBuffer(),
      'falcon-dark.jpg': await sharp(falcon).linear(0.3, 0).jpeg({ quality: 90 }).toBuffer(),
      'group.jpg': await sharp(threeFaces).jpeg({ quality: 90 }).toBuffer(),
      // the same picture with its three faces out of focus (the rest as sharp), in a larger file
      'group-faces-soft.jpg': await sharp(threeFaces)
        .composite(
          await Promise.all(FACE_BOXES.map(async (box) => ({ input: await sharp(threeFaces).extract(box).blur(4).toBuffer(), left: box.left, top: box.top }))),
        )
        .jpeg({ quality: 100 })
        .toBuffer(),
    };
    // the same picture with its three people's eyes closed (a retoucher's edit: test/helpers/close-eyes.ts), larger
    const found = await detectFaces(threeFaces, { width: 1920, height: 1350 }, DEFAULT_FACE_SETTINGS);
    expect(found).toHaveLength(3);
    const closed = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-eyes-')), 'closed.jpg');
    await closeEyes(
      threeFaces,
      found.map((f) => f.landmarks!),
      closed,
    );
    files['group-eyes-closed.jpg'] = await sharp(closed).jpeg({ quality: 100 }).toBuffer();
    eyesBefore = found.map((f) => f.eyesOpen!);
    expect(files['group-eyes-closed.jpg']!.length).toBeGreaterThan(files['group.jpg']!.length);
    expect(files['falcon-shaken.jpg']!.length).toBeGreaterThan(files['falcon.jpg']!.length);
    expect(files['group-faces-soft.jpg']!.length).toBeGreaterThan(files['group.jpg']!.length);
    const response = await upload(
      server.url,
      Object.entries(files).map(([name, data]) => ({ name, data })),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    Object.keys(files).forEach((name, k) => idOf.set(name, response.body.items[k].id));
    await waitForTerminal(server.url, [...idOf.values()], 300_000);
    const listed = await json(`${server.url}/api/duplicates?kind=duplicate`);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    groups = listed.body.items;
    for (const row of await server.lib.db.select({ id: photos.id, quality: photos.quality }).from(photos)) measured.set(row.id, row.quality);
  }, 400_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('keeps the sharp, well-exposed original over a larger shaken copy and a dark one, and says why', () => {
    const group = groupOf('falcon.jpg');
    expect(group.members).toHaveLength(3);
    expect(group.keeperId).toBe(idOf.get('falcon.jpg'));
    expect(group.keeperWhy).toEqual(expect.arrayContaining(['sharper', 'better exposed']));
    expect(group.keeperWhy).not.toContain('more pixels');
    expect(memberOf('falcon.jpg').bestShot.reasons).toEqual(['sharp', 'well exposed']);
    expect(memberOf('falcon-shaken.jpg').bestShot.reasons.some((r) => r === 'soft focus' || r === 'blurred')).toBe(true);
    expect(memberOf('falcon-dark.jpg').bestShot.reasons).toContain('too dark');
    const scores = group.members.map((m) => m.bestShot.score!);
    expect(Math.max(...scores)).toBe(memberOf('falcon.jpg').bestShot.score);
  });

  it('keeps the photo whose faces are in focus over the same picture with soft faces in a larger file', async () => {
    const group = groupOf('group.jpg');
    expect(group.members).toHaveLength(3);
    expect(group.keeperId).toBe(idOf.get('group.jpg'));
    expect(group.keeperWhy).toContain('faces sharper and in frame');
    expect(memberOf('group.jpg').bestShot.reasons).toContain('faces in focus');
    expect(memberOf('group-faces-soft.jpg').bestShot.reasons).toContain('3 faces out of focus');
    // the photo page names the same keeper
    const detail = await json(`${server.url}/api/photos/${idOf.get('group-faces-soft.jpg')}`);
    expect(detail.body.duplicateGroup.keeperId).toBe(idOf.get('group.jpg'));
  });

  it('keeps the photo whose people have their eyes open over the same picture with their eyes closed, and says why', async () => {
    // the iris model reads the eyes as open in the photo as shot, closed in the edit (the faces step stored both)
    expect(Math.min(...eyesBefore)).toBeGreaterThan(0.3);
    const stored = await server.lib.db.select({ photoId: faces.photoId, eyesOpen: faces.eyesOpen }).from(faces);
    const eyesOf = (name: string) => stored.filter((f) => f.photoId === idOf.get(name)).map((f) => f.eyesOpen!);
    expect(eyesOf('group.jpg')).toHaveLength(3);
    expect(Math.min(...eyesOf('group.jpg'))).toBeGreaterThan(0.3);
    expect(eyesOf('group-eyes-closed.jpg')).toHaveLength(3);
    expect(Math.max(...eyesOf('group-eyes-closed.jpg'))).toBeLessThan(0.25);
    const group = groupOf('group-eyes-closed.jpg');
    expect(group.keeperId).toBe(idOf.get('group.jpg'));
    expect(group.keeperWhy).toContain('eyes open');
    expect(memberOf('group.jpg').bestShot.reasons).toContain('eyes open');
    expect(memberOf('group-eyes-closed.jpg').bestShot.reasons.some((r) => /faces? with eyes closed/.test(r))).toBe(true);
    expect(memberOf('group-eyes-closed.jpg').bestShot.score!).toBeLessThan(memberOf('group.jpg').bestShot.score! - 0.1);
  });

  it('measures a photo from before the best shot from its preview alone, its hashes left as they were', async () => {
    const id = idOf.get('falcon-dark.jpg')!;
    await server.lib.db.update(photos).set({ quality: null }).where(eq(photos.id, id));
    const [before] = await server.lib.db.select().from(photos).where(eq(photos.id, id));
    // the original gone from reach: a full decode would fail the step
    const result = await runStepOn(server, hashesStep, { ...before!, storageKey: 'originals/not-there' });
    expect(result.status).toBe('done');
    const [after] = await server.lib.db.select().from(photos).where(eq(photos.id, id));
    expect(after!.quality).toEqual(measured.get(id));
    expect(after!.pdqHash).toBe(before!.pdqHash);
  });
});
