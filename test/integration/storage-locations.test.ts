import fs from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from '../../src/db/connection.js';
import { migrateLibrary } from '../../src/migrate/migrate.js';
import { LocalBlobStore } from '../../src/storage/local.js';
import { MissingStorageLocationError, StorageLocations } from '../../src/storage/locations.js';
import { s3Client } from '../../src/storage/s3.js';
import { Scratch } from '../../src/storage/scratch.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';
import { livePhoto } from '../helpers/clips.js';
import { assets, authFetch, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

// Several storage locations: the seed's two shop buckets as two users with their own storage, and a folder on
// another disk, beside the main store (the data folder). Each user's photos (originals, renditions, face crops) go
// to their location; giving a user another one moves where new photos go and keeps the old ones readable.
describe('storage locations given to users', () => {
  let s3: S3Server;
  let server: TestServer;
  let disk2: string;
  const cookies: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  const PORTRAIT = path.join(assets, 'metadata/faces/portrait.jpg');
  const ROCKS = path.join(assets, 'formats/jpg/el_torcal_rocks.jpg');
  const PLOT = path.join(assets, 'formats/png/density_plot.png');

  const bucketLocation = (bucket: string) => ({
    url: `s3://${bucket}/photos`,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    presignSeconds: 0,
    cacheMb: 64,
  });
  const locations = () => ({
    'shop-a': bucketLocation('shop-a'),
    'shop-b': bucketLocation('shop-b'),
    disk2: { ...bucketLocation('unused'), url: disk2 },
  });

  const objects = async (bucket: string) => {
    const client = s3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'photos/' }));
    client.destroy();
    return (listed.Contents ?? []).map((object) => object.Key!.slice('photos/'.length));
  };
  const filesUnder = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
      : [];

  const as = (who: string, route: string, init: { method?: string; json?: unknown } = {}) =>
    json(`${server.url}${route}`, { ...init, headers: { cookie: cookies[who]!, origin: server.url } });
  const uploadAs = async (who: string, file: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(file))]), path.basename(file));
    const response = await fetch(`${server.url}/api/photos`, { method: 'POST', body: form, headers: { cookie: cookies[who]!, origin: server.url } });
    expect(response.status).toBe(201);
    const id = ((await response.json()) as { items: { id: string }[] }).items[0]!.id;
    // the states as the uploader sees them (the owner's key sees only the owner's photos)
    for (const deadline = Date.now() + 60_000; ;) {
      const state = (await as(who, '/api/photos/states', { method: 'POST', json: { ids: [id] } })).body.states[id];
      if (['completed', 'partial', 'failed'].includes(state)) {
        expect(state).toBe('completed');
        return id;
      }
      if (Date.now() > deadline) throw new Error(`photo ${id} not finished in time: ${state}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const fileOf = (who: string, id: string, file: string) => fetch(`${server.url}/api/photos/${id}/${file}`, { headers: { cookie: cookies[who]! } });

  async function signIn(email: string, password: string): Promise<string> {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email, password }),
    });
    expect(response.status).toBe(200);
    return /shoebox_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
  }

  beforeAll(async () => {
    s3 = await startS3Server('shoebox-unused', ['shop-a', 'shop-b']);
    disk2 = tempDir('shoebox-disk2-');
    server = await startTestServer({ storageLocations: locations() });
    for (const [name, location] of [
      ['ann', 'shop-a'],
      ['bob', 'shop-b'],
    ] as const) {
      const created = await json(`${server.url}/api/admin/users`, {
        method: 'POST',
        json: { name, email: `${name}@shop.example`, password: `${name} password 1`, storageLocation: location },
      });
      expect(created.status).toBe(201);
      expect(created.body.storageLocation).toBe(location);
      userIds[name] = created.body.id;
      cookies[name] = await signIn(`${name}@shop.example`, `${name} password 1`);
    }
  });
  afterAll(async () => {
    await server?.dispose();
    await s3?.stop();
    if (disk2) fs.rmSync(disk2, { recursive: true, force: true });
  });

  it("keeps each user's photos, renditions and face crops in their own bucket, the same bytes once per location", async () => {
    const annPortrait = await uploadAs('ann', PORTRAIT);
    const bobPortrait = await uploadAs('bob', PORTRAIT); // the same bytes: a copy in each user's bucket
    const annObjects = await objects('shop-a');
    const bobObjects = await objects('shop-b');
    for (const [stored, id] of [
      [annObjects, annPortrait],
      [bobObjects, bobPortrait],
    ] as const) {
      expect(stored.filter((key) => key.startsWith('originals/'))).toHaveLength(1);
      expect(stored).toContain(`derived/${id.slice(0, 2)}/${id}/thumbnail.webp`);
      expect(stored.some((key) => key.startsWith(`derived/${id.slice(0, 2)}/${id}/faces/`))).toBe(true);
    }
    expect(annObjects.some((key) => key.includes(bobPortrait))).toBe(false);
    expect(filesUnder(path.join(server.dataDir, 'originals'))).toEqual([]); // nothing of theirs in the main store

    const original = await fileOf('ann', annPortrait, 'original');
    expect(Buffer.from(await original.arrayBuffer()).equals(fs.readFileSync(PORTRAIT))).toBe(true);
    const faces = await as('bob', `/api/photos/${bobPortrait}/faces`);
    expect(faces.body.items.length).toBeGreaterThan(0);
    const crop = await fetch(`${server.url}/api/faces/${faces.body.items[0].id}/thumbnail`, { headers: { cookie: cookies.bob! } });
    expect(crop.status).toBe(200);
    expect(crop.headers.get('content-type')).toBe('image/webp');
    // another user's photo is still a 404, wherever it is stored
    expect((await fileOf('ann', bobPortrait, 'original')).status).toBe(404);

    // the owner's upload goes to the main store
    const mine = await json(`${server.url}/api/auth/me`);
    expect(mine.body.storageLocation).toBeNull();
    const overview = await json(`${server.url}/api/admin/storage`);
    expect(overview.status).toBe(200);
    const byName = Object.fromEntries(overview.body.items.map((item: { name: string | null }) => [item.name ?? 'main', item]));
    expect(byName['shop-a']).toMatchObject({
      kind: 's3',
      address: 's3://shop-a/photos',
      configured: true,
      users: 1,
      photos: 1,
      bytes: fs.statSync(PORTRAIT).size,
    });
    expect(byName['shop-b']).toMatchObject({ users: 1, photos: 1 });
    expect(byName.disk2).toMatchObject({ kind: 'local', address: disk2, users: 0, photos: 0 });
    expect(byName.main).toMatchObject({ kind: 'local', configured: true, photos: 0 });
    expect(JSON.stringify(overview.body)).not.toContain(s3.secretAccessKey); // the address, never the keys
  });

  it('sends new photos to the location a user is given, keeps the old ones readable, and removes each from its own', async () => {
    const refused = await json(`${server.url}/api/admin/users/${userIds.bob}`, { method: 'PATCH', json: { storageLocation: 'shop-c' } });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/no storage location named shop-c on this server: it has disk2, shop-a, shop-b/);
    expect((await as('bob', `/api/admin/users/${userIds.bob}`, { method: 'PATCH', json: { storageLocation: 'disk2' } })).status).toBe(403);

    const before = (await json(`${server.url}/api/photos?limit=50`, { headers: { cookie: cookies.bob!, origin: server.url } })).body.items as {
      id: string;
    }[];
    expect((await json(`${server.url}/api/admin/users/${userIds.bob}`, { method: 'PATCH', json: { storageLocation: 'disk2' } })).body.storageLocation).toBe(
      'disk2',
    );
    const onDisk = await uploadAs('bob', ROCKS);
    expect(filesUnder(path.join(disk2, 'originals'))).toHaveLength(1);
    expect(filesUnder(disk2)).toContain(path.join('derived', onDisk.slice(0, 2), onDisk, 'preview.jpg'));
    expect((await fileOf('bob', onDisk, 'thumbnail')).status).toBe(200);
    // what Bob had stays in shop-b and is served from there
    const old = before[0]!.id;
    expect((await fileOf('bob', old, 'original')).status).toBe(200);

    expect((await as('bob', `/api/photos/${old}?force=true`, { method: 'DELETE' })).status).toBe(204);
    expect(await objects('shop-b')).toEqual([]);
    expect((await objects('shop-a')).filter((key) => key.startsWith('originals/'))).toHaveLength(1); // Ann's copy of the same bytes stays
    expect((await as('bob', `/api/photos/${onDisk}?force=true`, { method: 'DELETE' })).status).toBe(204);
    expect(filesUnder(disk2).filter((file) => !file.startsWith('tmp'))).toEqual([]);
  });

  it('refuses to move a library to an end that lacks one of its locations, before copying anything', async () => {
    await uploadAs('ann', PLOT);
    const targetDir = tempDir();
    const target = await openDatabase({ dataDir: targetDir });
    const targetStore = StorageLocations.only(new LocalBlobStore(targetDir, new Scratch(path.join(targetDir, 'tmp'))));
    try {
      const progress = { start() {}, advance() {}, end() {} };
      const moving = migrateLibrary({ db: server.lib.db, storage: server.lib.storage }, { db: target.db, storage: targetStore }, { copyFiles: true, progress });
      await expect(moving).rejects.toThrow(MissingStorageLocationError);
      await expect(moving).rejects.toThrow(
        /storage location shop-a is not set up on this server: add it to SHOEBOX_STORAGE_LOCATIONS with SHOEBOX_STORAGE_SHOP_A/,
      );
      const [copied] = await rows<{ n: number }>(target.db, sql`select count(*)::int as n from photos`);
      expect(copied!.n).toBe(0);
    } finally {
      await target.close();
      fs.rmSync(targetDir, { recursive: true, force: true });
    }
  });

  it("moves a user's photos into the location they are given: files first, checked, then the old copies go", async () => {
    // a Live Photo too: its MOV (arrived first) is part of the still, its motion transcoded from HEVC
    const live = await livePhoto('IMG_0707', '1A2B3C4D-0000-4000-8000-000000000707');
    await uploadAs('ann', live.mov);
    const liveId = await uploadAs('ann', live.still);
    expect((await as('ann', `/api/photos/${liveId}`)).body).toMatchObject({ motion: true, steps: { transcode: { status: 'done' } } });
    const annPhotos = (await as('ann', '/api/photos?limit=50')).body.items as { id: string }[];
    expect(annPhotos).toHaveLength(3); // the portrait, the plot and the Live Photo, in shop-a
    expect((await as('ann', `/api/admin/users/${userIds.ann}/storage/move`, { method: 'POST' })).status).toBe(403);
    expect((await json(`${server.url}/api/admin/users/${userIds.ann}`, { method: 'PATCH', json: { storageLocation: 'disk2' } })).status).toBe(200);
    const started = await json(`${server.url}/api/admin/users/${userIds.ann}/storage/move`, { method: 'POST' });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ photos: 3, to: 'disk2' });
    const where = async () =>
      Object.fromEntries(
        ((await json(`${server.url}/api/admin/storage`)).body.items as { name: string | null; photos: number }[]).map((item) => [
          item.name ?? 'main',
          item.photos,
        ]),
      );
    for (const deadline = Date.now() + 30_000; (await where())['shop-a'] !== 0;) {
      if (Date.now() > deadline) throw new Error(`not moved in time: ${JSON.stringify(await where())}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await where()).toMatchObject({ 'shop-a': 0, disk2: 3 });
    // nothing of Ann's left in her old bucket: the last photo's old copies go just after its row names the new place
    await expect.poll(() => objects('shop-a'), { timeout: 10_000, interval: 100 }).toEqual([]);
    const onDisk = filesUnder(disk2);
    expect(onDisk.filter((file) => file.startsWith('originals'))).toHaveLength(4); // the Live Photo's MOV with its still
    // its motion's playable copy came along: it plays at once, and its MOV is the one uploaded
    expect(onDisk).toContain(path.join('derived', liveId.slice(0, 2), liveId, 'video.mp4'));
    expect((await fileOf('ann', liveId, 'video')).status).toBe(200);
    expect(Buffer.from(await (await fileOf('ann', liveId, 'original?part=motion')).arrayBuffer()).equals(fs.readFileSync(live.mov))).toBe(true);
    for (const { id } of annPhotos) expect(onDisk).toContain(path.join('derived', id.slice(0, 2), id, 'thumbnail.webp'));
    expect(onDisk.some((file) => file.includes(`${path.sep}faces${path.sep}`))).toBe(true); // the portrait's face crops too
    const portrait = annPhotos[0]!;
    const served = await Promise.all(annPhotos.map(async ({ id }) => Buffer.from(await (await fileOf('ann', id, 'original')).arrayBuffer())));
    expect(served.some((bytes) => bytes.equals(fs.readFileSync(PORTRAIT)))).toBe(true);
    expect((await fileOf('ann', portrait.id, 'thumbnail')).status).toBe(200);
    // asked again: nothing left to move
    expect((await json(`${server.url}/api/admin/users/${userIds.ann}/storage/move`, { method: 'POST' })).body.photos).toBe(0);
  });

  it('says which location is missing when a server starts without one its photos are in, and serves everyone else', async () => {
    const annPhotos = (await as('ann', '/api/photos?limit=50')).body.items as { id: string }[];
    const { dataDir } = server;
    await server.close(); // not dispose: the same library comes back
    const { disk2: _gone, ...others } = locations();
    server = await startTestServer({ dataDir, storageLocations: others });
    cookies.ann = await signIn('ann@shop.example', 'ann password 1');
    const refused = await fileOf('ann', annPhotos[0]!.id, 'original');
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { message: string }).message).toMatch(/storage location disk2 is not set up on this server/);
    const overview = await json(`${server.url}/api/admin/storage`);
    expect(overview.body.items.find((item: { name: string | null }) => item.name === 'disk2')).toMatchObject({
      configured: false,
      kind: null,
      photos: 3,
    });
    // Ann's uploads are refused with the reason, her photos stay whole, and a step that needs her files fails
    // saying why, to be tried again (not a job that dies before any step could say it)
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(ROCKS))]), 'later.jpg');
    const refusedUpload = await fetch(`${server.url}/api/photos`, {
      method: 'POST',
      body: form,
      headers: { cookie: cookies.ann!, origin: server.url },
    });
    expect(refusedUpload.status).toBe(503);
    expect(JSON.stringify(await refusedUpload.json())).toMatch(/storage location disk2 is not set up/);
    expect((await as('ann', `/api/photos/${annPhotos[0]!.id}?force=true`, { method: 'DELETE' })).status).toBe(503);
    expect((await as('ann', `/api/photos/${annPhotos[0]!.id}`)).status).toBe(200);
    const photoId = annPhotos[0]!.id;
    await server.lib.db.execute(sql`update photo_steps set status = 'pending' where photo_id = ${photoId}::uuid and step = 'palette'`);
    await server.lib.queue.add(photoId);
    let step: { status: string; error: string | null; retry_at: string | null } | undefined;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      [step] = await rows<{ status: string; error: string | null; retry_at: string | null }>(
        server.lib.db,
        sql`select status, error, retry_at::text from photo_steps where photo_id = ${photoId}::uuid and step = 'palette'`,
      );
      if (step?.status === 'failed') break;
    }
    expect(step).toMatchObject({ status: 'failed' });
    expect(step!.error).toMatch(/storage location disk2 is not set up on this server.*trying again in \d+ s/);
    expect(step!.retry_at).not.toBeNull();
    // the owner (the library's key) works on in the main store
    const { body } = await upload(server.url, [{ path: ROCKS }]);
    const mine = body.items[0].id as string;
    expect((await waitForTerminal(server.url, [mine]))[mine]).toBe('completed');
    expect((await authFetch(`${server.url}/api/photos/${mine}/thumbnail`)).status).toBe(200);
    expect(filesUnder(path.join(server.dataDir, 'originals'))).toHaveLength(1);
  });
});
