// Stacks in a real browser (Debian's Chromium) against a real server, at desk and phone sizes: a burst and a raw+JPEG
// pair are one tile each with their count; the tile opens the cover, whose page shows the other photos one tap away;
// the user makes another photo the cover and unstacks, and the gallery follows; photos are stacked again by hand.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ExifTool } from 'exiftool-vendored';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;
const ids: Record<string, string> = {};

/** Two stacks of the same kinds for each screen size, so that each size has its own to take apart. */
const files = (size: string) => [
  {
    name: `IMG_20240501_10000${size === 'desk' ? 0 : 5}_BURST001.jpg`,
    source: 'albums/nature/prairie_falcon.jpg',
    shift: 0,
    time: size === 'desk' ? '10:00:00' : '10:00:05',
  },
  {
    name: `IMG_20240501_10000${size === 'desk' ? 0 : 5}_BURST002.jpg`,
    source: 'albums/nature/prairie_falcon.jpg',
    shift: 0.01,
    time: size === 'desk' ? '10:00:01' : '10:00:06',
  },
  {
    name: `IMG_20240501_10000${size === 'desk' ? 0 : 5}_BURST003.jpg`,
    source: 'albums/nature/prairie_falcon.jpg',
    shift: 0.02,
    time: size === 'desk' ? '10:00:01' : '10:00:06',
  },
  {
    name: `DSC_${size === 'desk' ? '0001' : '0002'}.DNG`,
    source: 'albums/nature/tanners_ridge.jpg',
    shift: 0,
    time: size === 'desk' ? '11:00:00' : '11:30:00',
    tiff: true,
  },
  {
    name: `DSC_${size === 'desk' ? '0001' : '0002'}.JPG`,
    source: 'albums/nature/tanners_ridge.jpg',
    shift: 0,
    time: size === 'desk' ? '11:00:00' : '11:30:00',
  },
];

beforeAll(async () => {
  server = await startTestServer(withoutFacesOrText());
  const dir = tempDir();
  const exiftool = new ExifTool();
  const made: { path: string; name: string }[] = [];
  try {
    for (const size of ['desk', 'phone']) {
      for (const spec of files(size)) {
        const out = path.join(dir, spec.name);
        const image = sharp(path.join(assets, spec.source)).rotate();
        const { width, height } = await image.metadata();
        const framed = image.extract({ left: Math.round(width! * spec.shift), top: 0, width: Math.round(width! * 0.9), height: Math.round(height! * 0.9) });
        await fs.promises.writeFile(out, await (spec.tiff ? framed.tiff() : framed.jpeg({ quality: 90 })).toBuffer());
        await exiftool.write(out, { Make: 'Nikon', Model: 'Z 6', DateTimeOriginal: `2024:05:01 ${spec.time}` }, { writeArgs: ['-overwrite_original'] });
        made.push({ path: out, name: spec.name });
      }
    }
  } finally {
    await exiftool.end();
  }
  const uploaded = await upload(server.url, made);
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  for (const item of uploaded.body.items as { id: string; filename: string }[]) ids[item.filename] = item.id;
  await waitForTerminal(server.url, Object.values(ids), 300_000);
  browser = await launchBrowser();
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

for (const [size, viewport] of [
  ['desk', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  describe(`stacks on a ${size}`, () => {
    let context: BrowserContext;
    beforeAll(async () => {
      context = await signedInContext(browser, server, { viewport, ...(size === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
    });
    afterAll(async () => context?.close());

    it('shows a stack as one tile with its count, opens it, picks another cover and unstacks', async () => {
      const [burst1, burst2, , raw, jpeg] = files(size).map((f) => ids[f.name]!);
      const detail = (await json(`${server.url}/api/photos/${burst1}`)).body;
      expect(detail.stack, 'the burst is a stack').not.toBeNull();
      const stackId: string = detail.stack.id;
      const cover: string = detail.stack.coverId;
      const { page, errors } = await openPage(context);
      await page.goto(server.url);
      await page.waitForLoadState('networkidle');
      // the burst is one tile: its cover, with the count; the other frames are not in the grid
      const coverTile = page.locator(`[data-testid="photo-tile"][data-photo-id="${cover}"]`);
      await poll(() => coverTile.count()).toBe(1);
      expect(await coverTile.locator('[data-testid="tile-stack"]').innerText()).toContain('3');
      for (const id of [burst1, burst2].filter((id) => id !== cover))
        expect(await page.locator(`[data-testid="photo-tile"][data-photo-id="${id}"]`).count()).toBe(0);
      await screenshot(page, `shoebox-stacks-${size}.png`);

      // the tile opens the cover; its page lists the two other frames, one tap away
      await coverTile.click();
      await page.waitForURL(new RegExp(`/photos/${cover}`));
      const section = page.getByTestId('stack');
      await poll(() => section.locator('[data-testid="photo-tile"]').count()).toBe(2);
      expect(await section.innerText()).toContain('3 frames of one burst');
      const other = await section.locator('[data-testid="photo-tile"]').first().getAttribute('data-photo-id');
      await section.locator('[data-testid="photo-tile"]').first().click();
      await page.waitForURL(new RegExp(`/photos/${other}`));

      // make it the cover: the gallery's tile is now this frame
      await page.getByTestId('stack-cover').click();
      await poll(async () => (await json(`${server.url}/api/stacks/${stackId}`)).body.coverId).toBe(other);
      await poll(() => page.getByTestId('stack').innerText()).toContain('cover');
      expect((await json(`${server.url}/api/photos?limit=50`)).body.items.find((item: { id: string }) => item.id === other).stack.count).toBe(3);

      // unstack the raw pair from its page: both are tiles again
      await page.goto(`${server.url}/photos/${raw}`);
      await page.getByTestId('stack-unstack').click();
      await poll(async () => (await json(`${server.url}/api/photos/${raw}`)).body.stack).toBeNull();
      await page.goto(server.url);
      await page.waitForLoadState('networkidle');
      await poll(() => page.locator(`[data-testid="photo-tile"][data-photo-id="${jpeg}"]`).count()).toBe(1);
      await poll(() => page.locator(`[data-testid="photo-tile"][data-photo-id="${raw}"]`).count()).toBe(1);
      if (size === 'desk') {
        // and stack them again by hand, from the selection: one tile with its count
        for (const id of [raw, jpeg]) {
          await page.locator(`[data-photo-id="${id}"]`).hover();
          await page.locator(`.tile-cell:has([data-photo-id="${id}"]) [data-testid="tile-check"]`).click();
        }
        await page.getByTestId('bulk-stack').click();
        await poll(async () => (await json(`${server.url}/api/photos/${raw}`)).body.stack?.count ?? 0).toBe(2);
        await poll(() => page.locator(`[data-testid="photo-tile"][data-photo-id="${raw}"], [data-testid="photo-tile"][data-photo-id="${jpeg}"]`).count()).toBe(
          1,
        );
        expect(await page.locator('[data-testid="tile-stack"]').allInnerTexts()).toContainEqual(expect.stringContaining('2'));
      }
      expect(errors).toEqual([]);
    });
  });
}
