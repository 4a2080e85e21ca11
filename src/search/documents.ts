import { sql, type SQL } from 'drizzle-orm';
import { termsChanged } from './terms-generation.js';
import { uuidArray } from '../db/arrays.js';
import { rows, type Db } from '../db/connection.js';
import { sameOwnerSql } from '../scope/rows.js';
import { BROADER_WORDS_CUT, OBJECT_CLASSES, objectBroaderWords, objectNameWords } from '../model/object-classes.js';
import { OBJECT_TAGS } from './object-tags.js';

/** Each detected class's tags (itself and its parents) and the words it is found by, as the statement's parameters. */
const OBJECT_WORDS = JSON.stringify(
  OBJECT_CLASSES.map((c) => ({ label: c.name, words: objectNameWords(c.name).join(' '), broader: objectBroaderWords(c.name).join(' ') })),
);

/** Photos per statement when the whole library is refreshed (a migration, a benchmark load). */
const BATCH = 2000;

/**
 * Rebuilds the search rows of some photos (or all) from their sources: tags (CLIP, the detector's objects and caption), people's names,
 * place names, the names of the active albums they are in, the photographer's keywords and description,
 * caption, OCR text and codes' text, file name and camera. Moves the suggestion counts by the difference between the photo's
 * old and new terms, in the same statement. Call it whenever one of those sources changes; it is idempotent and
 * cheap (one statement per batch).
 */
export async function refreshSearchDocuments(db: Db, photoIds: readonly string[] | 'all'): Promise<number> {
  if (photoIds !== 'all') {
    let done = 0;
    for (let i = 0; i < photoIds.length; i += BATCH) {
      const ids = photoIds.slice(i, i + BATCH);
      done += await refreshBatch(db, sql`select id from photos where id = any(${uuidArray(ids)})`);
      termsChanged();
    }
    return done;
  }
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await rows<{ id: string }>(db, sql`select id from photos where id > ${after}::uuid order by id limit ${BATCH}`);
    if (batch.length === 0) return done;
    done += await refreshBatch(db, sql`select id from photos where id = any(${uuidArray(batch.map((r) => r.id))})`);
    termsChanged();
    after = batch[batch.length - 1]!.id;
  }
}

/** Refreshes the photos whose faces belong to these people (after a rename, merge or reassignment). */
export async function refreshSearchDocumentsOfPeople(db: Db, personIds: readonly string[]): Promise<number> {
  if (personIds.length === 0) return 0;
  const ids = await rows<{ photo_id: string }>(db, sql`select distinct photo_id from faces where person_id = any(${uuidArray(personIds)})`);
  return refreshSearchDocuments(
    db,
    ids.map((r) => r.photo_id),
  );
}

/**
 * Takes photos out of the suggestion counts before they are deleted (their search rows go with them by
 * cascade, but the counts live elsewhere).
 */
export async function forgetSearchDocuments(db: Db, photoIds: readonly string[]): Promise<void> {
  if (photoIds.length === 0) return;
  await db.execute(sql`
    with gone as (
      select s.owner_id, split_part(t, ':', 1) as kind, substr(t, strpos(t, ':') + 1) as key
      from photo_search s, unnest(s.terms) t
      where s.photo_id = any(${uuidArray(photoIds)})
    ), counted as (select owner_id, kind, key, count(*)::int as n from gone group by 1, 2, 3)
    update search_terms st set photos = greatest(0, st.photos - c.n)
    from counted c
    where ${sameOwnerSql('st', 'c')} and st.kind = c.kind and st.key = c.key`);
}

async function refreshBatch(db: Db, targets: SQL): Promise<number> {
  return db.transaction(async (tx) => {
    // A concurrent refresh of the same photos (another server, a rename) waits here, then reads these terms.
    await tx.execute(sql`select 1 from photo_search where photo_id in (${targets}) order by photo_id for update`);
    return refreshLocked(tx as unknown as Db, targets);
  });
}

async function refreshLocked(db: Db, targets: SQL): Promise<number> {
  const result = await rows<{ n: number }>(
    db,
    sql`
    with target as materialized (
      -- a photo in the trash has no search row (trash.ts removes it) until it is restored
      select p.* from photos p where p.id in (${targets}) and p.deleted_at is null
    ),
    -- every term a photo counts towards, with the label the user sees
    new_terms as (
      select distinct on (photo_id, kind, key) photo_id, owner_id, kind, key, label from (
        -- tags: CLIP's, the caption's, the photographer's keywords (each branch joined to the batch itself)
        select t.id as photo_id, t.owner_id, 'tag' as kind, lower(pt.tag) as key, pt.tag as label
        from target t join photo_tags pt on pt.photo_id = t.id
        union all
        -- the detector's objects: their class and its parents (dog, pet, animal), one tag with CLIP's of the same name
        select t.id, t.owner_id, 'tag', lower(w.tag), w.tag
        from target t join photo_objects po on po.photo_id = t.id
        join jsonb_to_recordset(${OBJECT_TAGS}::jsonb) as w(label text, tag text, least real) on w.label = po.label and po.confidence >= w.least
        union all
        select t.id, t.owner_id, 'tag', lower(x), x
        from target t join photo_captions c on c.photo_id = t.id, unnest(c.tags) x
        where btrim(x) <> ''
        union all
        select t.id, t.owner_id, 'tag', lower(x), x
        from target t, unnest(t.keywords) x
        where btrim(x) <> ''
        union all
        select t.id, t.owner_id, 'person', f.person_id::text, coalesce(pe.name, '')
        from target t join faces f on f.photo_id = t.id join people pe on pe.id = f.person_id
        union all
        select t.id, t.owner_id, 'place', lower(v), v
        from target t, unnest(array[t.place_city, t.place_state, t.place_country]) v
        where v is not null and btrim(v) <> ''
        union all
        select t.id, t.owner_id, 'camera', lower(c), c
        from target t, lateral (select case
            when t.model is null then t.make
            when t.make is null or lower(t.model) like lower(t.make) || '%' then t.model
            else t.make || ' ' || t.model end as c) cam
        where c is not null and btrim(c) <> ''
        union all
        -- albums (manual and automatic) the photo is in, unless dismissed
        select t.id, t.owner_id, 'album', a.id::text, a.name
        from target t join album_photos ap on ap.photo_id = t.id join albums a on a.id = ap.album_id
        where a.status = 'active'
      ) all_terms
      order by photo_id, kind, key, label
    ),
    -- per photo, once (a correlated lookup into new_terms per photo would be quadratic in the batch)
    term_text as (
      select n.photo_id,
        string_agg(distinct n.label, ' ') filter (where n.kind = 'tag' and not (n.label = any(t.keywords))) as tags,
        string_agg(distinct n.label, ' ') filter (where n.kind = 'person') as people,
        string_agg(distinct n.label, ' ') filter (where n.kind = 'album') as albums,
        array_agg(n.kind || ':' || n.key order by n.kind, n.key) as terms
      from new_terms n join target t on t.id = n.photo_id
      group by n.photo_id, t.keywords
    ),
    -- the objects' plurals and translations (dogs, chien, Hund), searched with the tags but no suggestion of their own;
    -- the translations and parents' words only for the sure ones
    object_text as (
      select po.photo_id, string_agg(distinct case when po.confidence >= ${BROADER_WORDS_CUT} then w.words || ' ' || w.broader else w.words end, ' ') as words
      from photo_objects po join jsonb_to_recordset(${OBJECT_WORDS}::jsonb) as w(label text, words text, broader text) on w.label = po.label
      where po.photo_id in (select id from target)
      group by po.photo_id
    ),
    fields as (
      -- text in Chinese, Japanese or Korean also as its character pairs (drizzle/0025_cjk.sql, search/cjk.ts)
      select t.id as photo_id, t.owner_id,
        concat_ws(' ', tt.tags, ot.words, shoebox_cjk_bigrams(tt.tags)) as tags,
        -- the people on its faces, and those the file names without a place (library/people/hints.ts)
        concat_ws(' ', tt.people, array_to_string(t.people_named, ' '), shoebox_cjk_bigrams(concat_ws(' ', tt.people, array_to_string(t.people_named, ' ')))) as people,
        concat_ws(' ', tt.albums, shoebox_cjk_bigrams(tt.albums)) as albums,
        concat_ws(' ', t.place_city, t.place_state, t.place_country, t.place_country_code) as places,
        concat_ws(' ', array_to_string(t.keywords, ' '), shoebox_cjk_bigrams(array_to_string(t.keywords, ' '))) as keywords,
        concat_ws(' ', c.caption, c.description, t.description, shoebox_cjk_bigrams(concat_ws(' ', c.caption, c.description, t.description))) as caption,
        -- the text of its QR codes and barcodes with it, and a link's words people type (model/code-text.ts)
        concat_ws(' ', o.text, cd.text, shoebox_cjk_bigrams(concat_ws(' ', o.text, cd.text))) as ocr,
        -- the name as written, and its parts ("IMG_1234.JPG" is also "IMG 1234 JPG")
        t.filename || ' ' || regexp_replace(t.filename, '[._-]+', ' ', 'g') as filename,
        concat_ws(' ', t.make, t.model, t.lens) as camera,
        coalesce(tt.terms, '{}') as terms
      from target t
      left join term_text tt on tt.photo_id = t.id
      left join object_text ot on ot.photo_id = t.id
      left join photo_captions c on c.photo_id = t.id
      left join photo_ocr o on o.photo_id = t.id
      left join lateral (select string_agg(c.text || ' ' || c.words, ' ') as text from photo_codes c where c.photo_id = t.id) cd on true
    ),
    old_rows as materialized (
      select photo_id, owner_id, terms from photo_search where photo_id in (select id from target)
    ),
    old_terms as (
      select s.photo_id, s.owner_id, split_part(x, ':', 1) as kind, substr(x, strpos(x, ':') + 1) as key
      from old_rows s, unnest(s.terms) x
    ),
    deltas as (
      select owner_id, kind, key, max(label) as label, sum(d)::int as d from (
        select n.owner_id, n.kind, n.key, n.label,
          case when exists (select 1 from old_terms o where o.photo_id = n.photo_id and o.kind = n.kind and o.key = n.key) then 0 else 1 end as d
        from new_terms n
        union all
        select o.owner_id, o.kind, o.key, null, -1 from old_terms o
        where not exists (select 1 from new_terms n where n.photo_id = o.photo_id and n.kind = o.kind and n.key = o.key)
      ) x group by owner_id, kind, key
    ),
    -- a term only removed keeps its label; every other term takes the current label (a renamed person)
    decremented as (
      update search_terms st set photos = greatest(0, st.photos + d.d)
      from deltas d
      where d.label is null and ${sameOwnerSql('st', 'd')} and st.kind = d.kind and st.key = d.key
      returning 1
    ),
    counted as (
      insert into search_terms as st (owner_id, kind, key, label, normalized, photos)
      select owner_id, kind, key, label, lower(unaccent(label)), d from deltas where label is not null
      on conflict (owner_id, kind, key) do update set
        photos = greatest(0, st.photos + excluded.photos), label = excluded.label, normalized = excluded.normalized
      returning 1
    ),
    written as (
      insert into photo_search as s (photo_id, owner_id, tags, people, places, albums, keywords, caption, ocr, filename, camera, terms)
      select photo_id, owner_id, tags, people, places, albums, keywords, caption, ocr, filename, camera, terms from fields
      on conflict (photo_id) do update set
        tags = excluded.tags, people = excluded.people, places = excluded.places, albums = excluded.albums, keywords = excluded.keywords,
        caption = excluded.caption, ocr = excluded.ocr, filename = excluded.filename, camera = excluded.camera,
        terms = excluded.terms
      returning 1
    )
    select (select count(*) from written)::int as n, (select count(*) from counted)::int + (select count(*) from decremented)::int as c`,
  );
  return result[0]?.n ?? 0;
}

/** Bump when the fields or their text change: libraries rebuild every search row once at start. */
export const SEARCH_DOCUMENT_VERSION = 4;
const VERSION_KEY = 'search_documents_version';

/**
 * At start: rebuilds every search row when they were written by another version of this code, else only
 * the photos that have none (a library from before search existed).
 */
export async function ensureSearchDocuments(db: Db): Promise<number> {
  const [meta] = await rows<{ value: number }>(db, sql`select value from library_meta where key = ${VERSION_KEY}`);
  let refreshed: number;
  if (meta?.value !== SEARCH_DOCUMENT_VERSION) {
    refreshed = await refreshSearchDocuments(db, 'all');
    await db.execute(sql`insert into library_meta (key, value) values (${VERSION_KEY}, ${JSON.stringify(SEARCH_DOCUMENT_VERSION)}::jsonb)
      on conflict (key) do update set value = excluded.value, updated_at = now()`);
  } else {
    const missing = await rows<{ id: string }>(
      db,
      sql`select p.id from photos p where p.deleted_at is null and not exists (select 1 from photo_search s where s.photo_id = p.id)`,
    );
    refreshed = await refreshSearchDocuments(
      db,
      missing.map((row) => row.id),
    );
  }
  return refreshed;
}
