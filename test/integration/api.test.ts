import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, startTestServer, upload, waitForTerminal, type TestServer, authFetch, onPostgres } from '../helpers/server.js';

/** Every image in the immich corpus (the XMP sidecars are not photos). */
function corpusImages(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('.xmp')) found.push(full);
    }
  };
  walk(assets);
  return found.sort();
}

const thompson = path.join(assets, 'metadata/gps-position/thompson-springs.jpg');
const falcon = path.join(assets, 'albums/nature/prairie_falcon.jpg');

describe('REST API', () => {
  let server: TestServer;
  let url: string;
  const idsByPath = new Map<string, string>();
  const images = corpusImages();

  beforeAll(async () => {
    server = await startTestServer();
    url = server.url;
    // Every corpus file in one multipart request, answered in order.
    const { status, body } = await upload(
      url,
      images.map((p) => ({ path: p })),
    );
    expect(status).toBe(201);
    expect(body.items).toHaveLength(images.length);
    body.items.forEach((item: any, i: number) => {
      expect(item.error, `${images[i]}: ${item.error}`).toBeUndefined();
      expect(item.filename).toBe(path.basename(images[i]!));
      idsByPath.set(images[i]!, item.id);
    });
    // Two corpus files have identical bytes (formats/jpg and albums/nature el_torcal_rocks): one photo.
    await waitForTerminal(url, [...new Set(idsByPath.values())], 240_000);
  }, 300_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('finishes every corpus photo with a thumbnail and a preview', async () => {
    for (const [file, id] of idsByPath) {
      const detail = await (await authFetch(`${url}/api/photos/${id}`)).json();
      expect(detail.state, `${file}: ${JSON.stringify(detail.steps)}`).toBe('completed');
      for (const step of ['preprocessing', 'metadata', 'hashes', 'palette']) {
        expect(detail.steps[step].status).toBe('done');
        expect(detail.steps[step].durationMs).toBeGreaterThanOrEqual(0);
      }
      const thumb = await authFetch(`${url}/api/photos/${id}/thumbnail`);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/webp');
      const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
      expect(thumbMeta.format).toBe('webp');
      expect(Math.max(thumbMeta.width!, thumbMeta.height!)).toBeLessThanOrEqual(250);
      const preview = await authFetch(`${url}/api/photos/${id}/preview`);
      expect(preview.status).toBe(200);
      expect(preview.headers.get('content-type')).toBe('image/jpeg');
      const previewMeta = await sharp(Buffer.from(await preview.arrayBuffer())).metadata();
      expect(Math.max(previewMeta.width!, previewMeta.height!)).toBeLessThanOrEqual(1440);
      expect(detail.pdq.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(detail.palette.length).toBeGreaterThan(0);
    }
  });

  it('stores identical bytes once and says which photo has them', async () => {
    const first = idsByPath.get(path.join(assets, 'formats/jpg/el_torcal_rocks.jpg'));
    const second = idsByPath.get(path.join(assets, 'albums/nature/el_torcal_rocks.jpg'));
    expect(first).toBe(second);
    const again = await upload(url, [{ path: falcon }]);
    expect(again.status).toBe(200);
    expect(again.body.items[0]).toMatchObject({ id: idsByPath.get(falcon), duplicate: true, state: 'completed' });
  });

  it('reads metadata: GPS, date with offset, camera, orientation', async () => {
    const gps = await (await authFetch(`${url}/api/photos/${idsByPath.get(thompson)}`)).json();
    expect(gps.metadata.latitude).toBeCloseTo(39.115, 4);
    expect(gps.metadata.longitude).toBeCloseTo(-108.400968, 4);
    // The XMP date has no offset; the zone comes from the GPS position (America/Denver in January: -07:00).
    expect(gps.metadata.takenAt).toBe('2022-01-10T15:15:44.310-07:00');
    expect(gps.metadata.timeZone).toBe('America/Denver');
    expect(gps.hasGps).toBe(true);

    const bird = await (await authFetch(`${url}/api/photos/${idsByPath.get(falcon)}`)).json();
    expect(bird.metadata.make).toBe('Canon');
    expect(bird.metadata.model).toBe('Canon EOS R5');
    expect(bird.metadata.takenAt).toMatch(/^2022-03-31T11:31:56/);

    const rotated = await (await authFetch(`${url}/api/photos/${idsByPath.get(path.join(assets, 'metadata/faces/portrait-orientation-6.jpg'))}`)).json();
    expect(rotated.metadata.orientation).toBe(6);
    // Stored as 700×840 and rotated by EXIF: upright it is 840×700 like portrait.jpg.
    expect([rotated.width, rotated.height]).toEqual([840, 700]);
  });

  it('lists newest taken first, paged, with filters', async () => {
    const all = await (await authFetch(`${url}/api/photos?limit=500`)).json();
    expect(all.total).toBe(new Set(idsByPath.values()).size);
    // The timeline's order: by the date on the camera's clock (as takenAt shows it), newest first; undated last.
    const clocks: (string | null)[] = all.items.map((item: any) => item.takenAt?.slice(0, 19) ?? null);
    const dated = clocks.filter((clock): clock is string => clock !== null);
    expect(clocks.slice(0, dated.length)).toEqual(dated);
    expect(dated.every((clock, i) => i === 0 || dated[i - 1]! >= clock)).toBe(true);

    const page1 = await (await authFetch(`${url}/api/photos?limit=5&page=1`)).json();
    const page2 = await (await authFetch(`${url}/api/photos?limit=5&page=2`)).json();
    expect(page1.items.map((i: any) => i.id)).toEqual(all.items.slice(0, 5).map((i: any) => i.id));
    expect(page2.items.map((i: any) => i.id)).toEqual(all.items.slice(5, 10).map((i: any) => i.id));

    const withGps = await (await authFetch(`${url}/api/photos?hasGps=true&limit=500`)).json();
    expect(withGps.items.map((i: any) => i.filename)).toContain('thompson-springs.jpg');
    expect(withGps.items.every((i: any) => i.hasGps)).toBe(true);
    const withoutGps = await (await authFetch(`${url}/api/photos?hasGps=false&limit=500`)).json();
    expect(withGps.total + withoutGps.total).toBe(all.total);

    const canon = await (await authFetch(`${url}/api/photos?camera=eos%20r5`)).json();
    expect(canon.items.map((i: any) => i.filename)).toContain('prairie_falcon.jpg');
    expect(canon.items.every((i: any) => /canon/i.test(i.make) && /eos r5/i.test(i.model))).toBe(true);
    const nikon = await (await authFetch(`${url}/api/photos?camera=nikon`)).json();
    expect(nikon.items.map((i: any) => i.filename)).toContain('tanners_ridge.jpg');
    expect(nikon.items.map((i: any) => i.filename)).not.toContain('prairie_falcon.jpg');

    const in2022 = await (await authFetch(`${url}/api/photos?from=2022-01-01&to=2022-12-31T23:59:59Z&limit=500`)).json();
    const names = in2022.items.map((i: any) => i.filename);
    expect(names).toContain('prairie_falcon.jpg');
    expect(names).toContain('thompson-springs.jpg');
    expect(names).not.toContain('tanners_ridge.jpg'); // 2023

    const completed = await (await authFetch(`${url}/api/photos?state=completed&limit=500`)).json();
    expect(completed.total).toBe(all.total);
  });

  it('answers bad parameters with 400 and a message', async () => {
    for (const query of ['limit=0', 'limit=abc', 'page=-1', 'from=yesterday', 'state=bogus', 'hasGps=maybe', 'from=2024-01-02&to=2024-01-01']) {
      const response = await authFetch(`${url}/api/photos?${query}`);
      expect(response.status, query).toBe(400);
      const body = await response.json();
      expect(body.message, query).toMatch(/\w/);
    }
    const badId = await authFetch(`${url}/api/photos/not-a-uuid`);
    expect(badId.status).toBe(400);
    expect((await badId.json()).message).toMatch(/UUID/);
    const missing = await authFetch(`${url}/api/photos/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    const badBody = await authFetch(`${url}/api/reprocess`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"step":"nope"}' });
    expect(badBody.status).toBe(400);
    // Not multipart: the wrong media type, said as such.
    const noFiles = await authFetch(`${url}/api/photos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noFiles.status).toBe(415);
    expect((await noFiles.json()).message).toMatch(/multipart\/form-data/);
  });

  it('serves files with types, ETags and cache headers', async () => {
    const id = idsByPath.get(falcon)!;
    const original = await authFetch(`${url}/api/photos/${id}/original`);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect(original.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await original.arrayBuffer()).equals(fs.readFileSync(falcon))).toBe(true);
    // ranges: a resumed download or a player asks for part of the file
    const bytes = fs.readFileSync(falcon);
    expect(original.headers.get('accept-ranges')).toBe('bytes');
    const part = await authFetch(`${url}/api/photos/${id}/original`, { headers: { range: 'bytes=100-1099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 1100))).toBe(true);
    const tail = await authFetch(`${url}/api/photos/${id}/original`, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const stale = await authFetch(`${url}/api/photos/${id}/original`, { headers: { range: 'bytes=0-9', 'if-range': '"another"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
    const past = await authFetch(`${url}/api/photos/${id}/original`, { headers: { range: `bytes=${bytes.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    await past.arrayBuffer();
    const thumb = await authFetch(`${url}/api/photos/${id}/thumbnail`);
    const etag = thumb.headers.get('etag');
    expect(etag).toBeTruthy();
    // made again under the same address after an edit or a reprocess: asked for again at every load (a 304 when unchanged)
    expect(thumb.headers.get('cache-control')).toBe('private, no-cache');
    const revalidated = await authFetch(`${url}/api/photos/${id}/thumbnail`, { headers: { 'if-none-match': etag! } });
    expect(revalidated.status).toBe(304);
    const heic = idsByPath.get(path.join(assets, 'formats/heic/IMG_2682.heic'))!;
    expect((await authFetch(`${url}/api/photos/${heic}/original`)).headers.get('content-type')).toBe('image/heic');
  });

  it('reports health and statistics', async () => {
    const health = await (await authFetch(`${url}/api/health`)).json();
    expect(health.status).toBe('ok');
    expect(health.database).toMatchObject({ ok: true, kind: onPostgres() ? 'postgres' : 'embedded' });
    expect(health.queue.depth).toBe(0);
    expect(health.photos.completed).toBeGreaterThan(0);
    const stats = await (await authFetch(`${url}/api/stats`)).json();
    expect(stats.steps.preprocessing.done).toBe(stats.total);
    expect(stats.steps.hashes.averageDurationMs).toBeGreaterThan(0);
  });

  it('publishes an OpenAPI document and interactive docs', async () => {
    const doc = await (await authFetch(`${url}/api/openapi.json`)).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/photos', '/api/photos/{id}', '/api/health', '/api/stats']));
    expect(doc.paths['/api/photos'].get.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(['page', 'limit', 'from', 'to', 'state', 'camera', 'hasGps']),
    );
    const docs = await authFetch(`${url}/api/docs`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
  });

  it('refuses files that are not images, with the detected type, and keeps serving', async () => {
    const empty = await upload(url, [{ name: 'empty.jpg', data: Buffer.alloc(0) }]);
    expect(empty.status).toBe(415);
    expect(empty.body.items[0].error).toMatch(/empty/);
    const text = await upload(url, [{ name: 'notes.jpg', data: Buffer.from('just some text, not a photo\n'.repeat(20)) }]);
    expect(text.status).toBe(415);
    expect(text.body.message).toMatch(/text\/plain/);
    const pdf = await upload(url, [{ name: 'doc.jpg', data: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 1)]) }]);
    expect(pdf.status).toBe(415);
    expect(pdf.body.message).toMatch(/application\/pdf/);
    // One bad file among good ones: the good one is accepted, the bad one is an item with its error.
    const red = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#d01010' } })
      .jpeg()
      .toBuffer();
    const mixed = await upload(url, [
      { name: 'red.jpg', data: red },
      { name: 'notes.txt', data: Buffer.from('hello') },
    ]);
    expect(mixed.status).toBe(201);
    expect(mixed.body.items[0]).toMatchObject({ filename: 'red.jpg', duplicate: false });
    expect(mixed.body.items[1]).toMatchObject({ filename: 'notes.txt', statusCode: 415 });
    expect((await authFetch(`${url}/api/health`)).status).toBe(200);
  });

  it('records a truncated JPEG as failed with the reason, and retries it on request', async () => {
    const bytes = fs.readFileSync(falcon);
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    const { status, body } = await upload(url, [{ name: 'truncated.jpg', data: truncated }]);
    expect(status).toBe(201);
    const id = body.items[0].id;
    await waitForTerminal(url, [id]);
    const detail = await (await authFetch(`${url}/api/photos/${id}`)).json();
    expect(detail.state).toBe('failed');
    expect(detail.steps.preprocessing.status).toBe('failed');
    // The reason names the photo as uploaded, not the content-addressed file it is stored as.
    expect(detail.steps.preprocessing.error).toMatch(/truncated\.jpg/);
    expect(detail.steps.preprocessing.error).not.toMatch(/[0-9a-f]{64}/);
    expect(detail.steps.hashes).toMatchObject({ status: 'skipped', error: 'needs preprocessing, which failed' });
    expect((await authFetch(`${url}/api/photos/${id}/thumbnail`)).status).toBe(404);

    const retry = await authFetch(`${url}/api/photos/${id}/retry`, { method: 'POST' });
    expect(retry.status).toBe(202);
    expect((await retry.json()).reset).toEqual([
      'preprocessing',
      'hashes',
      'palette',
      'embeddings',
      'faces',
      'objects',
      'tags',
      'ocr',
      'codes',
      'captions',
      'duplicates',
    ]);
    await waitForTerminal(url, [id]);
    const after = await (await authFetch(`${url}/api/photos/${id}`)).json();
    expect(after.state).toBe('failed');
    expect(after.steps.preprocessing.attempts).toBe(2);
  });

  it('attaches an XMP sidecar uploaded with its photo; the sidecar date wins', async () => {
    const xmp = path.join(assets, 'metadata/xmp/dates/2010.xmp');
    const image = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#2060c0' } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(image)]), 'holiday.jpg');
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(xmp))]), 'holiday.jpg.xmp');
    const response = await authFetch(`${url}/api/photos`, { method: 'POST', body: form });
    const body = await response.json();
    expect(response.status).toBe(201);
    const id = body.items[0].id;
    expect(body.items[1].id).toBe(id);
    await waitForTerminal(url, [id]);
    const detail = await (await authFetch(`${url}/api/photos/${id}`)).json();
    expect(detail.hasSidecar).toBe(true);
    expect(detail.sidecar).toBe('xmp');
    expect(detail.metadata.takenAt).toMatch(/^2010-/);
  });

  it('deletes a photo for good (force) with its rows and every derived file', async () => {
    const image = await sharp({ create: { width: 90, height: 70, channels: 3, background: '#10a040' } })
      .png()
      .toBuffer();
    const { body } = await upload(url, [{ name: 'green.png', data: image }]);
    const id = body.items[0].id;
    await waitForTerminal(url, [id]);
    const detail = await (await authFetch(`${url}/api/photos/${id}`)).json();
    const derivedDir = path.join(server.dataDir, 'derived', id.slice(0, 2), id);
    const original = path.join(server.dataDir, 'originals', detail.sha256.slice(0, 2), detail.sha256.slice(2, 4), `${detail.sha256}.png`);
    expect(fs.existsSync(path.join(derivedDir, 'thumbnail.webp'))).toBe(true);
    expect(fs.existsSync(original)).toBe(true);

    // Without force a photo goes to the trash (test/integration/trash.test.ts); force removes it for good.
    expect((await authFetch(`${url}/api/photos/${id}?force=true`, { method: 'DELETE' })).status).toBe(204);
    expect((await authFetch(`${url}/api/photos/${id}`)).status).toBe(404);
    expect((await authFetch(`${url}/api/photos/${id}?force=true`, { method: 'DELETE' })).status).toBe(404);
    expect((await authFetch(`${url}/api/photos/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect(fs.existsSync(derivedDir)).toBe(false);
    expect(fs.existsSync(original)).toBe(false);
    // The same bytes can come back as a new photo.
    const again = await upload(url, [{ name: 'green.png', data: image }]);
    expect(again.body.items[0]).toMatchObject({ duplicate: false });
    expect(again.body.items[0].id).not.toBe(id);
  });
});

describe('upload size limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxUploadBytes: 100_000 });
  });
  afterAll(async () => server?.dispose());

  it('answers 413 for a file over the limit and accepts the next one', async () => {
    const big = fs.readFileSync(falcon);
    expect(big.length).toBeGreaterThan(100_000);
    const alone = await upload(server.url, [{ path: falcon }]);
    expect(alone.status).toBe(413);
    expect(alone.body.message).toMatch(/limit/);
    const small = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#888888' } })
      .jpeg()
      .toBuffer();
    const mixed = await upload(server.url, [{ path: falcon }, { name: 'small.jpg', data: small }]);
    expect(mixed.status).toBe(201);
    expect(mixed.body.items[0]).toMatchObject({ statusCode: 413 });
    expect(mixed.body.items[1]).toMatchObject({ filename: 'small.jpg', duplicate: false });
    const list = await (await authFetch(`${server.url}/api/photos`)).json();
    expect(list.total).toBe(1);
    // Nothing of the refused file is left in the temp folder (once the accepted one's renditions, which pass
    // through it on their way into storage, are written).
    await waitForTerminal(server.url, [mixed.body.items[1].id]);
    expect(fs.readdirSync(path.join(server.dataDir, 'tmp'))).toEqual([]);
  });
});
