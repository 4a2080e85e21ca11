import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_IN_PLACE_EXCLUDES } from '../../src/model/in-place-excludes.js';
import { runCli, spawnServer } from '../helpers/cli.js';
import { assets, tempDir } from '../helpers/server.js';

// `shoebox libraries` on the library folder (no server) and through a running server.
describe('shoebox libraries', () => {
  const work = fs.realpathSync(tempDir('shoebox-cli-libraries-'));
  const data = path.join(work, 'data');
  const root = path.join(work, 'disk');
  const folder = path.join(root, 'Photos');
  const env = { SHOEBOX_LIBRARY_ROOTS: root, SHOEBOX_LIBRARY_SETTLE_MS: '0' };
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('adds a folder on the library itself, scans it, refuses one outside the roots', async () => {
    fs.mkdirSync(path.join(folder, 'skip'), { recursive: true });
    fs.copyFileSync(path.join(assets, 'formats/jpg/el_torcal_rocks.jpg'), path.join(folder, 'rocks.jpg'));
    fs.copyFileSync(path.join(assets, 'formats/png/density_plot.png'), path.join(folder, 'plot.png'));
    fs.copyFileSync(path.join(assets, 'formats/webp/denali.webp'), path.join(folder, 'skip', 'denali.webp'));
    const added = await runCli(['libraries', 'add', folder, '--exclude', '**/skip/**', '--json', '--data', data], env);
    expect(added.code, added.stderr).toBe(0);
    const [library] = JSON.parse(added.stdout).items;
    expect(library).toMatchObject({ name: 'Photos', paths: [folder], scanState: 'idle', counts: { photos: 2, offline: 0 } });
    expect(added.stderr).toMatch(/2 files, 2 new/);
    const outside = await runCli(['libraries', 'add', work, '--data', data], env);
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/outside the folders allowed for libraries in place/);
  }, 120_000);

  it('lists, scans and removes through a running server; the files stay', async () => {
    const server = await spawnServer(data, env);
    try {
      const listed = await runCli(['libraries', '--json', '--data', data], env);
      expect(listed.code, listed.stderr).toBe(0);
      const [library] = JSON.parse(listed.stdout).items;
      fs.copyFileSync(path.join(assets, 'formats/heic/IMG_2682.heic'), path.join(folder, 'IMG_2682.heic'));
      const scanned = await runCli(['libraries', 'scan', library.id, '--json', '--data', data], env);
      expect(scanned.code, scanned.stderr).toBe(0);
      expect(JSON.parse(scanned.stdout).items[0].counts.photos).toBe(3);
      // Without --exclude, a folder from a NAS leaves its thumbnails and recycle bin out, as the web form does.
      const nas = path.join(root, 'Camera');
      for (const sub of ['@eaDir/fir.jpg', '#recycle/old/fir.jpg', 'fir.jpg']) {
        fs.mkdirSync(path.dirname(path.join(nas, sub)), { recursive: true });
        fs.copyFileSync(path.join(assets, 'albums/nature/silver_fir.jpg'), path.join(nas, sub));
      }
      const plain = await runCli(['libraries', 'add', nas, '--json', '--data', data], env);
      expect(plain.code, plain.stderr).toBe(0);
      const [camera] = JSON.parse(plain.stdout).items;
      expect(camera).toMatchObject({ exclude: DEFAULT_IN_PLACE_EXCLUDES, counts: { files: 1, refused: 0 } });
      // --exclude '': nothing left out but hidden entries
      const drive = path.join(root, 'Drive');
      fs.mkdirSync(path.join(drive, '@eaDir'), { recursive: true });
      fs.copyFileSync(path.join(assets, 'formats/webp/denali.webp'), path.join(drive, '@eaDir', 'denali.webp'));
      const none = await runCli(['libraries', 'add', drive, '--exclude', '', '--json', '--data', data], env);
      expect(none.code, none.stderr).toBe(0);
      expect(JSON.parse(none.stdout).items[0]).toMatchObject({ exclude: [], counts: { files: 1 } });
      const removed = await runCli(['libraries', 'remove', library.id, '--data', data], env);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stderr).toMatch(/its 3 photos/);
      expect(fs.readdirSync(folder).sort()).toEqual(['IMG_2682.heic', 'plot.png', 'rocks.jpg', 'skip']);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  }, 180_000);
});
