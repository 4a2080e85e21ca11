// What a person opens, measured at the API: a real Shoebox server in the cluster mode's API role (`serve
// --no-worker` on the loaded PostgreSQL and a Redis of its own), asked over HTTP with the largest owner's key, as
// the web app asks (web/src/client/*): the timeline and its first page, a jump to a year, the map of the world and
// of the home town, a person's photos, the big album, the duplicates review, memories, jobs and the people page.
import fs from 'node:fs';
import path from 'node:path';
import { readLocalApiKey } from '../../src/auth/local-key-file.js';
import { createLogger } from '../../src/base/logger.js';
import { loadSettings } from '../../src/config/settings.js';
import { startServer } from '../../src/api/server.js';
import { startRedisServer } from '../../test/helpers/redis-server.js';
import { PLACES } from '../search/words.js';
import { summary } from '../stats.js';

export interface PageFigure {
  name: string;
  n: number;
  p50: number;
  p95: number;
  /** The first request's time, when it does work the next ones reuse (memories are computed for the day). */
  firstMs: number;
}

interface Page {
  name: string;
  /** Paths to ask in turn (several: a different year, person or page each time). */
  paths: string[];
  /** Requests measured (the slow pages get fewer). */
  count?: number;
}

export interface PagePlan {
  url: string;
  workDir: string;
  count: number;
  /** The big album (its page and a page 5,000 deep); a library without albums leaves the page out. */
  bigAlbumId?: string;
  log: (line: string) => void;
}

/** Runs the server, measures every page, stops it; also gives the server process's RSS after the requests (MB). */
export async function measurePages(plan: PagePlan): Promise<{ pages: PageFigure[]; rssMb: number; startSeconds: number }> {
  const dataDir = path.join(plan.workDir, 'server');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const redis = await startRedisServer();
  const t0 = performance.now();
  const settings = loadSettings({ dataDir, databaseUrl: plan.url, redisUrl: redis.url, worker: false, port: 0, host: '127.0.0.1', logLevel: 'silent' }, {});
  const server = await startServer(settings, createLogger(settings.logLevel));
  const startSeconds = (performance.now() - t0) / 1000;
  try {
    const key = readLocalApiKey(dataDir);
    if (!key) throw new Error('the server wrote no API key');
    const pages = await measureServerPages(server.url, key, plan);
    return { pages, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20), startSeconds: Math.round(startSeconds * 10) / 10 };
  } finally {
    await server.close();
    await redis.stop();
  }
}

/**
 * Every page of a running server, asked with `key` (the owner's) in turn: the first request, then `plan.count` (fewer
 * for the slow ones). Engine-agnostic: the search benchmark asks an embedded server on its library (bench/search/pages.ts).
 */
export async function measureServerPages(url: string, key: string, plan: Pick<PagePlan, 'count' | 'bigAlbumId' | 'log'>): Promise<PageFigure[]> {
  const get = async (pathname: string) => {
    const response = await fetch(`${url}${pathname}`, { headers: { 'x-api-key': key } });
    const body = await response.text();
    if (!response.ok) throw new Error(`GET ${pathname}: ${response.status} ${body.slice(0, 300)}`);
    return JSON.parse(body) as unknown;
  };
  const pages = await pagesToAsk(get, plan);
  const figures: PageFigure[] = [];
  for (const page of pages) {
    const count = page.count ?? plan.count;
    const f0 = performance.now();
    await get(page.paths[0]!);
    const firstMs = Math.round((performance.now() - f0) * 10) / 10;
    const samples: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const s0 = performance.now();
      await get(page.paths[(i + 1) % page.paths.length]!);
      samples.push(performance.now() - s0);
    }
    const s = summary(samples);
    figures.push({ name: page.name, n: s.n, p50: s.p50Ms, p95: s.p95Ms, firstMs });
    plan.log(`  ${page.name}: p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms over ${s.n} (first ${firstMs} ms)`);
  }
  return figures;
}

/** The pages, with the ids and offsets they need read from the server itself. */
async function pagesToAsk(get: (pathname: string) => Promise<unknown>, plan: Pick<PagePlan, 'count' | 'bigAlbumId'>): Promise<Page[]> {
  const timeline = (await get('/api/timeline?groupBy=month')) as { buckets: { key: string; offset: number; count: number }[] };
  // a jump to a year: the offset of its first month, as the scrollbar's year marks give it
  const yearOffsets = new Map<string, number>();
  for (const bucket of timeline.buckets) if (!yearOffsets.has(bucket.key.slice(0, 4))) yearOffsets.set(bucket.key.slice(0, 4), bucket.offset);
  const people = (await get('/api/people?limit=500&page=1')) as { items: { id: string; faceCount?: number }[]; total: number };
  const personPages = Math.max(1, Math.ceil(people.total / 500));
  const persons = people.items.slice(0, 50).map((p) => p.id);
  const [home] = PLACES; // the largest owner's home town (rows.ts turns the places by the owner's index, 0 here)
  const city = `${home![5] - 0.15},${home![4] - 0.1},${home![5] + 0.15},${home![4] + 0.1}`;
  const groups = (await get('/api/duplicates?limit=50')) as { total: number };
  const groupPages = Math.max(1, Math.min(20, Math.ceil(groups.total / 50)));
  return [
    { name: 'timeline (month buckets)', paths: ['/api/timeline?groupBy=month'], count: Math.min(plan.count, 50) },
    { name: 'timeline (day buckets)', paths: ['/api/timeline?groupBy=day'], count: Math.min(plan.count, 50) },
    { name: 'timeline first page', paths: ['/api/photos?offset=0&limit=200'] },
    { name: 'timeline jump to a year', paths: [...yearOffsets.values()].map((offset) => `/api/photos?offset=${offset}&limit=200`) },
    { name: 'map, world', paths: ['/api/map/points?zoom=2'], count: Math.min(plan.count, 50) },
    { name: 'map, a city', paths: [`/api/map/points?zoom=12&bbox=${city}`] },
    { name: "a person's photos", paths: persons.map((id) => `/api/photos?person=${id}&limit=200`) },
    ...(plan.bigAlbumId
      ? [{ name: 'the big album', paths: [`/api/albums/${plan.bigAlbumId}?limit=200`, `/api/photos?album=${plan.bigAlbumId}&offset=5000&limit=200`] }]
      : []),
    { name: 'duplicates review', paths: Array.from({ length: groupPages }, (_, i) => `/api/duplicates?limit=50&page=${i + 1}`) },
    { name: 'memories', paths: ['/api/memories'] },
    { name: 'jobs', paths: ['/api/jobs'] },
    { name: 'people page', paths: Array.from({ length: personPages }, (_, i) => `/api/people?limit=500&page=${i + 1}`) },
  ];
}
