// The gallery in a real browser (Debian's chromium through playwright-core) against a real server: the timeline
// grouped by month and day, virtualised, selection and bulk actions checked through the API, the way back from a
// photo, arrow keys, the date scrubber.
import { mkdirSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesLoaded, launchBrowser, openPage, poll, quiet, screenshot, SCREENSHOTS, signedInContext } from '../helpers/browser.js';
import { assets, startTestServer, tempDir, upload, waitForTerminal, type TestServer, authFetch, withoutFacesOrText } from '../helpers/server.js';

interface ApiItem {
  id: string;
  filename: string;
  takenAt: string | null;
  state: string;
  colour: string | null;
  favorite: boolean;
}

interface Bucket {
  key: string;
  count: number;
  offset: number;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await authFetch(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

const tileIds = (page: Page) => page.locator('[data-testid="photo-tile"]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-photo-id')));
const tile = (page: Page, id: string) => page.locator(`[data-photo-id="${id}"]`);
/** The check circle of a photo's tile. */
const check = (page: Page, id: string) => page.locator(`.tile-cell:has([data-photo-id="${id}"]) [data-testid="tile-check"]`);
const selectedIds = (page: Page) =>
  page.locator('[data-testid="photo-tile"][data-selected="true"]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-photo-id')).sort());

/** Waits until every thumbnail in the gallery has loaded real pixels. */
const thumbnailsLoaded = (page: Page, count: number) => imagesLoaded(page, '[data-testid="photo-tile"] img', count);

const monthLabel = (key: string) =>
  key === 'undated' ? 'Undated' : new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${key}-01T00:00:00Z`));

/**
 * A screenshot of the screen only: a virtualised timeline has rows only near the screen, so a full-page shot
 * of a long one would show empty space below.
 */
async function screenShot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await quiet(page); // the fade-ins
  await page.screenshot({ path: path.join(SCREENSHOTS, name) });
}

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
    server = await startTestServer(withoutFacesOrText());
    const files = [
      ...readdirSync(natureDir)
        .filter((name) => name.endsWith('.jpg'))
        .map((name) => ({ path: path.join(natureDir, name) })),
      { path: thompson },
    ];
    const result = await upload(server.url, files);
    expect(result.status).toBe(201);
    ids = result.body.items.map((item: { id: string }) => item.id);
    expect(ids).toHaveLength(10);
    const states = await waitForTerminal(server.url, ids);
    expect(Object.values(states).every((state) => state === 'completed')).toBe(true);
    // Tall enough for the whole timeline of ten photos: every row is in the DOM at once.
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 2200 }, colorScheme: 'light', locale: 'en-US' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('shows one loaded thumbnail per photo, newest taken first, under month and day headers, with the library counts', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const tiles = page.locator('[data-testid="photo-tile"]');
    await poll(() => tiles.count()).toBe(10);
    await thumbnailsLoaded(page, 10);

    const list = await getJson<{ items: ApiItem[]; total: number }>(`${server.url}/api/photos?offset=0&limit=50`);
    expect(list.total).toBe(10);
    expect(await tileIds(page)).toEqual(list.items.map((item) => item.id));

    // One header per month of the timeline, in its order, with its count; a label per dated day.
    const months = await getJson<{ buckets: Bucket[] }>(`${server.url}/api/timeline?groupBy=month`);
    const days = await getJson<{ buckets: Bucket[] }>(`${server.url}/api/timeline?groupBy=day`);
    expect(months.buckets.length).toBeGreaterThan(3);
    const headers = await page.getByTestId('month-header').allTextContents();
    expect(headers).toEqual(months.buckets.map((b) => `${monthLabel(b.key)} ${b.count}`));
    expect(await page.getByTestId('day-header').count()).toBe(days.buckets.filter((b) => b.key !== 'undated').length);
    // Each day's label sits over that day's photos.
    for (const bucket of days.buckets.filter((b) => b.key !== 'undated')) {
      const dayIds = list.items.slice(bucket.offset, bucket.offset + bucket.count).map((item) => item.id);
      const group = page.locator(`[data-day="${bucket.key}"]`);
      expect(await group.getByTestId('day-header').count()).toBe(1);
      expect(await group.locator('[data-testid="photo-tile"]').evaluateAll((t) => t.map((e) => e.getAttribute('data-photo-id')))).toEqual(dayIds);
    }

    // Each tile links to its photo page, names its file, and sits on its dominant colour. (Thumbnails load at
    // once: only the rows near the screen are in the DOM, see the long gallery below.)
    const first = list.items[0]!;
    const link = tile(page, first.id);
    expect(await link.getAttribute('href')).toBe(`/photos/${first.id}`);
    expect(await link.locator('img').getAttribute('alt')).toBe(first.filename);
    const coloured = list.items.find((item) => item.colour);
    expect(coloured, 'the API gives photos a dominant colour').toBeTruthy();
    const background = await tile(page, coloured!.id).evaluate((el) => getComputedStyle(el).backgroundColor);
    const hex = coloured!.colour!.replace('#', '');
    expect(background).toBe(`rgb(${parseInt(hex.slice(0, 2), 16)}, ${parseInt(hex.slice(2, 4), 16)}, ${parseInt(hex.slice(4, 6), 16)})`);

    await poll(() => page.getByTestId('library-counts').textContent()).toContain('10 photos');
    await screenshot(page, 'shoebox-gallery.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shoebox-gallery-dark.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("asks for the first screen's thumbnails before the app's code has run, once each", async () => {
    // A first visit, with no service worker: one installed by an earlier test would hand the app's code over from its
    // cache, out of the route's reach.
    const firstVisit = await signedInContext(browser, server, {
      viewport: { width: 1280, height: 2200 },
      colorScheme: 'light',
      locale: 'en-US',
      serviceWorkers: 'block',
    });
    const page = await firstVisit.newPage();
    const thumbnails: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/thumbnail')) thumbnails.push(new URL(request.url()).pathname);
    });
    // Hold the app's code back: only the page's own early script runs meanwhile.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/assets/index-*.js', async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(server.url, { waitUntil: 'commit' });
    const list = await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos?offset=0&limit=50`);
    const expected = list.items.map((item) => `/api/photos/${item.id}/thumbnail`);
    await poll(() => [...thumbnails].sort()).toEqual([...expected].sort());
    expect(await page.getByTestId('photo-tile').count()).toBe(0);
    // Newest first, the order the screen shows them in.
    expect(thumbnails).toEqual(expected);

    release();
    await poll(() => page.getByTestId('photo-tile').count()).toBe(10);
    await thumbnailsLoaded(page, 10);
    // The tiles found them in the page's image cache: none was downloaded twice.
    expect(thumbnails).toHaveLength(10);
    await firstVisit.close();
  });

  it('fits a phone-sized screen', async () => {
    const phone = await signedInContext(browser, server, {
      viewport: { width: 375, height: 812 },
      colorScheme: 'light',
      locale: 'en-US',
      hasTouch: true,
      isMobile: true,
    });
    const { page, errors } = await openPage(phone);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBeGreaterThan(3);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Three columns of tiles at 375 px.
    const width = await page
      .locator('.tile-cell')
      .first()
      .evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(90);
    expect(width).toBeLessThan(130);
    await screenShot(page, 'shoebox-gallery-phone.png');
    expect(errors).toEqual([]);
    await phone.close();
  });

  it('selects with the check circle and shift-click, and favourites the selection (checked through the API)', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(10);
    await page.waitForLoadState('networkidle'); // see below: a late offer moves the tiles from under the mouse
    const order = (await tileIds(page)) as string[];

    await tile(page, order[0]!).hover();
    await check(page, order[0]!).click();
    await poll(() => page.getByTestId('selection-count').textContent()).toBe('1 photo selected');
    // Shift-click: everything between the last photo clicked and this one.
    await check(page, order[3]!).click({ modifiers: ['Shift'] });
    await poll(() => selectedIds(page)).toEqual(order.slice(0, 4).sort());
    expect(await page.getByTestId('selection-count').textContent()).toBe('4 photos selected');
    // While selecting, a click on a tile selects it instead of opening it.
    await tile(page, order[6]!).click();
    await poll(() => selectedIds(page)).toEqual([...order.slice(0, 4), order[6]!].sort());
    expect(new URL(page.url()).pathname).toBe('/');
    await screenshot(page, 'shoebox-gallery-selection.png');

    await page.getByTestId('bulk-favorite').click();
    await poll(() => page.getByTestId('toast').textContent()).toContain('Added 5 photos to your favourites');
    expect(await page.getByTestId('selection-bar').count()).toBe(0);
    const favourites = await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos?favorite=true&offset=0&limit=50`);
    expect(favourites.items.map((item) => item.id).sort()).toEqual([...order.slice(0, 4), order[6]!].sort());
    await poll(() => page.locator('.tile-favorite').count()).toBe(5);

    // Selecting only favourites offers to take them back.
    await tile(page, order[0]!).hover();
    await check(page, order[0]!).click();
    await poll(() => page.getByTestId('bulk-favorite').textContent()).toContain('Unfavourite');
    await page.getByTestId('bulk-favorite').click();
    await poll(() => page.getByTestId('toast').textContent()).toContain('Removed 1 photo from your favourites');
    const after = await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos?favorite=true&offset=0&limit=50`);
    expect(after.items.map((item) => item.id).sort()).toEqual([...order.slice(1, 4), order[6]!].sort());

    // Escape clears a selection.
    await tile(page, order[2]!).hover();
    await check(page, order[2]!).click();
    await poll(() => page.getByTestId('selection-bar').count()).toBe(1);
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('selection-bar').count()).toBe(0);
    expect(await selectedIds(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('selects a whole day or month and adds it to a new album, then more to the same album (checked through the API)', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(10);
    // the page settled: the smart-search offer, late on a loaded host, moved the headers from under the mouse
    await page.waitForLoadState('networkidle');
    const list = await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos?offset=0&limit=50`);
    const days = await getJson<{ buckets: Bucket[] }>(`${server.url}/api/timeline?groupBy=day`);
    // The biggest dated day (the photos without EXIF dates share their upload day).
    const day = [...days.buckets].filter((b) => b.key !== 'undated').sort((a, b) => b.count - a.count)[0]!;
    const dayIds = list.items.slice(day.offset, day.offset + day.count).map((item) => item.id);

    const dayHeader = page.locator(`[data-day="${day.key}"]`).getByTestId('day-header');
    await dayHeader.hover();
    await dayHeader.getByTestId('group-check').click();
    await poll(() => selectedIds(page)).toEqual([...dayIds].sort());
    expect(await dayHeader.getByTestId('group-check').getAttribute('aria-pressed')).toBe('true');

    await page.getByTestId('bulk-album').click();
    const dialog = page.getByTestId('album-dialog');
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByTestId('album-name').fill('Garden walk');
    await poll(() => dialog.getByTestId('album-add').textContent()).toBe('Create and add');
    await screenshot(page, 'shoebox-gallery-add-to-album.png');
    await dialog.getByTestId('album-add').click();
    await poll(() => page.getByTestId('toast').textContent()).toContain(`Added ${dayIds.length} ${dayIds.length === 1 ? 'photo' : 'photos'} to “Garden walk”`);
    const albums = await getJson<{ items: { id: string; name: string; photoCount: number }[] }>(`${server.url}/api/albums`);
    const album = albums.items.find((a) => a.name === 'Garden walk');
    expect(album?.photoCount).toBe(dayIds.length);
    const inAlbum = await getJson<{ photos: { items: { id: string }[] } }>(`${server.url}/api/albums/${album!.id}?limit=50`);
    expect(inAlbum.photos.items.map((p) => p.id).sort()).toEqual([...dayIds].sort());

    // A whole month, added to the album that exists now (chosen from the list).
    const months = await getJson<{ buckets: Bucket[] }>(`${server.url}/api/timeline?groupBy=month`);
    const month = months.buckets.find((b) => b.key !== 'undated' && !dayIds.includes(list.items[b.offset]!.id))!;
    const monthIds = list.items.slice(month.offset, month.offset + month.count).map((item) => item.id);
    const monthHeader = page.locator(`[data-month="${month.key}"]`).getByTestId('month-header');
    await monthHeader.hover();
    await monthHeader.getByTestId('group-check').click();
    await poll(() => selectedIds(page)).toEqual([...monthIds].sort());
    await page.getByTestId('bulk-album').click();
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel(/Garden walk/).check();
    await dialog.getByTestId('album-add').click();
    // (the first toast, with the same album name, may still be up: the album itself says when the month is in)
    await poll(() => page.getByTestId('toast').textContent()).toContain(
      `Added ${monthIds.length} ${monthIds.length === 1 ? 'photo' : 'photos'} to “Garden walk”`,
    );
    await poll(async () => {
      const grown = await getJson<{ photos: { items: { id: string }[] } }>(`${server.url}/api/albums/${album!.id}?limit=50`);
      return grown.photos.items.map((p) => p.id).sort();
    }).toEqual([...dayIds, ...monthIds].sort());
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves selected photos to the trash after confirmation; undo restores them (checked through the API)', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(10);
    const order = (await tileIds(page)) as string[];
    const victims = [order[1]!, order[2]!];
    await tile(page, victims[0]!).hover();
    await check(page, victims[0]!).click();
    await check(page, victims[1]!).click();
    await poll(() => page.getByTestId('selection-count').textContent()).toBe('2 photos selected');
    await page.getByTestId('bulk-trash').click();
    const dialog = page.getByRole('dialog', { name: 'Move 2 photos to the trash?' });
    await poll(() => dialog.isVisible()).toBe(true);
    await screenshot(page, 'shoebox-gallery-trash-confirm.png');
    await dialog.getByTestId('confirm').click();
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(8);
    expect(await tileIds(page)).toEqual(order.filter((id) => !victims.includes(id)));
    const trash = await getJson<{ items: { id: string }[] }>(`${server.url}/api/trash`);
    expect(trash.items.map((item) => item.id).sort()).toEqual([...victims].sort());
    await poll(() => page.getByTestId('library-counts').textContent()).toContain('8 photos');

    await page.getByTestId('toast-undo').click();
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(10);
    expect(await tileIds(page)).toEqual(order);
    const emptied = await getJson<{ items: { id: string }[] }>(`${server.url}/api/trash`);
    expect(emptied.items).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves a photo to the trash from its page and returns to a gallery with one tile fewer', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(10);
    const victim = (await tileIds(page))[3]!;
    await tile(page, victim).click();
    await page.waitForURL(`**/photos/${victim}`);
    await page.getByTestId('delete').click();
    const dialog = page.getByRole('dialog');
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByTestId('confirm').click();
    await page.waitForURL(`${server.url}/`);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(9);
    expect(await tileIds(page)).not.toContain(victim);
    const trashed = (await (await authFetch(`${server.url}/api/photos/${victim}`)).json()) as { deletedAt: string | null };
    expect(trashed.deletedAt).not.toBeNull();
    await poll(() => page.getByTestId('library-counts').textContent()).toContain('9 photos');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('web app: a gallery longer than the screen', () => {
  let server: TestServer;
  let context: BrowserContext;
  let dir: string;
  let order: string[] = [];
  const COUNT = 55;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    dir = tempDir('shoebox-e2e-pages-');
    // Photos without EXIF dates, dated by their file dates: three a day, every fifth day, over three months.
    const form = new FormData();
    for (let i = 0; i < COUNT; i++) {
      const hue = (i * 360) / COUNT;
      const data = await sharp({ create: { width: 96, height: 64, channels: 3, background: hslToRgb(hue, 0.65, 0.5) } })
        .jpeg({ quality: 80 })
        .toBuffer();
      const date = Date.UTC(2024, 5, 30, 12, 0, 0) - Math.floor(i / 3) * 5 * 86_400_000 - (i % 3) * 60_000;
      form.append('lastModified', String(date));
      form.append('file', new Blob([new Uint8Array(data)]), `colour-${String(i).padStart(2, '0')}.jpg`);
    }
    const response = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { items: { id: string }[] };
    const ids = body.items.map((item) => item.id);
    expect(new Set(ids).size).toBe(COUNT);
    await waitForTerminal(server.url, ids);
    const list = await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos?offset=0&limit=100`);
    order = list.items.map((item) => item.id);
    // Newest first: the file dates decide.
    expect(list.items[0]!.filename).toBe('colour-00.jpg');
    context = await signedInContext(browser, server, { viewport: { width: 900, height: 600 }, colorScheme: 'light', locale: 'en-US' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps only the rows near the screen in the DOM, in the API order, and the scrubber jumps to the end', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const tiles = page.locator('[data-testid="photo-tile"]');
    await poll(() => tiles.count()).toBeGreaterThan(6);
    const top = (await tileIds(page)) as string[];
    expect(top.length).toBeLessThan(COUNT);
    expect(top).toEqual(order.slice(0, top.length));
    await thumbnailsLoaded(page, top.length);
    await screenShot(page, 'shoebox-gallery-long.png');

    // The scrubber is a slider: End goes to the oldest month.
    const scrubber = page.getByTestId('scrubber');
    await scrubber.focus();
    await page.keyboard.press('End');
    await poll(() => tile(page, order[COUNT - 1]!).count()).toBe(1);
    const bottom = (await tileIds(page)) as string[];
    expect(bottom).toEqual(order.slice(COUNT - bottom.length));
    expect(bottom).not.toContain(order[0]);
    await poll(() => scrubber.getAttribute('aria-valuetext')).toBe('April 2024');

    // And a click near its top comes back to the newest photos.
    const box = (await scrubber.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + 2);
    await poll(() => tile(page, order[0]!).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('comes back from a photo to the same place in the gallery; arrow keys step through the photos in gallery order', async () => {
    const { page, errors } = await openPage(context);
    // The server slow to list the models (a loaded host): the smart-search offer above the gallery (no CLIP model
    // here) must not come in late and push the gallery down by its height — neither while the gallery is scrolled
    // before the first answer (the tile is clicked before it comes) nor after it is restored on the way back.
    await page.route('**/api/models', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue().catch(() => undefined); // the page may have moved on
    });
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBeGreaterThan(6);
    const target = order[COUNT - 8]!;
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await poll(() => tile(page, target).count()).toBe(1);
    await tile(page, target).scrollIntoViewIfNeeded();
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(600);
    await tile(page, target).click();
    await page.waitForURL(`**/photos/${target}`);
    await poll(() => page.getByTestId('photo-filename').textContent()).toMatch(/^colour-\d\d\.jpg$/);

    // → is the next (older) photo, ← the previous one; they replace the entry, so Back still leads to the gallery.
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photos/${order[COUNT - 7]}`);
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photos/${order[COUNT - 6]}`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(`**/photos/${order[COUNT - 7]}`);

    await page.goBack();
    await page.waitForURL(`${server.url}/`);
    await poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
    await new Promise((resolve) => setTimeout(resolve, 1800)); // and it stays there once the models are listed
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
    // The virtual list draws the rows at the restored position on the next frame after the scroll.
    await poll(() => tile(page, target).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Esc after stepping far through the photos lands on the last photo seen, its tile focused', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => tile(page, order[2]!).count()).toBe(1);
    await tile(page, order[2]!).click();
    await page.waitForURL(`**/photos/${order[2]}`);
    const last = 40;
    for (let i = 3; i <= last; i++) {
      await poll(() => page.getByTestId('next-photo').getAttribute('href')).toBe(`/photos/${order[i]}`);
      await page.keyboard.press('ArrowRight');
      await page.waitForURL(`**/photos/${order[i]}`);
    }
    await page.keyboard.press('Escape');
    await page.waitForURL(`${server.url}/`);
    // The gallery was left at its top; the photo now looked at is far below: it is brought on screen and focused.
    await poll(() => page.evaluate((id) => document.activeElement?.getAttribute('data-photo-id') === id, order[last]!)).toBe(true);
    const box = (await tile(page, order[last]!).boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(600);
    // Back to the photo and Esc again at once: the same place, nothing moves.
    const scrolled = await page.evaluate(() => window.scrollY);
    await tile(page, order[last]!).click();
    await page.waitForURL(`**/photos/${order[last]}`);
    await page.keyboard.press('Escape');
    await page.waitForURL(`${server.url}/`);
    await poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('steps through the gallery order also from a photo opened by its link', async () => {
    const { page, errors } = await openPage(context);
    const middle = 30;
    await page.goto(`${server.url}/photos/${order[middle]}`);
    await poll(() => page.getByTestId('photo-filename').textContent()).toMatch(/^colour-\d\d\.jpg$/);
    await poll(() => page.getByTestId('next-photo').count()).toBe(1);
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photos/${order[middle + 1]}`);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(`**/photos/${order[middle - 1]}`);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('web app: an empty library', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('tells a new user how to add photos', async () => {
    const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'dark', locale: 'en-US' });
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const empty = page.getByTestId('empty-library');
    await poll(() => empty.isVisible()).toBe(true);
    const text = await empty.textContent();
    expect(text).toContain('Drop photos or whole folders anywhere on this page');
    expect(text).toContain('shoebox import <folder>');
    await screenshot(page, 'shoebox-gallery-empty-dark.png');
    expect(errors).toEqual([]);
    await context.close();
  });
});

function hslToRgb(h: number, s: number, l: number): { r: number; g: number; b: number } {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)))));
  return { r: f(0), g: f(8), b: f(4) };
}
