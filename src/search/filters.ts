import { sql, type SQL } from 'drizzle-orm';
import { boxCondition, nearCondition } from './geo.js';
import { isOwnOnly, scopeCondition, type PhotoScope } from '../scope/photo-scope.js';
import type { SearchFilters } from './types.js';
import { sameOwnerSql } from '../scope/rows.js';
import { BROADER_WORDS_CUT, objectClassesNamed, objectClassesTagged } from '../model/object-classes.js';
import { textArray } from '../db/arrays.js';
import { DETECTED_OBJECT_TAGS } from './object-tags.js';

/** The user's own %, _ and backslash taken literally in a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `%text%` for LIKE. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/**
 * True unless keeping the photo's duplicate group's suggested keeper makes it redundant: what the automatic choice
 * proposes for the trash is hidden, what it keeps with the keeper (a RAW, another version of the shot, a photo with
 * more than the keeper) is not (library/duplicates/groups.ts). NOT IN over an uncorrelated set (the copies are few)
 * is one hash table per query; a correlated NOT EXISTS was an anti-join probed per photo, 3× the time of the whole
 * timeline at 100k photos.
 */
export function notDuplicateCopy(photoId: SQL): SQL {
  return sql`${photoId} not in (select dm.photo_id from duplicate_members dm where dm.kind = 'duplicate' and dm.redundant)`;
}

/**
 * True unless the photo is in a stack and is not its cover: a stack is one tile. The same uncorrelated NOT IN as
 * notDuplicateCopy (stacked photos are few next to the library).
 */
export function notBehindStackCover(photoId: SQL): SQL {
  // a stack without a cover (for a moment) hides nothing
  return sql`${photoId} not in (select sm.photo_id from stack_members sm join stacks st on st.id = sm.stack_id
    where st.cover_id is not null and st.cover_id <> sm.photo_id)`;
}

/** Whether anything narrows the photos beyond their owner (`peopleMatch` alone does not). */
export function hasFilters(filters: SearchFilters): boolean {
  return Object.entries(filters).some(([key, value]) => key !== 'peopleMatch' && value !== undefined && !(Array.isArray(value) && value.length === 0));
}

/**
 * Whether the scan must check each photo: a filter, or photos shared with the user (beyond their own library).
 */
export function narrows(scope: PhotoScope, filters: SearchFilters): boolean {
  return hasFilters(filters) || !isOwnOnly(scope);
}

/**
 * The filters as one SQL condition on `p` (photos), over the scope's photos (access.ts). Both arms and the image search put it inside their own
 * scans, so a filter narrows the candidates instead of emptying a page after ranking. Everything reads the
 * base tables, so a tag, person or category edit counts at once.
 */
export function filterCondition(scope: PhotoScope, filters: SearchFilters): SQL {
  const conditions: SQL[] = [scopeCondition(scope), sql`p.deleted_at is null`]; // the trash is not searched
  const sortDate = sql`coalesce(p.taken_at, p.created_at)`;
  if (filters.from) conditions.push(sql`${sortDate} >= ${filters.from.toISOString()}::timestamptz`);
  if (filters.to) conditions.push(sql`${sortDate} <= ${filters.to.toISOString()}::timestamptz`);
  if (filters.state) conditions.push(sql`p.state = ${filters.state}`);
  if (filters.favorite !== undefined) conditions.push(sql`p.favorite = ${filters.favorite}::boolean`);
  if (filters.minRating !== undefined) conditions.push(sql`p.rating >= ${filters.minRating}::int`);
  if (filters.camera) {
    conditions.push(sql`concat_ws(' ', p.make, p.model) ilike ${containsPattern(filters.camera)}`);
  }
  if (filters.place) conditions.push(inPlace(filters.place));
  if (filters.hasLocation === true) conditions.push(sql`(p.latitude is not null and p.longitude is not null)`);
  if (filters.hasLocation === false) conditions.push(sql`(p.latitude is null or p.longitude is null)`);
  if (filters.near) conditions.push(nearCondition(sql`p.latitude`, sql`p.longitude`, filters.near));
  if (filters.bbox) conditions.push(boxCondition(sql`p.latitude`, sql`p.longitude`, filters.bbox));
  if (filters.notNear)
    conditions.push(sql`(p.latitude is not null and p.longitude is not null and not ${nearCondition(sql`p.latitude`, sql`p.longitude`, filters.notNear)})`);
  if (filters.hideDuplicates) conditions.push(notDuplicateCopy(sql`p.id`));
  if (filters.origin) conditions.push(sql`p.origin = ${filters.origin}`);
  if (filters.type) conditions.push(filters.type === 'video' ? sql`p.mime like 'video/%'` : sql`p.mime not like 'video/%'`);
  if (filters.album) conditions.push(sql`exists (select 1 from album_photos ap where ap.photo_id = p.id and ap.album_id = ${filters.album}::uuid)`);
  for (const tag of filters.tags ?? []) conditions.push(hasTag(tag));
  if (filters.categories?.length) conditions.push(inCategories(filters.categories));
  for (const id of filters.excludePeople ?? []) conditions.push(sql`not exists (select 1 from faces f where f.photo_id = p.id and f.person_id = ${id}::uuid)`);
  if (filters.places?.length) conditions.push(sql`(${sql.join(filters.places.map(atPlace), sql` or `)})`);
  for (const place of filters.excludePlaces ?? []) conditions.push(sql`not coalesce(${atPlace(place)}, false)`);
  const within = (r: { from: Date; to: Date }) => sql`${sortDate} between ${r.from.toISOString()}::timestamptz and ${r.to.toISOString()}::timestamptz`;
  if (filters.dateRanges?.length) conditions.push(sql`(${sql.join(filters.dateRanges.map(within), sql` or `)})`);
  for (const range of filters.excludeDates ?? []) conditions.push(sql`not (${within(range)})`);
  if (filters.yearly?.days.length) {
    const day = sql`to_char(${sortDate} at time zone ${filters.yearly.timeZone}, 'MM-DD')`;
    const each = filters.yearly.days.map((d) => (d.from <= d.to ? sql`${day} between ${d.from} and ${d.to}` : sql`(${day} >= ${d.from} or ${day} <= ${d.to})`));
    conditions.push(sql`(${sql.join(each, sql` or `)})`);
  }
  if (filters.inAlbum !== undefined) {
    conditions.push(
      sql`${sql.raw(filters.inAlbum ? '' : 'not ')}exists (select 1 from album_photos ap join albums a on a.id = ap.album_id where ap.photo_id = p.id and a.kind = 'manual' and a.status = 'active')`,
    );
  }
  if (filters.excludeAlbum)
    conditions.push(sql`not exists (select 1 from album_photos ap where ap.photo_id = p.id and ap.album_id = ${filters.excludeAlbum}::uuid)`);
  if (filters.kind === 'screenshot')
    conditions.push(
      sql`(${hasTag('screenshot')} or p.filename ilike 'screenshot%' or p.filename ilike 'screen shot%' or p.filename ilike 'bildschirmfoto%' or p.filename ilike 'capture d%cran%')`,
    );
  if (filters.kind === 'selfie') conditions.push(hasTag('selfie'));
  if (filters.people?.length) {
    const each = filters.people.map((id) => sql`exists (select 1 from faces f where f.photo_id = p.id and f.person_id = ${id}::uuid)`);
    conditions.push(sql`(${sql.join(each, sql.raw(filters.peopleMatch === 'any' ? ' or ' : ' and '))})`);
  }
  return sql.join(conditions, sql` and `);
}

/**
 * Taken in a city, state or country (or its two-letter code), case- and accent-insensitive, whole name (row `alias`).
 * Written as the GIN index photos_place_names_idx is (migration 0042), so the index finds the place's photos.
 */
export function inPlace(name: string, alias = 'p'): SQL {
  const p = sql.raw(alias);
  return sql`shoebox_place_names(${p}.place_city, ${p}.place_state, ${p}.place_country, ${p}.place_country_code) @> array[lower(unaccent(${name}))]`;
}

/** Taken in a place named exactly as the library has it (city, state or country): the names a query is read with. */
function atPlace(name: string): SQL {
  return sql`(p.place_city = ${name} or p.place_state = ${name} or p.place_country = ${name})`;
}

/** A tag from CLIP, from a detected object (its class or a parent: `pet`), from the caption, or one of the photographer's keywords; case-insensitive. */
function hasTag(tag: string): SQL {
  const lowered = tag.toLowerCase();
  const classes = objectClassesTagged(lowered);
  // a parent word counts only the sure detections, as the search rows do (model/object-classes.ts)
  const sure = sql`(o.label = any(${textArray(objectClassesNamed(lowered))}) or o.confidence >= ${BROADER_WORDS_CUT})`;
  const detected =
    classes.length > 0 ? sql`exists (select 1 from photo_objects o where o.photo_id = p.id and o.label = any(${textArray(classes)}) and ${sure}) or ` : sql``;
  return sql`(${detected}exists (select 1 from photo_tags t where t.photo_id = p.id and t.tag = ${lowered})
    or exists (select 1 from photo_captions c where c.photo_id = p.id and ${lowered} = any(c.tags))
    or exists (select 1 from unnest(p.keywords) k where lower(k) = ${lowered}))`;
}

/** In any of the categories, through its CLIP, caption or detected objects' tags (the mapping lives in the database). */
function inCategories(names: string[]): SQL {
  const list = sql.join(
    names.map((name) => sql`${name.toLowerCase()}`),
    sql`, `,
  );
  return sql`exists (
    select 1 from categories cat join category_tags ct on ct.category_id = cat.id
    where ${sameOwnerSql('cat', 'p')} and lower(cat.name) in (${list})
      and (exists (select 1 from photo_tags t where t.photo_id = p.id and t.tag = ct.tag)
           or exists (select 1 from photo_captions c where c.photo_id = p.id and ct.tag = any(c.tags))
           or exists (select 1 from ${DETECTED_OBJECT_TAGS} d where d.photo_id = p.id and d.tag = ct.tag)))`;
}
