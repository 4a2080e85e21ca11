// Memories in a real browser against a real server, on a fixed day (the page's clock set to 2026-06-15): corpus
// photos dated and placed by ExifTool (home in Lyon, this day in 2024 and 2023, a trip to Porto and Lisbon). The
// strip at the top of the timeline, the Memories page, a memory kept as an album and one hidden and shown again, a
// kind turned off; home set by a town's name (in another language) and on the map; at desk and phone size.
import fs from 'node:fs';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const LYON: [number, number] = [45.764, 4.8357];
const SHOTS: { source: string; at: string; where: [number, number] }[] = [
  { source: 'silver_fir.jpg', at: '2024:06:15 10:00:00', where: LYON },
  { source: 'el_torcal_rocks.jpg', at: '2023:06:15 11:00:00', where: [45.77, 4.84] },
  { source: 'wood_anemones.jpg', at: '2024:05:03 12:00:00', where: [41.1579, -8.6291] },
  { source: 'prairie_falcon.jpg', at: '2024:05:04 12:00:00', where: [38.7223, -9.1393] },
  { source: 'cyclamen_persicum.jpg', at: '2024:05:05 12:00:00', where: [38.7139, -9.1334] },
  { source: 'tanners_ridge.jpg', at: '2022:01:01 12:00:00', where: [45.76, 4.83] },
  { source: 'notocactus_minimus.jpg', at: '2021:03:01 12:00:00', where: [45.75, 4.85] },
  { source: 'polemonium_reptans.jpg', at: '2020:02:02 12:00:00', where: [45.765, 4.836] },
];

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: memories', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    const dir = tempDir();
    const exiftool = new ExifTool();
    try {
      for (const shot of SHOTS) {
        const file = path.join(dir, shot.source);
        fs.copyFileSync(path.join(assets, 'albums', 'nature', shot.source), file);
        await exiftool.write(
          file,
          { DateTimeOriginal: shot.at, GPSLatitude: shot.where[0], GPSLongitude: shot.where[1] },
          { writeArgs: ['-overwrite_original'] },
        );
      }
    } finally {
      await exiftool.end();
    }
    const { body } = await upload(
      server.url,
      SHOTS.map((shot) => ({ path: path.join(dir, shot.source) })),
    );
    await waitForTerminal(
      server.url,
      body.items.map((item: { id: string }) => item.id),
      240_000,
    );
  }, 300_000);

  afterAll(async () => {
    await server?.dispose();
  });

  /** A page whose calendar says 2026-06-15, noon. */
  async function onTheDay(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
    const opened = await openPage(context);
    await opened.page.clock.setFixedTime(new Date('2026-06-15T12:00:00'));
    return opened;
  }
  const cardTitles = (page: Page, scope: string) => page.locator(`${scope} [data-testid="memory-card"] .memory-card-title`).allTextContents();

  it('shows the memories over the timeline, opens one, keeps it as an album, hides one and turns a kind off (desk)', async () => {
    const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const { page, errors } = await onTheDay(context);
    await page.goto(server.url);
    await poll(() => cardTitles(page, '[data-testid="memory-strip"]')).toEqual(['On this day', 'On this day', 'Porto and Lisbon, May 2024']);
    // the timeline is still there, under the strip
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'memories-desk-strip.png');

    await page.locator('[data-testid="memory-strip"] [data-kind="trip"]').click();
    await page.waitForURL(/\/memories\/[0-9a-f-]{36}$/);
    await poll(() => page.locator('.memory-head h1').textContent()).toBe('Porto and Lisbon, May 2024');
    await poll(() => page.getByTestId('memory-items').locator('[data-testid="photo-tile"]').count()).toBe(3);
    await poll(() => page.locator('.memory-head .muted').textContent()).toBe('3 days · 3 items');
    // shared by link straight from the memory: a link to its three items
    await page.getByTestId('memory-share').click();
    await page.getByTestId('create-link').click();
    await poll(async () => (await json(`${server.url}/api/shared-links`)).body.items?.length ?? 0).toBe(1);
    const link = (await json(`${server.url}/api/shared-links`)).body.items[0];
    expect((await json(`${server.url}/api/s/${link.token}/photos`, { anonymous: true })).body.total).toBe(3);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Save as album' }).click();
    await page.waitForURL(/\/albums\/[0-9a-f-]{36}$/);
    await poll(() => page.locator('h1').first().textContent()).toContain('Porto and Lisbon, May 2024');

    await page.goto(`${server.url}/memories`);
    await poll(() => cardTitles(page, '[data-testid="memory-grid"]')).toEqual(['On this day', 'On this day', 'Porto and Lisbon, May 2024']);
    await expect(page.getByTestId('memory-home').textContent()).resolves.toMatch(/around 45\.7\d+, 4\.8\d+/);
    // a kind turned off, and on again
    await page.getByLabel('Trips').uncheck();
    await poll(() => cardTitles(page, '[data-testid="memory-grid"]')).toEqual(['On this day', 'On this day']);
    await page.getByLabel('Trips').check();
    await poll(() => cardTitles(page, '[data-testid="memory-grid"]')).toEqual(['On this day', 'On this day', 'Porto and Lisbon, May 2024']);
    // one hidden from its page, then shown again
    await page.locator('[data-testid="memory-grid"] [data-kind="on-this-day"]').first().click();
    await poll(() => page.locator('.memory-head .muted').textContent()).toBe('15 June 2024 · 2 years ago');
    await page.getByRole('button', { name: 'Hide this memory' }).click();
    await page.waitForURL((url) => url.pathname === '/memories');
    await poll(() => cardTitles(page, '[data-testid="memory-grid"]')).toEqual(['On this day', 'Porto and Lisbon, May 2024']);
    await page.getByRole('button', { name: 'Show hidden memories again' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('1 hidden memory will show again.');
    await poll(() => cardTitles(page, '[data-testid="memory-grid"]')).toEqual(['On this day', 'On this day', 'Porto and Lisbon, May 2024']);
    await screenshot(page, 'memories-desk-page.png');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a phone: the strip swipes sideways, the cards fill the width', async () => {
    const context = await signedInContext(browser, server, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'light' });
    const { page, errors } = await onTheDay(context);
    await page.goto(server.url);
    await poll(() => page.locator('[data-testid="memory-strip"] [data-testid="memory-card"]').count()).toBe(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const tops = await page
      .locator('[data-testid="memory-strip"] [data-testid="memory-card"]')
      .evaluateAll((nodes) => nodes.map((n) => Math.round(n.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    await screenshot(page, 'memories-phone-strip.png');
    await page.goto(`${server.url}/memories`);
    await poll(() => page.locator('[data-testid="memory-grid"] [data-testid="memory-card"]').count()).toBe(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'memories-phone-page.png');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sets home by a town typed in another language, by a click on the map, and learns it again', async () => {
    const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const { page, errors } = await onTheDay(context);
    const home = async () => (await json(`${server.url}/api/memories/settings`)).body.home as { latitude: number; longitude: number } | null;
    await page.goto(`${server.url}/memories`);
    await poll(() => page.getByTestId('memory-home').textContent()).toMatch(/around 45\.7\d+, 4\.8\d+/);
    // before: only coordinates could be typed. Lisbon as Germans write it, picked from the towns offered
    await page.getByTestId('home-town').fill('Lissab');
    await poll(() => page.getByTestId('home-towns').getByRole('option').first().textContent()).toBe('Lisbon (Lissabon), Portugal');
    await page.getByTestId('home-town').press('Enter');
    await poll(() => page.getByTestId('memory-home').textContent()).toMatch(/^Home is set to 38\.71\d+, -9\.13\d+\./);
    expect(await home()).toEqual({ latitude: 38.7167, longitude: -9.1333 });
    await screenshot(page, 'memories-home-town.png');
    // on the map, opened at home: a click east of it
    await page.getByTestId('home-on-map').click();
    await poll(() => page.getByRole('dialog').getByRole('heading').textContent()).toBe('Where is home?');
    const picker = page.getByTestId('location-map');
    await poll(() => picker.locator('canvas').count()).toBeGreaterThan(0);
    const box = (await picker.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 150, box.y + box.height / 2);
    await page.getByRole('button', { name: 'Save location' }).click();
    await poll(() => page.getByRole('dialog').count()).toBe(0);
    await poll(async () => (await home())?.longitude ?? -180).toBeGreaterThan(-8);
    const picked = (await home())!;
    expect(Math.abs(picked.latitude - 38.72)).toBeLessThan(0.5);
    expect(picked.longitude).toBeLessThan(-3);
    await poll(() => page.getByTestId('memory-home').textContent()).toContain(`Home is set to ${picked.latitude.toFixed(4)}, ${picked.longitude.toFixed(4)}.`);
    await page.getByRole('button', { name: 'Learn home again' }).click();
    await poll(() => page.getByTestId('memory-home').textContent()).toMatch(/around 45\.7\d+, 4\.8\d+/);
    expect(await home()).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });
});
