// What a new user met on the first evening, in a real browser against a real server: the phone layout (the
// sections in a bar at the bottom and behind its More, the scrubber between the bars, duplicate cards that fit,
// a swipe between photos), the phone's gestures (a long press dragged over a range, pull to refresh, the share
// sheet), the favourites view with its rating filter, close spelling matches after the photos that match the words, and
// the jobs page's counts equal to `shoebox jobs`. Screenshots at 390×844 are kept as artefacts.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { colourPhotos } from '../helpers/images.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, authFetch, withoutFacesOrText } from '../helpers/server.js';

const PHONE = { width: 390, height: 844 };
/** The phone's bottom bar; the other sections are behind its "More". */
const BAR = ['Photos', 'Favourites', 'People', 'Albums'];

let browser: Browser;
let server: TestServer;
const ids: Record<string, string> = {};
const natureDir = path.join(assets, 'albums', 'nature');

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startTestServer({ ...withoutFacesOrText(), creationTools: true });
  const dir = tempDir('shoebox-e2e-phone-');
  const nature = readdirSync(natureDir)
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .map((name) => ({ path: path.join(natureDir, name) }));
  // a smaller copy of the first nature photo: a duplicate pair
  const copy = await sharp(nature[0]!.path).resize({ width: 600 }).jpeg({ quality: 70 }).toBuffer();
  // two "Canon EOS R5" photos and two "Canon EOS R6" ones, for the close matches
  const colours = await colourPhotos(dir, 23);
  const exiftool = new ExifTool({ maxProcs: 1 });
  const cameras: { path: string; name: string }[] = [];
  try {
    for (const [colour, model] of [
      ['red', 'R5'],
      ['green', 'R5'],
      ['blue', 'R6'],
      ['yellow', 'R6'],
    ] as const) {
      await exiftool.write(colours[colour], { Make: 'Canon', Model: `Canon EOS ${model}` }, { writeArgs: ['-overwrite_original'] });
      cameras.push({ path: colours[colour], name: `${colour}-${model}.jpg` });
    }
  } finally {
    await exiftool.end();
  }
  const response = await upload(server.url, [...nature, { data: copy, name: 'copy-of-first.jpg' }, ...cameras]);
  expect(response.status).toBe(201);
  for (const item of response.body.items as { id: string; filename: string }[]) ids[item.filename] = item.id;
  // a timeline long enough for the scrubber (three screens, several months): small photos dated by their file
  // dates, two a week over five months
  const form = new FormData();
  for (let i = 0; i < 45; i++) {
    const data = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: (i * 53) % 256, g: (i * 97) % 256, b: (i * 31) % 256 } } })
      .jpeg()
      .toBuffer();
    form.append('lastModified', String(Date.UTC(2023, 9, 30, 12) - Math.floor(i / 2) * 7 * 86_400_000 - (i % 2) * 60_000));
    form.append('file', new Blob([new Uint8Array(data)]), `filler-${String(i).padStart(2, '0')}.jpg`);
  }
  const fillers = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form });
  expect(fillers.status).toBe(201);
  for (const item of ((await fillers.json()) as { items: { id: string; filename: string }[] }).items) ids[item.filename] = item.id;
  await waitForTerminal(server.url, Object.values(ids), 180_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const inside = async (page: Page, selector: string) =>
  page.locator(selector).evaluateAll(
    (nodes, width) =>
      nodes.every((node) => {
        const box = node.getBoundingClientRect();
        return box.left >= -0.5 && box.right <= width + 0.5;
      }),
    PHONE.width,
  );

describe('web app on a phone (390×844)', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await signedInContext(browser, server, {
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'light',
      locale: 'en-US',
    });
  });
  afterAll(async () => context?.close());

  it('keeps the sections one tap away at the bottom and the scrubber between the bars', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBeGreaterThan(3);
    const nav = (await page.locator('.app-nav').boundingBox())!;
    expect(nav.y + nav.height).toBeCloseTo(PHONE.height, 0);
    for (const name of [...BAR, 'More']) {
      const item = page.locator('.app-nav').getByRole(name === 'More' ? 'button' : 'link', { name, exact: true });
      const box = (await item.boundingBox())!;
      expect(box, name).not.toBeNull();
      expect(box.x, name).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, name).toBeLessThanOrEqual(PHONE.width);
      expect(box.y, name).toBeGreaterThanOrEqual(nav.y);
      expect(box.height, `${name} is a thumb's target`).toBeGreaterThanOrEqual(44);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const headerBottom = async () => (await page.locator('.app-header').boundingBox())!.y + (await page.locator('.app-header').boundingBox())!.height;
    expect(await headerBottom()).toBeLessThanOrEqual(64); // one compact row (was 223 px: three rows of tabs)
    await poll(() => page.locator('.scrubber').count()).toBe(1);
    await poll(async () => (await page.locator('.scrubber').boundingBox())?.y ?? -1).toBeGreaterThanOrEqual(await headerBottom());
    await page.evaluate(() => window.scrollTo(0, 400));
    await poll(async () => (await page.locator('.scrubber').boundingBox())!.y).toBeGreaterThanOrEqual(await headerBottom());
    const scrubber = (await page.locator('.scrubber').boundingBox())!;
    expect(scrubber.y + scrubber.height).toBeLessThanOrEqual(nav.y);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'phone-gallery.png');
    // every other section behind More: it opens above the bar, a tap goes there, and it closes
    for (const [name, path] of [
      ['Jobs', '/jobs'],
      ['Trash', '/trash'],
      ['Duplicates', '/duplicates'],
      ['Sharing', '/sharing'],
      ['Create', '/create'],
    ] as const) {
      await page.locator('.app-nav').getByRole('button', { name: 'More' }).tap();
      const menu = page.getByTestId('more-menu');
      await poll(() => menu.isVisible()).toBe(true);
      const box = (await menu.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(nav.y);
      if (name === 'Jobs') await screenshot(page, 'phone-more.png');
      await menu.getByRole('link', { name, exact: true }).tap();
      await page.waitForURL(`**${path}`);
      await poll(() => menu.isVisible()).toBe(false);
      await poll(() => page.locator('.app-nav .more-button').getAttribute('data-current')).toMatch(/^(always|phone)$/); // on a phone either marks it
    }
    await page.locator('.app-nav').getByRole('link', { name: 'Favourites', exact: true }).tap();
    await page.waitForURL('**/favorites');
    expect(await page.locator('.app-nav').getByRole('link', { name: 'Favourites', exact: true }).getAttribute('aria-current')).toBe('page');
    // Escape and a tap outside close it too
    await page.locator('.app-nav').getByRole('button', { name: 'More' }).tap();
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('more-menu').isVisible()).toBe(false);
    await page.locator('.app-nav').getByRole('button', { name: 'More' }).tap();
    await page.locator('h1').first().tap();
    await poll(() => page.getByTestId('more-menu').isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits the duplicate cards on the screen', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/duplicates`);
    await poll(() => page.getByTestId('dup-member').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'phone-duplicates.png');
    const wide = await page.evaluate(
      (width) =>
        [...document.querySelectorAll('#content *')]
          .filter((node) => node.getBoundingClientRect().right > width + 0.5)
          .map((node) => `${node.tagName}.${node.className}`)
          .slice(0, 10),
      PHONE.width,
    );
    expect(wide).toEqual([]);
    expect(await inside(page, '[data-testid="dup-group"]')).toBe(true);
    expect(await inside(page, '[data-testid="dup-member"]')).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('swipes between photos on the photo page', async () => {
    const { page, errors } = await openPage(context);
    const order = ((await json(`${server.url}/api/photos?limit=50`)).body.items as { id: string }[]).map((item) => item.id);
    await page.goto(server.url);
    await poll(() => page.locator(`[data-photo-id="${order[1]}"]`).count()).toBe(1);
    await page.locator(`[data-photo-id="${order[1]}"]`).tap();
    await page.waitForURL(`**/photos/${order[1]}`);
    await poll(() => page.getByTestId('next-photo').count()).toBe(1);
    const cdp = await context.newCDPSession(page);
    const swipe = async (dx: number) => {
      await poll(() => page.getByTestId('photo-filename').count()).toBe(1);
      const stage = (await page.locator('.photo-stage').last().boundingBox())!;
      const y = stage.y + Math.min(stage.height, PHONE.height - stage.y) / 2;
      const from = PHONE.width / 2 - dx / 2;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from, y }] });
      for (let i = 1; i <= 6; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from + (dx * i) / 6, y: y + i }] });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    await swipe(-200); // to the left: the next photo
    await page.waitForURL(`**/photos/${order[2]}`);
    await swipe(200); // to the right: back to the previous one
    await page.waitForURL(`**/photos/${order[1]}`);
    await swipe(200);
    await page.waitForURL(`**/photos/${order[0]}`);
    await screenshot(page, 'phone-photo.png');
    // A short or mostly vertical drag is no swipe.
    await swipe(30);
    await page.waitForTimeout(300);
    expect(page.url()).toContain(`/photos/${order[0]}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('selects a range with a long press and a drag, holding the page still, and scrolls itself at the bottom edge', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBeGreaterThan(10);
    await page.waitForLoadState('networkidle');
    // the tiles in the timeline's order (the DOM's), and those well inside the screen, away from the edges that scroll
    const centres = await page.locator('[data-testid="photo-tile"]').evaluateAll((tiles) =>
      tiles.map((tile) => {
        const box = tile.getBoundingClientRect();
        return { id: tile.getAttribute('data-photo-id') ?? '', x: box.x + box.width / 2, y: box.y + box.height / 2 };
      }),
    );
    const order = centres.map((c) => c.id);
    const shown = centres.map((c, i) => ({ ...c, i })).filter((c) => c.y > 280 && c.y < 600);
    const from = shown[0]!;
    const to = shown[shown.length - 1]!;
    const back = shown.find((c) => c.i === from.i + 1)!;
    expect(to.i - from.i, `tiles on the screen: ${JSON.stringify(shown)}`).toBeGreaterThanOrEqual(3);
    expect(back).toBeDefined();
    const cdp = await context.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', at?: { x: number; y: number }) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: at ? [{ x: at.x, y: at.y }] : [] });
    const slide = async (a: { x: number; y: number }, b: { x: number; y: number }) => {
      for (let step = 1; step <= 8; step++) await touch('touchMove', { x: a.x + ((b.x - a.x) * step) / 8, y: a.y + ((b.y - a.y) * step) / 8 });
    };
    const selectedIds = () =>
      page.locator('[data-testid="photo-tile"][data-selected="true"]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-photo-id')));
    const scrollY = () => page.evaluate(() => window.scrollY);
    const top = await scrollY();

    await touch('touchStart', from);
    await page.waitForTimeout(700); // held past the long press (450 ms)
    await poll(selectedIds).toEqual([order[from.i]]);
    await slide(from, to);
    await poll(selectedIds).toEqual(order.slice(from.i, to.i + 1));
    expect(await scrollY(), 'the page holds still under the selecting finger').toBe(top);
    await slide(to, back); // going back shrinks the range to what the finger covers
    await poll(selectedIds).toEqual(order.slice(from.i, back.i + 1));
    await touch('touchEnd');
    expect(await scrollY()).toBe(top);
    await poll(() => page.getByTestId('selection-count').textContent()).toBe(`${back.i - from.i + 1} photos selected`);
    await screenshot(page, 'phone-drag-select.png');

    // Again from the same tile (the press unselects it, and the drag unselects the range), then a fresh press
    // and a finger resting on the bottom bar: the grid scrolls by itself, at a bounded speed, and the range follows.
    await page.getByRole('button', { name: 'Clear the selection (Esc)' }).tap();
    await poll(selectedIds).toEqual([]);
    await touch('touchStart', from);
    await page.waitForTimeout(700);
    await poll(selectedIds).toEqual([order[from.i]]);
    const edge = { x: from.x, y: PHONE.height - 20 };
    // Timed from before the slide: the grid starts scrolling as soon as the finger enters the zone, and on a
    // loaded machine the slide itself takes a while.
    const started = Date.now();
    await slide(from, edge);
    await page.waitForTimeout(800);
    const scrolled = (await scrollY()) - top;
    const held = Date.now() - started;
    expect(scrolled, 'the grid scrolled under the resting finger').toBeGreaterThan(150);
    expect(scrolled, 'at most 15 px a frame').toBeLessThanOrEqual((15 * 60 * (held + 100)) / 1000);
    await touch('touchEnd');
    const after = await scrollY();
    await page.waitForTimeout(300);
    expect(await scrollY(), 'lifting the finger stops it').toBe(after);
    // the range runs from the pressed tile on, past what the first screen showed, without a gap
    const count = Number((await page.getByTestId('selection-count').textContent())!.split(' ')[0]);
    expect(count).toBeGreaterThan(to.i - from.i + 1);
    const tiles = await page.locator('[data-testid="photo-tile"]').evaluateAll((all) => all.map((t) => t.getAttribute('data-selected')));
    const first = tiles.indexOf('true');
    expect(tiles.lastIndexOf('true') - first + 1).toBe(tiles.filter((t) => t === 'true').length);
    await page.getByRole('button', { name: 'Clear the selection (Esc)' }).tap();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pulls the timeline down from its top to load it again, and only from its top', async () => {
    const { page, errors } = await openPage(context);
    // The live counts held still (as on a phone whose stream dropped): only the pull can bring a new photo in.
    const frozen = (await json(`${server.url}/api/jobs`)).body;
    await page.route(
      (url) => url.pathname === '/api/jobs' || url.pathname === '/api/jobs/events',
      (route) =>
        new URL(route.request().url()).pathname === '/api/jobs'
          ? route.fulfill({ json: frozen })
          : route.fulfill({ status: 200, contentType: 'text/event-stream', body: `retry: 600000\nevent: jobs\ndata: ${JSON.stringify(frozen)}\n\n` }),
    );
    const timelineAsks: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/timeline') timelineAsks.push(request.url());
    });
    const total = (await json(`${server.url}/api/timeline`)).body.total as number;
    await page.goto(server.url);
    await poll(() => page.getByTestId('timeline').getAttribute('data-total')).toBe(String(total));
    await page.waitForLoadState('networkidle');
    const data = await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 250, g: 20, b: 200 } } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('lastModified', String(Date.now())); // the newest: at the top of the timeline
    form.append('file', new Blob([new Uint8Array(data)]), 'pulled-in.jpg');
    const uploaded = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form });
    expect(uploaded.status).toBe(201);
    const id = ((await uploaded.json()) as { items: { id: string }[] }).items[0]!.id;
    await page.waitForTimeout(1500);
    expect(await page.locator(`[data-photo-id="${id}"]`).count(), 'not there before the pull').toBe(0);

    const cdp = await context.newCDPSession(page);
    const pull = async (fromY: number, by: number) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: 200, y: fromY }] });
      for (let step = 1; step <= 10; step++)
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: 200, y: fromY + (by * step) / 10 }] });
    };
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await pull(260, 220);
    expect(await page.getByTestId('pull-refresh').getAttribute('data-state')).toBe('ready');
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await poll(() => page.getByTestId('timeline').getAttribute('data-total')).toBe(String(total + 1));
    await poll(() => page.locator(`[data-photo-id="${id}"]`).count()).toBe(1);
    await poll(() => page.getByTestId('pull-refresh').getAttribute('data-state')).toBe('idle');
    // Chromium's own pull would reload the whole app
    expect(await page.evaluate(() => getComputedStyle(document.body).overscrollBehaviorY)).toBe('contain');

    // a short pull does nothing, nor does one from further down the page (it scrolls back up)
    const asked = timelineAsks.length;
    await pull(260, 60);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await page.evaluate(() => window.scrollTo(0, 400));
    await pull(260, 220);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await page.waitForTimeout(500);
    expect(timelineAsks.length).toBe(asked);
    expect(await page.getByTestId('pull-refresh').getAttribute('data-state')).toBe('idle');
    await waitForTerminal(server.url, [id]); // the jobs page's counts below must not move under it
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shares a photo’s file and a link through the share sheet, and offers neither where the browser has none', async () => {
    // The browser's API is the boundary: the system's sheet cannot open in a headless browser, so a recorder stands
    // in for navigator.share and canShare (which takes images only, as a phone's does).
    const recorder = () => {
      const shared: ShareData[] = [];
      Object.assign(window, { shared });
      Object.defineProperty(Navigator.prototype, 'canShare', {
        configurable: true,
        value: (data: ShareData) => (data.files ?? []).every((file) => file.type.startsWith('image/')),
      });
      Object.defineProperty(Navigator.prototype, 'share', { configurable: true, value: async (data: ShareData) => void shared.push(data) });
    };
    const name = 'prairie_falcon.jpg';
    const bytes = readFileSync(path.join(natureDir, name));
    const link = await json(`${server.url}/api/shared-links`, { method: 'POST', json: { photoIds: [ids[name]], allowDownload: false, allowUpload: false } });
    expect(link.status, JSON.stringify(link.body)).toBe(201);

    const { page, errors } = await openPage(context);
    await page.addInitScript(recorder);
    await page.goto(`${server.url}/photos/${ids[name]}`);
    await page.getByTestId('share-photo').tap();
    await poll(() => page.evaluate(() => (window as unknown as { shared: ShareData[] }).shared.length)).toBe(1);
    const file = await page.evaluate(async () => {
      const data = (window as unknown as { shared: ShareData[] }).shared[0]!;
      const shared = data.files![0]!;
      const digest = await crypto.subtle.digest('SHA-256', await shared.arrayBuffer());
      return {
        count: data.files!.length,
        name: shared.name,
        type: shared.type,
        size: shared.size,
        sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''),
      };
    });
    expect(file).toEqual({ count: 1, name, type: 'image/jpeg', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    await poll(() => page.getByTestId('photo-status').textContent()).toBe(`Shared ${name}`);

    await page.goto(`${server.url}/sharing`);
    const row = page.locator('.share-link').filter({ has: page.locator(`input[value$="${link.body.path}"]`) });
    await row.getByTestId('share-link-sheet').tap();
    await poll(() => page.evaluate(() => (window as unknown as { shared: ShareData[] }).shared.length)).toBe(1); // a new page, a new recorder
    const url = await page.evaluate(() => (window as unknown as { shared: ShareData[] }).shared[0]!.url);
    expect(url).toBe(`${server.url}${link.body.path}`);
    expect(url).toBe(await row.locator('.share-link-url').inputValue());

    // two photos selected on the timeline (a long press, then a tap) go as two files
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBeGreaterThan(3);
    await page.waitForLoadState('networkidle');
    const [first, second] = await page.locator('[data-testid="photo-tile"]').evaluateAll((tiles) =>
      tiles.slice(0, 2).map((tile) => {
        const box = tile.getBoundingClientRect();
        return { id: tile.getAttribute('data-photo-id')!, x: box.x + box.width / 2, y: box.y + box.height / 2 };
      }),
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: first!.x, y: first!.y }] });
    await page.waitForTimeout(700);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await poll(() => page.getByTestId('selection-count').textContent()).toBe('1 photo selected');
    await page.locator(`[data-photo-id="${second!.id}"]`).tap();
    await poll(() => page.getByTestId('selection-count').textContent()).toBe('2 photos selected');
    await page.getByTestId('bulk-share-files').tap();
    await poll(() => page.evaluate(() => (window as unknown as { shared: ShareData[] }).shared.length)).toBe(1);
    const files = await page.evaluate(() => (window as unknown as { shared: ShareData[] }).shared[0]!.files!.map((f) => [f.name, f.type]));
    const names = await Promise.all([first!.id, second!.id].map(async (id) => (await json(`${server.url}/api/photos/${id}`)).body.filename as string));
    expect(files).toEqual(names.map((n) => [n, 'image/jpeg']));
    await poll(() => page.getByTestId('toast').textContent()).toContain('Shared 2 photos.');

    // without a share sheet (most desktop browsers) neither button is there
    const { page: plain, errors: plainErrors } = await openPage(context);
    await plain.addInitScript(() => {
      delete (Navigator.prototype as { share?: unknown }).share;
      delete (Navigator.prototype as { canShare?: unknown }).canShare;
    });
    await plain.goto(`${server.url}/photos/${ids[name]}`);
    await poll(() => plain.getByTestId('download').count()).toBe(1);
    expect(await plain.getByTestId('share-photo').count()).toBe(0);
    await plain.goto(`${server.url}/sharing`);
    await poll(() => plain.locator('.share-link-url').count()).toBeGreaterThan(0);
    expect(await plain.getByTestId('share-link-sheet').count()).toBe(0);
    expect([...errors, ...plainErrors]).toEqual([]);
    await page.close();
    await plain.close();
  });
});

describe('web app: favourites and ratings, close matches, the jobs page and the CLI', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await signedInContext(browser, server, { viewport: { width: 1100, height: 800 }, colorScheme: 'light', locale: 'en-US' });
  });
  afterAll(async () => context?.close());

  it('lists the favourites, narrows them by rating, and shows every photo rated that high', async () => {
    const patch = async (names: string[], change: object) => {
      const response = await json(`${server.url}/api/photos`, { method: 'PATCH', json: { ids: names.map((n) => ids[n]), ...change } });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    };
    await patch(['red-R5.jpg', 'green-R5.jpg'], { favorite: true });
    await patch(['red-R5.jpg'], { rating: 5 });
    await patch(['green-R5.jpg'], { rating: 2 });
    await patch(['blue-R6.jpg'], { rating: 4 });
    // the API's filter first
    const rated = (await json(`${server.url}/api/photos?minRating=4`)).body;
    expect(rated.items.map((p: { filename: string }) => p.filename).sort()).toEqual(['blue-R6.jpg', 'red-R5.jpg']);
    expect((await json(`${server.url}/api/photos?minRating=6`)).status).toBe(400);

    const { page, errors } = await openPage(context);
    const shown = () => page.locator('[data-testid="photo-tile"]').count();
    await page.goto(server.url);
    await page.locator('.app-nav').getByRole('link', { name: 'Favourites', exact: true }).click();
    await page.waitForURL('**/favorites');
    await poll(() => page.getByTestId('favorites-summary').textContent()).toBe('2 photos');
    await poll(shown).toBe(2);
    await page.getByTestId('rating-filter').selectOption('4');
    await page.waitForURL('**/favorites?rating=4');
    await poll(() => page.getByTestId('favorites-summary').textContent()).toBe('1 photo');
    await poll(() => page.locator(`[data-photo-id="${ids['red-R5.jpg']}"]`).count()).toBe(1);
    await page.getByTestId('scope-rated').check();
    await page.waitForURL('**/favorites?scope=rated&rating=4');
    await poll(() => page.getByTestId('favorites-title').textContent()).toBe('Rated ★★★★ and up');
    await poll(() => page.getByTestId('favorites-summary').textContent()).toBe('2 photos');
    await poll(() => page.locator(`[data-photo-id="${ids['blue-R6.jpg']}"]`).count()).toBe(1);
    await screenshot(page, 'favorites-rated.png');
    // A favourite removed on its page is gone from the favourites when coming back.
    await page.getByTestId('scope-favorites').check();
    await poll(() => page.getByTestId('favorites-summary').textContent()).toBe('2 photos');
    await page.locator(`[data-photo-id="${ids['green-R5.jpg']}"]`).click();
    await page.getByTestId('favorite').click();
    await poll(() => page.getByTestId('favorite').getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('Escape');
    await page.waitForURL('**/favorites');
    await poll(() => page.getByTestId('favorites-summary').textContent()).toBe('1 photo');
    // The search filters have both too.
    await page.goto(`${server.url}/search?q=jpg&mode=keyword&rating=4`);
    await poll(() => page.getByTestId('search-results').locator('[data-testid="photo-tile"]').count()).toBe(2);
    expect(await page.getByTestId('filter-rating').inputValue()).toBe('4');
    await page.getByTestId('filter-favorite').check();
    await poll(() => page.getByTestId('search-results').locator('[data-testid="photo-tile"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('"EOS R5": understood as the camera, its photos; as typed, the R5 photos first and the R6 ones under "close matches"', async () => {
    const { page, errors } = await openPage(context);
    const idsIn = (testId: string) =>
      page
        .getByTestId(testId)
        .locator('[data-testid="photo-tile"]')
        .evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-photo-id')).sort());
    await page.goto(`${server.url}/search?q=${encodeURIComponent('EOS R5')}&mode=keyword`);
    await poll(() => page.getByTestId('understood').locator('.understood-chip').allTextContents()).toEqual(['CameraCanon EOS R5×']);
    // the R5's photos (a corpus photo was taken with one too), none of the R6's
    await poll(() => idsIn('search-results')).toEqual(expect.arrayContaining([ids['green-R5.jpg'], ids['red-R5.jpg']]));
    const byCamera = await idsIn('search-results');
    expect(byCamera).not.toContain(ids['blue-R6.jpg']);
    expect(byCamera).not.toContain(ids['yellow-R6.jpg']);
    expect(await page.getByTestId('search-close-matches').count()).toBe(0);
    // the words exactly as typed: a search by words, with the other camera's photos as close matches
    await page.goto(`${server.url}/search?q=${encodeURIComponent('EOS R5')}&mode=keyword&exact=1`);
    await poll(() => idsIn('search-close-matches')).toEqual([ids['blue-R6.jpg'], ids['yellow-R6.jpg']].sort());
    const exact = await idsIn('search-results');
    expect(exact).toEqual(expect.arrayContaining([ids['green-R5.jpg'], ids['red-R5.jpg']]));
    expect(exact).not.toContain(ids['blue-R6.jpg']);
    expect(exact).not.toContain(ids['yellow-R6.jpg']);
    expect(await page.getByTestId('search-close-heading').isVisible()).toBe(true);
    expect(await page.getByTestId('search-alternatives').textContent()).toMatch(/close matches for Canon EOS R6/);
    // the close matches are below every match of the words
    const lastExact = (await page.getByTestId('search-results').boundingBox())!;
    const firstClose = (await page.getByTestId('search-close-matches').boundingBox())!;
    expect(firstClose.y).toBeGreaterThanOrEqual(lastExact.y + lastExact.height);
    await screenshot(page, 'search-close-matches.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the same counts on the jobs page as `shoebox jobs`', async () => {
    const cli = await runCli(['jobs', '--json', '--server', server.url, '--api-key', server.apiKey]);
    expect(cli.code, cli.stderr).toBe(0);
    const snapshot = JSON.parse(cli.stdout) as { states: Record<string, number>; queue: { depth: number }; steps: Record<string, Record<string, number>> };
    const api = (await json(`${server.url}/api/jobs`)).body as typeof snapshot;
    expect(snapshot.states).toEqual(api.states);
    expect(snapshot.steps).toEqual(api.steps);
    const text = await runCli(['jobs', '--server', server.url, '--api-key', server.apiKey]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^All caught up: nothing waiting$/m);
    expect(text.stdout).toMatch(new RegExp(`^  completed +${api.states.completed}$`, 'm'));

    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/jobs`);
    await poll(() => page.getByTestId('jobs-working').getAttribute('data-value')).toBe(String((api.states.pending ?? 0) + (api.states.processing ?? 0)));
    expect(await page.getByTestId('jobs-queue').getAttribute('data-value')).toBe(String(api.queue.depth));
    for (const [state, n] of Object.entries(api.states)) {
      expect(await page.locator(`[data-testid="state-count"][data-state="${state}"] dd`).getAttribute('data-value'), state).toBe(String(n));
    }
    for (const [step, counts] of Object.entries(api.steps)) {
      const row = page.locator(`[data-testid="step-row"][data-step="${step}"]`);
      const finished = counts.done! + counts.skipped! + counts.failed!;
      const total = finished + counts.running! + counts.pending!;
      if (total === 0) continue;
      expect(await row.locator('.jobs-step-row-fraction').textContent(), step).toBe(`${finished} / ${total}`);
      expect(text.stdout).toMatch(new RegExp(`^  ${step} +${counts.done} +${counts.skipped} +${counts.failed} +${counts.running} +${counts.pending}$`, 'm'));
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
