// Apple Live Photos: a HEIC and a MOV with the same content identifier (test/helpers/clips.ts livePhoto) become one
// item in any order of arrival, by upload and by import — the still in the library, its MOV played as its motion,
// never an item of its own; its albums follow it; the MOV's bytes arriving again are the still; downloading an album
// or the photo gives both parts, and deleting the photo takes both.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { metadataStep } from '../../src/pipeline/steps/metadata.js';
import { runCli } from '../helpers/cli.js';
import { runStepOn } from '../helpers/run-step.js';
import { makeTempDir } from '../helpers/temp.js';
import { livePhoto } from '../helpers/clips.js';
import { authFetch, json, startTestServer, upload, type TestServer, withoutFacesOrText } from '../helpers/server.js';

let server: TestServer;
let root: string;

beforeAll(async () => {
  root = await makeTempDir('shoebox-live-root-');
  server = await startTestServer(withoutFacesOrText({ video: { maxHeight: 160 }, libraryRoots: [root], librarySettleMs: 300 }));
}, 120_000);

afterAll(async () => server?.dispose());

const uploadOne = async (file: string, status = 201) => {
  const response = await upload(server.url, [{ path: file }]);
  expect(response.status).toBe(status);
  return response.body.items[0] as { id: string; duplicate: boolean; type: string };
};

const photo = async (id: string) => json(`${server.url}/api/photos/${id}`);

/** Waits until the MOV's row is gone and the still has its motion, finished (its transcode step done). */
async function folded(stillId: string, movId: string): Promise<Record<string, any>> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const [still, mov] = await Promise.all([photo(stillId), photo(movId)]);
    const done = still.body?.steps?.transcode?.status === 'done' && ['completed', 'partial'].includes(still.body.state);
    if (mov.status === 404 && done) return still.body;
    if (Date.now() > deadline) throw new Error(`not one item in time: still ${JSON.stringify(still.body?.steps)}, MOV ${mov.status} ${mov.body?.state}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const listed = async () => (await json(`${server.url}/api/photos?limit=200`)).body.items as { id: string; filename: string; type: string; motion: boolean }[];

async function expectOneItem(stillId: string, movId: string, files: { still: string; mov: string }) {
  const still = await folded(stillId, movId);
  expect(still).toMatchObject({ type: 'photo', motion: true, mime: 'image/heic' });
  const items = await listed();
  expect(items.filter((item) => [stillId, movId].includes(item.id)).map((item) => item.id)).toEqual([stillId]);
  expect(items.some((item) => item.filename === path.basename(files.mov))).toBe(false);
  // the still is the HEIC as it was; its motion part is the MOV as it was
  const original = Buffer.from(await (await authFetch(`${server.url}/api/photos/${stillId}/original`)).arrayBuffer());
  expect(original.equals(await readFile(files.still))).toBe(true);
  const part = await authFetch(`${server.url}/api/photos/${stillId}/original?part=motion&download=1`);
  expect(part.status).toBe(200);
  expect(part.headers.get('content-disposition')).toContain(path.basename(files.mov));
  expect(Buffer.from(await part.arrayBuffer()).equals(await readFile(files.mov))).toBe(true);
  // its motion plays in browsers: the HEVC made an H.264 MP4 by the still's transcode step, with ranges
  expect(still.steps.transcode.error).toMatch(/HEVC/);
  const video = await authFetch(`${server.url}/api/photos/${stillId}/video`, { headers: { range: 'bytes=0-99' } });
  expect(video.status).toBe(206);
  expect(video.headers.get('content-type')).toBe('video/mp4');
  expect(Buffer.from(await video.arrayBuffer()).toString('latin1', 4, 8)).toBe('ftyp');
  return still;
}

// Each test waits up to 90 s for the fold (folded): on a machine loaded by other files a test may take over a minute.
describe('Apple Live Photos', { timeout: 180_000 }, () => {
  it('makes the still and the MOV one item when the MOV arrives second, and its bytes arriving again are the still', async () => {
    const files = await livePhoto('IMG_0101', '1A2B3C4D-0000-4000-8000-000000000101');
    const still = await uploadOne(files.still);
    const mov = await uploadOne(files.mov);
    expect(mov).toMatchObject({ type: 'video', duplicate: false });
    await expectOneItem(still.id, mov.id, files);
    // an import waiting on the MOV learns that it joined its still, not that it was deleted
    const states = await json(`${server.url}/api/photos/states`, { method: 'POST', json: { ids: [still.id, mov.id] } });
    expect(states.body).toEqual({ states: { [still.id]: expect.any(String) }, joined: { [mov.id]: still.id } });
    // the MOV again: the upload answers with the still, nothing new is made
    const again = await uploadOne(files.mov, 200);
    expect(again).toMatchObject({ id: still.id, duplicate: true });
    expect((await listed()).filter((item) => item.id === still.id || item.filename.startsWith('IMG_0101'))).toHaveLength(1);
  });

  it('folds a MOV that arrived first, was finished and put in an album, into the still that comes after', async () => {
    const files = await livePhoto('IMG_0202', '1A2B3C4D-0000-4000-8000-000000000202');
    const mov = await uploadOne(files.mov);
    const deadline = Date.now() + 60_000;
    while (!['completed', 'partial'].includes((await photo(mov.id)).body.state)) {
      if (Date.now() > deadline) throw new Error('the MOV did not finish');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // alone, it is a video like any other
    expect((await listed()).find((item) => item.id === mov.id)).toMatchObject({ type: 'video', motion: false });
    const album = await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'Beach' } });
    expect(album.status).toBe(201);
    const added = await json(`${server.url}/api/albums/${album.body.id}/photos`, { method: 'POST', json: { ids: [mov.id] } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const still = await uploadOne(files.still);
    await expectOneItem(still.id, mov.id, files);
    const members = (await json(`${server.url}/api/albums/${album.body.id}`)).body.photos.items as { id: string }[];
    expect(members.map((item) => item.id)).toEqual([still.id]);
    // the album's ZIP holds both parts of it
    const zip = await authFetch(`${server.url}/api/albums/${album.body.id}/zip`);
    expect(zip.status).toBe(200);
    const names = await zipEntries(Buffer.from(await zip.arrayBuffer()));
    expect(names).toEqual(expect.arrayContaining(['01-IMG_0202.HEIC', '01-IMG_0202.MOV']));
  });

  it('makes one item of the two arriving together, and deleting it takes both files', async () => {
    const files = await livePhoto('IMG_0303', '1A2B3C4D-0000-4000-8000-000000000303');
    const response = await upload(server.url, [{ path: files.mov }, { path: files.still }]);
    expect(response.status).toBe(201);
    const byName = Object.fromEntries((response.body.items as { id: string; filename: string }[]).map((item) => [item.filename, item.id]));
    const still = await expectOneItem(byName['IMG_0303.HEIC']!, byName['IMG_0303.MOV']!, files);
    const row = (await server.lib.db.query.photos.findFirst({ where: (p, { eq }) => eq(p.id, still.id) }))!;
    expect(row.motion).toMatchObject({ source: 'live', filename: 'IMG_0303.MOV' });
    const movKey = row.motion!.source === 'live' ? row.motion!.key : '';
    const store = server.lib.storage.at(row.storageLocation);
    expect(await store.stat(movKey)).toBeTruthy();
    expect((await json(`${server.url}/api/photos/${still.id}?force=true`, { method: 'DELETE' })).status).toBe(204);
    expect(await store.stat(row.storageKey)).toBeNull();
    expect(await store.stat(movKey)).toBeNull();
  });

  it("keeps the MOV when the still's metadata, read before the MOV was folded in, is written after", async () => {
    const files = await livePhoto('IMG_0909', '1A2B3C4D-0000-4000-8000-000000000909');
    const response = await upload(server.url, [{ path: files.still }, { path: files.mov }]);
    const byName = Object.fromEntries((response.body.items as { id: string; filename: string }[]).map((item) => [item.filename, item.id]));
    await expectOneItem(byName['IMG_0909.HEIC']!, byName['IMG_0909.MOV']!, files);
    // the still's metadata step as it runs when its row was read before the fold: no motion yet
    const row = (await server.lib.db.query.photos.findFirst({ where: (p, { eq }) => eq(p.id, byName['IMG_0909.HEIC']!) }))!;
    await runStepOn(server, metadataStep, { ...row, motion: null });
    const after = (await server.lib.db.query.photos.findFirst({ where: (p, { eq }) => eq(p.id, row.id) }))!;
    expect(after.motion).toMatchObject({ source: 'live', filename: 'IMG_0909.MOV' });
  });

  it('pairs the two halves imported from a folder', async () => {
    const files = await livePhoto('IMG_0404', '1A2B3C4D-0000-4000-8000-000000000404');
    // into the running server, as on the desk (on PostgreSQL the data folder holds no lock naming it)
    const result = await runCli(['import', path.dirname(files.still), '--server', server.url], { SHOEBOX_API_KEY: server.apiKey });
    expect(result.code, result.stderr).toBe(0);
    const byName = async () => Object.fromEntries((await listed()).map((item) => [item.filename, item.id]));
    const deadline = Date.now() + 90_000;
    for (;;) {
      const names = await byName();
      const still = names['IMG_0404.HEIC'];
      if (still && !names['IMG_0404.MOV'] && (await photo(still)).body.steps.transcode.status === 'done') break;
      if (Date.now() > deadline) throw new Error(`not one item in time: ${JSON.stringify(names)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  });
});

describe('Apple Live Photos in a library in place', () => {
  it('makes one item of the two files where they are, and a scan again finds nothing new', async () => {
    const files = await livePhoto('IMG_0505', '1A2B3C4D-0000-4000-8000-000000000505');
    const folder = path.join(root, 'Camera Roll');
    await mkdir(folder);
    for (const file of [files.still, files.mov]) await copyFile(file, path.join(folder, path.basename(file)));
    const created = await json(`${server.url}/api/libraries`, { method: 'POST', json: { name: 'Camera Roll', paths: [folder], watch: 'off' } });
    expect(created.status).toBe(201);
    const library = async () => (await json(`${server.url}/api/libraries/${created.body.id}`)).body;
    const settled = async (timeoutMs: number) => {
      for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 200))) {
        const items = (await listed()).filter((item) => item.filename.startsWith('IMG_0505'));
        const still = items.length === 1 && items[0]!.filename === 'IMG_0505.HEIC' ? (await photo(items[0]!.id)).body : null;
        if (still?.steps.transcode.status === 'done' && (await library()).scanState === 'idle') return still;
        if (Date.now() > deadline) throw new Error(`not one item in time: ${JSON.stringify(items)}`);
      }
    };
    const still = await settled(40_000);
    expect(still).toMatchObject({ motion: true, libraryId: created.body.id });
    const video = await authFetch(`${server.url}/api/photos/${still.id}/video`);
    expect(video.status).toBe(200);
    // the MOV's file is known as the still's: scanned again, nothing is new or changed
    const before = (await library()).lastScanAt;
    expect((await json(`${server.url}/api/libraries/${created.body.id}/scan`, { method: 'POST' })).status).toBe(202);
    for (const deadline = Date.now() + 30_000; ; await new Promise((resolve) => setTimeout(resolve, 200))) {
      const current = await library();
      if (current.scanState === 'idle' && current.lastScanAt !== before) {
        expect(current.scan).toMatchObject({ new: 0, changed: 0, gone: 0 });
        break;
      }
      if (Date.now() > deadline) throw new Error('the scan did not end');
    }
    expect((await settled(5_000)).id).toBe(still.id);
  });
});

function zipEntries(buffer: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const names: string[] = [];
      zip.on('entry', (entry: { fileName: string }) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
