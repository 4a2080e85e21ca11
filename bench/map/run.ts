// The map at scale: a library of N geotagged items (100k by default) placed as a photographer's are — most around
// home, the rest over 87 real places, most photographed first — served by a real server. Times GET
// /api/map/points over HTTP for the world, a continent and a city view (the positions kept in memory), and the
// world view right after a change (read again), next to counting the same positions in SQL in the same run (the
// least any query over them reads), because this host's speed moves by ±30 %. Then the memories job on the same
// library (three runs).
//   node --import tsx bench/map/run.ts [--photos 100000] [--rounds 40]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { arg } from '../args.js';
import { round, summary } from '../stats.js';
import { rows } from '../../src/db/connection.js';
import { loadSettings } from '../../src/config/settings.js';
import { createLogger } from '../../src/base/logger.js';
import { libraryOwnerId } from '../../src/auth/users.js';
import { readLocalApiKey } from '../../src/auth/local-key-file.js';
import { startServer } from '../../src/api/server.js';
import { PLACES } from '../search/words.js';
import { forSystem } from '../../src/library/actors.js';
import { computeMemories } from '../../src/library/memories/compute.js';

const photosWanted = Number(arg('photos') ?? 100_000);
const rounds = Number(arg('rounds') ?? 40);
const log = (line: string) => console.log(line);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-map-'));
const settings = loadSettings({ dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent' }, {});
const server = await startServer(settings, createLogger('silent'));
const key = readLocalApiKey(dataDir)!;
const db = server.lib.db;

try {
  const owner = await libraryOwnerId(db);
  const t0 = performance.now();
  // a deterministic spread: 87 places, the first (home) most, each photo within ~5 km of its place, 15 years
  const places = sql.raw(
    `(values ${PLACES.map(([city, , country, code, lat, lng], i) => `(${i}, ${lat}, ${lng}, '${city.replace(/'/g, "''")}', '${country.replace(/'/g, "''")}', '${code}')`).join(', ')}) as pl(i, lat, lng, city, country, code)`,
  );
  await db.execute(sql`select setseed(0.42)`);
  await db.execute(sql`insert into photos (owner_id, sha256, filename, storage_key, mime, size_bytes, state, width, height, taken_at, taken_at_text,
      latitude, longitude, place_city, place_country, place_country_code, place_source, thumbnail_at)
    select ${owner}::uuid, md5(g::text) || md5((g + 1)::text), 'IMG_' || g || '.jpg', 'bench/' || g, 'image/jpeg', 3000000, 'completed', 4032, 3024,
      t, to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
      pl.lat + (random() - 0.5) * 0.09, pl.lng + (random() - 0.5) * 0.12, pl.city, pl.country, pl.code, 'geocoded', now()
    from (select g, floor(${PLACES.length} * power(random(), 3))::int as i,
                 timestamptz '2011-01-01' + random() * interval '15 years' as t
          from generate_series(1, ${photosWanted}) g) s
    join ${places} on pl.i = s.i`);
  await db.execute(sql`vacuum analyze photos`);
  const [{ n } = { n: 0 }] = await rows<{ n: number }>(db, sql`select count(*)::int as n from photos where latitude is not null`);
  log(`${n} geotagged items made in ${round((performance.now() - t0) / 1000, 1)} s`);

  const get = async (route: string) => {
    const response = await fetch(`${server.url}${route}`, { headers: { 'x-api-key': key } });
    if (response.status !== 200) throw new Error(`${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { total: number; clusters: unknown[] };
  };
  const [home] = PLACES;
  const views = {
    world: '/api/map/points?zoom=2&bbox=-180,-85,180,85',
    continent: '/api/map/points?zoom=5&bbox=-12,35,25,56',
    city: `/api/map/points?zoom=12&bbox=${home![5] - 0.1},${home![4] - 0.06},${home![5] + 0.1},${home![4] + 0.06}`,
  };
  // the reference: counting the same positions, the least any query over them reads
  const scan = () => rows(db, sql`select count(*) from photos where owner_id = ${owner}::uuid and deleted_at is null and latitude is not null`);
  // a change to the library (one photo moved) makes the next map request read the positions again
  const touch = (r: number) =>
    db.execute(sql`update photos set latitude = latitude + ${r % 2 === 0 ? 1e-7 : -1e-7}::float8 where id = (select id from photos order by id limit 1)`);
  const samples: Record<string, number[]> = { world: [], continent: [], city: [], worldAfterChange: [], scan: [] };
  const shapes: Record<string, { total: number; clusters: number }> = {};
  for (const [name, route] of Object.entries(views)) {
    const answer = await get(route); // warm
    shapes[name] = { total: answer.total, clusters: answer.clusters.length };
  }
  await scan();
  // interleaved, so that the host's drift hits every view alike
  for (let r = 0; r < rounds; r++) {
    for (const [name, route] of Object.entries(views)) {
      const t = performance.now();
      await get(route);
      samples[name]!.push(performance.now() - t);
    }
    let t = performance.now();
    await scan();
    samples.scan!.push(performance.now() - t);
    await touch(r);
    t = performance.now();
    await get(views.world);
    samples.worldAfterChange!.push(performance.now() - t);
  }
  // the memories job on the same library (on this day, trips away from the home town, no named people here)
  const lib = forSystem(server.lib, owner, 'benchmark');
  const memoryRuns: number[] = [];
  let run: Awaited<ReturnType<typeof computeMemories>> | null = null;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    run = await computeMemories(lib, '2025-06-15');
    memoryRuns.push(performance.now() - t);
  }
  const memories = { ...summary(memoryRuns), written: run!.written, home: run!.home };
  const result = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, { ...summary(values), ...shapes[name] }]));
  const scanP50 = result.scan!.p50Ms;
  log(
    JSON.stringify(
      {
        photos: n,
        rounds,
        ...result,
        memoriesJob: memories,
        ratioToScan: {
          world: round(result.world!.p50Ms / scanP50),
          city: round(result.city!.p50Ms / scanP50),
          worldAfterChange: round(result.worldAfterChange!.p50Ms / scanP50),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
