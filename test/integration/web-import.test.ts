// An import from the web app (issue 35 item 1): a Google Takeout's two zips uploaded with the tus protocol (the
// browser's tus-js-client, here in Node) into an import, the first cut off halfway and resumed from the offset the
// server kept, then imported on the server with its progress and report, the archives removed after. Also: an
// archive that is not a zip reported, the import refusing to start before its archives are whole, and another
// user's import a 404.
import fs from 'node:fs';
import path from 'node:path';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { eq } from 'drizzle-orm';
import { imports } from '../../src/db/schema.js';
import { launchBrowser, openPage, poll, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, tempDir, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const seconds = (iso: string) => String(Date.parse(iso) / 1000);
const sidecar = (title: string, fields: Record<string, unknown>) => Buffer.from(JSON.stringify({ title, description: '', ...fields }));

function zipOf(entries: [string, Buffer][]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { compress: false });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

interface ImportView {
  id: string;
  status: string;
  files: { name: string; size: number | null; received: number }[];
  progress: { done: number; total: number } | null;
  outcome: Record<string, number> | null;
  report: string | null;
}

let server: TestServer;
let zips: { name: string; data: Buffer }[];

beforeAll(async () => {
  const utah = fs.readFileSync(path.join(assets, 'metadata/gps-position/thompson-springs.jpg'));
  const fir = fs.readFileSync(path.join(assets, 'albums/nature/silver_fir.jpg'));
  zips = [
    {
      name: 'takeout-001.zip',
      data: await zipOf([
        ['Takeout/Google Photos/Photos from 2019/silver_fir.jpg', fir],
        ['Takeout/Google Photos/Photos from 2019/silver_fir.jpg.supplemental-metadata.json', sidecar('silver_fir.jpg', { photoTakenTime: { timestamp: seconds('2019-07-14T10:00:00Z') }, favorited: true })],
      ]),
    },
    {
      name: 'takeout-002.zip',
      data: await zipOf([
        ['Takeout/Google Photos/Utah trip/thompson-springs.jpg', utah],
        ['Takeout/Google Photos/Utah trip/thompson-springs.jpg.json', sidecar('thompson-springs.jpg', { photoTakenTime: { timestamp: seconds('2019-01-01T00:00:00Z') }, archived: true })],
        ['Takeout/Google Photos/Utah trip/metadata.json', sidecar('Utah trip', {})],
      ]),
    },
  ];
  server = await startTestServer(withoutFacesOrText());
}, 120_000);

afterAll(async () => {
  await server?.dispose();
});

/** Uploads an archive into the import; `stopAfter` bytes, or whole. Resolves with the upload's URL. */
function send(importId: string, file: { name: string; data: Buffer }, options: { stopAfter?: number; uploadUrl?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload: tus.Upload = new tus.Upload(file.data, {
      endpoint: `${server.url}/api/imports/uploads`,
      ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
      chunkSize: 16 * 1024,
      retryDelays: [],
      headers: { 'x-api-key': server.apiKey },
      metadata: { importId, filename: file.name },
      onChunkComplete: (_chunk, sent) => {
        if (options.stopAfter !== undefined && sent >= options.stopAfter) {
          void upload.abort().then(() => resolve(upload.url!));
        }
      },
      onSuccess: () => resolve(upload.url!),
      onError: reject,
    });
    upload.start();
  });
}

const getImport = async (id: string) => (await json(`${server.url}/api/imports/${id}`)).body as ImportView;

/** The import once it is no longer importing (at most a minute). */
async function importEnded(id: string): Promise<ImportView> {
  let view = await getImport(id);
  for (let i = 0; i < 300 && view.status === 'importing'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    view = await getImport(id);
  }
  return view;
}

describe('an import uploaded from the web app', () => {
  it('takes the archives resumably, refuses to start before they are whole, imports them on the server', async () => {
    const made = await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'google-takeout' } });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    expect(made.body).toMatchObject({ status: 'uploading', files: [] });

    // the first zip cut off after two chunks: the server keeps what came
    const url = await send(id, zips[0]!, { stopAfter: 32 * 1024 });
    const head = await fetch(url, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0', 'x-api-key': server.apiKey } });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('upload-offset'))).toBe(32 * 1024);
    expect((await getImport(id)).files).toEqual([{ uploadId: expect.any(String), name: 'takeout-001.zip', size: zips[0]!.data.length, received: 32 * 1024 }]);
    const early = await json(`${server.url}/api/imports/${id}/start`, { method: 'POST' });
    expect(early.status).toBe(409);
    expect(early.body.message).toBe(`not uploaded whole yet: takeout-001.zip (${32 * 1024} of ${zips[0]!.data.length} bytes)`);

    // a stray archive taken out again (tus termination): the import has the first alone
    const stray = await send(id, { name: 'wrong.zip', data: Buffer.alloc(64 * 1024, 1) }, { stopAfter: 16 * 1024 });
    const removed = await fetch(stray, { method: 'DELETE', headers: { 'tus-resumable': '1.0.0', 'x-api-key': server.apiKey } });
    expect(removed.status).toBe(204);
    expect((await getImport(id)).files.map((f) => f.name)).toEqual(['takeout-001.zip']);

    // resumed from there, and the second zip whole
    expect(await send(id, zips[0]!, { uploadUrl: url })).toBe(url);
    await send(id, zips[1]!);
    const files = (await getImport(id)).files;
    expect(files.map((f) => [f.name, f.received === f.size])).toEqual([
      ['takeout-001.zip', true],
      ['takeout-002.zip', true],
    ]);

    const started = await json(`${server.url}/api/imports/${id}/start`, { method: 'POST' });
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('importing');
    const view = await importEnded(id);
    expect(view.status, view.report ?? '').toBe('done');
    expect(view.progress).toEqual({ done: 2, total: 2 });
    expect(view.outcome).toMatchObject({ added: 2, failed: 0, favourites: 1, archived: 1, albums: 1 });
    expect(view.report).toContain('Albums: Utah trip (1).');
    expect(view.files).toEqual([]); // the archives are gone once imported
    // and their files (each upload's data and .json) leave the disk: removed right after the import says it is done (an
    // import stopped before that runs again at the next start instead of failing for want of its archives)
    await expect.poll(() => fs.readdirSync(path.join(server.dataDir, 'import-uploads')).filter((name) => name.startsWith(id)), { timeout: 10_000 }).toEqual([]);

    const photos = (await json(`${server.url}/api/photos?archived=include&limit=10`)).body.items as { id: string; filename: string; favorite: boolean; archived: boolean }[];
    expect(photos.map((p) => [p.filename, p.favorite, p.archived]).sort()).toEqual([
      ['silver_fir.jpg', true, false],
      ['thompson-springs.jpg', false, true],
    ]);
    await waitForTerminal(
      server.url,
      photos.map((p) => p.id),
    );
    const fir = (await json(`${server.url}/api/photos/${photos.find((p) => p.filename === 'silver_fir.jpg')!.id}`)).body;
    expect(fir.metadata.takenAt).toMatch(/^2019-07-14T/);

    // done: no more archives, no second start
    expect((await json(`${server.url}/api/imports/${id}/start`, { method: 'POST' })).status).toBe(409);
    await expect(send(id, zips[0]!)).rejects.toThrow(/404/);
  }, 120_000);

  it('reports an archive that is not a zip, and keeps serving', async () => {
    const id = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'google-takeout' } })).body.id as string;
    await send(id, { name: 'not-a-zip.zip', data: Buffer.from('PK but nothing of a zip archive') });
    expect((await json(`${server.url}/api/imports/${id}/start`, { method: 'POST' })).status).toBe(202);
    const view = await importEnded(id);
    expect(view.status).toBe('done');
    expect(view.report).toMatch(/^\s*not-a-zip\.zip: not a zip archive/mu);
    expect((await json(`${server.url}/api/health`)).status).toBe(200);
  });

  it('counts archives waiting to be imported against the storage quota', async () => {
    const me = (await json(`${server.url}/api/auth/me`)).body.id as string;
    const used = (await json(`${server.url}/api/admin/users`)).body.items.find((u: { id: string }) => u.id === me).usedBytes as number;
    expect((await json(`${server.url}/api/admin/users/${me}`, { method: 'PATCH', json: { quotaBytes: used + 100_000 } })).status).toBe(200);
    try {
      const id = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'google-takeout' } })).body.id as string;
      // 60 kB waits in one import: another of 60 kB would pass what the quota leaves
      await send(id, { name: 'first.zip', data: Buffer.alloc(60_000, 1) }, { stopAfter: 16 * 1024 });
      await expect(send(id, { name: 'second.zip', data: Buffer.alloc(60_000, 2) })).rejects.toThrow(/413.*over your storage quota/su);
      await send(id, { name: 'small.zip', data: Buffer.alloc(30_000, 3) });
      expect((await getImport(id)).files.map((f) => f.name)).toEqual(['first.zip', 'small.zip']);
      expect((await json(`${server.url}/api/imports/${id}`, { method: 'DELETE' })).status).toBe(204);
    } finally {
      await json(`${server.url}/api/admin/users/${me}`, { method: 'PATCH', json: { quotaBytes: null } });
    }
  });

  it('refuses uploads into an import that is not there, and an unknown source', async () => {
    await expect(send('00000000-0000-4000-8000-000000000000', zips[1]!)).rejects.toThrow(/404/);
    const bad = await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'flickr' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('source');
    expect((await json(`${server.url}/api/imports/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('uploads from the Import page, goes on after a stop without sending the file again, and shows the report', async () => {
    const dir = tempDir('shoebox-web-import-');
    // past one 32 MB chunk: stopped during the second, the first stays on the server
    const big = path.join(dir, 'takeout-big.zip');
    fs.writeFileSync(
      big,
      await zipOf([
        ['Takeout/Google Photos/Photos from 2020/noise.bin', Buffer.alloc(40 * 1024 * 1024, 7)],
        ['Takeout/Google Photos/Photos from 2020/el_torcal_rocks.jpg', fs.readFileSync(path.join(assets, 'formats/jpg/el_torcal_rocks.jpg'))],
        ['Takeout/Google Photos/Photos from 2020/el_torcal_rocks.jpg.json', sidecar('el_torcal_rocks.jpg', { photoTakenTime: { timestamp: seconds('2020-05-01T12:00:00Z') } })],
      ]),
    );
    const browser = await launchBrowser();
    try {
      const { page, errors } = await openPage(await signedInContext(browser, server, { viewport: { width: 390, height: 844 } }));
      // a slow line (16 MB/s up), so that the stop lands in the second chunk
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 16 * 1024 * 1024 });
      await page.goto(`${server.url}/import`);
      await page.getByTestId('import-files').setInputFiles([big]);
      const uploaded = async () => {
        const items = (await json(`${server.url}/api/imports`)).body.items as (ImportView & { id: string })[];
        return items.find((item) => item.files.some((f) => f.name === 'takeout-big.zip'));
      };
      await poll(async () => (await uploaded())?.files[0]?.received ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(32 * 1024 * 1024);
      await page.getByTestId('import-stop').click();
      await poll(() => page.getByTestId('import-sending').count()).toBe(0);
      const cut = (await uploaded())!;
      expect(cut.status).toBe('uploading');
      expect(cut.files[0]!.received).toBeLessThan(cut.files[0]!.size!);

      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await page.getByRole('button', { name: 'Continue the upload' }).click();
      await page.getByTestId('import-files').setInputFiles([big]);
      // newest first: this import's card leads the list
      const card = page.getByTestId('import').first();
      await poll(() => card.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
      const report = await card.getByTestId('import-report').textContent();
      expect(report).toContain('Added 1, already in the library 0');
      // the same upload went on: a second upload beside the cut-off one would be a damaged zip in the report
      expect(report).not.toMatch(/not a zip|damaged/);
      const done = (await json(`${server.url}/api/imports/${cut.id}`)).body as ImportView;
      expect(done.status).toBe('done');
      expect(done.outcome).toMatchObject({ added: 1 });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('runs an import a stop cut short again when the server starts', async () => {
    const id = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'google-takeout' } })).body.id as string;
    const again = { name: 'takeout-again.zip', data: await zipOf([['Takeout/Google Photos/Photos from 2021/rocks.jpg', fs.readFileSync(path.join(assets, 'formats/jpg/el_torcal_rocks.jpg'))]]) };
    await send(id, again);
    // as a server stopped in the middle of it leaves it
    await server.lib.db.update(imports).set({ status: 'importing' }).where(eq(imports.id, id));
    await server.close();
    server = await startTestServer(withoutFacesOrText({ dataDir: server.dataDir }));
    const view = await importEnded(id);
    expect(view.status).toBe('done');
    // the rocks photo was imported by the test before: in the library already, not added twice
    expect(view.outcome).toMatchObject({ added: 0, alreadyThere: 1, failed: 0 });
  }, 120_000);
});
