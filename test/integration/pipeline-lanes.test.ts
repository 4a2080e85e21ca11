// The pipeline's lanes against a real server: a photo shows (list, timeline, search, album) as soon as its
// thumbnail exists while a slow step holds the rest of its analysis, a step reset while it runs is run again
// instead of being recorded over, and a file that cannot be decoded is finished at once, not in line behind others.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptionEndpoint, type CaptionEndpoint } from '../helpers/caption-endpoint.js';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer, authFetch } from '../helpers/server.js';

interface ListItem {
  id: string;
  state: string;
  filename: string;
  hasThumbnail: boolean;
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time (${JSON.stringify(value).slice(0, 400)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('pipeline lanes', () => {
  let captions: CaptionEndpoint;
  let server: TestServer;
  const nature = ['prairie_falcon.jpg', 'tanners_ridge.jpg', 'wood_anemones.jpg', 'silver_fir.jpg', 'cyclamen_persicum.jpg'].map((name) => ({
    path: path.join(assets, 'albums/nature', name),
  }));

  beforeAll(async () => {
    captions = await startCaptionEndpoint();
    server = await startTestServer({ ml: { caption: { url: captions.url, model: 'llava:13b', timeoutMs: 120_000 }, captionConcurrency: 1 } });
  });

  afterAll(async () => {
    await server?.dispose();
    await captions?.close();
  });

  it('shows every photo with its thumbnail while a slow caption endpoint holds the rest of the analysis', async () => {
    captions.hold();
    const uploaded = await upload(server.url, nature);
    expect(uploaded.status).toBe(201);
    const ids: string[] = uploaded.body.items.map((item: { id: string }) => item.id);

    // Every photo is listed with its thumbnail while none is finished.
    const list = await until(
      'thumbnails',
      async () => (await json(`${server.url}/api/photos?limit=50`)).body.items as ListItem[],
      (items) => items.length === ids.length && items.every((item) => item.hasThumbnail),
    );
    expect(list.map((item) => item.state)).toEqual(ids.map(() => 'processing'));
    for (const id of ids) {
      const thumbnail = await authFetch(`${server.url}/api/photos/${id}/thumbnail`);
      expect(thumbnail.status).toBe(200);
      expect(thumbnail.headers.get('content-type')).toBe('image/webp');
      const detail = (await json(`${server.url}/api/photos/${id}`)).body;
      expect(detail.hasThumbnail).toBe(true);
      expect(detail.steps.preprocessing.status).toBe('done');
      expect(detail.steps.metadata.status).toBe('done');
      expect(['pending', 'running']).toContain(detail.steps.captions.status);
    }
    // The timeline counts them, the search finds them by name, an album shows them.
    expect((await json(`${server.url}/api/timeline`)).body.total).toBe(ids.length);
    const found = ((await json(`${server.url}/api/search?q=tanners&mode=keyword`)).body.items as { photo: ListItem }[]).map((hit) => hit.photo);
    expect(found.map((item) => item.filename)).toContain('tanners_ridge.jpg');
    expect(found.find((item) => item.filename === 'tanners_ridge.jpg')!.hasThumbnail).toBe(true);
    const album = (await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'While analysed' } })).body as { id: string };
    await json(`${server.url}/api/albums/${album.id}/photos`, { method: 'POST', json: { ids } });
    const inAlbum = (await json(`${server.url}/api/photos?album=${album.id}&limit=50`)).body.items as ListItem[];
    expect(inAlbum).toHaveLength(ids.length);
    expect(inAlbum.every((item) => item.hasThumbnail && item.state === 'processing')).toBe(true);

    captions.release();
    const states = await waitForTerminal(server.url, ids, 120_000);
    expect(Object.values(states)).toEqual(ids.map(() => 'completed'));
  });

  it('runs a step again when it is reset while it runs, without recording the older result over the reset', async () => {
    captions.hold();
    const answeredBefore = captions.answered;
    const uploaded = await upload(server.url, [{ path: path.join(assets, 'albums/nature/notocactus_minimus.jpg') }]);
    const id = uploaded.body.items[0].id as string;
    await until(
      'captions running',
      async () => (await json(`${server.url}/api/photos/${id}`)).body.steps.captions,
      (step: { status: string }) => step.status === 'running',
    );
    // Redo captions everywhere while this one waits for its answer: the 5 finished photos and the running one.
    const reprocessed = await json(`${server.url}/api/reprocess`, { method: 'POST', json: { step: 'captions', all: true } });
    expect(reprocessed.status).toBe(202);
    expect(reprocessed.body.queued).toBe(nature.length + 1);
    expect((await json(`${server.url}/api/photos/${id}`)).body.steps.captions.status).toBe('pending');
    // The reset photos keep showing while they are analysed again.
    const during = (await json(`${server.url}/api/photos?limit=50`)).body.items as ListItem[];
    expect(during.every((item) => item.hasThumbnail)).toBe(true);

    captions.release();
    const all = [...(await json(`${server.url}/api/photos?limit=50`)).body.items.map((item: ListItem) => item.id)];
    await waitForTerminal(server.url, all, 120_000);
    const detail = (await json(`${server.url}/api/photos/${id}`)).body;
    expect(detail.state).toBe('completed');
    expect(detail.steps.captions).toMatchObject({ status: 'done', attempts: 2 });
    // the first answer came back after the reset and was dropped; the second one is the caption
    expect(captions.answered - answeredBefore).toBe(nature.length + 2);
  });

  it('fails a file that cannot be decoded at once, its other steps skipped, while the captions lane is held by others', async () => {
    captions.hold();
    const waiting = ['el_torcal_rocks.jpg', 'orychophragmus_violaceus.jpg'].map((name) => ({ path: path.join(assets, 'albums/nature', name) }));
    const uploaded = await upload(server.url, waiting);
    expect(uploaded.status).toBe(201);
    const ids: string[] = uploaded.body.items.map((item: { id: string }) => item.id);
    // the captions lane (one request at a time) is taken by a photo whose caption does not come
    await until(
      'a caption request held',
      async () => captions.held,
      (held) => held >= 1,
    );

    const bytes = fs.readFileSync(path.join(assets, 'albums/nature/polemonium_reptans.jpg'));
    const broken = await upload(server.url, [{ name: 'broken.jpg', data: bytes.subarray(0, Math.floor(bytes.length / 2)) }]);
    expect(broken.status).toBe(201);
    const brokenId = broken.body.items[0].id as string;
    const detail = await until(
      'the broken file failed',
      async () => (await json(`${server.url}/api/photos/${brokenId}`)).body,
      (photo) => photo.state === 'failed',
      30_000,
    );
    expect(detail.steps.preprocessing.status).toBe('failed');
    expect(detail.steps.preprocessing.error).toMatch(/broken\.jpg/);
    expect(detail.steps.captions).toMatchObject({ status: 'skipped', error: 'needs preprocessing, which failed' });
    expect(detail.steps.tags).toMatchObject({ status: 'skipped', error: 'needs embeddings, which was skipped' });
    // it did not wait for them: they are still waiting on their captions
    expect(captions.held).toBeGreaterThanOrEqual(1);
    for (const id of ids) expect((await json(`${server.url}/api/photos/${id}`)).body.state).toBe('processing');

    captions.release();
    const states = await waitForTerminal(server.url, ids, 120_000);
    expect(Object.values(states)).toEqual(ids.map(() => 'completed'));
  });
});
