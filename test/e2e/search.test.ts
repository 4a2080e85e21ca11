// Search in a real browser against a real server: the header's search box with suggestions, the results page
// in each mode with filters and "why this matched", search by image (picked, dropped, "find similar"), and what
// the page says without a CLIP model. The library is built from the corpus plus four colour photos; the fixture
// CLIP model (image embedding ~ colour shares, text embedding ~ colour words) makes semantic search answer.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFromFolder } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { colourPhotos, mostly } from '../helpers/images.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, authFetch } from '../helpers/server.js';

interface Hit {
  photo: { id: string; filename: string; hasGps: boolean };
  explanation: {
    keyword: { rank: number; fuzzy: boolean; matches: { field: string; words: string[] }[] } | null;
    semantic: { rank: number; similarity: number } | null;
    satisfies: string[];
  };
}

interface SearchAnswer {
  items: Hit[];
  total: number;
  mode: string;
  notices: string[];
}

const craftBeer = path.join(assets, 'albums/text/craft-beer.jpg');
const picasa = path.join(assets, 'metadata/tags/picasa.jpg');
const thompsonSprings = path.join(assets, 'metadata/gps-position/thompson-springs.jpg');
const portrait = path.join(assets, 'metadata/faces/portrait.jpg');
const portraitRotated = path.join(assets, 'metadata/faces/portrait-orientation-6.jpg');

/** The ids of the result tiles, in order. */
/** Every result in page order: the matches of the words, then the close matches (their own grid) if any. */
const resultIds = (page: Page) =>
  page
    .locator('[data-testid="search-results"] [data-testid="photo-tile"], [data-testid="search-close-matches"] [data-testid="photo-tile"]')
    .evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-photo-id')));

/** "why this matched" as "label: detail" lines. */
const whyRows = (tile: Locator) =>
  tile.locator('.why-row').evaluateAll((rows) => rows.map((row) => `${row.querySelector('dt')!.textContent}: ${row.querySelector('dd')!.textContent}`));

const urlParams = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: search, with a CLIP model', () => {
  let server: TestServer;
  let context: BrowserContext;
  let ids: Record<string, string>;
  let colours: Record<'red' | 'green' | 'blue' | 'yellow', string>;

  /** What the API answers for the same search (the page's default page size is 30). */
  const api = async (params: Record<string, string>): Promise<SearchAnswer> => {
    const response = await json(`${server.url}/api/search?${new URLSearchParams({ limit: '30', ...params })}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  const apiIds = async (params: Record<string, string>) => (await api(params)).items.map((hit) => hit.photo.id);

  beforeAll(async () => {
    const dataDir = tempDir();
    const { clipDir } = await ensureFixtureModels();
    await installFromFolder(dataDir, 'clip-vit-b32', clipDir);
    // Two photos of the same two people: enough faces for each to become a person.
    server = await startTestServer({ dataDir, ml: { peopleMinFaces: 2 } });
    colours = await colourPhotos(tempDir(), 11);
    const response = await upload(server.url, [
      { path: colours.red },
      { path: colours.green },
      { path: colours.blue },
      { path: colours.yellow },
      { path: craftBeer },
      { path: picasa },
      { path: thompsonSprings },
      { path: portrait },
      { path: portraitRotated },
    ]);
    expect(response.status).toBe(201);
    ids = Object.fromEntries(response.body.items.map((item: { filename: string; id: string }) => [item.filename, item.id]));
    await waitForTerminal(server.url, Object.values(ids), 300_000);
    // A category of the warm colours, for the category filter.
    const category = await json(`${server.url}/api/categories`, {
      method: 'POST',
      json: { name: 'warm-colours', label: 'Warm colours', tags: ['red', 'yellow'] },
    });
    expect(category.status, JSON.stringify(category.body)).toBe(201);
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  }, 360_000);

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('suggests as you type from any page ("/" focuses the box); ↑/↓/Enter and a click pick one', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const input = page.getByTestId('search-input');
    const list = page.getByTestId('suggestions');
    // The app mounts after GET /api/auth/status answers, later than the page's load event on a busy machine, and
    // listens for '/' from an effect after that: '/' pressed before then reaches nothing (the body holds the focus).
    await input.waitFor();
    await poll(async () => {
      await page.locator('body').press('/');
      return page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    }).toBe('search-input');
    expect(await input.inputValue()).toBe('');

    await page.keyboard.type('powers');
    await poll(() => list.isVisible()).toBe(true);
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    const options = list.getByRole('option');
    const camera = (await json(`${server.url}/api/search/suggest?q=powers&limit=8`)).body.items as { kind: string; label: string }[];
    expect(camera[0]).toMatchObject({ kind: 'camera', label: 'Canon PowerShot SD1100 IS' });
    await poll(() => options.count()).toBe(camera.length);
    expect(await options.first().textContent()).toContain('Canon PowerShot SD1100 IS');
    expect(await options.first().locator('.suggestion-kind').textContent()).toBe('Camera');

    // ↓ moves the active option (aria-activedescendant), ↑ wraps to the last, ↓ back to the first.
    await page.keyboard.press('ArrowDown');
    const firstId = await options.first().getAttribute('id');
    expect(await input.getAttribute('aria-activedescendant')).toBe(firstId);
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowUp');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await options.last().getAttribute('id'));
    await page.keyboard.press('ArrowDown');
    expect(await input.getAttribute('aria-activedescendant')).toBe(firstId);
    await screenshot(page, 'shoebox-search-suggestions.png');

    // Enter picks the camera: it becomes the query and a camera filter.
    await page.keyboard.press('Enter');
    await page.waitForURL('**/search?**');
    expect(urlParams(page)).toEqual({ q: 'Canon PowerShot SD1100 IS', camera: 'Canon PowerShot SD1100 IS' });
    const expected = await apiIds({ q: 'Canon PowerShot SD1100 IS', camera: 'Canon PowerShot SD1100 IS' });
    expect(expected).toEqual([ids['picasa.jpg']]);
    await poll(() => resultIds(page)).toEqual(expected);
    expect(await input.inputValue()).toBe('Canon PowerShot SD1100 IS');
    expect(await page.getByTestId('active-filters').textContent()).toContain('Camera: Canon PowerShot SD1100 IS');

    // Escape closes the list; a click on a suggestion (a place) picks it.
    await input.fill('');
    await input.pressSequentially('fro');
    await poll(() => list.isVisible()).toBe(true);
    expect(await list.textContent()).toContain('Frost');
    await page.keyboard.press('Escape');
    await poll(() => list.isVisible()).toBe(false);
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    await input.fill('');
    await input.pressSequentially('uta');
    const utah = list.getByRole('option', { name: /Utah/ });
    await poll(() => utah.isVisible()).toBe(true);
    expect(await utah.locator('.suggestion-kind').textContent()).toBe('Place');
    await utah.click();
    await poll(() => urlParams(page)).toEqual({ q: 'Utah', place: 'Utah' });
    const inUtah = await apiIds({ q: 'Utah', place: 'Utah' });
    expect(inUtah).toEqual([ids['thompson-springs.jpg']]);
    await poll(() => resultIds(page)).toEqual(inUtah);

    // '/' does nothing while typing in another field.
    await page.getByTestId('filter-camera').focus();
    await page.keyboard.type('x/y');
    expect(await page.getByTestId('filter-camera').inputValue()).toBe('x/y');
    expect(await input.inputValue()).toBe('Utah');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('picks a person from the suggestions: their photos, with the person ticked in the filters', async () => {
    const { page, errors } = await openPage(context);
    const detail = (await json(`${server.url}/api/photos/${ids['portrait.jpg']}`)).body as { faces: { personId: string | null }[] };
    const personId = detail.faces.map((face) => face.personId).find(Boolean)!;
    expect(personId).toBeTruthy();
    const renamed = await json(`${server.url}/api/people/${personId}`, { method: 'PATCH', json: { name: 'Maria Salomea' } });
    expect(renamed.status).toBe(200);

    await page.goto(`${server.url}/search?q=jpg&mode=keyword&hasLocation=1`);
    const input = page.getByTestId('search-input');
    await input.click();
    await input.fill('');
    await input.pressSequentially('salo');
    const option = page.getByTestId('suggestions').getByRole('option', { name: /Maria Salomea/ });
    await poll(() => option.isVisible()).toBe(true);
    expect(await option.locator('.suggestion-kind').textContent()).toBe('Person');
    await option.click();
    // A fresh search for the person (the mode stays, the old filters go), with the person as a filter.
    await poll(() => urlParams(page)).toEqual({ q: 'Maria Salomea', mode: 'keyword', people: personId });
    const theirs = await api({ q: 'Maria Salomea', mode: 'keyword', people: personId });
    expect(theirs.items.map((hit) => hit.photo.filename).sort()).toEqual(['portrait-orientation-6.jpg', 'portrait.jpg']);
    await poll(() => resultIds(page)).toEqual(theirs.items.map((hit) => hit.photo.id));
    expect(await page.locator(`[data-testid="filter-person"][value="${personId}"]`).isChecked()).toBe(true);
    expect(await page.getByTestId('active-filters').textContent()).toContain('Maria Salomea');
    const tile = page.locator('[data-testid="search-results"] .tile-cell').first();
    await tile.hover();
    await poll(() => tile.getByTestId('why-matched').isVisible()).toBe(true);
    // the name in the box is understood as the person: each photo matches them, shown as a chip and in "why"
    expect(theirs.items[0]!.explanation.satisfies).toEqual(['Maria Salomea']);
    expect(await whyRows(tile)).toContain('Matches: Maria Salomea');
    expect(await page.getByTestId('understood').locator('.understood-chip').allTextContents()).toEqual(['PersonMaria Salomea×']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows what it understood as chips: one taken out searches again without its words; exactly as typed on request', async () => {
    const detail = (await json(`${server.url}/api/photos/${ids['portrait.jpg']}`)).body as { faces: { personId: string | null }[] };
    const personId = detail.faces.map((face) => face.personId).find(Boolean)!;
    expect((await json(`${server.url}/api/people/${personId}`, { method: 'PATCH', json: { name: 'Maria Salomea' } })).status).toBe(200);
    for (const viewport of [
      { width: 1280, height: 860 },
      { width: 375, height: 740 },
    ]) {
      const ctx = await signedInContext(browser, server, { viewport, colorScheme: 'light', hasTouch: viewport.width < 600, isMobile: viewport.width < 600 });
      try {
        const { page, errors } = await openPage(ctx);
        await page.goto(`${server.url}/search?${new URLSearchParams({ q: 'Maria Salomea in Utah', mode: 'keyword' })}`);
        const chips = page.getByTestId('understood').locator('.understood-chip');
        await poll(() => chips.allTextContents()).toEqual(['PersonMaria Salomea×', 'PlaceUtah×']);
        // nobody of the portrait was in Utah
        await poll(() => page.getByTestId('search-empty').isVisible()).toBe(true);
        for (const box of await chips.evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().toJSON() as DOMRect))) {
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
        }
        if (viewport.width === 375) await screenshot(page, 'shoebox-search-phone-understood.png');
        else await screenshot(page, 'shoebox-search-understood.png');
        await page.getByRole('button', { name: 'Take out Utah' }).click();
        await poll(() => urlParams(page)).toEqual({ q: 'Maria Salomea', mode: 'keyword' });
        await poll(() => resultIds(page)).toEqual(await apiIds({ q: 'Maria Salomea', mode: 'keyword' }));
        expect((await resultIds(page)).length).toBe(2);
        await page.getByRole('button', { name: 'Search the words exactly as typed' }).click();
        await poll(() => urlParams(page)).toEqual({ q: 'Maria Salomea', mode: 'keyword', exact: '1' });
        await poll(() => page.getByTestId('search-exact').isVisible()).toBe(true);
        expect(await page.getByTestId('understood').count()).toBe(0);
        await poll(() => resultIds(page)).toEqual(await apiIds({ q: 'Maria Salomea', mode: 'keyword', understand: 'false' }));
        expect(errors).toEqual([]);
        await page.close();
      } finally {
        await ctx.close();
      }
    }
  });

  it("searches in each mode, the mode in the URL; results are the API's, each with why it matched", async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/search?q=red`);
    const hybrid = await api({ q: 'red', mode: 'hybrid' });
    expect(hybrid.mode).toBe('hybrid');
    expect(hybrid.items[0]!.photo.filename).toBe('red.jpg');
    await poll(() => resultIds(page)).toEqual(hybrid.items.map((hit) => hit.photo.id));
    expect(await page.getByTestId('search-total').textContent()).toBe(String(hybrid.total));
    expect(await page.locator('[data-testid="search-mode"] input:checked').getAttribute('value')).toBe('hybrid');

    // Why the first one matched: its tag or file name (keyword) and its likeness (semantic), as the API says.
    const first = page.locator('[data-testid="search-results"] .tile-cell').first();
    await first.hover();
    const why = first.getByTestId('why-matched');
    await poll(() => why.isVisible()).toBe(true);
    const top = hybrid.items[0]!;
    const whyText = (await why.textContent())!;
    expect(whyText).toContain(`similarity ${top.explanation.semantic!.similarity.toFixed(2)}`);
    expect(whyText).toContain(`#${top.explanation.keyword!.rank} by words`);
    for (const match of top.explanation.keyword!.matches) expect(whyText).toContain(match.words.join(', '));
    await screenshot(page, 'shoebox-search.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shoebox-search-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });

    for (const mode of ['keyword', 'semantic'] as const) {
      await page.locator(`[data-testid="search-mode"] input[value="${mode}"]`).check();
      await poll(() => urlParams(page)).toEqual({ q: 'red', mode });
      const expected = await apiIds({ q: 'red', mode });
      expect(expected.length).toBeGreaterThan(0);
      await poll(() => resultIds(page)).toEqual(expected);
    }
    // Semantic: the red photo first, found by its looks alone.
    expect((await resultIds(page))[0]).toBe(ids['red.jpg']);

    // Reload keeps the mode; Back returns to the one before.
    await page.reload();
    expect(await page.locator('[data-testid="search-mode"] input:checked').getAttribute('value')).toBe('semantic');
    await poll(() => resultIds(page)).toEqual(await apiIds({ q: 'red', mode: 'semantic' }));
    await page.goBack();
    await poll(() => urlParams(page)).toEqual({ q: 'red', mode: 'keyword' });
    await poll(() => page.locator('[data-testid="search-mode"] input:checked').getAttribute('value')).toBe('keyword');
    await poll(() => resultIds(page)).toEqual(await apiIds({ q: 'red', mode: 'keyword' }));

    // Words written in a photo: "why" names the field and the word.
    await page.goto(`${server.url}/search?q=HOPADILLO&mode=keyword`);
    await poll(() => resultIds(page)).toEqual([ids['craft-beer.jpg']]);
    const tile = page.locator('[data-testid="search-results"] .tile-cell').first();
    await tile.locator('[data-testid="photo-tile"]').focus();
    await poll(() => tile.getByTestId('why-matched').isVisible()).toBe(true);
    expect(await whyRows(tile)).toContain('Text in the photo: HOPADILLO (top left)');

    // Nothing found: said so, with what to try.
    await page.goto(`${server.url}/search?q=zqxjvw&mode=keyword`);
    expect((await api({ q: 'zqxjvw', mode: 'keyword' })).total).toBe(0);
    await poll(() => page.getByTestId('search-empty').textContent()).toContain('No photos match “zqxjvw”');
    expect(await page.getByTestId('search-total').textContent()).toBe('0');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('narrows the results with filters (category, dates, location), kept in the URL', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/search?q=jpg&mode=keyword`);
    const all = await apiIds({ q: 'jpg', mode: 'keyword' });
    expect(all).toHaveLength(9);
    await poll(() => resultIds(page)).toEqual(all);

    // A category: only its photos.
    const warm = page.locator('[data-testid="filter-category"][value="warm-colours"]');
    await poll(() => warm.count()).toBe(1);
    await warm.check();
    await poll(() => urlParams(page)).toEqual({ q: 'jpg', mode: 'keyword', categories: 'warm-colours' });
    const warmIds = await apiIds({ q: 'jpg', mode: 'keyword', categories: 'warm-colours' });
    expect(warmIds.sort()).toEqual([ids['red.jpg'], ids['yellow.jpg']].sort());
    await poll(async () => (await resultIds(page)).sort()).toEqual(warmIds);
    await warm.uncheck();
    await poll(() => resultIds(page)).toEqual(all);

    // Has a location: only the photo with GPS; a chip says so and removes it.
    await page.getByTestId('filter-has-location').check();
    await poll(() => urlParams(page)).toEqual({ q: 'jpg', mode: 'keyword', hasLocation: '1' });
    const located = await api({ q: 'jpg', mode: 'keyword', hasLocation: 'true' });
    expect(located.items.map((hit) => hit.photo.filename)).toEqual(['thompson-springs.jpg']);
    await poll(() => resultIds(page)).toEqual(located.items.map((hit) => hit.photo.id));
    await page.reload();
    expect(await page.getByTestId('filter-has-location').isChecked()).toBe(true);
    await poll(() => resultIds(page)).toEqual(located.items.map((hit) => hit.photo.id));
    await page.getByRole('button', { name: 'Remove filter: Has a location' }).click();
    await poll(() => resultIds(page)).toEqual(all);

    // A date range: the day picasa.jpg was taken.
    const day = ((await json(`${server.url}/api/photos/${ids['picasa.jpg']}`)).body.takenAt as string).slice(0, 10);
    await page.getByTestId('filter-from').fill(day);
    await page.getByTestId('filter-to').fill(day);
    await poll(() => urlParams(page)).toEqual({ q: 'jpg', mode: 'keyword', from: day, to: day });
    const thatDay = await apiIds({ q: 'jpg', mode: 'keyword', from: `${day}T00:00:00Z`, to: `${day}T23:59:59.999Z` });
    expect(thatDay).toEqual([ids['picasa.jpg']]);
    await poll(() => resultIds(page)).toEqual(thatDay);
    await screenshot(page, 'shoebox-search-filters.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('finds photos like a picked file, a dropped file, and a library photo ("find similar")', async () => {
    const { page, errors } = await openPage(context);
    const similarTo = async (file: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(fs.readFileSync(file))]), path.basename(file));
      const response = await authFetch(`${server.url}/api/search/similar?limit=60`, { method: 'POST', body: form });
      expect(response.status).toBe(200);
      return ((await response.json()) as { items: { photo: { id: string } }[] }).items.map((hit) => hit.photo.id);
    };
    // Fresh pictures of a colour (other noise than the library's): found by looks, not by bytes.
    const dir = tempDir();
    const red = await mostly(path.join(dir, 'my-red.jpg'), [205, 25, 30], [120, 120, 120], 99);
    const blue = await mostly(path.join(dir, 'my-blue.jpg'), [30, 85, 205], [120, 120, 120], 98);

    await page.goto(`${server.url}/search`);
    await poll(() => page.getByTestId('search-start').isVisible()).toBe(true);
    await page.getByTestId('search-image-input').setInputFiles(red);
    await page.waitForURL('**/search?image=*');
    const likeRed = await similarTo(red);
    expect(likeRed[0]).toBe(ids['red.jpg']);
    await poll(() => resultIds(page)).toEqual(likeRed);
    expect(await page.locator('h1').textContent()).toContain('my-red.jpg');

    // Dropped on the page: searched with, not uploaded.
    const bytes = fs.readFileSync(blue).toString('base64');
    await page.evaluate(
      ({ bytes, name }) => {
        const data = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([data], name, { type: 'image/jpeg' }));
        const target = document.querySelector('[data-testid="search-page"]')!;
        for (const type of ['dragenter', 'dragover', 'drop'])
          target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      },
      { bytes, name: 'my-blue.jpg' },
    );
    const likeBlue = await similarTo(blue);
    expect(likeBlue[0]).toBe(ids['blue.jpg']);
    await poll(() => resultIds(page)).toEqual(likeBlue);
    expect(await page.locator('h1').textContent()).toContain('my-blue.jpg');
    expect((await json(`${server.url}/api/stats`)).body.total).toBe(9);
    // Back: the picked file's search again (the file is kept while the page is open).
    await page.goBack();
    await poll(() => resultIds(page)).toEqual(likeRed);

    // "Find similar" from a photo page links here: the photo itself is left out.
    await page.goto(`${server.url}/search?similar=${ids['yellow.jpg']}`);
    const response = await json(`${server.url}/api/search/similar?limit=60`, { method: 'POST', json: { photoId: ids['yellow.jpg'] } });
    const likeYellow = (response.body.items as { photo: { id: string }; similarity: number }[]).map((hit) => hit.photo.id);
    expect(likeYellow).not.toContain(ids['yellow.jpg']);
    await poll(() => resultIds(page)).toEqual(likeYellow);
    await poll(() => page.locator('h1').textContent()).toContain('yellow.jpg');
    const tile = page.locator('[data-testid="search-results"] .tile-cell').first();
    await tile.hover();
    await poll(() => tile.getByTestId('why-matched').isVisible()).toBe(true);
    expect(await tile.getByTestId('why-matched').textContent()).toContain(`similarity ${response.body.items[0].similarity.toFixed(2)}`);
    await screenshot(page, 'shoebox-search-similar.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a result; ←/→ on the photo page step through the results (not the gallery), Back returns to them', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/search?q=jpg&mode=keyword&categories=warm-colours`);
    const expected = await apiIds({ q: 'jpg', mode: 'keyword', categories: 'warm-colours' });
    expect(expected).toHaveLength(2);
    await poll(() => resultIds(page)).toEqual(expected);
    await page.locator(`[data-testid="search-results"] [data-photo-id="${expected[0]}"]`).click();
    await page.waitForURL(`**/photos/${expected[0]}`);
    // the photo page knows its place in the results before the keys are pressed
    await poll(() => page.getByTestId('photo-position').textContent()).toMatch(/1\s+of\s+2/);
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photos/${expected[1]}`);
    await poll(() => page.getByTestId('photo-position').textContent()).toMatch(/2\s+of\s+2/);
    // The end of the results: → goes nowhere (the gallery would go on), so ← leads back to the first result.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(`**/photos/${expected[0]}`);
    await page.goBack();
    await page.waitForURL('**/search?q=jpg&mode=keyword&categories=warm-colours');
    await poll(() => resultIds(page)).toEqual(expected);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the words read on a photo over it, where they are, to select and copy', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${ids['craft-beer.jpg']}`);
    await poll(() => page.getByTestId('preview').isVisible()).toBe(true);
    expect(await page.getByTestId('text-overlay').count()).toBe(0);
    await page.getByTestId('toggle-text').click();
    const word = page.locator('[data-testid="text-word"][data-text="HOPADILLO"]');
    await poll(() => word.count()).toBe(1);
    // on the top-left board of the 6000×4000 photo: left of the middle, in the top fifth
    const picture = (await page.getByTestId('preview').boundingBox())!;
    const box = (await word.boundingBox())!;
    expect((box.x - picture.x) / picture.width).toBeGreaterThan(0.1);
    expect((box.x + box.width - picture.x) / picture.width).toBeLessThan(0.5);
    expect((box.y - picture.y) / picture.height).toBeLessThan(0.25);
    // a double click selects the word as text
    await word.locator('text').dblclick();
    expect(await page.evaluate(() => window.getSelection()?.toString().trim())).toBe('HOPADILLO');
    expect(await page.getByTestId('zoom-reset').isDisabled()).toBe(true); // the double click did not zoom
    await screenshot(page, 'photo-text-desk.png');
    await page.getByTestId('toggle-text').click();
    await poll(() => page.getByTestId('text-overlay').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works at phone width: suggestions, filters behind a button, "why" on a tap', async () => {
    const phone = await signedInContext(browser, server, { viewport: { width: 375, height: 740 }, colorScheme: 'light', hasTouch: true, isMobile: true });
    try {
      const { page, errors } = await openPage(phone);
      await page.goto(server.url);
      const input = page.getByTestId('search-input');
      await input.tap();
      await input.pressSequentially('fro');
      const frost = page.getByTestId('suggestions').getByRole('option', { name: /Frost/ });
      await poll(() => frost.isVisible()).toBe(true);
      const box = (await page.getByTestId('suggestions').boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(375);
      await screenshot(page, 'shoebox-search-phone-suggestions.png');
      await frost.tap();
      await poll(() => urlParams(page)).toEqual({ q: 'Frost' });
      const expected = await apiIds({ q: 'Frost' });
      expect(expected[0]).toBe(ids['picasa.jpg']);
      await poll(() => resultIds(page)).toEqual(expected);

      // The filters hide behind a button.
      const filters = page.getByTestId('search-filters');
      expect(await filters.isVisible()).toBe(false);
      await page.getByRole('button', { name: /^Filters/ }).tap();
      await poll(() => filters.isVisible()).toBe(true);
      await page.getByRole('button', { name: /^Filters/ }).tap();
      await poll(() => filters.isVisible()).toBe(false);

      // "Why" on a tap of the (i) button.
      const tile = page.locator('[data-testid="search-results"] .tile-cell').first();
      await tile.getByTestId('why-toggle').tap();
      await poll(() => tile.getByTestId('why-matched').isVisible()).toBe(true);
      expect(await tile.getByTestId('why-matched').textContent()).toContain('Frost');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(375);
      await screenshot(page, 'shoebox-search-phone.png');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await phone.close();
    }
  });
});

describe('web app: search, without a CLIP model', () => {
  let server: TestServer;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startTestServer();
    const response = await upload(server.url, [{ path: picasa }]);
    expect(response.status).toBe(201);
    await waitForTerminal(server.url, [response.body.items[0].id], 120_000);
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'dark' });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('says which model to install for semantic search, offers keyword search; hybrid says it fell back', async () => {
    // The browser reports the 409 answers it was given; the page explains them.
    const { page, errors } = await openPage(context, { allowConsole: [/status of 409/] });
    const semantic = await json(`${server.url}/api/search?q=frost&mode=semantic`);
    expect(semantic.status).toBe(409);
    await page.goto(`${server.url}/search?q=frost&mode=semantic`);
    const unavailable = page.getByTestId('search-unavailable');
    await poll(() => unavailable.isVisible()).toBe(true);
    expect(await unavailable.locator('code').textContent()).toBe('shoebox models pull clip-vit-b32-laion2b');
    expect(await unavailable.textContent()).toContain(semantic.body.message);
    await screenshot(page, 'shoebox-search-no-clip-dark.png');

    await unavailable.getByRole('button', { name: 'Search by keyword instead' }).click();
    await poll(() => urlParams(page)).toEqual({ q: 'frost', mode: 'keyword' });
    const keyword = (await json(`${server.url}/api/search?q=frost&mode=keyword`)).body as SearchAnswer;
    expect(keyword.items).toHaveLength(1);
    await poll(() => resultIds(page)).toEqual(keyword.items.map((hit) => hit.photo.id));

    // Hybrid answers with keyword results and a notice naming the command.
    await page.locator('[data-testid="search-mode"] input[value="hybrid"]').check();
    const hybrid = (await json(`${server.url}/api/search?q=frost`)).body as SearchAnswer;
    expect(hybrid.mode).toBe('keyword');
    const notice = page.getByTestId('search-notice');
    await poll(() => notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toBe(hybrid.notices[0]);
    expect(await notice.locator('code').textContent()).toBe('shoebox models pull clip-vit-b32-laion2b');
    await poll(() => resultIds(page)).toEqual(hybrid.items.map((hit) => hit.photo.id));
    // The toggle marks the mode the server cannot run.
    expect(await page.locator('.segment-unavailable input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['semantic']);

    // Image search needs the model too.
    await page.goto(`${server.url}/search?similar=${hybrid.items[0]!.photo.id}`);
    await poll(() => unavailable.isVisible()).toBe(true);
    expect(await unavailable.textContent()).toContain('shoebox models pull clip-vit-b32-laion2b');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the server's message when it refuses a search", async () => {
    const { page, errors } = await openPage(context, { allowConsole: [/status of 400/] });
    const refused = await json(`${server.url}/api/search?q=frost&from=2024-05-02&to=2024-05-01T23:59:59.999Z`);
    expect(refused.status).toBe(400);
    await page.goto(`${server.url}/search?q=frost&from=2024-05-02&to=2024-05-01`);
    const error = page.getByTestId('search-error');
    await poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toContain(refused.body.message);
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'shoebox-search-error.png');
    expect(errors).toEqual([]);
    await page.close();
  });
});
