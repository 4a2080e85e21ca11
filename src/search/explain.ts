import { sql } from 'drizzle-orm';
import { textArray, uuidArray } from '../db/arrays.js';
import { rows, type Db } from '../db/connection.js';
import { wordsOf, type ParsedQuery } from './query.js';
import { toTsquery, TS_CONFIG } from './tsquery.js';
import { SEARCH_FIELDS, type KeywordMatch, type SearchField } from './types.js';

// ts_headline marks what matched with these; they cannot occur in the fields' text (control characters).
const START = '\u0002';
const STOP = '\u0003';
const MARKED = new RegExp(`${START}([^${STOP}]*)${STOP}`, 'gu');

/** Fields short enough to hold a misspelt name or tag: the trigram pass looks at these. */
const SHORT_FIELDS: readonly SearchField[] = ['tags', 'people', 'places', 'albums', 'keywords', 'filename', 'camera'];

/**
 * Which fields of each hit matched, with the words as they are written there: for full-text hits, what
 * Postgres itself highlights for the query's positive parts (stemming and prefixes included); for trigram hits,
 * the words close to a query word. Runs on one page of hits only.
 */
export async function explainKeywordMatches(
  db: Db,
  parsed: ParsedQuery,
  hits: { photoId: string; fuzzy: boolean }[],
): Promise<Map<string, KeywordMatch[]>> {
  const result = new Map<string, KeywordMatch[]>();
  if (parsed.empty || hits.length === 0) return result;
  const add = (photoId: string, field: SearchField, word: string) => {
    const list = result.get(photoId) ?? [];
    let match = list.find((m) => m.field === field);
    if (!match) list.push((match = { field, words: [] }));
    if (!match.words.some((w) => w.toLowerCase() === word.toLowerCase())) match.words.push(word);
    result.set(photoId, list);
  };

  const exact = hits.filter((hit) => !hit.fuzzy).map((hit) => hit.photoId);
  if (exact.length > 0) {
    // Any positive part, without the exclusions: each field shows what it contributed.
    const anyPart = toTsquery({ ...parsed, groups: [parsed.groups.flat()], excluded: [] });
    const options = `StartSel=${START}, StopSel=${STOP}, HighlightAll=true`;
    const columns = SEARCH_FIELDS.map(
      (field) =>
        sql`case when to_tsvector(${TS_CONFIG}, s.${sql.identifier(field)}) @@ q.q
            then ts_headline(${TS_CONFIG}, s.${sql.identifier(field)}, q.q, ${options}) end as ${sql.identifier(field)}`,
    );
    const found = await rows<Record<string, string | null>>(
      db,
      sql`select s.photo_id, ${sql.join(columns, sql`, `)}
          from photo_search s, (select ${anyPart} as q) q
          where s.photo_id = any(${uuidArray(exact)})`,
    );
    for (const row of found) {
      for (const field of SEARCH_FIELDS) {
        const text = row[field];
        if (!text) continue;
        for (const [, word] of text.matchAll(MARKED)) if (word) add(row.photo_id!, field, word);
      }
    }
  }

  const fuzzy = hits.filter((hit) => hit.fuzzy).map((hit) => hit.photoId);
  const queryWords = wordsOf(parsed.positiveText.toLowerCase()).filter((w) => w.length >= 3);
  if (fuzzy.length > 0 && queryWords.length > 0) {
    const fieldValues = sql.join(
      SHORT_FIELDS.map((field) => sql`(${field}, s.${sql.identifier(field)})`),
      sql`, `,
    );
    const found = await rows<{ photo_id: string; field: SearchField; word: string }>(
      db,
      sql`select distinct s.photo_id, f.field, w.word
          from photo_search s
          cross join lateral (values ${fieldValues}) f(field, text)
          cross join lateral regexp_split_to_table(f.text, '\\s+') w(word)
          cross join unnest(${textArray(queryWords)}) qw(word)
          where s.photo_id = any(${uuidArray(fuzzy)})
            and length(w.word) >= 2 and word_similarity(qw.word, lower(w.word)) >= 0.5
          order by s.photo_id, f.field, w.word`,
    );
    for (const row of found) add(row.photo_id, row.field, row.word);
  }
  return result;
}
