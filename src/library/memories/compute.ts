// The memories of one user, computed for a day and written in one transaction: on this day in earlier years, trips
// away from home, and named people over the years. Items are the user's own timeline's (no trash, no archive, a
// stack as its cover, no copy a duplicate group's suggestion would trash), near-copies folded, the best shots first (plan.ts).
import { sql, type SQL } from 'drizzle-orm';
import { textArray, uuidArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import { notBehindStackCover, notDuplicateCopy } from '../../search/filters.js';
import { distanceKm } from '../../search/geo.js';
import { townPosition } from '../../media/places.js';
import { loadShotScores } from '../best-shot/load.js';
import { ownPhotoSql } from '../../scope/access.js';
import { ownsSql } from '../../scope/rows.js';
import type { Library } from '../library.js';
import { photoOrderMark } from '../photos/timeline.js';
import { AWAY_KM, findTrips, foldAndRank, learnHome, tripTitle, yearsAgo, type MemoryItem, type MemoryKind, type Position } from './plan.js';
import { markMemoriesComputed, readMemorySettings } from './settings.js';

/** Items kept in one memory, best first. */
const MAX_ITEMS = 120;
/** A named person is remembered over the years with photos from this many different years at least. */
const PERSON_MIN_YEARS = 3;
const PERSON_MIN_PHOTOS = 6;
/** Photos per year in a person's memory. */
const PERSON_PER_YEAR = 2;

export interface ComputedMemory {
  kind: MemoryKind;
  key: string;
  title: string;
  subtitle: string;
  from: string;
  to: string;
  photoIds: string[];
  rank: number;
}

export interface MemoryRun {
  today: string;
  home: Position | null;
  homeLearned: boolean;
  written: Record<MemoryKind, number>;
}

/** The timeline's items of the user that memories show (row `p`), with a date. */
function memoryPhotos(lib: Library): SQL {
  return sql`${ownPhotoSql(lib, 'p')} and p.deleted_at is null and not p.archived and p.taken_local is not null
    and ${notBehindStackCover(sql`p.id`)} and ${notDuplicateCopy(sql`p.id`)}`;
}

interface ItemRow {
  id: string;
  taken: number;
  favorite: boolean;
  rating: number | null;
}

/** Items as plan.ts ranks them, with their best-shot scores. */
async function withShots(lib: Library, found: readonly ItemRow[]): Promise<MemoryItem[]> {
  const shots = await loadShotScores(
    lib.db,
    found.map((row) => row.id),
  );
  return found.map((row) => ({ id: row.id, taken: Number(row.taken), favorite: row.favorite, rating: row.rating, shot: shots.get(row.id)?.score ?? null }));
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const ITEM_COLUMNS = sql`p.id, extract(epoch from p.taken_local)::float8 as taken, p.favorite, p.rating`;

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

async function onThisDay(lib: Library, today: string): Promise<ComputedMemory[]> {
  const monthDay = today.slice(5);
  const year = Number(today.slice(0, 4));
  const found = await rows<ItemRow & { year: number }>(
    lib.db,
    sql`select ${ITEM_COLUMNS}, extract(year from p.taken_local)::int as year from photos p
        where ${memoryPhotos(lib)} and to_char(p.taken_local, 'MM-DD') = ${monthDay} and p.taken_local < ${`${year}-01-01`}::timestamp`,
  );
  const byYear = groupBy(found, (row) => row.year);
  const made: ComputedMemory[] = [];
  for (const [itemYear, items] of byYear) {
    const ranked = foldAndRank(await withShots(lib, items));
    const day = `${itemYear}-${monthDay}`;
    made.push({
      kind: 'on-this-day',
      key: `on-this-day:${day}`,
      title: 'On this day',
      subtitle: `${LONG_DATE.format(new Date(`${day}T00:00:00Z`))} · ${yearsAgo(itemYear, year)}`,
      from: day,
      to: day,
      photoIds: ranked.slice(0, MAX_ITEMS).map((item) => item.id),
      // today's memories first, the most recent year first
      rank: 3000 + itemYear / 10_000,
    });
  }
  return made;
}

async function trips(lib: Library, today: string, home: Position): Promise<ComputedMemory[]> {
  const distance = distanceKm(sql`p.latitude`, sql`p.longitude`, home.latitude, home.longitude);
  const geotagged = sql`${memoryPhotos(lib)} and p.latitude is not null and p.longitude is not null`;
  const days = await rows<{ day: string; geotagged: number; away: number }>(
    lib.db,
    sql`select to_char(p.taken_local, 'YYYY-MM-DD') as day, count(*)::int as geotagged,
          count(*) filter (where ${distance} > ${AWAY_KM}::float8)::int as away
        from photos p where ${geotagged} group by 1`,
  );
  const places = await rows<{
    day: string;
    name: string;
    state: string | null;
    code: string | null;
    count: number;
    first: number;
    latitude: number;
    longitude: number;
  }>(
    lib.db,
    sql`select to_char(p.taken_local, 'YYYY-MM-DD') as day, coalesce(p.place_city, p.place_country) as name, p.place_state as state,
          p.place_country_code as code, count(*)::int as count, min(extract(epoch from p.taken_local))::float8 as first,
          avg(p.latitude)::float8 as latitude, avg(p.longitude)::float8 as longitude
        from photos p where ${geotagged} and ${distance} > ${AWAY_KM}::float8 and coalesce(p.place_city, p.place_country) is not null
        group by 1, 2, 3, 4`,
  );
  const placesByDay = groupBy(places, (row) => row.day);
  const found = findTrips(
    days.map((d) => ({
      ...d,
      places: (placesByDay.get(d.day) ?? []).map((p) => ({
        name: p.name,
        state: p.state,
        countryCode: p.code,
        count: p.count,
        first: Number(p.first),
        latitude: p.latitude,
        longitude: p.longitude,
      })),
    })),
  );
  // regions named after a town (Porto, Lisbon, Tokyo), looked up once each
  const towns = new Map<string, Position | null>();
  for (const region of new Set(places.filter((p) => p.state && p.code).map((p) => `${p.state}|${p.code}`))) {
    const [state, code] = region.split('|') as [string, string];
    towns.set(region, await townPosition(state, code));
  }
  const regionTown = (state: string, code: string) => towns.get(`${state}|${code}`) ?? null;
  const made: ComputedMemory[] = [];
  for (const trip of found) {
    if (trip.to >= today) continue; // not over yet
    const items = await rows<ItemRow>(
      lib.db,
      sql`select ${ITEM_COLUMNS} from photos p where ${memoryPhotos(lib)}
          and p.taken_local >= ${trip.from}::timestamp and p.taken_local < (${trip.to}::date + 1)::timestamp`,
    );
    const ranked = foldAndRank(await withShots(lib, items));
    const length = Math.round((Date.parse(trip.to) - Date.parse(trip.from)) / 86_400_000) + 1;
    made.push({
      kind: 'trip',
      key: `trip:${trip.from}`,
      title: tripTitle(trip, regionTown),
      subtitle: `${length} days · ${items.length} ${items.length === 1 ? 'item' : 'items'}`,
      from: trip.from,
      to: trip.to,
      photoIds: ranked.slice(0, MAX_ITEMS).map((item) => item.id),
      rank: 2000 + Date.parse(trip.from) / 1e13,
    });
  }
  return made;
}

async function peopleOverYears(lib: Library): Promise<ComputedMemory[]> {
  const counted = await rows<{ person_id: string; name: string; years: number; photos: number; first: number; last: number }>(
    lib.db,
    sql`select pe.id as person_id, pe.name, count(distinct extract(year from p.taken_local))::int as years, count(distinct p.id)::int as photos,
          min(extract(year from p.taken_local))::int as first, max(extract(year from p.taken_local))::int as last
        from faces f join people pe on pe.id = f.person_id join photos p on p.id = f.photo_id
        where ${memoryPhotos(lib)} and pe.name is not null and pe.name <> ''
        group by pe.id, pe.name`,
  );
  const made: ComputedMemory[] = [];
  for (const person of counted) {
    if (person.years < PERSON_MIN_YEARS || person.photos < PERSON_MIN_PHOTOS) continue;
    const items = await rows<ItemRow & { year: number }>(
      lib.db,
      sql`select distinct ${ITEM_COLUMNS}, extract(year from p.taken_local)::int as year from faces f join photos p on p.id = f.photo_id
          where ${memoryPhotos(lib)} and f.person_id = ${person.person_id}::uuid`,
    );
    const shots = await withShots(lib, items);
    const yearOf = new Map(items.map((item) => [item.id, item.year]));
    const perYear = [...groupBy(shots, (item) => yearOf.get(item.id)!)].sort((a, b) => a[0] - b[0]);
    // the best of each year, shown in the order of the years
    const chosen = perYear.flatMap(([, ofYear]) =>
      foldAndRank(ofYear)
        .slice(0, PERSON_PER_YEAR)
        .sort((a, b) => a.taken - b.taken),
    );
    made.push({
      kind: 'person-years',
      key: `person-years:${person.person_id}`,
      title: `${person.name}, ${person.first}–${person.last}`,
      subtitle: `${person.years} years · ${person.photos} photos`,
      from: `${person.first}-01-01`,
      to: `${person.last}-12-31`,
      photoIds: chosen.slice(0, MAX_ITEMS).map((item) => item.id),
      rank: 1000 + person.photos / 1e7,
    });
  }
  return made;
}

/** Home: the one the user set, else the half-degree area where their geotagged items were taken on the most days. */
export async function homeOf(lib: Library, set: Position | null): Promise<{ home: Position | null; learned: boolean }> {
  if (set) return { home: set, learned: false };
  const areas = await rows<{ latitude: number; longitude: number; count: number; days: number }>(
    lib.db,
    sql`select avg(p.latitude)::float8 as latitude, avg(p.longitude)::float8 as longitude, count(*)::int as count,
          count(distinct p.taken_local::date)::int as days from photos p
        where ${ownPhotoSql(lib, 'p')} and p.deleted_at is null and p.latitude is not null and p.longitude is not null
        group by round(p.latitude * 2), round(p.longitude * 2) order by days desc, count desc limit 1`,
  );
  return { home: learnHome(areas), learned: true };
}

/** Computes the user's memories for `today` (YYYY-MM-DD, their calendar) and puts them in place of the last ones. */
export async function computeMemories(lib: Library, today: string): Promise<MemoryRun> {
  // read before the items: a change landing meanwhile leaves them under the older mark (computed again when asked)
  const mark = await photoOrderMark(lib);
  const settings = await readMemorySettings(lib);
  const on = (kind: MemoryKind) => !settings.kindsOff.includes(kind);
  const { home, learned } = await homeOf(lib, settings.home);
  const made = [
    ...(on('on-this-day') ? await onThisDay(lib, today) : []),
    ...(on('trip') && home ? await trips(lib, today, home) : []),
    ...(on('person-years') ? await peopleOverYears(lib) : []),
  ].filter((memory) => memory.photoIds.length > 0);
  const hidden = new Set((await rows<{ key: string }>(lib.db, sql`select h.key from hidden_memories h where ${ownsSql(lib, 'h')}`)).map((row) => row.key));
  const kept = made.filter((memory) => !hidden.has(memory.key));
  // upserted by key, so that a memory keeps its id (and its page) from one day to the next; one hidden meanwhile
  // is not made again
  await lib.db.transaction(async (tx) => {
    await tx.execute(sql`delete from memories m where ${ownsSql(lib, 'm')} and not (m.key = any(${textArray(kept.map((memory) => memory.key))}))`);
    for (const memory of kept) {
      await tx.execute(sql`insert into memories (owner_id, kind, key, title, subtitle, date_from, date_to, photo_ids, rank, computed_for)
        select ${lib.ownerId}::uuid, ${memory.kind}, ${memory.key}, ${memory.title}, ${memory.subtitle}, ${`${memory.from}T00:00:00Z`}::timestamptz,
          ${`${memory.to}T23:59:59.999Z`}::timestamptz, ${uuidArray(memory.photoIds)}, ${memory.rank}::float8, ${today}
        where not exists (select 1 from hidden_memories h where ${ownsSql(lib, 'h')} and h.key = ${memory.key})
        on conflict (owner_id, key) do update set kind = excluded.kind, title = excluded.title, subtitle = excluded.subtitle,
          date_from = excluded.date_from, date_to = excluded.date_to, photo_ids = excluded.photo_ids, rank = excluded.rank,
          computed_for = excluded.computed_for`);
    }
  });
  await markMemoriesComputed(lib, today, settings.updatedAt, mark);
  const written = { 'on-this-day': 0, trip: 0, 'person-years': 0 } as Record<MemoryKind, number>;
  for (const memory of kept) written[memory.kind]++;
  return { today, home, homeLearned: learned, written };
}

/** The computation running or queued per user: one at a time (two would upsert the same rows). */
const runs = new Map<object, { today: string; run: Promise<MemoryRun> }>();

/**
 * Computes the user's memories for `today`, one computation per user at a time: one running for that day is shared;
 * `fresh` (the settings changed) or another day queues a new one after it.
 */
export function computeMemoriesOnce(lib: Library, today: string, fresh = false): Promise<MemoryRun> {
  const current = runs.get(lib.ownerCache);
  if (current && !fresh && current.today === today) return current.run;
  const run: Promise<MemoryRun> = (current ? current.run.catch(() => undefined) : Promise.resolve(undefined))
    .then(() => computeMemories(lib, today))
    .finally(() => {
      if (runs.get(lib.ownerCache)?.run === run) runs.delete(lib.ownerCache);
    });
  runs.set(lib.ownerCache, { today, run });
  return run;
}
