// An admin switches the CLIP model from the web app's API: the choice is kept in the database (the same in every
// process, and after a restart), every photo is analysed again with the new model by itself, and search by meaning
// then answers with it — with the multilingual fixture, a French colour word finds its photo. SHOEBOX_CLIP_MODEL
// pins the model; a model that is not installed, or not a CLIP model, is refused.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { installFromFolder } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { colourPhotos } from '../helpers/images.js';
import { json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

let server: TestServer;
let dataDir: string;
let ids: Record<string, string>;

const embeddingModels = async (lib: TestServer['lib']) =>
  (await rows<{ model: string }>(lib.db, sql`select model from photo_embeddings order by model`)).map((row) => row.model.split('@')[0]);
const semantic = async (q: string) =>
  ((await json(`${server.url}/api/search?${new URLSearchParams({ q, mode: 'semantic', limit: '1' })}`)).body.items as { photo: { id: string } }[]).map(
    (item) => item.photo.id,
  );

beforeAll(async () => {
  dataDir = tempDir();
  const { clipDir, multilingualDir } = await ensureFixtureModels();
  await installFromFolder(dataDir, 'clip-vit-b32', clipDir);
  await installFromFolder(dataDir, 'clip-multilingual', multilingualDir);
  server = await startTestServer(withoutFacesOrText({ dataDir }));
  const colours = await colourPhotos(tempDir(), 5);
  const names = Object.keys(colours) as (keyof typeof colours)[];
  const uploaded = await upload(
    server.url,
    names.map((name) => ({ path: colours[name] })),
  );
  ids = Object.fromEntries(names.map((name, i) => [name, uploaded.body.items[i].id as string]));
  await waitForTerminal(server.url, Object.values(ids));
}, 180_000);

afterAll(async () => server?.dispose());

describe('choosing the CLIP model', () => {
  it('switches every photo to the chosen model by itself, and search answers with it', async () => {
    expect(await embeddingModels(server.lib)).toEqual(['clip-vit-b32', 'clip-vit-b32', 'clip-vit-b32', 'clip-vit-b32']);
    expect((await json(`${server.url}/api/models`)).body.clip).toEqual({ model: 'clip-vit-b32', pinned: false });

    const chosen = await json(`${server.url}/api/models/clip-multilingual/use`, { method: 'POST' });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    expect(chosen.body).toEqual({ model: 'clip-multilingual', reopened: 4 });
    const list = (await json(`${server.url}/api/models`)).body;
    expect(list.clip).toEqual({ model: 'clip-multilingual', pinned: false });
    expect(list.items.filter((m: { kind: string; inUse: boolean }) => m.kind === 'clip' && m.inUse).map((m: { name: string }) => m.name)).toEqual([
      'clip-multilingual',
    ]);

    await expect.poll(() => embeddingModels(server.lib), { timeout: 60_000, interval: 250 }).toEqual(Array(4).fill('clip-multilingual'));
    await waitForTerminal(server.url, Object.values(ids));
    // the multilingual model's text encoder reads French: "rouge" is the red photo
    expect(await semantic('rouge')).toEqual([ids.red]);
    // the one in use cannot be removed; the other can be chosen again
    expect((await json(`${server.url}/api/models/clip-multilingual`, { method: 'DELETE' })).status).toBe(409);
  }, 120_000);

  it('keeps the choice when the server starts again', async () => {
    await server.close();
    server = await startTestServer(withoutFacesOrText({ dataDir }));
    expect((await json(`${server.url}/api/models`)).body.clip).toEqual({ model: 'clip-multilingual', pinned: false });
    // nothing to redo: the photos were analysed with it before the restart
    await waitForTerminal(server.url, Object.values(ids));
    expect(await embeddingModels(server.lib)).toEqual(Array(4).fill('clip-multilingual'));
  }, 60_000);

  it('refuses a model that is not installed, not a CLIP model or unknown, with the reason', async () => {
    const missing = await json(`${server.url}/api/models/clip-vit-b16/use`, { method: 'POST' });
    expect(missing.status).toBe(409);
    expect(missing.body.message).toMatch(/clip-vit-b16 is not installed: install it first/);
    const faces = await json(`${server.url}/api/models/faces/use`, { method: 'POST' });
    expect(faces.status).toBe(400);
    expect(faces.body.message).toMatch(/not a CLIP model/);
    expect((await json(`${server.url}/api/models/no-such-model/use`, { method: 'POST' })).status).toBe(404);
  });

  it('leaves the model SHOEBOX_CLIP_MODEL sets alone', async () => {
    const pinnedDir = tempDir();
    const { clipDir, multilingualDir } = await ensureFixtureModels();
    await installFromFolder(pinnedDir, 'clip-vit-b32', clipDir);
    await installFromFolder(pinnedDir, 'clip-multilingual', multilingualDir);
    const pinned = await startTestServer(withoutFacesOrText({ dataDir: pinnedDir, ml: { clipModel: 'clip-vit-b32' } }));
    try {
      expect((await json(`${pinned.url}/api/models`)).body.clip).toEqual({ model: 'clip-vit-b32', pinned: true });
      const refused = await json(`${pinned.url}/api/models/clip-multilingual/use`, { method: 'POST' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/set by SHOEBOX_CLIP_MODEL/);
    } finally {
      await pinned.dispose();
    }
  }, 60_000);
});
