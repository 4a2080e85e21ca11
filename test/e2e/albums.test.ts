// The album pages in a real browser against a real server. The fixture CLIP model's embedding follows a photo's
// colours, so six reddish and six bluish pictures make two suggested (automatic) albums when regenerated (as in
// test/integration/auto-albums.test.ts); three more pictures stay out. Covers: the empty state, suggestions kept
// and dismissed, an album created in the dialog, renamed on both pages, its photos shown and one removed, albums
// deleted; light and dark themes, a phone-sized screen. Every effect is checked through the API.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFromFolder } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { imagesLoaded, launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { rawPicture, seededNoise, type Rgb } from '../helpers/images.js';
import { json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

interface ApiAlbum {
  id: string;
  name: string;
  description: string | null;
  kind: 'manual' | 'auto';
  status: string;
  photoCount: number;
  coverPhotoId: string | null;
}

/** A photo-like JPEG: `share` of it one colour, the rest a band of another, seeded noise, a date taken. */
async function picture(main: Rgb, band: Rgb, share: number, seed: number, taken: string | null): Promise<Buffer> {
  const noise = seededNoise(seed, 15);
  let image = rawPicture(320, 240, (_x, y) => (y < 240 * share ? main : band), noise).jpeg({ quality: 85 });
  if (taken) image = image.withExif({ IFD0: { Make: 'Shoebox', Model: 'Test' }, IFD2: { DateTimeOriginal: taken } });
  return image.toBuffer();
}

const GREY: Rgb = [125, 125, 125];
const WHITE: Rgb = [240, 240, 240];
const BLACK: Rgb = [15, 15, 15];

/** name, main colour, band colour, share of the main colour, date taken — as measured in the integration test. */
type Card = [string, Rgb, Rgb, number, string];
const REDS: Card[] = [
  ['red-1.jpg', [200, 30, 35], GREY, 0.75, '2024:05:03 10:00:00'],
  ['red-2.jpg', [215, 25, 30], WHITE, 0.8, '2024:05:10 11:00:00'],
  ['red-3.jpg', [185, 35, 30], BLACK, 0.7, '2024:05:24 12:00:00'],
  ['red-4.jpg', [205, 20, 40], GREY, 0.85, '2024:09:02 09:00:00'],
  ['red-5.jpg', [190, 28, 28], WHITE, 0.72, '2024:09:08 15:00:00'],
  ['red-6.jpg', [220, 35, 45], BLACK, 0.78, '2024:09:20 18:00:00'],
];
const BLUES: Card[] = [
  ['blue-1.jpg', [35, 80, 200], GREY, 0.75, '2023:01:05 10:00:00'],
  ['blue-2.jpg', [30, 70, 210], WHITE, 0.8, '2023:01:07 10:00:00'],
  ['blue-3.jpg', [40, 90, 190], BLACK, 0.7, '2023:01:12 10:00:00'],
  ['blue-4.jpg', [25, 75, 205], GREY, 0.85, '2023:01:15 10:00:00'],
  ['blue-5.jpg', [45, 85, 215], WHITE, 0.72, '2023:01:20 10:00:00'],
  ['blue-6.jpg', [30, 65, 185], BLACK, 0.78, '2023:01:28 10:00:00'],
];
/** Alike to nothing else: left out of the suggestions. */
const OTHERS: Card[] = [
  ['green.jpg', [50, 140, 45], GREY, 0.75, '2022:06:01 12:00:00'],
  ['yellow.jpg', [235, 215, 40], GREY, 0.75, '2022:06:02 12:00:00'],
  ['purple.jpg', [128, 38, 153], WHITE, 0.75, '2022:06:03 12:00:00'],
];

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const albumCard = (page: Page, id: string) => page.locator(`[data-testid="album-card"][data-album-id="${id}"]`);
const tileIds = (page: Page) =>
  page.locator('[data-testid="timeline"] [data-testid="photo-tile"]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-photo-id')));

describe('web app: albums', () => {
  let server: TestServer;
  let context: BrowserContext;
  let ids: Record<string, string>;
  let red: ApiAlbum;
  let blue: ApiAlbum;
  let created: string;
  let removedPhoto: string;

  const album = async (id: string) => json(`${server.url}/api/albums/${id}?limit=100`);
  const albums = async (kind?: 'manual' | 'auto') => (await json(`${server.url}/api/albums${kind ? `?kind=${kind}` : ''}`)).body.items as ApiAlbum[];

  beforeAll(async () => {
    const dataDir = tempDir();
    const { clipDir } = await ensureFixtureModels();
    await installFromFolder(dataDir, 'clip-vit-b32', clipDir);
    server = await startTestServer(withoutFacesOrText({ dataDir }));
    const files = await Promise.all(
      // Seeds as in the integration test: 1–6, 11–16, 21–23.
      [REDS, BLUES, OTHERS].flatMap((cards, group) =>
        cards.map(async ([name, main, band, share, taken], i) => ({ name, data: await picture(main, band, share, group * 10 + i + 1, taken) })),
      ),
    );
    const response = await upload(server.url, files);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids = Object.fromEntries(response.body.items.map((item: { filename: string; id: string }) => [item.filename, item.id]));
    const states = await waitForTerminal(server.url, Object.values(ids), 300_000);
    expect(
      Object.values(states).every((s) => s === 'completed'),
      JSON.stringify(states),
    ).toBe(true);
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  }, 360_000);

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('tells a new user how to make albums while there are none', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/albums`);
    const empty = page.getByTestId('albums-empty');
    await poll(() => empty.isVisible()).toBe(true);
    await expect(empty.getByRole('heading').textContent()).resolves.toBe('No albums yet');
    await expect(empty.textContent()).resolves.toContain('Add to album');
    await expect(empty.getByRole('button', { name: 'New album' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'shoebox-albums-empty.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('suggests albums of alike photos; one is kept on the albums page, the other dismissed on its own page', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/albums`);
    await page.getByTestId('albums-empty').getByRole('button', { name: 'Suggest albums' }).click();
    const autoCards = page.locator('[data-testid="auto-albums"] [data-testid="album-card"]');
    await poll(() => autoCards.count()).toBe(2);
    const suggested = await albums('auto');
    expect(suggested).toHaveLength(2);
    red = suggested.find((a) => a.coverPhotoId && REDS.some(([name]) => ids[name] === a.coverPhotoId))!;
    blue = suggested.find((a) => a !== red)!;
    expect(red).toBeDefined();
    expect(red.photoCount).toBe(6);
    expect(blue.photoCount).toBe(6);
    for (const a of [red, blue]) {
      await expect(albumCard(page, a.id).getByTestId('album-name').textContent()).resolves.toBe(a.name);
      await expect(albumCard(page, a.id).getByTestId('album-count').textContent()).resolves.toBe('6 photos');
    }
    await expect(page.getByTestId('action-status').textContent()).resolves.toContain('2 suggested albums (2 new)');
    await imagesLoaded(page, '[data-testid="album-card"] img', 2);
    await screenshot(page, 'shoebox-albums-suggested.png');

    // Keep: the red one becomes one of the user's albums.
    await albumCard(page, red.id).getByTestId('keep-album').click();
    await poll(async () => (await album(red.id)).body.kind).toBe('manual');
    await poll(() => page.locator(`[data-testid="manual-albums"] [data-album-id="${red.id}"]`).count()).toBe(1);
    await expect(page.locator(`[data-testid="auto-albums"] [data-album-id="${red.id}"]`).count()).resolves.toBe(0);

    // Dismiss, from the blue album's own page: it is no longer listed.
    await albumCard(page, blue.id).getByTestId('album-name').click();
    await poll(() => new URL(page.url()).pathname).toBe(`/albums/${blue.id}`);
    await poll(() => page.getByTestId('album-title').textContent()).toBe(blue.name);
    await expect(page.getByText('Suggested album').isVisible()).resolves.toBe(true);
    await poll(async () => new Set(await tileIds(page))).toEqual(new Set(BLUES.map(([name]) => ids[name])));
    await page.getByTestId('dismiss-album').click();
    await poll(() => new URL(page.url()).pathname).toBe('/albums');
    expect((await album(blue.id)).body.status).toBe('dismissed');
    expect((await albums()).map((a) => a.id)).not.toContain(blue.id);
    await poll(() => page.locator('[data-testid="album-card"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('creates an album in the dialog and opens it', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/albums`);
    await page.getByTestId('new-album').click();
    const dialog = page.getByRole('dialog', { name: 'New album' });
    await poll(() => dialog.isVisible()).toBe(true);
    const submit = dialog.getByTestId('dialog-submit');
    // No name, no album.
    await expect(submit.isDisabled()).resolves.toBe(true);
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Colour cards');
    await dialog.getByRole('textbox', { name: /Description/ }).fill('Plain colours, photographed flat.');
    await submit.click();
    await poll(() => new URL(page.url()).pathname).toMatch(/^\/albums\/[0-9a-f-]{36}$/);
    created = new URL(page.url()).pathname.split('/').pop()!;
    const stored = (await album(created)).body as ApiAlbum;
    expect(stored).toMatchObject({ name: 'Colour cards', description: 'Plain colours, photographed flat.', kind: 'manual', photoCount: 0 });
    await poll(() => page.getByTestId('album-title').textContent()).toBe('Colour cards');
    await expect(page.getByTestId('album-description').textContent()).resolves.toBe('Plain colours, photographed flat.');
    await poll(() => page.getByTestId('album-empty').isVisible()).toBe(true);
    await expect(page.getByTestId('album-empty').textContent()).resolves.toContain('Add to album');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists albums with covers and counts, and renames one in place', async () => {
    const chosen = ['green.jpg', 'yellow.jpg', 'purple.jpg', 'red-1.jpg'].map((name) => ids[name]!);
    const added = await json(`${server.url}/api/albums/${created}/photos`, { method: 'POST', json: { ids: chosen } });
    expect(added.body.added).toBe(4);

    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/albums`);
    const mine = albumCard(page, created);
    await poll(() => mine.getByTestId('album-count').textContent()).toBe('4 photos');
    await expect(page.getByTestId('albums-summary').textContent()).resolves.toBe('2 albums');
    const cover = (await album(created)).body.coverPhotoId as string;
    expect(chosen).toContain(cover);
    await expect(mine.locator('img').getAttribute('src')).resolves.toBe(`/api/photos/${cover}/thumbnail`);
    await imagesLoaded(page, '[data-testid="album-card"] img', 2);
    await screenshot(page, 'shoebox-albums.png');

    await mine.getByRole('button', { name: 'Actions for Colour cards' }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    const input = mine.getByRole('textbox', { name: 'Album name' });
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await input.fill('Colour studies');
    await input.press('Enter');
    await poll(async () => (await album(created)).body.name).toBe('Colour studies');
    await poll(() => mine.getByTestId('album-name').textContent()).toBe('Colour studies');

    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shoebox-albums-dark.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows an album's photos, renames it inline and takes a photo out of it", async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/albums/${created}`);
    await poll(() => page.getByTestId('album-title').textContent()).toBe('Colour studies');
    await expect(page.getByTestId('album-photo-count').textContent()).resolves.toBe('4 photos');
    const inAlbum = ((await album(created)).body.photos.items as { id: string }[]).map((p) => p.id);
    await poll(async () => await tileIds(page)).toEqual(inAlbum);
    await imagesLoaded(page, '[data-testid="timeline"] [data-testid="photo-tile"] img', 4);
    await screenshot(page, 'shoebox-album.png');

    await page.getByTestId('rename-album').click();
    const input = page.getByRole('textbox', { name: 'Album name' });
    await input.fill('Flat colours');
    await input.press('Enter');
    await poll(async () => (await album(created)).body.name).toBe('Flat colours');
    await poll(() => page.getByTestId('album-title').textContent()).toBe('Flat colours');

    // Select the newest photo and remove it from the album: it stays in the library.
    removedPhoto = inAlbum[0]!;
    await page.locator(`[data-testid="photo-tile"][data-photo-id="${removedPhoto}"]`).locator('..').getByTestId('tile-check').click();
    await poll(() => page.getByTestId('selection-count').textContent()).toContain('1 photo selected');
    await page.getByTestId('selection-bar').getByRole('button', { name: 'Remove from album' }).click();
    await poll(async () => (await album(created)).body.photoCount).toBe(3);
    expect(((await album(created)).body.photos.items as { id: string }[]).map((p) => p.id)).not.toContain(removedPhoto);
    expect((await json(`${server.url}/api/photos/${removedPhoto}`)).body.deletedAt).toBeNull();
    await poll(async () => await tileIds(page)).toEqual(inAlbum.slice(1));
    await poll(() => page.getByTestId('album-photo-count').textContent()).toBe('3 photos');

    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shoebox-album-dark.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a phone screen', async () => {
    const phone = await signedInContext(browser, server, { viewport: { width: 375, height: 740 }, colorScheme: 'light', isMobile: true, hasTouch: true });
    try {
      const { page, errors } = await openPage(phone);
      await page.goto(`${server.url}/albums`);
      await poll(() => page.locator('[data-testid="album-card"]').count()).toBe(2);
      await imagesLoaded(page, '[data-testid="album-card"] img', 2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'shoebox-albums-phone.png');
      // Pull to refresh: an album made elsewhere meanwhile comes in with a finger pulled down from the top.
      const cdp = await phone.newCDPSession(page);
      const pull = async () => {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: 187, y: 300 }] });
        for (let step = 1; step <= 10; step++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: 187, y: 300 + step * 22 }] });
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      };
      const elsewhere = await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'Made elsewhere' } });
      expect(elsewhere.status).toBe(201);
      await page.waitForTimeout(1000);
      expect(await page.locator('[data-testid="album-card"]').count()).toBe(2);
      await pull();
      await poll(() => page.locator('[data-testid="album-card"]').count()).toBe(3);
      await poll(() => page.getByTestId('pull-refresh').getAttribute('data-state')).toBe('idle');
      expect((await json(`${server.url}/api/albums/${elsewhere.body.id}`, { method: 'DELETE' })).status).toBe(204);
      await page.goto(`${server.url}/albums/${created}`);
      await poll(() => page.locator('[data-testid="timeline"] [data-testid="photo-tile"]').count()).toBe(3);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'shoebox-album-phone.png');
      // …and on the album's page, a photo added elsewhere: its tile and the album's count
      const inAlbum = await tileIds(page);
      const other = Object.values(ids).find((id) => !inAlbum.includes(id))!;
      expect((await json(`${server.url}/api/albums/${created}/photos`, { method: 'POST', json: { ids: [other] } })).body.added).toBe(1);
      await page.waitForTimeout(1000);
      expect(await page.locator('[data-testid="timeline"] [data-testid="photo-tile"]').count()).toBe(3);
      await pull();
      await poll(() => page.locator('[data-testid="timeline"] [data-testid="photo-tile"]').count()).toBe(4);
      await poll(() => page.getByTestId('album-photo-count').textContent()).toBe('4 photos');
      expect((await json(`${server.url}/api/albums/${created}/photos`, { method: 'DELETE', json: { ids: [other] } })).status).toBe(200);
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('deletes albums, from the album page and from the albums page, after asking; the photos stay', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/albums/${created}`);
    await poll(() => page.getByTestId('album-title').textContent()).toBe('Flat colours');
    await page.getByTestId('delete-album').click();
    const dialog = page.getByRole('dialog', { name: 'Delete Flat colours?' });
    await poll(() => dialog.isVisible()).toBe(true);
    await expect(dialog.textContent()).resolves.toContain('3 photos stay in your library');
    await dialog.getByRole('button', { name: 'Delete album' }).click();
    await poll(() => new URL(page.url()).pathname).toBe('/albums');
    expect((await album(created)).status).toBe(404);
    expect((await json(`${server.url}/api/photos/${ids['green.jpg']}`)).body.deletedAt).toBeNull();

    const kept = albumCard(page, red.id);
    await poll(() => kept.isVisible()).toBe(true);
    await kept.getByRole('button', { name: `Actions for ${red.name}` }).click();
    await page.getByRole('menuitem', { name: 'Delete album' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${red.name}?` });
    await poll(() => confirm.isVisible()).toBe(true);
    // Cancelled first: nothing happens.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => confirm.isVisible()).toBe(false);
    expect((await album(red.id)).status).toBe(200);
    await kept.getByRole('button', { name: `Actions for ${red.name}` }).click();
    await page.getByRole('menuitem', { name: 'Delete album' }).click();
    await confirm.getByRole('button', { name: 'Delete album' }).click();
    await poll(async () => (await album(red.id)).status).toBe(404);
    await poll(() => page.getByTestId('albums-empty').isVisible()).toBe(true);
    expect(await albums()).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
