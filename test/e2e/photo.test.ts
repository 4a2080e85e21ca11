// The photo page in a real browser (Debian's chromium through playwright-core) against a real server: preview,
// metadata and pipeline steps; keyboard navigation; zoom and pan; favourite and rating; naming faces on the photo;
// download; albums and duplicates; similar photos (with the CLIP fixture model); phone width; light and dark.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFromFolder } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { colourPhotos } from '../helpers/images.js';
import { withoutNames } from '../helpers/unnamed.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, authFetch } from '../helpers/server.js';

interface ApiItem {
  id: string;
  filename: string;
  takenAt: string | null;
  state: string;
}

interface Face {
  id: string;
  personId: string | null;
  personName: string | null;
  box: { x: number; y: number; width: number; height: number };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await authFetch(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

/** Waits until the preview has real pixels. */
const previewLoaded = (page: Page) =>
  page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid="preview"]');
    return !!img && img.complete && img.naturalWidth > 0;
  });

const zoomOf = async (page: Page) => Number(await page.getByTestId('zoom-frame').getAttribute('data-zoom'));

/** The layer's translation, read from its computed transform matrix. */
const translation = (page: Page) =>
  page.locator('.zoom-layer').evaluate((layer) => {
    const matrix = new DOMMatrix(getComputedStyle(layer).transform);
    return { x: matrix.e, y: matrix.f, scale: matrix.a };
  });

/** A screenshot of the whole page from its top (the header is sticky: scrolled, it would land mid-page). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  expect(b).not.toBeNull();
  return b!;
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: photo page', () => {
  let server: TestServer;
  let context: BrowserContext;
  let ids: string[] = [];
  const idOf = new Map<string, string>();

  const natureDir = path.join(assets, 'albums', 'nature');
  const thompson = path.join(assets, 'metadata', 'gps-position', 'thompson-springs.jpg');
  // The Curies (two faces), and the same picture stored sideways with EXIF orientation 6, without the names their
  // face regions carry (helpers/unnamed.ts): their faces cluster into two unnamed people of two faces each.
  let portrait: string;
  let portrait6: string;

  const detail = (name: string) => getJson<any>(`${server.url}/api/photos/${idOf.get(name)}`);
  const facesOf = async (name: string): Promise<Face[]> => ((await detail(name)).faces as Face[]).sort((a, b) => a.box.x - b.box.x);

  beforeAll(async () => {
    server = await startTestServer({ ml: { peopleMinFaces: 2 } });
    [portrait, portrait6] = (await withoutNames(tempDir(), [
      path.join(assets, 'metadata', 'faces', 'portrait.jpg'),
      path.join(assets, 'metadata', 'faces', 'portrait-orientation-6.jpg'),
    ])) as [string, string];
    // A smaller, recompressed copy of one photo: the two make a duplicate group.
    const copy = path.join(tempDir(), 'silver_fir-copy.jpg');
    await sharp(path.join(natureDir, 'silver_fir.jpg')).resize({ width: 360 }).jpeg({ quality: 70 }).toFile(copy);
    const files = [
      ...readdirSync(natureDir)
        .filter((name) => name.endsWith('.jpg'))
        .map((name) => ({ path: path.join(natureDir, name) })),
      { path: thompson },
      { path: portrait },
      { path: portrait6 },
      { path: copy },
    ];
    const result = await upload(server.url, files);
    expect(result.status).toBe(201);
    ids = result.body.items.map((item: { id: string }) => item.id);
    expect(ids).toHaveLength(13);
    files.forEach((file, i) => idOf.set(path.basename(file.path), ids[i]!));
    const states = await waitForTerminal(server.url, ids);
    expect(Object.values(states).every((state) => state === 'completed')).toBe(true);
    // People are clustered after the faces step: wait until both portraits' faces have their (unnamed) person.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const faces = [...(await facesOf('portrait.jpg')), ...(await facesOf('portrait-orientation-6.jpg'))];
      if (faces.length === 4 && faces.every((face) => face.personId !== null)) break;
      if (Date.now() > deadline) throw new Error(`the portraits' faces were not clustered: ${JSON.stringify(faces)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('opens a photo page with its preview, metadata, palette and pipeline steps', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const target = await detail('thompson-springs.jpg');

    await page.locator(`[data-photo-id="${target.id}"]`).click();
    await page.waitForURL(`${server.url}/photos/${target.id}`);
    await poll(() => page.getByTestId('photo-filename').textContent()).toBe('thompson-springs.jpg');
    await previewLoaded(page);
    expect(await page.getByTestId('preview').getAttribute('alt')).toBe('thompson-springs.jpg');
    expect(await page.title()).toContain('thompson-springs.jpg');

    // Date as the API reports it with its zone, camera, place and GPS link, file facts.
    const takenAt: string | null = target.metadata.takenAt ?? target.takenAt;
    if (takenAt) expect(await page.locator('[data-field="taken"] time').getAttribute('datetime')).toBe(takenAt);
    if (target.metadata.timeZone) expect(await page.locator('[data-field="taken"]').textContent()).toMatch(/UTC|\//);
    if (target.metadata.model) expect(await page.locator('[data-field="camera"]').textContent()).toContain(target.metadata.model);
    expect(target.metadata.latitude).not.toBeNull();
    const gps = page.getByTestId('gps-link');
    const href = (await gps.getAttribute('href'))!;
    expect(href).toMatch(/^https:\/\/www\.openstreetmap\.org\/\?mlat=/);
    const url = new URL(href);
    expect(Number(url.searchParams.get('mlat'))).toBeCloseTo(target.metadata.latitude, 5);
    expect(Number(url.searchParams.get('mlon'))).toBeCloseTo(target.metadata.longitude, 5);
    if (target.metadata.place?.city) expect(await page.locator('[data-field="location"]').textContent()).toContain(target.metadata.place.city);
    expect(await page.locator('[data-field="file"] td').textContent()).toBe('thompson-springs.jpg');
    expect(await page.locator('[data-field="type"] td').textContent()).toMatch(/JPEG/i);
    expect(await page.locator('[data-field="size"] td').textContent()).toMatch(/\d\s?(KB|MB|kB|B)/);

    // Palette swatches, one per colour the API reports.
    expect(target.palette.length).toBeGreaterThan(0);
    const hexes = await page.getByTestId('swatch').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-hex')));
    expect(hexes).toEqual(target.palette.map((c: { hex: string }) => c.hex));

    // Every step done or skipped for a reason (no CLIP model installed, no text on the photo): no retry offered.
    const steps = await page
      .locator('[data-testid="steps"] tr[data-step]')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-step'), r.getAttribute('data-status')]));
    expect(Object.fromEntries(steps)).toEqual(Object.fromEntries(Object.entries(target.steps).map(([name, step]: [string, any]) => [name, step.status])));
    expect(Object.fromEntries(steps)).toMatchObject({ preprocessing: 'done', metadata: 'done', embeddings: 'skipped', tags: 'skipped' });
    expect(await page.getByTestId('retry').count()).toBe(0);
    // The caption composed without a caption model, and why there are no tags or similar photos.
    expect(await page.getByTestId('caption').textContent()).toContain(target.caption.caption);
    expect(await page.locator('#tags-title + p').textContent()).toContain('no CLIP model installed: run shoebox models pull clip-vit-b32-laion2b');
    expect(await page.getByTestId('similar').textContent()).toContain('no CLIP model installed: run shoebox models pull clip-vit-b32-laion2b');
    expect(await page.getByTestId('find-similar').count()).toBe(0);
    expect(await page.getByTestId('pdq').textContent()).toContain(target.pdq.hash);
    expect(await page.getByTestId('original-link').getAttribute('href')).toBe(`/api/photos/${target.id}/original`);
    // Not in an album, not in a duplicate group.
    expect(await page.getByTestId('albums').textContent()).toContain('Not in any album yet');
    expect(await page.getByTestId('duplicates').count()).toBe(0);

    await shot(page, 'shoebox-photo.png');

    // Back to the gallery.
    await page.getByRole('link', { name: 'All photos', exact: true }).click();
    await page.waitForURL(`${server.url}/`);
    await poll(() => page.locator(`[data-photo-id="${target.id}"]`).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('steps through the gallery with ← and →, and goes back to it with Esc', async () => {
    const order = (await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos?limit=100`)).items.map((item) => item.id);
    expect(order).toHaveLength(13);
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const start = order[4]!;
    await page.locator(`[data-photo-id="${start}"]`).click();
    await page.waitForURL(`**/photos/${start}`);
    await previewLoaded(page);
    await poll(() => page.getByTestId('photo-position').textContent()).toBe('5 of 13');

    // → is the next photo of the gallery's order, ← the previous one.
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photos/${order[5]}`);
    await poll(() => page.getByTestId('photo-position').textContent()).toBe('6 of 13');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photos/${order[6]}`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(`**/photos/${order[5]}`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(`**/photos/${order[4]}`);
    await poll(() => page.getByTestId('photo-filename').textContent()).toBe((await getJson<ApiItem>(`${server.url}/api/photos/${order[4]}`)).filename);

    // The buttons do the same.
    await page.getByTestId('next-photo').click();
    await page.waitForURL(`**/photos/${order[5]}`);
    await page.getByTestId('previous-photo').click();
    await page.waitForURL(`**/photos/${order[4]}`);

    // Esc returns to the gallery (the steps replaced the history entry: one Back away).
    await page.keyboard.press('Escape');
    await page.waitForURL(`${server.url}/`);
    await poll(() => page.locator(`[data-photo-id="${start}"]`).count()).toBe(1);

    // At the ends there is nothing further: the first photo has no "previous".
    // The gallery came back where it was left, so the first photo's row may be past the timeline's drawn rows:
    // scroll to the top as a person would (a wheel also ends the return's placing) before opening it.
    // (the timeline may re-measure the rows drawn on the way up and keep the page short of its very top)
    await page.mouse.move(400, 400);
    await poll(async () => {
      await page.mouse.wheel(0, -3000);
      return page.locator(`[data-photo-id="${order[0]}"]`).count();
    }).toBe(1);
    await page.locator(`[data-photo-id="${order[0]}"]`).click();
    await page.waitForURL(`**/photos/${order[0]}`);
    await poll(() => page.getByTestId('next-photo').count()).toBe(1);
    expect(await page.getByTestId('previous-photo').count()).toBe(0);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photos/${order[1]}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("counts in the header what the gallery lists, as a photo's page counts its place: an archived photo in neither", async () => {
    const archived = idOf.get('thompson-springs.jpg')!;
    expect((await json(`${server.url}/api/photos/${archived}`, { method: 'PATCH', json: { archived: true } })).status).toBe(200);
    try {
      const { page, errors } = await openPage(context);
      await page.goto(`${server.url}/photos/${idOf.get('silver_fir.jpg')}`);
      await poll(() => page.getByTestId('photo-position').textContent()).toMatch(/ of 12$/);
      // before: the header counted every photo of the library (13) beside "n of 12"
      await poll(() => page.getByTestId('library-counts').textContent()).toBe('12 photos');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      expect((await json(`${server.url}/api/photos/${archived}`, { method: 'PATCH', json: { archived: false } })).status).toBe(200);
    }
  });

  it('zooms with the keys, the buttons, the wheel and a double-click, pans by dragging, and fits again', async () => {
    const target = await detail('thompson-springs.jpg');
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${target.id}`);
    await previewLoaded(page);
    const frame = page.getByTestId('zoom-frame');
    const frameBox = await box(frame);
    expect(await zoomOf(page)).toBe(1);
    expect(await page.getByTestId('zoom-level').textContent()).toBe('Fit');
    // Fitted: the picture fills the frame exactly.
    expect((await box(page.getByTestId('preview'))).width).toBeCloseTo(frameBox.width, 0);

    await page.keyboard.press('+');
    await poll(() => zoomOf(page)).toBe(1.5);
    await poll(async () => Math.round((await box(page.getByTestId('preview'))).width)).toBe(Math.round(frameBox.width * 1.5));
    expect(await page.getByTestId('zoom-level').textContent()).toMatch(/^\d+%$/);
    await page.getByTestId('zoom-in').click();
    await poll(() => zoomOf(page)).toBe(2.25);

    // Zoomed well past the preview's pixels: the original is fetched and shown over it.
    if (target.width > 1440 * 1.2) {
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('[data-testid="preview-original"]');
        return !!img && img.complete && img.naturalWidth > 0;
      });
      expect(await page.getByTestId('preview-original').getAttribute('src')).toBe(`/api/photos/${target.id}/original`);
    }

    // The wheel zooms in about the pointer.
    await page.mouse.move(frameBox.x + frameBox.width / 2, frameBox.y + frameBox.height / 2);
    await page.mouse.wheel(0, -300);
    await poll(() => zoomOf(page)).toBeGreaterThan(2.25);
    const wheeled = await zoomOf(page);

    // A drag pans: the picture follows the pointer.
    const before = await translation(page);
    await page.mouse.move(frameBox.x + frameBox.width / 2, frameBox.y + frameBox.height / 2);
    await page.mouse.down();
    await page.mouse.move(frameBox.x + frameBox.width / 2 + 60, frameBox.y + frameBox.height / 2 + 40, { steps: 5 });
    await page.mouse.up();
    const after = await translation(page);
    expect(after.x - before.x).toBeCloseTo(60, 0);
    expect(after.y - before.y).toBeCloseTo(40, 0);
    expect(await zoomOf(page)).toBe(wheeled);

    // − zooms out, 0 fits again.
    await page.keyboard.press('-');
    await poll(() => zoomOf(page)).toBeLessThan(wheeled);
    await page.keyboard.press('0');
    await poll(() => zoomOf(page)).toBe(1);
    expect(await page.getByTestId('zoom-level').textContent()).toBe('Fit');
    expect(await page.getByTestId('zoom-out').isDisabled()).toBe(true);

    // Double-click zooms in where clicked, and back out.
    await frame.dblclick({ position: { x: frameBox.width / 4, y: frameBox.height / 4 } });
    await poll(() => zoomOf(page)).toBe(2.5);
    await shot(page, 'shoebox-photo-zoomed.png');
    await frame.dblclick({ position: { x: frameBox.width / 2, y: frameBox.height / 2 } });
    await poll(() => zoomOf(page)).toBe(1);
    // The reset button, after zooming with the button.
    await page.getByTestId('zoom-in').click();
    await poll(() => zoomOf(page)).toBe(1.5);
    await page.getByTestId('zoom-reset').click();
    await poll(() => zoomOf(page)).toBe(1);
    // At fit, the wheel turned down scrolls the page rather than zooming out.
    await page.mouse.move(frameBox.x + frameBox.width / 2, frameBox.y + frameBox.height / 2);
    await page.mouse.wheel(0, 200);
    expect(await zoomOf(page)).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('marks a favourite and rates the photo, saved on the server', async () => {
    const target = await detail('prairie_falcon.jpg');
    expect(target.favorite).toBe(false);
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${target.id}`);
    await previewLoaded(page);
    const favorite = page.getByTestId('favorite');
    expect(await favorite.getAttribute('aria-pressed')).toBe('false');

    await favorite.click();
    await poll(async () => (await detail('prairie_falcon.jpg')).favorite).toBe(true);
    expect(await favorite.getAttribute('aria-pressed')).toBe('true');
    await poll(() => page.getByTestId('photo-status').textContent()).toBe('Added to favourites');

    // Four stars by clicking the fourth.
    await page.locator('label:has([data-testid="rate-4"])').click();
    await poll(async () => (await detail('prairie_falcon.jpg')).rating).toBe(4);
    expect(await page.getByTestId('rating').getAttribute('data-rating')).toBe('4');
    expect(await page.getByTestId('rate-4').isChecked()).toBe(true);

    // Both survive a reload (they come from the server).
    await page.reload();
    await previewLoaded(page);
    await poll(() => page.getByTestId('favorite').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('rating').getAttribute('data-rating')).toBe('4');

    // The keys: 2 rates two stars, F takes the favourite away; a click on the current star clears the rating.
    await page.keyboard.press('2');
    await poll(async () => (await detail('prairie_falcon.jpg')).rating).toBe(2);
    // the page takes the next key once its answer is back (a key while it saves is not taken: CI pressed F too soon)
    await poll(() => page.getByTestId('photo-status').textContent()).toBe('Rated 2 of 5');
    await page.keyboard.press('f');
    await poll(async () => (await detail('prairie_falcon.jpg')).favorite).toBe(false);
    expect(await page.getByTestId('favorite').getAttribute('aria-pressed')).toBe('false');
    await page.locator('label:has([data-testid="rate-2"])').click();
    await poll(async () => (await detail('prairie_falcon.jpg')).rating ?? 0).toBe(0);
    expect(await page.getByTestId('rating').getAttribute('data-rating')).toBe('0');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws the objects the detector found when asked, each box on its object with its class', async () => {
    const photo = await detail('portrait-orientation-6.jpg');
    const people = photo.objects.filter((o: { label: string }) => o.label === 'person');
    expect(people).toHaveLength(2);
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${photo.id}`);
    await previewLoaded(page);
    expect(await page.getByTestId('object-box').count()).toBe(0); // hidden until asked
    await page.getByTestId('toggle-objects').click();
    const boxes = page.getByTestId('object-box');
    await poll(() => boxes.count()).toBe(photo.objects.length);
    // the label says the confidence in its text: the boxes let the pointer through, so a tooltip never showed
    const labels = photo.objects.map((o: { label: string; confidence: number }) => `${o.label} ${Math.round(o.confidence * 100)} %`);
    expect(await boxes.evaluateAll((nodes) => nodes.map((n) => n.textContent))).toEqual(labels);
    const img = await box(page.getByTestId('preview'));
    const k = img.width / photo.width;
    for (const [i, object] of photo.objects.entries()) {
      const b = await box(boxes.nth(i));
      expect(Math.abs(b.x - (img.x + object.box.x * k))).toBeLessThan(2);
      expect(Math.abs(b.y - (img.y + object.box.y * k))).toBeLessThan(2);
      expect(Math.abs(b.width - object.box.width * k)).toBeLessThan(2);
    }
    await page.getByTestId('toggle-objects').click();
    await poll(() => boxes.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws the faces on the photo and names them: a whole group, one face, from the suggestions, "not this person"', async () => {
    const id = idOf.get('portrait.jpg')!;
    const id6 = idOf.get('portrait-orientation-6.jpg')!;
    const photo = await detail('portrait.jpg');
    const [marie, pierre] = await facesOf('portrait.jpg');
    expect(marie!.personName).toBeNull();
    expect(marie!.personId).not.toBeNull();
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${id}`);
    await previewLoaded(page);
    const boxes = page.getByTestId('face-box');
    await poll(() => boxes.count()).toBe(2);

    // Each box sits on its face: the API's box in the photo's pixels, scaled to the displayed picture.
    const checkPlacement = async () => {
      const img = await box(page.getByTestId('preview'));
      for (const face of [marie!, pierre!]) {
        const b = await box(page.locator(`[data-testid="face-box"][data-face-id="${face.id}"]`));
        const k = img.width / photo.width;
        expect(Math.abs(b.x - (img.x + face.box.x * k))).toBeLessThan(2);
        expect(Math.abs(b.y - (img.y + face.box.y * k))).toBeLessThan(2);
        expect(Math.abs(b.width - face.box.width * k)).toBeLessThan(2);
        expect(Math.abs(b.height - face.box.height * k)).toBeLessThan(2);
      }
    };
    await checkPlacement();
    // Still on the faces when zoomed.
    await page.getByTestId('zoom-in').click();
    await poll(() => zoomOf(page)).toBe(1.5);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.zoom-layer')!).transform.startsWith('matrix(1.5,'));
    await checkPlacement();
    await page.keyboard.press('0');
    await poll(() => zoomOf(page)).toBe(1);
    expect(await boxes.evaluateAll((nodes) => nodes.map((n) => n.textContent))).toEqual(['Who is this?', 'Who is this?']);

    // Marie: clustered with her face on the other copy; naming the group names both.
    await page.locator(`[data-testid="face-box"][data-face-id="${marie!.id}"]`).click();
    const dialog = page.getByTestId('face-dialog');
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByTestId('face-whole-group').isChecked()).toBe(true);
    await dialog.getByTestId('face-name-input').fill('Marie Curie');
    await poll(() => dialog.getByTestId('face-suggestion').allTextContents()).toEqual(['+New person “Marie Curie”']);
    await dialog.getByTestId('face-save').click();
    await poll(() => dialog.isVisible()).toBe(false);
    await poll(async () => (await facesOf('portrait.jpg'))[0]!.personName).toBe('Marie Curie');
    expect((await facesOf('portrait-orientation-6.jpg')).map((f) => f.personName)).toContain('Marie Curie');
    await poll(() => page.locator(`[data-face-id="${marie!.id}"] [data-testid="face-box-label"]`).textContent()).toBe('Marie Curie');
    const marieId = (await facesOf('portrait.jpg'))[0]!.personId!;
    expect(await page.locator(`.face-item[data-face-id="${marie!.id}"] [data-testid="face-name"]`).getAttribute('href')).toBe(`/people/${marieId}`);

    // Pierre: only the face on this photo (the group box unticked).
    await page.locator(`[data-testid="face-box"][data-face-id="${pierre!.id}"]`).click();
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByTestId('face-whole-group').uncheck();
    await dialog.getByTestId('face-name-input').fill('Pierre Curie');
    await dialog.getByTestId('face-name-input').press('Enter');
    await poll(() => dialog.isVisible()).toBe(false);
    await poll(async () => (await facesOf('portrait.jpg'))[1]!.personName).toBe('Pierre Curie');
    expect((await facesOf('portrait-orientation-6.jpg')).filter((f) => f.personName === 'Pierre Curie')).toHaveLength(0);
    await poll(() => page.locator(`[data-face-id="${pierre!.id}"] [data-testid="face-box-label"]`).textContent()).toBe('Pierre Curie');
    await shot(page, 'shoebox-photo-faces.png');

    // The other copy: Pierre's face is unnamed there; typing suggests the people already named, and one is picked.
    await page.goto(`${server.url}/photos/${id6}`);
    await previewLoaded(page);
    const unnamed = (await facesOf('portrait-orientation-6.jpg')).find((f) => f.personName === null)!;
    await page.locator(`[data-testid="face-box"][data-face-id="${unnamed.id}"]`).click();
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByTestId('face-name-input').fill('curie');
    await poll(() => dialog.getByTestId('face-suggestion').count()).toBe(3);
    await dialog.getByTestId('face-name-input').fill('pi');
    await poll(() => dialog.getByTestId('face-suggestion').allTextContents()).toEqual([expect.stringContaining('Pierre Curie'), '+New person “pi”']);
    await dialog.getByTestId('face-suggestion').first().click();
    await poll(() => dialog.isVisible()).toBe(false);
    const pierreId = (await facesOf('portrait.jpg'))[1]!.personId;
    await poll(async () => (await detail('portrait-orientation-6.jpg')).faces.find((f: Face) => f.id === unnamed.id).personId).toBe(pierreId);
    await poll(() => page.locator(`[data-face-id="${unnamed.id}"] [data-testid="face-box-label"]`).textContent()).toBe('Pierre Curie');

    // Back on the first copy: "Not Marie Curie" takes the face from her; then she is picked from the list again.
    await page.goto(`${server.url}/photos/${id}`);
    await previewLoaded(page);
    await page.locator(`[data-testid="face-box"][data-face-id="${marie!.id}"]`).click();
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByTestId('face-reject').textContent()).toBe('Not Marie Curie');
    await dialog.getByTestId('face-reject').click();
    await poll(() => dialog.isVisible()).toBe(false);
    await poll(async () => (await facesOf('portrait.jpg'))[0]!.personId).toBeNull();
    await poll(() => page.locator(`[data-face-id="${marie!.id}"] [data-testid="face-box-label"]`).textContent()).toBe('Who is this?');
    await page.locator(`.face-item[data-face-id="${marie!.id}"] [data-testid="face-edit"]`).click();
    await poll(() => dialog.isVisible()).toBe(true);
    // With nothing typed, the list offers the people named so far.
    await poll(() => dialog.getByTestId('face-suggestion').count()).toBe(2);
    await dialog.getByTestId('face-name-input').press('ArrowDown');
    expect(await dialog.getByTestId('face-suggestion').first().getAttribute('aria-selected')).toBe('true');
    const first = await dialog.getByTestId('face-suggestion').first().textContent();
    const pick = first!.includes('Marie') ? 0 : 1;
    await dialog.getByTestId('face-suggestion').nth(pick).click();
    await poll(() => dialog.isVisible()).toBe(false);
    await poll(async () => (await facesOf('portrait.jpg'))[0]!.personId).toBe(marieId);
    await poll(() => page.locator(`[data-face-id="${marie!.id}"] [data-testid="face-box-label"]`).textContent()).toBe('Marie Curie');

    // Unassign ("Remove name") leaves the face without anyone.
    await page.locator(`[data-testid="face-box"][data-face-id="${pierre!.id}"]`).click();
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByTestId('face-unassign').click();
    await poll(() => dialog.isVisible()).toBe(false);
    await poll(async () => (await facesOf('portrait.jpg'))[1]!.personId).toBeNull();
    await poll(() => page.locator(`.face-item[data-face-id="${pierre!.id}"] [data-testid="face-name"]`).textContent()).toBe('Unknown');

    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'shoebox-photo-faces-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('downloads the original', async () => {
    const target = await detail('thompson-springs.jpg');
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${target.id}`);
    await previewLoaded(page);
    const link = page.getByTestId('download');
    expect(await link.getAttribute('href')).toBe(`/api/photos/${target.id}/original?download=1`);
    const response = await authFetch(`${server.url}/api/photos/${target.id}/original?download=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(Number(response.headers.get('content-length') ?? (await response.arrayBuffer()).byteLength)).toBe(target.sizeBytes);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('thompson-springs.jpg');
    await download.cancel();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the albums the photo is in and adds it to a new one', async () => {
    const id = idOf.get('portrait.jpg')!;
    const created = await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'The Curies', photoIds: [id] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const photo = await detail('portrait.jpg');
    expect(photo.albums.map((a: { name: string }) => a.name)).toEqual(['The Curies']);

    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${id}`);
    await previewLoaded(page);
    const albumLinks = page.getByTestId('album-link');
    await poll(() => albumLinks.allTextContents()).toEqual(['The Curies']);
    expect(await albumLinks.first().getAttribute('href')).toBe(`/albums/${created.body.id}`);
    // Not in a duplicate group: no such section.
    expect(photo.duplicateGroup).toBeNull();
    expect(await page.getByTestId('duplicates').count()).toBe(0);

    // Add to a new album from the page. The only album left to choose is a new one (the photo is in the other).
    await page.getByTestId('add-to-album').click();
    const form = page.getByTestId('album-form');
    await poll(() => form.locator('select').inputValue()).toBe('__new__');
    await form.getByTestId('album-name').fill('Laboratory');
    await form.getByTestId('album-add-confirm').click();
    await poll(() => albumLinks.allTextContents()).toEqual(expect.arrayContaining(['The Curies', 'Laboratory']));
    const albums: { name: string; id: string }[] = (await detail('portrait.jpg')).albums;
    expect(albums.map((a) => a.name).sort()).toEqual(['Laboratory', 'The Curies']);
    await poll(() => page.getByTestId('photo-status').textContent()).toBe('Added to the new album Laboratory');

    // The album link leads to the album's page.
    await albumLinks.filter({ hasText: 'The Curies' }).click();
    await page.waitForURL(`**/albums/${created.body.id}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the duplicate group: the other copy, the suggested keeper, the way to the duplicates page', async () => {
    const photo = await detail('silver_fir.jpg');
    const group = photo.duplicateGroup;
    expect(group, 'a resized copy is a duplicate').not.toBeNull();
    expect(group.size).toBe(2);
    const copyId = idOf.get('silver_fir-copy.jpg')!;

    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${photo.id}`);
    await previewLoaded(page);
    const section = page.getByTestId('duplicates');
    await poll(() => section.isVisible()).toBe(true);
    expect(await section.textContent()).toContain('This photo and 1 other were found alike by perceptual hash.');
    // The bigger original is the suggested keeper; its copy goes to the trash when the suggestion is taken.
    expect(group.keeperId).toBe(photo.id);
    await poll(() => section.getByTestId('duplicates-fate').textContent()).toContain('best shot · suggested');
    const members = section.locator('[data-testid="photo-tile"]');
    await poll(() => members.count()).toBe(1);
    expect(await members.first().getAttribute('data-photo-id')).toBe(copyId);
    // Each member says what the suggestion does with it and how close it is (the PDQ distance in bits).
    expect(await section.locator('.tile-note').first().textContent()).toMatch(/^to trash · (\d+ of 256 bits apart|identical hash)( \(.+\))?$/);
    expect(await page.getByTestId('duplicates-link').getAttribute('href')).toBe(`/duplicates?group=${group.id}`);
    await shot(page, 'shoebox-photo-duplicates.png');

    // The copy opens its own page, which names the original.
    await members.first().click();
    await page.waitForURL(`**/photos/${copyId}`);
    await poll(() => page.getByTestId('photo-filename').textContent()).toBe('silver_fir-copy.jpg');
    await poll(() => page.locator('[data-testid="duplicates"] [data-testid="photo-tile"]').getAttribute('data-photo-id')).toBe(photo.id);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stacks the panels under the photo at phone width, in light and dark', async () => {
    const phone = await signedInContext(browser, server, { viewport: { width: 375, height: 812 }, colorScheme: 'light', isMobile: true, hasTouch: true });
    try {
      const { page, errors } = await openPage(phone);
      await page.goto(`${server.url}/photos/${idOf.get('portrait.jpg')}`);
      await previewLoaded(page);
      const stage = await box(page.locator('.photo-stage'));
      const info = await box(page.locator('.photo-info'));
      expect(info.y).toBeGreaterThanOrEqual(stage.y + stage.height - 1);
      expect(stage.width).toBeLessThanOrEqual(375);
      // Nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await poll(() => page.getByTestId('face-box').count()).toBe(2);
      await shot(page, 'shoebox-photo-phone.png');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'shoebox-photo-phone-dark.png');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await phone.close();
    }
  });

  it('shows the camera of a photo that has one, in the dark theme too', async () => {
    const list = await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos?limit=100`);
    let withCamera: any = null;
    for (const item of list.items) {
      const d = await getJson<any>(`${server.url}/api/photos/${item.id}`);
      if (d.metadata.model && d.metadata.takenAt) {
        withCamera = d;
        break;
      }
    }
    expect(withCamera, 'a corpus photo with a camera model and a date').not.toBeNull();
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${withCamera.id}`);
    await poll(() => page.getByTestId('photo-filename').textContent()).toBe(withCamera.filename);
    expect(await page.locator('[data-field="camera"]').textContent()).toContain(withCamera.metadata.model);
    expect(await page.locator('[data-field="taken"] time').getAttribute('datetime')).toBe(withCamera.metadata.takenAt);
    expect(await page.locator('[data-field="dimensions"]').textContent()).toContain(`${withCamera.width} × ${withCamera.height}`);
    await previewLoaded(page);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'shoebox-photo-dark.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says when a photo is in the trash, and restores it', async () => {
    const id = idOf.get('wood_anemones.jpg')!;
    expect((await authFetch(`${server.url}/api/photos/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await detail('wood_anemones.jpg')).deletedAt).not.toBeNull();
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${id}`);
    await previewLoaded(page);
    await poll(() => page.getByTestId('trashed').isVisible()).toBe(true);
    // Nothing to favourite, rate or trash while it is in the trash.
    expect(await page.getByTestId('delete').count()).toBe(0);
    expect(await page.getByTestId('favorite').count()).toBe(0);
    await page.getByTestId('restore').click();
    await poll(async () => (await detail('wood_anemones.jpg')).deletedAt).toBeNull();
    await poll(() => page.getByTestId('trashed').count()).toBe(0);
    await poll(() => page.getByTestId('delete').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so when a photo does not exist', async () => {
    const { page } = await openPage(context);
    await page.goto(`${server.url}/photos/00000000-0000-4000-8000-000000000000`);
    await poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe('This photo is not in the library');
    await page.close();
  });
});

describe('web app: photo page with a CLIP model', () => {
  let server: TestServer;
  let context: BrowserContext;
  let photos: Record<string, string>;

  beforeAll(async () => {
    const dataDir = tempDir();
    const { clipDir } = await ensureFixtureModels();
    await installFromFolder(dataDir, 'clip-vit-b32', clipDir);
    server = await startTestServer({ dataDir });
    const colours = await colourPhotos(tempDir(), 11);
    const names = Object.keys(colours) as (keyof typeof colours)[];
    const result = await upload(
      server.url,
      names.map((name) => ({ path: colours[name] })),
    );
    expect(result.status).toBe(201);
    photos = Object.fromEntries(names.map((name, i) => [name, result.body.items[i].id as string]));
    await waitForTerminal(server.url, Object.values(photos));
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('lists similar photos, opens one, and links to the search for more', async () => {
    const red = photos.red!;
    const answer = await json(`${server.url}/api/search/similar?limit=8`, { method: 'POST', json: { photoId: red } });
    expect(answer.status).toBe(200);
    const expected = answer.body.items.map((item: { photo: { id: string } }) => item.photo.id);
    expect(expected.length).toBe(3);

    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${red}`);
    await previewLoaded(page);
    const section = page.getByTestId('similar');
    await section.scrollIntoViewIfNeeded();
    const tiles = section.locator('[data-testid="photo-tile"]');
    await poll(() => tiles.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-photo-id')))).toEqual(expected);
    expect(await page.getByTestId('find-similar').getAttribute('href')).toBe(`/search?similar=${red}`);
    expect(await page.getByTestId('find-similar-action').getAttribute('href')).toBe(`/search?similar=${red}`);
    // Tags from the CLIP model are search links.
    const tag = page.getByTestId('tag').first();
    if ((await tag.count()) > 0) expect(await tag.getAttribute('href')).toMatch(/^\/search\?q=/);
    await shot(page, 'shoebox-photo-similar.png');

    // A similar photo opens; → then steps through the similar photos in their order.
    await tiles.first().click();
    await page.waitForURL(`**/photos/${expected[0]}`);
    await previewLoaded(page);
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photos/${expected[1]}`);
    expect(errors).toEqual([]);
    await page.close();
  });
});
