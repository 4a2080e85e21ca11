// A batch imported while a slow step (a vision model that has not answered yet) holds the analysis: in a real
// browser, every photo's thumbnail shows in the gallery with a small "still being analysed" mark, the photo page
// shows its preview, and the marks go once the analysis ends.
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesLoaded, launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { startCaptionEndpoint, type CaptionEndpoint } from '../helpers/caption-endpoint.js';
import { assets, startTestServer, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: photos show while they are analysed', () => {
  let captions: CaptionEndpoint;
  let server: TestServer;
  let context: BrowserContext;
  const files = ['prairie_falcon.jpg', 'tanners_ridge.jpg', 'wood_anemones.jpg', 'silver_fir.jpg', 'cyclamen_persicum.jpg', 'polemonium_reptans.jpg'].map(
    (name) => ({ path: path.join(assets, 'albums/nature', name) }),
  );

  beforeAll(async () => {
    captions = await startCaptionEndpoint();
    captions.hold();
    server = await startTestServer({ ml: { caption: { url: captions.url, model: 'llava:13b', timeoutMs: 120_000 }, captionConcurrency: 1 } });
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
    await captions?.close();
  });

  it('shows the thumbnails of photos whose analysis is still running, then drops the marks when it ends', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(server.url);
    const uploaded = await upload(server.url, files);
    const ids: string[] = uploaded.body.items.map((item: { id: string }) => item.id);

    // Without a reload: every tile gets its picture while the photos are still being analysed.
    await poll(() => page.locator('[data-testid="photo-tile"] img').count(), { timeout: 60_000 }).toBe(files.length);
    await imagesLoaded(page, '[data-testid="photo-tile"] img', files.length);
    const tiles = await page.getByTestId('photo-tile').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
    expect(tiles).toEqual(files.map(() => 'processing'));
    expect(await page.getByTestId('tile-working').count()).toBe(files.length);
    expect(await page.locator('.tile-placeholder').count()).toBe(0);
    await screenshot(page, 'shoebox-analysis-in-progress.png');

    // The photo page shows the preview too.
    await page.getByTestId('photo-tile').first().click();
    await page.getByTestId('preview').waitFor();
    await poll(() => page.getByTestId('preview').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.goBack();

    captions.release();
    await waitForTerminal(server.url, ids, 120_000);
    await poll(() => page.getByTestId('tile-working').count(), { timeout: 90_000 }).toBe(0);
    expect(await page.getByTestId('photo-tile').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')))).toEqual(files.map(() => 'completed'));
    expect(errors).toEqual([]);
    await page.close();
  });
});
