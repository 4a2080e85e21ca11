// The web app in a real browser (Debian's chromium through playwright-core) against a real server.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, screenshot } from '../helpers/browser.js';
import { assets, startTestServer, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

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

  it('opens a photo page with its preview, metadata, palette and pipeline steps', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const list = await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos`);
    const target = list.items.find((item) => item.filename === 'thompson-springs.jpg')!;
    expect(target).toBeDefined();
    const detail = await getJson<any>(`${server.url}/api/photos/${target.id}`);

    await page.locator(`[data-photo-id="${target.id}"]`).click();
    await page.waitForURL(`${server.url}/photos/${target.id}`);
    await poll(() => page.getByTestId('photo-filename').textContent()).toBe('thompson-springs.jpg');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="preview"]');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    expect(await page.getByTestId('preview').getAttribute('alt')).toBe('thompson-springs.jpg');
    expect(await page.title()).toContain('thompson-springs.jpg');

    // Date as the API reports it, camera, GPS link.
    const takenAt: string | null = detail.metadata.takenAt ?? detail.takenAt;
    if (takenAt) expect(await page.locator('[data-field="taken"] time').getAttribute('datetime')).toBe(takenAt);
    if (detail.metadata.model) expect(await page.locator('[data-field="camera"]').textContent()).toContain(detail.metadata.model);
    expect(detail.metadata.latitude).not.toBeNull();
    const gps = page.getByTestId('gps-link');
    const href = (await gps.getAttribute('href'))!;
    expect(href).toMatch(/^https:\/\/www\.openstreetmap\.org\/\?mlat=/);
    const url = new URL(href);
    expect(Number(url.searchParams.get('mlat'))).toBeCloseTo(detail.metadata.latitude, 5);
    expect(Number(url.searchParams.get('mlon'))).toBeCloseTo(detail.metadata.longitude, 5);

    // Palette swatches, one per colour the API reports.
    expect(detail.palette.length).toBeGreaterThan(0);
    const hexes = await page.getByTestId('swatch').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-hex')));
    expect(hexes).toEqual(detail.palette.map((c: { hex: string }) => c.hex));

    // Every step done or skipped for a reason (no CLIP model installed, no text on the photo): no retry offered.
    const steps = await page.locator('[data-testid="steps"] tr[data-step]').evaluateAll((rows) =>
      rows.map((r) => [r.getAttribute('data-step'), r.getAttribute('data-status')]),
    );
    expect(Object.fromEntries(steps)).toEqual({
      preprocessing: 'done',
      metadata: 'done',
      hashes: 'done',
      palette: 'done',
      embeddings: 'skipped',
      faces: 'done',
      tags: 'skipped',
      ocr: detail.steps.ocr.status,
      captions: 'done',
      duplicates: 'done',
    });
    expect(await page.getByTestId('retry').count()).toBe(0);
    // The caption composed without a caption model, and why there are no tags.
    expect(await page.getByTestId('caption').textContent()).toContain(detail.caption.caption);
    expect(await page.locator('#tags-title + p').textContent()).toContain('model clip-vit-b32 not installed');
    expect(await page.getByTestId('pdq').textContent()).toContain(detail.pdq.hash);
    expect(await page.getByTestId('original-link').getAttribute('href')).toBe(`/api/photos/${target.id}/original`);

    await screenshot(page, 'shoebox-photo.png');

    // Back to the gallery.
    await page.getByRole('link', { name: 'All photos', exact: true }).click();
    await page.waitForURL(`${server.url}/`);
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(10);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the camera of a photo that has one', async () => {
    const list = await getJson<{ items: ApiItem[] }>(`${server.url}/api/photos`);
    let withCamera: any = null;
    for (const item of list.items) {
      const detail = await getJson<any>(`${server.url}/api/photos/${item.id}`);
      if (detail.metadata.model && detail.metadata.takenAt) {
        withCamera = detail;
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
    await page.waitForFunction(() => document.querySelector<HTMLImageElement>('[data-testid="preview"]')?.naturalWidth);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shoebox-photo-dark.png');
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
