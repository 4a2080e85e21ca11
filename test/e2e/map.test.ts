// The map in a real browser against a real server: corpus photos with GPS positions written by ExifTool (two in
// Lisbon, one in Porto, one in Tokyo, one without a position), drawn over the built-in world map at desk and phone
// sizes with no request to any host but Shoebox's; a cluster zooms in, an item opens, the filters apply, and the
// items in view are listed beside the map (under it on a phone).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { halfWaterTile, rasterPmtiles, vectorPmtiles } from '../helpers/pmtiles.js';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const PLACES: { name: string; source: string; at: [number, number] | null }[] = [
  { name: 'lisbon-fir.jpg', source: 'silver_fir.jpg', at: [38.7223, -9.1393] },
  { name: 'lisbon-rocks.jpg', source: 'el_torcal_rocks.jpg', at: [38.7139, -9.1334] },
  { name: 'porto-anemones.jpg', source: 'wood_anemones.jpg', at: [41.1579, -8.6291] },
  { name: 'tokyo-falcon.jpg', source: 'prairie_falcon.jpg', at: [35.6895, 139.6917] },
  { name: 'home-cyclamen.jpg', source: 'cyclamen_persicum.jpg', at: null },
];

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: the map', () => {
  let server: TestServer;
  const idOf = new Map<string, string>();

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    const dir = tempDir();
    const exiftool = new ExifTool();
    try {
      for (const place of PLACES) {
        const file = path.join(dir, place.name);
        fs.copyFileSync(path.join(assets, 'albums', 'nature', place.source), file);
        if (place.at) await exiftool.write(file, { GPSLatitude: place.at[0], GPSLongitude: place.at[1] }, { writeArgs: ['-overwrite_original'] });
      }
    } finally {
      await exiftool.end();
    }
    const { body } = await upload(
      server.url,
      PLACES.map((place) => ({ path: path.join(dir, place.name) })),
    );
    body.items.forEach((item: { id: string; filename: string }) => idOf.set(item.filename, item.id));
    await waitForTerminal(server.url, [...idOf.values()], 240_000);
    await json(`${server.url}/api/photos/${idOf.get('tokyo-falcon.jpg')}`, { method: 'PATCH', json: { favorite: true } });
  }, 300_000);

  afterAll(async () => {
    await server?.dispose();
  });

  /** Every request the page makes, to check that none leaves for another host. */
  function recordRequests(page: Page): string[] {
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    return urls;
  }
  const foreign = (urls: string[]) => urls.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:'));
  /** Pixels of the built-in map's canvas in a city dot's white (nothing else it draws is white), once it has drawn the land. */
  const whitePixels = async (page: Page) => {
    const count = () =>
      page.evaluate(() => {
        let painted = 0;
        let white = 0;
        for (const canvas of document.querySelectorAll<HTMLCanvasElement>('.leaflet-basemap-pane canvas')) {
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] === 255) painted++;
            if (data[i] === 255 && data[i + 1] === 255 && data[i + 2] === 255 && data[i + 3] === 255) white++;
          }
        }
        return { painted, white };
      });
    await poll(async () => (await count()).painted).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a frame for the rest of the layers
    return (await count()).white;
  };
  const markers = (page: Page) => page.locator('.map-cluster');
  const counts = async (page: Page) =>
    (await markers(page).evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-count'))))).sort((a, b) => a - b);

  it('draws the world with clusters and lists the items in view, asking nothing of any other host (desk)', async () => {
    const context: BrowserContext = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const { page, errors } = await openPage(context);
    const urls = recordRequests(page);
    await page.goto(`${server.url}/map?at=30,40,2`);
    // the world: Lisbon and Porto together, Tokyo apart; the photo without a position nowhere
    await poll(() => counts(page)).toEqual([1, 3]);
    await poll(() => page.getByTestId('map-list').locator('h1').textContent()).toBe('4 items in view');
    await expect(page.getByTestId('map-items').locator('[data-testid="photo-tile"]').count()).resolves.toBe(4);
    // the built-in map is drawn: the countries on a canvas in its own pane, from Shoebox's own basemap
    await poll(() => page.locator('.leaflet-basemap-pane canvas').count()).toBeGreaterThan(0);
    expect(urls.some((url) => url.includes('/api/map/basemap?detail=110m'))).toBe(true);
    // and no capital at world zoom: a bare dot reads as a photo (an empty map showed ~200 of them, each a white dot)
    expect(await whitePixels(page)).toBe(0);
    await screenshot(page, 'map-desk-world.png');

    // a cluster zooms in until its items come apart
    await page.locator('.map-cluster[data-count="3"]').click();
    await poll(() => counts(page), { timeout: 30_000 }).toEqual([1, 2]);
    const zoom = Number(new URL(page.url()).searchParams.get('at')!.split(',')[2]);
    expect(zoom).toBeGreaterThan(4);
    await poll(() => page.getByTestId('map-list').locator('h1').textContent()).toBe('3 items in view');
    // closer in, the capitals are named (Lisbon) from the 1:50m map
    await poll(() => page.locator('.map-city', { hasText: 'Lisbon' }).isVisible()).toBe(true);
    expect(await whitePixels(page)).toBeGreaterThan(0); // the named capitals' dots
    expect(urls.some((url) => url.includes('/api/map/basemap?detail=50m'))).toBe(true);
    await screenshot(page, 'map-desk-portugal.png');

    // an item opens its photo page; Back returns to the same view
    const at = new URL(page.url()).searchParams.get('at');
    await page.locator(`.map-cluster[data-photo-id="${idOf.get('porto-anemones.jpg')}"]`).click();
    await page.waitForURL(`**/photos/${idOf.get('porto-anemones.jpg')}`);
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/map');
    expect(new URL(page.url()).searchParams.get('at')).toBe(at);
    await poll(() => counts(page)).toEqual([1, 2]);

    // the filters apply: the favourites alone (Tokyo), then videos (none)
    await page.goto(`${server.url}/map?at=30,40,2`);
    await poll(() => counts(page)).toEqual([1, 3]);
    await page.getByLabel('Favourites').check();
    await poll(() => counts(page)).toEqual([1]);
    expect(await markers(page).first().getAttribute('data-photo-id')).toBe(idOf.get('tokyo-falcon.jpg'));
    await poll(() => page.getByTestId('map-list').locator('h1').textContent()).toBe('1 item in view');
    await page.getByLabel('Kind of item').selectOption('video');
    await poll(() => counts(page)).toEqual([]);
    await poll(() => page.getByTestId('map-list').locator('h1').textContent()).toBe('Nothing here');
    expect(new URL(page.url()).searchParams.get('favorite')).toBe('true');
    expect(new URL(page.url()).searchParams.get('type')).toBe('video');

    expect(foreign(urls)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sets the location of an item on its page, and of a selection from the timeline, by picking it on the map', async () => {
    const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const { page, errors } = await openPage(context);
    const urls = recordRequests(page);
    const home = idOf.get('home-cyclamen.jpg')!;
    await page.goto(`${server.url}/photos/${home}`);
    await page.getByTestId('set-location').click();
    const picker = page.getByTestId('location-map');
    await poll(() => picker.locator('canvas').count()).toBeGreaterThan(0);
    // the picker opens on the world (25° N, 10° E at its centre): its centre is picked
    const box = (await picker.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await poll(() => page.getByTestId('location-picked').textContent()).toMatch(/^2[45]\.\d+, (9|10)\.\d+$/);
    await page.getByRole('button', { name: 'Save location' }).click();
    await poll(() => page.getByTestId('photo-status').textContent()).toBe('Location saved.');
    await poll(() => page.getByTestId('location-small-map').isVisible()).toBe(true);
    const placed = (await json(`${server.url}/api/photos/${home}`)).body.metadata;
    expect(Math.abs(placed.latitude - 25)).toBeLessThan(1);
    expect(Math.abs(placed.longitude - 10)).toBeLessThan(1);
    await screenshot(page, 'map-photo-location.png');
    // removed again from the same picker
    await page.getByTestId('set-location').click();
    await page.getByRole('button', { name: 'Remove location' }).click();
    await poll(() => page.getByTestId('photo-status').textContent()).toBe('Location removed.');
    expect((await json(`${server.url}/api/photos/${home}`)).body.metadata.latitude).toBeNull();

    // a selection of two, from the timeline
    await page.goto(server.url);
    for (const name of ['home-cyclamen.jpg', 'tokyo-falcon.jpg']) {
      const tile = page.locator(`.tile-cell:has([data-photo-id="${idOf.get(name)}"])`);
      await tile.hover();
      await tile.getByTestId('tile-check').click();
    }
    await page.getByTestId('bulk-location').click();
    await poll(() => page.getByTestId('location-map').locator('canvas').count()).toBeGreaterThan(0);
    const bulkBox = (await page.getByTestId('location-map').boundingBox())!;
    await page.mouse.click(bulkBox.x + bulkBox.width / 2, bulkBox.y + bulkBox.height / 2);
    await page.getByRole('button', { name: 'Save location' }).click();
    await poll(() => page.getByTestId('toast').textContent()).toContain('Placed 2 photos on the map.');
    for (const name of ['home-cyclamen.jpg', 'tokyo-falcon.jpg']) {
      const metadata = (await json(`${server.url}/api/photos/${idOf.get(name)}`)).body.metadata;
      expect(Math.abs(metadata.latitude - 25), name).toBeLessThan(1);
    }
    // put back where the other tests expect them
    await json(`${server.url}/api/photos`, { method: 'PATCH', json: { ids: [home], location: null } });
    await json(`${server.url}/api/photos`, {
      method: 'PATCH',
      json: { ids: [idOf.get('tokyo-falcon.jpg')], location: { latitude: 35.6895, longitude: 139.6917 } },
    });
    expect(foreign(urls)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws the tiles of a tile server an admin named, and of PMTiles files Shoebox serves (images, vector tiles chosen on the account page), asking nothing else', async () => {
    const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 90, g: 170, b: 90 } } })
      .png()
      .toBuffer();
    const asked: string[] = [];
    const tiles = http.createServer((request, response) => {
      asked.push(request.url!);
      response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
    const tileOrigin = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}`;
    try {
      expect(
        (await json(`${server.url}/api/admin/map`, { method: 'PUT', json: { tileUrl: `${tileOrigin}/{z}/{x}/{y}.png`, attribution: 'Test tiles' } })).status,
      ).toBe(200);
      const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
      const { page, errors } = await openPage(context);
      const urls = recordRequests(page);
      await page.goto(`${server.url}/map?at=38.7181,-9.1363,12`);
      await poll(() => page.locator('.leaflet-tiles-pane img.leaflet-tile-loaded').count()).toBeGreaterThan(3);
      expect(asked.some((url) => /^\/12\/\d+\/\d+\.png$/.test(url))).toBe(true);
      await poll(() => page.locator('.leaflet-control-attribution').textContent()).toContain('Test tiles');
      // the tile server is the only other host asked
      expect(foreign(urls).filter((url) => !url.startsWith(tileOrigin))).toEqual([]);
      expect(errors).toEqual([]);

      // a PMTiles file instead: read by ranges from Shoebox, drawn, and the tile server asked no more
      const archive = await rasterPmtiles();
      fs.mkdirSync(path.join(server.dataDir, 'maps'), { recursive: true });
      fs.writeFileSync(path.join(server.dataDir, 'maps', 'test.pmtiles'), archive.bytes);
      expect((await json(`${server.url}/api/admin/map`, { method: 'PUT', json: { pmtiles: 'test.pmtiles' } })).status).toBe(200);
      const ranges: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/api/map/pmtiles/')) ranges.push(request.headers().range ?? '');
      });
      const before = asked.length;
      await page.goto(`${server.url}/map?at=20,0,1`);
      await poll(() => page.locator('.leaflet-tiles-pane .leaflet-tile-loaded').count()).toBeGreaterThan(0);
      expect(ranges.length).toBeGreaterThan(0);
      expect(ranges.every((range) => /^bytes=\d+-\d+$/.test(range))).toBe(true);
      expect(asked.length).toBe(before);
      expect(foreign(urls).filter((url) => !url.startsWith(tileOrigin))).toEqual([]);
      await screenshot(page, 'map-desk-pmtiles.png');

      // a PMTiles file of vector tiles (a Protomaps basemap), chosen by the admin on the account page: painted in the
      // browser with the basemap's style (water over the west half of each tile, land east), from Shoebox alone
      fs.writeFileSync(path.join(server.dataDir, 'maps', 'protomaps.pmtiles'), vectorPmtiles().bytes);
      await page.goto(`${server.url}/account`);
      const admin = page.getByTestId('map-admin');
      await poll(() => admin.getByTestId('map-admin-source').textContent()).toContain('the PMTiles file test.pmtiles (images)');
      await admin.getByLabel(/PMTiles file/).selectOption('protomaps.pmtiles');
      await admin.getByLabel(/Credit/).fill('© OpenStreetMap');
      await admin.getByRole('button', { name: 'Save map' }).click();
      await poll(() => admin.getByRole('status').textContent()).toContain('the PMTiles file protomaps.pmtiles (vector tiles, drawn in the browser)');
      ranges.length = 0;
      await page.goto(`${server.url}/map?at=20,0,1`);
      // protomaps-leaflet paints each tile on a canvas of its own in the tiles pane: the world's west half water, its east
      // land (the file's zoom-0 tile, drawn at the map's zoom); the colours at the centre of each painted tile, read back
      const colours = () =>
        page.evaluate(() =>
          [...document.querySelectorAll<HTMLCanvasElement>('.leaflet-tiles-pane canvas.leaflet-tile-loaded')]
            .filter((canvas) => canvas.width > 0)
            .map((canvas) =>
              [
                ...canvas
                  .getContext('2d')!
                  .getImageData(canvas.width / 2, canvas.height / 2, 1, 1)
                  .data.slice(0, 3),
              ].join(','),
            )
            .filter((colour, i, all) => all.indexOf(colour) === i)
            .sort(),
        );
      await poll(colours, { timeout: 20_000 }).toEqual(['128,222,234', '226,223,218']); // Protomaps' light water and earth
      expect(ranges.length).toBeGreaterThan(0);
      expect(ranges.every((range) => /^bytes=\d+-\d+$/.test(range))).toBe(true);
      await poll(() => page.locator('.leaflet-control-attribution').textContent()).toContain('© OpenStreetMap');
      expect(asked.length).toBe(before);
      expect(foreign(urls).filter((url) => !url.startsWith(tileOrigin))).toEqual([]);
      await screenshot(page, 'map-desk-vector-pmtiles.png');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await json(`${server.url}/api/admin/map`, { method: 'PUT', json: { pmtiles: null, tileUrl: null, attribution: null } });
      await new Promise((resolve) => tiles.close(resolve));
    }
  });

  it("draws a MapLibre style an admin named (WebGL), its tiles from the style's host alone, and says when a style asks another host", async () => {
    // a style server as OpenFreeMap's or a tileserver-gl's: the style JSON and its vector tiles, answering any page (CORS)
    const asked: string[] = [];
    const styles = http.createServer((request, response) => {
      asked.push(request.url!);
      const origin = `http://${request.headers.host}`;
      const headers = { 'access-control-allow-origin': '*' };
      const style = (tilesOrigin: string) => ({
        version: 8,
        sources: { demo: { type: 'vector', tiles: [`${tilesOrigin}/tiles/{z}/{x}/{y}.pbf`], maxzoom: 0 } },
        layers: [
          { id: 'land', type: 'background', paint: { 'background-color': '#f0d8a0' } },
          { id: 'sea', type: 'fill', source: 'demo', 'source-layer': 'water', paint: { 'fill-color': '#2040ff' } },
        ],
      });
      if (request.url === '/style.json') return response.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(style(origin)));
      // its tiles on another host (localhost is not 127.0.0.1 to a browser): refused by the web app's policy
      if (request.url === '/elsewhere.json') {
        return response.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(style(origin.replace('127.0.0.1', 'localhost'))));
      }
      if (request.url?.startsWith('/tiles/')) return response.writeHead(200, { ...headers, 'content-type': 'application/x-protobuf' }).end(halfWaterTile());
      response.writeHead(404, headers).end();
    });
    await new Promise<void>((resolve) => styles.listen(0, '127.0.0.1', resolve));
    const styleOrigin = `http://127.0.0.1:${(styles.address() as AddressInfo).port}`;
    try {
      const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
      const { page, errors } = await openPage(context, { allowConsole: [/Content Security Policy/, /Failed to fetch/] });
      const urls = recordRequests(page);
      // named on the account page, then the map opened from the menu: the page's policy is the one it loaded with, which
      // refuses the new host; the map page loads itself again once for it, and draws
      await page.goto(`${server.url}/account`);
      const admin = page.getByTestId('map-admin');
      await admin.getByLabel(/Map style/).fill(`${styleOrigin}/style.json`);
      await admin.getByLabel(/Credit/).fill('Test style');
      await admin.getByRole('button', { name: 'Save map' }).click();
      await poll(() => admin.getByRole('status').textContent()).toContain(`the map style from 127.0.0.1:${new URL(styleOrigin).port} (drawn with WebGL)`);
      const set = await json(`${server.url}/api/admin/map`);
      expect(set.body.source, JSON.stringify(set.body)).toEqual({
        kind: 'style',
        styleUrl: `${styleOrigin}/style.json`,
        attribution: 'Test style · Natural Earth · GeoNames',
        maxZoom: 18,
      });
      const loads: string[] = [];
      page.on('load', () => loads.push(page.url()));
      await page.getByRole('link', { name: 'Map', exact: true }).first().click();
      await page.waitForURL('**/map**');
      // the map drawn by WebGL: the style's sea over the west half of the world, its land east; the built-in map hidden
      const shares = async () => {
        const { data, info } = await sharp(await page.getByTestId('map').screenshot())
          .raw()
          .toBuffer({ resolveWithObject: true });
        let sea = 0;
        let land = 0;
        for (let i = 0; i < data.length; i += info.channels) {
          const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
          if (Math.abs(r - 0x20) < 12 && Math.abs(g - 0x40) < 12 && Math.abs(b - 0xff) < 12) sea++;
          if (Math.abs(r - 0xf0) < 12 && Math.abs(g - 0xd8) < 12 && Math.abs(b - 0xa0) < 12) land++;
        }
        const all = data.length / info.channels;
        return { sea: sea / all > 0.2, land: land / all > 0.2 };
      };
      await poll(shares, { timeout: 30_000 }).toEqual({ sea: true, land: true });
      expect(loads.filter((url) => url.includes('/map')).length, 'loaded again once for the new policy').toBe(1);
      expect(asked).toContain('/style.json');
      expect(asked.some((url) => url === '/tiles/0/0/0.pbf')).toBe(true);
      await poll(() => page.locator('.leaflet-control-attribution').textContent()).toContain('Test style');
      // the style's host is the only other one asked, and the policy names it for fetches and images alone
      expect(foreign(urls).filter((url) => !url.startsWith(styleOrigin))).toEqual([]);
      const policy = (await fetch(`${server.url}/map`)).headers.get('content-security-policy')!;
      expect(policy).toContain(`connect-src 'self' ${styleOrigin};`);
      expect(policy).toContain(`img-src 'self' data: blob: ${styleOrigin};`);
      await screenshot(page, 'map-desk-style.png');
      expect(errors.filter((error) => !/Content Security Policy|Failed to fetch/.test(error))).toEqual([]);

      // a style whose tiles are on another host: refused by the policy, and the page says which and why
      await json(`${server.url}/api/admin/map`, { method: 'PUT', json: { styleUrl: `${styleOrigin}/elsewhere.json` } });
      await page.goto(`${server.url}/map?at=20,0,1`);
      await poll(() => page.getByTestId('map-source-problem').textContent(), { timeout: 20_000 }).toBe(
        `The map style asks localhost:${new URL(styleOrigin).port} for part of the map; only its own host (127.0.0.1:${new URL(styleOrigin).port}) is allowed, so the map may be incomplete.`,
      );
      await context.close();
    } finally {
      await json(`${server.url}/api/admin/map`, { method: 'PUT', json: { styleUrl: null, attribution: null } });
      await new Promise((resolve) => styles.close(resolve));
    }
  });

  it("opens a place's page from a photo's details, with its items and the way to the map", async () => {
    const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const { page, errors } = await openPage(context);
    const porto = (await json(`${server.url}/api/photos/${idOf.get('porto-anemones.jpg')}`)).body.metadata.place;
    expect(porto.country).toBe('Portugal');
    await page.goto(`${server.url}/photos/${idOf.get('porto-anemones.jpg')}`);
    await page.getByTestId('place-link').filter({ hasText: 'Portugal' }).click();
    await page.waitForURL('**/places/Portugal');
    await poll(() => page.getByTestId('place-summary').textContent()).toBe('3 items taken here');
    await poll(() => page.locator('[data-testid="photo-tile"]').count()).toBe(3);
    // the map of that place alone
    await page.getByTestId('place-map').click();
    await page.waitForURL((url) => url.pathname === '/map' && url.searchParams.get('place') === 'Portugal');
    await poll(() => counts(page)).toEqual([3]);
    await page.getByRole('button', { name: 'Show every place, not only Portugal' }).click();
    await poll(() => counts(page)).toEqual([1, 3]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps the map on top and the items in a strip under it on a phone', async () => {
    const context = await signedInContext(browser, server, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'light' });
    const { page, errors } = await openPage(context);
    const urls = recordRequests(page);
    await page.goto(`${server.url}/map?at=38.7181,-9.1363,13`);
    await poll(() => counts(page)).toEqual([1, 1]);
    await poll(() => page.getByTestId('map-list').locator('h1').textContent()).toBe('2 items in view');
    const map = (await page.getByTestId('map').boundingBox())!;
    const list = (await page.getByTestId('map-items').boundingBox())!;
    expect(map.width).toBeGreaterThan(360);
    expect(map.height).toBeGreaterThan(300);
    expect(list.y).toBeGreaterThanOrEqual(map.y + map.height);
    // the strip scrolls sideways: its tiles sit in one row
    const tops = await page
      .getByTestId('map-items')
      .locator('[data-testid="photo-tile"]')
      .evaluateAll((nodes) => nodes.map((n) => Math.round(n.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    // the page itself does not scroll sideways
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'map-phone-lisbon.png');
    // a tap on an item opens it
    await page.locator(`.map-cluster[data-photo-id="${idOf.get('lisbon-fir.jpg')}"]`).tap();
    await page.waitForURL(`**/photos/${idOf.get('lisbon-fir.jpg')}`);
    expect(foreign(urls)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
