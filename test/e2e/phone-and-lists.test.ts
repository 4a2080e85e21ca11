// What a new user met on the first evening, in a real browser against a real server: the phone layout (the
// sections in a bar at the bottom and behind its More, the scrubber between the bars, duplicate cards that fit,
// a swipe between photos), the favourites view with its rating filter, close spelling matches after the photos that match the words, and
// the jobs page's counts equal to `shoebox jobs`. Screenshots at 390×844 are kept as artefacts.
import { readdirSync } from 'node:fs';
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

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startTestServer({ ...withoutFacesOrText(), creationTools: true });
  const dir = tempDir('shoebox-e2e-phone-');
  const natureDir = path.join(assets, 'albums', 'nature');
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
