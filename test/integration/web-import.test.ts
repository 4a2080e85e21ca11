// An import from the web app (issue 35 item 1): a Google Takeout's two zips uploaded with the tus protocol (the
// browser's tus-js-client, here in Node) into an import, the first cut off halfway and resumed from the offset the
// server kept, then imported on the server with its progress and report, the archives removed after. Also: an
// archive that is not a zip reported, the import refusing to start before its archives are whole, and another
// user's import a 404. Archives that once crashed or stuck an import (issue 59): a NUL in an album's title, a zip that
// inflates past its bound, an iCloud CSV past its bound (streamed: the server keeps serving, its memory bounded).
// The same tus pieces carry a backup's photos (/api/uploads, issue 63): cut off and resumed, known, refused.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { eq } from 'drizzle-orm';
import { imports } from '../../src/db/schema.js';
import { markImportsStoppedInOrder } from '../../src/library/imports/index.js';
import { deflatedZip } from '../helpers/zip.js';
import { phonePhotos } from '../helpers/phone-photos.js';
import { uploadMetadata } from '../../web/src/lib/backupUpload.js';
import { sendUpload, UploadWaits } from '../../web/src/lib/tusFetch.js';
import { launchBrowser, openPage, poll, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, tempDir, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const seconds = (iso: string) => String(Date.parse(iso) / 1000);
/** A small JPEG of one colour: bytes no other test of the file imports. */
const jpeg = (r: number, g: number, b: number) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g, b } } })
    .jpeg()
    .toBuffer();
const sidecar = (title: string, fields: Record<string, unknown>) => Buffer.from(JSON.stringify({ title, description: '', ...fields }));

function zipOf(entries: [string, Buffer][]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { compress: false });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream
      .on('data', (chunk: Buffer) => chunks.push(chunk))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
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
        [
          'Takeout/Google Photos/Photos from 2019/silver_fir.jpg.supplemental-metadata.json',
          sidecar('silver_fir.jpg', { photoTakenTime: { timestamp: seconds('2019-07-14T10:00:00Z') }, favorited: true }),
        ],
      ]),
    },
    {
      name: 'takeout-002.zip',
      data: await zipOf([
        ['Takeout/Google Photos/Utah trip/thompson-springs.jpg', utah],
        [
          'Takeout/Google Photos/Utah trip/thompson-springs.jpg.json',
          sidecar('thompson-springs.jpg', { photoTakenTime: { timestamp: seconds('2019-01-01T00:00:00Z') }, archived: true }),
        ],
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
function send(
  importId: string,
  file: { name: string; data: Buffer },
  options: { stopAfter?: number; uploadUrl?: string; chunkSize?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload: tus.Upload = new tus.Upload(file.data, {
      endpoint: `${server.url}/api/imports/uploads`,
      ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
      chunkSize: options.chunkSize ?? 16 * 1024,
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

/** An iCloud Photos part: a photo, IMG_0001.JPG, and a Photo Details CSV of that many rows (~100 bytes each). */
async function iCloudPart(rows: number, photo: Buffer): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(photo, 'iCloud Photos/Photos/IMG_0001.JPG', { compress: false });
  let row = 0;
  const csv = new Readable({
    read() {
      if (row === 0) this.push('imgName,fileChecksum,favorite,hidden,deleted,originalCreationDate,viewCount,importDate\n');
      if (row >= rows) return void this.push(null);
      const lines: string[] = [];
      for (const end = Math.min(rows, row + 2000); row < end; row++) {
        lines.push(`IMG_${row}.JPG,c${row * 7919},yes,no,no,"Monday September 9,2019 12:05 AM GMT",${row % 10},"Monday September 9,2019 12:06 AM GMT"\n`);
      }
      this.push(lines.join(''));
    },
  });
  zip.addReadStream(csv, 'iCloud Photos/Photos/Photo Details.csv', { compressionLevel: 1 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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
    // the archives are gone once imported: removed right after the import says it is done, so looked at until then
    await expect.poll(async () => (await getImport(id)).files, { timeout: 10_000 }).toEqual([]);
    // and their files (each upload's data and .json) leave the disk: removed right after the import says it is done (an
    // import stopped before that runs again at the next start instead of failing for want of its archives)
    await expect.poll(() => fs.readdirSync(path.join(server.dataDir, 'import-uploads')).filter((name) => name.startsWith(id)), { timeout: 10_000 }).toEqual([]);

    const photos = (await json(`${server.url}/api/photos?archived=include&limit=10`)).body.items as {
      id: string;
      filename: string;
      favorite: boolean;
      archived: boolean;
    }[];
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

  it('cleans a NUL out of an album title: the import ends, and an import in any state may be removed', async () => {
    const id = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'google-takeout' } })).body.id as string;
    const rocks = await jpeg(12, 200, 99);
    await send(id, {
      name: 'nul.zip',
      data: await zipOf([
        ['Takeout/Google Photos/Nul trip/rocks.jpg', rocks],
        ['Takeout/Google Photos/Nul trip/metadata.json', Buffer.from(JSON.stringify({ title: 'Nul\u0000 trip', description: 'by the\u0000 sea' }))],
      ]),
    });
    expect((await json(`${server.url}/api/imports/${id}/start`, { method: 'POST' })).status).toBe(202);
    // it used to stay importing for ever: the failure it tried to record held the NUL
    const view = await importEnded(id);
    expect(view.status, view.report ?? '').toBe('done');
    expect(view.report).toContain('Albums: Nul trip (1).');
    const albums = (await json(`${server.url}/api/albums?kind=manual`)).body.items as { name: string; description: string | null }[];
    expect(albums.find((album) => album.name === 'Nul trip')).toMatchObject({ description: 'by the sea' });

    // one left importing (as a stop leaves it, no run of it here) is removed with its archives
    const stuck = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'google-takeout' } })).body.id as string;
    await send(stuck, { name: 'stuck.zip', data: await zipOf([['Takeout/Google Photos/x/rocks.jpg', rocks]]) });
    await server.lib.db.update(imports).set({ status: 'importing' }).where(eq(imports.id, stuck));
    expect((await json(`${server.url}/api/imports/${stuck}`, { method: 'DELETE' })).status).toBe(204);
    expect((await json(`${server.url}/api/imports/${stuck}`)).status).toBe(404);
    expect(fs.readdirSync(path.join(server.dataDir, 'import-uploads')).filter((name) => name.startsWith(stuck))).toEqual([]);

    // and one running (reading a 10 MB CSV): its run stops, then it goes
    const running = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'icloud' } })).body.id as string;
    await send(running, { name: 'part.zip', data: await iCloudPart(100_000, await jpeg(99, 12, 200)) }, { chunkSize: 4 * 1024 * 1024 });
    expect((await json(`${server.url}/api/imports/${running}/start`, { method: 'POST' })).status).toBe(202);
    expect((await getImport(running)).status).toBe('importing');
    expect((await json(`${server.url}/api/imports/${running}`, { method: 'DELETE' })).status).toBe(204);
    expect((await json(`${server.url}/api/imports/${running}`)).status).toBe(404);
    expect(fs.readdirSync(path.join(server.dataDir, 'import-uploads')).filter((name) => name.startsWith(running))).toEqual([]);
  });

  it('stops an import whose zip inflates past its bound, saying which, and one whose entries share their data', async () => {
    const id = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'google-takeout' } })).body.id as string;
    // 300 entries of 1 MB of spaces, each under the per-entry ratio rule: 300 MB from 300 kB
    const names = Array.from({ length: 300 }, (_, i) => `Takeout/Google Photos/Photos from 2020/${i}.json`);
    await send(id, { name: 'many.zip', data: deflatedZip(names, Buffer.alloc(1024 * 1024, ' ')) }, { chunkSize: 1024 * 1024 });
    // the same data named by 1,000 entries at once: refused whole, before a byte is inflated
    const shared = Array.from({ length: 1000 }, (_, i) => `Takeout/Google Photos/Photos from 2021/IMG_${i}.jpg`);
    await send(id, { name: 'shared.zip', data: deflatedZip(shared, Buffer.alloc(1024 * 1024), { shared: true }) });
    expect((await json(`${server.url}/api/imports/${id}/start`, { method: 'POST' })).status).toBe(202);
    const view = await importEnded(id);
    expect(view.status).toBe('failed');
    expect((await json(`${server.url}/api/imports/${id}`)).body.error).toMatch(
      /^many\.zip unpacks to more than 256 MB from \d+ bytes \(over 10 times its size\): a zip bomb; the import stops$/,
    );
    expect((await json(`${server.url}/api/health`)).status).toBe(200);
    expect((await json(`${server.url}/api/imports/${id}`, { method: 'DELETE' })).status).toBe(204);

    const alone = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'google-takeout' } })).body.id as string;
    await send(alone, { name: 'shared.zip', data: deflatedZip(shared, Buffer.alloc(1024 * 1024), { shared: true }) });
    await json(`${server.url}/api/imports/${alone}/start`, { method: 'POST' });
    const refused = await importEnded(alone);
    expect(refused.status).toBe('done');
    expect(refused.report).toMatch(/^\s*shared\.zip: its entries overlap .*: a zip bomb$/mu);
    expect(refused.outcome).toMatchObject({ added: 0 });
  });

  it('streams an iCloud CSV far past its bound: the server keeps serving, its memory bounded, the CSV not read', async () => {
    // 33 MB of Photo Details rows (~330,000 photos), 1.7 MB zipped; the one photo the export holds is in it
    const data = await iCloudPart(330_000, await jpeg(200, 99, 12));
    const id = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'icloud' } })).body.id as string;
    await send(id, { name: 'iCloud Photos Part 1 of 1.zip', data }, { chunkSize: 4 * 1024 * 1024 });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampling = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const answers: number[] = [];
    try {
      expect((await json(`${server.url}/api/imports/${id}/start`, { method: 'POST' })).status).toBe(202);
      let view = await getImport(id);
      while (view.status === 'importing') {
        const asked = Date.now();
        expect((await json(`${server.url}/api/health`)).status).toBe(200);
        answers.push(Date.now() - asked);
        await new Promise((resolve) => setTimeout(resolve, 100));
        view = await getImport(id);
      }
      expect(view.status, view.report ?? '').toBe('done');
      expect(view.report).toContain('iCloud Photos Part 1 of 1.zip:iCloud Photos/Photos/Photo Details.csv: not read: larger than 32 MB');
      expect(view.outcome).toMatchObject({ added: 1 });
    } finally {
      clearInterval(sampling);
    }
    // streamed: +11 MB; read whole and parsed at once, this CSV took +450 MB (a 250 MB one killed the server at 4.4 GB)
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
    expect(answers.length).toBeGreaterThan(3);
    expect(Math.max(...answers)).toBeLessThan(1000);
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
        [
          'Takeout/Google Photos/Photos from 2020/el_torcal_rocks.jpg.json',
          sidecar('el_torcal_rocks.jpg', { photoTakenTime: { timestamp: seconds('2020-05-01T12:00:00Z') } }),
        ],
      ]),
    );
    // a Takeout zip dropped on Upload: not sent, but offered to Import, which imports it and reports with headings
    const album = path.join(dir, 'takeout-album.zip');
    fs.writeFileSync(
      album,
      await zipOf([
        ['Takeout/Google Photos/Porto/porto.jpg', await jpeg(200, 120, 40)],
        ['Takeout/Google Photos/Porto/porto.jpg.json', sidecar('porto.jpg', { photoTakenTime: { timestamp: seconds('2018-04-01T12:00:00Z') } })],
        [
          'Takeout/Google Photos/Porto/metadata.json',
          sidecar('Porto', { access: 'protected', date: { timestamp: seconds('2018-04-02T00:00:00Z') }, geoData: { latitude: 41.15, longitude: -8.61 } }),
        ],
        ['Takeout/Google Photos/Porto/stray.jpg.json', sidecar('stray.jpg', { photoTakenTime: { timestamp: seconds('2018-04-01T12:00:00Z') } })],
      ]),
    );
    const browser = await launchBrowser();
    try {
      const { page, errors } = await openPage(await signedInContext(browser, server, { viewport: { width: 390, height: 844 } }));
      await page.goto(`${server.url}/`);
      await page.getByTestId('upload-input').setInputFiles([album]);
      const row = page.getByTestId('upload-row').filter({ hasText: 'takeout-album.zip' });
      await poll(() => row.getAttribute('data-status')).toBe('refused');
      expect(await row.getByTestId('upload-refused').textContent()).toMatch(
        /^Not uploaded: a zip archive, not a photo or video: a Google Takeout or iCloud export is brought in by Import · import it$/,
      );
      await row.getByTestId('upload-to-import').click();
      await page.getByTestId('import-offer').getByText('takeout-album.zip').waitFor();
      expect(await page.getByTestId('import-source-google-takeout').isChecked()).toBe(true);
      // "Not now" sets the offer aside and keeps the archive: offered again on the next visit (before: dropped, to be chosen again)
      await page.getByTestId('import-not-now').click();
      expect(await page.getByTestId('import-offer').count()).toBe(0);
      await page.goBack();
      await page.waitForURL(`${server.url}/`);
      await page.goForward();
      await page.getByTestId('import-offer').getByText('takeout-album.zip').waitFor();
      const before = new Set(((await json(`${server.url}/api/imports`)).body.items as { id: string }[]).map((item) => item.id));
      await page.getByTestId('import-offered').click();
      const made = async () => ((await json(`${server.url}/api/imports`)).body.items as { id: string }[]).find((item) => !before.has(item.id))?.id ?? null;
      await poll(made, { timeout: 30_000 }).not.toBeNull();
      const porto = page.locator(`[data-import-id="${await made()}"]`);
      await poll(() => porto.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
      // counts, then each list under its heading with its count
      expect(await porto.getByTestId('import-count-added').textContent()).toBe('added1');
      expect(await porto.getByTestId('import-report').textContent()).toContain('Albums: Porto (1).');
      const heading = porto.locator('.import-section summary').filter({ hasText: 'Sidecars (or detail rows) without their file' });
      expect(await heading.locator('.import-section-count').textContent()).toBe('1');
      expect(await porto.locator('.import-section li').allTextContents()).toEqual([
        expect.stringMatching(/takeout-album\.zip:Takeout\/Google Photos\/Porto\/stray\.jpg\.json$/),
      ]);
      expect(await porto.locator('pre').count()).toBe(0);

      // an iCloud export's part dropped on Upload: offered to Import with iCloud chosen as its source (before: Google's)
      const icloud = path.join(dir, 'iCloud Photos Part 1 of 1.zip');
      fs.writeFileSync(icloud, await zipOf([['iCloud Photos Part 1 of 1/Photos/porto.jpg', await jpeg(200, 120, 40)]]));
      await page.goto(`${server.url}/`);
      await page.getByTestId('upload-input').setInputFiles([icloud]);
      await page.getByTestId('upload-row').filter({ hasText: 'iCloud Photos Part 1 of 1.zip' }).getByTestId('upload-to-import').click();
      await page.getByTestId('import-offer').getByText('iCloud Photos Part 1 of 1.zip').waitFor();
      expect(await page.getByTestId('import-source-icloud').isChecked()).toBe(true);

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

  it('runs an import a stop cut short again when the server starts, unless it crashed the server twice at one place', async () => {
    const make = async (name: string, data: Buffer) => {
      const id = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'google-takeout' } })).body.id as string;
      await send(id, { name, data: await zipOf([[`Takeout/Google Photos/Photos from 2021/${name}.jpg`, data]]) });
      return id;
    };
    const id = await make('takeout-again.zip', fs.readFileSync(path.join(assets, 'formats/jpg/el_torcal_rocks.jpg')));
    // as a server stopped in the middle of it leaves it
    await server.lib.db.update(imports).set({ status: 'importing' }).where(eq(imports.id, id));
    // one whose first crash was where this stop leaves it too, reading its archives: this is its second there
    const twice = await make('twice.zip', await jpeg(1, 2, 250));
    const crashed = { done: 0, total: 0, crashes: 1, orderly: false };
    await server.lib.db
      .update(imports)
      .set({ status: 'importing', progress: { done: 0, total: 0 }, stops: crashed })
      .where(eq(imports.id, twice));
    // the same, but the server stopped it itself this time (in order): not a crash
    const orderly = await make('orderly.zip', await jpeg(1, 250, 2));
    await server.lib.db
      .update(imports)
      .set({ status: 'importing', progress: { done: 0, total: 0 }, stops: crashed })
      .where(eq(imports.id, orderly));
    await markImportsStoppedInOrder(server.lib.db, [orderly]);
    // and one running when the server stops (reading a 10 MB CSV): stopped in order, so its next start counts no crash
    const running = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'icloud' } })).body.id as string;
    await send(running, { name: 'part.zip', data: await iCloudPart(100_000, await jpeg(250, 1, 2)) }, { chunkSize: 4 * 1024 * 1024 });
    expect((await json(`${server.url}/api/imports/${running}/start`, { method: 'POST' })).status).toBe(202);
    await server.close();
    server = await startTestServer(withoutFacesOrText({ dataDir: server.dataDir }));
    const view = await importEnded(id);
    expect(view.status).toBe('done');
    // the rocks photo was imported by the test before: in the library already, not added twice
    expect(view.outcome).toMatchObject({ added: 0, alreadyThere: 1, failed: 0 });
    expect((await importEnded(orderly)).status).toBe('done');
    expect((await importEnded(running)).status).toBe('done');
    const [resumed] = await server.lib.db.select({ stops: imports.stops }).from(imports).where(eq(imports.id, running));
    expect(resumed?.stops).toEqual({ done: 0, total: 0, crashes: 0, orderly: false });
    const failed = (await json(`${server.url}/api/imports/${twice}`)).body;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(
      /^the server stopped \(crashed or was killed\) 2 times in a row at the same place in this import, while it read its archives: it is not run again by itself/,
    );
    // its archive is still there: it may be started again, or removed
    expect(failed.files).toHaveLength(1);
    expect((await json(`${server.url}/api/imports/${twice}`, { method: 'DELETE' })).status).toBe(204);
  }, 120_000);
});

// A backup (issue 63 item 3): photos sent with tus to /api/uploads, each entering the library through the upload's
// door when whole; and POST /api/uploads/known, which a backup asks first.
describe('a backup over tus at /api/uploads', () => {
  const tusHeaders = (extra: Record<string, string> = {}) => ({ 'tus-resumable': '1.0.0', 'x-api-key': server.apiKey, ...extra });
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const metadataHeader = (fields: Record<string, string>) =>
    Object.entries(fields)
      .map(([key, value]) => `${key} ${b64(value)}`)
      .join(',');
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  /** Sends a photo with tus-js-client; `cutAt`: aborts the one request mid-body once that many bytes went. */
  function backup(
    file: { name: string; data: Buffer },
    options: { uploadUrl?: string; cutAt?: number; headers?: Record<string, string>; metadata?: Record<string, string> } = {},
  ): Promise<{ url: string; photoId: string | null; duplicate: string | null }> {
    return new Promise((resolve, reject) => {
      const upload: tus.Upload = new tus.Upload(file.data, {
        endpoint: `${server.url}/api/uploads`,
        ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
        retryDelays: [],
        headers: options.headers ?? { 'x-api-key': server.apiKey },
        metadata: options.metadata ?? { filename: file.name, filetype: 'image/jpeg' },
        onProgress: (sent) => {
          if (options.cutAt !== undefined && sent >= options.cutAt)
            void upload.abort().then(() => resolve({ url: upload.url!, photoId: null, duplicate: null }));
        },
        onSuccess: ({ lastResponse }) =>
          resolve({
            url: upload.url!,
            photoId: lastResponse.getHeader('shoebox-photo-id') ?? null,
            duplicate: lastResponse.getHeader('shoebox-duplicate') ?? null,
          }),
        onError: reject,
      });
      upload.start();
    });
  }
  /** Makes the upload and sends half its bytes in one PATCH whose connection then breaks; answers its URL. */
  async function cutMidway(file: { name: string; data: Buffer }): Promise<string> {
    const made = await create({
      'upload-length': String(file.data.length),
      'upload-metadata': metadataHeader({ filename: file.name, filetype: 'image/jpeg' }),
    });
    expect(made.status).toBe(201);
    const url = new URL(made.headers.get('location')!, server.url).href;
    const half = file.data.length / 2;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= half) {
          await new Promise((resolve) => setTimeout(resolve, 300)); // the server has written what came
          controller.error(new Error('connection lost'));
          return;
        }
        const chunk = file.data.subarray(sent, sent + 256 * 1024);
        sent += chunk.length;
        controller.enqueue(new Uint8Array(chunk));
      },
    });
    const patch = fetch(url, {
      method: 'PATCH',
      headers: tusHeaders({ 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }),
      body,
      duplex: 'half',
    } as RequestInit);
    await expect(patch).rejects.toThrow();
    // the server notices the break and keeps what it wrote
    await expect
      .poll(async () => Number((await fetch(url, { method: 'HEAD', headers: tusHeaders() })).headers.get('upload-offset')), { timeout: 5000 })
      .toBeGreaterThan(0);
    return url;
  }
  const create = (headers: Record<string, string>) => fetch(`${server.url}/api/uploads`, { method: 'POST', headers: tusHeaders(headers) });
  const leftInStore = () => fs.readdirSync(path.join(server.dataDir, 'photo-uploads')).filter((name) => !name.startsWith('.'));
  let bob: string;
  let bobCookie: string;

  beforeAll(async () => {
    const origin = { origin: server.url };
    expect(
      (await json(`${server.url}/api/admin/users`, { method: 'POST', json: { name: 'Bob', email: 'bob@example.org', password: 'bob password 1' } })).status,
    ).toBe(201);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...origin },
      body: JSON.stringify({ email: 'bob@example.org', password: 'bob password 1' }),
    });
    const cookie = /shoebox_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    bobCookie = cookie;
    bob = (
      await json(`${server.url}/api/api-keys`, {
        method: 'POST',
        json: { name: 'bob', scopes: ['read', 'upload'] },
        headers: { cookie, ...origin },
        anonymous: true,
      })
    ).body.key as string;
  });

  it('tells its version and extensions, resumes a 12 MP photo cut mid-way into one photo, and knows it after', async () => {
    const options = await fetch(`${server.url}/api/uploads`, { method: 'OPTIONS', headers: tusHeaders() });
    expect(options.status).toBe(204);
    expect(options.headers.get('tus-resumable')).toBe('1.0.0');
    expect(options.headers.get('tus-version')).toContain('1.0.0');
    expect(options.headers.get('tus-extension')?.split(',')).toEqual(['creation', 'creation-with-upload', 'termination', 'expiration']);

    const [photo] = await phonePhotos(1);
    const file = { name: 'backup-12mp.jpg', data: photo!.data };
    const hash = sha256(file.data);
    const known = (hashes: string[], key = server.apiKey) =>
      json(`${server.url}/api/uploads/known`, { method: 'POST', json: { sha256: hashes }, headers: { 'x-api-key': key } });
    expect((await known([hash])).body).toEqual({ known: [] });

    // cut off mid-body: the connection drops after half the bytes, and the server keeps what came
    const cut = { url: await cutMidway(file) };
    const head = await fetch(cut.url, { method: 'HEAD', headers: tusHeaders() });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(file.data.length);
    const id = cut.url.split('/').pop()!;
    expect((await json(`${server.url}/api/uploads/${id}`)).body).toMatchObject({
      status: 'uploading',
      received: offset,
      size: file.data.length,
      photoId: null,
    });
    // a PATCH at another offset than the server's is refused, and changes nothing
    const wrong = await fetch(cut.url, {
      method: 'PATCH',
      headers: tusHeaders({ 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }),
      body: new Uint8Array(file.data.subarray(0, 10)),
    });
    expect(wrong.status).toBe(409);

    // resumed from the server's offset: one photo
    const resumed = await backup(file, { uploadUrl: cut.url });
    expect(resumed.url).toBe(cut.url);
    expect(resumed.duplicate).toBe('false');
    expect(resumed.photoId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await json(`${server.url}/api/uploads/${id}`)).body).toMatchObject({
      status: 'stored',
      photoId: resumed.photoId,
      duplicate: false,
      received: file.data.length,
    });
    const stored = (await json(`${server.url}/api/photos/${resumed.photoId}`)).body;
    expect(stored).toMatchObject({ filename: 'backup-12mp.jpg', sizeBytes: file.data.length });
    // the upload's bytes leave its store once it is a photo; a HEAD still says it is whole
    await expect.poll(() => leftInStore().filter((name) => name.startsWith(id)), { timeout: 5000 }).toEqual([]);
    const after = await fetch(cut.url, { method: 'HEAD', headers: tusHeaders() });
    expect([after.status, after.headers.get('upload-offset')]).toEqual([200, String(file.data.length)]);

    // the same bytes again: already there, the same photo, nothing stored twice
    const again = await backup(file);
    expect([again.photoId, again.duplicate]).toEqual([resumed.photoId, 'true']);
    expect((await known([hash, 'f'.repeat(64)])).body).toEqual({ known: [hash] });
    // into an album its metadata names, as POST /api/albums/:id/photos puts it there
    const album = (await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'Backed up' } })).body.id as string;
    const intoAlbum = await backup(file, { metadata: { filename: file.name, albumId: album } });
    expect(intoAlbum.photoId).toBe(resumed.photoId);
    expect((await json(`${server.url}/api/albums/${album}`)).body.photos.items.map((item: { id: string }) => item.id)).toEqual([resumed.photoId]);
    const list = (await json(`${server.url}/api/photos?limit=500`)).body.items as { filename: string }[];
    expect(list.filter((item) => item.filename === 'backup-12mp.jpg')).toHaveLength(1);

    // known per owner: Bob has not that photo; and his requests on A's upload are 404s
    expect((await known([hash], bob)).body).toEqual({ known: [] });
    const asBob = { 'tus-resumable': '1.0.0', 'x-api-key': bob };
    expect((await fetch(cut.url, { method: 'HEAD', headers: asBob })).status).toBe(404);
    expect((await fetch(cut.url, { method: 'DELETE', headers: asBob })).status).toBe(404);
    expect((await json(`${server.url}/api/uploads/${id}`, { headers: { 'x-api-key': bob } })).status).toBe(404);
    const patchAsBob = await fetch(cut.url, {
      method: 'PATCH',
      headers: { ...asBob, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: Buffer.from('x'),
    });
    expect(patchAsBob.status).toBe(404);
  }, 120_000);

  // The service worker's tus client (web/src/lib/tusFetch.ts: fetch, no XHR), with the page's metadata (lib/backupUpload.ts).
  it("the service worker's tus over fetch: makes the upload, goes on from a cut, says a refusal, waits without a server", async () => {
    const sent: { method: string; bytes: number }[] = [];
    const asked = (url: string, init: RequestInit) => {
      sent.push({ method: init.method ?? 'GET', bytes: init.body instanceof Blob ? init.body.size : 0 });
      return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-api-key': server.apiKey } });
    };
    const urls: string[] = [];
    const options = { fetch: asked, origin: server.url, onUrl: async (url: string) => void urls.push(url), chunkBytes: 512 * 1024 };
    const send = (data: Buffer, name: string, url: string | null = null, hash: string | null = sha256(data)) =>
      sendUpload({ file: new Blob([new Uint8Array(data)]), url, metadata: uploadMetadata({ name, type: 'image/jpeg', lastModified: 0 }, hash, null) }, options);

    // bytes no other test sends
    const [one, two] = (await phonePhotos(2)).map((photo, i) => Buffer.concat([photo.data, Buffer.from(`#tus-fetch-${i}`)]));
    // a new upload, in chunks, under a name tus's metadata must carry in UTF-8
    const fresh = one!;
    expect(fresh.length).toBeGreaterThan(2 * options.chunkBytes);
    const stored = await send(fresh, 'été à Dĳon.jpg');
    expect(stored).toMatchObject({ status: 'stored', duplicate: false });
    expect(urls).toHaveLength(1);
    expect(sent.filter((r) => r.method === 'PATCH').reduce((sum, r) => sum + r.bytes, 0)).toBe(fresh.length);
    expect((await json(`${server.url}/api/photos/${(stored as { photoId: string }).photoId}`)).body.filename).toBe('été à Dĳon.jpg');

    // the page's upload cut mid-way: only what the server lacks is sent
    const photo = { data: two! };
    const cutUrl = await cutMidway({ name: 'cut-by-the-page.jpg', data: photo.data });
    const had = Number((await fetch(cutUrl, { method: 'HEAD', headers: tusHeaders() })).headers.get('upload-offset'));
    sent.length = 0;
    const resumed = await send(photo.data, 'cut-by-the-page.jpg', cutUrl);
    expect(resumed).toMatchObject({ status: 'stored', duplicate: false });
    expect(sent.filter((r) => r.method === 'POST')).toEqual([]);
    expect(sent.filter((r) => r.method === 'PATCH').reduce((sum, r) => sum + r.bytes, 0)).toBe(photo.data.length - had);
    // a finished upload sent again (its entry outlived it): nothing sent, the same photo
    sent.length = 0;
    expect(await send(photo.data, 'cut-by-the-page.jpg', cutUrl)).toEqual(resumed);
    expect(sent.filter((r) => r.method === 'PATCH')).toEqual([]);

    // the upload removed on the server mid-send (expired, cleaned up): made again once from byte 0, not refused
    const [lost] = (await phonePhotos(3)).slice(2).map((p) => Buffer.concat([p.data, Buffer.from('#tus-fetch-lost')]));
    sent.length = 0;
    let removed = false;
    const removing = async (url: string, init: RequestInit) => {
      const response = await asked(url, init);
      if (init.method === 'PATCH' && !removed) {
        removed = true;
        await fetch(url, { method: 'DELETE', headers: tusHeaders() });
      }
      return response;
    };
    const remade = await sendUpload(
      {
        file: new Blob([new Uint8Array(lost!)]),
        url: null,
        metadata: uploadMetadata({ name: 'lost.jpg', type: 'image/jpeg', lastModified: 0 }, sha256(lost!), null),
      },
      { ...options, fetch: removing },
    );
    expect(remade).toMatchObject({ status: 'stored', duplicate: false });
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(2);

    // refusals for good: a type that is not a photo at creation, bytes that are no picture once whole
    const refusedType = await sendUpload(
      { file: new Blob(['notes']), url: null, metadata: uploadMetadata({ name: 'a.txt', type: 'text/plain', lastModified: 0 }, null, null) },
      options,
    );
    expect(refusedType).toEqual({ status: 'refused', reason: 'a.txt: text/plain is not a photo or video' });
    expect(await send(Buffer.from('just some text, not a picture'), 'text.jpg', null, null)).toEqual({
      status: 'refused',
      reason: expect.stringMatching(/text\.jpg: not a supported photo or video/),
    });
    // no server: it waits (the sync's promise rejects, the browser tries again)
    await expect(
      sendUpload({ file: new Blob([new Uint8Array(fresh)]), url: null, metadata: { filename: 'x.jpg' } }, { ...options, origin: 'http://127.0.0.1:9' }),
    ).rejects.toBeInstanceOf(UploadWaits);
    const list = (await json(`${server.url}/api/photos?limit=500`)).body.items as { filename: string }[];
    expect(list.filter((item) => ['été à Dĳon.jpg', 'cut-by-the-page.jpg', 'lost.jpg', 'text.jpg', 'a.txt'].includes(item.filename)).length).toBe(3);
  }, 60_000);

  it('takes in an upload whose every byte came but whose last request was cut before it became a photo, when asked what it became', async () => {
    // As after a phone's connection dropped as its last bytes went: the store has them all, and no result was recorded
    // (bench:phone lost one photo of 200 so, the page counting it done). The bytes are put in the store as they were left.
    const data = await jpeg(48, 96, 192);
    const made = await create({
      'upload-length': String(data.length),
      'upload-metadata': metadataHeader({ filename: 'cut-at-the-end.jpg', filetype: 'image/jpeg' }),
    });
    expect(made.status).toBe(201);
    const id = made.headers.get('location')!.split('/').pop()!;
    fs.appendFileSync(path.join(server.dataDir, 'photo-uploads', id), data);
    expect(Number((await fetch(`${server.url}/api/uploads/${id}`, { method: 'HEAD', headers: tusHeaders() })).headers.get('upload-offset'))).toBe(data.length);
    const became = (await json(`${server.url}/api/uploads/${id}`)).body;
    expect(became).toMatchObject({ status: 'stored', duplicate: false, received: data.length });
    expect((await json(`${server.url}/api/photos/${became.photoId}`)).body).toMatchObject({ filename: 'cut-at-the-end.jpg', sizeBytes: data.length });
    // asked again: the same answer, the photo taken in once, the bytes gone from the store
    expect((await json(`${server.url}/api/uploads/${id}`)).body).toMatchObject({ status: 'stored', photoId: became.photoId });
    await expect.poll(() => leftInStore().filter((name) => name.startsWith(id)), { timeout: 5000 }).toEqual([]);
  });

  it('refuses bad input with a 4xx and its reason, keeping nothing of it', async () => {
    const meta = metadataHeader({ filename: 'a.jpg', filetype: 'image/jpeg' });
    const said = async (response: Response) => [response.status, ((await response.json()) as { message: string }).message];
    expect(await said(await create({ 'upload-defer-length': '1', 'upload-metadata': meta }))).toEqual([400, "say the file's size in Upload-Length"]);
    expect(await said(await create({ 'upload-length': String(5 * 1024 ** 4), 'upload-metadata': meta }))).toEqual([413, expect.stringMatching(/upload limit/)]);
    expect(await said(await create({ 'upload-length': '10', 'upload-metadata': metadataHeader({ filetype: 'image/jpeg' }) }))).toEqual([
      400,
      expect.stringMatching(/filename/),
    ]);
    expect(await said(await create({ 'upload-length': '10', 'upload-metadata': metadataHeader({ filename: 'a.txt', filetype: 'text/plain' }) }))).toEqual([
      415,
      'a.txt: text/plain is not a photo or video',
    ]);
    expect((await create({ 'upload-length': '10', 'upload-metadata': metadataHeader({ filename: 'a.jpg', owner: 'x' }) })).status).toBe(400);
    expect((await create({ 'upload-length': '10', 'upload-metadata': metadataHeader({ filename: 'a.jpg', sha256: 'abc' }) })).status).toBe(400);
    const noAlbum = await create({
      'upload-length': '10',
      'upload-metadata': metadataHeader({ filename: 'a.jpg', albumId: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(noAlbum.status).toBe(404);
    // from another site (a signed-in browser's cookie): refused before anything is made
    const crossSite = { 'tus-resumable': '1.0.0', cookie: bobCookie, origin: 'https://evil.example', 'upload-length': '10', 'upload-metadata': meta };
    expect((await fetch(`${server.url}/api/uploads`, { method: 'POST', headers: crossSite })).status).toBe(403);
    const before = leftInStore().length;

    // a file that is not a photo once whole: the last PATCH says why, nothing is kept
    const text = { name: 'notes.jpg', data: Buffer.from('just some text, not a picture at all') };
    await expect(backup(text)).rejects.toThrow(/415.*notes\.jpg: not a supported photo or video/su);
    // bytes that are not those of the sha256 given
    const fir = await jpeg(10, 200, 30);
    await expect(backup({ name: 'fir.jpg', data: fir }, { metadata: { filename: 'fir.jpg', sha256: 'a'.repeat(64) } })).rejects.toThrow(
      /400.*not those of the sha256/su,
    );
    await expect.poll(() => leftInStore().length, { timeout: 5000 }).toBe(before);
    const list = (await json(`${server.url}/api/photos?limit=500`)).body.items as { filename: string }[];
    expect(list.filter((item) => ['notes.jpg', 'fir.jpg'].includes(item.filename))).toEqual([]);

    // over the storage quota: refused at creation
    const me = (await json(`${server.url}/api/auth/me`)).body.id as string;
    const used = (await json(`${server.url}/api/admin/users`)).body.items.find((u: { id: string }) => u.id === me).usedBytes as number;
    expect((await json(`${server.url}/api/admin/users/${me}`, { method: 'PATCH', json: { quotaBytes: used + 10 } })).status).toBe(200);
    try {
      expect(await said(await create({ 'upload-length': String(fir.length), 'upload-metadata': metadataHeader({ filename: 'fir.jpg' }) }))).toEqual([
        413,
        expect.stringMatching(/over your storage quota/),
      ]);
    } finally {
      await json(`${server.url}/api/admin/users/${me}`, { method: 'PATCH', json: { quotaBytes: null } });
    }

    // known: hex SHA-256s only, at most 10,000
    const known = (body: unknown) => json(`${server.url}/api/uploads/known`, { method: 'POST', json: body });
    expect((await known({ sha256: ['not a hash'] })).status).toBe(400);
    expect((await known({ sha256: Array.from({ length: 10_001 }, () => 'a'.repeat(64)) })).status).toBe(400);
    expect((await known({ hashes: [] })).status).toBe(400);
  });
});
