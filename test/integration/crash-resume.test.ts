import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
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
      const lines = second.output().split('\n').filter((line) => line.startsWith('{'));
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
