// The web app in a real browser (Debian's chromium through playwright-core) against a real server.
import { readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesLoaded, launchBrowser, openPage, poll, screenshot } from '../helpers/browser.js';
import { assets, startTestServer, tempDir, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

interface ApiItem {
  id: string;
  filename: string;
  takenAt: string | null;
  state: string;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

const tileIds = (page: Page) => page.locator('[data-testid="photo-tile"]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-photo-id')));

/** Waits until every thumbnail in the gallery has loaded real pixels. */
const thumbnailsLoaded = (page: Page, count: number) => imagesLoaded(page, '[data-testid="photo-tile"] img', count);

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: gallery', () => {
  let server: TestServer;
  let context: BrowserContext;
  let ids: string[] = [];

  const natureDir = path.join(assets, 'albums', 'nature');
  const thompson = path.join(assets, 'metadata', 'gps-position', 'thompson-springs.jpg');

  beforeAll(async () => {
    server = await startTestServer();
    const files = [...readdirSync(natureDir).filter((name) => name.endsWith('.jpg')).map((name) => ({ path: path.join(natureDir, name) })), { path: thompson }];
    const result = await upload(server.url, files);
    expect(result.status).toBe(201);
    ids = result.body.items.map((item: { id: string }) => item.id);
    expect(ids).toHaveLength(10);
    const states = await waitForTerminal(server.url, ids);
    expect(Object.values(states).every((state) => state === 'completed')).toBe(true);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('shows one loaded thumbnail per photo, newest taken first, with the library counts', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const tiles = page.locator('[data-testid="photo-tile"]');
    await poll(() => tiles.count()).toBe(10);
    await thumbnailsLoaded(page, 10);

    const list = await getJson<{ items: ApiItem[]; total: number }>(`${server.url}/api/photos?page=1&limit=50`);
    expect(list.total).toBe(10);
    expect(await tileIds(page)).toEqual(list.items.map((item) => item.id));

    // Each tile links to its photo page and names its file.
    const first = list.items[0]!;
    const tile = page.locator(`[data-photo-id="${first.id}"]`);
    expect(await tile.getAttribute('href')).toBe(`/photos/${first.id}`);
    expect(await tile.locator('img').getAttribute('alt')).toBe(first.filename);
    expect(await tile.locator('img').getAttribute('loading')).toBe('lazy');

    await poll(() => page.getByTestId('library-counts').textContent()).toContain('10 photos');
    await screenshot(page, 'shoebox-gallery.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shoebox-gallery-dark.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves a photo to the trash after confirmation and returns to a gallery with one tile fewer', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(10);
    const victim = (await tileIds(page))[3]!;
    await page.locator(`[data-photo-id="${victim}"]`).click();
    await page.waitForURL(`**/photos/${victim}`);
    await page.getByTestId('delete').click();
    const dialog = page.getByRole('dialog');
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByTestId('confirm').click();
    await page.waitForURL(`${server.url}/`);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(9);
    expect(await tileIds(page)).not.toContain(victim);
    const trashed = (await (await fetch(`${server.url}/api/photos/${victim}`)).json()) as { deletedAt: string | null };
    expect(trashed.deletedAt).not.toBeNull();
    const trash = (await (await fetch(`${server.url}/api/trash`)).json()) as { items: { id: string }[] };
    expect(trash.items.map((item) => item.id)).toContain(victim);
    await poll(() => page.getByTestId('library-counts').textContent()).toContain('9 photos');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('uploads through the page: refuses a text file with the server message, adds a photo', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(9);

    const text = Buffer.from('these are not the pixels you are looking for\n');
    const refusal = await upload(server.url, [{ name: 'notes.txt', data: text }]);
    expect(refusal.status).toBe(415);
    const message: string = refusal.body.items[0].error;

    await page.getByTestId('upload-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: text });
    const refused = page.getByTestId('upload-refused');
    await poll(() => refused.textContent()).toContain('notes.txt');
    expect(await refused.textContent()).toContain(message.replace(/^notes\.txt: /, ''));
    await screenshot(page, 'shoebox-upload-refused.png');
    await page.getByRole('button', { name: 'Dismiss upload result' }).click();
    expect(await page.getByTestId('upload-notice').count()).toBe(0);

    // A real photo: it appears, is processed while the page polls, and gets its thumbnail.
    await page.getByTestId('upload-input').setInputFiles(path.join(assets, 'metadata', 'gps-position', 'empty_gps.jpg'));
    await poll(() => page.getByTestId('upload-notice').textContent()).toContain('Added 1 photo');
    await poll(() => page.locator('[data-testid="photo-tile"]').count(), { timeout: 30_000 }).toBe(10);
    await poll(() => page.locator('[data-testid="photo-tile"][data-state="completed"]').count(), { timeout: 60_000 }).toBe(10);
    await thumbnailsLoaded(page, 10);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('web app: more photos than one page', () => {
  let server: TestServer;
  let context: BrowserContext;
  let dir: string;
  const COUNT = 55;

  beforeAll(async () => {
    server = await startTestServer();
    dir = tempDir('shoebox-e2e-pages-');
    const files: { path: string }[] = [];
    for (let i = 0; i < COUNT; i++) {
      const file = path.join(dir, `colour-${String(i).padStart(2, '0')}.jpg`);
      const hue = (i * 360) / COUNT;
      await sharp({
        create: { width: 96, height: 64, channels: 3, background: hslToRgb(hue, 0.65, 0.5) },
      })
        .jpeg({ quality: 80 })
        .toFile(file);
      files.push({ path: file });
    }
    const result = await upload(server.url, files);
    expect(result.status).toBe(201);
    const ids = result.body.items.map((item: { id: string }) => item.id);
    expect(new Set(ids).size).toBe(COUNT);
    await waitForTerminal(server.url, ids);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('shows 50 photos, then the rest when scrolled to the end, in the API order', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const tiles = page.locator('[data-testid="photo-tile"]');
    await poll(() => tiles.count()).toBe(50);
    expect(await page.getByTestId('gallery-shown').textContent()).toContain('50 of 55');

    await page.getByTestId('gallery-shown').scrollIntoViewIfNeeded();
    await poll(() => tiles.count()).toBe(COUNT);
    expect(await page.getByTestId('load-more').count()).toBe(0);

    const first = await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos?page=1&limit=50`);
    const second = await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos?page=2&limit=50`);
    expect(await tileIds(page)).toEqual([...first.items, ...second.items].map((item) => item.id));
    await thumbnailsLoaded(page, COUNT);
    await screenshot(page, 'shoebox-gallery-pages.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('comes back from a photo to the same place in the gallery; arrow keys step through photos', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const tiles = page.locator('[data-testid="photo-tile"]');
    await poll(() => tiles.count()).toBe(50);
    await page.getByTestId('gallery-shown').scrollIntoViewIfNeeded();
    await poll(() => tiles.count()).toBe(COUNT);
    const ids = await tileIds(page);
    const last = tiles.nth(COUNT - 2);
    await last.scrollIntoViewIfNeeded();
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(300);
    await last.click();
    await page.waitForURL(`**/photos/${ids[COUNT - 2]}`);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await poll(() => page.getByTestId('photo-filename').textContent()).toMatch(/^colour-\d\d\.jpg$/);

    // → is the next (older) photo, ← the previous one; they replace the entry, so Back still leads to the gallery.
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photos/${ids[COUNT - 1]}`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(`**/photos/${ids[COUNT - 2]}`);

    await page.getByRole('link', { name: 'All photos', exact: true }).click();
    await page.waitForURL(`${server.url}/`);
    expect(await tiles.count()).toBe(COUNT);
    await poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads the next page with the button too', async () => {
    const { page } = await openPage(context);
    await page.goto(server.url);
    const tiles = page.locator('[data-testid="photo-tile"]');
    await poll(() => tiles.count()).toBe(50);
    // A DOM click: scrolling the button into view would let infinite scroll win the race.
    await page.getByTestId('load-more').evaluate((button: HTMLElement) => button.click());
    await poll(() => tiles.count()).toBe(COUNT);
    await page.close();
  });
});

function hslToRgb(h: number, s: number, l: number): { r: number; g: number; b: number } {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)))));
  return { r: f(0), g: f(8), b: f(4) };
}
