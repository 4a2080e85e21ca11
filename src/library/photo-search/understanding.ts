// Query understanding against the user's library (search/understand/ is the pure part): the names it can recognise —
// people, places, albums, cameras — read from the search terms the search rows keep current, cached briefly per
// user; the user's today in their time zone; and the hemisphere of the places a season is asked about.
import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { textArray } from '../../db/arrays.js';
import { towns as readTowns } from '../../media/towns.js';
import { scopeCondition, termsCondition, type PhotoScope } from '../../scope/photo-scope.js';
import { termsGeneration } from '../../search/terms-generation.js';
import { todayIn, type LocalDate } from '../../search/understand/calendar.js';
import { understand } from '../../search/understand/parse.js';
import { readSeason, type Understood } from '../../search/understand/understood.js';
import { buildVocabulary, type Vocabulary } from '../../search/understand/vocabulary.js';
import { homeOf } from '../memories/compute.js';
import type { Position } from '../memories/plan.js';
import { readMemorySettings } from '../memories/settings.js';
import type { Library } from '../library.js';
import { readByModel } from './model.js';

/**
 * How long a user's names are reused while this process changes no search term (terms-generation.ts): what another
 * process named is understood after this.
 */
const VOCABULARY_TTL_MS = 10_000;
/** Per user (and scope), the names, when they were read and the terms' generation then. */
const cache = new Map<string, { at: number; generation: number; vocabulary: Promise<Vocabulary> }>();
const CACHE_LIMIT = 500;

async function readVocabulary(lib: Library, scope: PhotoScope): Promise<Vocabulary> {
  const terms = await rows<{ kind: string; key: string; label: string; photos: number }>(
    lib.db,
    sql`select st.kind, st.key, st.label, max(st.photos)::int as photos from search_terms st
        where ${termsCondition(scope)} and st.kind in ('person', 'place', 'camera', 'album') and st.photos > 0 and st.label <> ''
          and not exists (select 1 from people pe where st.kind = 'person' and pe.id::text = st.key and pe.hidden)
        group by st.kind, st.key, st.label`,
  );
  const of = (kind: string) => terms.filter((t) => t.kind === kind);
  const towns = await readTowns();
  return buildVocabulary({
    people: of('person').map((t) => ({ id: t.key, name: t.label, photos: t.photos })),
    places: of('place').map((t) => ({ name: t.label, photos: t.photos, aliases: towns.namesOf(t.label) })),
    albums: of('album').map((t) => ({ id: t.key, name: t.label })),
    cameras: of('camera').map((t) => ({ label: t.label, photos: t.photos })),
  });
}

/** The names a user's queries can use, read at most every VOCABULARY_TTL_MS. */
export function vocabularyOf(lib: Library, scope: PhotoScope): Promise<Vocabulary> {
  const key = `${scope.userId}|${scope.partnerIds.join(',')}|${scope.albumIds.join(',')}`;
  const now = Date.now();
  const hit = cache.get(key);
  const generation = termsGeneration();
  if (hit && now - hit.at < VOCABULARY_TTL_MS && hit.generation === generation) return hit.vocabulary;
  if (cache.size >= CACHE_LIMIT) for (const [k, v] of cache) if (now - v.at >= VOCABULARY_TTL_MS) cache.delete(k);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const vocabulary = readVocabulary(lib, scope);
  cache.set(key, { at: now, generation, vocabulary });
  vocabulary.catch(() => cache.delete(key));
  return vocabulary;
}

export interface UnderstandOptions {
  /** IANA zone the user's dates are in; the server's own zone when not given. */
  timeZone?: string;
  /** The user's today (YYYY-MM-DD); today in `timeZone` when not given. */
  today?: string;
}

/** The server's zone: where a client that says nothing is taken to be. */
export const serverTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The zone's canonical IANA name, or null when this machine does not know it. */
export function knownTimeZone(timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function todayOf(options: UnderstandOptions, timeZone: string): LocalDate {
  if (!options.today) return todayIn(timeZone);
  const [year, month, day] = options.today.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/**
 * A query understood for a user: their names, their today; a season read again south of the equator when every
 * place asked about is there (the mean latitude of the user's photos taken in it).
 */
export async function understandQuery(
  lib: Library,
  scope: PhotoScope,
  query: string,
  options: UnderstandOptions = {},
): Promise<{ understood: Understood; timeZone: string; notice: string | null; home: Position | null }> {
  // a zone this machine does not know (an odd browser's): the server's, said in a notice, rather than no search
  const asked = options.timeZone ? knownTimeZone(options.timeZone) : null;
  const timeZone = asked ?? knownTimeZone(serverTimeZone()) ?? 'UTC';
  const zoneNotice = options.timeZone && !asked ? `unknown time zone "${options.timeZone.slice(0, 60)}": dates were read in ${timeZone}` : null;
  const [vocabulary, home] = await Promise.all([vocabularyOf(lib, scope), homeFor(lib)]);
  const context = { today: todayOf(options, timeZone), timeZone, home: home !== null };
  const local = understand(query, vocabulary, context);
  // unexplained here, and the setting on: the language model's reading (search-model.ts)
  const read = await readByModel(lib, query, local, vocabulary, context);
  const understood = read.understood;
  const notice = [zoneNotice, read.notice].filter(Boolean).join('; ') || null;
  const places = understood.places.filter((p) => !p.negated).map((p) => p.name.toLowerCase());
  if (places.length === 0 || !readSeason(understood) || understood.source === 'model') return { understood, timeZone, notice, home };
  const [south] = await rows<{ south: boolean }>(
    lib.db,
    sql`select bool_and(lat < 0) as south from (
          select avg(p.latitude) as lat from photos p, unnest(${textArray(places)}) as name
          where ${scopeCondition(scope)} and (lower(p.place_city) = name or lower(p.place_state) = name or lower(p.place_country) = name)
          group by name) per_place`,
  );
  return { understood: south?.south ? understand(query, vocabulary, { ...context, southern: true }) : understood, timeZone, notice, home };
}

/** Homes kept per user for a while: learning one reads every geotagged photo's position (~0.1 s at 100k). */
const HOME_TTL_MS = 10 * 60_000;
const homes = new WeakMap<object, { at: number; home: Promise<Position | null> }>();

/** The user's home for "at home": the one they set for memories, else where most of their photos were taken. */
async function homeFor(lib: Library): Promise<Position | null> {
  const kept = homes.get(lib.ownerCache);
  if (kept && Date.now() - kept.at < HOME_TTL_MS) return kept.home;
  const home = readMemorySettings(lib).then(async (settings) => (await homeOf(lib, settings.home)).home);
  homes.set(lib.ownerCache, { at: Date.now(), home });
  home.catch(() => homes.delete(lib.ownerCache));
  return home;
}

/** Forgets the kept home (the user set another). */
export function homeChanged(lib: Library): void {
  homes.delete(lib.ownerCache);
}
