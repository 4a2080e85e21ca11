import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localKeyPath } from '../../src/auth/local-key-file.js';
import { rows } from '../../src/db/connection.js';
import { authFetch, json, startTestServer, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

/** This file's own ExifTool (the package's shared one would be ended for the files run after it in this process). */
const exiftool = new ExifTool();

// Files of libraries in place replaced by symbolic links after the scan (to a secret outside the allowed roots, to
// the data folder's admin key), sidecars that are links out of the library, and photos offline: none of them is
// served, read as metadata, copied or written through, in a watched and an unwatched library. Links that stay
// inside the library keep working.
describe('libraries in place: links and sidecars', () => {
  let server: TestServer;
  let root: string;
  let outside: string;
  let secretImage: Buffer;
  let secretText: string;
  let keyFile: string;
  let adminKey: string;
  const ids: Record<string, string> = {};
  const libs = { unwatched: '', watched: '' };

  const api = (route: string, init: { method?: string; json?: unknown; anonymous?: boolean } = {}) => json(`${server.url}${route}`, init);
  const until = async <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> => {
    for (const deadline = Date.now() + timeoutMs; ;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const scan = async (libraryId: string) => {
    const before = (await api(`/api/libraries/${libraryId}`)).body.lastScanAt;
    expect((await api(`/api/libraries/${libraryId}/scan`, { method: 'POST' })).status).toBe(202);
    return until('the scan', async () => {
      const current = (await api(`/api/libraries/${libraryId}`)).body;
      return current.scanState === 'idle' && current.lastScanAt !== before && current.scan;
    });
  };
  const photo = async (id: string) => (await api(`/api/photos/${id}`)).body;
  const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());
  /** Whether a response or file holds any of the secrets. */
  const leaks = (data: Buffer): boolean =>
    data.includes(secretImage.subarray(200, 1200)) || data.includes(Buffer.from(secretText)) || data.includes(Buffer.from(adminKey));
  const image = (r: number, g: number, b: number) =>
    sharp({ create: { width: 96, height: 64, channels: 3, background: { r, g, b } } })
      .jpeg()
      .toBuffer();
  const swapForLink = (file: string, target: string) => {
    fs.rmSync(file);
    fs.symlinkSync(target, file);
  };
  /** Every regular file under a folder (links not followed). */
  const regularFiles = (folder: string): string[] =>
    fs
      .readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
  const stepOf = async (photoId: string, step: string) =>
    (
      await rows<{ status: string; error: string | null }>(
        server.lib.db,
        sql`select status, error from photo_steps where photo_id = ${photoId}::uuid and step = ${step}`,
      )
    )[0]!;
  const shareLink = async (photoIds: string[]) => {
    const created = await api('/api/shared-links', { method: 'POST', json: { photoIds, allowDownload: true } });
    expect(created.status).toBe(201);
    return created.body.token as string;
  };
  const waitForLibrary = (libraryId: string) =>
    until('the first scan', async () => {
      const current = (await api(`/api/libraries/${libraryId}`)).body;
      return current.scanState === 'idle' && current.lastScanAt && current;
    });
  const byName = async (name: string) =>
    ((await api('/api/photos?limit=100')).body.items as { id: string; filename: string }[]).find((item) => item.filename === name)?.id;

  beforeAll(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-links-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-outside-')));
    secretImage = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 200, g: 10, b: 10 } } })
      .jpeg({ quality: 100 })
      .toBuffer();
    fs.writeFileSync(path.join(outside, 'secret.jpg'), secretImage);
    secretText = `TOP-SECRET-${Math.random().toString(36).slice(2)}`;
    fs.writeFileSync(path.join(outside, 'shadow.txt'), `${secretText}\n`);
    await exiftool.write(path.join(outside, 'secret.xmp'), { Description: 'SECRET-SIDECAR', Subject: ['secretkw'] } as never, {
      writeArgs: ['-overwrite_original'],
    });
    await exiftool.write(path.join(outside, 'secret-late.xmp'), { Description: 'SECRET-LATE' } as never, { writeArgs: ['-overwrite_original'] });

    const unwatched = path.join(root, 'Unwatched');
    const watched = path.join(root, 'Watched');
    for (const dir of [unwatched, path.join(unwatched, '_store'), watched]) fs.mkdirSync(dir, { recursive: true });
    const shades: [string, number][] = [
      ['linked.jpg', 10],
      ['keyed.jpg', 30],
      ['gone.jpg', 50],
      ['side-ext.jpg', 70],
      ['side-stem.jpg', 90],
      ['side-late.jpg', 110],
      ['_store/real.jpg', 130],
      ['inside-side.jpg', 150],
      ['edited.jpg', 190],
    ];
    for (const [name, shade] of shades) fs.writeFileSync(path.join(unwatched, name), await image(shade, 200, 255 - shade));
    fs.writeFileSync(path.join(watched, 'watched.jpg'), await image(170, 40, 90));
    // sidecars: links out of the library (`name.ext.xmp` and Lightroom's `name.xmp`, to the data folder's key), a
    // real one replaced by a link later, and a link that stays inside the library
    fs.symlinkSync(path.join(outside, 'secret.xmp'), path.join(unwatched, 'side-ext.jpg.xmp'));
    await exiftool.write(path.join(unwatched, 'side-late.jpg.xmp'), { Description: 'legit' } as never, { writeArgs: ['-overwrite_original'] });
    await exiftool.write(path.join(unwatched, '_store', 'shared.xmp'), { Description: 'Inside description' } as never, {
      writeArgs: ['-overwrite_original'],
    });
    fs.symlinkSync(path.join(unwatched, '_store', 'shared.xmp'), path.join(unwatched, 'inside-side.jpg.xmp'));
    // a photo that is a link inside the library: its file is in a folder the library leaves out
    fs.symlinkSync(path.join(unwatched, '_store', 'real.jpg'), path.join(unwatched, 'alias.jpg'));
    const past = new Date(Date.now() - 60_000);
    for (const file of regularFiles(root)) fs.utimesSync(file, past, past);

    // the data folder inside the allowed root, beside the libraries (its key file is inside the root, outside the libraries)
    server = await startTestServer(withoutFacesOrText({ dataDir: path.join(root, 'shoebox-data'), libraryRoots: [root], librarySettleMs: 300 }));
    keyFile = localKeyPath(server.dataDir);
    adminKey = fs.readFileSync(keyFile, 'utf8').trim();
    fs.symlinkSync(keyFile, path.join(unwatched, 'side-stem.xmp'));

    const u = await api('/api/libraries', { method: 'POST', json: { name: 'Unwatched', paths: [unwatched], exclude: ['**/_store/**'], watch: 'off' } });
    expect(u.status).toBe(201);
    libs.unwatched = u.body.id as string;
    const w = await api('/api/libraries', { method: 'POST', json: { name: 'Watched', paths: [watched] } });
    expect(w.status).toBe(201);
    expect(w.body.watch).toBe('auto');
    libs.watched = w.body.id as string;
    await waitForLibrary(libs.unwatched);
    await waitForLibrary(libs.watched);
    for (const name of [
      'linked.jpg',
      'keyed.jpg',
      'gone.jpg',
      'side-ext.jpg',
      'side-stem.jpg',
      'side-late.jpg',
      'alias.jpg',
      'inside-side.jpg',
      'edited.jpg',
      'watched.jpg',
    ]) {
      ids[name] = (await until(`the photo ${name}`, () => byName(name)))!;
    }
    await waitForTerminal(server.url, Object.values(ids));
  }, 180_000);

  afterAll(async () => {
    await exiftool.end(); // its perl process would outlive this file, reading on for ever (-stay_open)
    await server?.dispose();
    for (const dir of [root, outside]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps links inside the library working: a photo that is a link, a sidecar that is a link', async () => {
    const original = await authFetch(`${server.url}/api/photos/${ids['alias.jpg']}/original`);
    expect(original.status).toBe(200);
    expect((await bytes(original)).equals(fs.readFileSync(path.join(root, 'Unwatched', '_store', 'real.jpg')))).toBe(true);
    // the pipeline read them (through the descriptors it was lent)
    for (const step of ['preprocessing', 'metadata']) expect(await stepOf(ids['alias.jpg']!, step)).toMatchObject({ status: 'done', error: null });
    expect((await photo(ids['inside-side.jpg']!)).metadata?.description).toBe('Inside description');
    expect((await photo(ids['side-late.jpg']!)).metadata?.description).toBe('legit');
  });

  it('never reads a sidecar that is a link out of the library (`name.ext.xmp`, `name.xmp`)', async () => {
    for (const name of ['side-ext.jpg', 'side-stem.jpg']) {
      const found = await photo(ids[name]!);
      expect(found.metadata?.description ?? null).toBeNull();
      expect(found.metadata?.keywords ?? []).not.toContain('secretkw');
      expect(found.hasSidecar).toBe(false);
    }
  });

  it('serves no original of a photo replaced by a link out of the library, nor through a share link, nor in a ZIP (unwatched)', async () => {
    const unwatched = path.join(root, 'Unwatched');
    const token = await shareLink([ids['linked.jpg']!, ids['keyed.jpg']!]);
    const album = (await api('/api/albums', { method: 'POST', json: { name: 'Swapped', photoIds: [ids['linked.jpg']] } })).body.id;
    swapForLink(path.join(unwatched, 'linked.jpg'), path.join(outside, 'secret.jpg'));
    swapForLink(path.join(unwatched, 'keyed.jpg'), keyFile);
    for (const name of ['linked.jpg', 'keyed.jpg']) {
      for (const route of [`/api/photos/${ids[name]}/original`, `/api/photos/${ids[name]}/original?download=1`]) {
        const response = await authFetch(`${server.url}${route}`);
        expect(leaks(await bytes(response))).toBe(false);
        expect(response.status).toBe(404);
      }
      const visited = await authFetch(`${server.url}/api/s/${token}/photos/${ids[name]}/original`, { anonymous: true });
      expect(leaks(await bytes(visited))).toBe(false);
      expect(visited.status).toBe(404);
    }
    const refused = await api(`/api/photos/${ids['linked.jpg']}/original`);
    expect(refused.body.message).toMatch(/outside the library/);
    const zip = await authFetch(`${server.url}/api/albums/${album}/zip`);
    expect(leaks(await bytes(zip).catch(() => Buffer.alloc(0)))).toBe(false);
  }, 60_000);

  it('makes no rendition from a photo replaced by a link out of the library (a reprocess fails with why)', async () => {
    const before = await bytes(await authFetch(`${server.url}/api/photos/${ids['linked.jpg']}/preview`));
    expect((await api('/api/reprocess', { method: 'POST', json: { step: 'preprocessing', all: true } })).status).toBe(202);
    await until(
      'the reprocess',
      async () =>
        (await stepOf(ids['linked.jpg']!, 'preprocessing')).status === 'failed' || (await stepOf(ids['linked.jpg']!, 'preprocessing')).status === 'done',
    );
    await waitForTerminal(server.url, [ids['linked.jpg']!, ids['keyed.jpg']!]);
    for (const name of ['linked.jpg', 'keyed.jpg']) {
      const step = await stepOf(ids[name]!, 'preprocessing');
      expect(step.status).toBe('failed');
      expect(step.error).toMatch(/outside the library/);
      expect(step.error).not.toContain(secretText);
    }
    const after = await authFetch(`${server.url}/api/photos/${ids['linked.jpg']}/preview`);
    if (after.status === 200) expect((await bytes(after)).equals(before)).toBe(true);
    // the scan then sees the link out of the library: the photo is offline, still serving nothing
    await scan(libs.unwatched);
    expect((await photo(ids['linked.jpg']!)).offline).toBe(true);
    const original = await authFetch(`${server.url}/api/photos/${ids['linked.jpg']}/original`);
    expect(leaks(await bytes(original))).toBe(false);
    expect(original.status).toBe(404);
  }, 120_000);

  it('serves no original of a file changed since the scan until the scan has read it', async () => {
    const file = path.join(root, 'Unwatched', 'edited.jpg');
    const edit = await image(250, 250, 0);
    fs.writeFileSync(file, edit);
    const refused = await api(`/api/photos/${ids['edited.jpg']}/original`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/changed since the library’s last scan/);
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(file, past, past);
    expect((await scan(libs.unwatched)).changed).toBe(1);
    const served = await authFetch(`${server.url}/api/photos/${ids['edited.jpg']}/original`);
    expect(served.status).toBe(200);
    expect((await bytes(served)).equals(edit)).toBe(true);
  }, 60_000);

  it('serves no original of an offline photo, whatever is at its path now', async () => {
    const file = path.join(root, 'Unwatched', 'gone.jpg');
    fs.rmSync(file);
    await scan(libs.unwatched);
    expect((await photo(ids['gone.jpg']!)).offline).toBe(true);
    const token = await shareLink([ids['gone.jpg']!]);
    fs.symlinkSync(path.join(outside, 'secret.jpg'), file);
    const original = await api(`/api/photos/${ids['gone.jpg']}/original`);
    expect(original.status).toBe(404);
    expect(original.body.message).toMatch(/offline|not in its folder/);
    const visited = await authFetch(`${server.url}/api/s/${token}/photos/${ids['gone.jpg']}/original`, { anonymous: true });
    expect(leaks(await bytes(visited))).toBe(false);
    expect(visited.status).toBe(404);
  }, 60_000);

  it('does not read a sidecar replaced by a link out of the library after the scan', async () => {
    swapForLink(path.join(root, 'Unwatched', 'side-late.jpg.xmp'), path.join(outside, 'secret-late.xmp'));
    expect((await api('/api/reprocess', { method: 'POST', json: { step: 'metadata', all: true } })).status).toBe(202);
    await until('the metadata step run again', async () => ['done', 'failed'].includes((await stepOf(ids['side-late.jpg']!, 'metadata')).status));
    await waitForTerminal(server.url, [ids['side-late.jpg']!]);
    expect((await photo(ids['side-late.jpg']!)).metadata?.description).not.toBe('SECRET-LATE');
  }, 60_000);

  it('write-back neither copies nor writes through a sidecar link out of the library', async () => {
    const unwatched = path.join(root, 'Unwatched');
    const secretXmp = fs.readFileSync(path.join(outside, 'secret.xmp'));
    const keyBefore = fs.readFileSync(keyFile);
    expect((await api(`/api/libraries/${libs.unwatched}`, { method: 'PATCH', json: { writeBack: true } })).body.writeBack).toBe(true);
    for (const name of ['side-ext.jpg', 'side-stem.jpg', 'alias.jpg'])
      expect((await api(`/api/photos/${ids[name]}`, { method: 'PATCH', json: { rating: 5 } })).status).toBe(200);
    // the Lightroom link is not copied: a new sidecar of Shoebox's own
    const stem = await until(
      'the side-stem sidecar',
      async () =>
        fs.existsSync(path.join(unwatched, 'side-stem.jpg.xmp')) && ((await exiftool.read(path.join(unwatched, 'side-stem.jpg.xmp'))) as Record<string, any>),
      20_000,
    );
    expect(stem.Rating).toBe(5);
    await until(
      'write-back of every photo',
      async () => {
        const due = await rows<{ n: number }>(
          server.lib.db,
          sql`select count(*)::int as n from photos where library_id = ${libs.unwatched}::uuid and offline_at is null and (written_back_at is null or updated_at > written_back_at)`,
        );
        return due[0]!.n === 0;
      },
      20_000,
    );
    // the link out is still a link, its target untouched; nothing of the secrets in the library's folder
    expect(fs.lstatSync(path.join(unwatched, 'side-ext.jpg.xmp')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(outside, 'secret.xmp')).equals(secretXmp)).toBe(true);
    expect(fs.readFileSync(keyFile).equals(keyBefore)).toBe(true);
    for (const file of regularFiles(unwatched)) expect(leaks(fs.readFileSync(file)) || fs.readFileSync(file).includes('SECRET-SIDECAR'), file).toBe(false);
    // a photo that is a link inside the library is written back beside the link
    expect(((await exiftool.read(path.join(unwatched, 'alias.jpg.xmp'))) as Record<string, any>).Rating).toBe(5);
  }, 60_000);

  it('serves no original of a photo replaced by a link, before and after the watcher sees it (watched)', async () => {
    const file = path.join(root, 'Watched', 'watched.jpg');
    const token = await shareLink([ids['watched.jpg']!]);
    swapForLink(file, path.join(outside, 'secret.jpg'));
    const checks = async () => {
      const original = await authFetch(`${server.url}/api/photos/${ids['watched.jpg']}/original`);
      expect(leaks(await bytes(original))).toBe(false);
      expect(original.status).toBe(404);
      const visited = await authFetch(`${server.url}/api/s/${token}/photos/${ids['watched.jpg']}/original`, { anonymous: true });
      expect(leaks(await bytes(visited))).toBe(false);
      expect(visited.status).toBe(404);
    };
    await checks();
    await until('the watcher’s scan', async () => (await photo(ids['watched.jpg']!)).offline, 20_000);
    await checks();
    // the link to the admin key, the same
    fs.rmSync(file);
    fs.symlinkSync(keyFile, file);
    await checks();
  }, 60_000);
});
