// `shoebox models …` and `shoebox inspect` with models, through the built CLI.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { runCli } from '../helpers/cli.js';
import { assets, tempDir } from '../helpers/server.js';

describe('shoebox models', () => {
  let data: string;
  let clipDir: string;

  beforeAll(async () => {
    data = tempDir();
    ({ clipDir } = await ensureFixtureModels());
  });
  afterAll(() => fs.rmSync(data, { recursive: true, force: true }));

  it('lists the catalogue: bundled models installed, hub models available, with what they enable', async () => {
    const result = await runCli(['models', 'list', '--json', '--data', data]);
    expect(result.code, result.stderr).toBe(0);
    const { models, configuredClip, offeredClip } = JSON.parse(result.stdout);
    expect(configuredClip).toBe('clip-vit-b32');
    expect(offeredClip).toBe('clip-vit-b32-laion2b'); // the one the web app offers and the skipped steps name
    const byName = Object.fromEntries(models.map((m: { name: string }) => [m.name, m]));
    expect(byName['clip-vit-b32']).toMatchObject({ installed: false, bundled: false });
    expect(byName['clip-vit-b32'].enables).toContain('semantic-search');
    expect(byName.faces).toMatchObject({ installed: true, bundled: true });
    expect(byName['ocr-eng']).toMatchObject({ installed: true, bundled: true });
    const table = await runCli(['models', 'list', '--data', data]);
    // nothing is in use yet: the model to install is marked, not the configured name (it was marked "in use")
    expect(table.stdout).toMatch(/clip-vit-b32-laion2b \+\s+available/);
    expect(table.stdout).not.toMatch(/\*/);
    expect(table.stdout).toMatch(/faces\s+bundled/);
    // and which ffmpeg makes the videos' posters and playable copies
    expect(JSON.parse(result.stdout).ffmpeg).toMatchObject({ version: expect.any(String), source: expect.stringMatching(/^(system|npm)$/) });
    expect(table.stdout).toMatch(/ffmpeg \S+ \((npm's static build|the system's): \S+\) makes videos' posters and playable copies/);
  });

  it('fails fast and clearly when the hub cannot be reached, leaving nothing behind', async () => {
    const started = Date.now();
    const result = await runCli(['models', 'pull', 'clip-vit-b32', '--data', data, '--endpoint', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toMatch(/--from <folder>/);
    expect(fs.existsSync(path.join(data, 'models', 'clip-vit-b32', 'shoebox-model.json'))).toBe(false);
  });

  it('installs from a local folder, then inspect uses it; remove takes it away', async () => {
    const pulled = await runCli(['models', 'pull', 'clip-vit-b32', '--from', clipDir, '--data', data]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toMatch(/Installed clip-vit-b32/);
    const listed = JSON.parse((await runCli(['models', 'list', '--json', '--data', data])).stdout);
    expect(listed.models.find((m: { name: string }) => m.name === 'clip-vit-b32')).toMatchObject({ installed: true });

    const file = path.join(assets, 'metadata/faces/portrait.jpg');
    const inspected = await runCli(['inspect', file, '--json', '--data', data]);
    expect(inspected.code, inspected.stderr).toBe(0);
    const json = JSON.parse(inspected.stdout);
    expect(json.embedding).toMatchObject({ model: expect.stringMatching(/^clip-vit-b32@/), dimensions: 512 });
    expect(json.faces).toHaveLength(2);
    for (const face of json.faces) {
      expect(Object.keys(face.box).sort()).toEqual(['height', 'width', 'x', 'y']);
      expect(face.box.x + face.box.width).toBeLessThanOrEqual(json.width + 1);
      expect(face.score).toBeGreaterThan(0);
    }
    expect(Array.isArray(json.tags)).toBe(true);
    expect(json.caption.caption.length).toBeGreaterThan(0);

    const removed = await runCli(['models', 'remove', 'clip-vit-b32', '--data', data]);
    expect(removed.code, removed.stderr).toBe(0);
    const again = JSON.parse((await runCli(['inspect', file, '--json', '--data', data])).stdout);
    expect(again.embedding).toBeNull();
    expect(again.errors.embeddings).toBe('no CLIP model installed: run shoebox models pull clip-vit-b32-laion2b');
  }, 180_000);

  it('inspect reads the text on the craft beer boards', async () => {
    const result = await runCli(['inspect', path.join(assets, 'albums/text/craft-beer.jpg'), '--json', '--data', data]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).ocr.text).toMatch(/WEEKEND WARRIOR/i);
  }, 120_000);

  it('refuses unknown model names', async () => {
    const result = await runCli(['models', 'pull', 'gpt-17', '--data', data]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/gpt-17/);
  });
});
