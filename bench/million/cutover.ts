// Where the exact way over the kept photos stops paying (search/narrowing.ts FEW_PHOTOS): on a loaded bench:million
// library, the largest owner's photos of the latest N (a date range, as a filter keeps them) ranked by the semantic
// arm both ways — the kept photos' exact scan, and the HNSW graph's iterative scan with the filter checked per row —
// for N from 2,000 to 60,000, with the recall@20 of the graph's answer against the exact one. Usage (after a run of
// bench:million at that size):
//   npx tsx bench/million/cutover.ts --photos 200000 [--queries 30]
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { openDatabase, rows, type Db } from '../../src/db/connection.js';
import { vectorParam } from '../../src/db/vector-values.js';
import { arg } from '../args.js';
import { around, EMBEDDING_MODEL, makeUniverse, repoRoot, Rng, SEED } from '../search/generate.js';
import { summary } from '../stats.js';
import { databaseUrl, startBenchPostgres } from './postgres.js';

const PHOTOS = Number(arg('photos') ?? 200_000);
const QUERIES = Number(arg('queries') ?? 30);
const SIZES = (arg('sizes') ?? '2000,5000,10000,20000,40000,60000').split(',').map(Number);
const workDir = path.join(repoRoot, 'bench/million/.work', `pg-${PHOTOS}`);

async function timed(db: Db, query: SQL): Promise<{ ms: number; ids: string[] }> {
  const t0 = performance.now();
  const found = await rows<{ photo_id: string; distance: number }>(db, query);
  const ms = performance.now() - t0;
  // the relaxed iterative scan may return rows a little out of order: ranked by distance, as the search's arm is
  return { ms, ids: found.sort((a, b) => a.distance - b.distance).map((r) => r.photo_id) };
}

async function main() {
  const server = await startBenchPostgres(workDir, { sharedBuffersMb: 1024 });
  try {
    const t0 = performance.now();
    const database = await openDatabase({ url: databaseUrl(server.url, 'shoebox'), poolSize: 1 });
    console.log(`opened (migrations applied) in ${Math.round(performance.now() - t0)} ms`);
    const db = database.db;
    const [largest] = await rows<{ owner: string; n: number }>(
      db,
      sql`select owner_id as owner, count(*)::int as n from photos group by 1 order by 2 desc limit 1`,
    );
    const owner = largest!.owner;
    const u = makeUniverse();
    const rng = new Rng(SEED + 99);
    const qs = Array.from({ length: QUERIES + 5 }, () => around(rng, u.clusters[rng.int(u.clusters.length)]!.centre, 0.8));
    console.log(`owner of ${largest!.n} photos; ${QUERIES} queries a size after 5 warm-up`);
    console.log('| kept photos | exact p50 / p95 ms | graph p50 / p95 ms | graph recall@20 | count of kept, ms |');
    for (const size of SIZES) {
      const [edge] = await rows<{ at: string }>(
        db,
        sql`select coalesce(taken_at, created_at)::text as at from photos where owner_id = ${owner}::uuid and deleted_at is null
            order by coalesce(taken_at, created_at) desc offset ${size - 1} limit 1`,
      );
      const filter = sql`p.owner_id = ${owner}::uuid and p.deleted_at is null and coalesce(p.taken_at, p.created_at) >= ${edge!.at}::timestamptz`;
      const exact = (v: SQL) => sql`with kept as materialized (select p.id from photos p where ${filter} limit ${size + 1})
        select e.photo_id, e.embedding <=> ${v} as distance from kept k join photo_embeddings e on e.photo_id = k.id
        where e.model = ${EMBEDDING_MODEL} order by 2 limit 100`;
      const graph = (v: SQL) => sql`select e.photo_id, e.embedding <=> ${v} as distance from photo_embeddings e
        where exists (select 1 from photos p where p.id = e.photo_id and ${filter}) and e.model = ${EMBEDDING_MODEL} order by 2 limit 100`;
      const count = sql`select count(*)::int as photo_id, 0 as distance from (select p.id from photos p where ${filter} limit ${size + 1}) k`;
      const times = { exact: [] as number[], graph: [] as number[], count: [] as number[] };
      const recalls: number[] = [];
      for (const [i, q] of qs.entries()) {
        const v = vectorParam(q);
        const a = await timed(db, exact(v));
        const b = await timed(db, graph(v));
        const c = await timed(db, count);
        if (i < 5) continue;
        times.exact.push(a.ms);
        times.graph.push(b.ms);
        times.count.push(c.ms);
        const top = new Set(b.ids.slice(0, 20));
        recalls.push(a.ids.slice(0, 20).filter((id) => top.has(id)).length / 20);
      }
      const [e, g, c] = [summary(times.exact), summary(times.graph), summary(times.count)];
      const recall = Math.round((recalls.reduce((x, y) => x + y, 0) / recalls.length) * 1000) / 1000;
      console.log(`| ${size} | ${e.p50Ms} / ${e.p95Ms} | ${g.p50Ms} / ${g.p95Ms} | ${recall} | ${c.p50Ms} |`);
    }
    await database.close();
  } finally {
    await server.stop();
  }
}

await main();
