// The map's sources through the real server: the built-in world map by default; a tile server an admin names
// (allowed in the web app's image policy, nowhere else); a PMTiles file dropped into the data folder, served with
// byte ranges and read back tile by tile by the PMTiles reader itself; only admins change them.
import fs from 'node:fs';
import path from 'node:path';
import { FetchSource, PMTiles, bytesToHeader } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rasterPmtiles, vectorPmtiles } from '../helpers/pmtiles.js';
import { json, startTestServer, type TestServer, withoutFacesOrText } from '../helpers/server.js';

describe('map sources', () => {
  let server: TestServer;
  let archive: Awaited<ReturnType<typeof rasterPmtiles>>;
  const put = (body: object, headers: Record<string, string> = {}) => json(`${server.url}/api/admin/map`, { method: 'PUT', json: body, headers });

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    archive = await rasterPmtiles();
    fs.mkdirSync(path.join(server.dataDir, 'maps'), { recursive: true });
    fs.writeFileSync(path.join(server.dataDir, 'maps', 'world.pmtiles'), archive.bytes);
    fs.writeFileSync(path.join(server.dataDir, 'maps', 'fake.pmtiles'), 'not a map at all');
    // a real archive whose header names no tile type (0: unknown) the map could draw
    const untyped = Buffer.from(archive.bytes);
    untyped[99] = 0;
    fs.writeFileSync(path.join(server.dataDir, 'maps', 'untyped.pmtiles'), untyped);
    // the magic and version of one, cut short before its header ends
    fs.writeFileSync(path.join(server.dataDir, 'maps', 'short.pmtiles'), archive.bytes.subarray(0, 100));
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('draws the built-in world map alone by default, and lets the web app load images from nowhere else', async () => {
    expect((await json(`${server.url}/api/map/source`)).body).toEqual({ kind: 'builtin', attribution: 'Natural Earth · GeoNames' });
    const page = await fetch(`${server.url}/map`);
    expect(page.headers.get('content-security-policy')).toMatch(/img-src 'self' data: blob:;/);
  });

  it('takes a tile server an admin names, and allows its images in the web app alone', async () => {
    for (const [tileUrl, reason] of [
      ['ftp://tiles.example/{z}/{x}/{y}.png', /http/],
      ['https://tiles.example/{z}/{x}.png', /\{y\}/],
      ['https://tiles.example/{z}/{x}/{y}/{token}.png', /unknown placeholder/],
    ] as const) {
      const refused = await put({ tileUrl });
      expect(refused.status, tileUrl).toBe(400);
      expect(refused.body.message).toMatch(reason);
    }
    const set = await put({ tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png', attribution: '© the test tiles', maxZoom: 12 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.source).toEqual({
      kind: 'tiles',
      tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png',
      attribution: '© the test tiles · Natural Earth · GeoNames',
      maxZoom: 12,
    });
    expect((await json(`${server.url}/api/map/source`)).body.kind).toBe('tiles');
    const page = await fetch(`${server.url}/map`);
    expect(page.headers.get('content-security-policy')).toMatch(/img-src 'self' data: blob: http:\/\/127\.0\.0\.1:9;/);
    // the API's answers still run and load nothing
    expect((await fetch(`${server.url}/api/health`)).headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
    expect((await put({ tileUrl: null })).body.source.kind).toBe('builtin');
  });

  it('takes a map style an admin names: its host allowed for fetches and images in the web app, over a tile server', async () => {
    for (const [styleUrl, reason] of [
      ['file:///etc/style.json', /http/],
      ['https://', /not a URL/],
    ] as const) {
      const refused = await put({ styleUrl });
      expect(refused.status, styleUrl).toBe(400);
      expect(refused.body.message).toMatch(reason);
    }
    // what the test before left (a credit and a zoom) is put back to the defaults too
    const set = await put({
      styleUrl: 'https://maps.example.org/styles/liberty?key=k',
      tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png',
      attribution: null,
      maxZoom: 18,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.source).toEqual({
      kind: 'style',
      styleUrl: 'https://maps.example.org/styles/liberty?key=k',
      attribution: 'Natural Earth · GeoNames',
      maxZoom: 18,
    });
    const policy = (await fetch(`${server.url}/map`)).headers.get('content-security-policy')!;
    // the style's host, for its JSON, tiles, glyphs and sprites; the tile server it wins over is not allowed
    expect(policy).toContain("img-src 'self' data: blob: https://maps.example.org;");
    expect(policy).toContain("connect-src 'self' https://maps.example.org;");
    expect(policy).not.toContain('127.0.0.1:9');
    expect((await put({ styleUrl: null })).body.source.kind).toBe('tiles');
    expect((await fetch(`${server.url}/map`)).headers.get('content-security-policy')).toContain("connect-src 'self';");
    expect((await put({ tileUrl: null })).body.source.kind).toBe('builtin');
  });

  it('serves a PMTiles file from the data folder with byte ranges, as the PMTiles reader reads it', async () => {
    const view = (await json(`${server.url}/api/admin/map`)).body;
    expect(view.pmtilesFiles).toEqual([
      { name: 'fake.pmtiles', sizeBytes: 16 },
      { name: 'short.pmtiles', sizeBytes: 100 },
      { name: 'untyped.pmtiles', sizeBytes: archive.bytes.length },
      { name: 'world.pmtiles', sizeBytes: archive.bytes.length },
    ]);
    expect(view.problem).toBeNull();
    expect((await put({ pmtiles: 'fake.pmtiles' })).body.message).toMatch(/not a PMTiles version 3 archive/);
    expect((await put({ pmtiles: 'short.pmtiles' })).body.message).toMatch(/not a PMTiles version 3 archive/);
    const untyped = await put({ pmtiles: 'untyped.pmtiles' });
    expect(untyped.status).toBe(400);
    expect(untyped.body.message).toMatch(/tiles of a type the map cannot draw \(0\)/);
    expect((await put({ pmtiles: 'missing.pmtiles' })).status).toBe(404);
    expect((await put({ pmtiles: 'sub/dir.pmtiles' })).status).toBe(400); // no folder, no way out of maps/
    const set = await put({ pmtiles: 'world.pmtiles', tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png' });
    expect(set.body.source).toMatchObject({ kind: 'pmtiles', pmtilesUrl: '/api/map/pmtiles/world.pmtiles', format: 'raster' });

    const url = `${server.url}/api/map/pmtiles/world.pmtiles`;
    const head = await fetch(url, { headers: { 'x-api-key': server.apiKey, range: 'bytes=0-126' } });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-126/${archive.bytes.length}`);
    const header = bytesToHeader(await head.arrayBuffer());
    expect(header).toMatchObject({ specVersion: 3, minZoom: 0, maxZoom: 1, numAddressedTiles: 5, tileType: 2 });
    const whole = await fetch(url, { headers: { 'x-api-key': server.apiKey } });
    expect(Buffer.from(await whole.arrayBuffer()).equals(archive.bytes)).toBe(true);
    expect((await fetch(url, { headers: { 'x-api-key': server.apiKey, range: `bytes=${archive.bytes.length + 10}-` } })).status).toBe(416);
    // the reader the web app uses, over the network, tile by tile
    const reader = new PMTiles(new FetchSource(url, new Headers({ 'x-api-key': server.apiKey })));
    for (const [zxy, png] of archive.tiles) {
      const [z, x, y] = zxy.split('/').map(Number) as [number, number, number];
      const tile = await reader.getZxy(z, x, y);
      expect(Buffer.from(tile!.data).equals(png), zxy).toBe(true);
    }
    for (const name of ['..%2Fsecrets.pmtiles', 'world.pmtiles.exe', 'missing.pmtiles']) {
      const refused = await fetch(`${server.url}/api/map/pmtiles/${name}`, { headers: { 'x-api-key': server.apiKey } });
      expect(refused.status, name).toBe(404);
    }
    // a NUL byte is refused before any route, with the reason
    expect((await fetch(`${server.url}/api/map/pmtiles/%00.pmtiles`, { headers: { 'x-api-key': server.apiKey } })).status).toBe(400);
    expect((await fetch(url)).status).toBe(401);
    expect((await put({ pmtiles: null, tileUrl: null })).body.source.kind).toBe('builtin');
  });

  it('draws a PMTiles file of vector tiles in the browser, and the tile server when the chosen file is gone', async () => {
    const vector = vectorPmtiles();
    const file = path.join(server.dataDir, 'maps', 'protomaps.pmtiles');
    fs.writeFileSync(file, vector.bytes);
    // over a style and a tile server: the file, served here, wins (and the page's policy names neither host)
    const set = await put({
      pmtiles: 'protomaps.pmtiles',
      styleUrl: 'https://maps.example.org/style.json',
      tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png',
      attribution: '© OpenStreetMap',
      maxZoom: 15,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.source).toEqual({
      kind: 'pmtiles',
      pmtilesUrl: '/api/map/pmtiles/protomaps.pmtiles',
      format: 'vector',
      attribution: '© OpenStreetMap · Natural Earth · GeoNames',
      maxZoom: 15,
    });
    const reader = new PMTiles(new FetchSource(`${server.url}/api/map/pmtiles/protomaps.pmtiles`, new Headers({ 'x-api-key': server.apiKey })));
    expect((await reader.getHeader()).tileType).toBe(1);
    const policy = (await fetch(`${server.url}/map`)).headers.get('content-security-policy')!;
    expect(policy).toContain("img-src 'self' data: blob:;");
    expect(policy).toContain("connect-src 'self';");
    expect(Buffer.from((await reader.getZxy(1, 1, 0))!.data).equals(vector.tiles.get('1/1/0')!)).toBe(true);
    // the file taken away: the map is not left blank, and the admin is told why
    fs.rmSync(file);
    expect((await json(`${server.url}/api/map/source`)).body).toMatchObject({ kind: 'style', styleUrl: 'https://maps.example.org/style.json' });
    let view = (await json(`${server.url}/api/admin/map`)).body;
    expect(view.pmtiles).toBe('protomaps.pmtiles');
    expect(view.problem).toBe("no map file protomaps.pmtiles in the data folder's maps/: the map draws the style instead");
    // the other settings still change while it is gone (the web form sends the file's name back)
    const changed = await put({ pmtiles: 'protomaps.pmtiles', styleUrl: null, attribution: '© OSM' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    view = changed.body;
    expect(view.attribution).toBe('© OSM');
    expect(view.source).toMatchObject({ kind: 'tiles', tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png' });
    expect(view.problem).toBe("no map file protomaps.pmtiles in the data folder's maps/: the map draws the tile server instead");
    expect((await fetch(`${server.url}/map`)).headers.get('content-security-policy')).toContain("img-src 'self' data: blob: http://127.0.0.1:9;");
    expect((await put({ pmtiles: null, tileUrl: null, attribution: null })).body.source.kind).toBe('builtin');
  });

  it('lets only admins change the map', async () => {
    expect(
      (await json(`${server.url}/api/admin/users`, { method: 'POST', json: { name: 'Bob', email: 'bob@example.org', password: 'bob password 1' } })).status,
    ).toBe(201);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: 'bob@example.org', password: 'bob password 1' }),
    });
    const cookie = /shoebox_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    expect((await put({ tileUrl: 'https://tiles.example/{z}/{x}/{y}.png' }, { cookie, origin: server.url })).status).toBe(403);
    expect((await json(`${server.url}/api/admin/map`, { headers: { cookie } })).status).toBe(403);
    expect((await json(`${server.url}/api/map/source`, { headers: { cookie } })).body.kind).toBe('builtin');
  });
});
