// Libraries in place against a hostile user: exclusion patterns that would backtrack for ever (the server must go on
// answering), and folders of another user's library (refused, whatever way they are reached; never written into).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InPlaceWatchers } from '../../src/app/in-place-scans.js';
import { inPlaceLibraries } from '../../src/db/schema.js';
import { WATCH_MATCH_SHARE } from '../../src/library/in-place/match-time.js';
import type { Resources } from '../../src/library/library.js';
import { assets, json, onPostgres, startTestServer, type TestServer, withoutFacesOrText } from '../helpers/server.js';

/** Asks for /api/health every 50 ms from a thread of its own until `slowest()`, which answers the slowest answer in ms. */
function healthProbe(url: string): { slowest(): Promise<number> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     let stop = false;
     let slowest = 0;
     parentPort.once('message', () => { stop = true; });
     (async () => {
       while (!stop) {
         const started = performance.now();
         await fetch(workerData + '/api/health', { signal: AbortSignal.timeout(60000) }).then((r) => r.text()).catch(() => { slowest = Infinity; });
         slowest = Math.max(slowest, performance.now() - started);
         await new Promise((resolve) => setTimeout(resolve, 50));
       }
       parentPort.postMessage(slowest);
     })();`,
    { eval: true, workerData: url },
  );
  return {
    slowest: () =>
      new Promise<number>((resolve) => {
        worker.once('message', (slowest: number) => void worker.terminate().then(() => resolve(slowest)));
        worker.postMessage('stop');
      }),
  };
}

const ROCKS = path.join(assets, 'formats/jpg/el_torcal_rocks.jpg');
const PORTRAIT = path.join(assets, 'metadata/faces/portrait.jpg');

describe('libraries in place: hostile patterns and other users’ folders', () => {
  let server: TestServer;
  let root: string;
  let bobKey: string;
  let bobId: string;

  const api = (route: string, init: { method?: string; json?: unknown } = {}) => json(`${server.url}${route}`, init);
  const asBob = (route: string, init: { method?: string; json?: unknown } = {}) => json(`${server.url}${route}`, { ...init, headers: { 'x-api-key': bobKey } });
  const until = async <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> => {
    for (const deadline = Date.now() + timeoutMs; ;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** A folder under the root with these files, settled a while ago. */
  const folderWith = (name: string, files: Record<string, string> = {}) => {
    const folder = path.join(root, name);
    fs.mkdirSync(folder, { recursive: true });
    const past = new Date(Date.now() - 60_000);
    for (const [file, source] of Object.entries(files)) {
      fs.copyFileSync(source, path.join(folder, file));
      fs.utimesSync(path.join(folder, file), past, past);
    }
    return folder;
  };

  beforeAll(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-in-place-security-')));
    server = await startTestServer(withoutFacesOrText({ libraryRoots: [root], librarySettleMs: 300, libraryWatch: 'off', libraryExcludeSeconds: 2 }));
    const bob = await api('/api/admin/users', { method: 'POST', json: { name: 'Bob', email: 'bob@example.org', password: 'bob password 1' } });
    expect(bob.status).toBe(201);
    bobId = bob.body.id;
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: 'bob@example.org', password: 'bob password 1' }),
    });
    const cookie = /shoebox_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const key = await json(`${server.url}/api/api-keys`, {
      method: 'POST',
      json: { name: 'bob', scopes: ['read', 'write'] },
      headers: { cookie, origin: server.url },
    });
    expect(key.status).toBe(201);
    bobKey = key.body.key;
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses exclusion patterns over the limits with the reason, on adding a library and on changing one', async () => {
    const empty = folderWith('empty');
    const refused: [string[], RegExp][] = [
      [[`${'*a'.repeat(20)}b`], /at most 16 wildcards/],
      [['x'.repeat(300)], /at most 256 characters/],
      [['!**/keep/**'], /negation/],
      [['{a,b}'.repeat(6)], /more than 32 patterns/],
      [['@(a|b).jpg'], /not supported/],
    ];
    for (const [exclude, reason] of refused) {
      const answer = await api('/api/libraries', { method: 'POST', json: { name: 'Bad', paths: [empty], exclude } });
      expect(answer.status, JSON.stringify(exclude)).toBe(400);
      expect(answer.body.message).toMatch(reason);
    }
    const fine = await api('/api/libraries', { method: 'POST', json: { name: 'Fine', paths: [empty], exclude: ['**/@eaDir/**'] } });
    expect(fine.status).toBe(201);
    for (const [exclude, reason] of refused) {
      const answer = await api(`/api/libraries/${fine.body.id}`, { method: 'PATCH', json: { exclude } });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(reason);
    }
    expect((await api(`/api/libraries/${fine.body.id}`)).body.exclude).toEqual(['**/@eaDir/**']);
    expect((await api(`/api/libraries/${fine.body.id}`, { method: 'DELETE' })).status).toBe(200);
  });

  it('scans against a pattern that backtracks in a regex while the server answers within a second', async () => {
    const long = `${'a'.repeat(60)}.jpg`;
    const folder = folderWith('slow', { 'rocks.jpg': ROCKS, [long]: PORTRAIT, [`b${long}`]: PORTRAIT });
    // the server is asked from another thread: its own event loop sees a stalled server, not a stalled test
    const probe = healthProbe(server.url);
    const created = await api('/api/libraries', { method: 'POST', json: { name: 'Slow', paths: [folder], exclude: ['*a*a*a*a*a*a*b'] } });
    expect(created.status).toBe(201);
    const done = await until(
      'the scan',
      async () => {
        const library = (await api(`/api/libraries/${created.body.id}`)).body;
        return library.scanState !== 'queued' && library.scanState !== 'scanning' && library;
      },
      30_000,
    );
    expect(await probe.slowest()).toBeLessThan(1000);
    expect(done.scanState).toBe('idle');
    expect(done.counts.files).toBe(3);
    expect((await api(`/api/libraries/${created.body.id}`, { method: 'DELETE' })).status).toBe(200);
  });

  it('refuses another user’s library folder: the same, inside it, around it, or through a link (409)', async () => {
    const annFolder = folderWith('ann', { 'rocks.jpg': ROCKS });
    fs.mkdirSync(path.join(annFolder, 'sub'));
    fs.symlinkSync(annFolder, path.join(root, 'ann-link'));
    const ann = await api('/api/libraries', { method: 'POST', json: { name: 'Ann', paths: [annFolder] } });
    expect(ann.status).toBe(201);
    const bobFolder = folderWith('bob');

    const link = path.join(root, 'ann-link');
    const ways = [annFolder, path.join(annFolder, 'sub'), root, link, path.join(link, 'sub'), `${root}/bob/../ann`];
    for (const folder of ways) {
      const answer = await asBob('/api/libraries', { method: 'POST', json: { name: 'Mine', paths: [folder] } });
      expect(answer.status, folder).toBe(409);
      expect(answer.body.message).toMatch(/another user’s library/);
      expect(answer.body.message).not.toContain('“Ann”'); // nothing of the other library is told
    }
    // an admin adding a library for Bob is refused alike
    const forBob = await api('/api/libraries', { method: 'POST', json: { name: 'For Bob', paths: [path.join(annFolder, 'sub')], ownerId: bobId } });
    expect(forBob.status).toBe(409);
    // Bob's own folder is fine; moving it onto Ann's is not
    const bob = await asBob('/api/libraries', { method: 'POST', json: { name: 'Bob', paths: [bobFolder] } });
    expect(bob.status).toBe(201);
    for (const paths of [[bobFolder, path.join(annFolder, 'sub')], [path.join(root, 'ann-link')]]) {
      expect((await asBob(`/api/libraries/${bob.body.id}`, { method: 'PATCH', json: { paths } })).status).toBe(409);
    }
    expect((await asBob(`/api/libraries/${bob.body.id}`)).body.paths).toEqual([bobFolder]);
    // one user's two libraries on the same files would make every photo twice: refused too
    const twice = await api('/api/libraries', { method: 'POST', json: { name: 'Again', paths: [path.join(annFolder, 'sub')] } });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/your library “Ann”/);
    // a library keeps its own folders when changed
    expect((await api(`/api/libraries/${ann.body.id}`, { method: 'PATCH', json: { paths: [annFolder], name: 'Ann’s' } })).status).toBe(200);
    expect((await asBob('/api/libraries')).body.items).toHaveLength(1);
  });

  it('tells a share link’s visitor why a photo in place cannot be had, never where its file is (its owner is told)', async () => {
    // bytes of their own: the corpus files are photos of other tests' libraries already (one photo per content)
    const folder = folderWith('shared');
    const past = new Date(Date.now() - 60_000);
    for (const [name, source] of [
      ['rocks.jpg', ROCKS],
      ['portrait.jpg', PORTRAIT],
    ]) {
      fs.writeFileSync(path.join(folder, name!), Buffer.concat([fs.readFileSync(source!), Buffer.from(`shared ${name}`)]));
      fs.utimesSync(path.join(folder, name!), past, past);
    }
    const library = await api('/api/libraries', { method: 'POST', json: { name: 'Shared', paths: [folder] } });
    expect(library.status).toBe(201);
    const photos = await until('the shared photos analysed', async () => {
      const items = (await api('/api/photos?limit=100')).body.items as { id: string; filename: string; state: string }[];
      const mine = items.filter((item) => item.filename === 'rocks.jpg' || item.filename === 'portrait.jpg');
      const fromFolder = await Promise.all(mine.map(async (item) => ({ ...item, source: (await api(`/api/photos/${item.id}`)).body.sourcePath as string })));
      const shared = fromFolder.filter((item) => item.source.startsWith(folder));
      return shared.length === 2 && shared.every((item) => ['completed', 'partial', 'failed'].includes(item.state)) && shared;
    });
    const idOf = (name: string) => photos.find((photo) => photo.filename === name)!.id;
    const links = await Promise.all(
      [false, true].map(async (keepMetadata) => {
        const link = await api('/api/shared-links', { method: 'POST', json: { photoIds: photos.map((photo) => photo.id), allowDownload: true, keepMetadata } });
        expect(link.status).toBe(201);
        return link.body.token as string;
      }),
    );
    // rocks.jpg is written to after the scan; portrait.jpg is replaced by a folder
    fs.appendFileSync(path.join(folder, 'rocks.jpg'), 'edited');
    fs.rmSync(path.join(folder, 'portrait.jpg'));
    fs.mkdirSync(path.join(folder, 'portrait.jpg'));
    const cases = [
      ['rocks.jpg', 409, /^the photo's file changed since it was last read: try again later$/],
      ['portrait.jpg', 404, /^the photo's file cannot be read$/],
    ] as const;
    for (const [name, status, reason] of cases) {
      for (const token of links) {
        const visitor = await json(`${server.url}/api/s/${token}/photos/${idOf(name)}/original`, { anonymous: true });
        expect(visitor.status, name).toBe(status);
        expect(visitor.body.message).toMatch(reason);
        expect(visitor.body.message).not.toContain(root);
      }
      const owner = await api(`/api/photos/${idOf(name)}/original`);
      expect(owner.status).toBe(status);
      expect(owner.body.message).toContain(path.join(folder, name));
    }
  });

  /** A library as it could be made before overlapping folders were refused: straight into the database. */
  const oldLibrary = async (ownerId: string, name: string, paths: string[], writeBack = false) => {
    const [row] = await server.lib.db
      .insert(inPlaceLibraries)
      .values({ ownerId, name, paths, exclude: [], writeBack, watch: 'off', scanState: 'idle' })
      .returning({ id: inPlaceLibraries.id });
    return row!.id;
  };
  const removeBobsLibraries = async () => {
    for (const item of (await asBob('/api/libraries')).body.items) await asBob(`/api/libraries/${item.id}`, { method: 'DELETE' });
  };
  const scanAsBob = async (id: string) => {
    const before = (await asBob(`/api/libraries/${id}`)).body.lastScanAt;
    expect((await asBob(`/api/libraries/${id}/scan`, { method: 'POST' })).status).toBe(202);
    return until('Bob’s scan', async () => {
      const library = (await asBob(`/api/libraries/${id}`)).body;
      return library.scanState === 'idle' && library.lastScanAt !== before && library;
    });
  };

  it('never writes a sidecar into a folder another user’s library has, from a library made before the check', async () => {
    await removeBobsLibraries();
    const annFolder = folderWith('ann-written', { 'rocks.jpg': ROCKS });
    const ownFolder = folderWith('bob-old', { 'portrait.jpg': PORTRAIT });
    // Bob's library, written back, on a folder of his own and on one Ann later made a library of too
    const old = await oldLibrary(bobId, 'Old', [annFolder, ownFolder], true);
    await scanAsBob(old);
    await oldLibrary(server.lib.ownerId, 'Ann written', [annFolder]);
    const photos = await until('Bob’s photos analysed', async () => {
      const items = (await asBob('/api/photos?limit=100')).body.items as { id: string; filename: string; state: string }[];
      return items.length === 2 && items.every((item) => ['completed', 'partial', 'failed'].includes(item.state)) && items;
    });
    for (const photo of photos) expect((await asBob(`/api/photos/${photo.id}`, { method: 'PATCH', json: { rating: 5 } })).status).toBe(200);
    // his own folder gets its sidecar (write-back runs), Ann's none
    await until('Bob’s own sidecar', async () => fs.existsSync(path.join(ownFolder, 'portrait.jpg.xmp')), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(fs.readdirSync(annFolder)).toEqual(['rocks.jpg']);
  });

  it('leaves out of a scan the folders of another user’s earlier library (a library made before the check)', async () => {
    await removeBobsLibraries();
    const house = folderWith('house', { 'portrait.jpg': PORTRAIT });
    const annFolder = folderWith('house/ann', { 'rocks.jpg': ROCKS });
    expect((await api('/api/libraries', { method: 'POST', json: { name: 'Ann’s house', paths: [annFolder] } })).status).toBe(201);
    // Bob's library around Ann's folder, and one inside it
    const around = await oldLibrary(bobId, 'Around', [house]);
    const inside = await oldLibrary(bobId, 'Inside', [annFolder]);
    await scanAsBob(around);
    expect((await asBob(`/api/libraries/${around}/files`)).body.items.map((file: { path: string }) => file.path)).toEqual([path.join(house, 'portrait.jpg')]);
    const scanned = await scanAsBob(inside);
    expect(scanned.scan.missingRoots).toEqual([annFolder]);
    expect((await asBob(`/api/libraries/${inside}/files`)).body.total).toBe(0);
  });

  // scheduling and matching are the process's, the same on both engines: run once
  it.skipIf(onPostgres())('bounds the patterns’ time per scan, not per folder, and scans another user’s library while a slow one runs', async () => {
    await removeBobsLibraries();
    // Bob's library: three folders, each of 300 folders with long names, against 58 patterns within the limits that
    // each take a while per name (some 5 s of matching in all, under 2 s a folder)
    const folders = ['slow-1', 'slow-2', 'slow-3'].map((name) => {
      const folder = folderWith(name);
      for (let i = 0; i < 300; i++) fs.mkdirSync(path.join(folder, `${'a'.repeat(200)}${i}`));
      return folder;
    });
    const ends = 'bcdefghijklmnopqrstuvwxyz0123456789'.split('');
    const exclude = [...ends, ...ends.map((end) => `${end}${end}`)].slice(0, 58).map((end) => `**/${'*a'.repeat(14)}*${end}`);
    const slow = await asBob('/api/libraries', { method: 'POST', json: { name: 'Slow', paths: folders, exclude } });
    expect(slow.status).toBe(201);
    const bobs = async () => (await asBob(`/api/libraries/${slow.body.id}`)).body;
    await until('Bob’s scan under way', async () => (await bobs()).scanState === 'scanning');
    // the admin's library, added while Bob's scan runs, is scanned at once
    const quick = await api('/api/libraries', { method: 'POST', json: { name: 'Quick', paths: [folderWith('quick', { 'rocks.jpg': ROCKS })] } });
    expect(quick.status).toBe(201);
    const ann = await until('the admin’s scan', async () => {
      const library = (await api(`/api/libraries/${quick.body.id}`)).body;
      return library.scanState === 'idle' && library.lastScanAt && library;
    });
    const bob = await until('Bob’s scan', async () => {
      const library = await bobs();
      return library.scanState !== 'queued' && library.scanState !== 'scanning' && library;
    });
    expect(Date.parse(ann.scan.finishedAt)).toBeLessThan(Date.parse(bob.scan.finishedAt));
    expect(ann.counts.files).toBe(1);
    // Bob's scan stopped once its matching had taken the time one scan may take (2 s here), whatever its folders
    expect(bob.scanState).toBe('failed');
    expect(bob.scanError).toMatch(/matching the exclusion patterns took more than 2 s: simplify them/);
  });

  it.skipIf(onPostgres())('stops watching a library whose patterns take a watcher its whole time to match', async () => {
    // Bob's slow library of the test above, watched: chokidar asks about each of its 900 folders as it sets up
    const slow = (await asBob('/api/libraries')).body.items.find((library: { name: string }) => library.name === 'Slow');
    expect((await asBob(`/api/libraries/${slow.id}`, { method: 'PATCH', json: { watch: 'auto' } })).status).toBe(200);
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const watchers = new InPlaceWatchers({ ...server.lib, settings: { ...server.lib.settings, libraryWatch: 'auto' }, logger } as Resources);
    try {
      const started = Date.now();
      await watchers.start();
      await until('the watcher given up', async () => warnings.find((line) => line.includes('library not watched')), 30_000);
      // 2 s of matching (SHOEBOX_LIBRARY_EXCLUDE_SECONDS here), where chokidar would otherwise match for some 15 s
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(JSON.parse(warnings[0]!)).toMatchObject({ libraryId: slow.id, seconds: 2 });
    } finally {
      await watchers.close();
    }
  });

  it.skipIf(onPostgres())('keeps watching a busy folder for ever, and gives up one whose events outrun the time its patterns get back', async () => {
    await removeBobsLibraries();
    // a camera's upload folder, its patterns ~1 ms a name (within the limits); the watcher's time lowered to 0.1 s
    const folder = folderWith('uploads');
    const exclude = 'bcdefhikmn'.split('').map((end) => `**/${'*a'.repeat(8)}*${end}`);
    const uploads = await asBob('/api/libraries', { method: 'POST', json: { name: 'Uploads', paths: [folder], exclude, watch: 'auto' } });
    expect(uploads.status).toBe(201);
    const lines: { libraryId?: string; msg: string; matchingMs?: number }[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const limitMs = 100;
    const settings = { ...server.lib.settings, libraryWatch: 'auto' as const, libraryExcludeSeconds: limitMs / 1000, librarySettleMs: 0 };
    const watchers = new InPlaceWatchers({ ...server.lib, settings, logger } as Resources);
    const of = (msg: string) => lines.filter((line) => line.libraryId === uploads.body.id && line.msg.startsWith(msg));
    const givenUp = () => of('library not watched:').length > 0;
    const spent = () => of('library changed: scan asked').at(-1)?.matchingMs ?? 0;
    try {
      await watchers.start();
      await until('the folder watched', async () => of('library watched').length > 0, 10_000);
      const started = performance.now();
      // files arrive at a busy folder's pace (its matching within the share of time that comes back) until the watcher
      // has matched for twice the time it had in all before (it was given up at 0.1 s)
      for (let round = 0; spent() < 2 * limitMs; round++) {
        expect(round).toBeLessThan(300);
        const asked = of('library changed: scan asked').length;
        const names = [0, 1, 2].map((i) => path.join(folder, `${'a'.repeat(100)}-${round}-${i}.jpg`));
        for (const name of names) fs.writeFileSync(name, 'not yet a photo');
        await until('the files seen', async () => givenUp() || of('library changed: scan asked').length > asked, 10_000);
        expect(givenUp(), `given up after ${spent()} ms of matching`).toBe(false);
        // taken away (as a phone's sync moves them on): chokidar asks about every file in the folder on each change
        for (const name of names) fs.rmSync(name);
        const due = (spent() - limitMs / 4) / WATCH_MATCH_SHARE - (performance.now() - started);
        if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      }
      // still watching: a file written now is seen
      const asked = of('library changed: scan asked').length;
      fs.writeFileSync(path.join(folder, 'a-last.jpg'), 'not yet a photo');
      await until('the last file seen', async () => of('library changed: scan asked').length > asked, 10_000);
      expect(givenUp()).toBe(false);
      // files faster than the time comes back: given up
      for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(folder, `${'a'.repeat(200)}-burst-${i}.jpg`), 'not yet a photo');
      await until('the watcher given up', async () => givenUp(), 10_000);
    } finally {
      await watchers.close();
    }
  });
});
