// Uploading in a real browser against a real server: files dropped on the page (a real drop event carrying a
// DataTransfer built in the page from the files' bytes), the panel with each file's progress and outcome: added,
// refused with the server's message, already in the library with a link to it. The Back up page on a phone: files
// hashed on the device, only the new ones sent over tus, going on after the connection is cut (issue 63 item 3). The
// installable app (Chromium's own verdict), Share → Shoebox through the service worker into an album and through an
// upload link, and a server upgraded under an open app (issue 63 items 1, 2 and 6).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { build } from 'vite';
import { adminSession, imagesLoaded, launchBrowser, launchProfile, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { webRoot } from '../../src/config/paths.js';
import { spawnServer } from '../helpers/cli.js';
import { assets, startTestServer, upload, type TestServer, authFetch, withoutFacesOrText, json, repoRoot, tempDir } from '../helpers/server.js';

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

/** Photos of bytes no other test sends (the `seed` shifts the noise). */
const madePhotos = (names: string[], seed: number) =>
  Promise.all(
    names.map(async (name, i) => ({
      name,
      mimeType: 'image/jpeg',
      buffer: await sharp({
        create: { width: 800, height: 600, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 60 + seed + i * 7, sigma: 25 } },
      })
        .jpeg({ quality: 85 })
        .toBuffer(),
    })),
  );

/**
 * What the phone's share sheet does once Shoebox is installed: a multipart POST of the files to the manifest's
 * share_target (/share), here from a real form in the page, which the service worker answers as it answers a share.
 */
async function shareFiles(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.evaluate(() => {
    const form = Object.assign(document.createElement('form'), { id: 'share-sheet', method: 'post', action: '/share', enctype: 'multipart/form-data' });
    form.append(Object.assign(document.createElement('input'), { type: 'file', name: 'files', multiple: true }));
    document.body.append(form);
  });
  await page.locator('#share-sheet input').setInputFiles(files);
  await Promise.all([page.waitForURL(/\/share\?id=/), page.evaluate(() => (document.getElementById('share-sheet') as HTMLFormElement).submit())]);
}

/** The file names of an album's photos, as its owner sees them. */
const albumFiles = async (url: string, albumId: string) =>
  ((await json(`${url}/api/albums/${albumId}?limit=100`)).body.photos.items as { filename: string }[]).map((photo) => photo.filename).sort();

const rows = (page: Page) => page.getByTestId('upload-row');
const row = (page: Page, name: string) => page.locator(`[data-testid="upload-row"][data-name="${name}"]`);
const statuses = (page: Page) =>
  rows(page).evaluateAll((list) => Object.fromEntries(list.map((r) => [r.getAttribute('data-name'), r.getAttribute('data-status')])));

/** The keys of what the page kept in IndexedDB for the service worker (lib/backupKept.ts). */
const keptForWorker = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const opening = indexedDB.open('shoebox-backup', 1);
        opening.onupgradeneeded = () => {
          opening.result.createObjectStore('uploads', { keyPath: 'key' });
          opening.result.createObjectStore('outcomes', { autoIncrement: true });
        };
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const keys = opening.result.transaction('uploads').objectStore('uploads').getAllKeys();
          keys.onsuccess = () => {
            opening.result.close();
            resolve(keys.result.map(String));
          };
        };
      }),
  );

/** Keeps a file for the worker as a backup of the signed-in user would have, `age` ms ago (lib/backupKept.ts's entry). */
const keepForWorker = (page: Page, name: string, age: number) =>
  page.evaluate(
    async ([name, age]) => {
      const me = ((await (await fetch('/api/auth/me')).json()) as { id: string }).id;
      const file = new File(['words, not pixels'], name, { type: 'image/jpeg', lastModified: 0 });
      const entry = { key: `shoebox-backup:${name}`, file, sha256: null, albumId: null, url: null, ownerId: me, keptAt: Date.now() - age };
      await new Promise<void>((resolve, reject) => {
        const opening = indexedDB.open('shoebox-backup', 1);
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const transaction = opening.result.transaction('uploads', 'readwrite');
          transaction.objectStore('uploads').put(entry);
          transaction.oncomplete = () => (opening.result.close(), resolve());
        };
      });
      return entry.key;
    },
    [name, age] as const,
  );

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

  it('backs up on a phone: goes on by itself when the phone is back online after a cut mid-upload, and a lost answer sends nothing again', async () => {
    const files = await madePhotos(['offline-0.jpg', 'offline-1.jpg'], 90);
    const phone = await signedInContext(browser, server, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'en-US' });
    try {
      const { page, errors } = await openPage(phone, { allowConsole: [/ERR_INTERNET_DISCONNECTED/] });
      await page.goto(`${server.url}/backup`);
      await page.getByRole('heading', { name: 'Back up' }).waitFor();
      // slow enough that the first file is still on its way when the phone goes offline
      const cdp = await phone.newCDPSession(page);
      // and once back, the answer after a whole upload lost to another cut: asked again, the file not sent again
      const created: string[] = [];
      let loseAnswer = false;
      await phone.route('**/api/uploads**', async (route) => {
        const request = route.request();
        if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/uploads') created.push(request.url());
        if (!loseAnswer || request.method() !== 'GET') return route.continue();
        loseAnswer = false;
        await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
        setTimeout(() => void cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 }), 1500);
        return route.abort('internetdisconnected');
      });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: -1, uploadThroughput: 16 * 1024 });
      await page.getByTestId('backup-files').setInputFiles(files);
      await page.locator('[data-testid="backup-list"] li[data-status="sending"]').first().waitFor();
      await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await page.waitForTimeout(2000);
      loseAnswer = true;
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      // nothing pressed: the page goes on when the browser says it is online again
      await poll(() => page.getByTestId('backup-status').textContent(), { timeout: 30_000 }).toBe('2 new, 0 already here · 2 of 2 sent · done');
      const listed = (await (await authFetch(`${server.url}/api/photos?limit=500`)).json()).items as { filename: string }[];
      expect(files.map((file) => listed.filter((item) => item.filename === file.name).length)).toEqual([1, 1]);
      expect(loseAnswer).toBe(false);
      expect(created).toHaveLength(2);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await phone.close();
    }
  }, 60_000);

  it('backs up after the page closed: the service worker finishes what was left on a Background Sync, each photo once, nothing kept after', async () => {
    const files = await madePhotos(['after-close-0.jpg', 'after-close-1.jpg', 'after-close-2.jpg'], 150);
    const hashes = files.map((file) => createHash('sha256').update(file.buffer).digest('hex'));
    // a profile of its own: an off-the-record context has no Background Sync
    const profileDir = tempDir('shoebox-sync-');
    const phone = await launchProfile(profileDir, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
    onTestFinished(async () => {
      await phone.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    });
    await phone.addCookies([{ name: 'shoebox_session', value: await adminSession(server.url), url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const { page, errors } = await openPage(phone);
    await page.goto(`${server.url}/backup`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // a connection so slow that nothing is through before the page closes
    const cdp = await phone.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 200, downloadThroughput: -1, uploadThroughput: 2 * 1024 });
    // and, last, a file the server refuses for good once whole: the worker drops it and says why
    const notAPhoto = { name: 'zz-not-a-photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('words, not pixels\n') };
    await page.getByTestId('backup-files').setInputFiles([...files, notAPhoto]);
    await page.locator('[data-testid="backup-list"] li[data-status="sending"]').first().waitFor();
    expect(await keptForWorker(page)).toHaveLength(4);
    // a file kept longer than the server keeps an unfinished upload: given up with a line, not sent
    await keepForWorker(page, 'zz-kept-4-days.jpg', 4 * 24 * 3600 * 1000);
    expect(errors).toEqual([]);
    await page.close();

    // the sync the browser would fire once it sees a connection, fired now
    const other = await phone.newPage();
    const devtools = await phone.newCDPSession(other);
    const registration = new Promise<string>((resolve) =>
      devtools.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const ours = registrations.find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted);
        if (ours) resolve(ours.registrationId);
      }),
    );
    await devtools.send('ServiceWorker.enable');
    const registrationId = await registration;
    await devtools.send('ServiceWorker.dispatchSyncEvent', { origin: server.url, registrationId, tag: 'shoebox-backup', lastChance: false });

    // every photo stored once, with its bytes
    const stored = async () => {
      const listed = (await (await authFetch(`${server.url}/api/photos?limit=500`)).json()).items as { id: string; filename: string }[];
      const ours = listed.filter((item) => item.filename.startsWith('after-close-'));
      const details = await Promise.all(
        ours.map(async (item) => (await (await authFetch(`${server.url}/api/photos/${item.id}`)).json()) as { sha256: string }),
      );
      return ours.map((item, i) => [item.filename, details[i]!.sha256]).sort();
    };
    await poll(stored, { timeout: 60_000 }).toEqual(files.map((file, i) => [file.name, hashes[i]]));
    // the copies kept for the worker are gone once it is done with each
    await other.goto(`${server.url}/account`);
    await poll(() => keptForWorker(other), { timeout: 30_000 }).toEqual([]);
    // the Back up page says what was finished since, once
    const again = await openPage(phone);
    await again.page.goto(`${server.url}/backup`);
    await poll(async () => (await again.page.getByTestId('backup-background').locator('li').allTextContents()).sort()).toEqual([
      ...files.map((file) => `${file.name}: backed up after the page closed`),
      'zz-kept-4-days.jpg: not sent — it waited more than 3 days; choose it again',
      expect.stringMatching(/^zz-not-a-photo\.jpg: refused — .*not a supported photo or video/),
    ]);
    // a file still kept when the app loads (its sync may have been given up) is said, and may be discarded; the
    // worker, which the load's sync wakes, waits on its lock (held here as a page sending it would)
    const key = await keepForWorker(other, 'waiting.jpg', 0);
    await other.evaluate((lock) => void navigator.locks.request(lock, () => new Promise(() => {})), `shoebox-backup-file:${key}`);
    await again.page.reload();
    await again.page.getByTestId('backup-waiting').getByRole('heading', { name: '1 file waiting to be sent' }).waitFor();
    expect(await again.page.getByTestId('backup-background').count()).toBe(0);
    await again.page.getByTestId('backup-waiting').getByRole('button', { name: 'Discard' }).click();
    await again.page.getByTestId('backup-waiting').waitFor({ state: 'detached' });
    expect(await keptForWorker(other)).toEqual([]);
    // Stop while the page waits for a file the worker is sending (its lock held elsewhere): stopped at once, nothing kept
    const [held] = await madePhotos(['stopped-while-held.jpg'], 170);
    const heldHash = createHash('sha256').update(held!.buffer).digest('hex');
    await other.evaluate((lock) => void navigator.locks.request(lock, () => new Promise(() => {})), `shoebox-backup-file:shoebox-backup:${heldHash}`);
    await again.page.getByTestId('backup-files').setInputFiles([held!]);
    await again.page.locator('[data-testid="backup-list"] li[data-status="sending"]').waitFor();
    await again.page.getByTestId('backup-stop').click();
    await again.page
      .getByTestId('backup-status')
      .getByText(/stopped/)
      .waitFor({ timeout: 5000 });
    expect(await keptForWorker(other)).toEqual([]);
    expect(await stored()).toHaveLength(3);
    expect(again.errors).toEqual([]);
  }, 120_000);
});

describe('web app: installable, Share → Shoebox', () => {
  let server: TestServer;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    context = await signedInContext(browser, server, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it("is installable by Chromium's own verdict, with everything from Shoebox's origin", async () => {
    // a profile of its own: an off-the-record context is never offered "Install" ('in-incognito')
    const profileDir = tempDir('shoebox-profile-');
    const profile = await launchProfile(profileDir, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
    onTestFinished(async () => {
      await profile.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    });
    const asked: string[] = [];
    profile.on('request', (request) => asked.push(request.url()));
    // signed out there: the sign-in page, whose early requests for the gallery are refused
    const { page, errors } = await openPage(profile, { allowConsole: [/status of 401/] });
    await page.goto(server.url);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const cdp = await profile.newCDPSession(page);
    expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toBe(`${server.url}/manifest.webmanifest`);
    const parsed = JSON.parse(manifest.data!) as Record<string, any>;
    expect(parsed).toMatchObject({
      name: 'Shoebox',
      display: 'standalone',
      start_url: '/',
      theme_color: '#f6f5f2', // index.html's light theme-color
      share_target: { action: '/share', method: 'POST', enctype: 'multipart/form-data', params: { files: [{ name: 'files' }] } },
    });
    expect(parsed.shortcuts.map((shortcut: { name: string; url: string }) => [shortcut.name, shortcut.url])).toEqual([
      ['Upload', '/backup'],
      ['Search', '/search'],
    ]);
    // each icon is served and is what the manifest says; the maskable one has no transparency for a mask to show
    for (const icon of parsed.icons as { src: string; sizes: string; type: string; purpose: string }[]) {
      const response = await fetch(new URL(icon.src, server.url));
      expect(response.status, icon.src).toBe(200);
      if (icon.type !== 'image/png') continue;
      const png = sharp(Buffer.from(await response.arrayBuffer()));
      expect(`${(await png.metadata()).width}x${(await png.metadata()).height}`, icon.src).toBe(icon.sizes);
      if (icon.purpose === 'maskable') expect((await png.stats()).isOpaque).toBe(true);
    }
    expect(parsed.icons.map((icon: { purpose: string }) => icon.purpose)).toContain('maskable');
    const apple = await fetch(`${server.url}/icons/apple-touch-icon.png`);
    expect((await sharp(Buffer.from(await apple.arrayBuffer())).metadata()).width).toBe(180);
    // the worker, the page and the manifest are asked again each time (an upgrade is seen at once)
    for (const file of ['/sw.js', '/', '/manifest.webmanifest'])
      expect((await fetch(`${server.url}${file}`)).headers.get('cache-control'), file).toBe('no-cache');
    // a share that reaches the server (the app never opened in that browser) is told what to do, not "no route"
    const form = new FormData();
    form.append('files', new Blob([fs.readFileSync(path.join(natureDir, 'prairie_falcon.jpg'))]), 'prairie_falcon.jpg');
    const stray = await fetch(`${server.url}/share`, { method: 'POST', body: form });
    expect(stray.status).toBe(400);
    expect(await stray.text()).toMatch(/open Shoebox once in this browser/);
    const planted = await fetch(`${server.url}/share`, { method: 'POST', body: form, headers: { origin: 'http://elsewhere.test' } });
    expect([planted.status, await planted.text()]).toEqual([403, expect.stringMatching(/refused .*elsewhere\.test/)]);
    // the phone's share sheet posts as the browser itself (an opaque origin, no site): told what to do, not refused
    const sheet = await fetch(`${server.url}/share`, { method: 'POST', body: form, headers: { origin: 'null', 'sec-fetch-site': 'none' } });
    expect(sheet.status).toBe(400);
    // another build's file is a 404, not the page: the worker would otherwise keep HTML under a script's name
    const gone = await fetch(`${server.url}/assets/index-0ld8u1ld.js`);
    expect([gone.status, gone.headers.get('content-type')]).toEqual([404, 'application/json; charset=utf-8']);
    expect(asked.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('takes photos shared to it into the album chosen, with each file sent with its progress', async () => {
    const album = (await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'From the phone' } })).body as { id: string };
    const files = await madePhotos(['shared-0.jpg', 'shared-1.jpg'], 0);
    // one of them in the library already: it joins the album without a second copy
    expect((await upload(server.url, [{ name: files[1]!.name, data: files[1]!.buffer }])).status).toBe(201);
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    // two shares never sent, one of them eight days old: a new share's page forgets the old one's files only
    const planted = (age: number) => ({ headers: { 'content-type': 'image/jpeg', 'x-file-name': 'left.jpg', 'x-shared-at': String(Date.now() - age) } });
    await page.evaluate(
      async ([old, recent]) => {
        const cache = await caches.open('shoebox-share');
        await cache.put('/share-files/old-share/0000', new Response('old bytes', old));
        await cache.put('/share-files/recent-share/0000', new Response('recent bytes', recent));
      },
      [planted(8 * 24 * 3600 * 1000), planted(3600 * 1000)],
    );
    const leftShares = () =>
      page.evaluate(async () =>
        (await (await caches.open('shoebox-share')).keys()).map((key) => new URL(key.url).pathname.split('/')[2]).filter((id) => id?.endsWith('-share')),
      );
    await shareFiles(page, files);
    await poll(() => page.getByTestId('share-destination').locator('option').allTextContents()).toEqual(['My library (no album)', 'Album: From the phone']);
    await poll(leftShares).toEqual(['recent-share']);
    await page.getByTestId('share-destination').selectOption(`album:${album.id}`);
    await page.getByTestId('share-send').click();
    await poll(() => page.getByTestId('share-status').textContent(), { timeout: 30_000 }).toBe('2 of 2 sent · done');
    expect(
      await page
        .getByTestId('backup-list')
        .locator('li')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-status'))),
    ).toEqual(['done', 'here']);
    expect(await albumFiles(server.url, album.id)).toEqual(['shared-0.jpg', 'shared-1.jpg']);
    const listed = (await (await authFetch(`${server.url}/api/photos?limit=500`)).json()).items as { filename: string }[];
    expect(listed.filter((item) => item.filename.startsWith('shared-')).length).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'shoebox-share-phone.png');
    // sent: not kept for another time
    await page.reload();
    await page.getByTestId('share-empty').waitFor();
    await page.evaluate(async () => (await caches.open('shoebox-share')).delete('/share-files/recent-share/0000'));
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("refuses files another site's form posts to /share: the user's Share page is not another site's to fill", async () => {
    // another origin on loopback (another port), whose page posts a file to Shoebox's /share as the share sheet does
    const foreign = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><form id="plant" method="post" action="${server.url}/share" enctype="multipart/form-data"><input type="file" name="files"></form>`,
      );
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => foreign.close(() => resolve())));
    const foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const kept = () => page.evaluate(async () => (await (await caches.open('shoebox-share')).keys()).map((key) => key.url));
    const before = await kept();
    // Chromium gives the worker the form's page as the post's referrer (its origin, by the default referrer policy)
    const other = await context.newPage();
    await other.goto(foreignUrl);
    await other.locator('#plant input').setInputFiles(await madePhotos(['planted.jpg'], 80));
    await Promise.all([other.waitForURL(`${server.url}/share`), other.evaluate(() => (document.getElementById('plant') as HTMLFormElement).submit())]);
    expect(await other.getByTestId('share-refused').textContent()).toContain(`another site (${foreignUrl})`);
    expect(await kept()).toEqual(before);
    await other.close();
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("lets a visitor of an upload link share photos into that link's album, through the link", async () => {
    const album = (await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'The party' } })).body as { id: string };
    const link = (await json(`${server.url}/api/shared-links`, { method: 'POST', json: { albumId: album.id, allowUpload: true } })).body as { path: string };
    const visitor = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
    try {
      const { page, errors } = await openPage(visitor);
      await page.goto(`${server.url}${link.path}`);
      await page.getByTestId('link-title').waitFor();
      // "Add photos" takes what the owner's Upload does, and videos, as Back up does
      expect(await page.getByTestId('visitor-upload').getAttribute('accept')).toMatch(/^image\/\*,.*\.dng,.*video\/\*$/);
      await shareFiles(page, await madePhotos(['guest-0.jpg'], 40));
      await poll(() => page.getByTestId('share-destination').locator('option').allTextContents()).toEqual(['The party (upload link from Test Admin)']);
      await page.getByTestId('share-send').click();
      await poll(() => page.getByTestId('share-status').textContent(), { timeout: 30_000 }).toBe('1 of 1 sent · done');
      expect(await albumFiles(server.url, album.id)).toEqual(['guest-0.jpg']);
      expect(errors).toEqual([]);
    } finally {
      await visitor.close();
    }
  }, 60_000);

  it('opens offline: the app and the photos last viewed with their thumbnails, a clear offline state, changes that wait; sign-out forgets them', async () => {
    const made = await madePhotos(['offline-0.jpg', 'offline-1.jpg', 'offline-2.jpg'], 80);
    expect(
      (
        await upload(
          server.url,
          made.map((file) => ({ name: file.name, data: file.buffer })),
        )
      ).status,
    ).toBe(201);
    const thumbnailsMade = async () =>
      ((await json(`${server.url}/api/photos?limit=500`)).body.items as { filename: string; hasThumbnail: boolean }[]).filter(
        (item) => item.filename.startsWith('offline-') && item.hasThumbnail,
      ).length;
    await poll(thumbnailsMade, { timeout: 60_000 }).toBe(3);
    const trip = (await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'Offline trip' } })).body as { id: string };
    const tiles = '[data-testid="photo-tile"] img';
    // a browser of its own: a fresh worker, and a sign-out that leaves the shared context's session alone
    const desk = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    onTestFinished(() => desk.close());
    // offline, the failed requests are the browser's own console lines (the jobs stream, the counts)
    const { page, errors } = await openPage(desk, { allowConsole: [/ERR_INTERNET_DISCONNECTED|Failed to load resource/] });
    await page.goto(server.url);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const count = await page.locator(tiles).count();
    expect(count).toBeGreaterThanOrEqual(3);
    await imagesLoaded(page, tiles, count);
    const kept = () =>
      page.evaluate(async () => {
        if (!(await caches.has('shoebox-offline'))) return null;
        const cache = await caches.open('shoebox-offline');
        const keys = await cache.keys();
        let bytes = 0;
        for (const key of keys) bytes += Number((await cache.match(key))?.headers.get('x-offline-bytes'));
        return { keys: keys.map((key) => new URL(key.url).pathname + new URL(key.url).search), bytes };
      });
    // once through the worker (this page's requests after it took control, the next load's): the timeline and its thumbnails
    await page.reload();
    await imagesLoaded(page, tiles, count);
    await poll(async () => (await kept())?.keys.filter((key) => key.endsWith('/thumbnail')).length).toBe(count);
    // the album picker opened once online: its list is kept for offline
    await page.getByTestId('tile-check').first().click();
    await page.getByTestId('bulk-album').click();
    await page.getByTestId('album-dialog').getByText('Offline trip').waitFor();
    await page.getByTestId('album-dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.keyboard.press('Escape');
    await poll(async () => (await kept())?.keys.includes('/api/albums?page=1&limit=500')).toBe(true);
    const viewed = (await kept())!;
    expect(viewed.keys).toEqual(expect.arrayContaining(['/api/timeline?groupBy=day', '/api/photos?offset=0&limit=200']));
    // nothing else of the library: no preview, original, share link or other list
    expect(
      viewed.keys.filter((key) => !/^\/api\/(timeline\?groupBy=day|photos\?offset=\d+&limit=\d+|albums\?page=1&limit=500|photos\/[^/]+\/thumbnail)$/.test(key)),
    ).toEqual([]);
    console.log(`offline cache after viewing the timeline: ${viewed.keys.length} entries, ${viewed.bytes} bytes`);

    await desk.setOffline(true);
    const started = Date.now();
    await page.reload();
    await imagesLoaded(page, tiles, count);
    console.log(`offline reload to ${count} tiles with thumbnails: ${Date.now() - started} ms`);
    await page.getByTestId('offline-banner').waitFor();
    expect(await page.getByTestId('offline-banner').textContent()).toMatch(/You're offline/);
    // a change cannot be made offline: said in a word, and nothing is sent
    // a favourite can wait: shown at once, kept, sent once back online; archiving cannot, and says so
    const first = page.getByTestId('photo-tile').first();
    const id = (await first.getAttribute('data-photo-id'))!;
    const favourite = async () => (await json(`${server.url}/api/photos/${id}`)).body.favorite as boolean;
    expect(await favourite()).toBe(false);
    await page.getByTestId('tile-check').first().click();
    await page.getByTestId('bulk-favorite').click();
    await poll(() => page.getByTestId('toast').textContent()).toMatch(/to your favourites once back online/);
    await first.locator('.tile-favorite').waitFor();
    expect(await page.getByTestId('offline-waiting').textContent()).toBe('1 change waiting to be sent once back online.');
    await page.getByTestId('tile-check').nth(1).click();
    await page.getByTestId('bulk-archive').click();
    await poll(() => page.getByTestId('toast').textContent()).toMatch(/You're offline — this needs a connection/);
    await screenshot(page, 'shoebox-offline.png');
    await page.keyboard.press('Escape');
    expect(await favourite()).toBe(false);
    // the trash can wait too: the tile goes at once, the photo stays on the server until sent
    const ids = await page.getByTestId('photo-tile').evaluateAll((all) => all.map((tile) => tile.getAttribute('data-photo-id')!));
    const [trashed, added] = ids.filter((other) => other !== id) as [string, string];
    const tile = (photo: string) => page.locator(`[data-testid="photo-tile"][data-photo-id="${photo}"]`);
    const check = (photo: string) =>
      page
        .locator('.tile-cell')
        .filter({ has: tile(photo) })
        .getByTestId('tile-check');
    const inTrash = async () => ((await json(`${server.url}/api/trash`)).body.items as { id: string }[]).some((item) => item.id === trashed);
    const moveToTrash = async () => {
      await check(trashed).click();
      await page.getByTestId('bulk-trash').click();
      await page.getByRole('button', { name: 'Move to trash' }).click();
      await poll(() => page.getByTestId('toast').textContent()).toMatch(/to the trash: sent once back online/);
      await tile(trashed).waitFor({ state: 'detached' });
      expect(await page.locator(tiles).count()).toBe(count - 1);
    };
    await moveToTrash();
    // its Undo, before it is sent, takes the change back: the tile returns and nothing waits for it
    await page.getByTestId('toast-undo').click();
    await poll(() => page.getByTestId('toast').textContent()).toMatch(/Kept 1 photo: nothing will be sent/);
    await tile(trashed).waitFor();
    expect(await page.getByTestId('offline-waiting').textContent()).toBe('1 change waiting to be sent once back online.');
    await moveToTrash();
    expect(await inTrash()).toBe(false);
    // and adding to an album the picker lists from what was kept; a new album cannot wait
    const inTrip = async () => ((await json(`${server.url}/api/albums/${trip.id}?limit=50`)).body.photos.items as { id: string }[]).map((item) => item.id);
    await check(added).click();
    await page.getByTestId('bulk-album').click();
    await page.getByTestId('album-name').fill('Brand new');
    await page.getByTestId('album-add').click();
    await poll(() => page.getByTestId('album-dialog').getByRole('alert').textContent()).toMatch(/You're offline — this needs a connection/);
    await page.getByTestId('album-name').fill('');
    await page.getByTestId('album-dialog').getByText('Offline trip').click();
    await page.getByTestId('album-add').click();
    await poll(() => page.getByTestId('toast').textContent()).toMatch(/to “Offline trip” once back online/);
    expect(await page.getByTestId('offline-waiting').textContent()).toBe('3 changes waiting to be sent once back online.');
    expect(await inTrip()).toEqual([]);
    // reloaded offline, the kept answers hold neither change: both still show
    await page.reload();
    await imagesLoaded(page, tiles, count - 1);
    await tile(id).locator('.tile-favorite').waitFor();
    expect(await tile(trashed).count()).toBe(0);
    expect(await page.getByTestId('offline-waiting').textContent()).toBe('3 changes waiting to be sent once back online.');

    await desk.setOffline(false);
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    await poll(favourite).toBe(true);
    await poll(inTrash).toBe(true);
    await poll(inTrip).toEqual([added]);
    expect(await tile(trashed).count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('shoebox-offline-changes'))).toBe(null);
    await page.goto(`${server.url}/account`);
    // what a backup keeps for the service worker (lib/backupKept.ts) is there, and goes with the rest
    expect(await keptForWorker(page)).toEqual([]);
    const databases = () => page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name));
    expect(await databases()).toContain('shoebox-backup');
    // the page's own, not another session's in the list below (one when this case runs alone)
    await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
    await page.getByRole('button', { name: /Sign in/ }).waitFor();
    await poll(() => kept()).toBe(null);
    expect(await databases()).not.toContain('shoebox-backup');
    expect(errors).toEqual([]);
  }, 120_000);

  it('never serves a stale app: after the server is upgraded under an open app, the next load runs the new one', async () => {
    // the upgrade: the same app with one change to its code, so every name that carries its hash changes
    const upgraded = tempDir('shoebox-web-upgraded-');
    await build({
      configFile: path.join(repoRoot, 'web', 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: upgraded, emptyOutDir: true },
      plugins: [
        {
          name: 'upgrade',
          enforce: 'post',
          transform: (code, id) => (id.endsWith('/web/src/main.tsx') ? `${code}\nglobalThis.__shoeboxUpgraded = true;\n` : null),
        },
      ],
    });
    const buildOf = (root: string) => /name="shoebox-build" content="([0-9a-f]+)"/.exec(fs.readFileSync(path.join(root, 'index.html'), 'utf8'))![1]!;
    const entryOf = (root: string) => /<script type="module" crossorigin src="([^"]+)"/.exec(fs.readFileSync(path.join(root, 'index.html'), 'utf8'))![1]!;
    expect(buildOf(upgraded)).not.toBe(buildOf(webRoot));

    const dataDir = tempDir();
    let running = await spawnServer(dataDir, { SHOEBOX_WEB_DIR: webRoot, LOG_LEVEL: 'warn' });
    const visitor = await browser.newContext();
    try {
      const page = await visitor.newPage();
      await page.goto(running.url);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await page.reload(); // now through the worker, which keeps this build's page
      const state = () =>
        page.evaluate(async () => ({
          build: document.querySelector('meta[name="shoebox-build"]')?.getAttribute('content'),
          entry: new URL(window.__shoeboxEntry ?? '').pathname,
          caches: (await caches.keys()).filter((name) => name.startsWith('shoebox-app-')),
        }));
      await poll(() => state()).toEqual({ build: buildOf(webRoot), entry: entryOf(webRoot), caches: [`shoebox-app-${buildOf(webRoot)}`] });

      const stopped = new Promise((resolve) => running.child.once('exit', resolve));
      running.child.kill('SIGTERM');
      await stopped;
      running = await spawnServer(dataDir, { SHOEBOX_WEB_DIR: upgraded, LOG_LEVEL: 'warn' }, { port: Number(new URL(running.url).port) });
      await page.reload();
      // the new page and its code at once; the new worker takes over and drops the old build's files
      expect((await state()).build).toBe(buildOf(upgraded));
      expect((await state()).entry).toBe(entryOf(upgraded));
      expect(await page.evaluate(() => (globalThis as { __shoeboxUpgraded?: boolean }).__shoeboxUpgraded)).toBe(true);
      await poll(() => state().then((now) => now.caches.includes(`shoebox-app-${buildOf(webRoot)}`))).toBe(false);
      await page.reload();
      expect(await state()).toEqual({ build: buildOf(upgraded), entry: entryOf(upgraded), caches: [`shoebox-app-${buildOf(upgraded)}`] });
    } finally {
      await visitor.close();
      running.child.kill('SIGTERM');
      fs.rmSync(upgraded, { recursive: true, force: true });
    }
  }, 120_000);
});
