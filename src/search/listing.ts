// The items a query asks for when it names only filters ("videos from Lisbon", "Marie 2019", "-dog Anna"): the
// filters over the user's scope, newest first — or, for "best", favourites first, then the highest rated, then
// newest (the library layer orders the top of that list by the best-shot score). Exclusions typed as words
// (-dog) leave out the photos whose search document has them.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import { filterCondition } from './filters.js';
import type { ParsedQuery } from './query.js';
import type { PhotoScope } from '../scope/photo-scope.js';
import { exclusionTsquery } from './tsquery.js';
import type { SearchFilters } from './types.js';

export interface ListingOptions {
  page: number;
  limit: number;
  best: boolean;
}

export interface Listed {
  ids: string[];
  total: number;
}

/** How many items the count goes up to: as far as pages can go (page × limit ≤ 2,000, search-schemas.ts). */
export const LISTING_COUNT_LIMIT = 2000;

function condition(scope: PhotoScope, filters: SearchFilters, parsed: ParsedQuery): SQL {
  const filter = filterCondition(scope, filters);
  const excluded = exclusionTsquery(parsed);
  return excluded ? sql`${filter} and not exists (select 1 from photo_search s where s.photo_id = p.id and s.document @@ ${excluded})` : filter;
}

export async function listByFilters(db: Db, scope: PhotoScope, filters: SearchFilters, parsed: ParsedQuery, options: ListingOptions): Promise<Listed> {
  const where = condition(scope, filters, parsed);
  // a person named (with any other filters): their photos in date order from their own index, not the library's
  const person = !options.best && filters.peopleMatch !== 'any' ? filters.people?.[0] : undefined;
  if (person) return listPersonPhotos(db, person, where, options);
  const order = options.best
    ? sql`p.favorite desc, coalesce(p.rating, 0) desc, coalesce(p.taken_at, p.created_at) desc, p.id`
    : sql`coalesce(p.taken_at, p.created_at) desc, p.id`;
  const found = await rows<{ id: string | null; total: number }>(
    db,
    sql`select page.id, (select count(*) from (select 1 from photos p where ${where} limit ${LISTING_COUNT_LIMIT}) counted)::int as total
        from (select 1) one left join lateral (
          select p.id from photos p where ${where} order by ${order} limit ${options.limit} offset ${(options.page - 1) * options.limit}) page on true`,
  );
  return { ids: found.flatMap((row) => (row.id ? [row.id] : [])), total: found[0]?.total ?? 0 };
}

/**
 * The same listing walked along one person's photos (photo_people, kept in date order by triggers, migration 0035):
 * the same order as the library's (taken, else arrived, newest first; the id breaks ties), the same conditions.
 */
async function listPersonPhotos(db: Db, personId: string, where: SQL, options: ListingOptions): Promise<Listed> {
  const theirs = sql`from photo_people pp join photos p on p.id = pp.photo_id where pp.person_id = ${personId}::uuid and ${where}`;
  const found = await rows<{ id: string | null; total: number }>(
    db,
    sql`select page.id, (select count(*) from (select 1 ${theirs} limit ${LISTING_COUNT_LIMIT}) counted)::int as total
        from (select 1) one left join lateral (
          select pp.photo_id as id ${theirs} order by pp.sort_date desc nulls last, pp.photo_id
          limit ${options.limit} offset ${(options.page - 1) * options.limit}) page on true`,
  );
  return { ids: found.flatMap((row) => (row.id ? [row.id] : [])), total: found[0]?.total ?? 0 };
}
