import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { livePhoto } from '../helpers/clips.js';
import { CODE_URL, screenshotWithCodes } from '../helpers/codes.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { assets, authFetch, json, startTestServer, tempDir, upload, waitForTerminal, withoutFacesOrText } from '../helpers/server.js';

// Backups: scheduled ones while the server runs (kept to SHOEBOX_BACKUP_KEEP, originals hard-linked between them),
// `shoebox backup` of a stopped library, and `shoebox restore` bringing a library back identical.
describe('backups', () => {
  const folders: string[] = [];
  const folder = (prefix?: string) => {
    const dir = tempDir(prefix);
    folders.push(dir);
    return dir;
  };
  const sourceDir = folder();
  const backups = folder('shoebox-backups-');
  const files = ['formats/jpg/el_torcal_rocks.jpg', 'formats/png/density_plot.png'];
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  let ids: string[] = [];
  let albumId = '';
  let liveMov: Buffer;
  let postgres: PostgresServer;

  beforeAll(async () => {
    postgres = await startPostgresServer();
    const server = await startTestServer(
      withoutFacesOrText({ dataDir: sourceDir, databaseUrl: undefined, backupDir: backups, backupEveryHours: 0.0008, backupKeep: 2 }),
    );
    try {
      // and a screenshot with QR codes and barcodes: the codes step's rows (photo_codes) go with the library
      const { body } = await upload(server.url, [...files.map((file) => ({ path: path.join(assets, file) })), { path: await screenshotWithCodes(folder()) }]);
      ids = body.items.map((item: { id: string }) => item.id);
      await waitForTerminal(server.url, ids);
      // a Live Photo: its MOV (arrived first) is an original of the still's
      const live = await livePhoto('IMG_0808', '1A2B3C4D-0000-4000-8000-000000000808');
      const mov = (await upload(server.url, [{ path: live.mov }])).body.items[0].id as string;
      await waitForTerminal(server.url, [mov]);
      const still = (await upload(server.url, [{ path: live.still }])).body.items[0].id as string;
      await waitForTerminal(server.url, [still]);
      expect((await json(`${server.url}/api/photos/${mov}`)).status).toBe(404);
      liveMov = fs.readFileSync(live.mov);
      ids.push(still);
      albumId = (await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'Kept safe', photoIds: [ids[0]] } })).body.id;
      const user = await json(`${server.url}/api/admin/users`, {
        method: 'POST',
        json: { name: 'Bea', email: 'bea@example.org', password: 'a long enough password' },
      });
      expect(user.status).toBe(201);
      // scheduled backups every ~3 s: wait for the third to finish, then only two are kept
      const deadline = Date.now() + 60_000;
      const finished = () => fs.readdirSync(backups).filter((name) => fs.existsSync(path.join(backups, name, 'manifest.json')));
      const seen = new Set<string>();
      while (Date.now() < deadline && seen.size < 3) {
        for (const name of finished()) seen.add(name);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(seen.size).toBeGreaterThanOrEqual(3);
    } finally {
      await server.close();
    }
  }, 300_000);
  afterAll(async () => {
    await postgres?.stop();
    for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A server on a restored library: the photos with their bytes, the album, the second account. */
  const checkRestored = async (dataDir: string, expectedIds = ids) => {
    const server = await startTestServer(withoutFacesOrText({ dataDir, databaseUrl: undefined }));
    try {
      const listed = await json(`${server.url}/api/photos?limit=50`);
      expect(listed.body.items.map((photo: { id: string }) => photo.id).sort()).toEqual([...expectedIds].sort());
      for (const id of expectedIds) {
        const original = Buffer.from(await (await authFetch(`${server.url}/api/photos/${id}/original`)).arrayBuffer());
        const [detail] = [await json(`${server.url}/api/photos/${id}`)];
        expect(sha(original)).toBe(detail.body.sha256);
        expect((await authFetch(`${server.url}/api/photos/${id}/thumbnail`)).status).toBe(200);
        if (detail.body.filename === 'boarding-screenshot.png') expect(detail.body.codes.map((code: { text: string }) => code.text)).toContain(CODE_URL);
        if (detail.body.motion) {
          const mov = Buffer.from(await (await authFetch(`${server.url}/api/photos/${id}/original?part=motion`)).arrayBuffer());
          expect(mov.equals(liveMov)).toBe(true);
          expect((await authFetch(`${server.url}/api/photos/${id}/video`)).status).toBe(200); // its playable copy came too
        }
      }
      return server;
    } catch (error) {
      await server.close();
      throw error;
    }
  };

  it('keeps the newest scheduled backups, with the originals they share hard-linked', () => {
    const kept = fs.readdirSync(backups).sort();
    expect(kept).toHaveLength(2);
    const [older, newer] = kept.map((name) => JSON.parse(fs.readFileSync(path.join(backups, name, 'manifest.json'), 'utf8')));
    expect(newer.originals).toHaveLength(5); // three photos, a Live Photo's still and its MOV
    expect(newer.rows.photos).toBe(4);
    expect(newer.rows.photo_codes).toBe(3); // the screenshot's Code 128, Data Matrix and QR code
    const key = newer.originals[0].key as string;
    const inode = (name: string) => fs.statSync(path.join(backups, name, 'library', key)).ino;
    expect(inode(kept[0]!)).toBe(inode(kept[1]!)); // one copy on disk for both backups
    expect(older.createdAt < newer.createdAt).toBe(true);
  });

  it('backs up a stopped library and restores it identical: photos, album, accounts', async () => {
    const dir = path.join(folder(), 'snapshot');
    const backup = await runCli(['backup', dir, '--data', sourceDir]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/Backed up \d+ rows and 5 originals into/);
    const target = folder();
    const restore = await runCli(['restore', dir, '--data', target]);
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    expect(restore.stdout).toMatch(/Restored the backup of .+, verified/);
    const server = await checkRestored(target);
    try {
      // the album's counts are the target's triggers' own, not copied on top of them
      expect((await json(`${server.url}/api/albums/${albumId}`)).body).toMatchObject({ name: 'Kept safe', photoCount: 1 });
      const users = await json(`${server.url}/api/admin/users`);
      expect(users.body.items.map((user: { email: string | null }) => user.email)).toContain('bea@example.org');
    } finally {
      await server.close();
    }
    // the restored library has moved on since (its server made its own API key): restoring over it says what differs
    const again = await runCli(['restore', dir, '--data', target]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/rows differ in api_keys: \d+ in the source, \d+ in the target/);
  }, 300_000);

  // Each of these starts servers and CLI processes (PGlite's start is CPU-bound): on a machine busy with the other
  // project's cluster tests they take several times as long as alone (23 s together here, over 180 s in one CI run).
  it('restores a scheduled backup', async () => {
    const scheduled = path.join(backups, fs.readdirSync(backups).sort().at(-1)!);
    const target = folder();
    const restore = await runCli(['restore', scheduled, '--data', target]);
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    await (await checkRestored(target)).close();
  }, 300_000);

  it('backs up a PostgreSQL library as one snapshot while it serves', async () => {
    const databaseUrl = await postgres.createDatabase('backed');
    const onPostgres = await startTestServer(withoutFacesOrText({ dataDir: folder(), databaseUrl }));
    const { body } = await upload(onPostgres.url, [{ path: path.join(assets, files[1]!) }]);
    await waitForTerminal(onPostgres.url, [body.items[0].id]);
    const dir = path.join(folder(), 'from-postgres');
    const backup = await runCli(['backup', dir, '--data', onPostgres.dataDir], { DATABASE_URL: databaseUrl }); // while it serves
    await onPostgres.close();
    expect(backup.code, backup.stderr).toBe(0);
    const into = folder();
    const restored = await runCli(['restore', dir, '--data', into], { DATABASE_URL: '' });
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    await (await checkRestored(into, [body.items[0].id])).close();
  }, 300_000);
});
