// Close matches never pad a query whose words matched: "EOS R5" on a library with R5 and R6 photos lists the R5's
// first, then the R6's under "close matches" (the typo pass), in keyword and in hybrid mode, whatever the
// semantic arm thinks of them. Real library, real EXIF written by ExifTool, the fixture CLIP model.
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFromFolder } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { colourPhotos } from '../helpers/images.js';
import { json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

interface Hit {
  photo: { id: string; filename: string; model: string | null };
  explanation: { keyword: { fuzzy: boolean } | null; semantic: { rank: number } | null; closeMatch: boolean };
}

describe('close matches after the words as typed', () => {
  let server: TestServer;

  beforeAll(async () => {
    const dataDir = tempDir();
    const { clipDir } = await ensureFixtureModels();
    await installFromFolder(dataDir, 'clip-vit-b32', clipDir);
    server = await startTestServer(withoutFacesOrText({ dataDir }));
    const photos = await colourPhotos(tempDir(), 11);
    const cameras: Record<string, string> = { red: 'Canon EOS R5', green: 'Canon EOS R5', blue: 'Canon EOS R6', yellow: 'Canon EOS R6' };
    const exiftool = new ExifTool({ maxProcs: 1 });
    const files: { path: string; name: string }[] = [];
    try {
      for (const [colour, model] of Object.entries(cameras)) {
        const file = photos[colour as keyof typeof photos];
        await exiftool.write(file, { Make: 'Canon', Model: model }, { writeArgs: ['-overwrite_original'] });
        files.push({ path: file, name: `${colour}-${model.split(' ').pop()}${path.extname(file)}` });
      }
    } finally {
      await exiftool.end();
    }
    const response = await upload(server.url, files);
    expect(response.status).toBe(201);
    await waitForTerminal(
      server.url,
      response.body.items.map((item: { id: string }) => item.id),
      180_000,
    );
  }, 240_000);

  afterAll(async () => server?.dispose());

  const search = async (params: Record<string, string>) => {
    const response = await json(`${server.url}/api/search?${new URLSearchParams(params)}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { items: Hit[]; alternatives: { label: string }[] };
  };

  for (const mode of ['keyword', 'hybrid']) {
    it(`"EOS R5" in ${mode} mode: the R5's photos first, the R6's after them as close matches`, async () => {
      // the words as typed (understood, "EOS R5" is the camera: below)
      const { items, alternatives } = await search({ q: 'EOS R5', mode, cutoff: '0', understand: 'false' });
      const models = items.map((hit) => hit.photo.model);
      const firstClose = items.findIndex((hit) => hit.explanation.closeMatch);
      expect(models.slice(0, 2)).toEqual(['Canon EOS R5', 'Canon EOS R5']);
      expect(firstClose).toBeGreaterThanOrEqual(2);
      // Every close match is after every other hit, is a typo-pass hit, and is an R6; no R5 among them.
      for (const [index, hit] of items.entries()) {
        expect(hit.explanation.closeMatch, hit.photo.filename).toBe(index >= firstClose);
        if (hit.explanation.closeMatch) {
          expect(hit.explanation.keyword).toMatchObject({ fuzzy: true });
          expect(hit.photo.model).toBe('Canon EOS R6');
        }
      }
      expect(items.filter((hit) => hit.photo.model === 'Canon EOS R6' && hit.explanation.keyword)).toHaveLength(2);
      // The camera the words already name is not offered as another spelling of them.
      expect(alternatives.map((alt) => alt.label)).toContain('Canon EOS R6');
      expect(alternatives.map((alt) => alt.label)).not.toContain('Canon EOS R5');
      if (mode === 'hybrid') expect(items.some((hit) => hit.explanation.semantic !== null)).toBe(true);
    });
  }

  it('"EOS R5" understood: the camera, its photos only', async () => {
    const response = await json(`${server.url}/api/search?${new URLSearchParams({ q: 'EOS R5', mode: 'keyword' })}`);
    expect(response.body.understood.camera).toBe('Canon EOS R5');
    expect((response.body.items as Hit[]).map((hit) => hit.photo.model)).toEqual(['Canon EOS R5', 'Canon EOS R5']);
  });

  it('a typo alone still finds by the similar words, fused like any hit (no close-match tier)', async () => {
    const { items } = await search({ q: 'EOS R7', mode: 'keyword' });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((hit) => hit.explanation.keyword?.fuzzy === true && !hit.explanation.closeMatch)).toBe(true);
  });
});
