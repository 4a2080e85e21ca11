// The people pages in a real browser against a real server: the Curie portrait and its EXIF-orientation-6 copy
// (without the names their face regions carry: helpers/unnamed.ts) give two people (Marie stands left, Pierre right) with two faces each once SHOEBOX_PEOPLE_MIN_FACES is 2; a
// falcon photo has no faces. Naming Marie on the people page makes her findable by name (search bar and search
// API); "not this person" takes a face from her; people merge by drag and drop and through the keyboard dialog;
// hiding, deleting, the empty state and a missing person. Every effect is checked through the API.
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesLoaded, launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer } from '../helpers/server.js';
import { withoutNames } from '../helpers/unnamed.js';

interface ApiPerson {
  id: string;
  name: string | null;
  hidden: boolean;
  faceCount: number;
  photoCount: number;
  coverFaceId: string | null;
}

interface ApiFace {
  id: string;
  photoId: string;
  personId: string | null;
  box: { x: number; y: number; width: number; height: number };
}

const corpusPortraits = [path.join(assets, 'metadata/faces/portrait.jpg'), path.join(assets, 'metadata/faces/portrait-orientation-6.jpg')];
/** Measured: no face at any score (test/integration/faces.test.ts). */
const falcon = path.join(assets, 'albums/nature/prairie_falcon.jpg');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const card = (page: Page, personId: string) => page.locator(`[data-testid="person-card"][data-person-id="${personId}"]`);
const cardIds = (page: Page) => page.locator('[data-testid="person-card"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-person-id')));

describe('web app: people', () => {
  let server: TestServer;
  let context: BrowserContext;
  let ids: Record<string, string>;
  let marie: string;
  let pierre: string;
  /** Marie's face on the rotated copy: the one "not this person" takes away. */
  let marieRotatedFace: string;

  const getPerson = async (id: string) => json(`${server.url}/api/people/${id}`);
  const people = async (query = '') => (await json(`${server.url}/api/people${query}`)).body.items as ApiPerson[];
  const photoFaces = async (photoId: string) =>
    ((await json(`${server.url}/api/photos/${photoId}/faces`)).body.items as ApiFace[]).sort((a, b) => a.box.x - b.box.x);

  beforeAll(async () => {
    server = await startTestServer({ ml: { peopleMinFaces: 2 } });
    const [portrait, portraitRotated] = await withoutNames(tempDir(), corpusPortraits);
    const response = await upload(server.url, [{ path: portrait! }, { path: portraitRotated! }, { path: falcon }]);
    expect(response.status).toBe(201);
    ids = Object.fromEntries(response.body.items.map((item: { filename: string; id: string }) => [item.filename, item.id]));
    await waitForTerminal(server.url, Object.values(ids), 300_000);
    // Marie stands left of Pierre on both copies (the boxes are upright on the rotated one too).
    const upright = await photoFaces(ids['portrait.jpg']!);
    const rotated = await photoFaces(ids['portrait-orientation-6.jpg']!);
    expect(upright).toHaveLength(2);
    expect(rotated).toHaveLength(2);
    marie = upright[0]!.personId!;
    pierre = upright[1]!.personId!;
    expect(marie).toBeTruthy();
    expect(pierre).toBeTruthy();
    expect(rotated.map((f) => f.personId)).toEqual([marie, pierre]);
    marieRotatedFace = rotated[0]!.id;
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  }, 360_000);

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('shows everyone found, unnamed, with their face, face and photo counts', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/people`);
    await poll(() => page.locator('[data-testid="person-card"]').count()).toBe(2);
    expect(new Set(await cardIds(page))).toEqual(new Set([marie, pierre]));
    for (const id of [marie, pierre]) {
      await expect(card(page, id).getByTestId('person-name').textContent()).resolves.toBe('Unnamed');
      await expect(card(page, id).locator('.person-card-counts').textContent()).resolves.toContain('2 faces · 2 photos');
      await expect(card(page, id).getByRole('link', { name: 'Unnamed' }).getAttribute('href')).resolves.toBe(`/people/${id}`);
    }
    // The cover crops are real face thumbnails.
    await imagesLoaded(page, '[data-testid="person-card"] img', 2);
    const covers = await people();
    const srcs = await page.locator('[data-testid="person-card"] img').evaluateAll((images) => images.map((img) => img.getAttribute('src')));
    expect(new Set(srcs)).toEqual(new Set(covers.map((p) => `/api/faces/${p.coverFaceId}/thumbnail`)));
    await expect(page.getByTestId('people-summary').textContent()).resolves.toBe('2 people · 0 named');
    await screenshot(page, 'shoebox-people.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('names a person on the people page, and then finds her by that name', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/people`);
    await card(page, marie).getByRole('button', { name: 'Add a name' }).click();
    const input = card(page, marie).getByRole('textbox', { name: 'Name for this person' });
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await input.fill('Marie Curie');
    await input.press('Enter');
    await poll(async () => (await getPerson(marie)).body.name).toBe('Marie Curie');
    await poll(() => card(page, marie).getByTestId('person-name').textContent()).toBe('Marie Curie');
    // Named people come first, and the name is announced.
    await expect(page.getByTestId('action-status').textContent()).resolves.toContain('Named Marie Curie.');
    await page.reload();
    await poll(() => cardIds(page)).toEqual([marie, pierre]);

    // The search API finds exactly her photos by the name, not the falcon.
    const found = await json(`${server.url}/api/search?q=${encodeURIComponent('Marie Curie')}&mode=keyword`);
    expect(found.status).toBe(200);
    const foundIds = found.body.items.map((item: { photo: { id: string } }) => item.photo.id);
    expect(new Set(foundIds)).toEqual(new Set([ids['portrait.jpg'], ids['portrait-orientation-6.jpg']]));

    // So does the search bar: she is suggested as a person as her name is typed, and choosing her shows her photos.
    const search = page.getByTestId('search-input');
    await search.fill('Marie');
    const suggestion = page.locator('[data-testid="suggestions"] [role="option"][data-kind="person"]', { hasText: 'Marie Curie' });
    await poll(() => suggestion.count()).toBe(1);
    await suggestion.click();
    await poll(() => new URL(page.url()).pathname).toBe('/search');
    const results = page.locator('[data-testid="search-page"] [data-testid="photo-tile"]');
    await poll(async () => new Set(await results.evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-photo-id'))))).toEqual(
      new Set([ids['portrait.jpg'], ids['portrait-orientation-6.jpg']]),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('takes a face from a person with "not this person" on her page', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/people/${marie}`);
    await poll(() => page.getByTestId('person-title').textContent()).toBe('Marie Curie');
    await expect(page.getByTestId('person-counts').textContent()).resolves.toBe('2 faces in 2 photos');
    const faces = page.locator('[data-testid="face-cell"]');
    await poll(() => faces.count()).toBe(2);
    await imagesLoaded(page, '[data-testid="face-cell"] img', 2);
    // Her photos, through the shared timeline filtered to her.
    const tiles = page.locator('[data-testid="timeline"] [data-testid="photo-tile"]');
    await poll(async () => new Set(await tiles.evaluateAll((t) => t.map((tile) => tile.getAttribute('data-photo-id'))))).toEqual(
      new Set([ids['portrait.jpg'], ids['portrait-orientation-6.jpg']]),
    );
    await screenshot(page, 'shoebox-person.png');

    await page.locator(`[data-testid="face-cell"][data-face-id="${marieRotatedFace}"]`).getByRole('button', { name: 'Not this person' }).click();
    await poll(() => faces.count()).toBe(1);
    await poll(async () => (await getPerson(marie)).body.faceCount).toBe(1);
    const face = (await photoFaces(ids['portrait-orientation-6.jpg']!)).find((f) => f.id === marieRotatedFace);
    expect(face?.personId).toBeNull();
    await poll(() => page.getByTestId('person-counts').textContent()).toBe('1 face in 1 photo');
    // The timeline follows: only the upright portrait is hers now.
    await poll(async () => await tiles.evaluateAll((t) => t.map((tile) => tile.getAttribute('data-photo-id')))).toEqual([ids['portrait.jpg']]);
    await expect(page.getByTestId('action-status').textContent()).resolves.toContain('will not be grouped with them again');

    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shoebox-person-dark.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('merges two people by dragging one onto the other, once confirmed', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/people`);
    await poll(() => page.locator('[data-testid="person-card"]').count()).toBe(2);

    // Cancelled: nothing changes.
    await card(page, pierre).dragTo(card(page, marie));
    const dialog = page.getByRole('dialog', { name: 'Merge these people?' });
    await poll(() => dialog.isVisible()).toBe(true);
    await expect(dialog.textContent()).resolves.toContain('will move to Marie Curie');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => dialog.isVisible()).toBe(false);
    expect((await getPerson(pierre)).status).toBe(200);

    await card(page, pierre).dragTo(card(page, marie));
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Merge into Marie Curie' }).click();
    await poll(async () => (await getPerson(pierre)).status).toBe(404);
    const merged = (await getPerson(marie)).body as ApiPerson;
    expect(merged).toMatchObject({ name: 'Marie Curie', faceCount: 3, photoCount: 2 });
    await poll(() => cardIds(page)).toEqual([marie]);
    await expect(card(page, marie).locator('.person-card-counts').textContent()).resolves.toContain('3 faces · 2 photos');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('merges with the keyboard alone through the merge dialog', async () => {
    // Pierre again, as a named person of his own: his two faces assigned by name.
    const upright = await photoFaces(ids['portrait.jpg']!);
    const rotated = await photoFaces(ids['portrait-orientation-6.jpg']!);
    const first = await json(`${server.url}/api/faces/${upright[1]!.id}/assign`, { method: 'POST', json: { name: 'Pierre Curie' } });
    expect(first.status).toBe(200);
    const pierreAgain = first.body.personId as string;
    expect((await json(`${server.url}/api/faces/${rotated[1]!.id}/assign`, { method: 'POST', json: { name: 'Pierre Curie' } })).body.personId).toBe(
      pierreAgain,
    );

    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/people`);
    await poll(() => page.locator('[data-testid="person-card"]').count()).toBe(2);
    const menuButton = card(page, pierreAgain).getByRole('button', { name: 'Actions for Pierre Curie' });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Actions for Pierre Curie' });
    await poll(() => menu.isVisible()).toBe(true);
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Rename');
    await page.keyboard.press('ArrowDown');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Merge into…');
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'Merge Pierre Curie into…' });
    await poll(() => dialog.isVisible()).toBe(true);
    const filter = dialog.getByRole('searchbox', { name: 'Find a person' });
    await poll(() => filter.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('mar');
    await poll(() => dialog.getByRole('radio').count()).toBe(1);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect(dialog.getByRole('radio', { name: /Marie Curie/ }).isChecked()).resolves.toBe(true);
    await page.keyboard.press('Tab'); // Cancel
    await page.keyboard.press('Tab'); // Merge into Marie Curie
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Merge into Marie Curie');
    await page.keyboard.press('Enter');

    await poll(async () => (await getPerson(pierreAgain)).status).toBe(404);
    expect((await getPerson(marie)).body.faceCount).toBe(3);
    await poll(() => cardIds(page)).toEqual([marie]);
    await expect(page.getByTestId('action-status').textContent()).resolves.toContain('Merged Pierre Curie into Marie Curie.');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('hides a person behind a toggle and shows them again', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/people`);
    await poll(() => cardIds(page)).toEqual([marie]);
    await card(page, marie).getByRole('button', { name: 'Actions for Marie Curie' }).click();
    await page.getByRole('menuitem', { name: 'Hide' }).click();
    await poll(async () => (await getPerson(marie)).body.hidden).toBe(true);
    expect((await people()).map((p) => p.id)).not.toContain(marie);
    await poll(() => page.locator('[data-testid="person-card"]').count()).toBe(0);

    const toggle = page.getByTestId('toggle-hidden');
    await expect(toggle.textContent()).resolves.toBe('Show hidden people (1)');
    await toggle.click();
    await poll(() => new URL(page.url()).search).toBe('?hidden=1');
    await poll(() => page.locator('[data-testid="hidden-grid"] [data-testid="person-card"]').count()).toBe(1);
    await card(page, marie).getByRole('button', { name: 'Actions for Marie Curie' }).click();
    await page.getByRole('menuitem', { name: 'Show again' }).click();
    await poll(async () => (await getPerson(marie)).body.hidden).toBe(false);
    await poll(() => page.locator('[data-testid="people-grid"] [data-testid="person-card"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a phone screen, and follows a dark system theme', async () => {
    const phone = await signedInContext(browser, server, { viewport: { width: 375, height: 740 }, colorScheme: 'dark', isMobile: true, hasTouch: true });
    try {
      const { page, errors } = await openPage(phone);
      await page.goto(`${server.url}/people`);
      await poll(() => page.locator('[data-testid="person-card"]').count()).toBe(1);
      await imagesLoaded(page, '[data-testid="person-card"] img', 1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe('rgb(19, 20, 22)');
      await screenshot(page, 'shoebox-people-phone-dark.png');
      await page.goto(`${server.url}/people/${marie}`);
      await poll(() => page.locator('[data-testid="face-cell"]').count()).toBe(3);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'shoebox-person-phone-dark.png');
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('deletes a person from their page; their faces stay, unassigned', async () => {
    // Her old address is asked for on purpose at the end: the browser logs that 404.
    const { page, errors } = await openPage(context, { allowConsole: [/404 \(Not Found\)/] });
    await page.goto(`${server.url}/people/${marie}`);
    await poll(() => page.getByTestId('person-title').textContent()).toBe('Marie Curie');
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Marie Curie?' });
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Delete person' }).click();
    await poll(() => new URL(page.url()).pathname).toBe('/people');
    expect((await getPerson(marie)).status).toBe(404);
    const faces = [...(await photoFaces(ids['portrait.jpg']!)), ...(await photoFaces(ids['portrait-orientation-6.jpg']!))];
    expect(faces).toHaveLength(4);
    expect(faces.every((f) => f.personId === null)).toBe(true);
    await poll(() => page.getByTestId('people-empty').isVisible()).toBe(true);

    // Her old address says she is gone, and leads back.
    await page.goto(`${server.url}/people/${marie}`);
    await poll(() => page.getByTestId('person-missing').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('web app: people, on an empty library', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => server?.dispose());

  it('tells a new user where people come from', async () => {
    const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    try {
      const { page, errors } = await openPage(context);
      await page.goto(`${server.url}/people`);
      const empty = page.getByTestId('people-empty');
      await poll(() => empty.isVisible()).toBe(true);
      await expect(empty.getByRole('heading').textContent()).resolves.toBe('No people yet');
      await expect(empty.textContent()).resolves.toContain('shoebox import');
      await expect(empty.getByRole('link', { name: 'Jobs' }).getAttribute('href')).resolves.toBe('/jobs');
      await screenshot(page, 'shoebox-people-empty.png');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
