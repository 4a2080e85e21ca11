// Places through the real server: photos with GPS positions written into their files by ExifTool (a home area, two
// cities, both sides of the antimeridian, near both poles), then `bbox` and `near` on the photo list, the timeline
// and search, exact at their edges; the map's clusters per zoom; the built-in basemap; towns by name; another user sees none of it;
// the map's kept positions mended after each change (the photo changes log) as a fresh read would answer.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { rows } from '../../src/db/connection.js';
import { photosChangedBetween } from '../../src/library/photos/order-changes.js';
import { photos } from '../../src/db/schema.js';
import { metadataStep } from '../../src/pipeline/steps/metadata.js';
import { haversineKm } from '../../src/model/geo.js';
import { runStepOn } from '../helpers/run-step.js';
import { json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

/** Where each photo was taken (null: no GPS). */
const PLACES: Record<string, [number, number] | null> = {
  'edge.jpg': [10, 20],
  'lisbon.jpg': [38.7223, -9.1393],
  'porto.jpg': [41.1579, -8.6291],
  'fiji.jpg': [-17, 179.5],
  'samoa.jpg': [-17, -179.5],
  'pole-east.jpg': [89.9, 45],
  'pole-west.jpg': [89.9, -135],
  'south-pole.jpg': [-89.5, 0],
  'nowhere.jpg': null,
};

interface Item {
  id: string;
  filename: string;
}

describe('places: bbox, near and the map', () => {
  let server: TestServer;
  const idOf = new Map<string, string>();
  const position = new Map<string, { latitude: number; longitude: number }>();
  const get = async (route: string) => {
    const response = await json(`${server.url}${route}`);
    expect(response.status, `${route}: ${JSON.stringify(response.body)}`).toBe(200);
    return response.body;
  };
  const listed = async (query: string) => ((await get(`/api/photos?limit=100&${query}`)).items as Item[]).map((item) => item.filename).sort();

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    const dir = tempDir();
    const exiftool = new ExifTool();
    try {
      let hue = 0;
      for (const [name, place] of Object.entries(PLACES)) {
        const file = path.join(dir, name);
        hue += 37;
        // a distinct small photo each (no two are duplicates of each other)
        const pixels = Buffer.alloc(96 * 64 * 3, 0);
        for (let i = 0; i < pixels.length; i += 3) {
          const x = (i / 3) % 96;
          pixels[i] = (hue * 7 + x * 2) % 256;
          pixels[i + 1] = (hue * 3 + Math.floor(i / 288)) % 256;
          pixels[i + 2] = (x * hue) % 256;
        }
        await sharp(pixels, { raw: { width: 96, height: 64, channels: 3 } })
          .jpeg()
          .toFile(file);
        if (place) {
          const [lat, lng] = place;
          await exiftool.write(
            file,
            // signed: exiftool-vendored writes the N/S and E/W references from the signs
            { GPSLatitude: lat, GPSLongitude: lng },
            { writeArgs: ['-overwrite_original'] },
          );
        }
      }
    } finally {
      await exiftool.end();
    }
    const { body } = await upload(
      server.url,
      Object.keys(PLACES).map((name) => ({ path: path.join(dir, name) })),
    );
    body.items.forEach((item: Item) => idOf.set(item.filename, item.id));
    expect(idOf.size).toBe(Object.keys(PLACES).length);
    await waitForTerminal(server.url, [...idOf.values()], 240_000);
    for (const [name, id] of idOf) {
      const detail = await get(`/api/photos/${id}`);
      const { latitude, longitude } = detail.metadata;
      if (latitude !== null) position.set(name, { latitude, longitude });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('reads every position back from the files as written', () => {
    for (const [name, place] of Object.entries(PLACES)) {
      if (!place) {
        expect(position.has(name)).toBe(false);
        continue;
      }
      expect(position.get(name)!.latitude, name).toBeCloseTo(place[0], 4);
      expect(position.get(name)!.longitude, name).toBeCloseTo(place[1], 4);
    }
  });

  it('bbox keeps what is inside, its edges included, and crosses the antimeridian when west is east of east', async () => {
    expect(await listed('bbox=20,10,25,15')).toEqual(['edge.jpg']);
    expect(await listed('bbox=15,5,20,10')).toEqual(['edge.jpg']); // the far corner
    expect(await listed('bbox=20.000001,10,25,15')).toEqual([]);
    expect(await listed('bbox=15,5,20,9.999999')).toEqual([]);
    expect(await listed('bbox=-10,38,-8,42')).toEqual(['lisbon.jpg', 'porto.jpg']);
    // across the antimeridian: Fiji (179.5° E) and Samoa's side (179.5° W), not the rest of the world
    expect(await listed('bbox=179,-20,-179,-10')).toEqual(['fiji.jpg', 'samoa.jpg']);
    expect(await listed('bbox=-179,-20,179,-10')).toEqual([]);
    // the whole world, poles included; the photo without GPS never
    expect((await listed('bbox=-180,-90,180,90')).length).toBe(8);
    expect(await listed('bbox=-180,89,180,90')).toEqual(['pole-east.jpg', 'pole-west.jpg']);
  });

  it('near is a great-circle distance: exact at its edge, over the poles and across the antimeridian', async () => {
    const lisbon = position.get('lisbon.jpg')!;
    const toPorto = haversineKm(lisbon, position.get('porto.jpg')!);
    expect(toPorto).toBeGreaterThan(270);
    expect(toPorto).toBeLessThan(280);
    const near = (km: number) => listed(`near=${lisbon.latitude},${lisbon.longitude},${km}`);
    expect(await near(toPorto + 0.01)).toEqual(['lisbon.jpg', 'porto.jpg']);
    expect(await near(toPorto - 0.01)).toEqual(['lisbon.jpg']);
    // the two-part form with radiusKm, and its default of 10 km
    expect(await listed(`near=${lisbon.latitude},${lisbon.longitude}&radiusKm=${toPorto + 0.01}`)).toEqual(['lisbon.jpg', 'porto.jpg']);
    expect(await listed(`near=${lisbon.latitude + 0.05},${lisbon.longitude}`)).toEqual(['lisbon.jpg']);
    // 0.2° across the pole is ~22 km, though the two are 180° of longitude apart
    expect(await listed('near=89.9,45,25')).toEqual(['pole-east.jpg', 'pole-west.jpg']);
    expect(await listed('near=90,0,12')).toEqual(['pole-east.jpg', 'pole-west.jpg']);
    expect(await listed('near=-90,0,60')).toEqual(['south-pole.jpg']);
    // 1° of longitude at 17° S is ~106 km, across the antimeridian from either side
    expect(await listed('near=-17,179.5,110')).toEqual(['fiji.jpg', 'samoa.jpg']);
    expect(await listed('near=-17,-179.9,70')).toEqual(['fiji.jpg', 'samoa.jpg']); // 64 and 43 km
    expect(await listed('near=-17,-179.9,50')).toEqual(['samoa.jpg']);
  });

  it('the timeline and search take the same places', async () => {
    expect((await get('/api/timeline?bbox=179,-20,-179,-10')).total).toBe(2);
    expect((await get('/api/timeline?near=90,0,12')).total).toBe(2);
    // a place page's list: by the country's name or code, whole name, any case and accents
    expect(await listed('place=Portugal')).toEqual(['lisbon.jpg', 'porto.jpg']);
    expect(await listed('place=pt')).toEqual(['lisbon.jpg', 'porto.jpg']);
    expect(await listed('place=Portu')).toEqual([]);
    expect((await get('/api/map/points?zoom=0&place=portugal')).total).toBe(2);
    const hits = await get('/api/search?q=photos&bbox=-10,38,-8,42');
    expect(hits.items.map((hit: { photo: Item }) => hit.photo.filename).sort()).toEqual(['lisbon.jpg', 'porto.jpg']);
    const near = await get('/api/search?q=photos&near=-17,179.5,110');
    expect(near.items.map((hit: { photo: Item }) => hit.photo.filename).sort()).toEqual(['fiji.jpg', 'samoa.jpg']);
  });

  it('clusters the map per zoom: the world in a few, a city photo by photo', async () => {
    const world = await get('/api/map/points?zoom=0');
    expect(world.total).toBe(8);
    expect(world.clusters.reduce((sum: number, c: { count: number }) => sum + c.count, 0)).toBe(8);
    expect(world.clusters.length).toBeLessThan(8);
    const portugal = world.clusters.find(
      (c: { bbox: [number, number, number, number] }) => c.bbox[0] <= -9.1393 && c.bbox[2] >= -9.1393 && c.bbox[1] <= 38.7223 && c.bbox[3] >= 38.7223,
    );
    expect(portugal.count).toBeGreaterThanOrEqual(2); // Lisbon and Porto together, seen from afar
    const close = await get('/api/map/points?zoom=9&bbox=-10,38,-8,42');
    expect(close.total).toBe(2);
    expect(close.clusters).toHaveLength(2);
    const lisbon = close.clusters.find((c: { photoId: string }) => c.photoId === idOf.get('lisbon.jpg'));
    expect(lisbon).toMatchObject({ count: 1, latitude: position.get('lisbon.jpg')!.latitude, longitude: position.get('lisbon.jpg')!.longitude });
    expect(lisbon.bbox).toEqual([lisbon.longitude, lisbon.latitude, lisbon.longitude, lisbon.latitude]);
    // across the antimeridian the view holds both sides, each its own cluster
    const pacific = await get('/api/map/points?zoom=6&bbox=179,-20,-179,-10');
    expect(pacific.clusters.map((c: { photoId: string }) => c.photoId).sort()).toEqual([idOf.get('fiji.jpg'), idOf.get('samoa.jpg')].sort());
    // the pole's photos are drawn at the map's edge, not lost
    const arctic = await get('/api/map/points?zoom=3&bbox=-180,80,180,90');
    expect(arctic.total).toBe(2);
    // the timeline's filters apply
    await json(`${server.url}/api/photos/${idOf.get('porto.jpg')}`, { method: 'PATCH', json: { favorite: true } });
    const favourites = await get('/api/map/points?zoom=0&favorite=true');
    expect(favourites.clusters).toEqual([expect.objectContaining({ count: 1, photoId: idOf.get('porto.jpg') })]);
  });

  it('sets a location on one item or many, kept when the file is read again, and found by its town', async () => {
    const nowhere = idOf.get('nowhere.jpg')!;
    const set = await json(`${server.url}/api/photos/${nowhere}`, { method: 'PATCH', json: { location: { latitude: 38.7071, longitude: -9.1355 } } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    let detail = await get(`/api/photos/${nowhere}`);
    expect(detail.metadata).toMatchObject({ latitude: 38.7071, longitude: -9.1355 });
    expect(detail.metadata.place).toMatchObject({ country: 'Portugal', state: 'Lisbon', source: 'geocoded' });
    expect(await listed('bbox=-10,38,-8,42')).toEqual(['lisbon.jpg', 'nowhere.jpg', 'porto.jpg']);
    // the metadata step, run again on the file (which has no position), keeps the user's
    const [row] = await server.lib.db.select().from(photos).where(eq(photos.id, nowhere));
    expect((await runStepOn(server, metadataStep, row!)).status).toBe('done');
    detail = await get(`/api/photos/${nowhere}`);
    expect(detail.metadata).toMatchObject({ latitude: 38.7071, longitude: -9.1355 });
    expect(detail.metadata.place.state).toBe('Lisbon');
    // found by its town's name
    const hits = await get(`/api/search?q=${encodeURIComponent(detail.metadata.place.city)}&mode=keyword`);
    expect(hits.items.map((hit: { photo: Item }) => hit.photo.id)).toContain(nowhere);
    // many at once (the edge photo and the south pole's), then one removed
    const many = await json(`${server.url}/api/photos`, {
      method: 'PATCH',
      json: { ids: [idOf.get('edge.jpg'), idOf.get('south-pole.jpg')], location: { latitude: -17, longitude: 179.6 } },
    });
    expect(many.body).toEqual({ updated: 2 });
    expect(await listed('bbox=179,-20,-179,-10')).toEqual(['edge.jpg', 'fiji.jpg', 'samoa.jpg', 'south-pole.jpg']);
    expect((await json(`${server.url}/api/photos/${idOf.get('edge.jpg')}`, { method: 'PATCH', json: { location: null } })).status).toBe(200);
    expect((await get(`/api/photos/${idOf.get('edge.jpg')}`)).metadata).toMatchObject({ latitude: null, longitude: null, place: null });
    expect(await listed('bbox=179,-20,-179,-10')).toEqual(['fiji.jpg', 'samoa.jpg', 'south-pole.jpg']);
    // the map follows at once
    expect((await get('/api/map/points?zoom=0')).total).toBe(8);
    // back where they were, for the other tests
    await json(`${server.url}/api/photos`, { method: 'PATCH', json: { ids: [idOf.get('edge.jpg')], location: { latitude: 10, longitude: 20 } } });
    await json(`${server.url}/api/photos`, { method: 'PATCH', json: { ids: [idOf.get('south-pole.jpg')], location: { latitude: -89.5, longitude: 0 } } });
    await json(`${server.url}/api/photos/${nowhere}`, { method: 'PATCH', json: { location: null } });
    for (const bad of [{ latitude: 91, longitude: 0 }, { latitude: 0, longitude: -180.5 }, { latitude: '1', longitude: 2 }, { latitude: 1 }]) {
      const refused = await json(`${server.url}/api/photos/${nowhere}`, { method: 'PATCH', json: { location: bad } });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('refuses places it cannot read, with the reason', async () => {
    const refused: [string, RegExp][] = [
      ['/api/photos?bbox=1,2,3', /minLng,minLat,maxLng,maxLat/],
      ['/api/photos?bbox=0,91,1,92', /latitudes must be within ±90/],
      ['/api/photos?bbox=-181,0,1,1', /longitudes must be within ±180/],
      ['/api/photos?bbox=0,10,1,5', /minLat must not be above maxLat/],
      ['/api/timeline?bbox=a,b,c,d', /decimal degrees/],
      ['/api/photos?near=0,0,0', /radius must be more than 0/],
      ['/api/photos?near=95,0', /latitude must be within ±90/],
      ['/api/photos?near=0,0&radiusKm=-1', /radiusKm/],
      ['/api/search?q=x&near=1,2,3,4', /latitude,longitude/],
      ['/api/map/points?zoom=23', /zoom/],
      ['/api/map/points?bbox=%00', /bbox/],
    ];
    for (const [route, reason] of refused) {
      const response = await json(`${server.url}${route}`);
      expect(response.status, route).toBe(400);
      expect(JSON.stringify(response.body), route).toMatch(reason);
    }
  });

  it('serves the built-in world map itself, cached by its ETag', async () => {
    const response = await fetch(`${server.url}/api/map/basemap?detail=50m`, { headers: { 'x-api-key': server.apiKey } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const map = (await response.json()) as {
      topology: { type: string; objects: Record<string, unknown> };
      cities: { name: string; countryCode: string; latitude: number }[];
    };
    expect(map.topology.type).toBe('Topology');
    expect(Object.keys(map.topology.objects).sort()).toEqual(['countries', 'land']);
    expect(map.cities.length).toBeGreaterThan(200);
    expect(map.cities.find((city) => city.name === 'Lisbon')).toMatchObject({ countryCode: 'PT' });
    const again = await fetch(`${server.url}/api/map/basemap?detail=50m`, {
      headers: { 'x-api-key': server.apiKey, 'if-none-match': response.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect((await json(`${server.url}/api/map/basemap?detail=10m`)).status).toBe(400);
    expect((await fetch(`${server.url}/api/map/basemap`)).status).toBe(401);
  });

  it('finds towns by the start of a name, their other names too, to set home by: largest first, offline', async () => {
    const found = async (q: string) => (await json(`${server.url}/api/map/towns?${new URLSearchParams({ q })}`)).body.items;
    expect((await found('Lissab'))[0]).toEqual({
      name: 'Lisbon',
      matched: 'Lissabon',
      country: 'Portugal',
      countryCode: 'PT',
      latitude: 38.7167,
      longitude: -9.1333,
    });
    expect((await found('lisbonne'))[0]).toMatchObject({ name: 'Lisbon', matched: 'Lisbonne' });
    // its own name, unmatched by another; the largest Paris first
    expect((await found('Paris'))[0]).toMatchObject({ name: 'Paris', matched: null, countryCode: 'FR' });
    expect((await found('koln'))[0]).toMatchObject({ name: 'Köln', matched: null, countryCode: 'DE' });
    expect(await found('Zzqxv')).toEqual([]);
    for (const bad of ['', ' ', 'x'.repeat(101)]) expect((await json(`${server.url}/api/map/towns?q=${bad}`)).status, bad).toBe(400);
    expect((await json(`${server.url}/api/map/towns?q=Lis&limit=21`)).status).toBe(400);
    expect((await fetch(`${server.url}/api/map/towns?q=Lis`)).status).toBe(401);
  });

  it("another user's map and places are their own", async () => {
    const created = await json(`${server.url}/api/admin/users`, {
      method: 'POST',
      json: { name: 'Bob', email: 'bob@example.org', password: 'bob password 1' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: 'bob@example.org', password: 'bob password 1' }),
    });
    const cookie = /shoebox_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const asBob = async (route: string) => (await json(`${server.url}${route}`, { headers: { cookie } })).body;
    expect((await asBob('/api/map/points?zoom=0')).total).toBe(0);
    expect((await asBob('/api/photos?bbox=-180,-90,180,90')).total).toBe(0);
    expect((await fetch(`${server.url}/api/map/points`)).status).toBe(401);
  });

  it('mends its kept positions after each change, answering as a fresh read would', async () => {
    const db = server.lib.db;
    const owner = (
      await server.lib.db
        .select({ ownerId: photos.ownerId })
        .from(photos)
        .where(eq(photos.id, idOf.get('porto.jpg')!))
    )[0]!.ownerId;
    const mark = async () => Number((await rows<{ v: string }>(db, sql`select version::text as v from change_marks where name = 'photo_order'`))[0]!.v);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    // what the database holds, and what the map draws at a zoom where each of these photos is a point of its own
    const truth = async () =>
      (
        await rows<{ id: string; latitude: number; longitude: number }>(
          db,
          sql`select id::text as id, latitude, longitude from photos where owner_id = ${owner}::uuid and deleted_at is null and latitude is not null
              and id not in (select sm.photo_id from stack_members sm join stacks st on st.id = sm.stack_id where st.cover_id <> sm.photo_id)`,
        )
      ).sort(byId);
    const drawn = async () =>
      ((await get('/api/map/points?zoom=16')).clusters as { photoId: string; latitude: number; longitude: number; count: number }[])
        .map((c) => {
          expect(c.count).toBe(1);
          return { id: c.photoId, latitude: c.latitude, longitude: c.longitude };
        })
        .sort(byId);
    /** Makes a change, then: the log names `changed` (null: it cannot say), and the map draws what the database holds. */
    const after = async (change: () => Promise<unknown>, changed: string[] | null | ((logged: string[] | null) => void)) => {
      const before = await mark();
      await change();
      const logged = await photosChangedBetween(db, before, await mark());
      if (typeof changed === 'function') changed(logged);
      else expect(logged && [...logged].sort()).toEqual(changed && [...changed].sort());
      expect(await drawn()).toEqual(await truth());
    };
    expect(await drawn()).toEqual(await truth()); // kept from here on
    expect((await truth()).length).toBe(8);

    const porto = idOf.get('porto.jpg')!;
    await after(() => json(`${server.url}/api/photos/${porto}`, { method: 'PATCH', json: { location: { latitude: 41.5, longitude: -8.4 } } }), [porto]);
    expect((await drawn()).find((p) => p.id === porto)).toEqual({ id: porto, latitude: 41.5, longitude: -8.4 });
    const lisbon = idOf.get('lisbon.jpg')!;
    await after(() => json(`${server.url}/api/photos/${lisbon}`, { method: 'DELETE' }), [lisbon]);
    expect((await drawn()).map((p) => p.id)).not.toContain(lisbon);
    await after(() => json(`${server.url}/api/trash/restore`, { method: 'POST', json: { ids: [lisbon] } }), [lisbon]);
    expect((await drawn()).map((p) => p.id)).toContain(lisbon);

    // a photo arriving (no position yet: not drawn), then placed, then deleted for good
    let added = '';
    const pixels = Buffer.alloc(40 * 30 * 3, 0).map((_, i) => (i * 29) % 251);
    await after(
      async () => {
        const { body } = await upload(server.url, [
          {
            name: 'arrival.jpg',
            data: await sharp(pixels, { raw: { width: 40, height: 30, channels: 3 } })
              .jpeg()
              .toBuffer(),
          },
        ]);
        added = body.items[0].id;
        await waitForTerminal(server.url, [added], 120_000);
      },
      (logged) => expect(logged).toEqual([added]),
    ); // its arrival, and its steps' edits of the same photo
    await after(() => json(`${server.url}/api/photos/${added}`, { method: 'PATCH', json: { location: { latitude: 48.85, longitude: 2.35 } } }), [added]);
    expect((await drawn()).map((p) => p.id)).toContain(added);
    await after(() => json(`${server.url}/api/photos/${added}?force=true`, { method: 'DELETE' }), [added]);
    expect((await drawn()).map((p) => p.id)).not.toContain(added);

    // stacked: the map shows the cover alone; unstacked: both again (each a change of both photos)
    let stackId = '';
    await after(async () => {
      const made = await json(`${server.url}/api/stacks`, { method: 'POST', json: { photoIds: [porto, lisbon] } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      stackId = made.body.id;
    }, [porto, lisbon]);
    expect((await drawn()).filter((p) => p.id === porto || p.id === lisbon)).toHaveLength(1);
    await after(() => json(`${server.url}/api/stacks/${stackId}`, { method: 'DELETE' }), [porto, lisbon]);
    expect((await drawn()).filter((p) => p.id === porto || p.id === lisbon)).toHaveLength(2);

    // a bump for no one photo (a truncate): the log cannot say, the positions are read whole again
    await after(() => db.execute(sql`update change_marks set version = version + 1 where name = 'photo_order'`), null);
    // back where it was, for anything after
    await json(`${server.url}/api/photos/${porto}`, { method: 'PATCH', json: { location: { latitude: 41.1579, longitude: -8.6291 } } });
  }, 180_000);
});
