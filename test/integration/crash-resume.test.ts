import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { PROCESS_MARK } from '../../src/base/process-folders.js';
import { runCli, shoeboxBin, spawnServer } from '../helpers/cli.js';
import { tempDir, authFetch } from '../helpers/server.js';

const PHOTOS = 40;

/** Distinct, real-sized JPEGs: noise over a colour per photo, so every file has its own bytes. */
async function makePhotos(dir: string): Promise<void> {
  for (let i = 0; i < PHOTOS; i += 1) {
    const noise = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .raw()
      .toBuffer();
    await sharp(noise, { raw: { width: 1600, height: 1200, channels: 3 } })
      .tint({ r: (i * 53) % 256, g: (i * 97) % 256, b: (i * 31) % 256 })
      .jpeg({ quality: 90 })
      .toFile(path.join(dir, `photo-${String(i).padStart(3, '0')}.jpg`));
  }
}

describe('a server killed in the middle of an import', () => {
  const work = tempDir('shoebox-crash-');
  const photosDir = path.join(work, 'photos');
  const dataDir = path.join(work, 'library');
  // the servers' temporary folder, to see what a crash leaves there and what the next start removes
  const tmp = path.join(work, 'tmp');
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('resumes after a restart: every photo reaches a terminal state, none lost or duplicated', async () => {
    fs.mkdirSync(photosDir, { recursive: true });
    fs.mkdirSync(tmp);
    await makePhotos(photosDir);

    const first = await spawnServer(dataDir, { SHOEBOX_CONCURRENCY: '1', TMPDIR: tmp }, { ownProcessGroup: true });
    const importer = spawn(process.execPath, [shoeboxBin, 'import', photosDir, '--data', dataDir], { stdio: 'ignore' });
    // Kill as soon as part of the import has arrived and the pipeline is busy with it.
    let seen = 0;
    for (let tries = 0; tries < 600; tries += 1) {
      const stats = await (await authFetch(`${first.url}/api/stats`)).json();
      seen = stats.total;
      if (stats.total >= 12) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // a ZIP export under way holds a temporary folder (the download read no further than its first bytes)
    const download = await authFetch(`${first.url}/api/export?all=true`);
    const reader = download.body!.getReader();
    await reader.read();
    const killedOwn = fs.readdirSync(tmp).find((name) => name.includes(`.${first.child.pid}.`));
    expect(fs.readdirSync(path.join(tmp, killedOwn!))).toEqual([expect.stringMatching(/^export-/)]);
    // beside it: a live process's folder (this test's), one whose pid lives on in another process, and others' folders
    const [host, pid, start] = PROCESS_MARK.split('.');
    const kept = ['another-app', 'shoebox-not-a-process', `shoebox-${PROCESS_MARK}`];
    const reused = `shoebox-${host}.${pid}.${Number(start) + 1}`;
    for (const name of [...kept, reused]) fs.mkdirSync(path.join(tmp, name));
    process.kill(-first.child.pid!, 'SIGKILL');
    importer.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(seen).toBeGreaterThanOrEqual(12);
    expect(seen).toBeLessThan(PHOTOS);

    expect(fs.existsSync(path.join(tmp, killedOwn!))).toBe(true);
    const second = await spawnServer(dataDir, { TMPDIR: tmp });
    try {
      const before = await (await authFetch(`${second.url}/api/stats`)).json();
      expect(before.total).toBeGreaterThanOrEqual(seen);
      expect(before.states.completed).toBeLessThan(PHOTOS);

      // Importing again adds only what is missing and waits for the pipeline.
      const again = await runCli(['import', photosDir, '--data', dataDir, '--wait']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/already in the library [1-9]/);

      const list = await (await authFetch(`${second.url}/api/photos?limit=500`)).json();
      expect(list.total).toBe(PHOTOS);
      const names = list.items.map((item: { filename: string }) => item.filename).sort();
      expect(new Set(names).size).toBe(PHOTOS);
      expect(list.items.every((item: { state: string }) => item.state === 'completed')).toBe(true);
      for (const item of list.items) {
        expect((await authFetch(`${second.url}/api/photos/${item.id}/thumbnail`)).status).toBe(200);
      }
      // The restarted server said what it resumed, and logs one JSON line per step.
      const lines = second
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'));
      const records = lines.map((line) => JSON.parse(line));
      expect(records.some((r) => r.msg === 'resuming unfinished photos' && r.photos > 0)).toBe(true);
      const step = records.find((r) => r.step === 'preprocessing' && r.outcome === 'done');
      expect(step).toMatchObject({ photoId: expect.any(String), durationMs: expect.any(Number) });
      expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
      // the killed server's temporary folder went at the start, and only what no live process holds
      const left = fs.readdirSync(tmp);
      expect(left).toEqual(expect.arrayContaining(kept));
      expect(left).not.toContain(killedOwn);
      expect(left).not.toContain(reused);
      expect(records.some((r) => r.msg === 'temporary files of stopped processes removed' && r.entries >= 2)).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((resolve) => second.child.once('exit', resolve));
    }
  }, 300_000);
});

/** A zip of these entries, stored. */
async function zipOf(entries: [string, Buffer][]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Makes an import on the server and uploads the archive into it whole (tus: one creation, one PATCH), then starts it. */
async function startImport(url: string, source: string, name: string, data: Buffer): Promise<string> {
  const id = (
    await (await authFetch(`${url}/api/imports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source }) })).json()
  ).id as string;
  const metadata = `importId ${Buffer.from(id).toString('base64')},filename ${Buffer.from(name).toString('base64')}`;
  const made = await authFetch(`${url}/api/imports/uploads`, {
    method: 'POST',
    headers: { 'tus-resumable': '1.0.0', 'upload-length': String(data.length), 'upload-metadata': metadata },
  });
  expect(made.status).toBe(201);
  const sent = await authFetch(new URL(made.headers.get('location')!, url), {
    method: 'PATCH',
    headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: new Uint8Array(data),
  });
  expect(sent.status).toBe(204);
  expect((await authFetch(`${url}/api/imports/${id}/start`, { method: 'POST' })).status).toBe(202);
  return id;
}

interface ImportView {
  status: string;
  progress: { done: number; total: number } | null;
  outcome: Record<string, number> | null;
}
const importAt = async (url: string, id: string) => (await (await authFetch(`${url}/api/imports/${id}`)).json()) as ImportView;

describe('a server killed in the middle of an import from the web app (issue 59)', () => {
  const work = tempDir('shoebox-crash-import-');
  const dataDir = path.join(work, 'library');
  const env = { SHOEBOX_CONCURRENCY: '1', SHOEBOX_FACES: 'off', SHOEBOX_OCR_ENGINE: 'off' };
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('gives the photos the killed run added their favourite, archive and trash marks when it runs again', async () => {
    const marks = (i: number) => ({ favorited: i % 3 !== 2, archived: i % 13 === 1, trashed: i % 10 === 9 });
    const entries: [string, Buffer][] = [];
    for (let i = 0; i < 40; i++) {
      const name = `IMG_${String(i).padStart(4, '0')}.jpg`;
      const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: (i * 53) % 256, g: (i * 97) % 256, b: (i * 31) % 256 } } })
        .jpeg()
        .toBuffer();
      const sidecar = { title: name, photoTakenTime: { timestamp: String(1_600_000_000 + i * 600) }, ...marks(i) };
      entries.push(
        [`Takeout/Google Photos/Photos from 2020/${name}`, photo],
        [`Takeout/Google Photos/Photos from 2020/${name}.json`, Buffer.from(JSON.stringify(sidecar))],
      );
    }

    // killed once a few items are in, before any mark is given (they are given after the last item)
    const first = await spawnServer(dataDir, env, { ownProcessGroup: true });
    const id = await startImport(first.url, 'google-takeout', 'takeout-001.zip', await zipOf(entries));
    let seen: ImportView | null = null;
    for (let tries = 0; tries < 1200; tries++) {
      seen = await importAt(first.url, id);
      if ((seen.progress?.done ?? 0) >= 4 || seen.status !== 'importing') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    process.kill(-first.child.pid!, 'SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(seen!.status).toBe('importing');
    expect(seen!.progress!.done).toBeLessThan(40);

    const second = await spawnServer(dataDir, env, { ownProcessGroup: true });
    try {
      let view = await importAt(second.url, id);
      for (let tries = 0; tries < 600 && view.status === 'importing'; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        view = await importAt(second.url, id);
      }
      // the photos the killed run added count as this import's
      expect(view).toMatchObject({ status: 'done', outcome: { added: 40, alreadyThere: 0, favourites: 27, archived: 3, trashed: 4 } });
      const list = await (await authFetch(`${second.url}/api/photos?limit=100&archived=include`)).json();
      const trash = await (await authFetch(`${second.url}/api/trash?limit=100`)).json();
      expect(trash.items.map((p: { filename: string }) => p.filename).sort()).toEqual(['IMG_0009.jpg', 'IMG_0019.jpg', 'IMG_0029.jpg', 'IMG_0039.jpg']);
      const got = list.items.map((p: { filename: string; favorite: boolean; archived: boolean }) => [p.filename, p.favorite, p.archived]).sort();
      expect(got).toEqual(
        Array.from({ length: 40 }, (_, i) => i)
          .filter((i) => !marks(i).trashed)
          .map((i) => [`IMG_${String(i).padStart(4, '0')}.jpg`, marks(i).favorited, marks(i).archived]),
      );
    } finally {
      // nothing more to see: its stop in order would wait for the photos' steps
      process.kill(-second.child.pid!, 'SIGKILL');
      await new Promise((resolve) => second.child.once('exit', resolve));
    }
  }, 300_000);
});
