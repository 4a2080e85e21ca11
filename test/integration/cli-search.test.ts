// `shoebox search` on a library folder and through a running server: the same answers, the same validation.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFromFolder } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { runCli, spawnServer } from '../helpers/cli.js';
import { colourPhotos } from '../helpers/images.js';
import { assets, tempDir } from '../helpers/server.js';

describe('shoebox search', () => {
  let dataDir: string;
  let likeFile: string;

  beforeAll(async () => {
    dataDir = tempDir();
    const { clipDir } = await ensureFixtureModels();
    await installFromFolder(dataDir, 'clip-vit-b32', clipDir);
    const source = tempDir();
    const colours = await colourPhotos(source, 3);
    fs.rmSync(colours.yellow);
    fs.copyFileSync(path.join(assets, 'albums/text/craft-beer.jpg'), path.join(source, 'craft-beer.jpg'));
    likeFile = (await colourPhotos(tempDir(), 11)).blue;
    const imported = await runCli(['import', source, '--data', dataDir, '--wait']);
    expect(imported.code, imported.stderr).toBe(0);
  }, 300_000);

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('searches a library folder, with JSON or readable output', async () => {
    const json = await runCli(['search', 'HOPADILLO', '--data', dataDir, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.items.map((hit: { photo: { filename: string } }) => hit.photo.filename)).toEqual(['craft-beer.jpg']);
    expect(result.items[0].explanation.keyword.matches).toMatchObject([{ field: 'ocr', words: ['HOPADILLO'], where: [expect.any(Object)] }]);

    const text = await runCli(['search', 'green', '--mode', 'semantic', '--limit', '1', '--data', dataDir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^\s+1 .* green\.jpg /m);
    expect(text.stdout).toMatch(/semantic #1 \(0\.\d{3}\)/);
    expect(text.stderr).toMatch(/1 of \d+ \(semantic\)/);

    const like = await runCli(['search', '--like', likeFile, '--limit', '1', '--data', dataDir, '--json']);
    expect(like.code, like.stderr).toBe(0);
    expect(JSON.parse(like.stdout).items[0].photo.filename).toBe('blue.jpg');
  });

  it('explains bad arguments and finding nothing', async () => {
    const badMode = await runCli(['search', 'x', '--mode', 'fuzzy', '--data', dataDir]);
    expect(badMode.code).not.toBe(0);
    expect(badMode.stderr).toMatch(/fuzzy.*hybrid, keyword, semantic|Allowed choices/);
    const badLimit = await runCli(['search', 'x', '--limit', '0', '--data', dataDir]);
    expect(badLimit.code).not.toBe(0);
    expect(badLimit.stderr).toMatch(/limit/);
    const none = await runCli(['search', 'zeppelin', '--mode', 'keyword', '--data', dataDir]);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/No photos found/);
  });

  it('asks the running server when there is one, with the same answers', async () => {
    const direct = JSON.parse((await runCli(['search', 'red', '--data', dataDir, '--json'])).stdout);
    const server = await spawnServer(dataDir, { LOG_LEVEL: 'warn' });
    try {
      const viaServer = await runCli(['search', 'red', '--data', dataDir, '--json']);
      expect(viaServer.code, viaServer.stderr).toBe(0);
      const result = JSON.parse(viaServer.stdout);
      expect(result.items.map((hit: { photo: { id: string } }) => hit.photo.id)).toEqual(direct.items.map((hit: { photo: { id: string } }) => hit.photo.id));
      expect(result.items[0].photo.filename).toBe('red.jpg');
      const like = await runCli(['search', '--like', likeFile, '--server', server.url, '--json', '--data', dataDir]);
      expect(like.code, like.stderr).toBe(0);
      expect(JSON.parse(like.stdout).items[0].photo.filename).toBe('blue.jpg');
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  });
});
