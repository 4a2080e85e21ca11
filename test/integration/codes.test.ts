// Issue 64, item 4: QR codes and barcodes decoded by the codes step (zxing-wasm, its .wasm from node_modules) into
// the photo's detail and its keyword search row, on photos made from the corpus with codes written by zxing-wasm's
// writer (test/helpers/codes.ts). One server for the file; faces and OCR off (not looked at here).
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule } from 'zxing-wasm/reader';
import { launchBrowser, openPage, poll, signedInContext } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { CODE_128, CODE_EAN, CODE_MATRIX, CODE_URL, hostileCodes, LONG_TEXT, phonePhotoWithCodes, screenshotWithCodes } from '../helpers/codes.js';
import { rows } from '../../src/db/connection.js';
import { decodeCodes } from '../../src/media/codes.js';
import { createCodeReader } from '../../src/ml/codes.js';
import { refreshSearchDocuments } from '../../src/search/documents.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, withoutFacesOrText, type TestServer } from '../helpers/server.js';

interface Code {
  format: string;
  text: string;
  box: { x: number; y: number; width: number; height: number };
}

describe('codes: QR codes and barcodes read from photos', () => {
  let server: TestServer;
  let phone: Awaited<ReturnType<typeof phonePhotoWithCodes>>;
  const ids: Record<string, string> = {};
  let screenshot: string;
  const detail = async (name: string) =>
    (await json(`${server.url}/api/photos/${ids[name]}`)).body as { codes: Code[]; steps: Record<string, { status: string }> };

  beforeAll(async () => {
    const dir = tempDir('shoebox-codes-');
    server = await startTestServer(withoutFacesOrText());
    phone = await phonePhotoWithCodes(dir);
    const files = {
      phone: phone.file,
      screenshot: (screenshot = await screenshotWithCodes(dir)),
      hostile: await hostileCodes(dir),
      plain: path.join(assets, 'albums/nature/prairie_falcon.jpg'),
    };
    const response = await upload(
      server.url,
      Object.values(files).map((file) => ({ path: file })),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    Object.keys(files).forEach((name, i) => (ids[name] = response.body.items[i].id));
    await waitForTerminal(server.url, Object.values(ids));
  }, 180_000);

  afterAll(async () => server?.dispose());

  it('finds the QR code of a URL and the EAN-13 on a 12 MP phone photo, boxed in its pixels', async () => {
    const photo = await detail('phone');
    expect(photo.steps.codes!.status).toBe('done');
    // the step read it in the codes worker thread, not on the server's event loop
    expect(server.lib.ml.codeReader().workerCount).toBe(1);
    const qr = photo.codes.find((code) => code.format === 'QRCode');
    expect(qr?.text).toBe(CODE_URL);
    // where it was laid (330 px, turned 7°): the box is in the original's 3024×4032 pixels, not the preview's
    expect(qr!.box.x).toBeGreaterThan(phone.qr.left);
    expect(qr!.box.x).toBeLessThan(phone.qr.left + 120);
    expect(qr!.box.y).toBeGreaterThan(phone.qr.top);
    expect(qr!.box.width).toBeGreaterThan(250);
    expect(qr!.box.width).toBeLessThan(420);
    expect(photo.codes.find((code) => code.format === 'EAN13')?.text).toBe(CODE_EAN);
  });

  it('reads a Code 128, a Data Matrix and a QR code on a screenshot', async () => {
    const { codes } = await detail('screenshot');
    expect(codes.map((code) => [code.format, code.text]).sort()).toEqual([
      ['Code128', CODE_128],
      ['DataMatrix', CODE_MATRIX],
      ['QRCode', CODE_URL],
    ]);
  });

  it('gives a photo without codes none', async () => {
    const photo = await detail('plain');
    expect(photo.steps.codes!.status).toBe('done');
    expect(photo.codes).toEqual([]);
  });

  it('keeps a hostile code as text: control characters as ZXing names them, a script link whole, 4,000 characters', async () => {
    const { codes } = await detail('hostile');
    expect(codes).toHaveLength(2);
    const script = codes.find((code) => code.text.startsWith('javascript:'))!;
    expect(script.text).toContain('<img src=x onerror=alert(1)>');
    // ZXing writes NUL, BEL and ESC as <NUL>, <BEL>, <ESC>: no raw control character reaches keptCodeText
    expect(script.text).toContain('//<NUL><BEL><ESC>[31m<img');
    expect(codes.find((code) => code.text.length > 1000)?.text).toBe(LONG_TEXT);
  });

  it('finds the photo by a word of its URL in keyword search, and by a barcode number', async () => {
    for (const q of ['lighthouse', 'festival', 'tickets', CODE_EAN, 'locker']) {
      const response = await json(`${server.url}/api/search?${new URLSearchParams({ q, mode: 'keyword' })}`);
      expect(response.status).toBe(200);
      const found = (response.body.items as { photo: { id: string } }[]).map((hit) => hit.photo.id);
      expect(found, q).toContain(q === 'locker' || q === 'festival' ? ids.screenshot : ids.phone);
      expect(found, q).not.toContain(ids.plain);
    }
  });

  it("puts OCR's text and a code's words in the same search row", async () => {
    // OCR is off in this file: the text it would have read is written as its step writes it, then the row rebuilt
    const db = server.lib.db;
    await db.execute(sql`insert into photo_ocr (photo_id, text, languages) values (${ids.phone}::uuid, 'Harbour ferry timetable', '{eng}')`);
    await refreshSearchDocuments(db, [ids.phone!]);
    const [row] = await rows<{ ocr: string }>(db, sql`select ocr from photo_search where photo_id = ${ids.phone}::uuid`);
    expect(row!.ocr).toContain('Harbour ferry timetable');
    expect(row!.ocr).toContain(CODE_URL);
    expect(row!.ocr).toContain('lighthouse');
    for (const q of ['timetable', 'lighthouse']) {
      const found = (await json(`${server.url}/api/search?${new URLSearchParams({ q, mode: 'keyword' })}`)).body.items as { photo: { id: string } }[];
      expect(
        found.map((hit) => hit.photo.id),
        q,
      ).toContain(ids.phone);
    }
  });

  it('decodes in a worker thread: the event loop is not held while a noisy image is read', async () => {
    const noise = await sharp(Buffer.from(Array.from({ length: 1440 * 1080 }, (_, i) => ((i * 2654435761) >>> 24) & 255)), {
      raw: { width: 1440, height: 1080, channels: 1 },
    })
      .png()
      .toBuffer();
    const reader = createCodeReader();
    try {
      await reader.read(noise); // the thread started and its wasm compiled
      const monitor = monitorEventLoopDelay({ resolution: 5 });
      monitor.enable();
      // read on this thread instead, the pair held the loop ~475 ms (checked): zxing-wasm decodes synchronously
      expect(await Promise.all([reader.read(noise), reader.read(noise)])).toEqual([[], []]);
      monitor.disable();
      expect(monitor.max / 1e6).toBeLessThan(120);
    } finally {
      await reader.close();
    }
  });

  it('drops a module that trapped: the next read makes a fresh one from the local bytes', async () => {
    // on this thread, as the worker reads: a module whose memory is broken traps (a WebAssembly.RuntimeError)
    expect(await decodeCodes(screenshot)).toHaveLength(3);
    const module = (await prepareZXingModule({ fireImmediately: true })) as unknown as { HEAPU8: Uint8Array }; // the one cached
    module.HEAPU8.fill(0xff);
    await expect(decodeCodes(screenshot)).rejects.toBeInstanceOf(WebAssembly.RuntimeError);
    expect(await decodeCodes(screenshot)).toHaveLength(3);
  });

  it('shows the codes on the photo page: the URL a link to open (never fetched), the hostile text as text', async () => {
    const browser = await launchBrowser();
    try {
      const context = await signedInContext(browser, server);
      const requested: string[] = [];
      context.on('request', (request) => requested.push(request.url()));
      const { page, errors } = await openPage(context);
      await page.goto(`${server.url}/photos/${ids.screenshot}`);
      await poll(() => page.getByTestId('code').count()).toBe(3);
      const link = page.getByTestId('code-link');
      expect(await link.count()).toBe(1);
      expect(await link.getAttribute('href')).toBe(CODE_URL);
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await link.getAttribute('target')).toBe('_blank');

      await page.goto(`${server.url}/photos/${ids.hostile}`);
      await poll(() => page.getByTestId('code').count()).toBe(2);
      // the script URL and its markup are shown as text: no link, no element made of it, nothing run
      expect(await page.getByTestId('code-link').count()).toBe(0);
      const texts = await page.getByTestId('code').allTextContents();
      expect(texts.some((text) => text.includes('javascript:alert(document.cookie)') && text.includes('<img src=x onerror=alert(1)>'))).toBe(true);
      expect(await page.locator('[data-testid="codes"] img, [data-testid="codes"] b').count()).toBe(0);
      expect(texts.some((text) => text.includes(LONG_TEXT))).toBe(true);
      expect(errors).toEqual([]);
      // the codes' host was never asked for
      expect(requested.filter((url) => url.includes('lighthouse-tours'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('shows the codes in `shoebox inspect --json`', async () => {
    const result = await runCli(['inspect', phone.file, '--json', '--data', tempDir('shoebox-inspect-')]);
    expect(result.code, result.stderr).toBe(0);
    const codes = JSON.parse(result.stdout).codes as Code[];
    expect(codes.map((code) => code.text).sort()).toEqual([CODE_EAN, CODE_URL]);
  }, 120_000);
});
