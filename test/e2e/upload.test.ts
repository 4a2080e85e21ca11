// Uploading in a real browser against a real server: files dropped on the page (a real drop event carrying a
// DataTransfer built in the page from the files' bytes), the panel with each file's progress and outcome: added,
// refused with the server's message, already in the library with a link to it. The Back up page on a phone: files
// hashed on the device, only the new ones sent over tus, going on after the connection is cut (issue 63 item 3).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesLoaded, launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { assets, startTestServer, upload, type TestServer, authFetch, withoutFacesOrText } from '../helpers/server.js';

interface DropFile {
  name: string;
  type: string;
  base64: string;
}

const natureDir = path.join(assets, 'albums', 'nature');
const photoFile = (name: string): DropFile => ({ name, type: 'image/jpeg', base64: fs.readFileSync(path.join(natureDir, name)).toString('base64') });
const NOTES = Buffer.from('these are not the pixels you are looking for\n');
const notesFile: DropFile = { name: 'notes.txt', type: 'text/plain', base64: NOTES.toString('base64') };

/** Drags files over the page (the overlay shows) and, unless `hold`, drops them: real DragEvents with a real DataTransfer. */
async function drop(page: Page, files: DropFile[], options: { hold?: boolean } = {}): Promise<void> {
  await page.evaluate(
    ({ files, hold }) => {
      const data = new DataTransfer();
      for (const file of files) {
        const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes], file.name, { type: file.type, lastModified: Date.UTC(2021, 4, 1) }));
      }
      const target = document.querySelector('main') ?? document.body;
      target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      if (!hold) target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    { files, hold: options.hold ?? false },
  );
}

const rows = (page: Page) => page.getByTestId('upload-row');
const row = (page: Page, name: string) => page.locator(`[data-testid="upload-row"][data-name="${name}"]`);
const statuses = (page: Page) =>
  rows(page).evaluateAll((list) => Object.fromEntries(list.map((r) => [r.getAttribute('data-name'), r.getAttribute('data-status')])));

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: upload', () => {
  let server: TestServer;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light', locale: 'en-US' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('uploads dropped files with a progress bar per file; a refused file shows the server message; the photos appear', async () => {
    // What the server says about a text file, to compare with the panel.
    const refusal = await upload(server.url, [{ name: 'notes.txt', data: NOTES }]);
    expect(refusal.status).toBe(415);
    const message = (refusal.body.items[0].error as string).replace(/^notes\.txt: /, '');

    // The browser logs the refusal it is shown (415) as a failed resource: that one is on purpose.
    const { page, errors } = await openPage(context, { allowConsole: [/status of 415/] });
    await page.goto(server.url);
    await poll(() => page.getByTestId('empty-library').isVisible()).toBe(true);

    // While dragging, the page says it takes the drop.
    const files = [photoFile('prairie_falcon.jpg'), photoFile('tanners_ridge.jpg'), photoFile('silver_fir.jpg'), photoFile('wood_anemones.jpg'), notesFile];
    await drop(page, files, { hold: true });
    await poll(() => page.locator('.drop-overlay').isVisible()).toBe(true);
    await screenshot(page, 'shoebox-upload-drag.png');

    // A slow connection, so that the files are seen on their way: each has its own progress.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: -1, uploadThroughput: 96 * 1024 });
    await drop(page, files);
    expect(await page.locator('.drop-overlay').count()).toBe(0);
    await poll(() => rows(page).count()).toBe(files.length);
    // Three at a time: one file is partly sent while another is still waiting its turn.
    await poll(
      () =>
        page.evaluate(() => {
          const list = Array.from(document.querySelectorAll('[data-testid="upload-row"]'));
          const partly = list.some((r) => {
            const bar = r.querySelector('progress');
            return r.getAttribute('data-status') === 'uploading' && !!bar && bar.value > 0 && bar.value < 100;
          });
          return partly && list.some((r) => r.getAttribute('data-status') === 'queued');
        }),
      { timeout: 30_000 },
    ).toBe(true);
    expect(await page.getByTestId('upload-summary').textContent()).toMatch(/^Uploading 5 files\d done · /);
    await screenshot(page, 'shoebox-upload-progress.png');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await poll(() => statuses(page), { timeout: 60_000 }).toEqual({
      'prairie_falcon.jpg': 'added',
      'tanners_ridge.jpg': 'added',
      'silver_fir.jpg': 'added',
      'wood_anemones.jpg': 'added',
      'notes.txt': 'refused',
    });
    expect(await row(page, 'notes.txt').getByTestId('upload-refused').textContent()).toBe(`Refused: ${message}`);
    expect(await page.getByTestId('upload-summary').textContent()).toBe('4 photos added · 1 refused');

    // Each added file links to its photo; the gallery shows them.
    const list = (await (await authFetch(`${server.url}/api/photos?offset=0&limit=50`)).json()) as { items: { id: string; filename: string }[] };
    expect(list.items.map((item) => item.filename).sort()).toEqual(['prairie_falcon.jpg', 'silver_fir.jpg', 'tanners_ridge.jpg', 'wood_anemones.jpg']);
    const falcon = list.items.find((item) => item.filename === 'prairie_falcon.jpg')!;
    expect(await row(page, 'prairie_falcon.jpg').getByTestId('upload-open').getAttribute('href')).toBe(`/photos/${falcon.id}`);
    await poll(() => page.locator('[data-testid="photo-tile"]').count(), { timeout: 30_000 }).toBe(4);
    // The gallery follows the pipeline: each photo gets its thumbnail.
    await poll(() => page.locator('[data-testid="photo-tile"][data-state="completed"]').count(), { timeout: 90_000 }).toBe(4);
    await imagesLoaded(page, '[data-testid="photo-tile"] img', 4);
    await screenshot(page, 'shoebox-upload-done.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shoebox-upload-done-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });

    // A panel with a problem stays until dismissed.
    await page.getByTestId('upload-dismiss').click();
    await poll(() => page.getByTestId('upload-panel').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reports a file already in the library, with a link to the photo it duplicates; the panel folds and goes', async () => {
    const list = (await (await authFetch(`${server.url}/api/photos?offset=0&limit=50`)).json()) as { items: { id: string; filename: string }[] };
    const falcon = list.items.find((item) => item.filename === 'prairie_falcon.jpg');
    expect(falcon, 'the first test uploaded the falcon').toBeTruthy();

    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(4);
    await drop(page, [{ ...photoFile('prairie_falcon.jpg'), name: 'falcon-copy.jpg' }]);
    await poll(() => statuses(page)).toEqual({ 'falcon-copy.jpg': 'duplicate' });
    const existing = row(page, 'falcon-copy.jpg').getByTestId('upload-existing');
    expect(await row(page, 'falcon-copy.jpg').textContent()).toContain('Already in your library');
    expect(await existing.getAttribute('href')).toBe(`/photos/${falcon!.id}`);
    expect(await page.getByTestId('upload-summary').textContent()).toBe('1 already in your library');
    await screenshot(page, 'shoebox-upload-duplicate.png');
    // Nothing new in the library.
    expect(await page.locator('[data-testid="photo-tile"]').count()).toBe(4);

    // Folding hides the list, not the summary.
    const collapse = page.getByTestId('upload-collapse');
    expect(await collapse.getAttribute('aria-expanded')).toBe('true');
    await collapse.click();
    await poll(() => collapse.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('upload-list').isVisible()).toBe(false);
    expect(await page.getByTestId('upload-summary').isVisible()).toBe(true);
    await collapse.click();
    await poll(() => page.getByTestId('upload-list').isVisible()).toBe(true);

    await existing.click();
    await page.waitForURL(`**/photos/${falcon!.id}`);
    await poll(() => page.getByTestId('photo-filename').textContent()).toBe('prairie_falcon.jpg');
    await page.getByTestId('upload-dismiss').click();
    await poll(() => page.getByTestId('upload-panel').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('uploads with the Upload button too, and takes more files while an upload runs', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(4);
    // Slowly, so that the second file arrives while the first is on its way: it joins the same list.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: -1, uploadThroughput: 32 * 1024 });
    await page.getByTestId('upload-input').setInputFiles(path.join(natureDir, 'el_torcal_rocks.jpg'));
    await poll(() => statuses(page)).toEqual({ 'el_torcal_rocks.jpg': 'uploading' });
    await drop(page, [photoFile('cyclamen_persicum.jpg')]);
    await poll(() => rows(page).count()).toBe(2);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await poll(() => statuses(page), { timeout: 30_000 }).toEqual({ 'el_torcal_rocks.jpg': 'added', 'cyclamen_persicum.jpg': 'added' });
    expect(await page.getByTestId('upload-summary').textContent()).toBe('2 photos added');
    await poll(() => page.locator('[data-testid="photo-tile"]').count(), { timeout: 30_000 }).toBe(6);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('backs up on a phone: sends only the new files, goes on after the connection is cut, each photo once', async () => {
    // three photos of bytes no other test sends, one of them in the library already
    const made = await Promise.all(
      [0, 1, 2].map((i) =>
        sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 100 + i * 20, sigma: 30 } } })
          .jpeg({ quality: 90 })
          .toBuffer(),
      ),
    );
    const files = made.map((buffer, i) => ({ name: `backup-${i}.jpg`, mimeType: 'image/jpeg', buffer }));
    expect((await upload(server.url, [{ name: files[0]!.name, data: files[0]!.buffer }])).status).toBe(201);

    const phone = await signedInContext(browser, server, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      colorScheme: 'light',
      locale: 'en-US',
    });
    try {
      // each upload's first PATCH cut off: the connection drops mid-upload, and tus goes on from the server's offset
      const cut = new Set<string>();
      await phone.route('**/api/uploads/*', async (route) => {
        const url = route.request().url();
        if (route.request().method() === 'PATCH' && !cut.has(url)) {
          cut.add(url);
          return route.abort('connectionreset');
        }
        return route.continue();
      });
      const { page, errors } = await openPage(phone, { allowConsole: [/ERR_CONNECTION_RESET/] });
      await page.goto(`${server.url}/backup`);
      await page.getByRole('heading', { name: 'Back up' }).waitFor();
      await page.getByTestId('backup-files').setInputFiles(files);
      await poll(() => page.getByTestId('backup-status').textContent()).toContain('2 new, 1 already here');
      const statusOf = () =>
        page
          .getByTestId('backup-list')
          .locator('li')
          .evaluateAll((items) => items.map((item) => [item.querySelector('.upload-row-name')?.textContent, item.getAttribute('data-status')]));
      await poll(() => statusOf(), { timeout: 30_000 }).toEqual([
        ['backup-0.jpg', 'here'],
        ['backup-1.jpg', 'done'],
        ['backup-2.jpg', 'done'],
      ]);
      expect(await page.getByTestId('backup-status').textContent()).toBe('2 new, 1 already here · 2 of 2 sent · done');
      expect(cut.size).toBe(2);
      // nothing wider than the phone
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const listed = (await (await authFetch(`${server.url}/api/photos?limit=500`)).json()).items as { filename: string }[];
      expect(files.map((file) => listed.filter((item) => item.filename === file.name).length)).toEqual([1, 1, 1]);

      // the same files again after a reload: nothing to send
      await page.reload();
      await page.getByTestId('backup-files').setInputFiles(files);
      await poll(() => page.getByTestId('backup-status').textContent()).toContain('0 new, 3 already here');
      await screenshot(page, 'shoebox-backup-phone.png');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await phone.close();
    }
  }, 60_000);
});
