// Accounts at scale: a library of N photos (the search benchmark's generated library, 100k by default) shared
// out among 10 users, served by a real server. Measures sign-in and a session-checked gallery page over HTTP,
// and what the access module adds to the gallery page and to search, with and without it in the same run
// (interleaved, so that the host's drift hits both alike).
//   node --import tsx bench/accounts/run.ts [--photos 100000] [--users 10] [--rounds 300]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { arg } from '../args.js';
import { round, summary } from '../stats.js';
import { rows } from '../../src/db/connection.js';
import { loadSettings } from '../../src/config/settings.js';
import { createLogger } from '../../src/base/logger.js';
import { searchScope, timelineScope } from '../../src/scope/access.js';
import { forSystem } from '../../src/library/actors.js';
import { listPhotosIn } from '../../src/library/photos/list.js';
import { ownScope } from '../../src/scope/photo-scope.js';
import { runSearch } from '../../src/search/engine.js';
import { DEFAULT_CUTOFF, DEFAULT_RRF_K } from '../../src/search/fusion.js';
import { startServer } from '../../src/api/server.js';
import { libraryDir, prepareLibrary, repoRoot } from '../search/generate.js';

const photosWanted = Number(arg('photos') ?? 100_000);
const userCount = Number(arg('users') ?? 10);
const rounds = Number(arg('rounds') ?? 300);
const log = (line: string) => console.log(line);

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

await prepareLibrary(photosWanted, { log, keepDocuments: true });
// a copy: the cached library stays as the search benchmark expects it (one owner)
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-accounts-'));
log(`copying the ${photosWanted}-photo library to ${dataDir}…`);
fs.cpSync(libraryDir(photosWanted), dataDir, { recursive: true });
const settings = loadSettings({ dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent' }, {});
const server = await startServer(settings, createLogger('silent'));
const base = server.url;
/** A POST; once more when a kept-alive connection was closed by the server meanwhile (after the long UPDATEs). */
async function post(route: string, body: object, cookie?: string): Promise<Response> {
  const send = () =>
    fetch(`${base}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
  try {
    return await send();
  } catch {
    return send();
  }
}
const cookieOf = (response: Response) => /shoebox_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];

try {
  const people = Array.from({ length: userCount }, (_, i) => ({
    name: `User ${i + 1}`,
    email: `user${i + 1}@bench.test`,
    password: `bench password ${i + 1}`,
  }));
  const setup = await post('/api/auth/setup', people[0]!);
  if (setup.status !== 201) throw new Error(`set-up answered ${setup.status}`);
  const adminCookie = cookieOf(setup);
  for (const person of people.slice(1)) {
    const created = await post('/api/admin/users', person, adminCookie);
    if (created.status !== 201) throw new Error(`creating ${person.email} answered ${created.status}`);
  }
  const userIds = (await rows<{ id: string }>(server.lib.db, sql`select id from users where email like '%@bench.test' order by email`)).map((r) => r.id);
  log(`sharing the photos out: ${userCount} users × ${photosWanted / userCount}…`);
  const owners = sql.raw(`array[${userIds.map((id) => `'${id}'::uuid`).join(',')}]`);
  await server.lib.db.execute(sql`update photos p set owner_id = (${owners})[1 + (n.k % ${userCount})]
    from (select id, row_number() over (order by id) as k from photos) n where n.id = p.id`);
  await server.lib.db.execute(sql`update photo_search s set owner_id = p.owner_id from photos p where p.id = s.photo_id`);
  await server.lib.db.execute(sql`vacuum analyze photos`);
  await server.lib.db.execute(sql`vacuum analyze photo_search`);

  // sign-in: Argon2id dominates (by design)
  const logins: number[] = [];
  const cookies: string[] = [];
  for (let i = 0; i < Math.max(30, userCount * 3); i++) {
    const person = people[i % userCount]!;
    let response: Response | null = null;
    logins.push(await timed(async () => (response = await post('/api/auth/login', { email: person.email, password: person.password }))));
    if (response!.status !== 200) throw new Error(`sign-in answered ${response!.status}`);
    if (cookies.length < userCount) cookies.push(cookieOf(response!));
  }

  // the gallery's first page, signed in with a session, over HTTP
  const gallery: number[] = [];
  for (let i = 0; i < 20; i++)
    await fetch(`${base}/api/photos?offset=0&limit=200`, { headers: { cookie: cookies[i % userCount]! } }).then((r) => r.arrayBuffer());
  for (let i = 0; i < rounds; i++) {
    gallery.push(
      await timed(async () => {
        const response = await fetch(`${base}/api/photos?offset=0&limit=200`, { headers: { cookie: cookies[i % userCount]! } });
        if (response.status !== 200) throw new Error(`gallery answered ${response.status}`);
        await response.arrayBuffer();
      }),
    );
  }

  // with and without the access module, in process, interleaved
  const libs = userIds.map((id) => forSystem(server.lib, id, 'benchmark'));
  const query = { page: 1, limit: 200 };
  const words = (await rows<{ tag: string }>(server.lib.db, sql`select tag from photo_tags group by tag order by count(*) desc limit 40`)).map((r) => r.tag);
  const embeddings = await rows<{ embedding: string; model: string }>(
    server.lib.db,
    sql`select embedding::text, model from photo_embeddings order by photo_id limit 40`,
  );
  const vectorOf = (text: string) => Float32Array.from(JSON.parse(text) as number[]);
  const searchInput = (i: number) => ({
    text: words[i % words.length]!,
    embedding: vectorOf(embeddings[i % embeddings.length]!.embedding),
    embeddingModel: embeddings[0]!.model,
  });
  const searchOptions = { mode: 'hybrid' as const, filters: {}, page: 1, limit: 50, cutoff: DEFAULT_CUTOFF, rrfK: DEFAULT_RRF_K };
  const samples = {
    galleryWith: [] as number[],
    galleryWithout: [] as number[],
    searchWith: [] as number[],
    searchWithout: [] as number[],
    scope: [] as number[],
  };
  for (let i = 0; i < rounds + 20; i++) {
    const lib = libs[i % libs.length]!;
    const withAccess = () => timed(async () => listPhotosIn(lib, await timelineScope(lib), query));
    const without = () => timed(() => listPhotosIn(lib, ownScope(lib.ownerId), query));
    const searchWith = () => timed(async () => runSearch(lib.db, await searchScope(lib), searchInput(i), searchOptions));
    const searchWithout = () => timed(() => runSearch(lib.db, ownScope(lib.ownerId), searchInput(i), searchOptions));
    // alternate which goes first, so that neither always finds the other's pages in the cache
    const order = i % 2 === 0 ? [withAccess, without] : [without, withAccess];
    const [a, b] = [await order[0]!(), await order[1]!()];
    let searchA: number;
    let searchB: number;
    if (i % 2 === 0) {
      searchA = await searchWith();
      searchB = await searchWithout();
    } else {
      searchB = await searchWithout();
      searchA = await searchWith();
    }
    // the access module's own work on a request (both arms then run the same SQL when nothing is shared)
    const scope = await timed(async () => {
      await timelineScope(lib);
      await searchScope(lib);
    });
    if (i < 20) continue; // warm-up
    samples.scope.push(scope);
    samples.galleryWith.push(i % 2 === 0 ? a : b);
    samples.galleryWithout.push(i % 2 === 0 ? b : a);
    samples.searchWith.push(searchA);
    samples.searchWithout.push(searchB);
  }

  // with sharing in use: a partner's library in the timeline, and an album shared with the user
  await post('/api/partners', { userId: userIds[0] }, cookies[1]);
  await fetch(`${base}/api/partners/${userIds[1]}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', origin: base, cookie: cookies[0]! },
    body: '{"inTimeline":true}',
  });
  const shared: number[] = [];
  for (let i = 0; i < rounds; i++) {
    shared.push(
      await timed(async () => {
        const response = await fetch(`${base}/api/photos?offset=0&limit=200`, { headers: { cookie: cookies[0]! } });
        await response.arrayBuffer();
      }),
    );
  }

  const result = {
    date: new Date().toISOString(),
    photos: photosWanted,
    users: userCount,
    host: { cpus: os.cpus().length, model: os.cpus()[0]?.model },
    signInMs: summary(logins),
    galleryHttpMs: summary(gallery),
    galleryHttpWithPartnerInTimelineMs: summary(shared),
    access: {
      galleryWithMs: summary(samples.galleryWith),
      galleryWithoutMs: summary(samples.galleryWithout),
      searchWithMs: summary(samples.searchWith),
      searchWithoutMs: summary(samples.searchWithout),
      galleryP95AddedMs: round(summary(samples.galleryWith).p95Ms - summary(samples.galleryWithout).p95Ms),
      searchP95AddedMs: round(summary(samples.searchWith).p95Ms - summary(samples.searchWithout).p95Ms),
      /** What the access module itself takes per request (the timeline's and search's scope, both): its whole cost. */
      scopeMs: summary(samples.scope),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  const out = path.join(repoRoot, 'bench/results', `accounts-${result.date.slice(0, 10)}.json`);
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log(`written to ${path.relative(repoRoot, out)}`);
} finally {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
