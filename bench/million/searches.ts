// Searches through Shoebox's own code (runSearch with each owner's scope, as bench/engines does): keyword,
// semantic and hybrid over the largest owner's photos, hybrid over every other owner's, the library's most common
// word, and hybrid and semantic under filters chosen from the data to pass ~50 %, 5 %, 1 % and 0.1 % of the largest
// owner's photos (a date, a year, videos, an album, a person, a place). Recall@20 of the semantic arm is measured
// against the exact answer under the same filter (filterCondition, the product's own), ordered by true cosine
// distance with index scans off.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../src/db/connection.js';
import { vectorParam } from '../../src/db/vector-values.js';
import { ownScope } from '../../src/scope/photo-scope.js';
import { runSearch } from '../../src/search/engine.js';
import { filterCondition } from '../../src/search/filters.js';
import { DEFAULT_CUTOFF, DEFAULT_RRF_K } from '../../src/search/fusion.js';
import type { SearchFilters } from '../../src/search/types.js';
import type { SearchMode } from '../../src/model/search-vocabulary.js';
import { around, EMBEDDING_MODEL, makeUniverse, Rng, SEED } from '../search/generate.js';
import { summary } from '../stats.js';
import { BIG_ALBUM, albumId } from './rows.js';
import { TYPED } from './typed.js';

export interface SearchFigure {
  kind: string;
  /** Share of the owner's photos the filter passes (1 without a filter). */
  selectivity: number;
  filter: string;
  n: number;
  p50: number;
  p95: number;
  recallAt20: number | null;
}

interface Query {
  text: string;
  embedding: Float32Array;
}

export interface NamedFilter {
  label: string;
  filters: SearchFilters;
  selectivity: number;
}

const WARMUP = 10;

function queries(count: number, seed: number): Query[] {
  const u = makeUniverse();
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => ({
    text: rng.chance(0.2) ? `${rng.pick(TYPED)} ${rng.pick(TYPED)}` : rng.pick(TYPED),
    // a point near a cluster centre stands for a CLIP text embedding (the text encoder does not run here)
    embedding: around(rng, u.clusters[rng.int(u.clusters.length)]!.centre, 0.8),
  }));
}

function search(db: Db, ownerId: string, q: Query, mode: SearchMode, filters: SearchFilters, limit: number, cutoff = DEFAULT_CUTOFF) {
  return runSearch(
    db,
    ownScope(ownerId),
    { text: q.text, embedding: mode === 'keyword' ? null : q.embedding, embeddingModel: EMBEDDING_MODEL },
    { mode, filters, page: 1, limit, cutoff, rrfK: DEFAULT_RRF_K },
  );
}

/** The 20 photos nearest to `embedding` under the filter, by true distance: no index scan. */
async function exactTop20(db: Db, ownerId: string, embedding: Float32Array, filters: SearchFilters): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_indexscan = off`);
    const found = await rows<{ id: string }>(
      tx as unknown as Db,
      sql`select p.id from photos p join photo_embeddings e on e.photo_id = p.id and e.model = ${EMBEDDING_MODEL}
          where ${filterCondition(ownScope(ownerId), filters)}
          order by e.embedding <=> ${vectorParam(embedding)}, p.id limit 20`,
    );
    return found.map((r) => r.id);
  });
}

/** Filters of the largest owner's library passing about 50 %, 5 %, 1 % and 0.1 % of its photos, found in the data. */
export async function chooseFilters(db: Db, ownerId: string, ownerIndex: number): Promise<NamedFilter[]> {
  const [{ total } = { total: 1 }] = await rows<{ total: number }>(db, sql`select count(*)::int as total from photos where owner_id = ${ownerId}`);
  const share = (count: number) => Math.round((count / total) * 10_000) / 10_000;
  const closest = <T extends { n: number }>(items: T[], target: number) =>
    items.reduce((best, item) => (Math.abs(item.n / total - target) < Math.abs(best.n / total - target) ? item : best));
  const [median] = await rows<{ at: string }>(
    db,
    sql`select percentile_disc(0.5) within group (order by coalesce(taken_at, created_at))::text as at from photos where owner_id = ${ownerId}`,
  );
  const years = await rows<{ year: number; n: number }>(
    db,
    sql`select extract(year from coalesce(taken_at, created_at))::int as year, count(*)::int as n from photos where owner_id = ${ownerId} group by 1`,
  );
  const people = await rows<{ id: string; n: number }>(
    db,
    sql`select pp.person_id as id, count(*)::int as n from photo_people pp join people pe on pe.id = pp.person_id
        where pe.owner_id = ${ownerId} group by 1`,
  );
  const places = await rows<{ city: string; n: number }>(
    db,
    sql`select place_city as city, count(*)::int as n from photos where owner_id = ${ownerId} and place_city is not null group by 1`,
  );
  const albums = await rows<{ id: string; n: number }>(
    db,
    sql`select ap.album_id as id, count(*)::int as n from album_photos ap join albums a on a.id = ap.album_id where a.owner_id = ${ownerId} group by 1`,
  );
  const [videos] = await rows<{ n: number }>(db, sql`select count(*)::int as n from photos where owner_id = ${ownerId} and mime like 'video/%'`);
  const year = closest(years, 0.05);
  const big = albums.find((a) => a.id === albumId(ownerIndex, BIG_ALBUM)) ?? closest(albums, 0.08);
  const filters: NamedFilter[] = [
    { label: 'taken since the median date', filters: { from: new Date(median!.at) }, selectivity: 0.5 },
    {
      label: `year ${year.year}`,
      filters: { from: new Date(Date.UTC(year.year, 0, 1)), to: new Date(Date.UTC(year.year, 11, 31, 23, 59, 59)) },
      selectivity: share(year.n),
    },
    { label: 'videos', filters: { type: 'video' }, selectivity: share(videos!.n) },
    { label: 'the big album', filters: { album: big.id }, selectivity: share(big.n) },
  ];
  for (const target of [0.01, 0.001]) {
    // a small library may have the same person or place closest to both shares: measured once
    const person = closest(people, target);
    const place = closest(places, target);
    if (!filters.some((f) => f.filters.people?.[0] === person.id)) {
      filters.push({ label: `a person (${person.n} photos)`, filters: { people: [person.id] }, selectivity: share(person.n) });
    }
    if (!filters.some((f) => f.filters.place === place.city)) {
      filters.push({ label: `a place (${place.city})`, filters: { place: place.city }, selectivity: share(place.n) });
    }
  }
  const small = closest(albums, 0.001);
  filters.push({ label: `a small album (${small.n} photos)`, filters: { album: small.id }, selectivity: share(small.n) });
  return filters;
}

/** The most common tag word of the whole library (what a keyword search of a common word meets). */
export async function mostCommonWord(db: Db): Promise<{ word: string; photos: number }> {
  const [top] = await rows<{ word: string; photos: number }>(
    db,
    sql`select tag as word, count(*)::int as photos from photo_tags group by tag order by 2 desc limit 1`,
  );
  return top!;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

export interface SearchPlan {
  db: Db;
  ownerIds: string[];
  /** The owners' photo counts, same order. */
  ownerPhotos: number[];
  filters: NamedFilter[];
  commonWord: string;
  count: number;
  /** How many of the `count` queries of each semantic set also get an exact answer for recall. */
  recallCount: number;
  /** Whether to run the set of this kind under this filter's label ('none' without a filter); all when absent. */
  only?: (kind: string, filter: string) => boolean;
  log: (line: string) => void;
}

/** A figure's slowest search, to run again under EXPLAIN (explain.ts). */
export type Rerun = (db: Db) => Promise<unknown>;

/** Runs every kind; returns one figure per kind and filter, and how to run each one's slowest search again. */
export async function measureSearches(plan: SearchPlan): Promise<{ figures: SearchFigure[]; slowest: Rerun[] }> {
  const { db, ownerIds, count, log } = plan;
  const largest = ownerIds[0]!;
  const qs = queries(count + WARMUP, SEED + 62);
  const figures: SearchFigure[] = [];
  const slowest: Rerun[] = [];
  type Work = (on: Db, q: Query) => Promise<string[] | null>;
  const run = async (kind: string, filter: NamedFilter | null, ownerId: string, work: Work, recall: boolean) => {
    if (plan.only && !plan.only(kind, filter?.label ?? 'none')) return;
    const samples: number[] = [];
    const recalls: number[] = [];
    let worst = { ms: -1, q: qs[0]! };
    for (const [i, q] of qs.entries()) {
      const { ms, value } = await timed(() => work(db, q));
      if (i < WARMUP) continue;
      samples.push(ms);
      if (ms > worst.ms) worst = { ms, q };
      if (recall && value && i - WARMUP < plan.recallCount) {
        const exact = await exactTop20(db, ownerId, q.embedding, filter?.filters ?? {});
        const got = new Set(value.slice(0, 20));
        if (exact.length > 0) recalls.push(exact.filter((id) => got.has(id)).length / exact.length);
      }
    }
    const s = summary(samples);
    const recallAt20 = recalls.length > 0 ? Math.round((recalls.reduce((a, b) => a + b, 0) / recalls.length) * 1000) / 1000 : null;
    const figure = { kind, selectivity: filter?.selectivity ?? 1, filter: filter?.label ?? 'none', n: s.n, p50: s.p50Ms, p95: s.p95Ms, recallAt20 };
    log(
      `  ${kind} [${figure.filter}, ${figure.selectivity}]: p50 ${figure.p50} ms, p95 ${figure.p95} ms${recallAt20 === null ? '' : `, recall@20 ${recallAt20}`}`,
    );
    figures.push(figure);
    slowest.push((on) => work(on, worst.q));
  };
  const ids = (outcome: { hits: { photoId: string }[] }) => outcome.hits.map((h) => h.photoId);
  await run('keyword', null, largest, async (on, q) => ids(await search(on, largest, q, 'keyword', {}, 50)), false);
  await run(
    'keyword, most common word',
    { label: `"${plan.commonWord}"`, filters: {}, selectivity: 1 },
    largest,
    async (on, q) => ids(await search(on, largest, { ...q, text: plan.commonWord }, 'keyword', {}, 50)),
    false,
  );
  // the semantic page of 20 without the cutoff is the arm's own top 20: what recall is measured on
  await run('semantic', null, largest, async (on, q) => ids(await search(on, largest, q, 'semantic', {}, 20, 0)), true);
  await run('hybrid', null, largest, async (on, q) => ids(await search(on, largest, q, 'hybrid', {}, 50)), false);
  for (const filter of plan.filters) {
    await run('semantic', filter, largest, async (on, q) => ids(await search(on, largest, q, 'semantic', filter.filters, 20, 0)), true);
    await run('hybrid', filter, largest, async (on, q) => ids(await search(on, largest, q, 'hybrid', filter.filters, 50)), false);
  }
  for (const [i, ownerId] of ownerIds.entries()) {
    if (i === 0) continue;
    const owner = { label: `owner of ${plan.ownerPhotos[i]} photos`, filters: {}, selectivity: 1 };
    await run('semantic, another owner', owner, ownerId, async (on, q) => ids(await search(on, ownerId, q, 'semantic', {}, 20, 0)), true);
    await run('hybrid, another owner', owner, ownerId, async (on, q) => ids(await search(on, ownerId, q, 'hybrid', {}, 50)), false);
  }
  return { figures, slowest };
}
